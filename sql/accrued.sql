-- sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on, as_of,
--              planned_ends_on, max_months, term_starts_on, term_ends_on):
-- V(as_of) of domain.md 3, exact inside, rounded half away from zero to cents once.
--   fte_period: amount x fte x M(start, min(as_of, end)) / reference_months
--               (M capped at max_months when given)
--   agreement:  amount x days(start, min(as_of, end)) / days(start, planned end),
--               at most amount; days(a, b) = b - a + 1; planned end NULL: ends_on
--   hour:       amount x hours on the start date; invoice, negotiated: amount on the start date
-- Term: only days in [term_starts_on, term_ends_on] earn value; an agreement's
-- denominator stays the whole agreement.
-- M(s, e) = k + r / L, see sql/months.sql.

SET datestyle = 'ISO, YMD';

-- Errors show their SQLSTATE and message; never a source location: pg_temp.err(q).
\getenv abs_srcdir PG_ABS_SRCDIR
\set err_psql :abs_srcdir '/sql/include/err.psql'
\i :err_psql

-------------------------------------------------------------------------------
-- fte_period
-------------------------------------------------------------------------------
-- A2 one year at 1 fte: M(2025-01-01, 2025-12-31) = 12: 40000 x 1 x 12 / 12 = 40000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2025-12-31', '2025-12-31');
-- A2 two years, no cap: M = 24: 40000 x 1 x 24 / 12 = 80000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2026-12-31', '2026-12-31');
-- max_months 12 caps two years: 40000 x 1 x min(24, 12) / 12 = 40000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2026-12-31', '2026-12-31', max_months => 12);
-- max_months 12 not reached at M = 6: 40000 x 6 / 12 = 20000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2026-12-31', '2025-06-30', max_months => 12);
-- max_months 12 on a Jan 31 start, as of 2026-01-31: e' = Feb 1 2026, k = 12 (Jan 31 2026),
-- r = 1, L = Jan 31 -> Feb 28 2026 = 28: M = 12 + 1/28 > 12, capped: 40000 x 12 / 12 = 40000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-31', NULL, '2026-01-31', max_months => 12);
-- fte 0.8889, one year: 40000 x 0.8889 x 12 / 12 = 35556.00
SELECT sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-01', '2025-12-31', '2025-12-31');
-- fte 0.0001, one year: 40000 x 0.0001 = 4.00
SELECT sroi.accrued('fte_period', 40000, 12, 0.0001, '2025-01-01', '2025-12-31', '2025-12-31');
-- fte with trailing zeros is fine: 0.50000 = 0.5: 40000 x 0.5 = 20000.00
SELECT sroi.accrued('fte_period', 40000, 12, 0.50000, '2025-01-01', '2025-12-31', '2025-12-31');
-- A1 half time, a year: 30000 x 0.5 x 12 / 12 = 15000.00
SELECT sroi.accrued('fte_period', 30000, 12, 0.5, '2025-01-01', NULL, '2025-12-31');
-- B5 (reference 24 months), one year: 10000 x 1 x 12 / 24 = 5000.00
SELECT sroi.accrued('fte_period', 10000, 24, 1, '2025-01-01', NULL, '2025-12-31');
-- B8 one quarter: M(Jan 1, Mar 31) = 3: 6000 x 3 / 12 = 1500.00
SELECT sroi.accrued('fte_period', 6000, 12, 1, '2025-01-01', NULL, '2025-03-31');
-- partial month: M(2025-01-01, 2025-01-15) = 15/31: 40000 x 15/31 / 12 = 600000/372 = 1612.9032 -> 1612.90
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2025-01-15', '2025-01-15');
-- partial month at fte 0.8889: 40000 x 0.8889 x 15/31 / 12 = 533340/372 = 1433.7097 -> 1433.71
SELECT sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-01', NULL, '2025-01-15');
-- ongoing (ends_on NULL) accrues to as_of: M(2025-01-01, 2025-06-30) = 6: 40000 x 6 / 12 = 20000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, '2025-06-30');
-- ongoing, three years later: M = 36: 40000 x 36 / 12 = 120000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, '2027-12-31');
-- as_of before the start: 0.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2025-12-31', '2024-12-31');
-- as_of on the start day: M = 1/31: 40000 / 31 / 12 = 107.5269 -> 107.53
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2025-12-31', '2025-01-01');
-- as_of after the end: the value at the end, M(Jan 1, Mar 31) = 3: 40000 x 3 / 12 = 10000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2025-03-31', '2026-01-01');
-- Jan 31 start, as of Feb 27: M = 1 (e' = Feb 28 = Jan 31 + 1 month): 40000 / 12 = 3333.333 -> 3333.33
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-31', NULL, '2025-02-27');
-- Jan 31 start, as of Feb 28: M = 1 + 1/31: 40000 x 32/31 / 12 = 1280000/372 = 3440.8602 -> 3440.86
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-31', NULL, '2025-02-28');
-- Jan 31 start, as of Mar 30: M = 2: 40000 x 2 / 12 = 6666.667 -> 6666.67
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-31', NULL, '2025-03-30');
-- Jan 31 start, leap year, as of 2024-02-29: M = 1 + 1/31: 3440.86 as above
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2024-01-31', NULL, '2024-02-29');
-- rounding half away from zero: 0.01 x 6 / 12 = 0.005 -> 0.01 (half-even: 0.00);
-- 0.05 x 6 / 12 = 0.025 -> 0.03 (half-even: 0.02)
SELECT sroi.accrued('fte_period', 0.01, 12, 1, '2025-01-01', NULL, '2025-06-30'),
       sroi.accrued('fte_period', 0.05, 12, 1, '2025-01-01', NULL, '2025-06-30');
-- quarter by quarter, A2 1 fte from 2025-01-15, ongoing; V(x) and V(x) - V(previous quarter end):
--   Mar 31: e' = Apr 1, k = 2 (Mar 15), r = 17, L = 31: M = 79/31,  40000 x 79/31/12 = 8494.6237 -> 8494.62
--   Jun 30: e' = Jul 1, k = 5 (Jun 15), r = 16, L = 30: M = 83/15,  40000 x 83/15/12 = 18444.4444 -> 18444.44, Q2 9949.82
--   Sep 30: e' = Oct 1, k = 8 (Sep 15), r = 16, L = 30: M = 128/15, 40000 x 128/15/12 = 28444.4444 -> 28444.44, Q3 10000.00
--   Dec 31: e' = Jan 1, k = 11 (Dec 15), r = 17, L = 31: M = 358/31, 40000 x 358/31/12 = 38494.6237 -> 38494.62, Q4 10050.18
--   8494.62 + 9949.82 + 10000.00 + 10050.18 = 38494.62
SELECT q::text AS quarter,
       sroi.accrued('fte_period', 40000, 12, 1, '2025-01-15', NULL, sroi.quarter_end(q)) AS v_end,
       sroi.accrued('fte_period', 40000, 12, 1, '2025-01-15', NULL, sroi.quarter_end(q))
     - sroi.accrued('fte_period', 40000, 12, 1, '2025-01-15', NULL, sroi.quarter_start(q) - 1) AS in_quarter
  FROM sroi.quarters('2025-Q1', '2025-Q4') AS q
 ORDER BY q;

-------------------------------------------------------------------------------
-- agreement
-------------------------------------------------------------------------------
-- B7 10000, 2025-01-01..2025-03-31 = 31 + 28 + 31 = 90 days, no planned end: ends_on is the plan.
-- as of the start day (both ends counted, 1 day): 10000 x 1 / 90 = 111.111 -> 111.11
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-01-01');
-- as of Jan 31 (31 days): 10000 x 31 / 90 = 3444.444 -> 3444.44
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-01-31');
-- as of Mar 30 (89 days): 10000 x 89 / 90 = 9888.889 -> 9888.89
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-03-30');
-- as of the end (90 days): 10000.00; a year later: still 10000.00; the day before the start: 0.00
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-03-31'),
       sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2026-03-31'),
       sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2024-12-31');
-- planned end 2025-03-31 (90 days), actual end 2025-04-30 (120 days) passes it:
-- as of Mar 30: 10000 x 89 / 90 = 9888.89; as of Apr 30: 120 / 90 > 1, capped at 10000.00
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-04-30', '2025-03-30', planned_ends_on => '2025-03-31'),
       sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-04-30', '2025-04-30', planned_ends_on => '2025-03-31');
-- ended early: planned 2025-06-30 = 31+28+31+30+31+30 = 181 days, actual end Mar 31 (90 days):
-- 10000 x 90 / 181 = 4972.3757 -> 4972.38, also long after the end
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-12-31', planned_ends_on => '2025-06-30');
-- ongoing with a planned end 2025-06-30 (181 days): as of Feb 28 (59 days):
-- 10000 x 59 / 181 = 3259.6685 -> 3259.67; as of 2026-01-01 (366 days): capped at 10000.00
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', NULL, '2025-02-28', planned_ends_on => '2025-06-30'),
       sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', NULL, '2026-01-01', planned_ends_on => '2025-06-30');
-- B6 15000 for 2025 (365 days), as of Jun 30 (181 days): 15000 x 181 / 365 = 7438.3562 -> 7438.36
SELECT sroi.accrued('agreement', 15000, NULL, NULL, '2025-01-01', '2025-12-31', '2025-06-30');
-- leap year, 2024 (366 days), as of Feb 29 (31 + 29 = 60 days): 10000 x 60 / 366 = 1639.3443 -> 1639.34
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2024-01-01', '2024-12-31', '2024-02-29');
-- fte and reference months do not apply: quantity 0.5 and reference 7 change nothing:
-- 10000 x 31 / 90 = 3444.44
SELECT sroi.accrued('agreement', 10000, 7, 0.5, '2025-01-01', '2025-03-31', '2025-01-31');
-- rounding half away from zero: 0.01 x 1 / 2 = 0.005 -> 0.01 (half-even: 0.00)
SELECT sroi.accrued('agreement', 0.01, NULL, NULL, '2025-01-01', '2025-01-02', '2025-01-01');

-------------------------------------------------------------------------------
-- hour, invoice, negotiated: earned whole on the start date
-------------------------------------------------------------------------------
-- C10 100 x 7.5 h: on the start date 750.00, the day before 0.00, years later 750.00
SELECT sroi.accrued('hour', 100, NULL, 7.5, '2025-03-10', NULL, '2025-03-10') AS on_start,
       sroi.accrued('hour', 100, NULL, 7.5, '2025-03-10', NULL, '2025-03-09') AS day_before,
       sroi.accrued('hour', 100, NULL, 7.5, '2025-03-10', NULL, '2030-01-01') AS later;
-- 100 x 0.3333 h = 33.33;  rounding: 0.01 x 0.5 h = 0.005 -> 0.01, 0.05 x 0.5 h = 0.025 -> 0.03
SELECT sroi.accrued('hour', 100, NULL, 0.3333, '2025-03-10', NULL, '2025-03-10'),
       sroi.accrued('hour', 0.01, NULL, 0.5, '2025-03-10', NULL, '2025-03-10'),
       sroi.accrued('hour', 0.05, NULL, 0.5, '2025-03-10', NULL, '2025-03-10');
-- invoice 2500.50 on 2025-05-01: on the date 2500.50, the day before 0.00, later 2500.50
SELECT sroi.accrued('invoice', 2500.50, NULL, NULL, '2025-05-01', NULL, '2025-05-01') AS on_start,
       sroi.accrued('invoice', 2500.50, NULL, NULL, '2025-05-01', NULL, '2025-04-30') AS day_before,
       sroi.accrued('invoice', 2500.50, NULL, NULL, '2025-05-01', NULL, '2025-12-31') AS later;
-- negotiated 12000: on the date 12000.00, the day before 0.00; a quantity is ignored
SELECT sroi.accrued('negotiated', 12000, NULL, NULL, '2025-05-01', NULL, '2025-05-01') AS on_start,
       sroi.accrued('negotiated', 12000, NULL, NULL, '2025-05-01', NULL, '2025-04-30') AS day_before,
       sroi.accrued('negotiated', 12000, 12, 3, '2025-05-01', '2025-06-30', '2025-05-01') AS with_quantity;
-- an amount with trailing zero decimals is fine: 100.000 = 100.00
SELECT sroi.accrued('invoice', 100.000, NULL, NULL, '2025-05-01', NULL, '2025-05-01');

-------------------------------------------------------------------------------
-- Contract term clipping
-------------------------------------------------------------------------------
-- fte_period started 2024-10-01, term from 2025-01-01: counts from the term start,
-- M(2025-01-01, 2025-03-31) = 3: 40000 x 3 / 12 = 10000.00 (unclipped: M = 6, 20000.00)
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2024-10-01', NULL, '2025-03-31', term_starts_on => '2025-01-01') AS clipped,
       sroi.accrued('fte_period', 40000, 12, 1, '2024-10-01', NULL, '2025-03-31') AS unclipped;
-- ... and as of a date before the term start: 0.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2024-10-01', NULL, '2024-12-31', term_starts_on => '2025-01-01');
-- term ends 2025-06-30 before the activity (until 2026-12-31): M(Jan 1, Jun 30) = 6: 20000.00
SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2026-12-31', '2026-12-31', term_ends_on => '2025-06-30');
-- agreement 2024-12-01..2025-01-30 = 31 + 30 = 61 days planned; term from 2025-01-01: numerator
-- Jan 1..Jan 30 = 30 days: 10000 x 30 / 61 = 4918.0328 -> 4918.03 (unclipped 61/61: 10000.00)
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2024-12-01', '2025-01-30', '2025-01-30', term_starts_on => '2025-01-01') AS clipped,
       sroi.accrued('agreement', 10000, NULL, NULL, '2024-12-01', '2025-01-30', '2025-01-30') AS unclipped;
-- agreement 2025-01-01..2025-03-31 (90 days), term ends 2025-02-28 (59 days in the term):
-- 10000 x 59 / 90 = 6555.556 -> 6555.56
SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', '2025-03-31', '2025-12-31', term_ends_on => '2025-02-28');
-- hour activity before the term start: 0.00; after the term end: 0.00; inside: 100 x 7.5 = 750.00
SELECT sroi.accrued('hour', 100, NULL, 7.5, '2024-12-15', NULL, '2025-06-30', term_starts_on => '2025-01-01') AS before_term,
       sroi.accrued('hour', 100, NULL, 7.5, '2025-07-01', NULL, '2025-12-31', term_ends_on => '2025-06-30') AS after_term,
       sroi.accrued('hour', 100, NULL, 7.5, '2025-03-10', NULL, '2025-06-30',
                    term_starts_on => '2025-01-01', term_ends_on => '2025-06-30') AS inside_term;
-- invoice dated before the term: 0.00; on the term start: 2500.50
SELECT sroi.accrued('invoice', 2500.50, NULL, NULL, '2024-12-31', NULL, '2025-06-30', term_starts_on => '2025-01-01') AS before_term,
       sroi.accrued('invoice', 2500.50, NULL, NULL, '2025-01-01', NULL, '2025-06-30', term_starts_on => '2025-01-01') AS on_term_start;

-------------------------------------------------------------------------------
-- Tie-out: per-quarter values V(quarter end) - V(day before quarter start) add up to V(last day)
-------------------------------------------------------------------------------
-- A2 fte 0.8889 from 2025-01-31 to 2027-05-17, quarters 2025-Q1..2027-Q2:
-- M(2025-01-31, 2027-05-17): e' = 2027-05-18, k = 27 (Jan 31 2025 + 27 months = Apr 30 2027;
-- + 28 = May 31 > e'), r = May 18 - Apr 30 = 18, L = Apr 30 -> May 31 = 31: M = 27 + 18/31 = 855/31.
-- V = 40000 x 0.8889 x 855/31 / 12 = 2963 x 855 / 31 = 2533365/31 = 81721.4516 -> 81721.45
SELECT sum(in_quarter) AS total, sum(in_quarter) = 81721.45 AS is_hand_value,
       sum(in_quarter) = sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', '2027-05-17') AS ties_out,
       bool_and(in_quarter >= 0) AS never_negative, count(*) AS quarters
  FROM (SELECT sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', sroi.quarter_end(q))
             - sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', sroi.quarter_start(q) - 1)
               AS in_quarter
          FROM sroi.quarters('2025-Q1', '2027-Q2') AS q) AS t;
-- The same, day by day (V(d) - V(d - 1) over every day from 2025-01-01 to 2027-06-30).
SELECT sum(in_day) AS total,
       sum(in_day) = sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', '2027-05-17') AS ties_out,
       bool_and(in_day >= 0) AS never_negative
  FROM (SELECT sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', d::date)
             - sroi.accrued('fte_period', 40000, 12, 0.8889, '2025-01-31', '2027-05-17', d::date - 1) AS in_day
          FROM generate_series('2025-01-01'::date, '2027-06-30'::date, '1 day') AS d) AS t;
-- Agreement 10000 from 2025-02-10, planned 2026-02-09 (365 days), ended 2026-03-15 (399 days):
-- V(last day) is capped at 10000.00; quarters 2025-Q1..2026-Q1.
SELECT sum(in_quarter) AS total, sum(in_quarter) = 10000.00 AS is_hand_value,
       sum(in_quarter) = sroi.accrued('agreement', 10000, NULL, NULL, '2025-02-10', '2026-03-15', '2026-03-15',
                                      planned_ends_on => '2026-02-09') AS ties_out,
       bool_and(in_quarter >= 0) AS never_negative, count(*) AS quarters
  FROM (SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-02-10', '2026-03-15', sroi.quarter_end(q),
                            planned_ends_on => '2026-02-09')
             - sroi.accrued('agreement', 10000, NULL, NULL, '2025-02-10', '2026-03-15', sroi.quarter_start(q) - 1,
                            planned_ends_on => '2026-02-09') AS in_quarter
          FROM sroi.quarters('2025-Q1', '2026-Q1') AS q) AS t;

