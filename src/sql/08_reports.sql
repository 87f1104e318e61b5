-- sroi install script, part 8: the reports built on the figures of part 7, each written
-- once as its view (src/tools/expand.awk derives the as-of functions).

-- The quantities (domain.md 6.4) per municipality count each person once, whatever
-- the contracts (persons, new_persons: first counted day on any of the municipality's
-- contracts), and round the fte once for the municipality's total.  Small cells as in
-- target_group_outcomes: for a caller who may not read the municipality's persons,
-- persons and fte are NULL when the quarter rests on 1 to 4 persons, new_persons when
-- it is 1 to 4 (target_group_outcomes suppresses its cells so that none follows from
-- this total).
-- @report municipality_quarter municipality quarter
CREATE VIEW @extschema@.municipality_quarter WITH (security_barrier) AS
SELECT m.municipality, m.quarter, m.quarter_start, m.quarter_end, m.contracts, m.obligation, m.realised,
       m.pending, m.contracts_behind, m.as_of,
       CASE WHEN NOT h.persons THEN q.persons END::integer AS persons,
       CASE WHEN NOT h.new_persons THEN q.new_persons END::integer AS new_persons,
       CASE WHEN NOT h.persons THEN q.fte END::numeric(12,2) AS fte,
       q.hours::numeric(15,4) AS hours,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT p.municipality, p.quarter,
               @extschema@.quarter_start(p.quarter::@extschema@.quarter) AS quarter_start,
               @extschema@.quarter_end(p.quarter::@extschema@.quarter) AS quarter_end,
               count(*)::integer AS contracts, sum(c.obligation)::numeric(15,2) AS obligation,
               sum(p.realised)::numeric(15,2) AS realised, sum(p.pending)::numeric(15,2) AS pending,
               (count(*) FILTER (WHERE p.status = 'behind'))::integer AS contracts_behind,
               @as_of@ AS as_of
          FROM (@quarterly_rows@) AS p
          -- the municipality in the join too, so a filter on it reaches both sides
          JOIN (@compliance_rows@) AS c ON c.contract_id = p.contract_id AND c.municipality = p.municipality
         GROUP BY p.municipality, p.quarter) AS m
  -- the stored quantities of the date, or computed (the figures cache, 07_monitoring.sql)
  LEFT JOIN (
        SELECT f.municipality, f.quarter::text AS quarter, f.persons, f.new_persons, f.fte_days, f.hours
          FROM @extschema@.municipality_figures AS f
         WHERE f.as_of = @as_of@ AND f.quarter IS NOT NULL
        UNION ALL
        SELECT s.municipality, s.quarter::text, s.persons, s.new_persons, s.fte_days, s.hours
          FROM (@municipality_sums@) AS s
  ) AS x ON x.municipality = m.municipality AND x.quarter = m.quarter
  CROSS JOIN @caller_scope@
  CROSS JOIN LATERAL (
      SELECT coalesce(x.persons, 0) AS persons, coalesce(x.new_persons, 0) AS new_persons,
             @extschema@.quarter_fte(x.fte_days, m.quarter::@extschema@.quarter) AS fte,
             coalesce(x.hours, 0) AS hours
  ) AS q
  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(q.persons) AND NOT mine.persons AS persons,
             @extschema@.small_cell(q.new_persons) AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR m.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 ORDER BY 1, 2;
