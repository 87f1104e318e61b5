--
-- sroi.quarter: a calendar quarter, stored as year * 4 + (quarter number - 1).
--
-- Hand computations in the comments use that integer form, written [n]:
-- 2025-Q3 = [2025 * 4 + 2] = [8102], 0001-Q1 = [4], 9999-Q4 = [39999].
--

SET datestyle = 'ISO, YMD';

--
-- Qualified names, with the default search_path (sroi is not on it).
--
SHOW search_path;
SELECT '2025-Q3'::sroi.quarter AS q,
       CAST('2025q3' AS sroi.quarter) AS cast_q,
       pg_typeof('2025-Q3'::sroi.quarter) AS type;
-- 2025-Q3 + 2 = [8104] = 2026-Q1; 2 + 2025-Q3 likewise; 2025-Q3 - 3 = [8099] = 2024-Q4;
-- 2025-Q3 - 2024-Q4 = 8102 - 8099 = 3
SELECT '2025-Q3'::sroi.quarter OPERATOR(sroi.+) 2 AS plus,
       2 OPERATOR(sroi.+) '2025-Q3'::sroi.quarter AS int_plus,
       '2025-Q3'::sroi.quarter OPERATOR(sroi.-) 3 AS minus,
       '2025-Q3'::sroi.quarter OPERATOR(sroi.-) '2024-Q4'::sroi.quarter AS diff;
SELECT '2024-Q4'::sroi.quarter OPERATOR(sroi.<) '2025-Q1'::sroi.quarter AS lt,
       '2024-Q4'::sroi.quarter OPERATOR(sroi.<=) '2025-Q1'::sroi.quarter AS le,
       '2024-Q4'::sroi.quarter OPERATOR(sroi.=) '2025-Q1'::sroi.quarter AS eq,
       '2024-Q4'::sroi.quarter OPERATOR(sroi.<>) '2025-Q1'::sroi.quarter AS ne,
       '2024-Q4'::sroi.quarter OPERATOR(sroi.>=) '2025-Q1'::sroi.quarter AS ge,
       '2024-Q4'::sroi.quarter OPERATOR(sroi.>) '2025-Q1'::sroi.quarter AS gt;
SELECT sroi.quarter('2025-08-15'::date) AS of_date,
       '2025-08-15'::date::sroi.quarter AS cast_date,
       sroi.quarter_start('2025-Q3') AS start,
       sroi.quarter_end('2025-Q3') AS "end",
       sroi.quarter_year('2025-Q3') AS year,
       sroi.quarter_number('2025-Q3') AS number;
SELECT q FROM sroi.quarters('2025-Q3', '2026-Q1') AS q;
-- Without sroi on the search_path the operators are not found unqualified.
SELECT '2025-Q3'::sroi.quarter + 1;
SELECT '2025-Q3'::sroi.quarter < '2025-Q4'::sroi.quarter;

SET search_path = sroi, public;
\pset null '<NULL>'

