-- Eligibility of the person for the block (domain.md 4), the coordinator's
-- eligibility override, and no double counting of one person's fte.
-- One test per rule: the SQLSTATE (class 23) and the exact message, then that
-- the row was not stored.  Every activity a test inserts carries its own
-- evidence_ref, so "stored" and "not stored" count exactly that row.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(64);

\ir helpers.psql

-- Fixture -------------------------------------------------------------------
-- K1: Diemen, term 2025-01-01..2026-12-31, value EUR 1,000,000, on duoplus-2024.
-- K2: Uithoorn, same term: a second contract for double counting across contracts.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           tendered_on, awarded_on, starts_on, ends_on)
VALUES ('K1', 'Diemen', 'Bouwbedrijf Amstel BV', 'Renovatie gemeentehuis', 1000000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31'),
       ('K2', 'Uithoorn', 'Groenbeheer Noord BV', 'Onderhoud openbaar groen', 800000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31');

-- Candidates; most placements start on 2025-01-01 (the K1 start), and the
-- durations in the comments are measured to that day.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk,
                            indication_until, education, job_seeking, statushouder, special_group) VALUES
    -- no benefit, no register, no school, under 50, no statushouder: outside the target group
    ('E-NONE',       '1990-05-01', 'none',            NULL,         false, false, NULL,         NULL,   false, false, false),
    -- Participatiewet 23 months (since 2023-02-01)
    ('E-PW-23M',     '1985-01-01', 'participatiewet', '2023-02-01', false, false, NULL,         NULL,   false, false, false),
    -- Participatiewet exactly 24 months (since 2023-01-01)
    ('E-PW-24M',     '1985-01-01', 'participatiewet', '2023-01-01', false, false, NULL,         NULL,   false, false, false),
    -- Participatiewet 36 months (since 2022-01-01)
    ('E-PW-36M',     '1985-01-01', 'participatiewet', '2022-01-01', false, false, NULL,         NULL,   false, false, false),
    -- Participatiewet, benefit_since unknown
    ('E-PW-NOSINCE', '1985-01-01', 'participatiewet', NULL,         false, false, NULL,         NULL,   false, false, false),
    -- Participatiewet 7 months (since 2024-06-01): A2; not in the register, no beschut werk, no special group
    ('E-PW',         '1985-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    -- WW since 2024-07-01: 6 calendar months complete on 2025-01-01 (2024-07-01 + 6 months);
    -- statushouder, so that the A3 rule itself (not the target group) decides
    ('E-WW',         '1975-01-01', 'ww',              '2024-07-01', false, false, NULL,         NULL,   false, true,  false),
    -- doelgroepregister with an indication that ended the day before the start
    ('E-DGR-EXP',    '1995-01-01', 'none',            NULL,         true,  false, '2024-12-31', NULL,   false, false, false),
    -- MBO 2 students: 23 on 2025-01-01, and 22 (turns 23 the day after)
    ('E-MBO-23',     '2002-01-01', 'none',            NULL,         false, false, NULL,         'mbo2', false, false, false),
    ('E-MBO-22',     '2002-01-02', 'none',            NULL,         false, false, NULL,         'mbo2', false, false, false),
    -- VSO pupil of 17
    ('E-VSO',        '2008-01-01', 'none',            NULL,         false, false, NULL,         'vso',  false, false, false),
    -- Wajong since 2015
    ('E-WAJONG',     '1995-01-01', 'wajong',          '2015-01-01', false, false, NULL,         NULL,   false, false, false),
    -- MBO 1 student of 19
    ('E-MBO1',       '2006-01-01', 'none',            NULL,         false, false, NULL,         'mbo1', false, false, false),
    -- Participatiewet since 2024-06-01 (A2): 55 on 2025-01-01 (56 the day after), and 56
    ('E-55',         '1969-01-02', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    ('E-56',         '1969-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    -- 56, no benefit, not in the register; beschut werk and 50+ job-seeking (so A4B itself fits)
    ('E-56-NONE',    '1969-01-01', 'none',            NULL,         false, true,  NULL,         NULL,   true,  false, false),
    -- double counting: Participatiewet since 2024-06-01, A2 until 2026-05-31
    ('D1',           '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    ('D2',           '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    ('D3',           '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    ('D4',           '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false),
    ('D5',           '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL,         NULL,   false, false, false);

-- Target group ------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('K1', 'B6', 'E-NONE', '2025-01-01', '2025-12-31', 'T-target')$$,
    '23514', 'candidate E-NONE is not eligible for block B6: is not in the target group of guideline 3 at the start',
    'a person outside the target group is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-target'), 0::bigint, 'outside the target group: not stored');

-- A1 / A2 -------------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A1', 'E-PW-23M', '2025-01-01', 'T-A1-23m')$$,
    '23514', 'candidate E-PW-23M is not eligible for block A1: is on benefit since 2023-02-01, under 24 months at the start (block A2 applies)',
    'A1 with a benefit of under 24 months is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A1-23m'), 0::bigint, 'A1 under 24 months: not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('K1', 'A1', 'E-PW-24M', 0.5, '2025-01-01', 'T-A1-24m')$$,
    'A1 with a benefit of exactly 24 months is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A1-24m'), 1::bigint, 'A1 at exactly 24 months: stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('K2', 'A2', 'E-PW-24M', 0.5, '2025-01-01', 'T-A2-24m')$$,
    '23514', 'candidate E-PW-24M is not eligible for block A2: is on benefit since 2023-01-01, 24 months or more at the start (block A1 applies)',
    'A2 with a benefit of exactly 24 months is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A2-24m'), 0::bigint, 'A2 at exactly 24 months: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A2', 'E-PW-36M', '2025-01-01', 'T-A2-36m')$$,
    '23514', 'candidate E-PW-36M is not eligible for block A2: is on benefit since 2022-01-01, 24 months or more at the start (block A1 applies)',
    'A2 with a benefit of 24 months or more is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A2-36m'), 0::bigint, 'A2 at 36 months: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A1', 'E-PW-NOSINCE', '2025-01-01', 'T-A1-nosince')$$,
    '23514', 'candidate E-PW-NOSINCE is not eligible for block A1: needs benefit_since to tell 24 months or more (A1) from under 24 months (A2)',
    'A1 without benefit_since is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A1-nosince'), 0::bigint, 'A1 without benefit_since: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A2', 'E-PW-NOSINCE', '2025-01-01', 'T-A2-nosince')$$,
    '23514', 'candidate E-PW-NOSINCE is not eligible for block A2: needs benefit_since to tell 24 months or more (A1) from under 24 months (A2)',
    'A2 without benefit_since is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A2-nosince'), 0::bigint, 'A2 without benefit_since: not stored');

