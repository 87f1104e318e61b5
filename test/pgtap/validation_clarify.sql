-- The clarifications of domain.md 7 on validation: keys (contract and candidate
-- ids), benefits that begin after the start (7.1), Wajong as registered (7.2),
-- calendar months and ages (7.3), no double counting over each contract's term
-- (7.4), nothing after the contract's end (7.8), no kick-off before the award
-- (7.10) and later changes that would invalidate stored activities (7.11).
-- Each refused row: the SQLSTATE, the exact message, then that nothing was stored.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(86);

-- Fixture -------------------------------------------------------------------
-- C1: term 2024-01-01..2027-12-31, for the birthday and benefit tests.
-- C2: term 2025-01-01..2025-12-31.  C3: 2025-01-01..2026-12-31.  C4: 2026-01-01..2026-12-31.
-- C5: 2025-01-01..2025-12-31, for the term changes of 7.11.  All on duoplus-2024.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, rate_card,
                           awarded_on, starts_on, ends_on) VALUES
    ('C1', 'Diemen', 'Bouw BV', 'long', 1000000, 'duoplus-2024', '2023-12-01', '2024-01-01', '2027-12-31'),
    ('C2', 'Diemen', 'Bouw BV', 'one year', 1000000, 'duoplus-2024', '2024-12-01', '2025-01-01', '2025-12-31'),
    ('C3', 'Uithoorn', 'Groen BV', 'two years', 1000000, 'duoplus-2024', '2024-12-01', '2025-01-01', '2026-12-31'),
    ('C4', 'Uithoorn', 'Groen BV', 'starts 2026', 1000000, 'duoplus-2024', '2025-12-01', '2026-01-01', '2026-12-31'),
    ('C5', 'Diemen', 'Bouw BV', 'term changes', 1000000, 'duoplus-2024', '2024-12-01', '2025-01-01', '2025-12-31');

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk,
                            education, statushouder) VALUES
    -- 7.1: Participatiewet only from 2025-03-01
    ('B-LATE',   '1985-01-01', 'participatiewet', '2025-03-01', false, false, NULL, false),
    -- 7.1: 65 in 2025, Participatiewet only from 2025-03-01; beschut werk and statushouder,
    -- so that A4B itself fits and only the bonus is judged
    ('B-LATE56', '1960-01-01', 'participatiewet', '2025-03-01', false, true,  NULL, true),
    -- 7.2: Wajong since 2015, register flag false; the same at 65; Wajong only from 2025-03-01
    ('W-WJ',     '1995-01-01', 'wajong',          '2015-01-01', false, false, NULL, false),
    ('W-WJ65',   '1960-01-01', 'wajong',          '2015-01-01', false, false, NULL, false),
    ('W-WJLATE', '1995-01-01', 'wajong',          '2025-03-01', false, false, NULL, false),
    -- 7.3: WW since 2024-08-31: 2024-08-31 + 6 months = 2025-02-28 (clamped); statushouder
    ('W-AUG',    '1980-01-01', 'ww',              '2024-08-31', false, false, NULL, true),
    -- 7.3: born on 29 February: 56 on 2024-02-29 (56th birthdays of people born on
    -- 29 February fall in leap years, 1968 + 56 = 2024); 23 on 2027-03-01 (2027 is no leap year)
    ('G-56',     '1968-02-29', 'participatiewet', '2024-01-01', false, false, NULL, false),
    ('G-23',     '2004-02-29', 'none',            NULL,         false, false, 'mbo2', false),
    -- 7.4 and 7.11: Participatiewet since 2024-06-01 (A2 until 2026-05-31)
    ('O1',       '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL, false),
    ('O2',       '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL, false),
    ('R1',       '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL, false),
    ('R2',       '1980-01-01', 'participatiewet', '2024-06-01', false, false, NULL, false);

-- Keys ----------------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (repeat('A', 10000), '1990-01-01')$$,
    '22023', format('candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "%s"... (10000 characters)', repeat('A', 64)),
    'a candidate id of 10,000 characters is refused with the first 64 shown (not the index error 54000)');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE length(id) > 64), 0::bigint, '10,000 characters: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES ('', '1990-01-01')$$,
    '22023', 'candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got ""',
    'an empty candidate id is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = ''), 0::bigint, 'empty id: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (' ', '1990-01-01')$$,
    '22023', 'candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got " "',
    'a blank candidate id is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = ' '), 0::bigint, 'blank id: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (U&'A\200BB', '1990-01-01')$$,
    '22023', 'candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "A\u200BB"',
    'a candidate id with a zero-width space is refused, the space shown escaped');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = U&'A\200BB'), 0::bigint, 'zero-width space: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (U&'A\202EB', '1990-01-01')$$,
    '22023', 'candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "A\u202EB"',
    'a candidate id with a bidi override is refused, the override shown escaped');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = U&'A\202EB'), 0::bigint, 'bidi override: not stored');