-- try(expr): the value of expr as text, or the SQLSTATE, message and detail
-- of its error, so that lists of bad values fit in one table.
CREATE FUNCTION pg_temp.try(expr text,
                            OUT result text, OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT (' || expr || ')::text' INTO result;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
                            message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
END
$$;

--
-- Text input and output.  Output is always YYYY-Qn with a 4-digit year.
--
SELECT quote_literal(input) AS input, input::quarter AS q
  FROM (VALUES ('2025-Q3'),
               ('2025Q3'),
               ('2025-q3'),
               ('2025q3'),
               ('  2025-Q3  '),
               ('2025-Q1'),
               ('2025-Q2'),
               ('2025-Q4'),
               ('0001-Q1'),
               ('1-Q1'),
               ('1q1'),
               ('9999-Q4'),
               ('999-Q2'),      -- year 999, written 0999
               ('25-Q1'),       -- year 25: two-digit years are not widened to 2025
               ('0025-Q1'),
               ('02025-Q3'),    -- leading zeros do not count towards the 4 digits
               ('000000000000000000002025-Q3'),
               ('2025-Q03'),    -- nor in the quarter number
               ('00009999Q4')) AS v(input);
-- Other blanks around the value: tab, newline, carriage return.
SELECT E'\t2025-Q3\n'::quarter AS tab_newline, E'\r\n 2025-q4 \t'::quarter AS cr_lf;
-- Text round trip: output, then input again, gives the same quarter.
SELECT q, q::text::quarter = q AS same
  FROM (VALUES ('0001-Q1'::quarter), ('0999-Q4'), ('2025-Q3'), ('9999-Q4')) AS v(q);
-- Every quarter from 0001-Q1 to 9999-Q4 (9999 * 4 = 39996 of them): the output
-- is lpad(year, 4)-Qn, reads back as the same quarter, and in text order too.
SELECT count(*) AS quarters,
       count(*) FILTER (WHERE q::text <> lpad(quarter_year(q)::text, 4, '0') || '-Q'
                                         || quarter_number(q)) AS bad_text,
       count(*) FILTER (WHERE q::text::quarter <> q) AS bad_round_trip,
       count(*) FILTER (WHERE q - '0001-Q1' <> i - 1) AS bad_position,
       min(q::text COLLATE "C") AS first, max(q::text COLLATE "C") AS last
  FROM quarters('0001-Q1', '9999-Q4') WITH ORDINALITY AS s(q, i);

-- Bad input: 22P02 when it is not YYYY-Qn, 22008 when the year is outside
-- 1..9999 or the quarter number outside 1..4.  The syntax is checked first
-- ('99999-Q' is a syntax error), then the year ('99999-Q5' is a year error).
SELECT quote_literal(input) AS input, t.state, t.message, t.detail
  FROM (VALUES ('2025-Q5'),
               ('2025-Q0'),
               ('2025-Q00'),
               ('2025-Q33'),
               ('2025-Q99999999999999999999'),
               ('99999-Q1'),
               ('10000-Q1'),
               ('0000-Q1'),
               ('0-Q1'),
               ('99999999999999999999-Q1'),
               ('99999-Q5'),
               ('0000-Q0'),
               ('Q3'),
               ('-Q3'),
               (''),
               ('   '),
               ('garbage'),
               ('2025'),
               ('2025-'),
               ('2025-Q'),
               ('99999-Q'),
               ('2025--Q3'),
               ('2025-Q3x'),
               ('2025-Q3 x'),
               ('2025-Q3-Q4'),
               ('2025-Q3;'),
               ('2025-Q3.0'),
               ('-2025-Q1'),
               ('+2025-Q1'),
               ('2025 Q3'),
               ('2025 -Q3'),
               ('2025-Q 3'),
               ('2025-Q-3'),
               ('2025-Q+3'),
               ('2025_Q3'),
               ('2025/Q3'),
               ('2025-3'),
               ('2025-K3'),
               ('20x5-Q3'),
               ('Q3-2025')) AS v(input),
       LATERAL pg_temp.try(format('%L::quarter', input)) AS t;
-- The same errors as psql shows them, with hint and detail.
SELECT 'garbage'::quarter;
SELECT '2025-Q5'::quarter;
SELECT '99999-Q1'::quarter;
CREATE TABLE qt_input (q quarter);
INSERT INTO qt_input VALUES ('2025-Q3'), ('2025-Q');
SELECT count(*) FROM qt_input;
DROP TABLE qt_input;

--
-- Comparison.  Across a year end: 2024-Q4 = [8099] < 2025-Q1 = [8100].
--
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge,
       a > b AS gt, quarter_cmp(a, b) AS cmp
  FROM (VALUES ('2024-Q4'::quarter, '2025-Q1'::quarter),
               ('2025-Q1', '2024-Q4'),
               ('2025-Q1', '2025-Q1'),
               ('2025-Q2', '2025-Q3'),
               ('2025-Q4', '2025-Q3'),
               ('2023-Q4', '2024-Q1'),
               ('1999-Q4', '2000-Q1'),
               ('0001-Q1', '9999-Q4'),
               ('9999-Q4', '9999-Q4')) AS v(a, b);
SELECT '2025-Q3'::quarter = '2025q3' AS eq_spellings,
       '2025-Q3'::quarter BETWEEN '2025-Q1' AND '2025-Q4' AS between,
       '2025-Q3'::quarter IN ('2024-Q3', '2025-Q3') AS in_list,
       '2025-Q3'::quarter IS DISTINCT FROM NULL AS distinct_null;
-- Ordering; the text form would sort the same way, but 2-digit input would not.
CREATE TABLE qt_order (q quarter);
INSERT INTO qt_order VALUES ('2025-Q1'), ('2024-Q4'), (NULL), ('25-Q1'), ('9999-Q4'),
    ('2025-Q3'), ('0001-Q1'), ('2024-Q4'), ('2025-Q2'), ('1999-Q4'), ('2000-Q1');
SELECT q FROM qt_order ORDER BY q;
SELECT q FROM qt_order ORDER BY q DESC NULLS LAST;
SELECT DISTINCT q FROM qt_order ORDER BY q;
-- Every quarter is later than the one before.
SELECT count(*) FILTER (WHERE NOT (q + 1 > q AND q < q + 1 AND q + 1 <> q
                                    AND quarter_cmp(q, q + 1) = -1
                                    AND quarter_cmp(q + 1, q) = 1
                                    AND quarter_cmp(q, q) = 0)) AS bad_order
  FROM quarters('0001-Q1', '9999-Q3') AS q;
DROP TABLE qt_order;

--
-- Btree index.
--
CREATE TABLE qt_index (q quarter, n int);
-- 2000-Q1 .. 2029-Q4: 30 years * 4 = 120 rows, n = 1 .. 120.
INSERT INTO qt_index SELECT q, row_number() OVER (ORDER BY q) FROM quarters('2000-Q1', '2029-Q4') AS q;
CREATE INDEX qt_index_q ON qt_index (q);
ANALYZE qt_index;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM qt_index WHERE q = '2025-Q3';
-- 2025-Q3 is the quarter 8102 - 8000 = 102 from 2000-Q1 = [8000], so n = 103.
SELECT * FROM qt_index WHERE q = '2025-Q3';
EXPLAIN (COSTS OFF) SELECT * FROM qt_index WHERE q BETWEEN '2024-Q4' AND '2025-Q2' ORDER BY q;
-- 2024-Q4 = [8099] -> n = 100, 2025-Q1 -> 101, 2025-Q2 -> 102
SELECT * FROM qt_index WHERE q BETWEEN '2024-Q4' AND '2025-Q2' ORDER BY q;
EXPLAIN (COSTS OFF) SELECT * FROM qt_index ORDER BY q DESC LIMIT 3;
SELECT * FROM qt_index ORDER BY q DESC LIMIT 3;
SELECT count(*) FROM qt_index WHERE q < '2001-Q1';   -- the 4 quarters of 2000
SELECT count(*) FROM qt_index WHERE q >= '2029-Q2';  -- 2029-Q2, Q3, Q4
RESET enable_seqscan;
RESET enable_bitmapscan;

--
-- Hashing: quarter_hash is the hash of the int4 [n], as for int4 itself; the
-- extended hash with seed 0 agrees with it in the low 32 bits, for every quarter.
--
SELECT q, quarter_hash(q) = hashint4(n) AS same_hash,
       quarter_hash_extended(q, 0) = hashint4extended(n, 0) AS same_ext0,
       quarter_hash_extended(q, 42) = hashint4extended(n, 42) AS same_ext42
  FROM (VALUES ('0001-Q1'::quarter, 4), ('2025-Q3', 8102), ('9999-Q4', 39999)) AS v(q, n);
SELECT count(*) FILTER (WHERE (quarter_hash_extended(q, 0) & 4294967295)
                              <> (quarter_hash(q)::bigint & 4294967295)) AS bad_low_bits
  FROM quarters('0001-Q1', '9999-Q4') AS q;

-- Days of 2024-11-01 .. 2025-04-30 and their quarters: 2024-Q4 has 30 + 31 = 61
-- of them, 2025-Q1 31 + 28 + 31 = 90, 2025-Q2 30; 181 in all.
CREATE TABLE qt_days (d date, q quarter);
INSERT INTO qt_days SELECT d, quarter(d)
  FROM (SELECT '2024-11-01'::date + i AS d FROM generate_series(0, 180) AS i) AS s;
CREATE TABLE qt_labels (q quarter, label text);
INSERT INTO qt_labels SELECT q, 'label ' || q FROM quarters('2024-Q1', '2025-Q4') AS q;
ANALYZE qt_days;
ANALYZE qt_labels;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT q, count(*) FROM qt_days GROUP BY q;
SELECT string_agg(q || ': ' || n, ', ' ORDER BY q) AS groups
  FROM (SELECT q, count(*) AS n FROM qt_days GROUP BY q) AS s;
RESET enable_sort;
-- Hash join.
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT l.label, count(*) FROM qt_days d JOIN qt_labels l ON l.q = d.q GROUP BY l.label;
SELECT l.label, count(*) FROM qt_days d JOIN qt_labels l ON l.q = d.q GROUP BY l.label ORDER BY l.label;
RESET enable_mergejoin;
-- Merge join.
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM qt_days d JOIN qt_labels l ON l.q = d.q;
SELECT count(*) FROM qt_days d JOIN qt_labels l ON l.q = d.q;
RESET enable_hashjoin;
RESET enable_nestloop;
-- Hash index.
CREATE INDEX qt_labels_q_hash ON qt_labels USING hash (q);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM qt_labels WHERE q = '2025-Q2';
SELECT * FROM qt_labels WHERE q = '2025-Q2';
RESET enable_seqscan;
RESET enable_bitmapscan;
DROP TABLE qt_days, qt_labels;

--
-- Partitioning.
--
-- By range: [2024-Q1, 2025-Q1) and [2025-Q1, 2026-Q1), the rest in the default.
CREATE TABLE qt_range (q quarter, note text) PARTITION BY RANGE (q);
CREATE TABLE qt_range_2024 PARTITION OF qt_range FOR VALUES FROM ('2024-Q1') TO ('2025-Q1');
CREATE TABLE qt_range_2025 PARTITION OF qt_range FOR VALUES FROM ('2025q1') TO ('2026-Q1');
INSERT INTO qt_range VALUES ('2024-Q1', 'first of 2024'), ('2024-Q4', 'last of 2024'),
    ('2025-Q1', 'first of 2025'), ('2025-Q4', 'last of 2025');
-- no partition for 2026-Q1 (the upper bound is exclusive) nor 2023-Q4 yet
INSERT INTO qt_range VALUES ('2026-Q1', 'too late');
INSERT INTO qt_range VALUES ('2023-Q4', 'too early');
CREATE TABLE qt_range_other PARTITION OF qt_range DEFAULT;
INSERT INTO qt_range VALUES ('2026-Q1', 'after'), ('2023-Q4', 'before');
SELECT tableoid::regclass AS partition, q, note FROM qt_range ORDER BY q;
EXPLAIN (COSTS OFF) SELECT * FROM qt_range WHERE q = '2025-Q2';
EXPLAIN (COSTS OFF) SELECT * FROM qt_range WHERE q >= '2025-Q1';
-- moving a row across partitions
UPDATE qt_range SET q = q + 1 WHERE q = '2024-Q4';
SELECT tableoid::regclass AS partition, q, note FROM qt_range WHERE note = 'last of 2024';
DROP TABLE qt_range;

-- By hash, modulus 4.  The partition of each row must satisfy its bound, and a
-- quarter goes where its int4 [n] goes in an int4 table, as the hashes agree.
CREATE TABLE qt_hash (q quarter) PARTITION BY HASH (q);
CREATE TABLE qt_hash_0 PARTITION OF qt_hash FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE qt_hash_1 PARTITION OF qt_hash FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE qt_hash_2 PARTITION OF qt_hash FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE qt_hash_3 PARTITION OF qt_hash FOR VALUES WITH (MODULUS 4, REMAINDER 3);
CREATE TABLE qt_hash_int (n int) PARTITION BY HASH (n);
CREATE TABLE qt_hash_int_0 PARTITION OF qt_hash_int FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE qt_hash_int_1 PARTITION OF qt_hash_int FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE qt_hash_int_2 PARTITION OF qt_hash_int FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE qt_hash_int_3 PARTITION OF qt_hash_int FOR VALUES WITH (MODULUS 4, REMAINDER 3);
-- 2023-Q1 .. 2026-Q4: 16 quarters, [8092] .. [8107]
INSERT INTO qt_hash SELECT q FROM quarters('2023-Q1', '2026-Q4') AS q;
INSERT INTO qt_hash_int SELECT n FROM generate_series(8092, 8107) AS n;
SELECT tableoid::regclass AS partition, string_agg(q::text, ' ' ORDER BY q) AS quarters
  FROM qt_hash GROUP BY tableoid ORDER BY tableoid::regclass::text;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE NOT satisfies_hash_partition('qt_hash'::regclass, 4,
           right(tableoid::regclass::text, 1)::int, q)) AS outside_bound
  FROM qt_hash;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE right(h.tableoid::regclass::text, 1)
                              <> right(i.tableoid::regclass::text, 1)) AS elsewhere
  FROM qt_hash h JOIN qt_hash_int i ON i.n = quarter_year(h.q) * 4 + quarter_number(h.q) - 1;
