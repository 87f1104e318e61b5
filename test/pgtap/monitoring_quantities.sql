-- Monitoring, part 4: the quantities beside euros (domain.md 6.4): persons, new_persons,
-- fte and hours per contract and quarter (quarterly_progress) and per municipality and
-- quarter (municipality_quarter), planned persons and the deviation in persons, the
-- small cells a reader may not see, the C functions behind them, and parallel plans.
-- Every expected number is computed by hand in the comment beside it.
-- Quarters of 2025: Q1 90 days (31 + 28 + 31), Q2 91 (30 + 31 + 30), Q3 92 (31 + 31 + 30).
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(38);

-- ---------------------------------------------------------------------------------
-- The C function behind them: sroi.accrual_days_by_quarter.

-- A2 (40000 per 12 months) at 0.5 fte, 2025-02-15..2025-08-10, term from 2025-03-01:
-- counted days 03-01..08-10: Q1 03-01..03-31 = 31, Q2 91, Q3 07-01..08-10 = 41.
-- V(03-31) = 40000 x 0.5 x 1/12 = 1666.67; V(06-30) = 40000 x 0.5 x 4/12 = 6666.67;
-- V(08-10) = 40000 x 0.5 x M(03-01, 08-10) / 12, M = 5 + 10/31: 20000 x (5 + 10/31) / 12
--   = 8333.333 + 537.634 = 8870.97 (20000 x 165/31 / 12 = 8870.9677).
SELECT results_eq(
    $$SELECT quarter::text, value, days
        FROM sroi.accrual_days_by_quarter('fte_period', 40000, 12, 0.5, '2025-02-15', '2025-08-10', '2025-12-31',
                                          NULL, NULL, '2025-03-01', '2026-12-31')$$,
    $$VALUES ('2025-Q1', 1666.67, 31), ('2025-Q2', 5000.00, 91), ('2025-Q3', 2204.30, 41)$$,
    'accrual_days_by_quarter: value and counted days per quarter, from the term''s first day');
-- An agreement (B7, 10000) 2025-01-15, planned to end 2025-03-15 (60 days), still ongoing:
-- V reaches the amount on 03-15; the quarters after count their days, earning nothing.
-- V(03-31) = 10000 (76 days >= 60); Q2 91 days, Q3 to the as-of date 08-31: 62 days.
SELECT results_eq(
    $$SELECT quarter::text, value, days
        FROM sroi.accrual_days_by_quarter('agreement', 10000, NULL, NULL, '2025-01-15', NULL, '2025-08-31',
                                          '2025-03-15')$$,
    $$VALUES ('2025-Q1', 10000.00, 76), ('2025-Q2', 0.00, 91), ('2025-Q3', 0.00, 62)$$,
    'an agreement past its planned end, ongoing: its days count to the as-of date, its value is whole');
-- A cap of 3 months: V stops at 2025-05-31; the quarters after still count their days.
-- V(03-31) = 1666.67, V(05-31) = 20000 x 3/12 = 5000.00: Q2 earns 3333.33, Q3 nothing.
SELECT results_eq(
    $$SELECT quarter::text, value, days
        FROM sroi.accrual_days_by_quarter('fte_period', 40000, 12, 0.5, '2025-02-15', '2025-08-10', '2025-12-31',
                                          NULL, 3, '2025-03-01', '2026-12-31')$$,
    $$VALUES ('2025-Q1', 1666.67, 31), ('2025-Q2', 3333.33, 91), ('2025-Q3', 0.00, 41)$$,
    'past a max_months cap a quarter earns 0 but its days still count');
-- An hour batch counts its date only, inside the term; as of before its date, nothing.
SELECT results_eq(
    $$SELECT quarter::text, value, days FROM sroi.accrual_days_by_quarter('hour', 100, NULL, 2.5, '2025-05-05', NULL,
                                                                           '2025-12-31')$$,
    $$VALUES ('2025-Q2', 250.00, 1)$$,
    'an hour batch: one day, in the quarter of its date (100 x 2.5 = 250.00)');
SELECT is_empty(
    $$SELECT * FROM sroi.accrual_days_by_quarter('hour', 100, NULL, 2.5, '2025-05-05', NULL, '2025-05-04')$$,
    'nothing before its date');