-------------------------------------------------------------------------------
-- Amounts near the limit, EUR 999,999,999,999.99
-------------------------------------------------------------------------------
-- 999999999999.99 x fte 1 x 12 / 12 = 999999999999.99
SELECT sroi.accrued('fte_period', 999999999999.99, 12, 1, '2025-01-01', '2025-12-31', '2025-12-31');
-- capped by max_months 12 after two years: 999999999999.99
SELECT sroi.accrued('fte_period', 999999999999.99, 12, 1, '2025-01-01', NULL, '2026-12-31', max_months => 12);
-- over it: 13 months = 999999999999.99 x 13 / 12 = 1083333333333.3225 -> 1083333333333.32: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 999999999999.99, 12, 1, '2025-01-01', NULL, '2026-01-31')$q$);
-- 0001-01-01 .. 9999-12-31 at reference 1 month: 999999999999.99 x 119988 = 119987999999998800.12: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 999999999999.99, 1, 1, '0001-01-01', NULL, '9999-12-31')$q$);
-- hours: 999999999999.99 x 1 h fits; x 2 h = 1999999999999.98 does not: 22003
SELECT sroi.accrued('hour', 999999999999.99, NULL, 1, '2025-01-01', NULL, '2025-01-01');
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 999999999999.99, NULL, 2, '2025-01-01', NULL, '2025-01-01')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 999999999999.99, NULL, 1000000, '2025-01-01', NULL, '2025-01-01')$q$);
-- an amount over the limit: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', 1000000000000.00, NULL, NULL, '2025-01-01', NULL, '2025-01-01')$q$);

