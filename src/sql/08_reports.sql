-- sroi install script, part 8: the reports of domain.md 5 as functions of an
-- as-of date, built on compliance() and quarterly_progress().

CREATE FUNCTION @extschema@.municipality_quarter(as_of date)
    RETURNS TABLE (municipality text, quarter @extschema@.quarter, contracts integer, obligation numeric,
                   realised numeric, pending numeric, contracts_behind integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.municipality, p.quarter, count(*)::integer, sum(c.obligation), sum(p.realised), sum(p.pending),
           (count(*) FILTER (WHERE p.status = 'behind'))::integer
      FROM @extschema@.quarterly_progress(municipality_quarter.as_of) AS p
      JOIN @extschema@.compliance(municipality_quarter.as_of) AS c ON c.contract_id = p.contract_id
     GROUP BY p.municipality, p.quarter
     ORDER BY p.municipality, p.quarter;
END;
COMMENT ON FUNCTION @extschema@.municipality_quarter(date) IS
    'per municipality and quarter: contracts running, their obligations, value realised and pending in the quarter, contracts behind at its end';

CREATE FUNCTION @extschema@.category_mix(as_of date)
    RETURNS TABLE (contract_id text, category text, realised numeric, share numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.contract_id, m.category, m.realised,
           CASE WHEN c.realised > 0 THEN @extschema@.div_round(m.realised, c.realised, 4) END
      FROM @extschema@.compliance(category_mix.as_of) AS c
      CROSS JOIN LATERAL (VALUES ('A', c.realised_a), ('B', c.realised_b), ('C', c.realised_c),
                                 ('bonus', c.realised_bonus)) AS m (category, realised)
     ORDER BY c.contract_id, m.category;
END;
COMMENT ON FUNCTION @extschema@.category_mix(date) IS
    'per contract and category (A, B, C, bonus): realised value and its share of the contract''s realised value';

CREATE FUNCTION @extschema@.target_group_outcomes(as_of date)
    RETURNS TABLE (municipality text, quarter @extschema@.quarter, benefit text, persons integer,
                   fte numeric, realised numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH earned AS (
        SELECT l.*, v.quarter, v.value,
               least(@extschema@.quarter_end(v.quarter), target_group_outcomes.as_of) AS measured_on
          FROM @extschema@.value_line AS l
          CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity,
                                                             l.starts_on, l.ends_on, target_group_outcomes.as_of,
                                                             l.planned_ends_on, l.max_months,
                                                             l.term_starts_on, l.term_ends_on) AS v
         WHERE l.counted AND l.candidate_id IS NOT NULL AND l.starts_on <= target_group_outcomes.as_of
    )
    SELECT e.municipality, e.quarter, e.benefit, @extschema@.persons(e.candidate_id),
           -- average fte placed over the quarter (to the as-of date in the current one)
           round(coalesce(sum(e.fte * (least(coalesce(e.ends_on, e.measured_on), e.term_ends_on, e.measured_on)
                                       - greatest(e.starts_on, e.term_starts_on, @extschema@.quarter_start(e.quarter)) + 1)
                              / (e.measured_on - @extschema@.quarter_start(e.quarter) + 1))
                          FILTER (WHERE e.unit = 'fte_period' AND e.category <> 'bonus'), 0), 4),
           sum(e.value)
      FROM earned AS e
     GROUP BY e.municipality, e.quarter, e.benefit
     ORDER BY e.municipality, e.quarter, e.benefit;
END;
COMMENT ON FUNCTION @extschema@.target_group_outcomes(date) IS
    'per municipality, quarter and benefit: persons placed, their average fte over the quarter and the value realised';

CREATE FUNCTION @extschema@.overdue_items(as_of date)
    RETURNS TABLE (kind text, contract_id text, municipality text, supplier text, quarter @extschema@.quarter,
                   due_on date, detail text)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- Kick-offs, reports and intensification concern contracts with an SROI
    -- obligation (decision): not those under the threshold or exempted.
    WITH obliged AS (
        SELECT k.*, card.kickoff_days, card.report_due_days
          FROM @extschema@.contract AS k
          JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
         WHERE CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount > 0
                    ELSE coalesce(k.obligation_pct, CASE WHEN k.contract_value > card.threshold
                                                         THEN card.default_pct ELSE 0 END) > 0 END
    ), progress AS (
        SELECT p.*, @extschema@.max(p.quarter) FILTER (WHERE p.measured_on = p.quarter_end)
                        OVER (PARTITION BY p.contract_id) AS last_ended
          FROM @extschema@.quarterly_progress(overdue_items.as_of) AS p
    )
    -- Guideline 6.1: the kick-off meeting within 2 weeks after award.
    -- A meeting held after the as-of date was still missing on it.
    SELECT CASE WHEN held.on_date IS NULL THEN 'kickoff_missing' ELSE 'kickoff_late' END,
           k.id, k.municipality, k.supplier, NULL::@extschema@.quarter, k.awarded_on + k.kickoff_days,
           CASE WHEN held.on_date IS NULL
                THEN format('no kick-off meeting recorded; due %s days after award on %s', k.kickoff_days, k.awarded_on)
                ELSE format('kick-off meeting on %s, %s days after award on %s', k.kickoff_on,
                            k.kickoff_on - k.awarded_on, k.awarded_on) END
      FROM obliged AS k
      CROSS JOIN LATERAL (SELECT CASE WHEN k.kickoff_on <= overdue_items.as_of THEN k.kickoff_on END AS on_date) AS held
     WHERE (held.on_date IS NULL AND overdue_items.as_of > k.awarded_on + k.kickoff_days)
        OR held.on_date > k.awarded_on + k.kickoff_days
    UNION ALL
    SELECT 'report_' || p.report_status, p.contract_id, p.municipality, p.supplier, p.quarter,
           p.quarter_end + k.report_due_days,
           CASE WHEN p.report_status = 'late'
                THEN format('report for %s received on %s', p.quarter, p.report_submitted_on)
                ELSE format('report for %s not received', p.quarter) END
      FROM progress AS p
      JOIN obliged AS k ON k.id = p.contract_id
     WHERE p.report_status IN ('overdue', 'late')
    UNION ALL
    SELECT 'pso_expired', k.id, k.municipality, k.supplier, NULL, k.pso_valid_until,
           format('PSO discount (rung %s) approved, certificate valid until %s: the coordinator may withdraw it',
                  k.pso_rung, k.pso_valid_until)
      FROM @extschema@.contract AS k
     WHERE k.pso_approved AND k.pso_valid_until < overdue_items.as_of
    UNION ALL
    -- Guideline 6.4: intensify monitoring when behind at two consecutive quarter
    -- ends, for contracts still running on the as-of date.
    SELECT 'intensify', p.contract_id, p.municipality, p.supplier, p.quarter, p.quarter_end,
           format('behind at the end of %s and %s: realised %s of %s expected', p.quarter - 1, p.quarter,
                  p.realised_cum, p.expected_cum)
      FROM progress AS p
      JOIN obliged AS k ON k.id = p.contract_id
     WHERE p.intensify AND p.quarter = p.last_ended AND k.ends_on >= overdue_items.as_of;
END;
COMMENT ON FUNCTION @extschema@.overdue_items(date) IS
    'items for the contract manager: kick-off meetings late or missing, quarter reports overdue or late (contracts with an obligation), expired PSO certificates, running contracts to intensify';

CREATE FUNCTION @extschema@.chain_delivery(as_of date)
    RETURNS TABLE (contract_id text, delivered_by text, is_main_supplier boolean, realised numeric, pending numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT l.contract_id, l.delivered_by, l.delivered_by = l.supplier,
           coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on,
                                            l.ends_on, chain_delivery.as_of, l.planned_ends_on, l.max_months,
                                            l.term_starts_on, l.term_ends_on) FILTER (WHERE l.counted), 0.00),
           coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on,
                                            l.ends_on, chain_delivery.as_of, l.planned_ends_on, l.max_months,
                                            l.term_starts_on, l.term_ends_on) FILTER (WHERE l.pending), 0.00)
      FROM @extschema@.value_line AS l
     WHERE (l.counted OR l.pending) AND l.starts_on <= chain_delivery.as_of
     GROUP BY l.contract_id, l.delivered_by, l.supplier
     ORDER BY l.contract_id, l.delivered_by;
END;
COMMENT ON FUNCTION @extschema@.chain_delivery(date) IS
    'ketenverantwoordelijkheid (guideline 4.3): value per contract and deliverer, the main supplier and each subcontractor';