SELECT is_empty(
    $$SELECT * FROM sroi.accrual_days_by_quarter('hour', 100, NULL, 2.5, '2025-05-05', NULL, '2025-12-31',
                                                 NULL, NULL, '2025-06-01', '2026-12-31')$$,
    'an hour batch dated before the term counts no day');
SELECT is_empty(
    $$SELECT * FROM sroi.accrual_days_by_quarter('fte_period', 40000, 12, 1, '2025-05-05', NULL, '2025-12-31',
                                                 NULL, NULL, '2024-01-01', '2025-04-30')$$,
    'a placement starting after the term''s end counts no day');
SELECT is_empty(
    $$SELECT * FROM sroi.accrual_days_by_quarter(NULL, 100, NULL, 2.5, '2025-05-05', NULL, '2025-12-31')$$,
    'NULL unit: no rows, as accrual_by_quarter');
-- sroi.accrual_by_quarter, the same quarters (one loop in accrual.c) without the days and
-- without the quarters that earn nothing: the cases above.
SELECT results_eq(
    $$SELECT quarter::text, value
        FROM sroi.accrual_by_quarter('fte_period', 40000, 12, 0.5, '2025-02-15', '2025-08-10', '2025-12-31',
                                     NULL, 3, '2025-03-01', '2026-12-31')$$,
    $$VALUES ('2025-Q1', 1666.67), ('2025-Q2', 3333.33)$$,
    'accrual_by_quarter: from the term''s first day, the quarter past the max_months cap left out');
SELECT results_eq(
    $$SELECT quarter::text, value
        FROM sroi.accrual_by_quarter('agreement', 10000, NULL, NULL, '2025-01-15', NULL, '2025-08-31', '2025-03-15')$$,
    $$VALUES ('2025-Q1', 10000.00)$$,
    'accrual_by_quarter: an agreement past its planned end earns in its first quarter only');
SELECT is_empty(
    $$SELECT * FROM sroi.accrual_by_quarter('hour', 100, NULL, 2.5, '2025-05-05', NULL, '2025-12-31',
                                            NULL, NULL, '2025-06-01', '2026-12-31')$$,
    'accrual_by_quarter: an hour batch dated before the term, no quarter');
-- The values are those of accrual_by_quarter, with the counted days' zero quarters added,
-- and add up to sroi.accrued; the days add up to the counted span.  Over generated
-- activities of every unit, with and without caps, terms and ends.
CREATE TEMP TABLE gen AS
SELECT i, (ARRAY['fte_period', 'agreement', 'hour', 'invoice', 'negotiated'])[1 + i % 5] AS unit,
       (1000 + i * 37 % 40000)::numeric AS amount, 12 AS reference_months,
       CASE i % 5 WHEN 0 THEN (1 + i % 10000) / 10000.0 WHEN 2 THEN 1 + i % 40 END AS quantity,
       date '2024-01-01' + i % 700 AS starts_on,
       CASE WHEN i % 3 = 0 THEN NULL ELSE date '2024-01-01' + i % 700 + i % 400 END AS ends_on,
       CASE WHEN i % 5 = 1 THEN date '2024-01-01' + i % 700 + 30 + i % 300 END AS planned_ends_on,
       CASE WHEN i % 7 = 0 THEN 1 + i % 5 END AS max_months,
       CASE WHEN i % 4 = 0 THEN date '2024-06-01' END AS term_starts_on,
       CASE WHEN i % 6 = 0 THEN date '2025-09-15' END AS term_ends_on
  FROM generate_series(1, 2000) AS i;
