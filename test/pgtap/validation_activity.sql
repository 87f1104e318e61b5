-- Validation of candidates, activities (fields, units, contract term, person) and
-- of plans, turnover, quarter reports and phasing (domain.md 3, 4; api.md "Errors").
-- One test per rule: the SQLSTATE (class 22 or 23) and the exact message, then
-- that the row was not stored.  Every activity a test inserts carries its own
-- evidence_ref, so "not stored" counts exactly that row.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(76);

-- Fixture -------------------------------------------------------------------
-- K1: Diemen, term 2025-01-01..2026-12-31, value EUR 1,000,000, awarded
-- 2024-12-01: on card duoplus-2024 (hire_before_start_months 12).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           tendered_on, awarded_on, starts_on, ends_on)
VALUES ('K1', 'Diemen', 'Bouwbedrijf Amstel BV', 'Renovatie gemeentehuis', 1000000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31');

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, education) VALUES
    -- Participatiewet since 2024-06-01: A2 (under 24 months) throughout 2025.
    ('P-A2',    '1985-03-15', 'participatiewet', '2024-06-01', NULL),
    -- Participatiewet since 2023-06-01: A2 on 2024-01-01, 12 months before K1 starts.
    ('P-EARLY', '1980-07-01', 'participatiewet', '2023-06-01', NULL),
    -- MBO level 2 student of 20: in the target group, fits B6 (BBL).
    ('P-MBO',   '2004-09-01', 'none', NULL, 'mbo2');

-- Candidates -----------------------------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date, benefit) VALUES ('CX', '1990-01-01', 'bijstand')$$,
    '22023', 'benefit must be one of participatiewet, ww, wia, wao, wajong, none, got ''bijstand''',
    'unknown benefit is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = 'CX'), 0::bigint, 'unknown benefit: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date, education) VALUES ('CX', '1990-01-01', 'hbo')$$,
    '22023', 'education must be one of vso, pro, mbo1, mbo2, got ''hbo''',
    'unknown education is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = 'CX'), 0::bigint, 'unknown education: not stored');

-- The only use of today: a birth date tomorrow is in the future.  Today is sroi.today(),
-- Amsterdam's day, not the session's current_date: between 23:00 and 24:00 UTC (winter)
-- current_date + 1 is Amsterdam's today, and was accepted.
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date) VALUES ('CX', sroi.today() + 1)$$,
    '22008', 'birth_date must lie from 1900-01-01 to today, got ' || (sroi.today() + 1),
    'birth_date in the future is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = 'CX'), 0::bigint, 'birth_date in the future: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('CX', '1990-01-01', 'none', '2024-01-01')$$,
    '23514', 'benefit_since must be NULL when benefit is none, got 2024-01-01',
    'benefit_since with benefit none is refused');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = 'CX'), 0::bigint, 'benefit_since with benefit none: not stored');

-- An infinite date would break every report that counts days with it.
SELECT throws_ok(
    $$INSERT INTO sroi.candidate (id, birth_date, doelgroepregister, indication_until) VALUES ('CX', '1990-01-01', true, 'infinity')$$,
    '22008', 'indication_until must be a date in the years 1 to 9999, got infinity',
    'an infinite indication_until is refused (NULL is open-ended)');
SELECT is((SELECT count(*) FROM sroi.candidate WHERE id = 'CX'), 0::bigint, 'infinite indication_until: not stored');

-- The refused activities below: one row a case (the columns and values of the INSERT
-- but evidence_ref, the case's evidence_ref, the SQLSTATE and message expected, what
-- the case is); pg_temp.refused_activity tries each: refused, and not stored (counted in
-- a volatile function: a fresh snapshot after the INSERT).
CREATE FUNCTION pg_temp.refused_activity(cols text, vals text, ref text, code text, message text,
                                         refused text, not_stored text) RETURNS SETOF text LANGUAGE plpgsql VOLATILE
    AS $f$BEGIN
        RETURN NEXT throws_ok(format('INSERT INTO sroi.activity (%s, evidence_ref) VALUES (%s, %L)', cols, vals, ref),
                              code, message, refused);
        RETURN NEXT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = ref), 0::bigint, not_stored);
    END$f$;

