-- sroi.persons: the exact number of distinct ids, with the memory of a hash set of the
-- distinct ids.  Empty input, NULLs, duplicates, ids of every length, and forced parallel
-- plans (Partial Aggregate under Gather) that equal count(DISTINCT), including workers
-- and groups that see no rows, and groups of NULLs only.  The state's parser (malformed
-- input) is fuzzed outside the server (test/fuzz/fuzz_persons.c) and tested from SQL below.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(33);

\ir helpers.psql

-- 60,000 rows, deterministic: 7919 short ids (i % 7919 takes every value, 60000 > 7919),
-- long ids of 200..499 bytes (4-byte varlena header) and of 5000 bytes (a chunk of their
-- own) every 3rd and 50th row, NULL every 5th row for nullable_id.  Grouping columns with
-- statistics, so that the planner chooses partial aggregates per group: grp (13 groups),
-- tail (true for rows 59991..60000 only, all in the last block: one worker sees none of
-- them), fifth (true for the rows whose nullable_id is NULL).
CREATE TABLE person_row AS
SELECT i, i % 13 AS grp, i > 59990 AS tail, i % 5 = 0 AS fifth,
       'P' || (i % 7919) AS id,
       CASE WHEN i % 5 <> 0 THEN 'P' || (i % 7919) END AS nullable_id,
       CASE WHEN i % 3 = 0 THEN repeat('x', 200 + i % 300) || (i % 1000) END AS long_id,
       CASE WHEN i % 50 = 0 THEN repeat(chr(65 + (i / 50) % 26), 5000) END AS huge_id
  FROM generate_series(1, 60000) AS i;
ANALYZE person_row;
CREATE TABLE person_expected AS
SELECT count(DISTINCT id)::integer AS ids, count(DISTINCT nullable_id)::integer AS nullable_ids,
       count(DISTINCT long_id)::integer AS long_ids, count(DISTINCT huge_id)::integer AS huge_ids
  FROM person_row;
CREATE TABLE person_group_expected AS
SELECT i % 13 AS grp, count(DISTINCT id)::integer AS ids, count(DISTINCT long_id)::integer AS long_ids
  FROM person_row GROUP BY i % 13;

-- Serial.
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is((SELECT sroi.persons(id) FROM person_row WHERE false), 0, 'persons over no rows is 0');
SELECT is((SELECT sroi.persons(NULL::text) FROM generate_series(1, 1000)), 0, 'persons of 1000 NULLs is 0');
SELECT is((SELECT sroi.persons(id) FROM (VALUES ('a'), ('a'), (NULL), ('b'), ('a'), ('A'), (''), (''), ('a ')) AS v (id)),
          5, 'duplicates count once; ids are compared byte by byte (a, b, A, the empty id, a+blank)');
SELECT is((SELECT sroi.persons('same') FROM generate_series(1, 100000)), 1, 'one id in 100000 rows is 1 person');
SELECT is((SELECT sroi.persons(id) FROM person_row), (SELECT ids FROM person_expected),
          'persons equals count(DISTINCT) over 60000 rows of 7919 ids');
SELECT is((SELECT sroi.persons(nullable_id) FROM person_row), (SELECT nullable_ids FROM person_expected),
          'persons skips NULLs as count(DISTINCT) does');
SELECT is((SELECT sroi.persons(long_id) FROM person_row), (SELECT long_ids FROM person_expected),
          'ids of 200..502 bytes (4-byte varlena headers) count as count(DISTINCT) does');
SELECT is((SELECT sroi.persons(huge_id) FROM person_row), 26, 'ids of 5000 bytes: 26 letters, 26 persons');
SELECT is((SELECT sroi.persons(g::text) FROM generate_series(1, 200000) AS g), 200000,
          '200000 distinct ids: the set grows and stays exact');

-- Forced parallel plans: two workers, the leader only gathers.
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 1;  -- partial results are cheaper to gather than rows
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(
    (SELECT bool_or(line ~ 'Partial Aggregate') AND bool_or(line ~ 'Gather')
       FROM pg_temp.explain_lines('SELECT sroi.persons(id), sroi.persons(long_id), sroi.persons(huge_id) FROM person_row') AS line),
    'EXPLAIN of persons shows Partial Aggregate under Gather');
SELECT results_eq(
    'SELECT sroi.persons(id), sroi.persons(nullable_id), sroi.persons(long_id), sroi.persons(huge_id) FROM person_row',
    'SELECT ids, nullable_ids, long_ids, huge_ids FROM person_expected',
    'parallel persons equals count(DISTINCT) for short, nullable, long and huge ids');
SELECT results_eq('SELECT sroi.persons(id) FROM person_row WHERE i < 0', ARRAY[0],
                  'parallel persons over no rows (every worker empty) is 0');
SELECT results_eq('SELECT sroi.persons(nullable_id) FROM person_row WHERE i % 5 = 0', ARRAY[0],
                  'parallel persons over NULLs only is 0');
-- Rows 1..3 lie in the first block: one worker sees them, the other sees no rows.
SELECT ok(
    (SELECT bool_or(line ~ 'Partial Aggregate')
       FROM pg_temp.explain_lines('SELECT sroi.persons(id) FROM person_row WHERE i <= 3') AS line),
    'EXPLAIN of persons over rows 1..3 shows Partial Aggregate');
SELECT results_eq('SELECT sroi.persons(id) FROM person_row WHERE i <= 3', ARRAY[3],
                  'parallel persons where one worker sees no rows counts the other''s 3 ids');

-- Grouped: hashed and sorted partial aggregates, combined by a Finalize step.
SELECT ok(
    (SELECT bool_or(line ~ 'Partial HashAggregate') AND bool_or(line ~ 'Finalize')
       FROM pg_temp.explain_lines('SELECT grp, sroi.persons(id) FROM person_row GROUP BY grp') AS line),
    'EXPLAIN of grouped persons shows Partial HashAggregate and a Finalize step');