SELECT is_empty(
    $$SELECT g.i FROM gen AS g
       WHERE (SELECT coalesce(sum(v.value), 0) FROM sroi.accrual_days_by_quarter(g.unit, g.amount, g.reference_months,
                 g.quantity, g.starts_on, g.ends_on, '2025-12-31', g.planned_ends_on, g.max_months, g.term_starts_on,
                 g.term_ends_on) AS v)
             <> sroi.accrued(g.unit, g.amount, g.reference_months, g.quantity, g.starts_on, g.ends_on, '2025-12-31',
                             g.planned_ends_on, g.max_months, g.term_starts_on, g.term_ends_on)
          OR EXISTS (SELECT v.quarter, v.value FROM sroi.accrual_days_by_quarter(g.unit, g.amount, g.reference_months,
                         g.quantity, g.starts_on, g.ends_on, '2025-12-31', g.planned_ends_on, g.max_months,
                         g.term_starts_on, g.term_ends_on) AS v WHERE v.value <> 0
                     EXCEPT
                     SELECT a.quarter, a.value FROM sroi.accrual_by_quarter(g.unit, g.amount, g.reference_months,
                         g.quantity, g.starts_on, g.ends_on, '2025-12-31', g.planned_ends_on, g.max_months,
                         g.term_starts_on, g.term_ends_on) AS a)$$,
    '2000 generated activities: the quarters add up to sroi.accrued, their non-zero values are accrual_by_quarter''s');
SELECT is_empty(
    $$SELECT g.i FROM gen AS g
       CROSS JOIN LATERAL (SELECT coalesce(sum(v.days), 0) AS days, min(v.quarter::text) AS first_quarter, count(*) AS n
                             FROM sroi.accrual_days_by_quarter(g.unit, g.amount, g.reference_months, g.quantity,
                                  g.starts_on, g.ends_on, '2025-12-31', g.planned_ends_on, g.max_months,
                                  g.term_starts_on, g.term_ends_on) AS v) AS d
       -- the span by hand: from the start (the term's first day if later) to the end, the
       -- term's last day or 2025-12-31; one day for a one-off dated inside the term
       CROSS JOIN LATERAL (SELECT greatest(g.starts_on, g.term_starts_on) AS s,
                                  CASE WHEN g.unit IN ('hour', 'invoice', 'negotiated')
                                       THEN CASE WHEN g.starts_on >= coalesce(g.term_starts_on, g.starts_on)
                                                  AND g.starts_on <= least(g.term_ends_on, date '2025-12-31')
                                                 THEN g.starts_on END
                                       ELSE least(g.ends_on, g.term_ends_on, date '2025-12-31') END AS e) AS span
      WHERE d.days <> CASE WHEN span.e >= span.s THEN span.e - span.s + 1 ELSE 0 END
         OR d.first_quarter IS DISTINCT FROM CASE WHEN span.e >= span.s THEN sroi.quarter(span.s)::text END
         OR d.n <> CASE WHEN span.e >= span.s THEN (sroi.quarter(span.e) OPERATOR(sroi.-) sroi.quarter(span.s)) + 1
                        ELSE 0 END$$,
    '2000 generated activities: one row per quarter of the counted span, the days adding up to it');

-- ---------------------------------------------------------------------------------
-- The fixture, as of 2025-09-30 (the last day of an ended quarter, which readers may ask).
-- QA: Diemen / Alfa BV, term 2025-01-01..2026-12-31.  QB: Diemen / Beta BV, term
-- 2025-04-01..2026-12-31.  Candidates C1..C9 on Participatiewet since 2024-06-01 (A2, B8).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           kickoff_on) VALUES
    ('QA', 'Diemen', 'Alfa BV', 'quantities A', 2000000, '2024-12-01', '2025-01-01', '2026-12-31', '2024-12-10'),
    ('QB', 'Diemen', 'Beta BV', 'quantities B', 2000000, '2025-03-01', '2025-04-01', '2026-12-31', '2025-03-10');
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT 'C' || n, date '1990-01-01' + n, 'participatiewet', '2024-06-01' FROM generate_series(1, 9) AS n;

INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref) VALUES
    -- C1 across the Q1/Q2 boundary: Q1 02-15..03-31 = 14 + 31 = 45 days, Q2 04-01..05-10 = 30 + 10 = 40
    ('QA', 'A2', 'C1', 1,    '2025-02-15', '2025-05-10', 'c1'),
    -- C2 twice in Q1 (counted once): 31 days at 0.5 on A2, 31 days at 0.5 on B8
    ('QA', 'A2', 'C2', 0.5,  '2025-01-01', '2025-01-31', 'c2-a2'),
    ('QA', 'B8', 'C2', 0.5,  '2025-03-01', '2025-03-31', 'c2-b8'),
    -- C3 in Q1 (01-10..02-20 = 22 + 20 = 42 days), back in Q3 (08-01..09-30 = 31 + 30 = 61): not new
    ('QA', 'A2', 'C3', 0.5,  '2025-01-10', '2025-02-20', 'c3-first'),
    ('QA', 'A2', 'C3', 0.5,  '2025-08-01', '2025-09-30', 'c3-back'),
    -- C4 in Q2, rejected below: not counted
    ('QA', 'A2', 'C4', 1,    '2025-04-01', '2025-06-30', 'c4-rejected'),
    -- C6 on QA in Q2 (91 days at 0.5), and on QB from 05-01 (below)
    ('QA', 'A2', 'C6', 0.5,  '2025-04-01', '2025-06-30', 'c6-qa'),
    ('QB', 'A2', 'C6', 0.5,  '2025-05-01', NULL,         'c6-qb'),
    -- C7 hired a month before QB's term: counts from 2025-04-01
    ('QB', 'A2', 'C7', 1,    '2025-03-01', NULL,         'c7'),
    -- C8, C9 on QB in Q3 at 0.25 fte
    ('QB', 'A2', 'C8', 0.25, '2025-07-01', '2025-09-30', 'c8'),
    ('QB', 'A2', 'C9', 0.25, '2025-07-01', '2025-09-30', 'c9');
-- C5: a custom project (M) awaiting approval (pending): not counted
INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, amount, evidence_ref)
VALUES ('QA', 'M', 'C5', '2025-05-05', 2000, 'c5-pending');
-- Hours: 10.5 on the last day of Q1, 4 on the first day of Q2
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES
    ('QA', 'C10', '2025-03-31', 10.5, 'hours-q1'),
    ('QA', 'C10', '2025-04-01', 4,    'hours-q2');
DO $$ BEGIN PERFORM sroi.reject((SELECT id FROM sroi.activity WHERE evidence_ref = 'c4-rejected'), 'coordinator', 'not placed'); END $$;
-- The plan of QA: Q1 persons 2 (A2) + 1 (B8) = 3; Q2 3; Q3 euros only (no persons)
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value, planned_persons) VALUES
    ('QA', '2025-Q1', 'A2', 10000, 2), ('QA', '2025-Q1', 'B8', 1000, 1),
    ('QA', '2025-Q2', 'A2', 8000, 3),
    ('QA', '2025-Q3', 'A2', 5000, NULL);

-- QA per quarter:
--  Q1: persons C1, C2, C3 = 3, all new; fte days 45 x 1 + (31 + 31) x 0.5 + 42 x 0.5 = 45 + 31 + 21
--      = 97: 97 / 90 = 1.0778 -> 1.08; hours 10.5; planned 3, deviation 3 - 3 = 0
--  Q2: persons C1, C6 = 2 (C4 rejected, C5 pending), new C6 = 1; fte 40 x 1 + 91 x 0.5 = 85.5:
--      85.5 / 91 = 0.93956 -> 0.94; hours 4; planned 3, deviation 2 - 3 = -1
--  Q3: persons C3 = 1, back, not new: 0; fte 0.5 x 61 / 92 = 30.5 / 92 = 0.33152 -> 0.33;
--      hours 0; no persons planned: planned_persons and deviation_persons NULL
-- QB per quarter:
--  Q2: C6 05-01..06-30 = 61 days x 0.5 = 30.5, C7 04-01..06-30 = 91 x 1 = 91: persons 2, new 2,
--      fte 121.5 / 91 = 1.33516 -> 1.34
--  Q3: C6 92 x 0.5 = 46, C7 92, C8 and C9 92 x 0.25 = 23 each: persons 4, new C8, C9 = 2,
--      fte (46 + 92 + 23 + 23) / 92 = 184 / 92 = 2.00
SELECT results_eq(
    $$SELECT contract_id, quarter::text, persons, new_persons, fte, hours, planned_persons, deviation_persons,
             persons_suppressed
        FROM sroi.quarterly_progress('2025-09-30') ORDER BY contract_id, quarter$$,
    $$VALUES ('QA', '2025-Q1', 3, 3, 1.08, 10.5000, 3, 0, false),
             ('QA', '2025-Q2', 2, 1, 0.94, 4.0000, 3, -1, false),
             ('QA', '2025-Q3', 1, 0, 0.33, 0.0000, NULL, NULL, false),
             ('QB', '2025-Q2', 2, 2, 1.34, 0.0000, NULL, NULL, false),
             ('QB', '2025-Q3', 4, 2, 2.00, 0.0000, NULL, NULL, false)$$,
    'quarterly_progress: persons, new_persons, fte, hours, planned_persons and the deviation in persons');