-- A3: WW for more than 6 months, in calendar months (domain.md 7.3):
-- benefit_since + 6 months <= start.  2024-07-01 + 6 months = 2025-01-01.
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A3', 'E-WW', '2024-12-31', 'T-A3-6m-1d')$$,
    '23514', 'candidate E-WW is not eligible for block A3: needs WW for more than 6 months at the start (benefit_since + 6 months on or before it), has ww since 2024-07-01',
    'A3 starting the day before 6 calendar months of WW (2024-12-31) is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A3-6m-1d'), 0::bigint, 'A3 at 6 months - 1 day: not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A3', 'E-WW', '2025-01-01', 'T-A3-6m')$$,
    'A3 starting on the day 6 calendar months of WW are complete (2025-01-01) is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A3-6m'), 1::bigint, 'A3 at exactly 6 months: stored');

-- A4 / A4B ----------------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A4', 'E-PW', '2025-01-01', 'T-A4-nodgr')$$,
    '23514', 'candidate E-PW is not eligible for block A4: needs a doelgroepregister indication valid at the start (doelgroepregister false, indication_until NULL)',
    'A4 without doelgroepregister is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A4-nodgr'), 0::bigint, 'A4 without doelgroepregister: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A4', 'E-DGR-EXP', '2025-01-01', 'T-A4-expired')$$,
    '23514', 'candidate E-DGR-EXP is not eligible for block A4: needs a doelgroepregister indication valid at the start (doelgroepregister true, indication_until 2024-12-31)',
    'A4 with an indication that expired before the start is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A4-expired'), 0::bigint, 'A4 with expired indication: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'A4B', 'E-PW', '2025-01-01', 'T-A4B')$$,
    '23514', 'candidate E-PW is not eligible for block A4B: needs a beschut werk indication valid at the start (beschut_werk false, indication_until NULL)',
    'A4B without beschut werk is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-A4B'), 0::bigint, 'A4B without beschut werk: not stored');

