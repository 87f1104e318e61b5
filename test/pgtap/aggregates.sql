-- sroi.accrued_sum: the exact parallel aggregate of V(as_of).
-- Empty input, NULL inputs, agreement with the per-row function, and identical results
-- under forced parallel plans, whose EXPLAIN shows Partial Aggregate under Gather.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(24);

\ir helpers.psql

-- 30,000 value lines of every unit, deterministic (no random()).
CREATE TABLE agg_line AS
SELECT i,
       (ARRAY['fte_period', 'fte_period', 'agreement', 'hour', 'invoice', 'negotiated'])[1 + i % 6] AS unit,
       (ARRAY[40000, 30000, 10000, 100, 2500.55, 1234.56])[1 + i % 6]::numeric AS amount,
       CASE WHEN i % 6 < 2 THEN 12 END AS reference_months,
       CASE WHEN i % 6 < 2 THEN round((1 + i % 9999) / 10000.0, 4)
            WHEN i % 6 = 3 THEN round((1 + i % 80) / 4.0, 2) END AS quantity,
       date '2024-01-31' + (i % 700) AS starts_on,
       CASE WHEN i % 3 = 0 THEN NULL ELSE date '2024-01-31' + (i % 700) + (i % 500) END AS ends_on,
       date '2024-01-31' + (i % 700) + 364 AS planned_ends_on,
       CASE WHEN i % 7 = 0 THEN 6 END AS max_months,
       CASE WHEN i % 5 = 0 THEN date '2024-06-01' END AS term_starts_on,
       CASE WHEN i % 4 = 0 THEN date '2025-09-30' END AS term_ends_on
  FROM generate_series(1, 30000) AS i;
ANALYZE agg_line;

-- Empty input gives NULL, as sum() does; rows whose V is NULL are skipped.
SELECT is(
    (SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                             planned_ends_on, max_months, term_starts_on, term_ends_on)
       FROM agg_line WHERE false),
    NULL::numeric, 'accrued_sum over no rows is NULL');
SELECT is(
    (SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, NULL,
                             planned_ends_on, max_months, term_starts_on, term_ends_on) FROM agg_line),
    NULL::numeric, 'accrued_sum of rows whose V is NULL (as_of NULL) is NULL');
-- One row: A2 40000 x 0.5 fte for 2025-01-01..2025-06-30 = 40000 x 0.5 x 6 / 12 = 10000.00.
SELECT is(
    (SELECT sroi.accrued_sum(u, 40000, 12, 0.5, date '2025-01-01', date '2025-06-30', date '2025-12-31',
                             NULL, NULL, NULL, NULL) FROM (VALUES ('fte_period')) AS v (u)),
    10000.00, 'accrued_sum of one row is its V: 40000 x 0.5 x 6/12 = 10000.00');
-- Each V is rounded to cents before it is summed: an agreement of 0.01 over 3 planned
-- days, 1 day done, is 0.01 x 1/3 = 0.0033 -> 0.00; two such rows sum to 0.00.
SELECT is(
    (SELECT sroi.accrued_sum('agreement', 0.01, NULL, NULL, date '2025-01-01', NULL, date '2025-01-01',
                             date '2025-01-03', NULL, NULL, NULL) FROM generate_series(1, 2)),
    0.00, 'each V is rounded to cents before summing (2 x round(0.01/3, 2) = 0.00)');

-- The aggregate equals the sum of the per-row function, exactly.
SELECT is(
    (SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                             planned_ends_on, max_months, term_starts_on, term_ends_on) FROM agg_line),
    (SELECT sum(sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                             planned_ends_on, max_months, term_starts_on, term_ends_on)) FROM agg_line),
    'accrued_sum equals sum(accrued) over 30,000 lines of every unit');
SELECT is(
    (SELECT sum(v.value) FROM agg_line AS l
       CROSS JOIN LATERAL sroi.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on,
                                                  l.ends_on, '2025-12-31', l.planned_ends_on, l.max_months,
                                                  l.term_starts_on, l.term_ends_on) AS v),
    (SELECT sum(sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                             planned_ends_on, max_months, term_starts_on, term_ends_on)) FROM agg_line),
    'the quarters of accrual_by_quarter add up to the total of accrued, to the cent');

-- sroi.persons: the exact number of distinct ids.  ids 'P' || (i % 1234) for i = 1..30000
-- take every value 0..1233 (30000 > 1234): 1234 persons; NULLs do not count.
SELECT is((SELECT sroi.persons(NULL::text) FROM agg_line WHERE false), 0, 'persons over no rows is 0');
SELECT is((SELECT sroi.persons(CASE WHEN i % 2 = 0 THEN 'P' || (i % 1234) END) FROM agg_line),
          617, 'persons ignores NULLs: the even i give the even ids 0..1232, 617 of them');
SELECT is((SELECT sroi.persons('P' || (i % 1234)) FROM agg_line), 1234,
          'persons counts 1234 distinct ids among 30000 rows');
CREATE TABLE persons_serial AS
SELECT i % 7 AS grp, count(DISTINCT 'P' || (i % 1234)) AS n FROM agg_line GROUP BY i % 7;

-- Serial, then forced parallel plans: identical results.
CREATE TABLE agg_serial AS
SELECT i % 97 AS grp,
       sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                        planned_ends_on, max_months, term_starts_on, term_ends_on) AS total
  FROM agg_line GROUP BY i % 97;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(
    (SELECT bool_or(line ~ 'Partial Aggregate') AND bool_or(line ~ 'Gather')
       FROM pg_temp.explain_lines($$SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on,
                                        ends_on, '2025-12-31', planned_ends_on, max_months, term_starts_on,
                                        term_ends_on) FROM agg_line$$) AS line),
    'EXPLAIN of accrued_sum shows Partial Aggregate under Gather');
