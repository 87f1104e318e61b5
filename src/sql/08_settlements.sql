-- sroi install script, part 8a: the reports of closing (domain.md 6.5, 6.6), each
-- written once as its view (src/tools/expand.awk derives the as-of functions).

-- The reports a contract's settlement waits for (domain.md 6.5: "once a contract has
-- ended and its last report is due or submitted"): those of the reporting periods of
-- its last quarter, the quarter of its end date, each with the frequency in force in it
-- (domain.md 6.3: a month reported monthly has its own report, due report_due_days
-- after the month's end; macro report_period_rows, 07_monitoring.sql, the one source of
-- the due dates).  Every report of that quarter, so that the settlement's final figures
-- rest on all of its reports.
-- @define as_of (SELECT e.ends_on FROM @extschema@.contract AS e WHERE e.id = settlement_reports.contract_id)
CREATE FUNCTION @extschema@.settlement_reports(contract_id text)
    RETURNS TABLE (period_start date, period_end date, frequency text, due_on date, submitted_on date)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.period_start, p.period_end, p.frequency, p.due_on, p.submitted_on
      FROM (@report_period_rows@) AS p
     WHERE p.contract_id = settlement_reports.contract_id
       AND p.quarter = @extschema@.quarter(@as_of@);
END;
-- @undef as_of
COMMENT ON FUNCTION @extschema@.settlement_reports(text) IS
    'the reporting periods of a contract''s last quarter (quarterly, or monthly where it reports monthly) with their due and submitted dates: the reports its settlement waits for (domain.md 6.5, 6.3); reads with the caller''s privileges';

-- The first day a contract can be settled (domain.md 6.5): once it has ended (the day
-- after its end date) and each of those reports is due or submitted: due on its
-- period's end + report_due_days, the day its status says it is due (domain.md 7.7:
-- not_due on it, overdue from the next day) (decision), or submitted earlier.
CREATE FUNCTION @extschema@.settlement_possible_from(contract_id text) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT GREATEST(k.ends_on + 1,
                    (SELECT max(LEAST(r.due_on, r.submitted_on)) FROM @extschema@.settlement_reports(k.id) AS r))
      FROM @extschema@.contract AS k
     WHERE k.id = settlement_possible_from.contract_id;
END;
COMMENT ON FUNCTION @extschema@.settlement_possible_from(text) IS
    'the first day a contract can be settled: after its end date, once each report of its last quarter (sroi.settlement_reports) is due or submitted (domain.md 6.5); reads with the caller''s privileges';

-- The settlements (06_settlement.sql) by the as-of date, with the contract's
-- municipality, supplier and end date.  The category split of a contract whose value
-- rests on 1 to 4 persons is suppressed as in contract_compliance, for a caller who may
-- not read its municipality's persons.
-- @report settlements municipality contract_id
CREATE VIEW @extschema@.settlements WITH (security_barrier) AS
SELECT s.contract_id, k.municipality, k.supplier, k.ends_on,
       s.obligation, s.realised,
       CASE WHEN NOT x.hidden THEN s.realised_a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT x.hidden THEN s.realised_b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT x.hidden THEN s.realised_c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT x.hidden THEN s.realised_bonus END::numeric(15,2) AS realised_bonus,
       s.gap, s.penalty_due, s.penalty_waived, s.settled_on, s.settled_by, s.evaluation,
       @extschema@.pct_realised(s.realised, s.obligation)::numeric(20,1)
           AS pct_realised,
       s.pending, s.persons, x.hidden AS categories_suppressed, @as_of@ AS as_of
  FROM @extschema@.settlement AS s
  JOIN @extschema@.contract AS k ON k.id = s.contract_id
  CROSS JOIN @caller_scope@
  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(s.persons)
             AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS x
 WHERE s.settled_on <= @as_of@
 ORDER BY 1;
