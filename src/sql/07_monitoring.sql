-- sroi install script, part 7: the monitoring figures of domain.md 5.
--
-- Each report is written once, as the query of its view (src/tools/expand.awk derives
-- the as-of functions from it: FN_for(as_of, caller), FN(as_of) and report_FN(as_of,
-- caller)).  A view reads its tables as its owner, so the query is spelt out in it
-- through the macros below (a SQL function that reads a table would be checked as the
-- reader), and a BI tool's filter on contract_id or municipality reaches the table
-- scans.  The views show sroi.today(); every column has a declared type: money
-- numeric(15,2), percentages numeric(20,1) (percent, 1 decimal), shares numeric(5,4)
-- (0 to 1), fte numeric(12,4), counts integer, quarters text such as 2025-Q3.

-- numerator / denominator rounded half away from zero to decimals, exactly.
CREATE FUNCTION @extschema@.div_round(numerator numeric, denominator numeric, decimals integer)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_div_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.div_round(numeric, numeric, integer) IS
    'numerator / denominator rounded half away from zero to the given decimals (0 to 10), exactly; denominator > 0';

-- The caller of a report function: the role the view or query runs as.  The views
-- and FN(as_of) pass CURRENT_USER; a direct call of report_FN may name only a role the
-- login may act as (inside a SECURITY DEFINER function CURRENT_USER is the owner).
CREATE FUNCTION @extschema@.report_caller(caller name) RETURNS name
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF caller IS NULL OR NOT pg_has_role(SESSION_USER, caller, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s cannot read the reports as role %s', SESSION_USER, coalesce(caller::text, 'NULL'));
    END IF;
    RETURN caller;
END
$$;
COMMENT ON FUNCTION @extschema@.report_caller(name) IS
    'the caller named to a report function, when the login may act as it; else 42501 (internal)';

-- The as-of dates a report_FN function shows a caller who is not a coordinator: today
-- and the last days of ended quarters, so that stepping the date a day at a time cannot
-- tie a suppressed cell to a placement's start day.
CREATE FUNCTION @extschema@.report_as_of(as_of date, caller name) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NULL OR @extschema@.is_coordinator(caller) OR as_of = @extschema@.today()
       OR (as_of = @extschema@.quarter_end(@extschema@.quarter(as_of)) AND as_of < @extschema@.today()) THEN
        RETURN as_of;
    END IF;
    PERFORM @extschema@.raise_invalid('22023',
        format('as_of must be today (%s) or the last day of a quarter that has ended, got %s', @extschema@.today(), as_of),
        'Readers get the figures at quarter ends and today; SR coordinators at any date.');
END
$$;
COMMENT ON FUNCTION @extschema@.report_as_of(date, name) IS
    'the as-of date a report function may show the caller: any for a coordinator, else today or an ended quarter''s last day; 22023 otherwise (internal)';

-- Small cells: the least number of persons a figure shown to those who may not read
-- the persons may rest on (decision: 5, as CBS practice).
CREATE FUNCTION @extschema@.small_cell_persons() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 5;
COMMENT ON FUNCTION @extschema@.small_cell_persons() IS
    'the least number of persons a figure shown to a caller who may not read them may rest on (decision: 5); fewer is suppressed';
-- Whether a figure resting on that many persons is a small cell: some, but fewer than
-- small_cell_persons() (none is no cell to hide).  Inlined where the reports call it.
CREATE FUNCTION @extschema@.small_cell(persons bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN persons > 0 AND persons < @extschema@.small_cell_persons();
COMMENT ON FUNCTION @extschema@.small_cell(bigint) IS
    'true when a figure rests on 1 to small_cell_persons() - 1 persons: hidden from a caller who may not read them';

-- Whether a role may read the person-level data of a municipality: a coordinator, or a
-- contract manager acting for it (the pages of 11_report_html.sql ask it per page; the
-- reports compute the same once per query in the macro caller_scope below).
CREATE FUNCTION @extschema@.may_read_persons(caller name, municipality text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.is_coordinator(caller)
        OR municipality OPERATOR(pg_catalog.=) ANY (@extschema@.scopes('municipality', caller));
COMMENT ON FUNCTION @extschema@.may_read_persons(name, text) IS
    'whether a role may read the person-level data of a municipality: a coordinator, or a contract manager acting for it';

-- Who the caller is, computed once per query: a coordinator, or a contract manager of
-- which municipalities.  They read the persons of those municipalities anyway, so
-- nothing is suppressed for them there.  Each value is a scalar subquery of its own (an
-- InitPlan, run once), as the planner pulls this FROM-less subquery up into the query
-- and would otherwise call the functions again for every row that uses them.
-- @macro caller_scope
(SELECT (SELECT @extschema@.is_coordinator(@caller@)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', @caller@)) AS municipalities) AS who
-- @end

-- domain.md 1.2: a euro amount agreed with the supplier, when the contract records one,
-- takes the place of what the percentage gives (of the gross obligation, or of whether
-- there is one at all: overdue_items).
CREATE FUNCTION @extschema@.agreed_first(obligation_amount numeric, by_percentage numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation_amount IS NOT NULL THEN obligation_amount ELSE by_percentage END;
COMMENT ON FUNCTION @extschema@.agreed_first(numeric, numeric) IS
    'the agreed obligation amount when recorded, else what the percentage gives (domain.md 1.2)';

-- One row per value line: each activity, plus one line per bonus it claims
-- (domain.md 3: a bonus accrues like its base activity and shares its status).
-- @macro value_lines
SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       -- domain.md 3: counted enters realised value (never rejected; a block that needs
       -- approval once approved); pending: needs approval and is still reported
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
-- @end
-- The arguments of the accrual functions (sroi.accrued_sum, accrual_by_quarter,
-- accrual_days_by_quarter) from a value line l, around the as-of date:
-- f(line_terms, as_of, line_caps).
-- @macro line_terms
l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
-- @end
-- @macro line_caps
l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
-- @end
CREATE VIEW @extschema@.value_line AS
@value_lines@;
ALTER VIEW @extschema@.value_line SET (security_invoker = true);
COMMENT ON VIEW @extschema@.value_line IS
    'one row per value line: each activity with the accrual terms of its block, and one more per bonus it claims (internal to the monitoring functions; holds person-level rows)';
-- value_line holds person-level rows: for the roles that read the tables anyway,
-- under their policies (security_invoker), never PUBLIC or readers.
REVOKE ALL ON @extschema@.value_line FROM PUBLIC;
GRANT SELECT ON @extschema@.value_line TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
COMMENT ON COLUMN @extschema@.value_line.activity_id IS 'the activity';
COMMENT ON COLUMN @extschema@.value_line.contract_id IS 'the contract it counts for';
COMMENT ON COLUMN @extschema@.value_line.municipality IS 'the contract''s municipality';
COMMENT ON COLUMN @extschema@.value_line.supplier IS 'the contract''s supplier';
COMMENT ON COLUMN @extschema@.value_line.delivered_by IS 'who delivered it: the subcontractor, else the supplier';
COMMENT ON COLUMN @extschema@.value_line.candidate_id IS 'the person placed, if any';
COMMENT ON COLUMN @extschema@.value_line.benefit IS 'the person''s benefit';
COMMENT ON COLUMN @extschema@.value_line.category IS 'A, B, C, or bonus for a bonus line';
COMMENT ON COLUMN @extschema@.value_line.block IS 'building block code; BONUS12 or BONUS13 on a bonus line';
COMMENT ON COLUMN @extschema@.value_line.status IS 'reported, approved or rejected';
COMMENT ON COLUMN @extschema@.value_line.counted IS 'enters realised value (domain.md 3)';
COMMENT ON COLUMN @extschema@.value_line.pending IS 'needs approval and is still reported';
COMMENT ON COLUMN @extschema@.value_line.unit IS 'accrual unit';
COMMENT ON COLUMN @extschema@.value_line.amount IS 'euro amount the accrual starts from';
COMMENT ON COLUMN @extschema@.value_line.reference_months IS 'months one amount stands for (fte_period)';
COMMENT ON COLUMN @extschema@.value_line.quantity IS 'fte (fte_period) or hours (hour)';
COMMENT ON COLUMN @extschema@.value_line.max_months IS 'cap on the months counted';
COMMENT ON COLUMN @extschema@.value_line.starts_on IS 'first day';
COMMENT ON COLUMN @extschema@.value_line.ends_on IS 'last day counted: the end, or the end of the indication for A4 and A4B; NULL: ongoing';
COMMENT ON COLUMN @extschema@.value_line.planned_ends_on IS 'planned end of an agreement';
COMMENT ON COLUMN @extschema@.value_line.term_starts_on IS 'first day of the contract term';
COMMENT ON COLUMN @extschema@.value_line.term_ends_on IS 'last day of the contract term';
COMMENT ON COLUMN @extschema@.value_line.fte IS 'fte of the activity';

-- Gross obligation, PSO discount, net obligation and expected value of the contract k
-- on the date target_on.on_date (domain.md 1, 5, 7.5): macro contract_targets, LATERAL
-- joins beside k that end in t, after its rate card card and its PSO rung's rate (macro
-- contract_card, a LEFT JOIN: none when the card has no rate for the rung).  The query
-- joins card and rate (hash joins) rather than t looking them up for each contract (a
-- scan restarted per row, with a system call each).
-- @macro contract_card
JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung
-- @end
-- @macro contract_targets
-- the contract's phasing schedule (domain.md 5, guideline 4.3 fasering): whether it has
-- one, and the cumulative share of its last step on or before the date; and the
-- turnover reported for the quarters up to the date (domain.md 1.4).  Aggregates over
-- the contract's own rows (no GROUP BY: one row each), beside the targets rather than
-- subqueries inside them: Citus runs a correlated subquery only at a level without a
-- FROM-less subquery (test/citus/README.md); on one server a contract without phasing
-- costs one index probe, and the turnover scan runs for turnover contracts only.
LEFT JOIN LATERAL (
    SELECT count(*) > 0 AS phased,
           (pg_catalog.array_agg(p.cumulative_share ORDER BY p.from_date DESC)
                FILTER (WHERE p.from_date <= target_on.on_date))[1] AS share
      FROM @extschema@.phasing AS p
     WHERE p.contract_id = k.id) AS phasing ON true
LEFT JOIN LATERAL (
    SELECT coalesce(sum(r.amount), 0) AS amount
      FROM @extschema@.turnover AS r
     WHERE r.contract_id = k.id AND k.basis = 'turnover' AND r.quarter <= @extschema@.quarter(target_on.on_date)) AS turnover ON true
CROSS JOIN LATERAL (
    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                WHEN phasing.phased THEN round((g.gross - x.discount) * coalesce(phasing.share, 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT @extschema@.agreed_first(k.obligation_amount,
                 CASE -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation(turnover.amount,
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END) AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          -- domain.md 1.5: the PSO discount applies only once the SR coordinator approved it
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
-- @end

CREATE FUNCTION @extschema@.contract_targets(contract_id text, on_date date)
    RETURNS TABLE (obligation_gross numeric, pso_discount numeric, obligation numeric, expected numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT t.obligation_gross, t.pso_discount, t.obligation, t.expected
      FROM @extschema@.contract AS k
      @contract_card@
      CROSS JOIN LATERAL (SELECT contract_targets.on_date AS on_date) AS target_on
      @contract_targets@
     WHERE k.id = contract_targets.contract_id AND contract_targets.on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.contract_targets(text, date) IS
    'obligation_gross, pso_discount, obligation and expected value to date of one contract on a date (domain.md 1 and 5)';

-- domain.md 5: gap = max(0, obligation - realised); what a penalty is a share of.
CREATE FUNCTION @extschema@.obligation_gap(obligation numeric, realised numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN greatest(obligation - realised, 0);
COMMENT ON FUNCTION @extschema@.obligation_gap(numeric, numeric) IS
    'the gap of domain.md 5: max(0, obligation - realised), euros';

-- domain.md 1.5: an approved PSO discount whose certificate's validity date has passed
-- is flagged for the coordinator, who may withdraw it; the discount applies until then.
CREATE FUNCTION @extschema@.pso_expired(pso_approved boolean, pso_valid_until date, on_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pso_approved AND pso_valid_until < on_date;
COMMENT ON FUNCTION @extschema@.pso_expired(boolean, date, date) IS
    'whether an approved PSO discount''s certificate has expired by a date: its validity date lies before it (domain.md 1.5)';

-- domain.md 7.6: on the turnover basis the obligation grows until the contract's end
-- date, so it is final only from then on; on the contract value it is final throughout.
CREATE FUNCTION @extschema@.obligation_final(basis text, on_date date, ends_on date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN basis <> 'turnover' OR on_date >= ends_on;
COMMENT ON FUNCTION @extschema@.obligation_final(text, date, date) IS
    'whether a contract''s obligation is final on a date: always on the contract value, from the end date on the turnover basis (domain.md 7.6)';

-- domain.md 5 (decision, thresholds configurable on the rate card).  final:
-- whether the obligation is final; on the turnover basis it grows until the
-- contract's end date, so before it the best status is on_track (domain.md 7.6).
CREATE FUNCTION @extschema@.monitoring_status(obligation numeric, realised numeric, expected numeric,
                                              at_risk_pct numeric, final boolean)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation = 0 THEN 'not_applicable'
                WHEN realised >= obligation AND final THEN 'fulfilled'
                WHEN realised >= expected THEN 'on_track'
                WHEN realised * 100 >= expected * at_risk_pct THEN 'at_risk'
                ELSE 'behind' END;
COMMENT ON FUNCTION @extschema@.monitoring_status(numeric, numeric, numeric, numeric, boolean) IS
    'not_applicable (obligation 0), fulfilled (realised >= obligation, once the obligation is final), on_track (realised >= expected), at_risk (>= at_risk_pct % of expected) or behind';

-- domain.md 5: the share of the obligation realised, in percent to one decimal (half
-- away from zero); none without an obligation.
CREATE FUNCTION @extschema@.pct_realised(realised numeric, obligation numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation > 0 THEN @extschema@.div_round(100 * realised, obligation, 1) END;
COMMENT ON FUNCTION @extschema@.pct_realised(numeric, numeric) IS
    'realised as a percentage of the obligation, 1 decimal, rounded half away from zero; NULL when the obligation is 0 (domain.md 5)';

-- domain.md 6.4: a quarter's fte, from fte x counted days (macro quantity_sums): over the
-- days of the quarter, 2 decimals, rounded once.
CREATE FUNCTION @extschema@.quarter_fte(fte_days numeric, q @extschema@.quarter) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.div_round(coalesce(fte_days, 0), @extschema@.quarter_end(q) - @extschema@.quarter_start(q) + 1, 2);
COMMENT ON FUNCTION @extschema@.quarter_fte(numeric, @extschema@.quarter) IS
    'the fte of a quarter: fte x counted days over the days of the quarter, 2 decimals, half away from zero; 0 without days (domain.md 6.4)';

-- A report is due report_due_days (rate card) after the last day of its period, a
-- quarter or a calendar month (domain.md 6.3).
CREATE FUNCTION @extschema@.report_due_on(period_end date, due_days integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN period_end + due_days;
COMMENT ON FUNCTION @extschema@.report_due_on(date, integer) IS
    'the day the report of a period is due: its last day + report_due_days of the rate card (domain.md 6.3)';

-- The status of the report of a reporting period, from its due date (domain.md 5, 6.3):
-- submitted by the due date, late after it; missing: not_due on the due date and overdue
-- from the next day (domain.md 7.7).  A report received after the as-of date was still
-- missing on it.
CREATE FUNCTION @extschema@.period_report_status(due_on date, submitted_on date, as_of date)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN submitted_on <= as_of AND submitted_on <= due_on THEN 'submitted'
                WHEN submitted_on <= as_of THEN 'late'
                WHEN as_of > due_on THEN 'overdue'
                ELSE 'not_due' END;
COMMENT ON FUNCTION @extschema@.period_report_status(date, date, date) IS
    'submitted (by the due date), late (after it), overdue (due and missing) or not_due, of the report of a period due on a date';

-- The same for a quarter's report, due report_due_days after the quarter's end.
CREATE FUNCTION @extschema@.report_status(q @extschema@.quarter, submitted_on date, due_days integer, as_of date)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.period_report_status(@extschema@.report_due_on(@extschema@.quarter_end(q), due_days), submitted_on, as_of);
COMMENT ON FUNCTION @extschema@.report_status(@extschema@.quarter, date, integer, date) IS
    'submitted (by the due date), late (after it), overdue (due and missing) or not_due';

-- A quarter reported per month, or partly per month and partly by its quarterly report
-- (domain.md 6.3; decision): its report_status in quarterly_progress is that of its
-- reports together, the worst of them in the order overdue, not_due, late, submitted:
-- overdue when any is overdue; else not_due while any is not yet due (the quarter's
-- reporting is not complete); else late when any came late; else submitted.  The
-- ranks below order them.
CREATE FUNCTION @extschema@.report_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.array_position(ARRAY['submitted', 'late', 'not_due', 'overdue'], status);
COMMENT ON FUNCTION @extschema@.report_status_rank(text) IS
    'orders the report statuses from best to worst: submitted 1, late 2, not_due 3, overdue 4 (internal)';
CREATE FUNCTION @extschema@.report_status_of_rank(rank integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (ARRAY['submitted', 'late', 'not_due', 'overdue'])[rank];
COMMENT ON FUNCTION @extschema@.report_status_of_rank(integer) IS
    'the report status of a rank of report_status_rank (internal)';

-- The calendar months of a quarter that overlap a contract's term.
CREATE FUNCTION @extschema@.term_months_in_quarter(q @extschema@.quarter, starts_on date, ends_on date)
    RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT ((pg_catalog.date_part('year', l) * 12 + pg_catalog.date_part('month', l))
                    - (pg_catalog.date_part('year', f) * 12 + pg_catalog.date_part('month', f)))::integer + 1
              FROM (SELECT greatest(@extschema@.quarter_start(q), starts_on) AS f,
                           least(@extschema@.quarter_end(q), ends_on) AS l) AS d);
COMMENT ON FUNCTION @extschema@.term_months_in_quarter(@extschema@.quarter, date, date) IS
    'the number of calendar months of a quarter that overlap a term (internal)';

-- term_quarters: the quarters of contract k's term that quarterly_progress and the
-- reporting periods cover (domain.md 7.5: from its start quarter to the as-of quarter or
-- its end quarter, whichever comes first).
-- @macro term_quarters
@extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(@as_of@), @extschema@.quarter(k.ends_on)))
-- @end

-- Every reporting period of every contract that has begun by the as-of date, within its
-- term, with its frequency (domain.md 6.3): the months a contract reports monthly
-- (macro monthly_periods), and each quarter from its start quarter to the as-of quarter
-- (or its end quarter) that has a month overlapping the term under quarterly reporting,
-- reported in quarter_report (a quarter all of whose months are reported monthly has
-- no quarterly report).
-- @macro report_period_rows
SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.report_due_on(@extschema@.quarter_end(q.q), card.report_due_days) AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @term_quarters@ AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (@monthly_periods@) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= @as_of@
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (@monthly_periods@) AS m
 WHERE m.period_start <= @as_of@
-- @end

-- The quantities beside euros (domain.md 6.4, guideline 6.3 "het aantal gerealiseerde
-- plaatsingen"), written once for quarterly_progress and municipality_quarter.
-- "Counted" is value_line.counted, the rule of realised value (domain.md 3: not
-- rejected; C9, C11 and M only once approved; A4 and A4B not past an indication that
-- ended before the start): a pending activity (awaiting approval) places no one.  The
-- days an activity counts are those of sroi.accrual_days_by_quarter (C, the same days
-- V grows on: inside the contract term, up to its end and the as-of date; an hour,
-- invoice or negotiated activity on its date).  A view reads its value lines once for
-- each grain (contract or municipality): each line's quarters (line_quarters), each
-- row beside the first quarter in which its person counts there (first_quarter, a
-- window over the person's rows), summed per quarter (quantity_sums).
--
-- line_quarters: each value line l's quarters, v (quarter, value, days).
-- @macro line_quarters
@extschema@.accrual_days_by_quarter(@line_terms@, @as_of@, @line_caps@) AS v
-- @end
-- line_quarter_columns: what quantity_sums reads of l and v.
-- @macro line_quarter_columns
l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
-- @end
-- first_quarter: over the rows of l and v of one person (a window partitioned by the
-- person and the contract or municipality): the first quarter with a counted day.
-- @macro first_quarter
@extschema@.min(v.quarter) FILTER (WHERE l.counted)
-- @end
-- quantity_sums: over the rows r (line_quarter_columns and first_quarter) of one quarter:
--   persons: distinct persons with a counted day in the quarter (sroi.persons, exact and
--     parallel safe; a person with two activities, or with a bonus line, counts once);
--   new_persons: those of them whose first quarter it is;
--   fte_days: fte x counted days of the counted fte_period lines (bonus lines leave
--     out: they repeat their base activity's fte), exact; the fte is fte_days / days of
--     the quarter, rounded once;
--   hours: the counted hours of hour blocks, dated in the quarter.
-- @macro quantity_sums
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours
-- @end

-- The figures cache (issue 9: whole reports in about a second).  The value of a
-- contract's lines, per category and per quarter, is the costly part of the reports:
-- every activity joined to its contract, block and person and accrued.  It depends only
-- on the activities, their contracts, blocks and persons and the as-of date, so
-- sroi.refresh_figures(as_of) stores it, for every contract, in contract_figures (per
-- contract) and quarter_figures (per contract and quarter), and the reports read a
-- contract's stored figures when they are of the date asked for and compute the others
-- as before (a UNION ALL of the two, the second for the contracts without figures of the
-- date: macros contract_sums and quarter_sums).  Exact either way: a change to an
-- activity, a contract or a person's indication deletes the stored figures of the
-- contracts it touches (triggers TABLE_figures_stale, below), so a report
-- never shows figures older than the data; until the next refresh those contracts cost
-- what they cost before.  The date moves every day: run SELECT sroi.refresh_figures()
-- once a day (cron, pg_cron) and after a bulk load; on a day it has not run, the reports
-- are computed live, and just as exact.  Obligations, expected values, plans, report
-- statuses and what a caller may read are never stored: the reports add them live.

CREATE TABLE @extschema@.contract_figures (
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    as_of         date NOT NULL,
    realised_a    numeric NOT NULL,
    realised_b    numeric NOT NULL,
    realised_c    numeric NOT NULL,
    realised_bonus numeric NOT NULL,
    pending       numeric NOT NULL,
    persons       integer NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (contract_id, as_of)
);
-- derived data: in extconfig so that pg_dump knows the table, but no row is dumped
-- (after a restore the reports compute live until the next refresh)
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contract_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.contract_figures IS 'the value lines of each contract summed as of a date, stored by sroi.refresh_figures() and deleted by any change to what they rest on; the reports use a row when its as_of is the date asked for (internal; not dumped)';
COMMENT ON COLUMN @extschema@.contract_figures.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.contract_figures.municipality IS 'the contract''s municipality at the refresh (row-level security, filters)';
COMMENT ON COLUMN @extschema@.contract_figures.supplier IS 'the contract''s supplier at the refresh (row-level security)';
COMMENT ON COLUMN @extschema@.contract_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.contract_figures.realised_a IS 'value realised in category A to as_of, euros, exact (unrounded sum)';
COMMENT ON COLUMN @extschema@.contract_figures.realised_b IS 'value realised in category B to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.realised_c IS 'value realised in category C to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.realised_bonus IS 'value realised in bonuses to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.pending IS 'value awaiting approval to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.persons IS 'distinct persons with counted value to as_of';
COMMENT ON COLUMN @extschema@.contract_figures.refreshed_at IS 'when sroi.refresh_figures() stored the row';

CREATE TABLE @extschema@.quarter_figures (
    -- the contract, not its row of contract_figures: refresh_figures checks 1 million of
    -- these keys in one statement, against a table whose statistics it has just reset
    -- (below); checked against contract_figures, the plan of that check scanned all of
    -- contract_figures_municipality_idx per row.  figures_stale deletes the rows with
    -- the contract's row of contract_figures.
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    quarter       @extschema@.quarter NOT NULL,
    as_of         date NOT NULL,
    planned       numeric(15,2),
    realised      numeric(15,2),
    realised_cum  numeric(15,2),
    expected_cum  numeric(15,2),
    deviation     numeric(15,2),
    deviation_cum numeric(15,2),
    status        text,
    intensify     boolean,
    report_status text,
    pending       numeric(15,2),
    planned_cum   numeric(15,2),
    obligation    numeric(15,2),
    measured_on   date,
    trend         text,
    report_submitted_on date,
    persons       integer,
    new_persons   integer,
    fte           numeric(12,2),
    hours         numeric(15,4),
    planned_persons integer,
    new_persons_small boolean,
    -- the date last: (contract, quarter) is the order the reports read them in
    PRIMARY KEY (contract_id, quarter, as_of)
);
-- one municipality's figures by index (a BI filter, a page), in the reports' order (by
-- contract): a filter on it reads them sorted instead of sorting them
CREATE INDEX contract_figures_municipality_idx ON @extschema@.contract_figures (municipality, as_of, contract_id);
-- Statistics soon after a change deleted many contracts' figures: the reports choose
-- their plan by the number of contracts without stored figures, estimated from these
-- statistics (macro not_stored).  With the defaults (10 % of the table) a change that
-- deleted the figures of one municipality's 2,584 contracts of 100,000 left every
-- contract counted as stored, and that municipality's quarterly_progress nested its
-- sums in a loop over the contracts: 13 min 36 s instead of 1.2 s after ANALYZE
-- (make bench, "its figures deleted").  Here autovacuum analyses it after 1,000 rows.
ALTER TABLE @extschema@.contract_figures SET (autovacuum_analyze_threshold = 1000, autovacuum_analyze_scale_factor = 0);
-- one municipality's rows in quarterly_progress's order (contract, quarter): a filter on
-- it reads them sorted (Groningen's 27,753 rows: 88-118 ms with a sort that spilled to
-- disk at work_mem 4 MB, 44 ms without)
CREATE INDEX quarter_figures_municipality_idx ON @extschema@.quarter_figures (municipality, as_of, contract_id, quarter);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quarter_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.quarter_figures IS 'the rows of quarterly_progress of each contract as of a date, as every caller gets them before small cells are hidden (macro quarterly_base), stored with the contract''s row of contract_figures and deleted with it (internal; not dumped)';
COMMENT ON COLUMN @extschema@.quarter_figures.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.quarter_figures.municipality IS 'the contract''s municipality at the refresh';
COMMENT ON COLUMN @extschema@.quarter_figures.supplier IS 'the contract''s supplier at the refresh';
COMMENT ON COLUMN @extschema@.quarter_figures.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.quarter_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.quarter_figures.planned IS 'as quarterly_progress.planned';
COMMENT ON COLUMN @extschema@.quarter_figures.realised IS 'as quarterly_progress.realised';
COMMENT ON COLUMN @extschema@.quarter_figures.realised_cum IS 'as quarterly_progress.realised_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.expected_cum IS 'as quarterly_progress.expected_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.deviation IS 'as quarterly_progress.deviation';
COMMENT ON COLUMN @extschema@.quarter_figures.deviation_cum IS 'as quarterly_progress.deviation_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.status IS 'as quarterly_progress.status';
COMMENT ON COLUMN @extschema@.quarter_figures.intensify IS 'as quarterly_progress.intensify';
COMMENT ON COLUMN @extschema@.quarter_figures.report_status IS 'as quarterly_progress.report_status';
COMMENT ON COLUMN @extschema@.quarter_figures.pending IS 'as quarterly_progress.pending';
COMMENT ON COLUMN @extschema@.quarter_figures.planned_cum IS 'as quarterly_progress.planned_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.obligation IS 'as quarterly_progress.obligation';
COMMENT ON COLUMN @extschema@.quarter_figures.measured_on IS 'as quarterly_progress.measured_on';
COMMENT ON COLUMN @extschema@.quarter_figures.trend IS 'as quarterly_progress.trend';
COMMENT ON COLUMN @extschema@.quarter_figures.report_submitted_on IS 'as quarterly_progress.report_submitted_on';
COMMENT ON COLUMN @extschema@.quarter_figures.persons IS 'distinct persons with a counted day in the quarter (never hidden here: quarterly_rows hides small cells for the caller)';
COMMENT ON COLUMN @extschema@.quarter_figures.new_persons IS 'of them, those whose first counted quarter on the contract it is (never hidden here)';
COMMENT ON COLUMN @extschema@.quarter_figures.fte IS 'as quarterly_progress.fte, never hidden here';
COMMENT ON COLUMN @extschema@.quarter_figures.hours IS 'as quarterly_progress.hours';
COMMENT ON COLUMN @extschema@.quarter_figures.planned_persons IS 'as quarterly_progress.planned_persons';
COMMENT ON COLUMN @extschema@.quarter_figures.new_persons_small IS 'some quarter of the contract has 1 to 4 new persons (then new_persons is hidden in all its quarters for a caller who may not read them)';

-- Who reads the stored figures: the reports, as the view's owner or as the caller of an
-- as-of function (with the row-level security of the contract's other tables).
-- (Written only by refresh_figures, with their scope columns: no triggers.)
SELECT @extschema@.secure_contract_table('contract_figures', 'read', triggers => false);
SELECT @extschema@.secure_contract_table('quarter_figures', 'read', triggers => false);

-- The persons, fte and hours of municipality_quarter count each person once per
-- municipality, over all its contracts (08_reports.sql), so they are stored per
-- municipality and quarter; a row without a quarter marks a municipality as stored
-- (one with nothing counted has no other row).  A supplier's as-of function counts only
-- the lines it may read, so it never reads these rows (no policy for suppliers): it
-- computes its own.
CREATE TABLE @extschema@.municipality_figures (
    municipality  text NOT NULL,
    quarter       @extschema@.quarter,
    as_of         date NOT NULL,
    persons       integer,
    new_persons   integer,
    fte_days      numeric,
    hours         numeric,
    CONSTRAINT municipality_figures_key UNIQUE NULLS NOT DISTINCT (municipality, as_of, quarter)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.municipality_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.municipality_figures IS 'the quantities (persons, fte, hours) of each municipality per quarter as of a date, stored by sroi.refresh_figures() and deleted by any change to one of its contracts'' activities, its contracts or their persons'' indications (internal; not dumped)';
COMMENT ON COLUMN @extschema@.municipality_figures.municipality IS 'the municipality';
COMMENT ON COLUMN @extschema@.municipality_figures.quarter IS 'the quarter; NULL: the row that marks the municipality as stored';
COMMENT ON COLUMN @extschema@.municipality_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.municipality_figures.persons IS 'distinct persons with a counted day in the quarter on any of the municipality''s contracts';
COMMENT ON COLUMN @extschema@.municipality_figures.new_persons IS 'of them, those whose first counted quarter in the municipality it is';
COMMENT ON COLUMN @extschema@.municipality_figures.fte_days IS 'fte x counted days of the counted fte_period lines, exact; NULL: none';
COMMENT ON COLUMN @extschema@.municipality_figures.hours IS 'counted hours of hour blocks dated in the quarter; NULL: none';
-- suppliers: the grant, so that their as-of functions may ask; no policy, so no row
SELECT @extschema@.secure_contract_table('municipality_figures', 'read', suppliers => false, triggers => false);

-- The cells of target_group_outcomes per municipality, quarter and target group (macro
-- outcome_cells), stored with municipality_figures (its row without a quarter marks the
-- municipality as stored) and deleted with them; suppliers, as there, compute their own.
CREATE TABLE @extschema@.outcome_figures (
    municipality  text NOT NULL,
    quarter       @extschema@.quarter NOT NULL,
    benefit       text NOT NULL,
    as_of         date NOT NULL,
    persons       integer NOT NULL,
    fte           numeric NOT NULL,
    realised      numeric,
    PRIMARY KEY (municipality, as_of, quarter, benefit)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.outcome_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.outcome_figures IS 'the cells of target_group_outcomes (persons, fte, realised per municipality, quarter and benefit) as of a date, before small cells are hidden, stored by sroi.refresh_figures() and deleted with the municipality''s municipality_figures (internal; not dumped)';
COMMENT ON COLUMN @extschema@.outcome_figures.municipality IS 'the municipality';
COMMENT ON COLUMN @extschema@.outcome_figures.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.outcome_figures.benefit IS 'the target group: the persons'' benefit';
COMMENT ON COLUMN @extschema@.outcome_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.outcome_figures.persons IS 'distinct persons with a counted day in the quarter';
COMMENT ON COLUMN @extschema@.outcome_figures.fte IS 'their average fte placed over the quarter, 4 decimals';
COMMENT ON COLUMN @extschema@.outcome_figures.realised IS 'value realised in the quarter by their lines, euros, exact';
SELECT @extschema@.secure_contract_table('outcome_figures', 'read', suppliers => false, triggers => false);

-- Whether every contract's figures of a date are stored: set by refresh_figures, cleared
-- by the first change after it (figures_stale).  While it holds, the reports skip the
-- computed part of each query as a whole (a one-time filter, macro all_stored) instead of
-- testing each contract for a stored row (a scan of contract_figures per query).  A row
-- per date stored (two at most: the refresh's date and the last quarter end before it);
-- a writer updates them only while set (WHERE complete), so only the first writer after
-- a refresh takes their row locks.
CREATE TABLE @extschema@.figures_state (
    as_of         date PRIMARY KEY,
    complete      boolean NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.figures_state', 'WHERE false');
COMMENT ON TABLE @extschema@.figures_state IS 'whether the figures of every contract are stored for a date (a row per date stored; internal; not dumped)';
COMMENT ON COLUMN @extschema@.figures_state.as_of IS 'a date the figures are stored for: that of the last refresh, or the last quarter end before it';
COMMENT ON COLUMN @extschema@.figures_state.complete IS 'true from the refresh to the first change that deleted stored figures';
COMMENT ON COLUMN @extschema@.figures_state.refreshed_at IS 'when sroi.refresh_figures() ran';
-- no secret in it (a date and a flag): every role that reads the figures reads it
ALTER TABLE @extschema@.figures_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON @extschema@.figures_state FOR SELECT USING (true);
COMMENT ON POLICY read_all ON @extschema@.figures_state IS 'the date and flag are no one''s secret: whoever reads the figures reads them (writes: the owner, through refresh_figures and figures_stale)';
GRANT SELECT ON @extschema@.figures_state TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

-- all_stored: the figures of every contract are stored for the date.
-- @macro all_stored
(SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = @as_of@) IS TRUE
-- @end

-- The value lines l (or contracts l) whose contract's figures of the date are not stored
-- (value_lines' contract_id is k.id: the planner may test the contracts before it joins
-- their activities).
-- @macro not_stored
NOT @all_stored@
AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = @as_of@)
-- @end

-- contract_sums: per contract (contract_id, municipality) not stored for the date, the
-- realised value per category (a, b, c, bonus), the pending value and the distinct
-- persons (domain.md 3, 5).
-- @macro contract_sums
SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (@value_lines@) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= @as_of@ AND @not_stored@
 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality
-- @end

-- quarter_sums: per contract (contract_id, municipality) not stored for the date and
-- quarter with value: realised, pending and the quantities (quantity_sums).
-- @macro quarter_sums
SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @quantity_sums@
  FROM (SELECT l.contract_id, l.municipality, @line_quarter_columns@,
               @first_quarter@ OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (@value_lines@) AS l
          CROSS JOIN LATERAL @line_quarters@
         WHERE (l.counted OR l.pending) AND l.starts_on <= @as_of@ AND @not_stored@) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter
-- @end

-- The value lines l of the municipalities whose quantities of the date are not stored
-- (municipality_figures: a row without a quarter marks a municipality stored): an outer
-- join to the marking row beside l (municipality_marking) and the lines without one
-- (municipality_not_stored), which the planner makes an anti join, as it would a
-- correlated NOT EXISTS; Citus refuses that subquery on a reference table beside the
-- value lines, and joins the reference table.
-- @macro municipality_marking
LEFT JOIN @extschema@.municipality_figures AS marking
       ON marking.municipality = l.municipality AND marking.as_of = @as_of@ AND marking.quarter IS NULL
-- @end
-- @macro municipality_not_stored
marking.municipality IS NULL
-- @end

-- municipality_sums: per municipality not stored for the date and quarter, the
-- quantities (quantity_sums) over all its contracts: a person counted once.
-- @macro municipality_sums
SELECT r.municipality, r.quarter, @quantity_sums@
  FROM (SELECT l.municipality, @line_quarter_columns@,
               @first_quarter@ OVER (PARTITION BY l.municipality, l.candidate_id) AS first_quarter
          FROM (@value_lines@) AS l
          @municipality_marking@
          CROSS JOIN LATERAL @line_quarters@
         -- the lines that count a person or hours
         WHERE l.counted AND l.starts_on <= @as_of@ AND (l.candidate_id IS NOT NULL OR l.unit = 'hour')
           AND @municipality_not_stored@) AS r
 GROUP BY r.municipality, r.quarter
-- @end

-- Realised value per contract and category at a date (domain.md 5), with the
-- category split of a contract whose value rests on 1 to 4 persons suppressed for a
-- caller who may not read its municipality's persons.
-- @macro compliance_rows
SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       @extschema@.obligation_gap(t.obligation, f.realised)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(@extschema@.obligation_gap(t.obligation, f.realised) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       @extschema@.pso_expired(k.pso_approved, k.pso_valid_until, target_on.on_date) AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  @contract_card@
  CROSS JOIN (SELECT @as_of@ AS on_date) AS target_on
  @contract_targets@
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = @as_of@
        UNION ALL
        -- all_stored once more, over the sums' subquery: a condition with a subquery is not
        -- pushed into it, so it is a one-time filter above their Gather.  Inside the sums
        -- it ran below the Gather: with every figure stored, a municipality's BI query still
        -- started a parallel worker to find nothing (execution 48 ms against 13-19 serial,
        -- for Diemen's 2,584 contracts).
        SELECT sums.* FROM (@contract_sums@) AS sums WHERE NOT @all_stored@
  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN @caller_scope@
  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
-- @end

-- @report compliance municipality contract_id
CREATE VIEW @extschema@.contract_compliance WITH (security_barrier) AS
@compliance_rows@
 ORDER BY 1;
COMMENT ON VIEW @extschema@.contract_compliance IS 'SROI compliance per contract today; sroi.compliance(as_of) gives it for any date (the caller''s rows), sroi.report_compliance(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.contract_compliance.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.contract_compliance.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_value IS 'contract value in euros, excl. VAT';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation_gross IS 'SROI obligation before the PSO discount, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.pso_discount IS 'approved PSO discount on the labour component, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation IS 'SROI obligation after the PSO discount (to date, on the turnover basis), euros; a contract''s figure: do not sum it over quarters';
COMMENT ON COLUMN @extschema@.contract_compliance.realised IS 'value realised to date, euros: realised_a + realised_b + realised_c + realised_bonus';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_a IS 'realised in category A (employment), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_b IS 'realised in category B (learning, work experience), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_c IS 'realised in category C (other social activity), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_bonus IS 'realised in bonuses 12 and 13, euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.pending IS 'value of activities awaiting the coordinator''s approval (C9, C11, M), euros; not in realised';
COMMENT ON COLUMN @extschema@.contract_compliance.expected_to_date IS 'value expected by the as-of date: linear over the term, or by the phasing schedule, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.gap IS 'obligation still to realise, never below 0, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal); NULL when the obligation is 0';
COMMENT ON COLUMN @extschema@.contract_compliance.status IS 'not_applicable, fulfilled, on_track, at_risk (at least 75 % of expected) or behind';
COMMENT ON COLUMN @extschema@.contract_compliance.projected_at_end IS 'realised / elapsed share of the term, once 10 % of it has passed, euros; else NULL';
COMMENT ON COLUMN @extschema@.contract_compliance.penalty_exposure IS 'penalty if nothing more were delivered: gap x penalty percentage, euros; 0 when waived';
COMMENT ON COLUMN @extschema@.contract_compliance.pso_expired IS 'the PSO discount is approved but the certificate has expired: for the coordinator to review';
COMMENT ON COLUMN @extschema@.contract_compliance.rate_card IS 'the rate card the contract is pinned to';
COMMENT ON COLUMN @extschema@.contract_compliance.basis IS 'contract_value or turnover';
COMMENT ON COLUMN @extschema@.contract_compliance.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.contract_compliance.persons IS 'distinct persons with counted value to date; do not sum over contracts (a person may count on two)';
COMMENT ON COLUMN @extschema@.contract_compliance.categories_suppressed IS 'true when realised_a, realised_b, realised_c and realised_bonus are NULL for you: 1 to 4 persons, whose earnings the split would show';
COMMENT ON COLUMN @extschema@.contract_compliance.settled IS 'the SR coordinator settled the contract by the as-of date (sroi.settle): its figures are final and its data frozen; sroi.settlements shows the settlement';

-- One row per contract and quarter, from the contract's start quarter to the as-of
-- quarter (or its end quarter, when it ended before), domain.md 5, 7.5: computed, for
-- the contracts whose rows of the date are not stored, and the same for every caller
-- (quarterly_rows below adds what the caller may read).  Its columns are those of
-- quarter_figures after as_of, which refresh_figures fills from it.
-- @macro quarterly_base
WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), @as_of@) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @term_quarters@ AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= @as_of@
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND @not_stored@
), earned AS (
    @quarter_sums@
), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN @accorded_plan@ AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, @as_of@)))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (@monthly_periods@) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      @contract_card@
      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      @contract_targets@
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- domain.md 5 (guideline 6.4 "intensivering"): behind at two consecutive quarter
       -- ends (a quarter not yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, @as_of@)
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, @as_of@)) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
-- @end


-- quarterly_rows: the rows of quarterly_base, stored (quarter_figures of the date) or
-- computed, with what the caller may read: small cells (as target_group_outcomes: 1 to 4
-- persons) NULL for a caller who may not read the municipality's persons; new persons
-- in every quarter of a contract with any quarter of 1 to 4 (new_persons_small).
-- @macro quarterly_rows
SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       @as_of@ AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, @as_of@ FROM (@quarterly_base@) AS b) AS j
  CROSS JOIN @caller_scope@
  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = @as_of@
-- @end

-- outcome_cells: per municipality not stored for the date, quarter and target group
-- (the person's benefit) the cells of target_group_outcomes (08_reports.sql): the
-- distinct persons, their average fte placed over the quarter (to the as-of date in the
-- current one) and the value realised, of the counted lines with a person.  A person
-- counts in the quarters of their counted days (domain.md 6.4), as in
-- municipality_quarter, whose persons the cells add up to: also where a line earns
-- nothing (past a max_months cap, an agreement past its planned end).  The days placed
-- are the counted days of C (line_quarters: the activity inside the term, the quarter
-- and up to the as-of date, domain.md 3 and 7.4), as in the fte of the other two views.
-- @macro outcome_cells
SELECT e.municipality, e.quarter, e.benefit, @extschema@.persons(e.candidate_id) AS persons,
       round(coalesce(sum(e.fte * e.days / (e.measured_on - @extschema@.quarter_start(e.quarter) + 1))
                      FILTER (WHERE e.unit = 'fte_period' AND e.category <> 'bonus'), 0), 4) AS fte,
       sum(e.value) AS realised
  FROM (SELECT l.*, v.quarter, v.value, v.days, least(@extschema@.quarter_end(v.quarter), @as_of@) AS measured_on
          FROM (@value_lines@) AS l
          @municipality_marking@
          CROSS JOIN LATERAL @line_quarters@
         WHERE l.counted AND l.candidate_id IS NOT NULL AND l.starts_on <= @as_of@
           AND @municipality_not_stored@) AS e
 GROUP BY e.municipality, e.quarter, e.benefit
-- @end

-- The INSERTs, called by refresh_figures; one statement, so that both parts read the
-- tables before either stores anything.  PL/pgSQL, not a SQL function: its statement is
-- planned for the date given (a custom plan), where a SQL function's is planned for any
-- date, and "not stored yet for the date" (macro not_stored) was then estimated from the
-- share of the rows of the one date stored (all of them): once the figures of today were
-- stored, storing those of the last quarter end nested every sum per contract (10,000
-- contracts: over 10 minutes; its parts planned for the date: 6 s).
-- Only what is not stored yet for the date: the contracts without a row of it, the
-- municipalities without their marking row (the sums' macros leave out the others).
-- @define as_of store_figures.as_of
CREATE FUNCTION @extschema@.store_figures(as_of date) RETURNS void
    LANGUAGE plpgsql VOLATILE
    -- the schema first: the macros compare quarters with its operators
    SET search_path = @extschema@, pg_catalog, pg_temp
AS $$
BEGIN
    WITH stored AS (
        INSERT INTO @extschema@.contract_figures (contract_id, municipality, supplier, as_of, realised_a, realised_b,
                                                  realised_c, realised_bonus, pending, persons)
        SELECT k.id, k.municipality, k.supplier, store_figures.as_of, coalesce(v.a, 0), coalesce(v.b, 0),
               coalesce(v.c, 0), coalesce(v.bonus, 0), coalesce(v.pending, 0), coalesce(v.persons, 0)
          FROM @extschema@.contract AS k
          LEFT JOIN (@contract_sums@) AS v ON v.contract_id = k.id
         WHERE NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f
                            WHERE f.contract_id = k.id AND f.as_of = store_figures.as_of)
        RETURNING 1
    ), outcomes AS (
        INSERT INTO @extschema@.outcome_figures (municipality, quarter, benefit, as_of, persons, fte, realised)
        SELECT o.municipality, o.quarter, o.benefit, store_figures.as_of, o.persons, o.fte, o.realised
          FROM (@outcome_cells@) AS o
        RETURNING 1
    ), municipal AS (
        INSERT INTO @extschema@.municipality_figures (municipality, quarter, as_of, persons, new_persons, fte_days, hours)
        SELECT k.municipality, NULL, store_figures.as_of, NULL, NULL, NULL, NULL
          FROM @extschema@.contract AS k
         WHERE NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
                            WHERE mf.municipality = k.municipality AND mf.as_of = store_figures.as_of
                              AND mf.quarter IS NULL)
         GROUP BY k.municipality
        UNION ALL
        SELECT m.municipality, m.quarter, store_figures.as_of, m.persons, m.new_persons, m.fte_days, m.hours
          FROM (@municipality_sums@) AS m
        RETURNING 1
    )
    INSERT INTO @extschema@.quarter_figures (contract_id, municipality, supplier, quarter, as_of, planned, realised,
                                             realised_cum, expected_cum, deviation, deviation_cum, status, intensify,
                                             report_status, pending, planned_cum, obligation, measured_on, trend,
                                             report_submitted_on, persons, new_persons, fte, hours, planned_persons,
                                             new_persons_small)
    SELECT b.contract_id, b.municipality, b.supplier, b.quarter, store_figures.as_of, b.planned, b.realised,
           b.realised_cum, b.expected_cum, b.deviation, b.deviation_cum, b.status, b.intensify, b.report_status,
           b.pending, b.planned_cum, b.obligation, b.measured_on, b.trend, b.report_submitted_on, b.persons,
           b.new_persons, b.fte, b.hours, b.planned_persons, b.new_persons_small
      FROM (@quarterly_base@) AS b
     -- a municipality's rows (a contract's) together on disk: a filtered report reads a
     -- few pages, not one per row
     ORDER BY b.municipality, b.contract_id, b.quarter;
END
$$;
-- @undef as_of
REVOKE EXECUTE ON FUNCTION @extschema@.store_figures(date) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.store_figures(date) IS
    'stores the figures of the contracts and municipalities that have none of the date (internal, for sroi.refresh_figures)';

-- The statistics of the figures' tables, taken again: refresh_figures takes them after
-- emptying the tables, between its two dates, after storing and after a failure.
CREATE FUNCTION @extschema@.analyse_figures() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    ANALYZE @extschema@.contract_figures, @extschema@.quarter_figures,
            @extschema@.municipality_figures, @extschema@.outcome_figures;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.analyse_figures() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.analyse_figures() IS
    'analyses contract_figures, quarter_figures, municipality_figures and outcome_figures (internal, for sroi.refresh_figures)';

-- Stores the figures of every contract as of a date (today by default) and says how
-- many rows: one per contract, one per contract and quarter with value, and how many
-- municipalities (municipality_figures).  The SR
-- coordinator (or a daily job as the owner) calls it.  It waits for the writers of the
-- tables the figures rest on and keeps new writes waiting while it runs (SHARE locks;
-- readers are never blocked), so no change slips between its reading and its storing;
-- read committed only, as a snapshot taken before the locks could miss a change.
CREATE FUNCTION @extschema@.refresh_figures(as_of date DEFAULT @extschema@.today())
    RETURNS TABLE (contracts bigint, quarters bigint, municipalities bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    locked boolean := false;
    -- the last day of the quarter before as_of's: the last quarter end before it
    ended date;
BEGIN
    IF refresh_figures.as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'as_of must not be NULL', 'Give the date the figures are for.');
    END IF;
    ended := @extschema@.quarter_start(@extschema@.quarter(refresh_figures.as_of)) - 1;
    IF ended < DATE '0001-01-01' THEN
        ended := NULL;      -- no quarter before year 1's first
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25001',
            MESSAGE = 'sroi.refresh_figures() must run at isolation level read committed',
            DETAIL = 'A snapshot taken before it waits for the writers could miss their changes.';
    END IF;
    -- sroi.distribute() (12_citus.sql) turns the cache off on a Citus cluster
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS t
                    WHERE t.tgfoid = '@extschema@.figures_stale()'::regprocedure) THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = 'the figures cache is off: sroi.distribute() removed its triggers for the Citus cluster',
            DETAIL = 'On Citus the reports compute their figures.';
    END IF;
    -- All the locks or none.  Taken one by one and waited for, they could deadlock with a
    -- writer that holds one table (a new person) and then writes another (their
    -- activity, whose trigger writes the figures): so each attempt takes them without
    -- waiting, in a subtransaction that gives back what it got when one is busy, and
    -- the next comes 0.1 s later, for at most 60 s (600 attempts).
    FOR attempt IN 1 .. 600 LOOP
        BEGIN
            LOCK TABLE @extschema@.contract, @extschema@.activity, @extschema@.candidate, @extschema@.plan,
                       @extschema@.plan_version, @extschema@.turnover, @extschema@.phasing,
                       @extschema@.quarter_report, @extschema@.reporting_frequency, @extschema@.period_report
                IN SHARE MODE NOWAIT;
            LOCK TABLE @extschema@.contract_figures, @extschema@.quarter_figures, @extschema@.municipality_figures,
                       @extschema@.outcome_figures, @extschema@.figures_state IN EXCLUSIVE MODE NOWAIT;
            locked := true;
        EXCEPTION WHEN lock_not_available THEN
            locked := false;
        END;
        EXIT WHEN locked;
        PERFORM pg_catalog.pg_sleep(0.1);
    END LOOP;
    IF NOT locked THEN
        RAISE EXCEPTION USING ERRCODE = '55P03',
            MESSAGE = 'sroi.refresh_figures() found the tables in use by writers for 60 seconds',
            DETAIL = 'Nothing was stored; the reports compute their figures until a refresh succeeds.',
            HINT = 'Run it again at a quieter moment.';
    END IF;
    -- The figures of as_of are stored anew, and those of the last quarter end before it
    -- (ended) kept and completed: a quarter's report is drawn up after the quarter, at
    -- its end date (sroi.report_html; readers get today and ended quarters' ends), and
    -- those figures change only where data changed, which deleted them (figures_stale).
    -- Any other date's go.  Then the statistics are reset: they still counted the rows
    -- just deleted, and a second refresh of the same date planned store_figures' test
    -- "not stored yet" (macro not_stored) from them: every contract counted as stored,
    -- the anti-join estimated at 1 row and every sum above it nested per contract (bench
    -- data, 100,000 contracts: cancelled after 12 minutes; the first refresh takes 91 s).
    -- An ANALYZE in this transaction counts the deleted rows as gone.  That count is
    -- written at once, not at commit: if the refresh fails or is cancelled, the block
    -- below gives the rows back (its subtransaction) and analyses them again, so that
    -- the reports do not plan the figures that stay as an empty table.  Between the two
    -- dates, another ANALYZE: those of as_of are then counted, those of ended as they are.
    BEGIN
        DELETE FROM @extschema@.quarter_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.contract_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.municipality_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.outcome_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.figures_state AS f WHERE f.as_of IS DISTINCT FROM ended;
        PERFORM @extschema@.analyse_figures();
        PERFORM @extschema@.store_figures(refresh_figures.as_of);
        IF ended IS NOT NULL AND NOT EXISTS (SELECT 1 FROM @extschema@.figures_state AS f
                                              WHERE f.as_of = ended AND f.complete) THEN
            PERFORM @extschema@.analyse_figures();
            PERFORM @extschema@.store_figures(ended);
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM @extschema@.analyse_figures();
        RAISE;
    END;
    INSERT INTO @extschema@.figures_state AS f (as_of, complete)
    SELECT d, true FROM unnest(ARRAY[refresh_figures.as_of, ended]) AS d WHERE d IS NOT NULL
    ON CONFLICT ON CONSTRAINT figures_state_pkey DO UPDATE SET complete = true, refreshed_at = EXCLUDED.refreshed_at;
    PERFORM @extschema@.analyse_figures();
    RETURN QUERY SELECT (SELECT count(*) FROM @extschema@.contract_figures AS c WHERE c.as_of = refresh_figures.as_of),
                        (SELECT count(*) FROM @extschema@.quarter_figures AS q WHERE q.as_of = refresh_figures.as_of),
                        (SELECT count(*) FROM @extschema@.municipality_figures AS m
                          WHERE m.quarter IS NULL AND m.as_of = refresh_figures.as_of);
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.refresh_figures(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.refresh_figures(date) TO sroi_coordinator;
COMMENT ON FUNCTION @extschema@.refresh_figures(date) IS
    'stores the value figures of every contract as of a date (default today), and completes those of the last quarter end before it, so that the reports of those dates read them instead of computing them; run it daily and after a bulk load; returns the rows stored for the date (SR coordinator; SECURITY DEFINER)';

-- A change to what the figures rest on deletes the stored figures of the contracts it
-- touches (quarter_figures with them): TG_ARGV[0] says what the row names, a contract
-- (activity, contract), a contract's fact that only its quarterly rows rest on
-- ('progress': plan, targets, reports) or a person (candidate: the contracts that place
-- them), TG_ARGV[1] in which column.  The building blocks of a card in use never change (rate_card_guard).
-- SECURITY DEFINER: the writer may not write the figures.  AFTER row triggers named
-- TABLE_figures_stale.
CREATE FUNCTION @extschema@.figures_stale() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the row's images: the old one (UPDATE, DELETE) and the new one (INSERT, UPDATE)
    images jsonb[] := CASE TG_OP WHEN 'INSERT' THEN ARRAY[pg_catalog.to_jsonb(NEW)]
                                 WHEN 'DELETE' THEN ARRAY[pg_catalog.to_jsonb(OLD)]
                                 ELSE ARRAY[pg_catalog.to_jsonb(OLD), pg_catalog.to_jsonb(NEW)] END;
    -- TG_ARGV[1]: the column of the row that names it
    keys text[] := ARRAY(SELECT i OPERATOR(pg_catalog.->>) TG_ARGV[1] FROM unnest(images) AS i);
    -- the municipalities the row names (activity and contract carry the contract's)
    municipalities text[] := ARRAY(SELECT i OPERATOR(pg_catalog.->>) 'municipality' FROM unnest(images) AS i);
BEGIN
    UPDATE @extschema@.figures_state SET complete = false WHERE complete;
    IF TG_ARGV[0] = 'candidate' THEN
        -- a person: the contracts and municipalities that place them
        SELECT coalesce(array_agg(DISTINCT a.contract_id), '{}'), coalesce(array_agg(DISTINCT a.municipality), '{}')
          INTO keys, municipalities
          FROM @extschema@.activity AS a WHERE a.candidate_id = ANY (keys);
    ELSIF TG_ARGV[0] NOT IN ('contract', 'progress') THEN
        RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = format('sroi.figures_stale: unknown argument %s', TG_ARGV[0]);
    END IF;
    DELETE FROM @extschema@.quarter_figures AS f WHERE f.contract_id = ANY (keys);
    DELETE FROM @extschema@.contract_figures AS f WHERE f.contract_id = ANY (keys);
    -- 'progress': a fact of the quarterly rows only (plan, turnover, reports), not of
    -- the persons, fte and hours a municipality counts
    IF TG_ARGV[0] <> 'progress' THEN
        DELETE FROM @extschema@.municipality_figures AS m WHERE m.municipality = ANY (municipalities);
        DELETE FROM @extschema@.outcome_figures AS o WHERE o.municipality = ANY (municipalities);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.figures_stale() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.figures_stale() IS
    'trigger: deletes the stored figures (contract_figures, quarter_figures, municipality_figures, outcome_figures) of the contracts and municipalities a change touches (internal)';
CREATE TRIGGER activity_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('contract', 'contract_id');
COMMENT ON TRIGGER activity_figures_stale ON @extschema@.activity IS 'an activity changed: its contract''s stored figures are deleted';
CREATE TRIGGER contract_figures_stale AFTER UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('contract', 'id');
COMMENT ON TRIGGER contract_figures_stale ON @extschema@.contract IS 'a contract changed (term, scope, card): its stored figures are deleted (a deleted contract takes them along)';
CREATE TRIGGER candidate_figures_stale AFTER UPDATE OF indication_until, benefit OR DELETE ON @extschema@.candidate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('candidate', 'id');
COMMENT ON TRIGGER candidate_figures_stale ON @extschema@.candidate IS 'a person''s indication or benefit (target group) changed: the stored figures of the contracts and municipalities that place them are deleted';
-- what the quarterly rows (quarterly_base) read beside the value lines: the plan and its
-- versions, the turnover and phasing of the targets, the reports and reporting frequency
CREATE TRIGGER plan_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER plan_figures_stale ON @extschema@.plan IS 'a plan line changed: the contract''s stored quarterly rows are deleted';
CREATE TRIGGER plan_version_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.plan_version
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER plan_version_figures_stale ON @extschema@.plan_version IS 'a plan version was proposed, accorded or refused: the contract''s stored figures are deleted';
CREATE TRIGGER turnover_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER turnover_figures_stale ON @extschema@.turnover IS 'reported turnover changed the obligation: the contract''s stored figures are deleted';
CREATE TRIGGER phasing_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER phasing_figures_stale ON @extschema@.phasing IS 'the phasing schedule changed the expected value: the contract''s stored figures are deleted';
CREATE TRIGGER quarter_report_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER quarter_report_figures_stale ON @extschema@.quarter_report IS 'a quarterly report came in or changed: the contract''s stored figures are deleted';
CREATE TRIGGER reporting_frequency_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.reporting_frequency
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER reporting_frequency_figures_stale ON @extschema@.reporting_frequency IS 'the reporting frequency changed: the contract''s stored figures are deleted';
CREATE TRIGGER period_report_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');
COMMENT ON TRIGGER period_report_figures_stale ON @extschema@.period_report IS 'a monthly report came in or changed: the contract''s stored figures are deleted';

-- @report quarterly_progress municipality contract_id
CREATE VIEW @extschema@.quarterly_progress WITH (security_barrier) AS
@quarterly_rows@
 -- by contract and quarter (the quarter as stored, not its text: the same order, and a
 -- cheaper comparison than that of text under a locale)
 ORDER BY j.contract_id, j.quarter;
COMMENT ON VIEW @extschema@.quarterly_progress IS 'SROI progress per contract and quarter, up to today''s quarter; sroi.quarterly_progress(as_of) gives it for any date (the caller''s rows), sroi.report_quarterly_progress(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.quarterly_progress.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.quarterly_progress.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.quarterly_progress.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.planned IS 'value planned for the quarter in the latest accorded version of the Plan van Aanpak, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.realised IS 'value realised in the quarter (to the as-of date in the current one), euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.realised_cum IS 'value realised from the start to the end of the quarter, euros; cumulative: do not sum over quarters';
COMMENT ON COLUMN @extschema@.quarterly_progress.expected_cum IS 'value expected by the end of the quarter (the as-of date in the current one), euros; cumulative: do not sum over quarters';
COMMENT ON COLUMN @extschema@.quarterly_progress.deviation IS 'realised - planned in the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.deviation_cum IS 'realised_cum - planned_cum, euros; cumulative: do not sum over quarters';
COMMENT ON COLUMN @extschema@.quarterly_progress.status IS 'status at the end of the quarter (the as-of date in the current one)';
COMMENT ON COLUMN @extschema@.quarterly_progress.intensify IS 'behind at this and the previous quarter end: intensify monitoring (guideline 6.4)';
COMMENT ON COLUMN @extschema@.quarterly_progress.report_status IS 'quarterly report: submitted, late, overdue (due and missing) or not_due; a quarter reported per month (domain.md 6.3): the worst of its reports in the order overdue, not_due, late, submitted (sroi.report_periods lists them)';
COMMENT ON COLUMN @extschema@.quarterly_progress.pending IS 'value awaiting approval accrued in the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.planned_cum IS 'value planned from the start to the end of the quarter, euros; cumulative: do not sum over quarters';
COMMENT ON COLUMN @extschema@.quarterly_progress.obligation IS 'obligation at the end of the quarter, euros; a contract''s figure: do not sum over quarters';
COMMENT ON COLUMN @extschema@.quarterly_progress.measured_on IS 'the day the cumulative figures are measured: the quarter end, or the as-of date';
COMMENT ON COLUMN @extschema@.quarterly_progress.trend IS 'improving, worsening or steady: realised_cum - expected_cum against the previous quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.report_submitted_on IS 'date the quarterly report was received; reported per month: the date the last of its reports was received, once all are in';
COMMENT ON COLUMN @extschema@.quarterly_progress.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.quarterly_progress.persons IS 'distinct persons with a counted activity (as realised counts it: approved or not needing approval, not rejected; pending ones do not) on a day of the quarter inside the contract term (to the as-of date in the current one); not additive: a person counts in every quarter placed, so do not sum over quarters (nor over contracts: a person may count on two); NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.quarterly_progress.new_persons IS 'persons whose first counted day on this contract lies in the quarter (one returning in a later quarter is not new); these add up over quarters to the distinct persons placed; NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.quarterly_progress.fte IS 'sum over counted fte_period activities of fte x their counted days in the quarter / days of the quarter, rounded half away from zero to 2 decimals once for the total (in the current quarter the days to the as-of date, over the whole quarter''s days); adds up over contracts; over quarters its sum is in fte-quarters (average it for the fte of a longer period); NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.quarterly_progress.hours IS 'counted hours of hour blocks (C10) dated in the quarter; additive over quarters and contracts';
COMMENT ON COLUMN @extschema@.quarterly_progress.planned_persons IS 'persons planned for the quarter: the sum of planned_persons of the quarter''s plan lines; NULL when no line plans persons';
COMMENT ON COLUMN @extschema@.quarterly_progress.deviation_persons IS 'persons - planned_persons in the quarter, beside the deviation in euros; NULL when no persons are planned or persons_suppressed';
COMMENT ON COLUMN @extschema@.quarterly_progress.persons_suppressed IS 'true when figures on persons are NULL for you (not a coordinator nor a manager of the municipality): persons, fte and deviation_persons when the quarter rests on 1 to 4 persons, new_persons also in every quarter of a contract with a quarter of 1 to 4 new persons';