COMMENT ON VIEW @extschema@.municipality_quarter IS 'SROI per municipality and quarter, up to today; sroi.municipality_quarter(as_of) gives it for any date (the caller''s contracts), sroi.report_municipality_quarter(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.municipality_quarter.municipality IS 'municipality';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.contracts IS 'contracts running in the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.obligation IS 'sum of the full obligations (as of the as-of date) of the contracts running in the quarter, euros; the same contracts recur in every quarter they run: do not sum over quarters';
COMMENT ON COLUMN @extschema@.municipality_quarter.realised IS 'value realised in the quarter, euros';
COMMENT ON COLUMN @extschema@.municipality_quarter.pending IS 'value awaiting approval accrued in the quarter, euros';
COMMENT ON COLUMN @extschema@.municipality_quarter.contracts_behind IS 'contracts behind at the end of the quarter';
COMMENT ON COLUMN @extschema@.municipality_quarter.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.municipality_quarter.persons IS 'distinct persons with a counted activity (as realised counts it; pending ones do not) on a day of the quarter on any of the municipality''s contracts, each person once; not additive: do not sum over quarters (nor over municipalities); NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.municipality_quarter.new_persons IS 'persons whose first counted day on any of the municipality''s contracts lies in the quarter (a person placed before on another of its contracts is not new); these add up over quarters to the distinct persons placed; NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.municipality_quarter.fte IS 'sum over the counted fte_period activities of fte x their counted days in the quarter / days of the quarter, rounded to 2 decimals once for the municipality (so it may differ by 0.01 from the sum of the contracts'' fte in quarterly_progress); over quarters its sum is in fte-quarters; NULL when persons_suppressed';
COMMENT ON COLUMN @extschema@.municipality_quarter.hours IS 'counted hours of hour blocks (C10) dated in the quarter; additive over quarters';
COMMENT ON COLUMN @extschema@.municipality_quarter.persons_suppressed IS 'true when figures on persons are NULL for you (not a coordinator nor a manager of the municipality): persons and fte when the quarter rests on 1 to 4 persons, new_persons when it is 1 to 4';

-- @report category_mix contract_id
CREATE VIEW @extschema@.category_mix WITH (security_barrier) AS
SELECT c.contract_id, m.category, m.realised,
       CASE WHEN c.realised > 0 THEN @extschema@.div_round(m.realised, c.realised, 4) END::numeric(5,4) AS share,
       c.categories_suppressed AS suppressed, c.as_of
  FROM (@compliance_rows@) AS c
  CROSS JOIN LATERAL (VALUES ('A', c.realised_a), ('B', c.realised_b), ('C', c.realised_c),
                             ('bonus', c.realised_bonus)) AS m (category, realised)
 ORDER BY 1, 2;
COMMENT ON VIEW @extschema@.category_mix IS 'realised value per contract and category today; sroi.category_mix(as_of) for any date (the caller''s contracts), sroi.report_category_mix(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.category_mix.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.category_mix.category IS 'A, B, C or bonus';
COMMENT ON COLUMN @extschema@.category_mix.realised IS 'value realised in the category, euros; NULL when suppressed';
COMMENT ON COLUMN @extschema@.category_mix.share IS 'share of the contract''s realised value, 0 to 1, 4 decimals; NULL when nothing is realised or suppressed';
COMMENT ON COLUMN @extschema@.category_mix.suppressed IS 'true when realised and share are NULL for you: the contract''s value rests on 1 to 4 persons';
COMMENT ON COLUMN @extschema@.category_mix.as_of IS 'the date the figures are for';