COMMENT ON VIEW @extschema@.settlements IS 'settled contracts and their final figures as of the end date (domain.md 6.5; guideline 5.3, 6.7); sroi.settlements(as_of) gives those settled by a date (the caller''s rows), sroi.report_settlements(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.settlements.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.settlements.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.settlements.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.settlements.ends_on IS 'last day of the contract term: the date the figures are for';
COMMENT ON COLUMN @extschema@.settlements.obligation IS 'SROI obligation after the PSO discount as of the end date, euros';
COMMENT ON COLUMN @extschema@.settlements.realised IS 'value realised by the end date, euros: realised_a + realised_b + realised_c + realised_bonus';
COMMENT ON COLUMN @extschema@.settlements.realised_a IS 'realised in category A (employment), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.settlements.realised_b IS 'realised in category B (learning, work experience), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.settlements.realised_c IS 'realised in category C (other social activity), euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.settlements.realised_bonus IS 'realised in bonuses 12 and 13, euros; NULL when categories_suppressed';
COMMENT ON COLUMN @extschema@.settlements.gap IS 'obligation not realised by the end date, never below 0, euros';
COMMENT ON COLUMN @extschema@.settlements.penalty_due IS 'the penalty (boete, guideline 5.3): the penalty exposure at the end date, gap x penalty percentage, 0 when waived, euros';
COMMENT ON COLUMN @extschema@.settlements.penalty_waived IS 'the SR coordinator had waived the penalty (force majeure, best efforts shown) when the contract was settled';
COMMENT ON COLUMN @extschema@.settlements.settled_on IS 'the day the contract was settled; its data are frozen from then on until it is reopened';
COMMENT ON COLUMN @extschema@.settlements.settled_by IS 'who settled it (the SR coordinator named in sroi.settle)';
COMMENT ON COLUMN @extschema@.settlements.evaluation IS 'the final evaluation (eindevaluatie, guideline 6.7)';
COMMENT ON COLUMN @extschema@.settlements.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal); NULL when the obligation is 0';
COMMENT ON COLUMN @extschema@.settlements.pending IS 'value that still awaited the coordinator''s approval when settled, euros; not in realised';
COMMENT ON COLUMN @extschema@.settlements.persons IS 'distinct persons with counted value by the end date; do not sum over contracts (a person may count on two)';
COMMENT ON COLUMN @extschema@.settlements.categories_suppressed IS 'true when realised_a, realised_b, realised_c and realised_bonus are NULL for you: 1 to 4 persons, whose earnings the split would show';
COMMENT ON COLUMN @extschema@.settlements.as_of IS 'the date the rows are for: the contracts settled by then';

