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
-- Every computed column is used, so that the planner cannot leave any out.
\set progress 'SELECT sum(realised), sum(realised_cum), sum(expected_cum), sum(deviation_cum), count(*) FILTER (WHERE intensify), count(*) FILTER (WHERE status = ''behind''), count(report_status), count(trend), sum(pending) FROM sroi.quarterly_progress(%L)'
\set compliance 'SELECT sum(realised), sum(realised_a), sum(pending), sum(expected_to_date), count(status), sum(persons), sum(penalty_exposure) FROM sroi.compliance(%L)'
-- (computed: the figures cache holds nothing for this date)
INSERT INTO timing SELECT 'quarterly_progress, serial',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, serial',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
SET max_parallel_workers_per_gather = 2;
INSERT INTO timing SELECT 'quarterly_progress, 2 workers',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, 2 workers',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
-- The same with JIT off, as BI logins are set up (README): with JIT on, the leader and each
-- worker compile the plan's expressions apart, so that a parallel run pays it three times
SET jit = off;
SET max_parallel_workers_per_gather = 0;
INSERT INTO timing SELECT 'quarterly_progress, serial, jit off',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, serial, jit off',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
SET max_parallel_workers_per_gather = 2;
INSERT INTO timing SELECT 'quarterly_progress, 2 workers, jit off',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, 2 workers, jit off',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
RESET jit;
RESET max_parallel_workers_per_gather;

\echo
\echo '== median wall times (ms)'
SELECT measure, median_ms FROM timing ORDER BY median_ms;

\echo
\echo '== ratios, measured side by side in this run'
WITH t AS (SELECT measure, median_ms FROM timing)
SELECT r.ratio, round(r.value, 2) AS measured, r.goal, r.met
  FROM (SELECT '1. C accrued_sum / floor scan' AS ratio,
               (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%')
               / (SELECT median_ms FROM t WHERE measure LIKE 'floor%') AS value, 'at most 1.5' AS goal,
               (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%')
               <= 1.5 * (SELECT median_ms FROM t WHERE measure LIKE 'floor%') AS met
        UNION ALL
        SELECT '2a. inlined SQL / C accrued_sum',
               (SELECT median_ms FROM t WHERE measure = 'inlined SQL')
               / (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%'), 'at least 15',
               (SELECT median_ms FROM t WHERE measure = 'inlined SQL')
               >= 15 * (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%')
        UNION ALL
        SELECT '2b. PL/pgSQL / C accrued_sum',
               (SELECT median_ms FROM t WHERE measure = 'PL/pgSQL')
               / (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%'), 'at least 8',
               (SELECT median_ms FROM t WHERE measure = 'PL/pgSQL')
               >= 8 * (SELECT median_ms FROM t WHERE measure LIKE 'C: sroi.accrued_sum%')
        UNION ALL
        SELECT '3a. quarterly_progress serial / 2 workers',
               (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, serial')
               / (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, 2 workers'), 'at least 1.6',
               (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, serial')
               >= 1.6 * (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, 2 workers')
        UNION ALL
        SELECT '3b. compliance serial / 2 workers',
               (SELECT median_ms FROM t WHERE measure = 'compliance, serial')
               / (SELECT median_ms FROM t WHERE measure = 'compliance, 2 workers'), 'at least 1.6',
               (SELECT median_ms FROM t WHERE measure = 'compliance, serial')
               >= 1.6 * (SELECT median_ms FROM t WHERE measure = 'compliance, 2 workers')
        UNION ALL
        SELECT '3c. quarterly_progress serial / 2 workers, jit off',
               (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, serial, jit off')
               / (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, 2 workers, jit off'), 'at least 1.6',
               (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, serial, jit off')
               >= 1.6 * (SELECT median_ms FROM t WHERE measure = 'quarterly_progress, 2 workers, jit off')
        UNION ALL
        SELECT '3d. compliance serial / 2 workers, jit off',
               (SELECT median_ms FROM t WHERE measure = 'compliance, serial, jit off')
               / (SELECT median_ms FROM t WHERE measure = 'compliance, 2 workers, jit off'), 'at least 1.6',
               (SELECT median_ms FROM t WHERE measure = 'compliance, serial, jit off')
               >= 1.6 * (SELECT median_ms FROM t WHERE measure = 'compliance, 2 workers, jit off')
        UNION ALL
        SELECT '4. compliance, 2 workers / floor scan',
               (SELECT median_ms FROM t WHERE measure = 'compliance, 2 workers')
               / (SELECT median_ms FROM t WHERE measure LIKE 'floor%'), 'about 10 (computed; stored: bi.sql)',
               NULL) AS r;