-- Persons placed, their average fte and value per municipality, quarter and benefit
-- (no personal data).  Small cells: fewer than 5 persons could point at a person, so
-- persons, fte and realised are NULL there; the row stays, flagged, so that totals show
-- a cell is hidden.  Complementary suppression (as CBS does): where a municipality's
-- quarter has exactly one such cell, its next smallest cell is hidden too, so the
-- hidden one does not follow from a total.  Not for a caller who may read the
-- municipality's persons anyway (a coordinator, its contract managers).
-- @report target_group_outcomes municipality
CREATE VIEW @extschema@.target_group_outcomes WITH (security_barrier) AS
WITH cell AS (
    -- the stored cells of the date, or computed (the figures cache, 07_monitoring.sql)
    SELECT o.municipality, o.quarter, o.benefit, o.persons, o.fte, o.realised
      FROM @extschema@.outcome_figures AS o
     WHERE o.as_of = @as_of@
    UNION ALL
    @outcome_cells@
), ranked AS (
    SELECT c.*, c.persons < @extschema@.small_cell_persons() AS small,
           count(*) FILTER (WHERE c.persons < @extschema@.small_cell_persons())
               OVER (PARTITION BY c.municipality, c.quarter) AS small_cells,
           row_number() OVER (PARTITION BY c.municipality, c.quarter, c.persons < @extschema@.small_cell_persons()
                              ORDER BY c.persons, c.benefit) AS rank
      FROM cell AS c
), judged AS (
    SELECT r.*, (r.small OR (r.small_cells = 1 AND r.rank = 1))
                AND NOT (who.coordinator OR r.municipality = ANY (who.municipalities)) AS hidden
      FROM ranked AS r
      CROSS JOIN @caller_scope@
)
SELECT j.municipality, j.quarter::text AS quarter, @extschema@.quarter_start(j.quarter) AS quarter_start,
       @extschema@.quarter_end(j.quarter) AS quarter_end, j.benefit,
       CASE WHEN NOT j.hidden THEN j.persons END AS persons,
       CASE WHEN NOT j.hidden THEN j.fte END::numeric(12,4) AS fte,
       CASE WHEN NOT j.hidden THEN j.realised END::numeric(15,2) AS realised,
       j.hidden AS suppressed, @as_of@ AS as_of
  FROM judged AS j
 ORDER BY 1, 2, 5;
COMMENT ON VIEW @extschema@.target_group_outcomes IS 'persons placed and value realised per municipality, quarter and benefit; counts and sums only, no personal data: small cells are suppressed (see suppressed)';
COMMENT ON COLUMN @extschema@.target_group_outcomes.municipality IS 'municipality';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.benefit IS 'benefit of the persons: participatiewet, ww, wia, wao, wajong or none';
COMMENT ON COLUMN @extschema@.target_group_outcomes.persons IS 'distinct persons with a counted day in the quarter (domain.md 6.4), also where their line earns nothing (past a max_months cap): the cells of a municipality and quarter add up to municipality_quarter.persons; NULL when suppressed (fewer than 5, or complementary)';
COMMENT ON COLUMN @extschema@.target_group_outcomes.fte IS 'average fte placed over the quarter: fte x counted days / days of the quarter (to the as-of date in the current quarter, where municipality_quarter divides by the whole quarter), 4 decimals; NULL when suppressed';
COMMENT ON COLUMN @extschema@.target_group_outcomes.realised IS 'value realised in the quarter, euros, bonuses included; NULL when suppressed';
COMMENT ON COLUMN @extschema@.target_group_outcomes.suppressed IS 'true when persons, fte and realised are NULL for you: fewer than 5 persons, or hidden so that a single small cell does not follow from a total; a SUM over this view is low by these cells';
COMMENT ON COLUMN @extschema@.target_group_outcomes.as_of IS 'the date the figures are for';

-- Items for the contract manager.  Kick-offs, reports and intensification concern
-- contracts with an SROI obligation (decision): not those under the threshold or exempted.
-- @report overdue_items municipality contract_id
CREATE VIEW @extschema@.overdue_items WITH (security_barrier) AS
WITH obliged AS NOT MATERIALIZED (
    SELECT k.*, card.kickoff_days, card.report_due_days, card.plan_accord_days, card.action_plan_days,
           card.settlement_due_days,
           -- the kick-off meeting as held on the as-of date: one held after it was still missing
           CASE WHEN k.kickoff_on <= @as_of@ THEN k.kickoff_on END AS kickoff_held_on
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
     -- an obligation: the agreed amount, or else the percentage that applies, above 0
     WHERE @extschema@.agreed_first(k.obligation_amount,
                                    @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                               card.default_pct)) > 0
), progress AS NOT MATERIALIZED (
    SELECT p.*, max(p.quarter) FILTER (WHERE p.measured_on = p.quarter_end)
                    OVER (PARTITION BY p.contract_id, p.municipality, p.supplier) AS last_ended
      FROM (@quarterly_rows@) AS p
)
-- domain.md 5 (guideline 6.1): the kick-off meeting within the card's kickoff_days after award.
-- A meeting held after the as-of date was still missing on it.
-- (kickoff_held_on a column of obliged, not a FROM-less LATERAL subquery: beside the
-- correlated subqueries of the other branches Citus refuses one)
SELECT CASE WHEN k.kickoff_held_on IS NULL THEN 'kickoff_missing' ELSE 'kickoff_late' END AS kind,
       k.id AS contract_id, k.municipality, k.supplier, NULL::text AS quarter, k.awarded_on + k.kickoff_days AS due_on,
       CASE WHEN k.kickoff_held_on IS NULL
            THEN format('no kick-off meeting recorded; due %s days after award on %s', k.kickoff_days, k.awarded_on)
            ELSE format('kick-off meeting on %s, %s days after award on %s', k.kickoff_on,
                        k.kickoff_on - k.awarded_on, k.awarded_on) END AS detail,
       @as_of@ AS as_of
  FROM obliged AS k
 WHERE (k.kickoff_held_on IS NULL AND @as_of@ > k.awarded_on + k.kickoff_days)
    OR k.kickoff_held_on > k.awarded_on + k.kickoff_days