-------------------------------------------------------------------------------
-- NULL unit, amount, starts_on or as_of: NULL
-------------------------------------------------------------------------------
SELECT sroi.accrued(NULL, 40000, 12, 1, '2025-01-01', NULL, '2025-12-31') IS NULL AS unit_null,
       sroi.accrued('fte_period', NULL, 12, 1, '2025-01-01', NULL, '2025-12-31') IS NULL AS amount_null,
       sroi.accrued('fte_period', 40000, 12, 1, NULL, NULL, '2025-12-31') IS NULL AS starts_on_null,
       sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, NULL) IS NULL AS as_of_null;

-------------------------------------------------------------------------------
-- Errors: SQLSTATE class 22
-------------------------------------------------------------------------------
-- fte outside (0, 1]: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1.5, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 0, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, -0.5, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 20, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1.00001, '2025-01-01', NULL, '2025-12-31')$q$);
-- fte with 5 decimals: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 0.88889, '2025-01-01', NULL, '2025-12-31')$q$);
-- fte NaN: 22P02
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 'NaN', '2025-01-01', NULL, '2025-12-31')$q$);
-- NULL fte, NULL reference_months for fte_period: 22004
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, NULL, 1, '2025-01-01', NULL, '2025-12-31')$q$);
-- reference_months and max_months outside 1..1200: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 0, 1, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 1201, 1, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, '2025-12-31', max_months => 0)$q$);
-- negative amount: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', -1, 12, 1, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', -5000000000000000, NULL, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
-- amount with 3 decimals: 22003
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', 100.005, NULL, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
-- amount NaN: 22P02
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', 'NaN', NULL, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
-- unknown unit: 22023
SELECT pg_temp.err($q$SELECT sroi.accrued('month', 40000, 12, 1, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('FTE_PERIOD', 40000, 12, 1, '2025-01-01', NULL, '2025-12-31')$q$);
-- ends_on before starts_on: 22023
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '2024-12-31', '2025-12-31')$q$);
-- agreement with neither planned_ends_on nor ends_on: 22004
SELECT pg_temp.err($q$SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
-- agreement planned to end before its start: 22023
SELECT pg_temp.err($q$SELECT sroi.accrued('agreement', 10000, NULL, NULL, '2025-01-01', NULL, '2025-12-31', planned_ends_on => '2024-12-31')$q$);
-- hours 0, negative, NULL, 5 decimals, over a million
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 100, NULL, 0, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 100, NULL, -1, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 100, NULL, NULL, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 100, NULL, 7.12345, '2025-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('hour', 100, NULL, 1000001, '2025-01-01', NULL, '2025-12-31')$q$);
-- dates: infinity and years outside 1..9999: 22008
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', 100, NULL, NULL, '2025-01-01', NULL, 'infinity')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('invoice', 100, NULL, NULL, '10000-01-01', NULL, '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', '-infinity', '2025-12-31')$q$);
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, '2025-12-31', term_starts_on => 'infinity')$q$);
-- term ending before it starts: 22023
SELECT pg_temp.err($q$SELECT sroi.accrued('fte_period', 40000, 12, 1, '2025-01-01', NULL, '2025-12-31', term_starts_on => '2025-01-01', term_ends_on => '2024-12-31')$q$);