SELECT t FROM (VALUES
    -- Activities: contract and block ---------------------------------------------
    (1, 'contract_id, block, starts_on, hours',
     $v$'K9', 'C10', '2025-03-01', 10$v$, 'T-contract',
     '23503', 'contract_id ''K9'' does not exist',
     'an activity on an unknown contract is refused', 'unknown contract: not stored'),
    (2, 'contract_id, block, starts_on, hours',
     $v$'K1', 'Z9', '2025-03-01', 10$v$, 'T-block',
     '23503', 'block ''Z9'' is not on rate card duoplus-2024 of contract K1',
     'an activity with an unknown block is refused', 'unknown block: not stored'),
    (3, 'contract_id, block, candidate_id, starts_on',
     $v$'K1', 'BONUS12', 'P-A2', '2025-03-01'$v$, 'T-bonus-block',
     '23514', 'block BONUS12 is a bonus: claim it with bonus_56plus or bonus_special on a category A activity',
     'a bonus block used as the block is refused', 'bonus block as block: not stored'),
    -- Activities: dates ------------------------------------------------------------
    (4, 'contract_id, block, candidate_id, starts_on, ends_on',
     $v$'K1', 'A2', 'P-A2', '2025-02-01', '2025-01-31'$v$, 'T-ends',
     '23514', 'ends_on must not be before starts_on, got starts_on 2025-02-01 and ends_on 2025-01-31',
     'ends_on before starts_on is refused', 'ends_on before starts_on: not stored'),
    (5, 'contract_id, block, candidate_id, starts_on, planned_ends_on',
     $v$'K1', 'B6', 'P-MBO', '2025-02-01', '2025-01-31'$v$, 'T-planned',
     '23514', 'planned_ends_on must not be before starts_on, got starts_on 2025-02-01 and planned_ends_on 2025-01-31',
     'planned_ends_on before starts_on is refused', 'planned_ends_on before starts_on: not stored'),
    (6, 'contract_id, block, candidate_id, starts_on, ends_on',
     $v$'K1', 'A2', 'P-A2', '2025-02-01', 'infinity'$v$, 'T-ends-inf',
     '22008', 'ends_on must be a date in the years 1 to 9999, got infinity',
     'an infinite ends_on is refused (NULL is ongoing)', 'infinite ends_on: not stored'),
    -- Activities: fte ----------------------------------------------------------------
    (7, 'contract_id, block, candidate_id, fte, starts_on',
     $v$'K1', 'A2', 'P-A2', 1.5, '2025-03-01'$v$, 'T-fte-1.5',
     '22003', 'fte must be greater than 0 and at most 1, got 1.5',
     'fte 1.5 is refused', 'fte 1.5: not stored'),
    (8, 'contract_id, block, candidate_id, fte, starts_on',
     $v$'K1', 'A2', 'P-A2', 0, '2025-03-01'$v$, 'T-fte-0',
     '22003', 'fte must be greater than 0 and at most 1, got 0',
     'fte 0 is refused', 'fte 0: not stored'),
    (9, 'contract_id, block, candidate_id, fte, starts_on',
     $v$'K1', 'A2', 'P-A2', 0.88889, '2025-03-01'$v$, 'T-fte-5dec',
     '22003', 'fte must have at most 4 decimals, got 0.88889',
     'fte with 5 decimals is refused', 'fte with 5 decimals: not stored'),
    (10, 'contract_id, block, candidate_id, fte, starts_on',
     $v$'K1', 'A2', 'P-A2', NULL, '2025-03-01'$v$, 'T-fte-null',
     '22004', 'fte must be given for unit fte_period',
     'fte NULL on an fte block is refused', 'fte NULL: not stored'),
    -- Activities: agreement, hours, amount -------------------------------------------
    (11, 'contract_id, block, candidate_id, starts_on',
     $v$'K1', 'B6', 'P-MBO', '2025-03-01'$v$, 'T-agreement',
     '22004', 'an agreement needs planned_ends_on or ends_on, got neither',
     'an agreement without planned_ends_on and ends_on is refused', 'agreement without an end: not stored'),
    (12, 'contract_id, block, starts_on',
     $v$'K1', 'C10', '2025-03-01'$v$, 'T-hours-null',
     '22004', 'hours must be given for unit hour',
     'C10 without hours is refused', 'C10 without hours: not stored'),
    (13, 'contract_id, block, starts_on, hours',
     $v$'K1', 'C10', '2025-03-01', 0$v$, 'T-hours-0',
     '22003', 'hours must be greater than 0, got 0',
     'C10 with 0 hours is refused', 'C10 with 0 hours: not stored'),
    (14, 'contract_id, block, candidate_id, starts_on, hours',
     $v$'K1', 'A2', 'P-A2', '2025-03-01', 36$v$, 'T-hours-A2',
     '23514', 'hours are only recorded for hour blocks, got 36 for block A2',
     'hours on a non-hour block are refused', 'hours on a non-hour block: not stored'),
    (15, 'contract_id, block, starts_on',
     $v$'K1', 'C9', '2025-03-01'$v$, 'T-amount-null',
     '23502', 'amount must be greater than 0 for block C9, got NULL',
     'C9 without amount is refused', 'C9 without amount: not stored'),
    (16, 'contract_id, block, starts_on, amount',
     $v$'K1', 'C9', '2025-03-01', 0$v$, 'T-amount-0',
     '22003', 'amount must be greater than 0 for block C9, got 0',
     'C9 with amount 0 is refused', 'C9 with amount 0: not stored'),
    (17, 'contract_id, block, starts_on, amount',
     $v$'K1', 'C9', '2025-03-01', 2500.125$v$, 'T-amount-3dec',
     '22003', 'amount must have at most 2 decimals, got 2500.125',
     'C9 amount with 3 decimals is refused', 'C9 amount with 3 decimals: not stored'),
    (18, 'contract_id, block, starts_on, hours, amount',
     $v$'K1', 'C10', '2025-03-01', 10, 1000$v$, 'T-amount-C10',
     '23514', 'amount is only recorded for invoice and negotiated blocks, got 1000 for block C10',
     'an amount on a non-invoice block is refused', 'amount on a non-invoice block: not stored'),
    -- Activities: the contract term (K1: 2025-01-01..2026-12-31) -----------------------
    (19, 'contract_id, block, starts_on, hours',
     $v$'K1', 'C10', '2027-01-01', 10$v$, 'T-after-end',
     '23514', 'starts_on 2027-01-01 lies after the end of contract K1 (2026-12-31)',
     'an activity starting after the contract end is refused', 'start after contract end: not stored'),
    -- 12 months before 2025-01-01 is 2024-01-01: one day earlier is too early.
    (20, 'contract_id, block, candidate_id, starts_on',
     $v$'K1', 'A2', 'P-EARLY', '2023-12-31'$v$, 'T-fte-early',
     '23514', 'starts_on 2023-12-31 lies more than 12 months before the start of contract K1 (2025-01-01)',
     'an fte placement starting more than 12 months before the contract start is refused', 'fte start > 12 months early: not stored'),
    (21, 'contract_id, block, candidate_id, starts_on, planned_ends_on',
     $v$'K1', 'B6', 'P-MBO', '2023-12-31', '2025-06-30'$v$, 'T-agreement-early',
     '23514', 'starts_on 2023-12-31 lies more than 12 months before the start of contract K1 (2025-01-01)',
     'an agreement starting more than 12 months before the contract start is refused', 'agreement start > 12 months early: not stored')
) AS c (n, cols, vals, ref, code, message, refused, not_stored)
CROSS JOIN LATERAL pg_temp.refused_activity(c.cols, c.vals, c.ref, c.code, c.message, c.refused, c.not_stored)
     WITH ORDINALITY AS x (t, k)
