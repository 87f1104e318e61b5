-- sroi install script, part 7: the monitoring figures of domain.md 5, as
-- functions of an as-of date.  The views of 09_views.sql show them at today.

-- numerator / denominator rounded half away from zero to decimals, exactly.
CREATE FUNCTION @extschema@.div_round(numerator numeric, denominator numeric, decimals integer)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_div_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.div_round(numeric, numeric, integer) IS
    'numerator / denominator rounded half away from zero to the given decimals (0 to 10), exactly; denominator > 0';

-- One row per value line: each activity, plus one line per bonus it claims
-- (domain.md 3: a bonus accrues like its base activity and shares its status).
CREATE VIEW @extschema@.value_line AS
SELECT a.id AS activity_id,
       a.contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
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
  JOIN @extschema@.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  CROSS JOIN LATERAL (
      SELECT NULL::text AS code
      UNION ALL SELECT 'BONUS12' WHERE a.bonus_56plus
      UNION ALL SELECT 'BONUS13' WHERE a.bonus_special
  ) AS line
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = k.rate_card AND bonus.code = line.code;
COMMENT ON VIEW @extschema@.value_line IS
    'one row per value line: each activity with the accrual terms of its block, and one more per bonus it claims (internal to the monitoring functions; holds person-level rows)';
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