EXPLAIN (COSTS OFF) SELECT * FROM qt_hash WHERE q = '2025-Q3';
SELECT tableoid::regclass AS partition,
       (SELECT tableoid::regclass FROM qt_hash_int WHERE n = 8102) AS int_partition
  FROM qt_hash WHERE q = '2025-Q3';
DROP TABLE qt_hash, qt_hash_int;

--
-- Arithmetic in whole quarters.
--
SELECT expr, t.result
  FROM (VALUES ($$'2024-Q4'::quarter + 1$$),       -- [8099 + 1] = [8100] = 2025-Q1
               ($$1 + '2024-Q4'::quarter$$),       -- the same
               ($$'2025-Q1'::quarter - 1$$),       -- [8099] = 2024-Q4
               ($$'2025-Q3'::quarter + 0$$),
               ($$'2025-Q3'::quarter + 4$$),       -- one year later: 2026-Q3
               ($$'2025-Q3'::quarter + 6$$),       -- [8108] = [2027 * 4 + 0] = 2027-Q1
               ($$'2025-Q3'::quarter + -3$$),      -- [8099] = 2024-Q4
               ($$'2025-Q3'::quarter - -2$$),      -- [8104] = 2026-Q1
               ($$-5 + '2025-Q3'::quarter$$),      -- [8097] = [2024 * 4 + 1] = 2024-Q2
               ($$'2025-Q3'::quarter - 8$$),       -- two years earlier: 2023-Q3
               ($$'2025-Q1'::quarter - '2023-Q3'$$),  -- (2025*4+0) - (2023*4+2) = 6
               ($$'2023-Q3'::quarter - '2025-Q1'$$),  -- -6
               ($$'2025-Q3'::quarter - '2025-Q3'$$),  -- 0
               ($$'2025-Q1'::quarter - '2024-Q4'$$),  -- 1, across the year end
               ($$'9999-Q4'::quarter - '0001-Q1'$$),  -- 39999 - 4 = 39995
               ($$'0001-Q1'::quarter - '9999-Q4'$$),  -- -39995
               ($$'0001-Q1'::quarter + 39995$$),      -- 9999-Q4
               ($$'9999-Q4'::quarter - 39995$$),      -- 0001-Q1
               ($$'9999-Q3'::quarter + 1$$),          -- 9999-Q4, the last quarter
               ($$'0001-Q2'::quarter - 1$$),          -- 0001-Q1, the first quarter
               ($$('2025-Q3'::quarter + 5) - 5$$),
               ($$('2025-Q3'::quarter + 5) - '2025-Q3'$$)) AS v(expr),
       LATERAL pg_temp.try(expr) AS t;
