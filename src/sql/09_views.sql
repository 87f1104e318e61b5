-- sroi install script, part 9: the views BI tools read.  They show today's
-- figures (sroi.today()) in built-in types only: a quarter is text such as
-- 2025-Q3, beside its first and last day.  The functions of the same names
-- give the same rows as of any date.
--
-- A view's functions run with the privileges of whoever reads the view, and a
-- BI reader (sroi_reader, 10_security.sql) may read no table.  So each view
-- reads a report function: SECURITY DEFINER, so it sees every contract whatever
-- the reader's row-level security, and EXECUTE only for the roles granted the
-- views (10_security.sql).  They return aggregates only; target_group_outcomes
-- suppresses small cells.  The monitoring functions themselves stay SECURITY
-- INVOKER: called directly, they show what the caller may read.

-- The caller of a report function is the role the view or query runs as: the views
-- pass CURRENT_USER, and a direct call may name only a role the login may act as.
-- Inside a SECURITY DEFINER function CURRENT_USER is the owner, hence the argument.
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

-- Small cells (no personal data, guideline 3 persons are pseudonymous but their
-- benefit is sensitive): a reader who may not read a municipality's persons gets
-- the figures that rest on fewer than small_cell_persons persons suppressed, and
-- the as-of dates it may ask for are today and the last days of ended quarters, so
-- that stepping the date a day at a time cannot tie a hidden cell to a placement.
-- Coordinators, and contract managers for their own municipalities, read the
-- persons anyway: nothing is hidden from them.
CREATE FUNCTION @extschema@.may_read_persons(caller name, municipality text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.is_coordinator(caller)
        OR municipality OPERATOR(pg_catalog.=) ANY (@extschema@.scopes('municipality', caller));
COMMENT ON FUNCTION @extschema@.may_read_persons(name, text) IS
    'whether a role may read the person-level data of a municipality: a coordinator, or a contract manager acting for it';

CREATE FUNCTION @extschema@.small_cell_persons() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 5;
COMMENT ON FUNCTION @extschema@.small_cell_persons() IS
    'the least number of persons a figure shown to readers may rest on (decision: 5, as CBS practice); fewer is suppressed';

-- A contract whose value rests on 1 to 4 persons: its split over the categories would
-- show what they earn, so it is hidden from those who may not read the persons.
CREATE FUNCTION @extschema@.categories_hidden(persons integer, caller name, municipality text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN persons OPERATOR(pg_catalog.>) 0 AND persons OPERATOR(pg_catalog.<) @extschema@.small_cell_persons()
           AND NOT @extschema@.may_read_persons(caller, municipality);
COMMENT ON FUNCTION @extschema@.categories_hidden(integer, name, text) IS
    'whether the category split of a contract with this many persons is suppressed for a role (internal)';

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

-- report_* (as_of): the rows of the monitoring function of the same name.
CREATE FUNCTION @extschema@.report_compliance(as_of date, caller name)
    RETURNS TABLE (contract_id text, municipality text, supplier text, contract_value numeric,
                   obligation_gross numeric, pso_discount numeric, obligation numeric,
                   realised numeric, realised_a numeric, realised_b numeric, realised_c numeric,
                   realised_bonus numeric, pending numeric, expected_to_date numeric, gap numeric,
                   pct_realised numeric, status text, projected_at_end numeric, penalty_exposure numeric,
                   pso_expired boolean, rate_card text, basis text, as_of date, persons integer,
                   categories_suppressed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT c.contract_id, c.municipality, c.supplier, c.contract_value, c.obligation_gross, c.pso_discount,
           c.obligation, c.realised,
           CASE WHEN NOT h.hidden THEN c.realised_a END, CASE WHEN NOT h.hidden THEN c.realised_b END,
           CASE WHEN NOT h.hidden THEN c.realised_c END, CASE WHEN NOT h.hidden THEN c.realised_bonus END,
           c.pending, c.expected_to_date, c.gap, c.pct_realised, c.status, c.projected_at_end, c.penalty_exposure,
           c.pso_expired, c.rate_card, c.basis, c.as_of, c.persons, h.hidden
      FROM @extschema@.compliance(@extschema@.report_as_of(report_compliance.as_of,
                                                           @extschema@.report_caller(report_compliance.caller))) AS c
      CROSS JOIN LATERAL (SELECT @extschema@.categories_hidden(c.persons, report_compliance.caller, c.municipality)
                                 AS hidden) AS h;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_compliance(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_compliance(date, name) IS
    'sroi.compliance(as_of) for every contract, whoever calls it, with small contracts'' category split suppressed for callers who may not read their persons (SECURITY DEFINER, for the view contract_compliance and the roles granted it)';

CREATE VIEW @extschema@.contract_compliance AS
SELECT contract_id, municipality, supplier, contract_value, obligation_gross, pso_discount, obligation,
       realised, realised_a, realised_b, realised_c, realised_bonus, pending, expected_to_date, gap,
       pct_realised, status, projected_at_end, penalty_exposure, pso_expired, rate_card, basis, as_of,
       persons, categories_suppressed
  FROM @extschema@.report_compliance(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.contract_compliance IS 'SROI compliance per contract today; sroi.compliance(as_of) gives it for any date';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.contract_compliance.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.contract_compliance.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_value IS 'contract value in euros, excl. VAT';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation_gross IS 'SROI obligation before the PSO discount, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.pso_discount IS 'approved PSO discount on the labour component, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation IS 'SROI obligation after the PSO discount (to date, on the turnover basis), euros';
COMMENT ON COLUMN @extschema@.contract_compliance.realised IS 'value realised to date, euros: realised_a + realised_b + realised_c + realised_bonus';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_a IS 'realised in category A (employment), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_b IS 'realised in category B (learning, work experience), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_c IS 'realised in category C (other social activity), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_bonus IS 'realised in bonuses 12 and 13, euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.contract_compliance.pending IS 'value of activities awaiting the coordinator''s approval (C9, C11, M), euros; not in realised';
COMMENT ON COLUMN @extschema@.contract_compliance.expected_to_date IS 'value expected by today: linear over the term, or by the phasing schedule, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.gap IS 'obligation still to realise, never below 0, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.pct_realised IS 'realised as a percentage of the obligation, 1 decimal; NULL when the obligation is 0';
COMMENT ON COLUMN @extschema@.contract_compliance.status IS 'not_applicable, fulfilled, on_track, at_risk (at least 75 % of expected) or behind';
COMMENT ON COLUMN @extschema@.contract_compliance.projected_at_end IS 'realised / elapsed share of the term, once 10 % of it has passed; else NULL';
COMMENT ON COLUMN @extschema@.contract_compliance.penalty_exposure IS 'penalty if nothing more were delivered: gap x penalty percentage; 0 when waived';
COMMENT ON COLUMN @extschema@.contract_compliance.pso_expired IS 'the PSO discount is approved but the certificate has expired: for the coordinator to review';
COMMENT ON COLUMN @extschema@.contract_compliance.rate_card IS 'the rate card the contract is pinned to';
COMMENT ON COLUMN @extschema@.contract_compliance.basis IS 'contract_value or turnover';
COMMENT ON COLUMN @extschema@.contract_compliance.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.contract_compliance.persons IS 'distinct persons with counted value to date';
COMMENT ON COLUMN @extschema@.contract_compliance.categories_suppressed IS 'true when realised_a, realised_b, realised_c and realised_bonus are NULL for you: 1 to 4 persons, whose earnings the split would show';

CREATE FUNCTION @extschema@.report_quarterly_progress(as_of date, caller name)
    RETURNS TABLE (contract_id text, municipality text, supplier text, quarter @extschema@.quarter,
                   quarter_start date, quarter_end date, planned numeric, realised numeric,
                   realised_cum numeric, expected_cum numeric, deviation numeric, deviation_cum numeric,
                   status text, intensify boolean, report_status text,
                   pending numeric, planned_cum numeric, obligation numeric, measured_on date,
                   trend text, report_submitted_on date)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT p.contract_id, p.municipality, p.supplier, p.quarter, p.quarter_start, p.quarter_end, p.planned,
           p.realised, p.realised_cum, p.expected_cum, p.deviation, p.deviation_cum, p.status, p.intensify,
           p.report_status, p.pending, p.planned_cum, p.obligation, p.measured_on, p.trend, p.report_submitted_on
      FROM @extschema@.quarterly_progress(@extschema@.report_as_of(report_quarterly_progress.as_of, @extschema@.report_caller(report_quarterly_progress.caller))) AS p;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_quarterly_progress(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_quarterly_progress(date, name) IS
    'sroi.quarterly_progress(as_of) for every contract, whoever calls it (SECURITY DEFINER, for the view quarterly_progress and the roles granted it)';

CREATE VIEW @extschema@.quarterly_progress AS
SELECT contract_id, municipality, supplier, quarter::text AS quarter, quarter_start, quarter_end, planned,
       realised, realised_cum, expected_cum, deviation, deviation_cum, status, intensify, report_status,
       pending, planned_cum, obligation, measured_on, trend, report_submitted_on
  FROM @extschema@.report_quarterly_progress(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.quarterly_progress IS 'SROI progress per contract and quarter, up to today''s quarter; sroi.quarterly_progress(as_of) gives it for any date';
COMMENT ON COLUMN @extschema@.quarterly_progress.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.quarterly_progress.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.quarterly_progress.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.planned IS 'value planned for the quarter in the Plan van Aanpak, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.realised IS 'value realised in the quarter (to today in the current one), euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.realised_cum IS 'value realised from the start to the end of the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.expected_cum IS 'value expected by the end of the quarter (today in the current one), euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.deviation IS 'realised - planned in the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.deviation_cum IS 'realised_cum - planned_cum, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.status IS 'status at the end of the quarter (today in the current one)';
COMMENT ON COLUMN @extschema@.quarterly_progress.intensify IS 'behind at this and the previous quarter end: intensify monitoring (guideline 6.4)';
COMMENT ON COLUMN @extschema@.quarterly_progress.report_status IS 'quarterly report: submitted, late, overdue (due and missing) or not_due';
COMMENT ON COLUMN @extschema@.quarterly_progress.pending IS 'value awaiting approval accrued in the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.planned_cum IS 'value planned from the start to the end of the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.obligation IS 'obligation at the end of the quarter, euros';
COMMENT ON COLUMN @extschema@.quarterly_progress.measured_on IS 'the day the cumulative figures are measured: the quarter end, or today';
COMMENT ON COLUMN @extschema@.quarterly_progress.trend IS 'improving, worsening or steady: realised_cum - expected_cum against the previous quarter';
COMMENT ON COLUMN @extschema@.quarterly_progress.report_submitted_on IS 'date the quarterly report was received';

CREATE FUNCTION @extschema@.report_municipality_quarter(as_of date, caller name)
    RETURNS TABLE (municipality text, quarter @extschema@.quarter, contracts integer, obligation numeric,
                   realised numeric, pending numeric, contracts_behind integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT m.municipality, m.quarter, m.contracts, m.obligation, m.realised, m.pending, m.contracts_behind
      FROM @extschema@.municipality_quarter(@extschema@.report_as_of(report_municipality_quarter.as_of, @extschema@.report_caller(report_municipality_quarter.caller))) AS m;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_municipality_quarter(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_municipality_quarter(date, name) IS
    'sroi.municipality_quarter(as_of) over every contract, whoever calls it (SECURITY DEFINER, for the view municipality_quarter and the roles granted it)';

CREATE VIEW @extschema@.municipality_quarter AS
SELECT municipality, quarter::text AS quarter, @extschema@.quarter_start(quarter) AS quarter_start,
       @extschema@.quarter_end(quarter) AS quarter_end, contracts, obligation, realised, pending, contracts_behind
  FROM @extschema@.report_municipality_quarter(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.municipality_quarter IS 'SROI per municipality and quarter, up to today; sroi.municipality_quarter(as_of) gives it for any date';
COMMENT ON COLUMN @extschema@.municipality_quarter.municipality IS 'municipality';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.contracts IS 'contracts running in the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.obligation IS 'sum of the full obligations of those contracts, euros';
COMMENT ON COLUMN @extschema@.municipality_quarter.realised IS 'value realised in the quarter, euros';
COMMENT ON COLUMN @extschema@.municipality_quarter.pending IS 'value awaiting approval accrued in the quarter, euros';
COMMENT ON COLUMN @extschema@.municipality_quarter.contracts_behind IS 'contracts behind at the end of the quarter';

CREATE FUNCTION @extschema@.report_category_mix(as_of date, caller name)
    RETURNS TABLE (contract_id text, category text, realised numeric, share numeric, suppressed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT c.contract_id, m.category, CASE WHEN NOT h.hidden THEN m.realised END,
           CASE WHEN NOT h.hidden AND c.realised OPERATOR(pg_catalog.>) 0
                THEN @extschema@.div_round(m.realised, c.realised, 4) END,
           h.hidden
      FROM @extschema@.compliance(@extschema@.report_as_of(report_category_mix.as_of,
                                                           @extschema@.report_caller(report_category_mix.caller))) AS c
      CROSS JOIN LATERAL (SELECT @extschema@.categories_hidden(c.persons, report_category_mix.caller, c.municipality)
                                 AS hidden) AS h
      CROSS JOIN LATERAL (VALUES ('A', c.realised_a), ('B', c.realised_b), ('C', c.realised_c),
                                 ('bonus', c.realised_bonus)) AS m (category, realised)
     ORDER BY c.contract_id, m.category;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_category_mix(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_category_mix(date, name) IS
    'sroi.category_mix(as_of) for every contract, whoever calls it, with the split of small contracts suppressed like contract_compliance (SECURITY DEFINER, for the view category_mix and the roles granted it)';

CREATE VIEW @extschema@.category_mix AS
SELECT contract_id, category, realised, share, suppressed FROM @extschema@.report_category_mix(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.category_mix IS 'realised value per contract and category today; sroi.category_mix(as_of) for any date';
COMMENT ON COLUMN @extschema@.category_mix.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.category_mix.category IS 'A, B, C or bonus';
COMMENT ON COLUMN @extschema@.category_mix.realised IS 'value realised in the category, euros; NULL when suppressed';
COMMENT ON COLUMN @extschema@.category_mix.share IS 'share of the contract''s realised value, 0 to 1, 4 decimals; NULL when nothing is realised or suppressed';
COMMENT ON COLUMN @extschema@.category_mix.suppressed IS 'true when realised and share are NULL for you: the contract''s value rests on 1 to 4 persons';

-- Small cells: fewer than small_cell_persons persons in a municipality, quarter and
-- benefit could point at a person, so persons, fte and realised are NULL there; the
-- row stays, flagged, so that totals show a cell is hidden.  Complementary
-- suppression (as CBS does): where a municipality's quarter has exactly one such
-- cell, its next smallest cell is hidden too, so the hidden one does not follow from
-- a total.  Not for callers who may read the municipality's persons anyway.
CREATE FUNCTION @extschema@.report_target_group_outcomes(as_of date, caller name)
    RETURNS TABLE (municipality text, quarter @extschema@.quarter, benefit text, persons integer,
                   fte numeric, realised numeric, suppressed boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH cell AS (
        SELECT t.*, t.persons OPERATOR(pg_catalog.<) @extschema@.small_cell_persons() AS small
          FROM @extschema@.target_group_outcomes(
                   @extschema@.report_as_of(report_target_group_outcomes.as_of,
                                            @extschema@.report_caller(report_target_group_outcomes.caller))) AS t
    ), ranked AS (
        SELECT c.*,
               count(*) FILTER (WHERE c.small) OVER (PARTITION BY c.municipality, c.quarter) AS small_cells,
               row_number() OVER (PARTITION BY c.municipality, c.quarter, c.small ORDER BY c.persons, c.benefit) AS rank
          FROM cell AS c
    ), judged AS (
        SELECT r.*, (r.small OR (r.small_cells OPERATOR(pg_catalog.=) 1 AND r.rank OPERATOR(pg_catalog.=) 1))
                    AND NOT @extschema@.may_read_persons(report_target_group_outcomes.caller, r.municipality) AS hidden
          FROM ranked AS r
    )
    SELECT j.municipality, j.quarter, j.benefit,
           CASE WHEN NOT j.hidden THEN j.persons END,
           CASE WHEN NOT j.hidden THEN j.fte END,
           CASE WHEN NOT j.hidden THEN j.realised END,
           j.hidden
      FROM judged AS j
     ORDER BY j.municipality, j.quarter, j.benefit;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_target_group_outcomes(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_target_group_outcomes(date, name) IS
    'sroi.target_group_outcomes(as_of) over every contract with small cells suppressed (primary: fewer than 5 persons; complementary: the next smallest cell where only one is hidden) for callers who may not read the persons (SECURITY DEFINER, for the view target_group_outcomes and the roles granted it)';

CREATE VIEW @extschema@.target_group_outcomes AS
SELECT municipality, quarter::text AS quarter, @extschema@.quarter_start(quarter) AS quarter_start,
       @extschema@.quarter_end(quarter) AS quarter_end, benefit, persons, fte, realised, suppressed
  FROM @extschema@.report_target_group_outcomes(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.target_group_outcomes IS 'persons placed and value realised per municipality, quarter and benefit; counts and sums only, no personal data: cells of fewer than 5 persons show NULL';
COMMENT ON COLUMN @extschema@.target_group_outcomes.municipality IS 'municipality';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.benefit IS 'benefit of the persons: participatiewet, ww, wia, wao, wajong or none';
COMMENT ON COLUMN @extschema@.target_group_outcomes.persons IS 'distinct persons with counted value in the quarter; NULL when suppressed (fewer than 5, or complementary)';
COMMENT ON COLUMN @extschema@.target_group_outcomes.fte IS 'average fte placed over the quarter, 4 decimals; NULL when suppressed';
COMMENT ON COLUMN @extschema@.target_group_outcomes.realised IS 'value realised in the quarter, euros, bonuses included; NULL when suppressed';
COMMENT ON COLUMN @extschema@.target_group_outcomes.suppressed IS 'true when persons, fte and realised are NULL for you: fewer than 5 persons, or hidden so that a single small cell does not follow from a total; a SUM over this view is low by these cells';

CREATE FUNCTION @extschema@.report_overdue_items(as_of date, caller name)
    RETURNS TABLE (kind text, contract_id text, municipality text, supplier text, quarter @extschema@.quarter,
                   due_on date, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT o.kind, o.contract_id, o.municipality, o.supplier, o.quarter, o.due_on, o.detail
      FROM @extschema@.overdue_items(@extschema@.report_as_of(report_overdue_items.as_of, @extschema@.report_caller(report_overdue_items.caller))) AS o;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_overdue_items(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_overdue_items(date, name) IS
    'sroi.overdue_items(as_of) for every contract, whoever calls it (SECURITY DEFINER, for the view overdue_items and the roles granted it)';

CREATE VIEW @extschema@.overdue_items AS
SELECT kind, contract_id, municipality, supplier, quarter::text AS quarter, due_on, detail
  FROM @extschema@.report_overdue_items(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.overdue_items IS 'what needs the contract manager today: kick-offs, reports, expired PSO certificates, contracts to intensify';
COMMENT ON COLUMN @extschema@.overdue_items.kind IS 'kickoff_missing, kickoff_late, report_overdue, report_late, pso_expired or intensify';
COMMENT ON COLUMN @extschema@.overdue_items.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.overdue_items.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.overdue_items.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.overdue_items.quarter IS 'the quarter concerned, e.g. 2025-Q3; NULL for kick-off and PSO items';
COMMENT ON COLUMN @extschema@.overdue_items.due_on IS 'the date it was due (or the certificate expired)';
COMMENT ON COLUMN @extschema@.overdue_items.detail IS 'what is the matter, in words';

CREATE FUNCTION @extschema@.report_chain_delivery(as_of date, caller name)
    RETURNS TABLE (contract_id text, delivered_by text, is_main_supplier boolean, realised numeric, pending numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT d.contract_id, d.delivered_by, d.is_main_supplier, d.realised, d.pending
      FROM @extschema@.chain_delivery(@extschema@.report_as_of(report_chain_delivery.as_of, @extschema@.report_caller(report_chain_delivery.caller))) AS d;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_chain_delivery(date, name) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.report_chain_delivery(date, name) IS
    'sroi.chain_delivery(as_of) for every contract, whoever calls it (SECURITY DEFINER, for the view chain_delivery and the roles granted it)';

CREATE VIEW @extschema@.chain_delivery AS
SELECT contract_id, delivered_by, is_main_supplier, realised, pending FROM @extschema@.report_chain_delivery(@extschema@.today(), CURRENT_USER);
COMMENT ON VIEW @extschema@.chain_delivery IS 'value per contract and deliverer today (ketenverantwoordelijkheid); sroi.chain_delivery(as_of) for any date';
COMMENT ON COLUMN @extschema@.chain_delivery.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.chain_delivery.delivered_by IS 'who delivered: the main supplier or a subcontractor';
COMMENT ON COLUMN @extschema@.chain_delivery.is_main_supplier IS 'true for the contract''s own supplier';
COMMENT ON COLUMN @extschema@.chain_delivery.realised IS 'value realised by this deliverer, euros';
COMMENT ON COLUMN @extschema@.chain_delivery.pending IS 'value awaiting approval, euros';
