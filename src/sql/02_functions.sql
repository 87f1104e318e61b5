-- sroi install script, part 2: the pure functions of domain.md 1 and 3.

CREATE FUNCTION @extschema@.months(starts_on date, ends_on date) RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_months' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.months(date, date) IS
    'M(starts_on, ends_on) of domain.md 3: whole calendar months plus the fraction of the month begun, both days counted; exact, a non-terminating fraction shown to 20 decimals';

-- The argument defaults are the shipped rate card's threshold and default_pct (guideline
-- 2.3), written here because api.md fixes them as literals and a default cannot read the
-- card; test/pgtap/obligation_rule.sql fails when the two differ.
CREATE FUNCTION @extschema@.obligation(contract_value numeric, pct numeric DEFAULT NULL,
                                       threshold numeric DEFAULT 200000, default_pct numeric DEFAULT 5)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_obligation' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.obligation(numeric, numeric, numeric, numeric) IS
    'gross SROI obligation, round(contract_value x pct / 100, 2); pct NULL means default_pct strictly above threshold, else 0 (guideline 2.3)';

-- The percentage that applies to a contract: the one source of the threshold rule
-- (src/obligation.c), for the turnover basis and the overdue items.
CREATE FUNCTION @extschema@.applicable_pct(contract_value numeric, pct numeric, threshold numeric, default_pct numeric)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_applicable_pct' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.applicable_pct(numeric, numeric, numeric, numeric) IS
    'the obligation percentage that applies: pct when recorded, else default_pct strictly above threshold, else 0 (guideline 2.3, domain.md 1.1-1.2)';

CREATE FUNCTION @extschema@.labour_discount(gross numeric, discount_pct numeric, labour_share numeric DEFAULT 1)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_labour_discount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.labour_discount(numeric, numeric, numeric) IS
    'discount on the labour component of an obligation: round(gross x labour_share x discount_pct / 100, 2) (domain.md 1.5)';

-- The Prestatieladder rung discounts of guideline 7, rows 14 and 15: rung 1 10 %,
-- rung 2 25 %, rung 3 50 %; aspirant and none 0 % (domain.md 1.5, decision).  The one
-- place of these numbers: the shipped card's sroi.pso_discount_rate rows are filled from
-- it (03_catalogue.sql); a later card carries its own rows.
CREATE FUNCTION @extschema@.pso_rung_pct(rung @extschema@.pso_rung) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE rung WHEN '1' THEN 10 WHEN '2' THEN 25 WHEN '3' THEN 50 ELSE 0 END;
COMMENT ON FUNCTION @extschema@.pso_rung_pct(@extschema@.pso_rung) IS
    'the guideline''s discount percentage of a Prestatieladder rung: 1 10, 2 25, 3 50, else 0 (guideline 7 rows 14-15, domain.md 1.5)';
CREATE FUNCTION @extschema@.pso_discount(gross numeric, rung @extschema@.pso_rung, labour_share numeric DEFAULT 1)
    RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.labour_discount(gross, @extschema@.pso_rung_pct(rung), labour_share);
COMMENT ON FUNCTION @extschema@.pso_discount(numeric, @extschema@.pso_rung, numeric) IS
    'PSO discount on the labour component: rung 1 10 %, 2 25 %, 3 50 %, else 0 (guideline 7 rows 14-15, domain.md 1.5)';

CREATE FUNCTION @extschema@.accrued(unit text, amount numeric, reference_months integer, quantity numeric,
                                    starts_on date, ends_on date, as_of date,
                                    planned_ends_on date DEFAULT NULL, max_months integer DEFAULT NULL,
                                    term_starts_on date DEFAULT NULL, term_ends_on date DEFAULT NULL)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_accrued' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accrued(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'V(as_of) of domain.md 3: the value one activity has earned up to and including as_of, rounded half away from zero to cents; unit fte_period, agreement, hour, invoice or negotiated; NULL unit, amount, starts_on or as_of gives NULL';