UNION ALL
-- Reports, per reporting period: a quarter, or a month under monthly reporting
-- (domain.md 6.3), due report_due_days after its end.
SELECT 'report_' || p.report_status, p.contract_id, p.municipality, p.supplier, p.quarter::text, p.due_on,
       CASE WHEN p.frequency = 'monthly' AND p.report_status = 'late'
            THEN format('monthly report for %s received on %s', to_char(p.period_start, 'YYYY-MM'), p.submitted_on)
            WHEN p.frequency = 'monthly'
            THEN format('monthly report for %s not received', to_char(p.period_start, 'YYYY-MM'))
            WHEN p.report_status = 'late'
            THEN format('report for %s received on %s', p.quarter, p.submitted_on)
            ELSE format('report for %s not received', p.quarter) END,
       @as_of@
  FROM (SELECT x.*, @extschema@.period_report_status(x.due_on, x.submitted_on, @as_of@) AS report_status
          FROM (@report_period_rows@) AS x) AS p
  JOIN obliged AS k ON k.id = p.contract_id
 WHERE p.report_status IN ('overdue', 'late')
UNION ALL
SELECT 'pso_expired', k.id, k.municipality, k.supplier, NULL, k.pso_valid_until,
       format('PSO discount (rung %s) approved, certificate valid until %s: the coordinator may withdraw it',
              k.pso_rung, k.pso_valid_until),
       @as_of@
  FROM @extschema@.contract AS k
 WHERE @extschema@.pso_expired(k.pso_approved, k.pso_valid_until, @as_of@)