-- The euro figures beside them are unchanged: QA Q1 planned 10000 + 1000 = 11000.00.
SELECT is((SELECT planned FROM sroi.quarterly_progress('2025-09-30') WHERE contract_id = 'QA' AND quarter::text = '2025-Q1'),
          11000.00::numeric, 'planned euros are still the sum of the quarter''s plan lines');
-- Current quarter: as of 2025-08-15 QA Q3 counts C3 08-01..08-15 = 15 days: 0.5 x 15 / 92
-- = 0.0815 -> 0.08 (the whole quarter's days: fte grows through the quarter as realised does).
SELECT is((SELECT fte FROM sroi.quarterly_progress('2025-08-15') WHERE contract_id = 'QA' AND quarter::text = '2025-Q3'),
          0.08::numeric(12,2), 'in the current quarter the days up to the as-of date count, over the quarter''s 92');
-- A pending activity counts once approved: C5 (M on 2025-05-05) joins QA's Q2 as new.
SAVEPOINT approve;
DO $$ BEGIN PERFORM sroi.approve((SELECT id FROM sroi.activity WHERE evidence_ref = 'c5-pending'), 'coordinator'); END $$;
SELECT is((SELECT (persons, new_persons)::text FROM sroi.quarterly_progress('2025-09-30')
            WHERE contract_id = 'QA' AND quarter::text = '2025-Q2'), '(3,2)',
          'approved, the custom project''s person counts: QA Q2 persons 3, new 2');
ROLLBACK TO SAVEPOINT approve;

-- Diemen per quarter (each person once):
--  Q1: QA only: persons 3, new 3, fte 97 / 90 -> 1.08, hours 10.5
--  Q2: C1, C6 (on QA and QB: once), C7 = 3; new C6 (first in Diemen 04-01 on QA), C7 (counted
--      from 04-01) = 2; fte days 85.5 + 121.5 = 207: 207 / 91 = 2.27473 -> 2.27, rounded once
--      (the contracts' 0.94 + 1.34 = 2.28); hours 4
--  Q3: C3, C6, C7, C8, C9 = 5; new C8, C9 = 2 (C6 is new on QB in Q2, not in Diemen);
--      fte days 30.5 + 184 = 214.5: 214.5 / 92 = 2.33152 -> 2.33; hours 0
SELECT results_eq(
    $$SELECT municipality, quarter, contracts, persons, new_persons, fte, hours, persons_suppressed
        FROM sroi.municipality_quarter('2025-09-30') ORDER BY quarter$$,
    $$VALUES ('Diemen', '2025-Q1', 1, 3, 3, 1.08, 10.5000, false),
             ('Diemen', '2025-Q2', 2, 3, 2, 2.27, 4.0000, false),
             ('Diemen', '2025-Q3', 2, 5, 2, 2.33, 0.0000, false)$$,
    'municipality_quarter: distinct persons, new in the municipality, fte rounded once, hours');
SELECT is((SELECT sum(hours) FROM sroi.municipality_quarter('2025-09-30')), 14.5000::numeric,
          'hours add up over quarters: 10.5 + 4 = 14.5');
SELECT is((SELECT sum(new_persons)::integer FROM sroi.municipality_quarter('2025-09-30')), 7,
          'new persons add up over quarters to the distinct persons placed in Diemen: 3 + 2 + 2 = 7 (C1..C3, C6..C9)');

-- The same persons as target_group_outcomes: its cells (one per benefit) add up to them
-- (Diemen: all on Participatiewet), which its complementary suppression protects.
SELECT results_eq(
    $$SELECT municipality, quarter, persons FROM sroi.municipality_quarter('2025-09-30') ORDER BY 1, 2$$,
    $$SELECT municipality, quarter::text, sum(persons)::integer FROM sroi.target_group_outcomes('2025-09-30')
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    'municipality_quarter persons = the sum of target_group_outcomes'' cells over the benefits');

-- ... also for a line that earns nothing in a quarter: C10 in a BBL agreement (B6, 15,000)
-- on QA from 2025-04-01, planned to end 2025-05-30 (60 days), still ongoing.  Its value is
-- whole in Q2 (V reaches 15,000 on 05-30) and 0 in Q3, but it counts its days in both
-- (accrual_days_by_quarter: Q2 91, Q3 92; domain.md 6.4 "a counted activity overlapping
-- the quarter").  Diemen Q2: C1, C6, C7 + C10 = 4; Q3: C3, C6, C7, C8, C9 + C10 = 6.  (Until
-- 4b2bed5 target_group_outcomes counted a person only in the quarters its line earned
-- value: 5 in Q3, one fewer than municipality_quarter.)
SAVEPOINT agreement;
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('C10', '1990-01-11', 'participatiewet', '2024-06-01');
INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, planned_ends_on, evidence_ref)
VALUES ('QA', 'B6', 'C10', '2025-04-01', '2025-05-30', 'c10-bbl');
SELECT results_eq(
    $$SELECT quarter::text, sum(persons)::integer FROM sroi.target_group_outcomes('2025-09-30') GROUP BY 1 ORDER BY 1$$,
    $$VALUES ('2025-Q1', 3), ('2025-Q2', 4), ('2025-Q3', 6)$$,
    'target_group_outcomes counts C10 in Q3, where its agreement earns nothing: 3, 4, 6 persons');
SELECT results_eq(
    $$SELECT municipality, quarter, persons FROM sroi.municipality_quarter('2025-09-30') ORDER BY 1, 2$$,
    $$SELECT municipality, quarter::text, sum(persons)::integer FROM sroi.target_group_outcomes('2025-09-30')
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    '... as municipality_quarter does: its persons are still the sum of the cells');
ROLLBACK TO SAVEPOINT agreement;

-- ---------------------------------------------------------------------------------
-- Small cells.  A reader (and a manager of another municipality) gets no person
-- figure of a cell of 1 to 4 persons; a coordinator and Diemen's manager get them all.
CREATE ROLE tq_reader NOLOGIN IN ROLE sroi_reader;
CREATE ROLE tq_manager_diemen NOLOGIN IN ROLE sroi_contract_manager;
CREATE ROLE tq_manager_uithoorn NOLOGIN IN ROLE sroi_contract_manager;
INSERT INTO sroi.role_scope (role_name, municipality) VALUES
    ('tq_manager_diemen', 'Diemen'), ('tq_manager_uithoorn', 'Uithoorn');

SET ROLE tq_reader;
-- Diemen: Q1 and Q2 rest on 3 persons: persons, new_persons and fte hidden; Q3 on 5:
-- persons and fte shown, new_persons (2) hidden.  Hours are not about persons: shown.
SELECT results_eq(
    $$SELECT quarter, persons, new_persons, fte, hours, persons_suppressed, realised IS NOT NULL
        FROM sroi.report_municipality_quarter('2025-09-30') ORDER BY quarter$$,
    $$VALUES ('2025-Q1', NULL::integer, NULL::integer, NULL::numeric, 10.5000, true, true),
             ('2025-Q2', NULL, NULL, NULL, 4.0000, true, true),
             ('2025-Q3', 5, NULL, 2.33, 0.0000, true, true)$$,
    'a reader: municipality cells of 1 to 4 persons (or new persons) are NULL and flagged');
-- Every contract quarter rests on 1 to 4 persons: hidden; planned persons and hours shown.
SELECT results_eq(
    $$SELECT contract_id, quarter, persons, new_persons, fte, deviation_persons, planned_persons, hours,
             persons_suppressed
        FROM sroi.report_quarterly_progress('2025-09-30') ORDER BY contract_id, quarter$$,
    $$VALUES ('QA', '2025-Q1', NULL::integer, NULL::integer, NULL::numeric, NULL::integer, 3, 10.5000, true),
             ('QA', '2025-Q2', NULL, NULL, NULL, NULL, 3, 4.0000, true),
             ('QA', '2025-Q3', NULL, NULL, NULL, NULL, NULL, 0.0000, true),
             ('QB', '2025-Q2', NULL, NULL, NULL, NULL, NULL, 0.0000, true),
             ('QB', '2025-Q3', NULL, NULL, NULL, NULL, NULL, 0.0000, true)$$,
    'a reader: contract quarters of 1 to 4 persons show no person figure; the plan and hours stay');
SELECT is((SELECT count(*)::integer FROM sroi.quarterly_progress WHERE persons > 0 OR fte > 0 OR new_persons > 0), 0,
          'a reader: the view today shows no person figure of these contracts either (only the 0 of empty quarters)');
SELECT throws_ok($$SELECT * FROM sroi.quarterly_progress('2025-09-30')$$, '42501', NULL,
                 'a reader cannot read the tables through quarterly_progress(as_of)');
RESET ROLE;

SET ROLE tq_manager_uithoorn;
SELECT is((SELECT count(*)::integer FROM sroi.report_municipality_quarter('2025-09-30')
            WHERE persons_suppressed AND new_persons IS NULL), 3,
          'a manager of another municipality gets Diemen''s small cells suppressed too');
RESET ROLE;

SET ROLE tq_manager_diemen;
SELECT results_eq(
    $$SELECT quarter, persons, new_persons, fte, persons_suppressed
        FROM sroi.report_municipality_quarter('2025-09-30') ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 3, 3, 1.08, false), ('2025-Q2', 3, 2, 2.27, false), ('2025-Q3', 5, 2, 2.33, false)$$,
    'Diemen''s manager reads its own cells unsuppressed');