-- Gross obligation, PSO discount, net obligation and expected value of one
-- contract on a date (domain.md 1, 5).  Not STRICT, so that the planner inlines
-- it into the calling query (a NULL argument gives no row).
CREATE FUNCTION @extschema@.contract_targets(contract_id text, on_date date)
    RETURNS TABLE (obligation_gross numeric, pso_discount numeric, obligation numeric, expected numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT g.gross, d.discount, g.gross - d.discount,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - d.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - d.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN on_date >= k.ends_on THEN g.gross - d.discount
                -- 4.3: an own phasing schedule, stepwise
                WHEN phased.contract_id IS NOT NULL THEN
                    round((g.gross - d.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - d.discount) * (on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END)
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung
      LEFT JOIN (SELECT DISTINCT p.contract_id FROM @extschema@.phasing AS p) AS phased ON phased.contract_id = k.id
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- 5.2: the percentage of the turnover reported for the quarters up to the date
                      WHEN k.basis = 'turnover' THEN
                          round(coalesce(k.obligation_pct,
                                         CASE WHEN k.contract_value > card.threshold THEN card.default_pct ELSE 0 END)
                                * 0.01 * (SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                           WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(on_date)), 2)
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS d
     WHERE k.id = contract_targets.contract_id AND on_date IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.contract_targets(text, date) IS
    'obligation_gross, pso_discount, obligation and expected value to date of one contract on a date (domain.md 1 and 5)';

-- domain.md 5 (decision, thresholds configurable on the rate card).  final:
-- whether the obligation is final; on the turnover basis it grows until the
-- contract's end date, so before it the best status is on_track (domain.md 7.6).
CREATE FUNCTION @extschema@.monitoring_status(obligation numeric, realised numeric, expected numeric,
                                              at_risk_pct numeric DEFAULT 75, final boolean DEFAULT true)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation = 0 THEN 'not_applicable'
                WHEN realised >= obligation AND final THEN 'fulfilled'
                WHEN realised >= expected THEN 'on_track'
                WHEN realised * 100 >= expected * at_risk_pct THEN 'at_risk'
                ELSE 'behind' END;
COMMENT ON FUNCTION @extschema@.monitoring_status(numeric, numeric, numeric, numeric, boolean) IS
    'not_applicable (obligation 0), fulfilled (realised >= obligation, once the obligation is final), on_track (realised >= expected), at_risk (>= at_risk_pct % of expected) or behind';

-- domain.md 5: reports are due report_due_days after the quarter's end.  A report
-- received after the as-of date was still missing on it.
CREATE FUNCTION @extschema@.report_status(q @extschema@.quarter, submitted_on date, due_days integer, as_of date)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN submitted_on <= as_of AND submitted_on <= @extschema@.quarter_end(q) + due_days THEN 'submitted'
                WHEN submitted_on <= as_of THEN 'late'
                WHEN as_of > @extschema@.quarter_end(q) + due_days THEN 'overdue'
                ELSE 'not_due' END;
COMMENT ON FUNCTION @extschema@.report_status(@extschema@.quarter, date, integer, date) IS
    'submitted (by the due date), late (after it), overdue (due and missing) or not_due';

-- Realised value per contract and category at a date.
CREATE FUNCTION @extschema@.compliance(as_of date)
    RETURNS TABLE (contract_id text, municipality text, supplier text, contract_value numeric,
                   obligation_gross numeric, pso_discount numeric, obligation numeric,
                   realised numeric, realised_a numeric, realised_b numeric, realised_c numeric,
                   realised_bonus numeric, pending numeric, expected_to_date numeric, gap numeric,
                   pct_realised numeric, status text, projected_at_end numeric, penalty_exposure numeric,
                   pso_expired boolean, rate_card text, basis text, as_of date, persons integer)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH value AS (
        SELECT l.contract_id,
               @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                       compliance.as_of, l.planned_ends_on, l.max_months, l.term_starts_on,
                                       l.term_ends_on) FILTER (WHERE l.counted AND l.category = 'A') AS a,
               @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                       compliance.as_of, l.planned_ends_on, l.max_months, l.term_starts_on,
                                       l.term_ends_on) FILTER (WHERE l.counted AND l.category = 'B') AS b,
               @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                       compliance.as_of, l.planned_ends_on, l.max_months, l.term_starts_on,
                                       l.term_ends_on) FILTER (WHERE l.counted AND l.category = 'C') AS c,
               @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                       compliance.as_of, l.planned_ends_on, l.max_months, l.term_starts_on,
                                       l.term_ends_on) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
               @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on,
                                       compliance.as_of, l.planned_ends_on, l.max_months, l.term_starts_on,
                                       l.term_ends_on) FILTER (WHERE l.pending) AS pending,
               @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
          FROM @extschema@.value_line AS l
         WHERE (l.counted OR l.pending) AND l.starts_on <= compliance.as_of
         GROUP BY l.contract_id
    ), figures AS (
        SELECT k.id, k.municipality, k.supplier, k.contract_value, k.rate_card, k.basis,
               k.penalty_pct, k.penalty_waived_reason, k.pso_approved, k.pso_valid_until,
               k.starts_on, k.ends_on, card.at_risk_pct, card.projection_min_pct,
               t.obligation_gross, t.pso_discount, t.obligation, t.expected,
               coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
               coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
               coalesce(v.persons, 0) AS persons,
               coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
               least(compliance.as_of, k.ends_on) - k.starts_on + 1 AS elapsed_days,
               k.ends_on - k.starts_on + 1 AS term_days
          FROM @extschema@.contract AS k
          JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
          CROSS JOIN LATERAL @extschema@.contract_targets(k.id, compliance.as_of) AS t
          LEFT JOIN value AS v ON v.contract_id = k.id
    )
    SELECT f.id, f.municipality, f.supplier, f.contract_value,
           f.obligation_gross, f.pso_discount, f.obligation,
           f.realised, f.a, f.b, f.c, f.bonus, f.pending, f.expected,
           greatest(f.obligation - f.realised, 0.00),
           CASE WHEN f.obligation > 0 THEN @extschema@.div_round(100 * f.realised, f.obligation, 1) END,
           @extschema@.monitoring_status(f.obligation, f.realised, f.expected, f.at_risk_pct,
                                         f.basis <> 'turnover' OR compliance.as_of >= f.ends_on),
           -- realised / elapsed share of the term, once projection_min_pct of it has passed
           CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= f.projection_min_pct * f.term_days
                THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END,
           CASE WHEN f.penalty_waived_reason IS NOT NULL THEN 0.00
                ELSE round(greatest(f.obligation - f.realised, 0) * f.penalty_pct * 0.01, 2) END,
           f.pso_approved AND f.pso_valid_until < compliance.as_of,
           f.rate_card, f.basis, compliance.as_of, f.persons
      FROM figures AS f
     ORDER BY f.id;
