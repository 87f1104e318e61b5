-- sroi.obligation, sroi.labour_discount, sroi.pso_discount: domain.md 1.
-- gross = round(contract_value x pct / 100, 2), half away from zero; pct NULL means
-- default_pct (5) strictly above threshold (200000), else 0.
-- discount = round(gross x labour_share x rung discount, 2); rungs: 1 10 %, 2 25 %,
-- 3 50 %, aspirant and none 0 %.

SET datestyle = 'ISO, YMD';

-- Errors show their SQLSTATE and message; never a source location: pg_temp.err(q).
\getenv abs_srcdir PG_ABS_SRCDIR
\set err_psql :abs_srcdir '/sql/include/err.psql'
\i :err_psql

-- Threshold: strictly above 200,000.
-- 200000.00 is not above 200000: pct 0, 200000.00 x 0 / 100 = 0.00
SELECT sroi.obligation(200000.00);
-- 200000.01 > 200000: 5 %, 200000.01 x 5 / 100 = 10000.0005 -> 10000.00
SELECT sroi.obligation(200000.01);
-- 100000 (under): 0.00;  0: 0.00
SELECT sroi.obligation(100000), sroi.obligation(0);

-- Default 5 % and the agreed 2 %.
-- 1000000 x 5 / 100 = 50000.00
SELECT sroi.obligation(1000000);
-- 1000000 x 2 / 100 = 20000.00
SELECT sroi.obligation(1000000, 2);
-- pct 0, the exemption: 1000000 x 0 / 100 = 0.00
SELECT sroi.obligation(1000000, 0);
-- pct 100: 1234.56 x 100 / 100 = 1234.56
SELECT sroi.obligation(1234.56, 100);
-- pct 2.5: 1000000 x 2.5 / 100 = 25000.00
SELECT sroi.obligation(1000000, 2.5);
-- pct 3.333: 333333.33 x 3.333 / 100 = 11109.9998889 -> 11110.00
SELECT sroi.obligation(333333.33, 3.333);

-- A recorded pct applies whatever the value, also at or under the threshold.
-- 100000 x 5 / 100 = 5000.00;  200000 x 2 / 100 = 4000.00;  0 x 5 / 100 = 0.00
SELECT sroi.obligation(100000, 5), sroi.obligation(200000, 2), sroi.obligation(0, 5);

-- Custom threshold and default_pct.
-- threshold 100000: 150000 > 100000, 150000 x 5 / 100 = 7500.00
SELECT sroi.obligation(150000, NULL, 100000);
-- threshold 100000: 100000 is not above it: 0.00
SELECT sroi.obligation(100000, NULL, 100000);
-- threshold 0: 0.01 > 0, 0.01 x 5 / 100 = 0.0005 -> 0.00;  100 x 5 / 100 = 5.00
SELECT sroi.obligation(0.01, NULL, 0), sroi.obligation(100, NULL, 0);
-- default_pct 3: 300000 x 3 / 100 = 9000.00
SELECT sroi.obligation(300000, NULL, 200000, 3);
-- named default_pct 2.5 with the default threshold: 300000 x 2.5 / 100 = 7500.00
SELECT sroi.obligation(300000, default_pct => 2.5);
-- threshold 1000000 with a recorded pct: 500000 x 2 / 100 = 10000.00 (pct applies anyway)
SELECT sroi.obligation(500000, 2, 1000000);

-- Rounding half away from zero (half-even would give the second value in brackets).
-- 0.10 x 5 / 100 = 0.005 -> 0.01 (0.00)
SELECT sroi.obligation(0.10, 5);
-- 0.90 x 5 / 100 = 0.045 -> 0.05 (0.04)
SELECT sroi.obligation(0.90, 5);
-- 250000.10 x 5 / 100 = 12500.005 -> 12500.01 (12500.00), default pct
SELECT sroi.obligation(250000.10);
-- 1234567.89 x 2 / 100 = 24691.3578 -> 24691.36
SELECT sroi.obligation(1234567.89, 2);
-- 0.09 x 5 / 100 = 0.0045 -> 0.00 (below the half)
SELECT sroi.obligation(0.09, 5);

-- Amounts near EUR 10 billion.
-- 10000000000.00 x 5 / 100 = 500000000.00
SELECT sroi.obligation(10000000000.00);
-- 9999999999.99 x 5 / 100 = 499999999.9995 -> 500000000.00
SELECT sroi.obligation(9999999999.99);
-- 10000000000.01 x 2 / 100 = 200000000.0002 -> 200000000.00
SELECT sroi.obligation(10000000000.01, 2);

-- NULL contract_value, threshold or default_pct: NULL.  NULL pct is the default.
SELECT sroi.obligation(NULL) IS NULL AS value_null,
       sroi.obligation(NULL, 5) IS NULL AS value_null_with_pct,
       sroi.obligation(300000, 5, NULL) IS NULL AS threshold_null,
       sroi.obligation(300000, NULL, 200000, NULL) IS NULL AS default_pct_null;