-- 'O1' with a Cyrillic O (U+041E): looks like the stored O1
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (U&'\041E1', '1990-01-01')$$,
    '22023', 'candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "\u041E1"',
    'a Cyrillic look-alike of candidate O1 is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = U&'\041E1'), 0::bigint, 'Cyrillic look-alike: not stored');

SELECT lives_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (repeat('a', 60) || '-_./', '1990-01-01')$$,
    'a candidate id of exactly 64 characters (letters and -_./) is accepted');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE length(id) = 64), 1::bigint, '64 characters: stored');
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES (repeat('b', 65), '1990-01-01')$$,
    '22023', format('candidate.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "%s"... (65 characters)', repeat('b', 64)),
    'a candidate id of 65 characters is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE length(id) = 65), 0::bigint, '65 characters: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
      VALUES ('-K1', 'Diemen', 'S', 't', 1000000, '2024-12-01', '2025-01-01', '2025-12-31')$$,
    '22023', 'contract.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "-K1"',
    'a contract id starting with a hyphen is refused');
SELECT is((SELECT count(*) FROM sroi.contract WHERE id = '-K1'), 0::bigint, 'contract id -K1: not stored');
SELECT throws_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
      VALUES (E'K\t1', 'Diemen', 'S', 't', 1000000, '2024-12-01', '2025-01-01', '2025-12-31')$$,
    '22023', 'contract.id must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "K\u00091"',
    'a contract id with a tab is refused, the tab shown escaped');
SELECT is((SELECT count(*) FROM sroi.contract WHERE id = E'K\t1'), 0::bigint, 'contract id with a tab: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
      VALUES ('2025/DIE-001.a_b:c', 'Diemen', 'S', 't', 1000000, '2024-12-01', '2025-01-01', '2025-12-31')$$,
    'a contract id with digits, letters and -_./: is accepted');
SELECT is((SELECT count(*) FROM sroi.contract WHERE id = '2025/DIE-001.a_b:c'), 1::bigint, 'contract 2025/DIE-001.a_b:c: stored');

-- 7.1: a benefit that begins after the start does not qualify ---------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A2', 'B-LATE', 0.3, '2025-02-28', 'T-late-before')$$,
    '23514', 'candidate B-LATE is not eligible for block A2: is not in the target group of guideline 3 at the start (benefit participatiewet only since 2025-03-01, after the start)',
    'A2 starting the day before the benefit (2025-02-28) is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-late-before'), 0::bigint, 'the day before the benefit: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A2', 'B-LATE', 0.3, '2025-03-01', 'T-late-on');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A2', 'B-LATE', 0.3, '2025-03-02', 'T-late-after')$$,
    'A2 starting on the first day of the benefit (2025-03-01) and the day after is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref IN ('T-late-on', 'T-late-after')), 2::bigint, 'on and after the benefit: stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A4B', 'B-LATE56', 0.3, '2025-02-28', true, 'T-late56-before')$$,
    '23514', 'candidate B-LATE56 is not eligible for block A4B with its bonus: needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age 65, benefit participatiewet only since 2025-03-01, after the start, doelgroepregister false',
    'BONUS12 on a Participatiewet benefit that begins the day after the start is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-late56-before'), 0::bigint, 'bonus before the benefit: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A4B', 'B-LATE56', 0.3, '2025-03-01', true, 'T-late56-on')$$,
    'BONUS12 from the first day of the benefit is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-late56-on'), 1::bigint, 'bonus on the benefit''s first day: stored');

