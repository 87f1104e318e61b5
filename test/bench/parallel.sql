-- Included twice by measure.sql (\ir): the computed reports of the as-of date, serial and
-- with 2 workers, as the measures "<report>, serial<suffix>" and "<report>, 2 workers<suffix>"
-- (psql variables progress, compliance, as_of, runs and suffix; the JIT setting is the caller's).
SET max_parallel_workers_per_gather = 0;
INSERT INTO timing SELECT 'quarterly_progress, serial' || :'suffix',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, serial' || :'suffix',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
SET max_parallel_workers_per_gather = 2;
INSERT INTO timing SELECT 'quarterly_progress, 2 workers' || :'suffix',
    bench.median_ms(format(:'progress', :'as_of'), :runs);
INSERT INTO timing SELECT 'compliance, 2 workers' || :'suffix',
    bench.median_ms(format(:'compliance', :'as_of'), :runs);
RESET max_parallel_workers_per_gather;