UNION ALL
-- The quarters at whose end intensify was flagged (guideline 6.4), of contracts still
-- running on the as-of date, read once for the two kinds of item they give.
-- intensify: monitoring is to be intensified when behind at two consecutive quarter ends
-- (the flag of the last ended quarter).
-- action_plan_missing (domain.md 6.2, guideline 6.4): an action item within
-- action_plan_days after each quarter end at which intensify was flagged.  Decision: an
-- item recorded on the quarter end itself or later counts (one recorded before it
-- belongs to an earlier flag), missing from the day after the due date until an item is
-- recorded, also a late one (an item recorded after the as-of date was still missing on it).
-- Both kinds from one read: a join to a VALUES list of the two (intensify or not: a
-- LATERAL UNION of FROM-less SELECTs is what Citus refuses), and the action items
-- recorded since the quarter end counted beside the row (an aggregate over the
-- contract's own items).
SELECT CASE WHEN kind.intensify THEN 'intensify' ELSE 'action_plan_missing' END,
       p.contract_id, p.municipality, p.supplier, p.quarter,
       CASE WHEN kind.intensify THEN p.quarter_end ELSE p.quarter_end + k.action_plan_days END,
       CASE WHEN kind.intensify
            THEN format('behind at the end of %s and %s: realised %s of %s expected', p.quarter::@extschema@.quarter - 1,
                        p.quarter, p.realised_cum, p.expected_cum)
            ELSE format('intensify flagged at the end of %s: no action item recorded within %s days after it', p.quarter,
                        k.action_plan_days) END,
       @as_of@
  FROM progress AS p
  -- the municipality in the join too, so that a filter on it reaches the contracts' scan
  JOIN obliged AS k ON k.id = p.contract_id AND k.municipality = p.municipality
  LEFT JOIN LATERAL (
      SELECT count(*) AS items FROM @extschema@.action_item AS a
       WHERE a.contract_id = p.contract_id AND a.created_on >= p.quarter_end AND a.created_on <= @as_of@) AS acted ON true
  CROSS JOIN (VALUES (true), (false)) AS kind (intensify)
 WHERE p.intensify AND k.ends_on >= @as_of@
   AND CASE WHEN kind.intensify THEN p.quarter = p.last_ended
            ELSE @as_of@ > p.quarter_end + k.action_plan_days AND acted.items = 0 END
UNION ALL
-- domain.md 6.1 (guideline 6.1, 6.2): an accorded Plan van Aanpak within plan_accord_days
-- after award, due on that day and missing from the next day (as the kick-off and the
-- reports, domain.md 7.7); an accord after the as-of date was still missing on it.  Any
-- accorded version counts, also one entered directly (accorded on the day it was entered).
SELECT 'plan_missing', k.id, k.municipality, k.supplier, NULL, k.awarded_on + k.plan_accord_days,
       format('no accorded Plan van Aanpak; due %s days after award on %s', k.plan_accord_days, k.awarded_on),
       @as_of@
  FROM obliged AS k
 WHERE @as_of@ > k.awarded_on + k.plan_accord_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.plan_version AS v
                    WHERE v.contract_id = k.id AND v.status = 'accorded' AND v.decided_on <= @as_of@)
UNION ALL
-- domain.md 6.2: an action item open past its due date (overdue from the next day); one
-- closed after the as-of date was still open on it.
SELECT 'action_overdue', a.contract_id, k.municipality, k.supplier, NULL, a.due_on,
       format('action item %s is open past its due date: %s', a.id, a.what),
       @as_of@
  FROM @extschema@.action_item AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
 WHERE a.due_on < @as_of@ AND a.created_on <= @as_of@ AND (a.status = 'open' OR a.closed_on > @as_of@)
UNION ALL
-- Guideline 5.3, 6.7 (domain.md 6.5): an ended contract is settled within
-- settlement_due_days after its end date; due on that day, overdue from the next.
SELECT 'settlement_due', k.id, k.municipality, k.supplier, NULL, k.ends_on + k.settlement_due_days,
       format('ended on %s and not settled: settlement was due %s days after the end date', k.ends_on,
              k.settlement_due_days),
       @as_of@
  FROM obliged AS k
 WHERE @as_of@ > k.ends_on + k.settlement_due_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.settlement AS s WHERE s.contract_id = k.id AND s.settled_on <= @as_of@);
COMMENT ON VIEW @extschema@.overdue_items IS 'what needs the contract manager today: kick-offs, reports (quarterly or monthly), expired PSO certificates, contracts to intensify, missing plans and action plans, overdue action items, ended contracts to settle; sroi.overdue_items(as_of) for any date';
COMMENT ON COLUMN @extschema@.overdue_items.kind IS 'kickoff_missing, kickoff_late, report_overdue, report_late, pso_expired, intensify, plan_missing, action_plan_missing, action_overdue or settlement_due';
COMMENT ON COLUMN @extschema@.overdue_items.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.overdue_items.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.overdue_items.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.overdue_items.quarter IS 'the quarter concerned, e.g. 2025-Q3 (of the month, for a monthly report); NULL for kick-off, PSO, plan, action and settlement items';
COMMENT ON COLUMN @extschema@.overdue_items.due_on IS 'the date it was due (or the certificate expired, or the action item was to be done; for settlement_due the end date + settlement_due_days)';
COMMENT ON COLUMN @extschema@.overdue_items.detail IS 'what is the matter, in words';
COMMENT ON COLUMN @extschema@.overdue_items.as_of IS 'the date the items are for';