-- Results outside 0001-Q1 .. 9999-Q4 are errors, also for the extreme int4 values.
SELECT expr, t.state, t.message, t.detail
  FROM (VALUES ($$'9999-Q4'::quarter + 1$$),
               ($$1 + '9999-Q4'::quarter$$),
               ($$'9999-Q4'::quarter - -1$$),
               ($$'0001-Q1'::quarter - 1$$),
               ($$'0001-Q1'::quarter + -1$$),
               ($$-1 + '0001-Q1'::quarter$$),
               ($$'0001-Q1'::quarter + 39996$$),      -- [40000]
               ($$'9999-Q4'::quarter - 39996$$),      -- [3]
               ($$'2025-Q1'::quarter + 2147483647$$),
               ($$2147483647 + '2025-Q1'::quarter$$),
               ($$'2025-Q1'::quarter - 2147483647$$),
               ($$'2025-Q1'::quarter + (-2147483648)::int4$$),
               ($$(-2147483648)::int4 + '2025-Q1'::quarter$$),
               ($$'2025-Q1'::quarter - (-2147483648)::int4$$)) AS v(expr),
       LATERAL pg_temp.try(expr) AS t;
SELECT '9999-Q4'::quarter + 1;
SELECT '0001-Q1'::quarter - 1;