ORDER BY c.n, x.k;

SELECT lives_ok(
    $$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
      VALUES ('K1', 'A2', 'P-EARLY', 0.5, '2024-01-01', 'T-fte-12m')$$,
    'an fte placement starting exactly 12 months before the contract start is accepted');
SELECT is((SELECT count(*) FROM sroi.activity WHERE evidence_ref = 'T-fte-12m'), 1::bigint, 'start exactly 12 months early: stored');

SELECT t FROM (VALUES
    (1, 'contract_id, block, starts_on, hours',
     $v$'K1', 'C10', '2024-12-31', 10$v$, 'T-hours-early',
     '23514', 'starts_on 2024-12-31 lies before the start of contract K1 (2025-01-01)',
     'C10 hours dated before the contract start are refused', 'C10 before the contract start: not stored'),
    -- Activities: the person -----------------------------------------------------------
    (2, 'contract_id, block, starts_on',
     $v$'K1', 'A2', '2025-03-01'$v$, 'T-no-candidate-A',
     '23502', 'candidate_id is required for block A2 (category A)',
     'a category A block without candidate is refused', 'A block without candidate: not stored'),
    (3, 'contract_id, block, starts_on, planned_ends_on',
     $v$'K1', 'B6', '2025-03-01', '2025-12-31'$v$, 'T-no-candidate-B',
     '23502', 'candidate_id is required for block B6 (category B)',
     'a category B block without candidate is refused', 'B block without candidate: not stored'),
    (4, 'contract_id, block, candidate_id, starts_on',
     $v$'K1', 'A2', 'NOBODY', '2025-03-01'$v$, 'T-unknown-candidate',
     '23503', 'candidate_id ''NOBODY'' does not exist',
     'an unknown candidate is refused', 'unknown candidate: not stored'),
    (5, 'contract_id, block, candidate_id, starts_on, planned_ends_on, bonus_special',
     $v$'K1', 'B6', 'P-MBO', '2025-03-01', '2025-12-31', true$v$, 'T-bonus-B',
     '23514', 'a bonus can only be claimed on a category A activity, block B6 is category B',
     'a bonus on a category B activity is refused', 'bonus on a B block: not stored'),
    (6, 'contract_id, block, starts_on, hours, bonus_56plus',
     $v$'K1', 'C10', '2025-03-01', 10, true$v$, 'T-bonus-C',
     '23514', 'a bonus can only be claimed on a category A activity, block C10 is category C',
     'a bonus on a category C activity is refused', 'bonus on a C block: not stored')
) AS c (n, cols, vals, ref, code, message, refused, not_stored)
CROSS JOIN LATERAL pg_temp.refused_activity(c.cols, c.vals, c.ref, c.code, c.message, c.refused, c.not_stored)
     WITH ORDINALITY AS x (t, k)