SELECT results_eq(
    'SELECT grp, sroi.persons(id), sroi.persons(long_id) FROM person_row GROUP BY grp ORDER BY 1',
    'SELECT grp, ids, long_ids FROM person_group_expected ORDER BY 1',
    'parallel hashed grouped persons equals count(DISTINCT) group by group');
SELECT ok(
    (SELECT bool_or(line ~ 'Partial HashAggregate')
       FROM pg_temp.explain_lines('SELECT tail, sroi.persons(id) FROM person_row GROUP BY tail') AS line),
    'EXPLAIN of persons grouped by tail shows Partial HashAggregate');
SELECT results_eq(
    'SELECT tail, sroi.persons(id) FROM person_row GROUP BY tail ORDER BY 1',
    'SELECT tail, count(DISTINCT id)::integer FROM person_row GROUP BY tail ORDER BY 1',
    'parallel persons for a group that only one worker sees (rows 59991..60000)');
SELECT results_eq(
    'SELECT fifth, sroi.persons(nullable_id) FROM person_row GROUP BY fifth ORDER BY 1',
    'SELECT fifth, count(DISTINCT nullable_id)::integer FROM person_row GROUP BY fifth ORDER BY 1',
    'parallel persons for a group of NULLs only is 0');
SET LOCAL enable_hashagg = off;
SELECT ok(
    (SELECT bool_or(line ~ 'Partial GroupAggregate')
       FROM pg_temp.explain_lines('SELECT grp, sroi.persons(id) FROM person_row GROUP BY grp') AS line),
    'EXPLAIN with enable_hashagg off shows Partial GroupAggregate');
SELECT results_eq(
    'SELECT grp, sroi.persons(id), sroi.persons(long_id) FROM person_row GROUP BY grp ORDER BY 1',
    'SELECT grp, ids, long_ids FROM person_group_expected ORDER BY 1',
    'parallel sorted grouped persons equals count(DISTINCT) group by group');
RESET enable_hashagg;

-- The state is a bytea (so that Citus can send it between nodes as text): the distinct
-- ids in ascending byte order, each a big-endian length and its bytes, after their count
-- (src/core/persons_state.h).  {A, B}: 00000002 | 00000001 41 | 00000001 42.
SELECT is(sroi.persons_step(sroi.persons_step(sroi.persons_step(NULL, 'B'), 'A'), 'B'),
          '\x0000000200000001410000000142'::bytea,
          'the state of B, A, B is {A, B} in byte order: 2 ids, A (0x41) then B (0x42)');
SELECT is(sroi.persons_final('\x0000000200000001410000000142'::bytea), 2, 'persons_final of {A, B} is 2');
-- {A, B} and {B, C}: 00000002 | 00000001 42 | 00000001 43; together A, B, C: 3
SELECT is(sroi.persons_final(sroi.persons_combine('\x0000000200000001410000000142'::bytea,
                                                  '\x0000000200000001420000000143'::bytea)), 3,
          'persons_combine of {A, B} and {B, C} counts 3 (B once)');
SELECT is(sroi.persons_final(NULL), 0, 'persons_final of no state (no rows) is 0');
-- Called directly the functions return a set of its own (an expanded object in a memory
-- context of its own, which PL/pgSQL moves into its variable and deletes on the next
-- assignment): A, B, A is {A, B}; with {C} 3.
CREATE FUNCTION pg_temp.persons_chain() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    s bytea;
BEGIN
    s := sroi.persons_step(NULL, 'A');
    s := sroi.persons_step(s, 'B');
    s := sroi.persons_step(s, 'A');
    s := sroi.persons_combine(s, sroi.persons_step(NULL, 'C'));
    RETURN sroi.persons_final(s);
END
$$;
SELECT is(pg_temp.persons_chain(), 3, 'through PL/pgSQL variables: A, B, A is {A, B}; combined with {C}, 3');
-- As a window aggregate (the state kept across the frame's rows): a; a, b; a, b, a; then c.
SELECT results_eq(
    $$SELECT sroi.persons(id) OVER (ORDER BY x) FROM (VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'c')) AS v (x, id) ORDER BY x$$,
    $$VALUES (1), (2), (2), (3)$$,
    'a running window: 1 (a), 2 (a, b), 2 (a again), 3 (c)');
SELECT is(sroi.persons_combine(NULL, NULL), NULL::bytea, 'persons_combine of two empty states is NULL');
-- Malformed states reach the functions from SQL now, and are refused (22P03) before a read.
SELECT throws_ok($$SELECT sroi.persons_final('\xdeadbeef'::bytea)$$, '22P03',
                 'malformed sroi.persons state: 3735928559 ids cannot fit in 4 bytes',
                 'a count of 0xdeadbeef ids in 4 bytes is refused');
SELECT throws_ok($$SELECT sroi.persons_combine('\x0000000200000001420000000141'::bytea, NULL)$$, '22P03',
                 'malformed sroi.persons state: id 2 is not above the one before it',
                 'ids out of order (B, A) are refused');
SELECT throws_ok($$SELECT sroi.persons_combine(NULL, '\x000000010000000541'::bytea)$$, '22P03',
                 'malformed sroi.persons state: id 1 runs past the end of its 9 bytes',
                 'an id of 5 bytes with 1 left is refused');
SELECT is((SELECT a.aggtranstype::regtype FROM pg_aggregate AS a WHERE a.aggfnoid = 'sroi.persons(text)'::regprocedure),
          'bytea'::regtype, 'sroi.persons keeps its state in a bytea, which Citus can combine across nodes');

SELECT * FROM finish();
ROLLBACK;