--
-- Quarter of a date: quarter(date) and the cast date::quarter.
--
SELECT d, quarter(d) AS quarter, d::quarter AS cast, CAST(d AS quarter) AS cast2
  FROM (VALUES ('2025-01-01'::date), ('2025-03-31'), ('2025-04-01'), ('2025-06-30'),
               ('2025-07-01'), ('2025-09-30'), ('2025-10-01'), ('2025-12-31'),
               ('2024-02-29'), ('2024-03-01'), ('1999-12-31'), ('2000-01-01'),
               ('0001-01-01'), ('0001-12-31'), ('9999-01-01'), ('9999-12-31')) AS v(d);
-- Every day of the years 1 to 9999: 9999 * 365 + 2424 leap days (2499 years
-- divisible by 4, less 99 by 100, plus 24 by 400) = 3652059 days, each in the
-- quarter PostgreSQL's own calendar gives.
SELECT count(*) AS days,
       count(*) FILTER (WHERE quarter(d)::text <> to_char(d, 'YYYY-"Q"Q')) AS bad
  FROM (SELECT '0001-01-01'::date + i AS d
          FROM generate_series(0, '9999-12-31'::date - '0001-01-01'::date) AS i) AS s;
-- Dates outside the years 1 to 9999: 22008.
SELECT d, t.state, t.message
  FROM (VALUES ('infinity'), ('-infinity'), ('10000-01-01'), ('5874897-12-31'),
               ('0001-12-31 BC'), ('4713-01-01 BC')) AS v(d),
       LATERAL pg_temp.try(format('quarter(%L::date)', d)) AS t;