ORDER BY c.n, x.k;

-- Plans, turnover, quarter reports, phasing ------------------------------------------
SELECT throws_ok(
    $$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('K1', '2025-Q1', 'Z9', 1000)$$,
    '23503', 'block ''Z9'' is not on rate card duoplus-2024 of contract K1',
    'a plan line with an unknown block is refused');
SELECT is((SELECT count(*) FROM sroi.plan WHERE contract_id = 'K1'), 0::bigint, 'plan with unknown block: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('K1', '2025-Q1', 'A2', -1)$$,
    '22003', 'planned_value must be from 0 to 999999999999.99, got -1',
    'a negative planned_value is refused');
SELECT is((SELECT count(*) FROM sroi.plan WHERE contract_id = 'K1'), 0::bigint, 'negative planned_value: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('K1', '2025-Q1', -1)$$,
    '22003', 'amount must be from 0 to 999999999999.99, got -1',
    'negative turnover is refused');
SELECT is((SELECT count(*) FROM sroi.turnover WHERE contract_id = 'K1'), 0::bigint, 'negative turnover: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K1', '2025-Q2', '2025-03-31')$$,
    '23514', 'submitted_on 2025-03-31 lies before quarter 2025-Q2 began',
    'a quarter report submitted before the quarter began is refused');
SELECT is((SELECT count(*) FROM sroi.quarter_report WHERE contract_id = 'K1'), 0::bigint, 'report before the quarter: not stored');

SELECT throws_ok(
    $$INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('K1', '2025-07-01', 1.5)$$,
    '22003', 'cumulative_share must be from 0 to 1, got 1.5',
    'a phasing share above 1 is refused');
SELECT is((SELECT count(*) FROM sroi.phasing WHERE contract_id = 'K1'), 0::bigint, 'phasing share above 1: not stored');

SELECT * FROM finish();
ROLLBACK;
