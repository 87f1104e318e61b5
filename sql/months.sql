-- sroi.months(starts_on, ends_on): M of domain.md 3, both days counted.
-- e' = ends_on + 1 day; k = largest whole number with s + k months <= e' (end of month
-- clamped, as date + interval); r = e' - (s + k months) in days; L = days from
-- s + k months to s + k + 1 months; M = k + r / L.  A fraction that does not
-- terminate is shown rounded to 20 decimals.

SET datestyle = 'ISO, YMD';

-- Errors show their SQLSTATE and message; never a source location: pg_temp.err(q).
\getenv abs_srcdir PG_ABS_SRCDIR
\set err_psql :abs_srcdir '/sql/include/err.psql'
\i :err_psql

-- The three examples of domain.md 3.
-- e' = 2026-01-01 = s + 12 months, r = 0: 12
SELECT sroi.months('2025-01-01', '2025-12-31');
-- e' = 2025-04-15 = s + 3 months, r = 0: 3
SELECT sroi.months('2025-01-15', '2025-04-14');
-- e' = 2025-01-16, k = 0, r = 15, L = Jan 1 -> Feb 1 = 31: 15/31 = 0.48387096774193548387
SELECT sroi.months('2025-01-01', '2025-01-15');

-- One-day spans (start = end): k = 0, r = 1, L = the days from s to s + 1 month.
-- L = Mar 10 -> Apr 10 = 31: 1/31 = 0.03225806451612903226
SELECT sroi.months('2025-03-10', '2025-03-10');
-- L = Apr 10 -> May 10 = 30: 1/30 = 0.03333333333333333333
SELECT sroi.months('2025-04-10', '2025-04-10');
-- L = 2025-02-10 -> 2025-03-10 = 28: 1/28 = 0.03571428571428571429 (…571428|57 rounds up)
SELECT sroi.months('2025-02-10', '2025-02-10');
-- leap year, L = 2024-02-10 -> 2024-03-10 = 29: 1/29 = 0.03448275862068965517
SELECT sroi.months('2024-02-10', '2024-02-10');
-- the last day sroi accepts: L = 9999-12-31 -> 10000-01-31 = 31: 1/31 = 0.03225806451612903226
SELECT sroi.months('9999-12-31', '9999-12-31');

-- Leap years.
-- e' = 2024-03-01 = s + 1 month: 1
SELECT sroi.months('2024-02-01', '2024-02-29');
-- e' = 2023-03-01 = s + 1 month: 1
SELECT sroi.months('2023-02-01', '2023-02-28');
-- e' = 2024-02-29, k = 0, r = 28, L = Feb 1 -> Mar 1 2024 = 29: 28/29 = 0.96551724137931034483
SELECT sroi.months('2024-02-01', '2024-02-28');
-- e' = 2023-03-02, k = 1 (Mar 1), r = 1, L = Mar 1 -> Apr 1 = 31: 1 + 1/31 = 1.03225806451612903226
SELECT sroi.months('2023-02-01', '2023-03-01');

-- End-of-month starts: s + k months is clamped to the end of the target month.
-- e' = 2025-02-28 = Jan 31 + 1 month (clamped to Feb 28): 1
SELECT sroi.months('2025-01-31', '2025-02-27');
-- e' = 2025-02-27 < Feb 28, k = 0, r = 27, L = Jan 31 -> Feb 28 = 28: 27/28 = 0.96428571428571428571
SELECT sroi.months('2025-01-31', '2025-02-26');
-- e' = 2025-03-01, k = 1 (Feb 28; +2 = Mar 31 > e'), r = 1, L = Feb 28 -> Mar 31 = 31:
-- 1 + 1/31 = 1.03225806451612903226
SELECT sroi.months('2025-01-31', '2025-02-28');
-- e' = 2025-03-30, k = 1, r = 30, L = 31: 1 + 30/31 = 1.96774193548387096774
SELECT sroi.months('2025-01-31', '2025-03-29');
-- e' = 2025-03-31 = Jan 31 + 2 months: 2
SELECT sroi.months('2025-01-31', '2025-03-30');
-- e' = 2025-04-01, k = 2 (Mar 31; +3 = Apr 30 > e'), r = 1, L = Mar 31 -> Apr 30 = 30:
-- 2 + 1/30 = 2.03333333333333333333
SELECT sroi.months('2025-01-31', '2025-03-31');
-- e' = 2024-03-01, k = 1 (Feb 29; +2 = Mar 31 > e'), r = 1, L = Feb 29 -> Mar 31 = 31:
-- 1 + 1/31 = 1.03225806451612903226
SELECT sroi.months('2024-01-31', '2024-02-29');
-- e' = 2024-02-29 = Jan 31 + 1 month (clamped to Feb 29): 1
SELECT sroi.months('2024-01-31', '2024-02-28');
-- e' = 2025-04-30 = Mar 31 + 1 month (clamped to Apr 30): 1
SELECT sroi.months('2025-03-31', '2025-04-29');
-- e' = 2026-02-28 = Aug 31 2025 + 6 months (clamped): 6
SELECT sroi.months('2025-08-31', '2026-02-27');