-- B5, B7, B8, B8V ---------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'B5', 'E-PW', '2025-01-01', 'T-B5')$$,
    '23514', 'candidate E-PW is not eligible for block B5: needs a WIA or WAO benefit, has participatiewet',
    'B5 with Participatiewet is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B5'), 0::bigint, 'B5 with Participatiewet: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('K1', 'B7', 'E-MBO-23', '2025-01-01', '2025-06-30', 'T-B7-23')$$,
    '23514', 'candidate E-MBO-23 is not eligible for block B7: needs an MBO student under 23 at the start, has education mbo2 at age 23',
    'B7 for a student of 23 at the start is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B7-23'), 0::bigint, 'B7 at 23: not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('K1', 'B7', 'E-MBO-22', '2025-01-01', '2025-06-30', 'T-B7-22')$$,
    'B7 for a student of 22 at the start is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B7-22'), 1::bigint, 'B7 at 22: stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('K1', 'B7', 'E-VSO', '2025-01-01', '2025-06-30', 'T-B7-vso')$$,
    '23514', 'candidate E-VSO is not eligible for block B7: needs an MBO student under 23 at the start, has education vso at age 17',
    'B7 for a VSO pupil is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B7-vso'), 0::bigint, 'B7 for a VSO pupil: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, evidence_ref)
      VALUES ('K1', 'B8', 'E-WAJONG', '2025-01-01', 'T-B8')$$,
    '23514', 'candidate E-WAJONG is not eligible for block B8: needs a Participatiewet or WW benefit, has wajong',
    'B8 with Wajong is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B8'), 0::bigint, 'B8 with Wajong: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('K1', 'B8V', 'E-MBO1', '2025-01-01', '2025-06-30', 'T-B8V')$$,
    '23514', 'candidate E-MBO1 is not eligible for block B8V: needs a VSO or PRO pupil, has education mbo1',
    'B8V for an MBO 1 student is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B8V'), 0::bigint, 'B8V for MBO 1: not stored');

-- Bonuses ---------------------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, bonus_56plus, evidence_ref)
      VALUES ('K1', 'A2', 'E-55', '2025-01-01', true, 'T-B12-55')$$,
    '23514', 'candidate E-55 is not eligible for block A2 with its bonus: needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age 55, benefit participatiewet, doelgroepregister false',
    'BONUS12 at 55 is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B12-55'), 0::bigint, 'BONUS12 at 55: not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, bonus_56plus, evidence_ref)
      VALUES ('K1', 'A2', 'E-56', '2025-01-01', true, 'T-B12-56')$$,
    'BONUS12 at 56 in Participatiewet is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B12-56'), 1::bigint, 'BONUS12 at 56: stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, bonus_56plus, evidence_ref)
      VALUES ('K1', 'A4B', 'E-56-NONE', '2025-01-01', true, 'T-B12-none')$$,
    '23514', 'candidate E-56-NONE is not eligible for block A4B with its bonus: needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age 56, benefit none, doelgroepregister false',
    'BONUS12 at 56 without Participatiewet or doelgroepregister is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B12-none'), 0::bigint, 'BONUS12 without Participatiewet or register: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, bonus_special, evidence_ref)
      VALUES ('K1', 'A2', 'E-PW', '2025-01-01', true, 'T-B13')$$,
    '23514', 'candidate E-PW is not eligible for block A2 with its bonus: needs a person the SR coordinator recognises as a special group (special_group is false)',
    'BONUS13 without special_group is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-B13'), 0::bigint, 'BONUS13 without special_group: not stored');

-- The coordinator's override --------------------------------------------------------------
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, eligibility_override, evidence_ref)
      VALUES ('K1', 'A2', 'E-NONE', '2025-01-01', 'benefit application approved, decision letter pending', 'T-override')$$,
    'an ineligible placement with an eligibility_override reason is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-override'), 1::bigint, 'override: stored');