-- Successes (successen vieren, guideline 6.6; domain.md 6.6), one row per contract with
-- an obligation that
--   early:    fulfilled its obligation before its end date: realised reached the
--             obligation by the day before the end date (by the as-of date, when that
--             is earlier).  Not on the turnover basis, whose obligation is final only
--             at the end date (domain.md 7.6) (decision);
--   exceeded: ended (the as-of date lies after its end date), or was settled, with
--             realised at least success_pct (rate card, 110) % of its obligation.
-- Both: reason early (decision: the more specific one; fulfilled_in shows when).
-- Figures: those of the settlement when the contract was settled by the as-of date,
-- else contract_compliance's.  fulfilled_in: the first quarter at whose end (or at the
-- as-of date, in the current one) cumulative realised reached the obligation.
-- Cheap: the accrual per quarter and the day before the end are computed only for the
-- contracts whose realised reached the obligation (LATERAL, after that filter).
-- @report successes municipality contract_id
CREATE VIEW @extschema@.successes WITH (security_barrier) AS
SELECT c.contract_id, c.municipality, c.supplier, c.obligation::numeric(15,2) AS obligation,
       c.realised::numeric(15,2) AS realised,
       @extschema@.pct_realised(c.realised, c.obligation)::numeric(20,1) AS pct_realised,
       c.fulfilled_in::text AS fulfilled_in, c.ends_on,
       CASE WHEN c.early THEN 'early' ELSE 'exceeded' END AS reason,
       c.settled, @as_of@ AS as_of
  FROM (SELECT c.*, fq.fulfilled_in,
               c.basis <> 'turnover'
               AND (@as_of@ < c.ends_on      -- reached by the as-of date, before the end date
                    OR fq.fulfilled_in < @extschema@.quarter(c.ends_on)
                    -- reached in the end quarter: by the day before the end date?
                    OR (fq.fulfilled_in = @extschema@.quarter(c.ends_on) AND eve.realised >= c.obligation)) AS early,
               @as_of@ > c.ends_on AND c.realised * 100 >= c.obligation * c.success_pct AS exceeded
          FROM (SELECT r.contract_id, r.municipality, r.supplier, k.ends_on, k.basis, card.success_pct,
                       s.contract_id IS NOT NULL AS settled,
                       coalesce(s.obligation, r.obligation) AS obligation, coalesce(s.realised, r.realised) AS realised
                  FROM (@compliance_rows@) AS r
                  JOIN @extschema@.contract AS k ON k.id = r.contract_id AND k.municipality = r.municipality
                  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
                  LEFT JOIN @extschema@.settlement AS s ON s.contract_id = r.contract_id AND s.settled_on <= @as_of@
               ) AS c
          -- the first quarter in which cumulative realised reached the obligation: from the
          -- contract's stored quarterly rows of the date (realised_cum, the same sums), else
          -- from its value lines (computed only when the first finds none: the condition on
          -- stored.quarter alone gates that subquery).  Aggregates in LATERAL joins, not
          -- subqueries in a FROM-less one: Citus runs these on the contract's shard.
          LEFT JOIN LATERAL (
              SELECT @extschema@.min(f.quarter) AS quarter FROM @extschema@.quarter_figures AS f
               WHERE f.contract_id = c.contract_id AND f.as_of = @as_of@ AND f.realised_cum >= c.obligation
          ) AS stored ON true
          LEFT JOIN LATERAL (
              SELECT @extschema@.min(x.quarter) AS quarter
                FROM (SELECT v.quarter, sum(sum(v.value)) OVER (PARTITION BY l.contract_id ORDER BY v.quarter) AS cum
                        FROM (@value_lines@) AS l
                        CROSS JOIN LATERAL @extschema@.accrual_by_quarter(@line_terms@, @as_of@, @line_caps@) AS v
                       WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on <= @as_of@
                       GROUP BY l.contract_id, v.quarter) AS x
               WHERE x.cum >= c.obligation AND stored.quarter IS NULL
          ) AS computed ON true
          CROSS JOIN LATERAL (SELECT coalesce(stored.quarter, computed.quarter) AS fulfilled_in) AS fq
          -- realised by the day before the end date, only for a contract that reached its
          -- obligation in its end quarter
          LEFT JOIN LATERAL (
              SELECT coalesce(@extschema@.accrued_sum(@line_terms@, c.ends_on - 1, @line_caps@), 0) AS realised
                FROM (@value_lines@) AS l
               WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on < c.ends_on
                 AND c.basis <> 'turnover' AND @as_of@ >= c.ends_on
                 AND coalesce(stored.quarter, computed.quarter) = @extschema@.quarter(c.ends_on)
          ) AS eve ON true
         WHERE c.obligation > 0 AND c.realised >= c.obligation
       ) AS c
 WHERE c.early OR c.exceeded
 ORDER BY 1;
COMMENT ON VIEW @extschema@.successes IS 'contracts to celebrate (successen vieren, guideline 6.6): obligation fulfilled before the end date (early), or ended or settled with realised at least success_pct (110) % of it (exceeded); sroi.successes(as_of) for any date (the caller''s rows), sroi.report_successes(as_of) for the roles that read the views';
COMMENT ON COLUMN @extschema@.successes.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.successes.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.successes.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.successes.obligation IS 'SROI obligation after the PSO discount, euros (the settlement''s when settled)';
COMMENT ON COLUMN @extschema@.successes.realised IS 'value realised to date (by the end date, once ended), euros (the settlement''s when settled)';
COMMENT ON COLUMN @extschema@.successes.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal)';
COMMENT ON COLUMN @extschema@.successes.fulfilled_in IS 'the quarter in which cumulative realised first reached the obligation, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.successes.ends_on IS 'last day of the contract term';
COMMENT ON COLUMN @extschema@.successes.reason IS 'early (obligation fulfilled before the end date) or exceeded (ended or settled with realised at least 110 % of the obligation); early when both';
COMMENT ON COLUMN @extschema@.successes.settled IS 'the contract was settled by the as-of date: obligation and realised are the settlement''s';
COMMENT ON COLUMN @extschema@.successes.as_of IS 'the date the figures are for';

GRANT SELECT ON @extschema@.settlements, @extschema@.successes
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;