SELECT results_eq(
    $$SELECT contract_id, quarter::text, persons, new_persons, fte FROM sroi.quarterly_progress('2025-09-30')
       ORDER BY 1, 2$$,
    $$SELECT contract_id, quarter, persons, new_persons, fte FROM sroi.report_quarterly_progress('2025-09-30')
       ORDER BY 1, 2$$,
    'and its contracts'' quarters through its own rows, as through the report function');
RESET ROLE;

-- Five persons on one contract in a quarter: shown to a reader; but new persons of 1 to 4
-- in any quarter of the contract hide them in all its quarters (they add up to the
-- contract's persons, so one hidden quarter would follow from the others).
-- QC: Diemen, term 2025-01-01..2026-12-31; D1..D5 at 0.2 fte: D1..D4 from 2025-01-01,
-- D5 from 2025-04-01, all to 2025-06-30: Q1 persons 4 (hidden), new 4; Q2 persons 5 (shown), new 1;
-- Q3 nobody: persons 0 and fte 0.00 (no small cell), new persons 0 but hidden as the others.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           kickoff_on)
VALUES ('QC', 'Uithoorn', 'Gamma BV', 'quantities C', 2000000, '2024-12-01', '2025-01-01', '2026-12-31',
        '2024-12-10');
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT 'D' || n, date '1980-01-01' + n, 'participatiewet', '2024-06-01' FROM generate_series(1, 5) AS n;
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
SELECT 'QC', 'A2', 'D' || n, 0.2, CASE WHEN n = 5 THEN date '2025-04-01' ELSE date '2025-01-01' END, '2025-06-30'
  FROM generate_series(1, 5) AS n;