-- 7.2: Wajong counts as registered in the doelgroepregister -----------------------
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A4', 'W-WJ', 0.5, '2025-01-01', 'T-wajong-a4')$$,
    'A4 for a Wajonger whose register flag is false is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-wajong-a4'), 1::bigint, 'Wajong A4: stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A4', 'W-WJ65', 0.5, '2025-01-01', true, 'T-wajong-56')$$,
    'BONUS12 for a Wajonger of 65 (register flag false) is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-wajong-56'), 1::bigint, 'Wajong 56+ bonus: stored');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A4', 'W-WJLATE', 0.5, '2025-02-28', 'T-wajong-late')$$,
    '23514', 'candidate W-WJLATE is not eligible for block A4: is not in the target group of guideline 3 at the start (benefit wajong only since 2025-03-01, after the start)',
    'A4 the day before Wajong begins is refused (7.1 with 7.2)');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-wajong-late'), 0::bigint, 'A4 before Wajong: not stored');

-- 7.3: calendar months with end-of-month clamping; ages by age() -------------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A3', 'W-AUG', 0.3, '2025-02-27', 'T-aug-27')$$,
    '23514', 'candidate W-AUG is not eligible for block A3: needs WW for more than 6 months at the start (benefit_since + 6 months on or before it), has ww since 2024-08-31',
    'A3 on 2025-02-27, the day before 2024-08-31 + 6 months = 2025-02-28, is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-aug-27'), 0::bigint, 'A3 on 02-27: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A3', 'W-AUG', 0.3, '2025-02-28', 'T-aug-28');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C1', 'A3', 'W-AUG', 0.3, '2025-03-01', 'T-aug-01')$$,
    'A3 on 2025-02-28 (exactly 6 calendar months, clamped) and on 2025-03-01 is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref IN ('T-aug-28', 'T-aug-01')), 2::bigint, 'A3 on 02-28 and 03-01: stored');

SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A2', 'G-56', 0.3, '2024-02-28', true, 'T-g56-28')$$,
    '23514', 'candidate G-56 is not eligible for block A2 with its bonus: needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age 55, benefit participatiewet, doelgroepregister false',
    'BONUS12 for someone born 1968-02-29, on 2024-02-28 (age 55), is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-g56-28'), 0::bigint, 'BONUS12 at 55: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A2', 'G-56', 0.3, '2024-02-29', true, 'T-g56-29');
      INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, bonus_56plus, evidence_ref)
      VALUES ('C1', 'A2', 'G-56', 0.3, '2024-03-01', true, 'T-g56-01')$$,
    'BONUS12 on 2024-02-29 (the 56th birthday) and 2024-03-01 is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref IN ('T-g56-29', 'T-g56-01')), 2::bigint, 'BONUS12 at 56: stored');

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('C1', 'B7', 'G-23', '2027-02-28', '2027-06-30', 'T-g23-28')$$,
    'B7 for someone born 2004-02-29, on 2027-02-28 (still 22 in a non-leap year), is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-g23-28'), 1::bigint, 'B7 at 22 on 02-28: stored');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('C1', 'B7', 'G-23', '2027-03-01', '2027-06-30', 'T-g23-01')$$,
    '23514', 'candidate G-23 is not eligible for block B7: needs an MBO student under 23 at the start, has education mbo2 at age 23',
    'B7 on 2027-03-01 (23 from 1 March in a non-leap year) is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-g23-01'), 0::bigint, 'B7 at 23 on 03-01: not stored');