SELECT 'infinity'::date::quarter;
SELECT quarter('0001-12-31 BC'::date);

--
-- First and last day of a quarter, year and number.  Days in a quarter:
-- Q1 = 31 + 28 + 31 = 90 (91 in a leap year), Q2 = 30 + 31 + 30 = 91,
-- Q3 = 31 + 31 + 30 = 92, Q4 = 31 + 30 + 31 = 92.
--
SELECT q, quarter_start(q) AS start, quarter_end(q) AS "end",
       quarter_end(q) - quarter_start(q) + 1 AS days,
       quarter_year(q) AS year, quarter_number(q) AS number
  FROM (VALUES ('2024-Q1'::quarter), ('2024-Q2'), ('2024-Q3'), ('2024-Q4'),
               ('2025-Q1'), ('2025-Q2'), ('2025-Q3'), ('2025-Q4'),
               ('1900-Q1'),   -- 1900 is not a leap year: 90 days
               ('2000-Q1'),   -- 2000 is: 91 days
               ('0001-Q1'), ('9999-Q4')) AS v(q);
-- For every quarter: the first day is the 1st of month 3n - 2, the last day is
-- the day before the first day 3 months later, both days lie in the quarter,
-- and the next quarter starts the day after.
SELECT count(*) AS quarters,
       count(*) FILTER (WHERE quarter_start(q)
                              <> make_date(quarter_year(q), 3 * quarter_number(q) - 2, 1))
           AS bad_start,
       count(*) FILTER (WHERE quarter_end(q)
                              <> (make_date(quarter_year(q), 3 * quarter_number(q) - 2, 1)
                                  + interval '3 months' - interval '1 day')::date) AS bad_end,
       count(*) FILTER (WHERE quarter(quarter_start(q)) <> q
                           OR quarter(quarter_end(q)) <> q) AS bad_days,
       count(*) FILTER (WHERE q < '9999-Q4' AND quarter_end(q) + 1 <> quarter_start(q + 1))
           AS bad_next
  FROM quarters('0001-Q1', '9999-Q4') AS q;