-- domain.md 5, chain responsibility (ketenverantwoordelijkheid, guideline 4.3): value per contract and deliverer, the
-- main supplier and each subcontractor.
-- @report chain_delivery contract_id
CREATE VIEW @extschema@.chain_delivery WITH (security_barrier) AS
SELECT l.contract_id, l.delivered_by, l.delivered_by = l.supplier AS is_main_supplier,
       coalesce(@extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.counted), 0.00)::numeric(15,2)
           AS realised,
       coalesce(@extschema@.accrued_sum(@line_terms@, @as_of@, @line_caps@) FILTER (WHERE l.pending), 0.00)::numeric(15,2)
           AS pending,
       @as_of@ AS as_of
  FROM (@value_lines@) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= @as_of@
 GROUP BY l.contract_id, l.delivered_by, l.supplier
 ORDER BY 1, 2;
COMMENT ON VIEW @extschema@.chain_delivery IS 'value per contract and deliverer today (ketenverantwoordelijkheid); sroi.chain_delivery(as_of) for any date';
COMMENT ON COLUMN @extschema@.chain_delivery.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.chain_delivery.delivered_by IS 'who delivered: the main supplier or a subcontractor';
COMMENT ON COLUMN @extschema@.chain_delivery.is_main_supplier IS 'true for the contract''s own supplier';
COMMENT ON COLUMN @extschema@.chain_delivery.realised IS 'value realised by this deliverer, euros';
COMMENT ON COLUMN @extschema@.chain_delivery.pending IS 'value awaiting approval, euros';
COMMENT ON COLUMN @extschema@.chain_delivery.as_of IS 'the date the figures are for';

-- The reporting periods of every contract with their report status (domain.md 6.3): the
-- quarters it reports quarterly and the months it reports monthly (macro
-- report_period_rows, 07_monitoring.sql).
-- @report report_periods municipality contract_id
CREATE VIEW @extschema@.report_periods WITH (security_barrier) AS
SELECT p.contract_id, p.municipality, p.supplier, p.frequency, p.period_start, p.period_end, p.due_on,
       p.submitted_on, @extschema@.period_report_status(p.due_on, p.submitted_on, @as_of@) AS report_status,
       p.quarter::text AS quarter, @as_of@ AS as_of
  FROM (@report_period_rows@) AS p
 ORDER BY 1, 5, 6;
COMMENT ON VIEW @extschema@.report_periods IS 'the reporting periods of every contract up to today: each quarter it reports quarterly, each month it reports monthly (domain.md 6.3), with the report status; sroi.report_periods(as_of) for any date';
COMMENT ON COLUMN @extschema@.report_periods.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.report_periods.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.report_periods.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.report_periods.frequency IS 'quarterly (reported in quarter_report) or monthly (in period_report)';
COMMENT ON COLUMN @extschema@.report_periods.period_start IS 'first day of the period: of the quarter, or of the month';
COMMENT ON COLUMN @extschema@.report_periods.period_end IS 'last day of the period';
COMMENT ON COLUMN @extschema@.report_periods.due_on IS 'the day the report is due: report_due_days (rate card, 30) after the period end';
COMMENT ON COLUMN @extschema@.report_periods.submitted_on IS 'the day the report was received; NULL: not received';
COMMENT ON COLUMN @extschema@.report_periods.report_status IS 'submitted (by the due date), late (after it), overdue (due and missing; from the day after the due date) or not_due';
COMMENT ON COLUMN @extschema@.report_periods.quarter IS 'the quarter of the period, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.report_periods.as_of IS 'the date the statuses are for';
GRANT SELECT ON @extschema@.report_periods TO sroi_reader, sroi_coordinator, sroi_contract_manager;