-- (joined on the contract too: a decision's is its activity's; Citus joins on it, test/citus/03)
SELECT is((SELECT count(*) FROM sroi.decision AS d JOIN sroi.activity AS a ON a.id = d.activity_id AND a.contract_id = d.contract_id
            WHERE a.evidence_ref = 'T-override'), 0::bigint,
    'override at INSERT (only the owner may: a restore or a load) is not logged again: such rows bring their log (sroi.override_eligibility logs, validation_workflow.sql)');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, eligibility_override, evidence_ref)
      VALUES ('K2', 'B6', 'E-NONE', '2025-01-01', '2025-12-31', '  ', 'T-override-blank')$$,
    '23514', 'eligibility_override must state the reason for counting the activity anyway, got ''  ''',
    'an eligibility_override without a reason is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-override-blank'), 0::bigint, 'blank override: not stored');

-- No double counting: at most 1 fte per person at any day, across contracts --------------------
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K1', 'A2', 'D1', 0.6, '2025-01-01', '2025-12-31', 'T-D1-a')$$,
    'D1: 0.6 fte on K1 in 2025 is accepted');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D1', 0.5, '2025-06-01', '2026-05-31', 'T-D1-b')$$,
    '23514', 'fte 0.5 of candidate D1 from 2025-06-01 would take the person over 1 fte: other activities already count for them in that period',
    'D1: 0.6 + 0.5 fte overlapping on two contracts is refused');
-- this test runs as a superuser, an SR coordinator: the detail names the day and the total
-- (0.6 + 0.5 = 1.1 from 2025-06-01, the first day both count)
SELECT is(pg_temp.detail_of($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
                              VALUES ('K2', 'A2', 'D1', 0.5, '2025-06-01', '2026-05-31', 'T-D1-b')$$),
    'On 2025-06-01 their fte would total 1.1.',
    'D1: an SR coordinator is told the day and the total in the detail');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-D1-b'), 0::bigint, 'D1: the 0.5 fte is not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K1', 'A2', 'D2', 0.5, '2025-01-01', '2025-12-31', 'T-D2-a');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D2', 0.5, '2025-06-01', '2026-05-31', 'T-D2-b')$$,
    'D2: 0.5 + 0.5 fte overlapping on two contracts is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE candidate_id = 'D2'), 2::bigint, 'D2: both stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K1', 'A2', 'D3', 1, '2025-01-01', '2025-06-30', 'T-D3-a');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D3', 1, '2025-07-01', '2025-12-31', 'T-D3-b')$$,
    'D3: 1 + 1 fte that do not overlap are accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE candidate_id = 'D3'), 2::bigint, 'D3: both stored');

-- D4: the first placement is rejected, so it no longer counts and the second fits.
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
VALUES ('K1', 'A2', 'D4', 0.6, '2025-01-01', '2025-12-31', 'T-D4-a');
SELECT lives_ok(
    $$SELECT sroi.reject((SELECT id FROM sroi.activity WHERE evidence_ref = 'T-D4-a'), 'coordinator De Vries', 'no employment contract shown')$$,
    'D4: the 0.6 fte placement is rejected');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D4', 0.5, '2025-06-01', '2026-05-31', 'T-D4-b')$$,
    'D4: a rejected activity does not count, the 0.5 fte fits');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-D4-b'), 1::bigint, 'D4: the 0.5 fte is stored');

-- D5: 0.6 Jan-Mar and 0.6 Apr-Jun on K1 beside 0.4 Jan-Jun on K2: at most 1.0 on any day.
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K1', 'A2', 'D5', 0.6, '2025-01-01', '2025-03-31', 'T-D5-a');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K1', 'A2', 'D5', 0.6, '2025-04-01', '2025-06-30', 'T-D5-b');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D5', 0.4, '2025-01-01', '2025-06-30', 'T-D5-c')$$,
    'D5: 0.6 Jan-Mar and 0.6 Apr-Jun plus 0.4 Jan-Jun are accepted (load 1.0 at most)');
SELECT is((SELECT count(*) FROM sroi.activity WHERE candidate_id = 'D5'), 3::bigint, 'D5: all three stored');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('K2', 'A2', 'D5', 0.1, '2025-06-30', '2025-07-31', 'T-D5-d')$$,
    '23514', 'fte 0.1 of candidate D5 from 2025-06-30 would take the person over 1 fte: other activities already count for them in that period',
    'D5: 0.1 fte more on the last day of the full load is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-D5-d'), 0::bigint, 'D5: the 0.1 fte is not stored');

SELECT * FROM finish();
ROLLBACK;