SELECT is(
    (SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                             planned_ends_on, max_months, term_starts_on, term_ends_on) FROM agg_line),
    (SELECT sum(total) FROM agg_serial),
    'parallel accrued_sum equals the serial one');
SELECT ok(
    (SELECT bool_or(line ~ 'Partial Aggregate')
       FROM pg_temp.explain_lines($$SELECT sroi.persons('P' || (i % 1234)) FROM agg_line$$) AS line),
    'EXPLAIN of persons shows Partial Aggregate');
SELECT results_eq(
    $$SELECT i % 7, sroi.persons('P' || (i % 1234)) FROM agg_line GROUP BY i % 7 ORDER BY 1$$,
    $$SELECT grp, n::integer FROM persons_serial ORDER BY 1$$,
    'parallel persons equals count(DISTINCT) group by group');
SELECT results_eq(
    $$SELECT i % 97, sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '2025-12-31',
                                      planned_ends_on, max_months, term_starts_on, term_ends_on)
        FROM agg_line GROUP BY i % 97 ORDER BY 1$$,
    $$SELECT grp, total FROM agg_serial ORDER BY 1$$,
    'parallel grouped accrued_sum equals the serial one, group by group');

-- The monitoring functions under forced parallel plans give the serial results.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
SELECT 'P' || n, 'Diemen', 'Supplier ' || n, 'parallel', 1000000, '2024-12-01', '2025-01-01', '2026-12-31'
  FROM generate_series(1, 20) AS n;
INSERT INTO sroi.activity (contract_id, block, hours, starts_on)
SELECT 'P' || (1 + i % 20), 'C10', 1 + i % 8, date '2025-01-01' + (i % 540) FROM generate_series(1, 4000) AS i;
ANALYZE sroi.activity;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TABLE progress_serial AS SELECT * FROM sroi.quarterly_progress('2026-06-30');
CREATE TABLE compliance_serial AS SELECT * FROM sroi.compliance('2026-06-30');
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
SELECT results_eq(
    $$SELECT * FROM sroi.compliance('2026-06-30') ORDER BY contract_id$$,
    $$SELECT * FROM compliance_serial ORDER BY contract_id$$,
    'compliance under parallel plans equals the serial result');
SELECT results_eq(
    $$SELECT contract_id, quarter::text, realised, realised_cum, expected_cum, status
        FROM sroi.quarterly_progress('2026-06-30') ORDER BY contract_id, quarter$$,
    $$SELECT contract_id, quarter::text, realised, realised_cum, expected_cum, status
        FROM progress_serial ORDER BY contract_id, quarter$$,
    'quarterly_progress under parallel plans equals the serial result');
-- 4000 C10 batches of 1..8 hours x EUR 100, all dated by 2025-01-01 + 539 = 2026-06-24:
-- hours sum over i = 1..4000 of (1 + i % 8) = 500 cycles x (1+2+...+8 = 36) = 18000 hours
-- -> EUR 1,800,000.00 in all.
SELECT is((SELECT sum(realised) FROM sroi.compliance('2026-06-30')), 1800000.00,
          'all 4000 hour batches counted once: 18000 hours x 100 = 1800000.00');

-- The state is a bytea of 24 bytes (so that Citus can send it between nodes as text):
-- the 128-bit sum of cents as high and low 64 bits, then the count of rows, big-endian.
-- 12345 cents = 0x3039, one row: 0000000000000000 | 0000000000003039 | 0000000000000001.
SELECT is(sroi.accrued_sum_final('\x000000000000000000000000000030390000000000000001'::bytea), 123.45,
          'accrued_sum_final of 12345 cents over 1 row is 123.45');
SELECT is(sroi.accrued_sum_final(sroi.accrued_sum_combine('\x000000000000000000000000000030390000000000000001'::bytea,
                                                          '\x000000000000000000000000000030390000000000000001'::bytea)),
          246.90, 'accrued_sum_combine of two such states: 12345 + 12345 = 24690 cents = 246.90');
-- -1 cent: high 0xffffffffffffffff, low 0xffffffffffffffff (two's complement), 1 row
SELECT is(sroi.accrued_sum_final('\xffffffffffffffffffffffffffffffff0000000000000001'::bytea), -0.01,
          'the sum is signed: all ones is -1 cent, -0.01');
SELECT is(sroi.accrued_sum_final('\x000000000000000000000000000000000000000000000000'::bytea), NULL::numeric,
          'a state of no rows with a value (count 0) gives NULL, as sum() does');
SELECT throws_ok($$SELECT sroi.accrued_sum_final('\x00'::bytea)$$, '22P03',
                 'malformed sroi.accrued_sum state: 1 bytes, expected 24',
                 'a state of 1 byte is refused');
SELECT throws_ok($$SELECT sroi.accrued_sum_combine(NULL, '\x00000000000000000000000000000000ffffffffffffffff'::bytea)$$, '22P03',
                 'malformed sroi.accrued_sum state: count of rows -1 is negative',
                 'a negative count of rows is refused');
SELECT is((SELECT a.aggtranstype::regtype FROM pg_aggregate AS a
            WHERE a.aggfnoid = 'sroi.accrued_sum(text, numeric, integer, numeric, date, date, date, date, integer, date, date)'::regprocedure),
          'bytea'::regtype, 'sroi.accrued_sum keeps its state in a bytea, which Citus can combine across nodes');

SELECT * FROM finish();
ROLLBACK;
