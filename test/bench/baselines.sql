-- The baselines sroi's C accrual is measured against (test/bench/bench.sh):
-- the same V(as_of) of domain.md 3 computed in plain SQL and in PL/pgSQL.
-- They live in schema bench, outside the extension.

CREATE SCHEMA bench;

-- One value line per row, as sroi.value_line gives them, frozen into a table.
CREATE TABLE bench.line AS
SELECT unit, amount, reference_months, quantity, starts_on, ends_on, planned_ends_on, max_months,
       term_starts_on, term_ends_on
  FROM sroi.value_line
 WHERE counted OR pending;
ALTER TABLE bench.line ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
VACUUM ANALYZE bench.line;

-- The exact accrual in PL/pgSQL: M(s, e) by calendar months, V rounded once.
CREATE FUNCTION bench.accrued_plpgsql(unit text, amount numeric, reference_months integer, quantity numeric,
                                      starts_on date, ends_on date, as_of date, planned_ends_on date,
                                      max_months integer, term_starts_on date, term_ends_on date)
    RETURNS numeric LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    first_day date := greatest(starts_on, term_starts_on);
    last_day date := least(as_of, ends_on, term_ends_on);
    after_end date;
    k integer;
    anniversary date;
    month_days integer;
    units numeric;
    done integer;
    planned integer;
BEGIN
    IF last_day < first_day THEN
        RETURN 0.00;
    END IF;
    IF unit = 'fte_period' THEN
        after_end := last_day + 1;
        k := (extract(year FROM after_end) - extract(year FROM first_day)) * 12
             + extract(month FROM after_end) - extract(month FROM first_day);
        anniversary := (first_day + make_interval(months => k))::date;
        IF anniversary > after_end THEN
            k := k - 1;
            anniversary := (first_day + make_interval(months => k))::date;
        END IF;
        month_days := (first_day + make_interval(months => k + 1))::date - anniversary;
        units := k * month_days + (after_end - anniversary);
        IF max_months IS NOT NULL AND units > max_months * month_days THEN
            units := max_months * month_days;
        END IF;
        RETURN round(amount * quantity * units / (month_days * reference_months), 2);
    ELSIF unit = 'agreement' THEN
        done := last_day - first_day + 1;
        planned := coalesce(planned_ends_on, ends_on) - starts_on + 1;
        RETURN CASE WHEN done >= planned THEN amount ELSE round(amount * done / planned, 2) END;
    ELSIF first_day = starts_on THEN
        RETURN CASE WHEN unit = 'hour' THEN round(amount * quantity, 2) ELSE amount END;
    END IF;
    RETURN 0.00;
END
$$;

-- The same accrual as one SQL expression, inlined into the query through
-- LATERAL subqueries (a SQL function with a FROM clause would not be inlined).
-- As of :'as_of'.
CREATE VIEW bench.line_sql AS
SELECT l.id,
       CASE WHEN d.last_day < d.first_day THEN 0.00
            WHEN l.unit = 'fte_period' THEN
                round(l.amount * l.quantity
                      * CASE WHEN l.max_months IS NOT NULL AND m.units > l.max_months * m.month_days
                             THEN l.max_months * m.month_days ELSE m.units END
                      / (m.month_days * l.reference_months), 2)
            WHEN l.unit = 'agreement' THEN
                CASE WHEN d.last_day - d.first_day + 1 >= coalesce(l.planned_ends_on, l.ends_on) - l.starts_on + 1
                     THEN l.amount
                     ELSE round(l.amount * (d.last_day - d.first_day + 1)
                                / (coalesce(l.planned_ends_on, l.ends_on) - l.starts_on + 1), 2) END
            WHEN d.first_day = l.starts_on THEN
                CASE WHEN l.unit = 'hour' THEN round(l.amount * l.quantity, 2) ELSE l.amount END
            ELSE 0.00 END AS value
  FROM bench.line AS l
  CROSS JOIN LATERAL (SELECT greatest(l.starts_on, l.term_starts_on) AS first_day,
                             least(:'as_of'::date, l.ends_on, l.term_ends_on) AS last_day) AS d
  CROSS JOIN LATERAL (SELECT ((extract(year FROM d.last_day + 1) - extract(year FROM d.first_day)) * 12
                              + extract(month FROM d.last_day + 1) - extract(month FROM d.first_day))::integer AS k0) AS e
  CROSS JOIN LATERAL (SELECT e.k0 - CASE WHEN (d.first_day + make_interval(months => e.k0))::date > d.last_day + 1
                                         THEN 1 ELSE 0 END AS k) AS w
  CROSS JOIN LATERAL (SELECT (d.first_day + make_interval(months => w.k))::date AS anniversary,
                             (d.first_day + make_interval(months => w.k + 1))::date AS next_anniversary) AS a
  CROSS JOIN LATERAL (SELECT a.next_anniversary - a.anniversary AS month_days,
                             w.k * (a.next_anniversary - a.anniversary) + (d.last_day + 1 - a.anniversary) AS units) AS m;

-- Median wall time in milliseconds of running a query `runs` times.
CREATE FUNCTION bench.median_ms(query text, runs integer) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    times numeric[] := '{}';
    started timestamptz;
BEGIN
    FOR i IN 1..runs LOOP
        started := clock_timestamp();
        EXECUTE query;
        times := times || (extract(epoch FROM clock_timestamp() - started) * 1000)::numeric;
    END LOOP;
    RETURN round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) AS t)::numeric, 1);
END
$$;