-- Q2 fte: 5 x 0.2 x 91 / 91 = 1.00
SET ROLE tq_reader;
SELECT results_eq(
    $$SELECT quarter, persons, new_persons, fte, persons_suppressed FROM sroi.report_quarterly_progress('2025-09-30')
       WHERE contract_id = 'QC' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', NULL::integer, NULL::integer, NULL::numeric, true), ('2025-Q2', 5, NULL, 1.00, true),
             ('2025-Q3', 0, NULL, 0.00, true)$$,
    'a reader: a contract quarter of 5 persons is shown, its new persons hidden with the other quarters''');
RESET ROLE;
SELECT results_eq(
    $$SELECT quarter::text, persons, new_persons FROM sroi.quarterly_progress('2025-09-30')
       WHERE contract_id = 'QC' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 4, 4), ('2025-Q2', 5, 1), ('2025-Q3', 0, 0)$$,
    'the owner (a coordinator) sees QC''s figures: Q1 4 new, Q2 5 persons of which D5 new');

-- ---------------------------------------------------------------------------------
-- The views show what the functions show for today; under forced parallel plans the
-- quantities are those of the serial plan.
SELECT set_eq(
    $$SELECT contract_id, quarter, persons, new_persons, fte, hours, planned_persons, deviation_persons,
             persons_suppressed FROM sroi.quarterly_progress$$,
    $$SELECT contract_id, quarter::text, persons, new_persons, fte, hours, planned_persons, deviation_persons,
             persons_suppressed FROM sroi.quarterly_progress(sroi.today())$$,
    'quarterly_progress view = the function at today, quantities included');