-- 7.8: nothing per fte or per agreement starts after the contract's end ----------------
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C2', 'A2', 'R2', 0.1, '2026-01-01', 'T-after-fte')$$,
    '23514', 'starts_on 2026-01-01 lies after the end of contract C2 (2025-12-31)',
    'an fte placement starting the day after the contract end is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-after-fte'), 0::bigint, 'fte after the end: not stored');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
      VALUES ('C2', 'B7', 'G-23', '2026-01-01', '2026-06-30', 'T-after-agr')$$,
    '23514', 'starts_on 2026-01-01 lies after the end of contract C2 (2025-12-31)',
    'an agreement starting the day after the contract end is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-after-agr'), 0::bigint, 'agreement after the end: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C2', 'A2', 'R2', 0.1, '2025-12-31', 'T-end-fte')$$,
    'an fte placement starting on the contract''s last day is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-end-fte'), 1::bigint, 'fte on the last day: stored');

-- 7.10: no kick-off before the award ----------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
      VALUES ('KX', 'Diemen', 'S', 't', 1000000, '2024-12-01', '2025-01-01', '2025-12-31', '2024-11-30')$$,
    '23514', 'kickoff_on must not be before awarded_on, got awarded_on 2024-12-01 and kickoff_on 2024-11-30',
    'a kick-off the day before the award is refused');
SELECT is((SELECT count(*) FROM sroi.contract WHERE id = 'KX'), 0::bigint, 'kick-off before the award: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
      VALUES ('KX', 'Diemen', 'S', 't', 1000000, '2024-12-01', '2025-01-01', '2025-12-31', '2024-12-01')$$,
    'a kick-off on the award date is accepted');
SELECT is((SELECT kickoff_on FROM sroi.contract WHERE id = 'KX'), '2024-12-01'::date, 'kick-off on the award date: stored');

-- 7.4: each activity counts over its period clipped to its own contract's term --------------
-- O1: 1 fte on C2 from 2025-01-01, ongoing; C2 ends 2025-12-31, so it counts until then.
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
VALUES ('C2', 'A2', 'O1', 1, '2025-01-01', 'T-O1-c2');
SELECT throws_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C3', 'A2', 'O1', 0.5, '2025-12-31', 'T-O1-1231')$$,
    '23514', 'fte 0.5 of candidate O1 from 2025-12-31 would take the person over 1 fte: other activities already count for them in that period',
    'O1: 0.5 fte from 2025-12-31, the last day C2 counts (1 + 0.5 = 1.5), is refused');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-O1-1231'), 0::bigint, 'O1 from 12-31: not stored');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C3', 'A2', 'O1', 0.5, '2026-01-01', 'T-O1-0101')$$,
    'O1: 0.5 fte from 2026-01-01 is accepted: the ongoing row on C2, ended 2025-12-31, no longer counts');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-O1-0101'), 1::bigint, 'O1 from 2026-01-01: stored');
-- O2: 1 fte on C2 for 2025; a 0.5 fte hire on 2025-06-01 for C4 (which starts 2026-01-01,
-- so the hire counts from then: allowed up to 12 months before) overlaps nothing that counts.
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
VALUES ('C2', 'A2', 'O2', 1, '2025-01-01', '2025-12-31', 'T-O2-c2');
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('C4', 'A2', 'O2', 0.5, '2025-06-01', 'T-O2-c4')$$,
    'O2: a hire before C4''s start counts from 2026-01-01 only: accepted beside 1 fte in 2025');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-O2-c4'), 1::bigint, 'O2 on C4: stored');

-- O2 again: a hire from 2025-02-01 to 2025-11-30 for C4 ended before C4 began (2026-01-01,
-- within the 12 months allowed): nothing of it can earn, its span is empty, and it does not
-- meet the 1 fte on C2 in 2025 (1 + 0.5 would be 1.5 if it counted).
SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
      VALUES ('C4', 'A2', 'O2', 0.5, '2025-02-01', '2025-11-30', 'T-O2-before')$$,
    'O2: a hire that ended before C4''s start counts on no day: accepted beside 1 fte in 2025');