-- Errors: class 22.
-- negative contract_value: 22003
SELECT pg_temp.err($q$SELECT sroi.obligation(-0.01)$q$);
-- pct below 0 and above 100: 22003
SELECT pg_temp.err($q$SELECT sroi.obligation(1000000, -1)$q$);
SELECT pg_temp.err($q$SELECT sroi.obligation(1000000, 100.01)$q$);
-- NaN and infinity: 22P02
SELECT pg_temp.err($q$SELECT sroi.obligation('NaN')$q$);
SELECT pg_temp.err($q$SELECT sroi.obligation(1000000, 'NaN')$q$);
SELECT pg_temp.err($q$SELECT sroi.obligation('Infinity')$q$);
-- negative threshold: 22003
SELECT pg_temp.err($q$SELECT sroi.obligation(1000000, NULL, -1)$q$);
-- default_pct outside 0..100: 22003, also when it would not apply (value under the threshold)
SELECT pg_temp.err($q$SELECT sroi.obligation(1000000, NULL, 200000, 101)$q$);
SELECT pg_temp.err($q$SELECT sroi.obligation(100000, NULL, 200000, -5)$q$);

-- PSO discount, every rung, labour_share 1 (the default).
-- gross 10000.00: none 0 % = 0.00, aspirant 0 % = 0.00, 1: 10000 x 1 x 10 % = 1000.00,
-- 2: 10000 x 1 x 25 % = 2500.00, 3: 10000 x 1 x 50 % = 5000.00
SELECT rung, sroi.pso_discount(10000.00, rung) AS discount
  FROM unnest(enum_range(NULL::sroi.pso_rung)) AS rung ORDER BY rung;
-- labour_share 0.6: none 0.00, aspirant 0.00, 1: 10000 x 0.6 x 10 % = 600.00,
-- 2: 10000 x 0.6 x 25 % = 1500.00, 3: 10000 x 0.6 x 50 % = 3000.00
SELECT rung, sroi.pso_discount(10000.00, rung, 0.6) AS discount
  FROM unnest(enum_range(NULL::sroi.pso_rung)) AS rung ORDER BY rung;
-- labour_share 0 and 1 explicitly: 0.00 and 10000 x 50 % = 5000.00
SELECT sroi.pso_discount(10000, '3', 0), sroi.pso_discount(10000, '3', 1);

-- Rounding.
-- 12345.67 rung 1: 12345.67 x 10 % = 1234.567 -> 1234.57
SELECT sroi.pso_discount(12345.67, '1');
-- 12345.67 rung 2: 12345.67 x 25 % = 3086.4175 -> 3086.42
SELECT sroi.pso_discount(12345.67, '2');
-- 12345.67 x 0.6 x 10 % = 740.7402 -> 740.74;  x 0.6 x 50 % = 3703.701 -> 3703.70
SELECT sroi.pso_discount(12345.67, '1', 0.6), sroi.pso_discount(12345.67, '3', 0.6);
-- half away from zero: 0.01 x 50 % = 0.005 -> 0.01 (half-even: 0.00)
SELECT sroi.pso_discount(0.01, '3');

-- The net obligation: 1000000 at 5 % = 50000.00, rung 2 on labour share 0.6:
-- 50000 x 0.6 x 25 % = 7500.00, net 50000.00 - 7500.00 = 42500.00
SELECT g AS gross, d AS discount, g - d AS net
  FROM (SELECT sroi.obligation(1000000) AS g) AS o,
       LATERAL (SELECT sroi.pso_discount(o.g, '2', 0.6) AS d) AS x;

-- labour_discount with any percentage.
-- 10000 x 0.8 x 12.5 % = 1000.00;  default share 1: 10000 x 12.5 % = 1250.00
SELECT sroi.labour_discount(10000, 12.5, 0.8), sroi.labour_discount(10000, 12.5);
-- 100 %: 999.99 x 1 x 100 % = 999.99;  0 %: 0.00
SELECT sroi.labour_discount(999.99, 100), sroi.labour_discount(999.99, 0);
-- 0.03 x 0.5 x 50 % = 0.0075 -> 0.01
SELECT sroi.labour_discount(0.03, 50, 0.5);

-- NULL: STRICT, NULL.
SELECT sroi.pso_discount(NULL, '1') IS NULL AS gross_null,
       sroi.pso_discount(100, NULL) IS NULL AS rung_null,
       sroi.pso_discount(100, '1', NULL) IS NULL AS share_null,
       sroi.labour_discount(NULL, 10) IS NULL AS ld_gross_null,
       sroi.labour_discount(100, NULL) IS NULL AS ld_pct_null,
       sroi.labour_discount(100, 10, NULL) IS NULL AS ld_share_null;

-- Errors: class 22.
-- labour_share outside [0, 1]: 22003
SELECT pg_temp.err($q$SELECT sroi.pso_discount(10000, '1', 1.01)$q$);
SELECT pg_temp.err($q$SELECT sroi.pso_discount(10000, '1', -0.1)$q$);
SELECT pg_temp.err($q$SELECT sroi.labour_discount(10000, 10, 2)$q$);
-- labour_share NaN: 22P02
SELECT pg_temp.err($q$SELECT sroi.pso_discount(10000, '1', 'NaN')$q$);
-- negative gross: 22003
SELECT pg_temp.err($q$SELECT sroi.pso_discount(-1, '1')$q$);
-- discount_pct outside 0..100: 22003
SELECT pg_temp.err($q$SELECT sroi.labour_discount(10000, 100.5)$q$);
SELECT pg_temp.err($q$SELECT sroi.labour_discount(10000, -10)$q$);
-- no such rung: 22P02
SELECT pg_temp.err($q$SELECT sroi.pso_discount(10000, '4')$q$);