END;
COMMENT ON FUNCTION @extschema@.compliance(date) IS
    'one row per contract: obligation, realised value by category, pending, expected, gap, status, projection and penalty exposure as of a date (domain.md 5)';

-- One row per contract and quarter, from the contract's start quarter to the
-- as-of quarter (or its end quarter, when it ended before), domain.md 5.
CREATE FUNCTION @extschema@.quarterly_progress(as_of date)
    RETURNS TABLE (contract_id text, municipality text, supplier text, quarter @extschema@.quarter,
                   quarter_start date, quarter_end date, planned numeric, realised numeric,
                   realised_cum numeric, expected_cum numeric, deviation numeric, deviation_cum numeric,
                   status text, intensify boolean, report_status text,
                   pending numeric, planned_cum numeric, obligation numeric, measured_on date,
                   trend text, report_submitted_on date)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH grid AS (
        SELECT k.id, k.municipality, k.supplier, q.q, k.basis, k.ends_on,
               least(@extschema@.quarter_end(q.q), quarterly_progress.as_of) AS measured_on,
               card.at_risk_pct, card.report_due_days
          FROM @extschema@.contract AS k
          JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
          CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on),
                                                  least(@extschema@.quarter(quarterly_progress.as_of),
                                                        @extschema@.quarter(k.ends_on))) AS q (q)
         WHERE k.starts_on <= quarterly_progress.as_of
    ), earned AS (
        SELECT l.contract_id, v.quarter,
               sum(v.value) FILTER (WHERE l.counted) AS realised,
               sum(v.value) FILTER (WHERE l.pending) AS pending
          FROM @extschema@.value_line AS l
          CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity,
                                                             l.starts_on, l.ends_on, quarterly_progress.as_of,
                                                             l.planned_ends_on, l.max_months,
                                                             l.term_starts_on, l.term_ends_on) AS v
         WHERE (l.counted OR l.pending) AND l.starts_on <= quarterly_progress.as_of
         GROUP BY l.contract_id, v.quarter
    ), planned AS (
        SELECT p.contract_id, p.quarter, sum(p.planned_value) AS planned
          FROM @extschema@.plan AS p
         GROUP BY p.contract_id, p.quarter
    ), cumulative AS (
        SELECT g.*, t.obligation, t.expected,
               coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
               round(coalesce(p.planned, 0), 2) AS planned,
               sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
               round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
               r.submitted_on
          FROM grid AS g
          CROSS JOIN LATERAL @extschema@.contract_targets(g.id, g.measured_on) AS t
          LEFT JOIN earned AS e ON e.contract_id = g.id AND e.quarter = g.q
          LEFT JOIN planned AS p ON p.contract_id = g.id AND p.quarter = g.q
          LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = g.id AND r.quarter = g.q
        WINDOW w AS (PARTITION BY g.id ORDER BY g.q)
    ), judged AS (
        SELECT c.*,
               @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                             c.basis <> 'turnover' OR c.measured_on >= c.ends_on) AS status,
               c.realised_cum - c.expected AS ahead
          FROM cumulative AS c
    )
    SELECT j.id, j.municipality, j.supplier, j.q,
           @extschema@.quarter_start(j.q), @extschema@.quarter_end(j.q),
           j.planned, j.realised, j.realised_cum, j.expected,
           j.realised - j.planned, j.realised_cum - j.planned_cum,
           j.status,
           -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
           -- yet ended on the as-of date has no end status yet)
           j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
               AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind',
           @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, quarterly_progress.as_of),
           j.pending, j.planned_cum, j.obligation, j.measured_on,
           CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
                WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
                WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
                ELSE 'steady' END,
           j.submitted_on
      FROM judged AS j
    WINDOW w AS (PARTITION BY j.id ORDER BY j.q)
     ORDER BY j.id, j.q;
END;
COMMENT ON FUNCTION @extschema@.quarterly_progress(date) IS
    'one row per contract and quarter up to the as-of quarter: planned, realised and expected, per quarter and cumulative, status, intensify and report status (domain.md 5)';
