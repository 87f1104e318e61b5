-- Monitoring, part 2: the status of a contract (not_applicable, fulfilled, on_track,
-- at_risk, behind) and intensify; PSO discount and its expiry; the turnover basis; a
-- phasing schedule against linear expected; gap, pct_realised, projected_at_end and
-- penalty_exposure; plan, deviation and report status per quarter; municipality_quarter
-- and overdue_items.  All figures come from the functions with a fixed as-of date; every
-- expected number is computed by hand in the comment beside it.
-- Rate card duoplus-2024: A1 30000, A2 40000, A3 15000 per 12 months, B5 10000 per 24
-- months, C10 100 per hour; threshold 200000, default 5 %, at_risk from 75 % of expected,
-- projection from 10 % of the term, reports due 30 days after the quarter, kick-off 14 days.
-- Unless stated, a term is 2025-01-01..2025-12-31 = 365 days, so linear expected is
-- obligation x days(2025-01-01, as_of) / 365: 2025-03-31 = 90 days, 2025-06-30 = 181 days.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(47);

INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           kickoff_on, obligation_pct, obligation_amount, basis, pso_rung, pso_approved,
                           pso_valid_until, labour_share, penalty_pct, penalty_waived_reason) VALUES
    -- Diemen
    ('S-NA',   'Diemen', 'Alfa BV', 'exactly the threshold', 200000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('S-FUL',  'Diemen', 'Beta BV', 'fulfilled', 300000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('S-ON',   'Diemen', 'Gamma BV', 'on track', 400000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('S-RISK', 'Diemen', 'Delta BV', 'at risk', 400000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 50, NULL),
    ('S-BEH',  'Diemen', 'Epsilon BV', 'behind', 400000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, 'force majeure: flood'),
    -- Uithoorn
    ('F1',     'Uithoorn', 'Zeta BV', 'phased', 456789.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('L1',     'Uithoorn', 'Eta BV', 'linear', 456789.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('P-APP',  'Uithoorn', 'Theta BV', 'PSO approved', 1234567.89, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', '2', true, '2025-03-31', 0.6, 100, NULL),
    ('P-NOT',  'Uithoorn', 'Iota BV', 'PSO not approved', 1234567.89, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, NULL, 'contract_value', '2', false, '2025-03-31', 0.6, 100, NULL),
    ('S-EDGE', 'Uithoorn', 'Kappa BV', 'at_risk boundary', 400000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', NULL, 20000.00, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    -- Ouder-Amstel
    ('T1',     'Ouder-Amstel', 'Lambda BV', 'turnover basis', 500000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', 3, NULL, 'turnover', 'none', false, NULL, 1, 100, NULL),
    -- R1 and K-* agree 5 % although at or under the threshold: kick-offs and reports are
    -- only due where there is an obligation (decision in sroi.overdue_items).
    ('R1',     'Ouder-Amstel', 'Mu BV', 'reports', 200000.00, '2024-12-01', '2025-01-01', '2025-12-31',
     '2024-12-10', 5, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('K-MISS', 'Ouder-Amstel', 'Nu BV', 'kick-off missing', 100000.00, '2025-12-01', '2026-01-01', '2026-12-31',
     NULL, 5, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('K-LATE', 'Ouder-Amstel', 'Xi BV', 'kick-off late', 100000.00, '2025-12-01', '2026-01-01', '2026-12-31',
     '2025-12-20', 5, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL),
    ('K-OK',   'Ouder-Amstel', 'Omicron BV', 'kick-off on time', 100000.00, '2025-12-01', '2026-01-01', '2026-12-31',
     '2025-12-15', 5, NULL, 'contract_value', 'none', false, NULL, 1, 100, NULL);

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES
    ('C1', '1991-01-01', 'participatiewet', '2024-10-01'),  -- A2: 3 months on benefit at start
    ('C2', '1982-02-02', 'participatiewet', '2020-01-01'),  -- A1: 60 months on benefit at start
    ('C3', '1979-03-03', 'ww',              '2024-01-01'),  -- A3: WW 12 months at start (> 6)
    ('C4', '1968-04-04', 'wao',             '2015-01-01');  -- B5: WAO

INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref) VALUES
    ('S-FUL',  'A2', 'C1', 1, '2025-01-01', '2025-06-30', 'ful-a2'),
    ('S-ON',   'A1', 'C2', 1, '2025-01-01', NULL, 'on-a1'),
    ('S-RISK', 'A3', 'C3', 1, '2025-01-01', NULL, 'risk-a3'),
    ('S-BEH',  'B5', 'C4', 1, '2025-01-01', NULL, 'beh-b5');
INSERT INTO sroi.activity (contract_id, block, fte, starts_on, hours, amount, evidence_ref) VALUES
    ('S-NA',   'C10', NULL, '2025-02-14', 10, NULL, 'na-c10'),
    ('S-FUL',  'C11', NULL, '2025-05-20', NULL, 999.99, 'ful-c11'),
    ('F1',     'C10', NULL, '2025-05-05', 30, NULL, 'f1-c10'),
    ('L1',     'C10', NULL, '2025-05-05', 30, NULL, 'l1-c10'),
    ('T1',     'C10', NULL, '2025-02-03', 40, NULL, 't1-c10'),
    ('S-EDGE', 'M',   NULL, '2025-03-01', NULL, 7500.00, 'edge-m');
SELECT lives_ok($$SELECT sroi.approve((SELECT id FROM sroi.activity WHERE evidence_ref = 'edge-m'), 'coordinator')$$,
                'approve the M project of S-EDGE');

-- Values of the activities:
--  S-NA  C10 10 h on 02-14: 100 x 10 = 1000.00
--  S-FUL A2 1 fte 01-01..06-30: 40000 x 6/12 = 20000.00 (Q1: 40000 x 3/12 = 10000.00); C11 999.99 pending
--  S-ON  A1 1 fte from 01-01: V(03-31) = 30000 x 3/12 = 7500.00, V(06-30) = 30000 x 6/12 = 15000.00
--  S-RISK A3 1 fte from 01-01: V(03-31) = 15000 x 3/12 = 3750.00, V(06-30) = 7500.00
--  S-BEH B5 1 fte from 01-01: V(03-31) = 10000 x 3/24 = 1250.00, V(06-30) = 10000 x 6/24 = 2500.00
--  F1, L1 C10 30 h on 05-05: 3000.00 each;  T1 C10 40 h on 02-03: 4000.00;  S-EDGE M 7500.00 on 03-01

-- Phasing of F1 (stepwise cumulative shares) and of S-EDGE.
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES
    ('F1', '2025-01-01', 0), ('F1', '2025-04-01', 0.1), ('F1', '2025-07-01', 0.3333),
    ('F1', '2025-10-01', 0.75), ('F1', '2025-12-31', 1),
    ('S-EDGE', '2025-01-01', 0.25), ('S-EDGE', '2025-07-01', 0.5);
-- Turnover of T1.
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES
    ('T1', '2025-Q1', 123456.78), ('T1', '2025-Q2', 98765.43);
-- Plan of S-ON: two blocks in Q1, one in Q2.
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES
    ('S-ON', '2025-Q1', 'A1', 8000.00), ('S-ON', '2025-Q1', 'C10', 500.00), ('S-ON', '2025-Q2', 'A1', 6000.50);
-- Report of R1 for Q1, due 2025-03-31 + 30 days = 2025-04-30.
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('R1', '2025-Q1', '2025-04-30');

-- ---------------------------------------------------------------------------------
-- 1. One contract per status, as of 2025-06-30 (181 of 365 days).
SELECT results_eq(
    $$SELECT obligation_gross, pso_discount, obligation, realised, pending, expected_to_date, gap,
             pct_realised, status, projected_at_end, penalty_exposure
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'S-NA'$$,
    $$VALUES (0.00,            -- 200000.00 is not strictly above the threshold: no obligation
              0.00, 0.00,      -- no PSO; obligation 0.00 - 0.00
              1000.00,         -- C10 10 h x 100
              0.00,            -- nothing awaits approval
              0.00,            -- 0.00 x 181/365
              0.00,            -- max(0, 0.00 - 1000.00)
              NULL::numeric,   -- obligation 0: no percentage
              'not_applicable',
              2016.57,         -- 1000.00 x 365/181 = 2016.574
              0.00)            -- gap 0.00 x 100 %
    $$,
    'S-NA: contract value 200000.00 exactly has no obligation: not_applicable, pct NULL');

SELECT results_eq(
    $$SELECT obligation, realised, pending, expected_to_date, gap, pct_realised, status, projected_at_end,
             penalty_exposure
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'S-FUL'$$,
    $$VALUES (15000.00,   -- 300000 x 5/100
              20000.00,   -- A2 40000 x 1 x 6/12
              999.99,     -- C11 invoice not approved
              7438.36,    -- 15000 x 181/365 = 7438.356
              0.00,       -- max(0, 15000.00 - 20000.00)
              133.3,      -- 100 x 20000 / 15000 = 133.33
              'fulfilled',-- 20000.00 >= 15000.00
              40331.49,   -- 20000.00 x 365/181 = 40331.492
              0.00)       -- gap 0.00
    $$,
    'S-FUL: realised above the obligation: fulfilled');

SELECT results_eq(
    $$SELECT obligation, realised, expected_to_date, gap, pct_realised, status, projected_at_end, penalty_exposure
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'S-ON'$$,
    $$VALUES (20000.00,   -- 400000 x 5/100
              15000.00,   -- A1 30000 x 6/12
              9917.81,    -- 20000 x 181/365 = 9917.808
              5000.00,    -- 20000.00 - 15000.00
              75.0,       -- 100 x 15000 / 20000
              'on_track', -- 15000.00 >= 9917.81
              30248.62,   -- 15000.00 x 365/181 = 30248.619
              5000.00)    -- 5000.00 x 100/100
    $$,
    'S-ON: realised at or above expected: on_track');

SELECT results_eq(
    $$SELECT obligation, realised, expected_to_date, gap, pct_realised, status, projected_at_end, penalty_exposure
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'S-RISK'$$,
    $$VALUES (20000.00,   -- 400000 x 5/100
              7500.00,    -- A3 15000 x 6/12
              9917.81,    -- 20000 x 181/365
              12500.00,   -- 20000.00 - 7500.00
              37.5,       -- 100 x 7500 / 20000
              'at_risk',  -- 7500.00 / 9917.81 = 75.6 %: >= 75 %, < 100 %
              15124.31,   -- 7500.00 x 365/181 = 15124.309
              6250.00)    -- penalty 50 %: 12500.00 x 50/100
    $$,
    'S-RISK: realised between 75 % and 100 % of expected: at_risk; penalty 50 %');

SELECT results_eq(
    $$SELECT obligation, realised, expected_to_date, gap, pct_realised, status, projected_at_end, penalty_exposure
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'S-BEH'$$,
    $$VALUES (20000.00,   -- 400000 x 5/100
              2500.00,    -- B5 10000 x 6/24
              9917.81,    -- 20000 x 181/365
              17500.00,   -- 20000.00 - 2500.00
              12.5,       -- 100 x 2500 / 20000
              'behind',   -- 2500.00 / 9917.81 = 25.2 % < 75 %
              5041.44,    -- 2500.00 x 365/181 = 5041.436
              0.00)       -- penalty waived (force majeure)
    $$,
    'S-BEH: below 75 % of expected: behind; waived penalty is 0');

-- 2. The at_risk boundary: exactly 75 % of expected is at_risk, a cent less is behind.
--    S-EDGE: obligation_amount 20000.00; phasing 0.5 from 2025-07-01: expected 20000 x 0.5 = 10000.00
SELECT results_eq(
    $$SELECT obligation, expected_to_date, realised, status FROM sroi.compliance('2025-07-01')
       WHERE contract_id = 'S-EDGE'$$,
    $$VALUES (20000.00, 10000.00, 7500.00, 'at_risk')  -- 7500.00 = 75 % of 10000.00
    $$,
    'S-EDGE: realised exactly 75 % of expected is at_risk');

-- 3. PSO discount: rung 2 approved, labour share 0.6, versus the same not approved.
--    gross 1234567.89 x 5/100 = 61728.3945 -> 61728.39
SELECT results_eq(
    $$SELECT contract_id, obligation_gross, pso_discount, obligation, expected_to_date, pso_expired
        FROM sroi.compliance('2025-06-30') WHERE contract_id IN ('P-APP', 'P-NOT') ORDER BY contract_id$$,
    $$VALUES ('P-APP', 61728.39,
              9259.26,    -- 61728.39 x 0.6 x 25/100 = 9259.2585 -> 9259.26
              52469.13,   -- 61728.39 - 9259.26
              26018.94,   -- 52469.13 x 181/365 = 26018.940
              true),      -- approved and valid until 2025-03-31 < 2025-06-30
             ('P-NOT', 61728.39,
              0.00,       -- not approved: no discount
              61728.39,
              30610.52,   -- 61728.39 x 181/365 = 30610.518
              false)      -- not approved: nothing to flag
    $$,
    'PSO rung 2 approved discounts 25 % of the labour component; not approved: no discount');

SELECT is(
    (SELECT pso_expired FROM sroi.compliance('2025-03-31') WHERE contract_id = 'P-APP'),
    false,
    'pso_expired is false on the last day of validity, 2025-03-31');

SELECT results_eq(
    $$SELECT kind, contract_id, due_on FROM sroi.overdue_items('2025-06-30') WHERE kind = 'pso_expired'$$,
    $$VALUES ('pso_expired', 'P-APP', date '2025-03-31')$$,
    'overdue_items flags the expired PSO certificate of P-APP only');

-- The discount stays after expiry until the coordinator withdraws it.
SELECT lives_ok($$SELECT sroi.withdraw_pso('P-APP', 'coordinator', 'certificate expired')$$,
                'withdraw the PSO discount of P-APP');
SELECT results_eq(
    $$SELECT pso_discount, obligation, pso_expired FROM sroi.compliance('2025-06-30') WHERE contract_id = 'P-APP'$$,
    $$VALUES (0.00, 61728.39, false)  -- withdrawn: 61728.39 - 0.00, nothing to flag
    $$,
    'after withdrawal: no discount, no flag');
SELECT lives_ok($$SELECT sroi.approve_pso('P-APP', 'coordinator', 'new certificate')$$,
                'approve the PSO discount of P-APP again');

-- 4. Turnover basis: T1 3 % of the turnover of the quarters up to the as-of date.
SELECT results_eq(
    $$SELECT obligation_gross, obligation, expected_to_date, realised, gap, pct_realised, status
        FROM sroi.compliance('2025-03-31') WHERE contract_id = 'T1'$$,
    $$VALUES (3703.70,    -- 3/100 x 123456.78 = 3703.7034 -> 3703.70
              3703.70, 3703.70,  -- no PSO; expected = the obligation to date
              4000.00,    -- C10 40 h x 100
              0.00,       -- max(0, 3703.70 - 4000.00)
              108.0,      -- 100 x 4000 / 3703.70 = 108.000
              'on_track') -- 4000.00 >= 3703.70, but before the end date 2025-12-31 the
                          -- obligation still grows: at best on_track (domain.md 7.6)
    $$,
    'T1 as of 2025-03-31: obligation from Q1 turnover');

SELECT results_eq(
    $$SELECT obligation_gross, obligation, expected_to_date, realised, gap, pct_realised, status
        FROM sroi.compliance('2025-06-30') WHERE contract_id = 'T1'$$,
    $$VALUES (6666.67,    -- 3/100 x (123456.78 + 98765.43 = 222222.21) = 6666.6663 -> 6666.67
              6666.67, 6666.67,
              4000.00,
              2666.67,    -- 6666.67 - 4000.00
              60.0,       -- 100 x 4000 / 6666.67 = 59.99997 -> 60.0
              'behind')   -- 4000.00 / 6666.67 = 60 % < 75 %
    $$,
    'T1 as of 2025-06-30: obligation from Q1 and Q2 turnover');

-- (decision) "the quarters up to the as-of date" includes the as-of date's own quarter once
-- its turnover is reported: as of 2025-05-15 Q2 counts.
SELECT results_eq(
    $$SELECT obligation, expected_to_date FROM sroi.compliance('2025-05-15') WHERE contract_id = 'T1'$$,
    $$VALUES (6666.67, 6666.67)  -- 3/100 x (123456.78 + 98765.43) = 6666.6663 -> 6666.67
    $$,
    'T1 as of 2025-05-15: the reported turnover of the current quarter counts');

SELECT results_eq(
    $$SELECT obligation, expected_to_date FROM sroi.compliance('2025-09-30') WHERE contract_id = 'T1'$$,
    $$VALUES (6666.67, 6666.67)  -- no Q3 turnover reported: still 3/100 x 222222.21
    $$,
    'T1 as of 2025-09-30: a quarter without reported turnover adds nothing');

-- 5. Phasing (F1) against linear (L1), same obligation 456789 x 5/100 = 22839.45.
SELECT results_eq(
    $$SELECT d.as_of, f.expected_to_date, l.expected_to_date
        FROM (VALUES (date '2025-03-31'), (date '2025-06-30'), (date '2025-07-01'), (date '2025-12-31')) AS d (as_of)
        JOIN LATERAL sroi.compliance(d.as_of) AS f ON f.contract_id = 'F1'
        JOIN LATERAL sroi.compliance(d.as_of) AS l ON l.contract_id = 'L1'
       ORDER BY d.as_of$$,
    $$VALUES (date '2025-03-31', 0.00,     5631.65),
             -- F1: share 0 from 01-01: 0.00;  L1: 22839.45 x 90/365 = 5631.645 -> 5631.65
             (date '2025-06-30', 2283.95,  11325.86),
             -- F1: share 0.1 from 04-01: 22839.45 x 0.1 = 2283.945 -> 2283.95
             -- L1: 22839.45 x 181/365 = 11325.858 -> 11325.86
             (date '2025-07-01', 7612.39,  11388.44),
             -- F1: share 0.3333 from 07-01: 22839.45 x 0.3333 = 7612.3887 -> 7612.39
             -- L1: 22839.45 x 182/365 = 11388.438 -> 11388.44
             (date '2025-12-31', 22839.45, 22839.45)
             -- F1: share 1 from 12-31;  L1: 22839.45 x 365/365
    $$,
    'expected to date: stepwise phasing schedule against linear by days');

-- 6. Projection: NULL before 10 % of the term (36.5 of 365 days), then realised x 365 / elapsed.
SELECT results_eq(
    $$SELECT d.as_of, c.realised, c.projected_at_end
        FROM (VALUES (date '2025-02-05'), (date '2025-02-06')) AS d (as_of)
        JOIN LATERAL sroi.compliance(d.as_of) AS c ON c.contract_id = 'S-ON'
       ORDER BY d.as_of$$,
    $$VALUES (date '2025-02-05', 2946.43, NULL::numeric),
             -- M(01-01, 02-05) = 1 + 5/28: 30000 x (33/28)/12 = 2946.429; 36 days < 36.5: no projection
             (date '2025-02-06', 3035.71, 29946.87)
             -- M(01-01, 02-06) = 1 + 6/28: 30000 x (34/28)/12 = 3035.714; 37 days >= 36.5:
             -- 3035.71 x 365/37 = 29946.869 -> 29946.87
    $$,
    'projected_at_end appears once 10 % of the term has passed');

-- ---------------------------------------------------------------------------------
-- 7. Quarterly progress as of 2025-06-30: planned, deviation, status and intensify.
--    Linear expected: Q1 end 20000 x 90/365 = 4931.507 -> 4931.51; Q2 end 9917.81.
SELECT results_eq(
    $$SELECT quarter::text, planned, realised, realised_cum, expected_cum, deviation, deviation_cum,
             status, intensify
        FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'S-ON' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 8500.00, 7500.00, 7500.00, 4931.51, -1000.00, -1000.00, 'on_track', false),
             -- planned 8000.00 (A1) + 500.00 (C10); deviation 7500.00 - 8500.00 = -1000.00
             ('2025-Q2', 6000.50, 7500.00, 15000.00, 9917.81, 1499.50, 499.50, 'on_track', false)
             -- deviation 7500.00 - 6000.50 = 1499.50; cum 15000.00 - (8500.00 + 6000.50 = 14500.50) = 499.50
    $$,
    'S-ON quarters: plan beside realised, deviation per quarter and cumulative');

SELECT results_eq(
    $$SELECT quarter::text, planned, realised, realised_cum, expected_cum, deviation, deviation_cum,
             status, intensify
        FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'S-BEH' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 0.00, 1250.00, 1250.00, 4931.51, 1250.00, 1250.00, 'behind', false),
             -- B5 10000 x 3/24 = 1250.00 < 75 % of 4931.51 = 3698.63; no plan: deviation = realised
             ('2025-Q2', 0.00, 1250.00, 2500.00, 9917.81, 1250.00, 2500.00, 'behind', true)
             -- 2500.00 < 75 % of 9917.81 = 7438.36: behind at two consecutive quarter ends: intensify
    $$,
    'S-BEH quarters: behind at Q1 and Q2 ends: intensify at Q2');

SELECT results_eq(
    $$SELECT quarter::text, realised_cum, expected_cum, status, intensify
        FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'S-RISK' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 3750.00, 4931.51, 'at_risk', false),  -- 3750.00 / 4931.51 = 76.0 %
             ('2025-Q2', 7500.00, 9917.81, 'at_risk', false)   -- 7500.00 / 9917.81 = 75.6 %
    $$,
    'S-RISK quarters: at_risk both quarters, no intensify');

SELECT results_eq(
    $$SELECT contract_id, quarter::text, realised_cum, expected_cum, status, intensify
        FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id IN ('F1', 'L1') ORDER BY contract_id, quarter$$,
    $$VALUES ('F1', '2025-Q1', 0.00,    0.00,     'on_track', false),  -- share 0: 0.00 >= 0.00
             ('F1', '2025-Q2', 3000.00, 2283.95,  'on_track', false),  -- 3000.00 >= 22839.45 x 0.1
             ('L1', '2025-Q1', 0.00,    5631.65,  'behind',   false),  -- 0 < 75 % of 22839.45 x 90/365
             ('L1', '2025-Q2', 3000.00, 11325.86, 'behind',   true)    -- 3000.00 < 75 % of 11325.86 = 8494.40
    $$,
    'same activity, phasing on track, linear behind twice: intensify');

SELECT results_eq(
    $$SELECT quarter::text, obligation, expected_cum, realised_cum, status, intensify
        FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'T1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 3703.70, 3703.70, 4000.00, 'on_track', false),   -- 3/100 x 123456.78; 4000.00 >= it,
                                                                           -- before the end date: on_track (7.6)
             ('2025-Q2', 6666.67, 6666.67, 4000.00, 'behind', false)      -- 3/100 x 222222.21; once behind
    $$,
    'T1 quarters: obligation to date at each quarter end');

SELECT results_eq(
    $$SELECT quarter::text, realised, realised_cum, expected_cum, status FROM sroi.quarterly_progress('2025-05-15')
       WHERE contract_id = 'S-ON' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 7500.00, 7500.00, 4931.51, 'on_track'),
             ('2025-Q2', 3709.68, 11209.68, 7397.26, 'on_track')
             -- the current quarter is measured at the as-of date 05-15: M(01-01, 05-15) = 4 + 15/31,
             -- V = 30000 x (139/31)/12 = 11209.677 -> 11209.68, minus 7500.00 = 3709.68;
             -- expected 20000 x 135/365 = 7397.260 -> 7397.26
    $$,
    'the current quarter is measured at the as-of date');

-- 8. Report status, 30-day rule: Q1 (ends 2025-03-31) is due 2025-04-30.
SELECT results_eq(
    $$SELECT quarter::text, report_status FROM sroi.quarterly_progress('2025-05-01')
       WHERE contract_id = 'R1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 'submitted'),  -- submitted 2025-04-30 <= due 2025-04-30
             ('2025-Q2', 'not_due')     -- Q2 due 2025-07-30
    $$,
    'report submitted on the due date: submitted');

UPDATE sroi.quarter_report SET submitted_on = '2025-05-01' WHERE contract_id = 'R1' AND quarter::text = '2025-Q1';
SELECT is(
    (SELECT report_status FROM sroi.quarterly_progress('2025-05-01') WHERE contract_id = 'R1' AND quarter::text = '2025-Q1'),
    'late',  -- 2025-05-01 > due 2025-04-30
    'report submitted a day after the due date: late');
SELECT results_eq(
    -- (R1 has no accorded plan either: its plan_missing item is tested in steering_plan.sql)
    $$SELECT kind, quarter::text, due_on FROM sroi.overdue_items('2025-05-01') WHERE contract_id = 'R1' AND kind LIKE 'report%'$$,
    $$VALUES ('report_late', '2025-Q1', date '2025-04-30')$$,
    'overdue_items lists the late report');
SELECT is(
    (SELECT report_status FROM sroi.quarterly_progress('2025-04-30') WHERE contract_id = 'R1' AND quarter::text = '2025-Q1'),
    'not_due',  -- as of 2025-04-30 the report (received 05-01) was not in, and not yet due
    'as of the due date, a report received the next day is not_due, not late');

DELETE FROM sroi.quarter_report WHERE contract_id = 'R1';
SELECT is(
    (SELECT report_status FROM sroi.quarterly_progress('2025-05-01') WHERE contract_id = 'R1' AND quarter::text = '2025-Q1'),
    'overdue',  -- missing, and 2025-05-01 > due 2025-04-30
    'report missing the day after the due date: overdue');
SELECT is(
    (SELECT report_status FROM sroi.quarterly_progress('2025-04-30') WHERE contract_id = 'R1' AND quarter::text = '2025-Q1'),
    'not_due',  -- missing, but 2025-04-30 is the due date itself
    'report missing on the due date: not_due');
SELECT results_eq(
    -- (R1 has no accorded plan either: its plan_missing item is tested in steering_plan.sql)
    $$SELECT kind, quarter::text, due_on FROM sroi.overdue_items('2025-05-01') WHERE contract_id = 'R1' AND kind LIKE 'report%'$$,
    $$VALUES ('report_overdue', '2025-Q1', date '2025-04-30')$$,
    'overdue_items lists the overdue report');
SELECT is_empty(
    $$SELECT * FROM sroi.overdue_items('2025-04-30') WHERE contract_id = 'R1' AND kind LIKE 'report%'$$,
    'no report overdue for R1 on the due date');

-- ---------------------------------------------------------------------------------
-- 9. Municipality per quarter, as of 2025-06-30.  obligation: the obligations of the
--    contracts running in the quarter (as of 2025-06-30); contracts_behind at the quarter end.
SELECT results_eq(
    $$SELECT municipality, quarter::text, contracts, obligation, realised, pending, contracts_behind
        FROM sroi.municipality_quarter('2025-06-30') ORDER BY municipality, quarter$$,
    $$VALUES ('Diemen', '2025-Q1', 5, 75000.00, 23500.00, 0.00, 1),
             -- S-NA, S-FUL, S-ON, S-RISK, S-BEH: 0.00 + 15000.00 + 20000.00 x 3 = 75000.00
             -- realised 1000.00 + 10000.00 + 7500.00 + 3750.00 + 1250.00 = 23500.00; behind: S-BEH
             ('Diemen', '2025-Q2', 5, 75000.00, 22500.00, 999.99, 1),
             -- realised 10000.00 + 7500.00 + 3750.00 + 1250.00 = 22500.00; pending C11 999.99; S-BEH
             ('Ouder-Amstel', '2025-Q1', 2, 16666.67, 4000.00, 0.00, 1),
             -- T1 and R1 (K-* start in 2026): 6666.67 (T1 as of 06-30) + 10000.00 (R1: 200000 x 5 %);
             -- T1 C10 4000.00; T1 on_track (turnover basis, before its end: 7.6); R1 behind (0.00 < 10000 x 90/365 = 2465.75)
             ('Ouder-Amstel', '2025-Q2', 2, 16666.67, 0.00, 0.00, 2),
             -- T1 behind; R1 behind (0.00 < 10000 x 181/365 = 4958.90)
             -- nothing earned in Q2; T1 behind
             ('Uithoorn', '2025-Q1', 5, 179876.42, 7500.00, 0.00, 3),
             -- F1, L1, P-APP, P-NOT, S-EDGE: 22839.45 + 22839.45 + 52469.13 + 61728.39 + 20000.00 = 179876.42
             -- realised: S-EDGE M 7500.00; behind: L1, P-APP, P-NOT (0.00 realised, expected > 0)
             ('Uithoorn', '2025-Q2', 5, 179876.42, 6000.00, 0.00, 3)
             -- F1 3000.00 + L1 3000.00; behind: L1, P-APP, P-NOT (S-EDGE 7500.00 >= 20000 x 0.25)
    $$,
    'municipality_quarter as of 2025-06-30');

-- 10. overdue_items: intensify and kick-off.
SELECT results_eq(
    $$SELECT contract_id, quarter::text, due_on FROM sroi.overdue_items('2025-06-30')
       WHERE kind = 'intensify' ORDER BY contract_id$$,
    $$VALUES ('L1',    '2025-Q2', date '2025-06-30'),  -- behind at Q1 and Q2 ends (see 7.)
             ('P-APP', '2025-Q2', date '2025-06-30'),  -- nothing realised, expected > 0 both quarters
             ('P-NOT', '2025-Q2', date '2025-06-30'),
             ('R1',    '2025-Q2', date '2025-06-30'),  -- nothing realised, behind at Q1 and Q2 ends
             ('S-BEH', '2025-Q2', date '2025-06-30')
    $$,
    'overdue_items: intensify for the contracts behind at two consecutive quarter ends');

--    K-* awarded 2025-12-01: kick-off due 12-01 + 14 = 2025-12-15.  K-OK held it on 12-15 (on
--    time), K-LATE on 12-20, K-MISS not at all; the 2024 awards had theirs on 2024-12-10.
-- S-NA (exactly 200000.00, no obligation) has no Q1 report, due 2025-04-30: without an
-- obligation nothing is due, so nothing is listed.
SELECT is_empty(
    $$SELECT * FROM sroi.overdue_items('2025-06-30') WHERE contract_id = 'S-NA'$$,
    'no reports or kick-off are due from a contract without an obligation');

SELECT is_empty(
    $$SELECT * FROM sroi.overdue_items('2025-12-15') WHERE kind LIKE 'kickoff%'$$,
    'no kick-off flagged on day 14 after award (2025-12-15), the due date itself');

SELECT results_eq(
    $$SELECT kind, contract_id, due_on FROM sroi.overdue_items('2025-12-16') WHERE kind LIKE 'kickoff%'
       ORDER BY contract_id$$,
    $$VALUES ('kickoff_missing', 'K-LATE', date '2025-12-15'),  -- 12-16 > 12-15, not held until 12-20
             ('kickoff_missing', 'K-MISS', date '2025-12-15')   -- 12-16 > 12-15, none recorded
    $$,
    'overdue_items as of 2025-12-16: both kick-offs missing (K-LATE''s meeting lies after the as-of date)');

SELECT results_eq(
    $$SELECT kind, contract_id, due_on FROM sroi.overdue_items('2025-12-31') WHERE kind LIKE 'kickoff%'
       ORDER BY contract_id$$,
    $$VALUES ('kickoff_late',    'K-LATE', date '2025-12-15'),  -- held 2025-12-20 > 12-15 (19 days after award)
             ('kickoff_missing', 'K-MISS', date '2025-12-15')   -- none by 2025-12-31 > 12-15
    $$,
    'overdue_items as of 2025-12-31: kick-off late and missing with the 14-day rule');

-- Intensify needs two quarter ends: a quarter still running on the as-of date has none yet.
SELECT results_eq(
    $$SELECT quarter::text, realised_cum, expected_cum, status, intensify
        FROM sroi.quarterly_progress('2025-04-10') WHERE contract_id = 'L1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 0.00, 5631.65, 'behind', false),  -- 22839.45 x 90/365; first quarter end
             ('2025-Q2', 0.00, 6257.38, 'behind', false)   -- at 04-10: 22839.45 x 100/365 = 6257.383;
                                                            -- behind, but Q2 has not ended
    $$,
    'L1 as of 2025-04-10: behind at the Q1 end and on 04-10 is not yet intensify');
SELECT is_empty(
    $$SELECT * FROM sroi.overdue_items('2025-04-10') WHERE kind = 'intensify'$$,
    'overdue_items as of 2025-04-10: nobody to intensify yet (only one quarter end passed)');

SELECT results_eq(
    $$SELECT quarter::text, realised_cum, expected_cum, status, intensify
        FROM sroi.quarterly_progress('2025-07-15') WHERE contract_id = 'S-BEH' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 1250.00, 4931.51, 'behind', false),
             ('2025-Q2', 2500.00, 9917.81, 'behind', true),
             ('2025-Q3', 2701.61, 10739.73, 'behind', false)
             -- at 07-15: B5 10000 x M(01-01, 07-15) = 6 + 15/31 / 24 = 2701.613 -> 2701.61;
             -- expected 20000 x 196/365 = 10739.726 -> 10739.73; Q3 has not ended
    $$,
    'S-BEH as of 2025-07-15: intensify stays on the last ended quarter');
SELECT results_eq(
    $$SELECT quarter::text, due_on FROM sroi.overdue_items('2025-07-15')
       WHERE kind = 'intensify' AND contract_id = 'S-BEH'$$,
    $$VALUES ('2025-Q2', date '2025-06-30')$$,
    'overdue_items as of 2025-07-15: S-BEH to intensify after the Q1 and Q2 ends');

-- 11. Category mix without realised value: shares NULL.
SELECT results_eq(
    $$SELECT category, realised, share FROM sroi.category_mix('2025-06-30') WHERE contract_id = 'P-NOT'
       ORDER BY category$$,
    $$VALUES ('A', 0.00, NULL::numeric), ('B', 0.00, NULL), ('C', 0.00, NULL), ('bonus', 0.00, NULL)$$,
    'category_mix: no realised value, no share');

-- 12. The at_risk boundary, a cent below 75 %: S-EDGE's M becomes 7499.99.
UPDATE sroi.activity SET amount = 7499.99 WHERE evidence_ref = 'edge-m';
SELECT results_eq(
    $$SELECT realised, status, gap, pct_realised FROM sroi.compliance('2025-07-01') WHERE contract_id = 'S-EDGE'$$,
    $$VALUES (7499.99, 'behind',  -- 7499.99 < 75 % of 10000.00 = 7500.00
              12500.01,           -- 20000.00 - 7499.99
              37.5)               -- 100 x 7499.99 / 20000 = 37.49995 -> 37.5
    $$,
    'S-EDGE: a cent below 75 % of expected is behind');

-- 13. Rejection removes value: S-ON's A1 placement rejected.
SELECT lives_ok($$SELECT sroi.reject((SELECT id FROM sroi.activity WHERE evidence_ref = 'on-a1'), 'coordinator',
                                     'no evidence of employment')$$, 'reject the A1 placement of S-ON');
SELECT results_eq(
    $$SELECT realised, gap, pct_realised, status, penalty_exposure FROM sroi.compliance('2025-06-30')
       WHERE contract_id = 'S-ON'$$,
    $$VALUES (0.00,       -- the only activity is rejected
              20000.00,   -- gap 20000.00 - 0.00
              0.0,        -- 100 x 0.00 / 20000.00
              'behind',   -- 0.00 < 75 % of 9917.81 = 7438.36
              20000.00)   -- 20000.00 x 100/100
    $$,
    'S-ON after the rejection: nothing realised');

SELECT * FROM finish();
ROLLBACK;