-- term_span itself: [max(start, term start), min(end or infinity, term end)], both days in
SELECT is(sroi.term_span('2025-06-01', NULL, '2026-01-01', '2026-12-31'), '[2026-01-01,2026-12-31]'::daterange,
          'term_span: an ongoing hire of 2025-06-01 on a 2026 contract spans 2026-01-01 to 2026-12-31');
SELECT is(sroi.term_span('2025-03-15', '2025-04-30', '2025-01-01', '2025-12-31'), '[2025-03-15,2025-04-30]'::daterange,
          'term_span: a period inside the term is itself');
SELECT is(sroi.term_span('2025-02-01', '2025-11-30', '2026-01-01', '2026-12-31'), 'empty'::daterange,
          'term_span: a period that ended before the term began is empty');

-- 7.11 (a): a candidate change that would make a counted activity ineligible ----------------
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
VALUES ('C3', 'A2', 'R1', 0.5, '2025-01-01', 'T-R1');
SELECT throws_ok(
    $$UPDATE sroi.candidate SET benefit_since = '2022-01-01' WHERE id = 'R1'$$,
    '23514', format('candidate R1 cannot change: activity %s would no longer be eligible for block A2: is on benefit since 2022-01-01, 24 months or more at the start (block A1 applies)',
                    (SELECT id FROM sroi.activity WHERE evidence_ref = 'T-R1')),
    'R1: benefit_since 2022-01-01 would put the 2025-01-01 A2 placement at 36 months: refused');
SELECT is((SELECT benefit_since FROM sroi.candidate WHERE id = 'R1'), '2024-06-01'::date, 'R1: benefit_since unchanged');
SELECT throws_ok(
    $$UPDATE sroi.candidate SET benefit_since = '2025-01-02' WHERE id = 'R1'$$,
    '23514', format('candidate R1 cannot change: activity %s would no longer be eligible for block A2: is not in the target group of guideline 3 at the start (benefit participatiewet only since 2025-01-02, after the start)',
                    (SELECT id FROM sroi.activity WHERE evidence_ref = 'T-R1')),
    'R1: a benefit from the day after the placement''s start is refused (7.1)');
SELECT lives_ok(
    $$UPDATE sroi.candidate SET benefit_since = '2023-01-02' WHERE id = 'R1'$$,
    'R1: benefit_since 2023-01-02 (23 months and 30 days at the start: still A2) is accepted');
SELECT lives_ok(
    $$SELECT sroi.override_eligibility((SELECT id FROM sroi.activity WHERE evidence_ref = 'T-R1'),
                                       'coordinator De Vries', 'A2 agreed with the municipality')$$,
    'R1: the coordinator overrides the placement''s eligibility');
SELECT lives_ok(
    $$UPDATE sroi.candidate SET benefit_since = '2022-01-01' WHERE id = 'R1'$$,
    'R1: with the override, the correction to 2022-01-01 is accepted');

-- 7.11 (b): a change of a contract's term that its activities no longer fit ------------------
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
VALUES ('C5', 'C10', '2025-03-01', 10, 'T-C5-c10');
SELECT throws_ok(
    $$UPDATE sroi.contract SET starts_on = '2025-03-02' WHERE id = 'C5'$$,
    '23514', format('contract C5 cannot change: activity %s would no longer fit the contract term: starts_on 2025-03-01 lies before the start of contract C5 (2025-03-02)',
                    (SELECT id FROM sroi.activity WHERE evidence_ref = 'T-C5-c10')),
    'C5: a start the day after its hours were earned is refused');
SELECT throws_ok(
    $$UPDATE sroi.contract SET ends_on = '2025-02-28' WHERE id = 'C5'$$,
    '23514', format('contract C5 cannot change: activity %s would no longer fit the contract term: starts_on 2025-03-01 lies after the end of contract C5 (2025-02-28)',
                    (SELECT id FROM sroi.activity WHERE evidence_ref = 'T-C5-c10')),
    'C5: an end the day before its hours were earned is refused (7.8)');