SELECT set_eq(
    $$SELECT municipality, quarter, persons, new_persons, fte, hours, persons_suppressed FROM sroi.municipality_quarter$$,
    $$SELECT municipality, quarter, persons, new_persons, fte, hours, persons_suppressed
        FROM sroi.municipality_quarter(sroi.today())$$,
    'municipality_quarter view = the function at today, quantities included');

-- More data for the parallel plans: 40 contracts, 1200 placements of 300 persons.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
SELECT 'PX' || n, (ARRAY['Diemen', 'Uithoorn', 'Ouder-Amstel'])[1 + n % 3], 'Supplier ' || n, 'parallel',
       1000000, '2024-12-01', '2025-01-01', '2026-12-31'
  FROM generate_series(1, 40) AS n;
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT 'PX' || n, date '1980-01-01' + n, 'participatiewet', '2024-06-01' FROM generate_series(1, 300) AS n;
-- each person's placements follow each other, 0.25 fte: never more than 1 fte at once
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
SELECT 'PX' || (1 + i % 40), 'A2', 'PX' || (1 + i % 300), 0.25,
       date '2025-01-01' + (i / 300) * 120, date '2025-01-01' + (i / 300) * 120 + 100
  FROM generate_series(0, 1199) AS i;
INSERT INTO sroi.activity (contract_id, block, hours, starts_on)
SELECT 'PX' || (1 + i % 40), 'C10', 1 + i % 8, date '2025-01-01' + (i % 540) FROM generate_series(1, 2000) AS i;
ANALYZE sroi.activity;
ANALYZE sroi.contract;
ANALYZE sroi.candidate;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE progress_serial AS SELECT * FROM sroi.quarterly_progress('2026-06-30');
CREATE TEMP TABLE municipality_serial AS SELECT * FROM sroi.municipality_quarter('2026-06-30');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL force_parallel_mode = on;
SELECT results_eq(
    $$SELECT contract_id, quarter::text, persons, new_persons, fte, hours FROM sroi.quarterly_progress('2026-06-30')
       ORDER BY 1, 2$$,
    $$SELECT contract_id, quarter::text, persons, new_persons, fte, hours FROM progress_serial ORDER BY 1, 2$$,
    'quarterly_progress quantities under parallel plans equal the serial result');
SELECT results_eq(
    $$SELECT municipality, quarter, persons, new_persons, fte, hours FROM sroi.municipality_quarter('2026-06-30')
       ORDER BY 1, 2$$,
    $$SELECT municipality, quarter, persons, new_persons, fte, hours FROM municipality_serial ORDER BY 1, 2$$,
    'municipality_quarter quantities under parallel plans equal the serial result');
RESET max_parallel_workers_per_gather;
-- 2000 batches of 1..8 hours: 250 cycles x 36 = 9000 hours, all dated by 2025-01-01 + 539.
SELECT is((SELECT sum(hours) FROM municipality_serial WHERE quarter >= '2025-Q1'), 9000 + 14.5,
          'hours over every municipality and quarter: 9000 generated + 14.5 of QA');
-- 300 persons (PX1..PX300), each placed on contracts of the municipalities in turn:
-- per municipality the distinct persons ever placed are the sum of its new persons.
SELECT is_empty(
    $$SELECT m.municipality FROM municipality_serial AS m
       GROUP BY m.municipality
      HAVING sum(m.new_persons) <> (SELECT count(DISTINCT a.candidate_id) FROM sroi.activity AS a
                                      JOIN sroi.contract AS k ON k.id = a.contract_id
                                     WHERE k.municipality = m.municipality AND a.status <> 'rejected'
                                       AND a.block IN ('A2', 'B8') AND a.starts_on <= '2026-06-30')$$,
    'per municipality, new persons over the quarters add up to the distinct persons placed');

SELECT * FROM finish();
ROLLBACK;