CREATE FUNCTION @extschema@.accrual_by_quarter(unit text, amount numeric, reference_months integer, quantity numeric,
                                               starts_on date, ends_on date, as_of date,
                                               planned_ends_on date DEFAULT NULL, max_months integer DEFAULT NULL,
                                               term_starts_on date DEFAULT NULL, term_ends_on date DEFAULT NULL)
    RETURNS TABLE (quarter @extschema@.quarter, value numeric)
    AS 'MODULE_PATHNAME', 'sroi_accrual_by_quarter' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION @extschema@.accrual_by_quarter(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'value one activity earned in each quarter up to as_of: V(min(quarter end, as_of)) - V(day before quarter start), so the quarters add up exactly to sroi.accrued(... as_of ...); quarters earning nothing are left out';

-- The quantities beside euros (domain.md 6.4) count the days an activity counts: from
-- its start (the term's first day if later) to its end, the term's last day or as_of,
-- and the date of an hour, invoice or negotiated activity.  One rule, in C
-- (counted_span in src/core/accrual_rule.c), which V itself follows.
CREATE FUNCTION @extschema@.accrual_days_by_quarter(unit text, amount numeric, reference_months integer, quantity numeric,
                                                    starts_on date, ends_on date, as_of date,
                                                    planned_ends_on date DEFAULT NULL, max_months integer DEFAULT NULL,
                                                    term_starts_on date DEFAULT NULL, term_ends_on date DEFAULT NULL)
    RETURNS TABLE (quarter @extschema@.quarter, value numeric, days integer)
    AS 'MODULE_PATHNAME', 'sroi_accrual_days_by_quarter' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION @extschema@.accrual_days_by_quarter(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'every quarter in which one activity counts a day up to as_of: the value it earned there (as sroi.accrual_by_quarter, 0 when it earns nothing, e.g. past max_months) and its counted days there (inside the term, to its end or as_of; 1 for an hour, invoice or negotiated activity)';

-- The exact sum of V(as_of) over many activities, split over parallel workers.
CREATE FUNCTION @extschema@.accrued_sum_step(bytea, text, numeric, integer, numeric, date, date,
                                             date, date, integer, date, date)
    RETURNS bytea
    AS 'MODULE_PATHNAME', 'accrued_sum_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.accrued_sum_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME', 'accrued_sum_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.accrued_sum_final(bytea) RETURNS numeric
    AS 'MODULE_PATHNAME', 'accrued_sum_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accrued_sum_step(bytea, text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'transition function of sroi.accrued_sum: adds V(as_of) of one activity in cents to the state (24 bytes: the 128-bit sum of cents and the count of rows, big-endian)';
COMMENT ON FUNCTION @extschema@.accrued_sum_combine(bytea, bytea) IS
    'combine function of sroi.accrued_sum: adds two partial sums (parallel workers, Citus workers); 22P03 for a malformed state';
COMMENT ON FUNCTION @extschema@.accrued_sum_final(bytea) IS
    'final function of sroi.accrued_sum: the sum in euros, NULL for no rows; 22P03 for a malformed state';

-- The state is a bytea, not internal: Citus combines only aggregates whose state type
-- has a text form (worker_partial_agg on the workers, coord_combine_agg on the
-- coordinator), and parallel query passes the same bytes without serial functions.
CREATE AGGREGATE @extschema@.accrued_sum(unit text, amount numeric, reference_months integer, quantity numeric,
                                         starts_on date, ends_on date, as_of date, planned_ends_on date,
                                         max_months integer, term_starts_on date, term_ends_on date) (
    SFUNC = @extschema@.accrued_sum_step,
    STYPE = bytea,
    FINALFUNC = @extschema@.accrued_sum_final,
    COMBINEFUNC = @extschema@.accrued_sum_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.accrued_sum(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'exact sum of sroi.accrued(...) over the rows, each V rounded to cents first; NULL for no rows; parallel safe, combined across Citus workers';

-- The exact number of distinct persons, split over parallel workers and Citus workers.
-- The state: the distinct ids in ascending byte order (src/core/persons_state.h), a hash
-- set in memory while the aggregate runs (persons.c).
CREATE FUNCTION @extschema@.persons_step(bytea, text) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persons_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.persons_combine(bytea, bytea) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persons_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.persons_final(bytea) RETURNS integer
    AS 'MODULE_PATHNAME', 'persons_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.persons_step(bytea, text) IS 'transition function of sroi.persons: remembers one id';
COMMENT ON FUNCTION @extschema@.persons_combine(bytea, bytea) IS 'combine function of sroi.persons: merges two sets of ids; 22P03 for a malformed state';
COMMENT ON FUNCTION @extschema@.persons_final(bytea) IS 'final function of sroi.persons: the number of distinct ids; 22P03 for a malformed state';

CREATE AGGREGATE @extschema@.persons(candidate_id text) (
    SFUNC = @extschema@.persons_step,
    STYPE = bytea,
    FINALFUNC = @extschema@.persons_final,
    COMBINEFUNC = @extschema@.persons_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.persons(text) IS
    'the exact number of distinct non-NULL ids (persons), 0 for no rows; like count(DISTINCT id) but parallel safe and combined across Citus workers';

-- The municipality's day.  Dates the server stamps (a supplier's quarterly report)
-- and "today" of the views are the day in the Netherlands, whatever TimeZone a
-- session sets: SET TIME ZONE 'XXX+167' moves CURRENT_DATE a week back, not this.
CREATE FUNCTION @extschema@.today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date;
COMMENT ON FUNCTION @extschema@.today() IS
    'today in Europe/Amsterdam, the DUOplus municipalities'' day, whatever the session''s TimeZone: the date the server stamps and the views show';