SELECT is((SELECT starts_on || ' ' || ends_on FROM sroi.contract WHERE id = 'C5'), '2025-01-01 2025-12-31', 'C5: term unchanged');
SELECT lives_ok(
    $$UPDATE sroi.contract SET starts_on = '2025-03-01', ends_on = '2025-03-01' WHERE id = 'C5'$$,
    'C5: a term of the one day its hours were earned is accepted');
-- O1: 1 fte on C2 (ongoing, counted until C2's end 2025-12-31) and 0.5 fte on C3 from 2026-01-01.
SELECT throws_ok(
    $$UPDATE sroi.contract SET ends_on = '2026-01-01' WHERE id = 'C2'$$,
    '23514', format('contract C2 cannot change: activity %s would no longer fit: fte 1 of candidate O1 from 2025-01-01 would take the person over 1 fte: other activities already count for them in that period',
                    (SELECT id FROM sroi.activity WHERE evidence_ref = 'T-O1-c2')),
    'C2: one more day (2026-01-01) would count O1''s ongoing 1 fte beside 0.5 on C3: refused');
SELECT is((SELECT ends_on FROM sroi.contract WHERE id = 'C2'), '2025-12-31'::date, 'C2: end unchanged');
SELECT lives_ok(
    $$SELECT sroi.reject((SELECT id FROM sroi.activity WHERE evidence_ref = 'T-O1-c2'), 'coordinator De Vries', 'ended with the contract')$$,
    'C2: the coordinator rejects O1''s ongoing placement');
SELECT lives_ok(
    $$UPDATE sroi.contract SET ends_on = '2026-01-01' WHERE id = 'C2'$$,
    'C2: then the extension is accepted (O2''s C2 row ends 2025-12-31, its C4 row counts from 2026-01-01: 0.5)');

-- The re-check runs only for the table its trigger names.
CREATE TEMP TABLE not_candidate (id text);
INSERT INTO not_candidate VALUES ('x');
CREATE TRIGGER misplaced AFTER UPDATE ON not_candidate FOR EACH ROW EXECUTE FUNCTION sroi.activity_recheck('candidate');
SELECT throws_ok($$UPDATE not_candidate SET id = 'y'$$, '39P01',
    'activity_recheck fires only for each row updated in candidate, not on not_candidate',
    'activity_recheck(''candidate'') fired for another table refuses to run');
DROP TRIGGER misplaced ON not_candidate;
CREATE TRIGGER misplaced AFTER UPDATE ON not_candidate FOR EACH ROW EXECUTE FUNCTION sroi.activity_recheck('not_candidate');
SELECT throws_ok($$UPDATE not_candidate SET id = 'z'$$, '39P01',
    'activity_recheck fires only for each row updated in contract or candidate, not on not_candidate',
    'activity_recheck naming a table other than contract or candidate refuses to run');
SELECT is((SELECT string_agg(t.tgname || ' ' || encode(t.tgargs, 'escape'), ', ' ORDER BY t.tgname)
             FROM pg_trigger AS t WHERE t.tgfoid = 'sroi.activity_recheck()'::regprocedure
              AND t.tgrelid IN ('sroi.contract'::regclass, 'sroi.candidate'::regclass)),
          'candidate_recheck candidate\000, contract_recheck contract\000',
    'the triggers candidate_recheck and contract_recheck run activity_recheck for their own table');
SELECT ok(NOT has_function_privilege('public', 'sroi.check_activity_rules(sroi.activity, sroi.contract, sroi.candidate, text)', 'EXECUTE')
          AND (SELECT prosecdef FROM pg_proc WHERE oid = 'sroi.activity_recheck()'::regprocedure),
    'the re-check runs as the owner; check_activity_rules is not executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