-- Multi-year spans.
-- e' = 2030-01-01 = s + 60 months: 60
SELECT sroi.months('2025-01-01', '2029-12-31');
-- e' = 2024-02-29 = s + 48 months: 48
SELECT sroi.months('2020-02-29', '2024-02-28');
-- e' = 2021-02-28 = Feb 29 2020 + 12 months (clamped): 12
SELECT sroi.months('2020-02-29', '2021-02-27');
-- e' = 2021-03-01, k = 12 (2021-02-28; +13 = 2021-03-29 > e'), r = 1,
-- L = 2021-02-28 -> 2021-03-29 = 29: 12 + 1/29 = 12.03448275862068965517
SELECT sroi.months('2020-02-29', '2021-02-28');
-- e' = 2028-03-16, k = 32 (2025-07-01 + 32 months = 2028-03-01), r = 15,
-- L = Mar 1 -> Apr 1 2028 = 31: 32 + 15/31 = 32.48387096774193548387
SELECT sroi.months('2025-07-01', '2028-03-15');
-- the whole range: e' = 10000-01-01 = 0001-01-01 + 9999 x 12 months: 119988
SELECT sroi.months('0001-01-01', '9999-12-31');

-- NULL arguments: STRICT, NULL.
SELECT sroi.months(NULL, '2025-01-01') IS NULL AS start_null,
       sroi.months('2025-01-01', NULL) IS NULL AS end_null,
       sroi.months(NULL, NULL) IS NULL AS both_null;

-- Errors: class 22.
-- ends_on before starts_on: 22023
SELECT pg_temp.err($q$SELECT sroi.months('2025-02-01', '2025-01-31')$q$);
-- infinity and years outside 1..9999: 22008
SELECT pg_temp.err($q$SELECT sroi.months('infinity', '2025-01-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.months('2025-01-01', 'infinity')$q$);
SELECT pg_temp.err($q$SELECT sroi.months('-infinity', '2025-01-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.months('0001-12-31 BC', '2025-01-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.months('9999-12-31', '10000-01-01')$q$);

-- Properties.
-- Monotone in e: from a Jan 31 start, M never decreases over two years of end dates
-- (731 end dates, 2025-01-31 .. 2027-01-31), and is strictly positive.
SELECT bool_and(m >= prev) AS never_decreases, bool_and(m > 0) AS positive, count(*) AS end_dates
  FROM (SELECT sroi.months('2025-01-31', e::date) AS m,
               lag(sroi.months('2025-01-31', e::date), 1, 0::numeric) OVER (ORDER BY e) AS prev
          FROM generate_series('2025-01-31'::date, '2027-01-31'::date, '1 day') AS e) AS t;
-- The same for every start in 2024 (a leap year) and every end within 400 days.
SELECT bool_and(m >= prev) AS never_decreases
  FROM (SELECT sroi.months(s::date, s::date + n) AS m,
               lag(sroi.months(s::date, s::date + n), 1, 0::numeric)
                   OVER (PARTITION BY s ORDER BY n) AS prev
          FROM generate_series('2024-01-01'::date, '2024-12-31'::date, '1 day') AS s,
               generate_series(0, 399) AS n) AS t;
-- The day before s + n months always closes exactly n months (e' = s + n months, r = 0),
-- for every start in 2024..2025 and n = 1..24: each row is a whole number n.
SELECT bool_and(sroi.months(s::date, (s + make_interval(months => n))::date - 1) = n) AS whole_months
  FROM generate_series('2024-01-01'::date, '2025-12-31'::date, '1 day') AS s,
       generate_series(1, 24) AS n;
-- M < 1 for every span shorter than a month: e' before s + 1 month.
SELECT bool_and(sroi.months(s::date, (s + interval '1 month')::date - 2) < 1) AS under_one
  FROM generate_series('2024-01-01'::date, '2025-12-31'::date, '1 day') AS s;