--
-- quarters(from, to): every quarter from from to to, both included, in order.
--
SELECT * FROM quarters('2024-Q3', '2025-Q2') WITH ORDINALITY AS s(q, i);
SELECT * FROM quarters('2025-Q3', '2025-Q3');                -- one quarter
SELECT * FROM quarters('2025-Q3', '2025-Q2');                -- none: to < from
SELECT count(*) FROM quarters('2025-Q1', '2020-Q1');         -- none
SELECT * FROM quarters('9999-Q3', '9999-Q4');                -- up to the last quarter
SELECT count(*) FROM quarters('2020-Q1', '2029-Q4');         -- 10 years: 40
SELECT count(*) FROM quarters('0001-Q1', '9999-Q4');         -- 9999 * 4 = 39996

--
-- Binary send and receive: the int4 [n].
--
SELECT q, quarter_send(q) AS binary
  FROM (VALUES ('0001-Q1'::quarter), ('2025-Q3'), ('9999-Q4')) AS v(q);
-- 0001-Q1 = [4] = 0x4; 2025-Q3 = [8102] = 0x1fa6; 9999-Q4 = [39999] = 0x9c3f
COPY (SELECT '2025-Q3'::quarter) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
-- The file: signature PGCOPY\n\377\r\n\0, flags 0, header extension length 0,
-- 1 field, 4 bytes, 00001fa6, then the trailer -1.
SELECT encode(pg_read_binary_file('/tmp/sroi_quarter_regress.bin'), 'hex') AS file;
CREATE TABLE qt_binary (q quarter);
COPY (SELECT q FROM (VALUES ('0001-Q1'::quarter), ('2024-Q4'), ('2025-Q1'), ('2025-Q3'),
                            (NULL), ('9999-Q4')) AS v(q))
  TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
SELECT q FROM qt_binary ORDER BY q;
-- The int4 at the limits, 4 = 0001-Q1 and 39999 = 9999-Q4, is read as a quarter.
TRUNCATE qt_binary;
COPY (SELECT n FROM (VALUES (4::int4), (39999)) AS v(n)) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
SELECT q FROM qt_binary ORDER BY q;
-- One beyond them, 3 and 40000, and a negative int4 are rejected.
COPY (SELECT 3::int4) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY (SELECT 40000::int4) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY (SELECT -1::int4) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
-- A field of 2 bytes is too short for a quarter.
COPY (SELECT 8102::int2) TO '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
COPY qt_binary FROM '/tmp/sroi_quarter_regress.bin' (FORMAT binary);
SELECT q FROM qt_binary ORDER BY q;   -- still the two rows of before
DROP TABLE qt_binary;

--
-- NULL: every function is strict.
--
SELECT NULL::quarter AS q, NULL::text::quarter AS from_text,
       NULL::quarter + 1 AS plus, 1 + NULL::quarter AS int_plus,
       '2025-Q3'::quarter + NULL::int AS plus_null, NULL::quarter - 1 AS minus,
       NULL::quarter - '2025-Q3' AS diff, '2025-Q3'::quarter - NULL::quarter AS diff2;
SELECT NULL::quarter < '2025-Q3' AS lt, NULL::quarter = NULL::quarter AS eq,
       quarter_cmp(NULL, '2025-Q3') AS cmp, quarter_hash(NULL) AS hash,
       quarter_hash_extended(NULL, 0) AS hash_ext;
SELECT quarter(NULL::date) AS quarter, NULL::date::quarter AS cast,
       quarter_start(NULL) AS start, quarter_end(NULL) AS "end",
       quarter_year(NULL) AS year, quarter_number(NULL) AS number,
       quarter_send(NULL) AS send;
SELECT count(*) FROM quarters(NULL, '2025-Q3');
SELECT count(*) FROM quarters('2025-Q3', NULL);

RESET search_path;
RESET datestyle;
