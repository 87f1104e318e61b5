-- The measurements of make bench, on the data of test/data/scale.sql and the
-- baselines of baselines.sql.  psql -v runs=5 -v as_of=2025-12-31 -v label=...
\set ON_ERROR_STOP 1
\pset footer off

\echo
\echo '== correctness: C, inlined SQL and PL/pgSQL accrual agree on every value line'
SELECT count(*) AS value_lines,
       count(*) FILTER (WHERE c.value IS DISTINCT FROM s.value) AS c_vs_sql_differ,
       count(*) FILTER (WHERE c.value IS DISTINCT FROM p.value) AS c_vs_plpgsql_differ,
       sum(c.value) AS total_c, sum(s.value) AS total_sql, sum(p.value) AS total_plpgsql
  FROM bench.line AS l
  JOIN bench.line_sql AS s ON s.id = l.id
  CROSS JOIN LATERAL (SELECT sroi.accrued(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                          :'as_of', l.planned_ends_on, l.max_months, l.term_starts_on,
                                          l.term_ends_on) AS value) AS c
  CROSS JOIN LATERAL (SELECT bench.accrued_plpgsql(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on,
                                                   l.ends_on, :'as_of', l.planned_ends_on, l.max_months,
                                                   l.term_starts_on, l.term_ends_on) AS value) AS p;

CREATE TEMP TABLE timing (measure text PRIMARY KEY, median_ms numeric);

SET max_parallel_workers_per_gather = 0;
INSERT INTO timing SELECT 'floor: sum(amount * quantity)',
    bench.median_ms('SELECT sum(amount * quantity) FROM bench.line', :runs);
INSERT INTO timing SELECT 'C: sroi.accrued_sum(...)',
    bench.median_ms(format('SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, %L,
                                   planned_ends_on, max_months, term_starts_on, term_ends_on) FROM bench.line', :'as_of'), :runs);
INSERT INTO timing SELECT 'C: sum(sroi.accrued(...))',
    bench.median_ms(format('SELECT sum(sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on, %L,
                                   planned_ends_on, max_months, term_starts_on, term_ends_on)) FROM bench.line', :'as_of'), :runs);
INSERT INTO timing SELECT 'inlined SQL',
    bench.median_ms('SELECT sum(value) FROM bench.line_sql', :runs);
INSERT INTO timing SELECT 'PL/pgSQL',
    bench.median_ms(format('SELECT sum(bench.accrued_plpgsql(unit, amount, reference_months, quantity, starts_on, ends_on,
                                   %L, planned_ends_on, max_months, term_starts_on, term_ends_on)) FROM bench.line', :'as_of'), :runs);
-- The costly columns are all used (sums, windows, person counts), so that the planner
-- cannot leave their work out: an unused column's window or aggregate is not computed
-- (persons, new_persons, fte and hours were missing here before 0da625f: their window
-- over each person's quarters, first_quarter, was never run by the bench).
\set progress 'SELECT sum(realised), sum(realised_cum), sum(expected_cum), sum(deviation_cum), count(*) FILTER (WHERE intensify), count(*) FILTER (WHERE status = ''behind''), count(report_status), count(trend), sum(pending), sum(persons), sum(new_persons), sum(fte), sum(hours) FROM sroi.quarterly_progress(%L)'
\set compliance 'SELECT sum(realised), sum(realised_a), sum(pending), sum(expected_to_date), count(status), sum(persons), sum(penalty_exposure) FROM sroi.compliance(%L)'
-- (computed: the figures cache holds nothing for this date)
\set suffix ''
\ir parallel.sql
-- The same with JIT off, as BI logins are set up (README): with JIT on, the leader and each
-- worker compile the plan's expressions apart, so that a parallel run pays it three times
SET jit = off;
\set suffix ', jit off'
\ir parallel.sql
RESET jit;

\echo
\echo '== median wall times (ms)'
SELECT measure, median_ms FROM timing ORDER BY median_ms;

\echo
\echo '== ratios, measured side by side in this run'
-- one row a ratio: numerator / denominator (measures above), met when at most at_most or
-- at least at_least times the denominator (neither: shown, no goal to meet)
SELECT r.ratio, round(n.median_ms / d.median_ms, 2) AS measured, r.goal,
       CASE WHEN r.at_most IS NOT NULL THEN n.median_ms <= r.at_most * d.median_ms
            WHEN r.at_least IS NOT NULL THEN n.median_ms >= r.at_least * d.median_ms END AS met
  FROM (VALUES
        (1, '1. C accrued_sum / floor scan', 'C: sroi.accrued_sum(...)', 'floor: sum(amount * quantity)',
         'at most 1.5', 1.5, NULL::numeric),
        (2, '2a. inlined SQL / C accrued_sum', 'inlined SQL', 'C: sroi.accrued_sum(...)', 'at least 15', NULL, 15),
        (3, '2b. PL/pgSQL / C accrued_sum', 'PL/pgSQL', 'C: sroi.accrued_sum(...)', 'at least 8', NULL, 8),
        (4, '3a. quarterly_progress serial / 2 workers', 'quarterly_progress, serial',
         'quarterly_progress, 2 workers', 'at least 1.6', NULL, 1.6),
        (5, '3b. compliance serial / 2 workers', 'compliance, serial', 'compliance, 2 workers',
         'at least 1.6', NULL, 1.6),
        (6, '3c. quarterly_progress serial / 2 workers, jit off', 'quarterly_progress, serial, jit off',
         'quarterly_progress, 2 workers, jit off', 'at least 1.6', NULL, 1.6),
        (7, '3d. compliance serial / 2 workers, jit off', 'compliance, serial, jit off',
         'compliance, 2 workers, jit off', 'at least 1.6', NULL, 1.6),
        (8, '4. compliance, 2 workers / floor scan', 'compliance, 2 workers', 'floor: sum(amount * quantity)',
         'about 10 (computed; stored: bi.sql)', NULL, NULL))
       AS r (nr, ratio, numerator, denominator, goal, at_most, at_least)
  JOIN timing AS n ON n.measure = r.numerator
  JOIN timing AS d ON d.measure = r.denominator
 ORDER BY r.nr;
