-- sroi install script, part 9: the views BI tools read.  They show today's
-- figures (current_date) in built-in types only: a quarter is text such as
-- 2025-Q3, beside its first and last day.  The functions of the same names
-- give the same rows as of any date.

CREATE VIEW @extschema@.contract_compliance AS
SELECT contract_id, municipality, supplier, contract_value, obligation_gross, pso_discount, obligation,
       realised, realised_a, realised_b, realised_c, realised_bonus, pending, expected_to_date, gap,
       pct_realised, status, projected_at_end, penalty_exposure, pso_expired, rate_card, basis, as_of
  FROM @extschema@.compliance(CURRENT_DATE);
COMMENT ON VIEW @extschema@.contract_compliance IS 'SROI compliance per contract today; sroi.compliance(as_of) gives it for any date';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.contract_compliance.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.contract_compliance.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.contract_compliance.contract_value IS 'contract value in euros, excl. VAT';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation_gross IS 'SROI obligation before the PSO discount, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.pso_discount IS 'approved PSO discount on the labour component, euros';
COMMENT ON COLUMN @extschema@.contract_compliance.obligation IS 'SROI obligation after the PSO discount (to date, on the turnover basis), euros';
COMMENT ON COLUMN @extschema@.contract_compliance.realised IS 'value realised to date, euros: realised_a + realised_b + realised_c + realised_bonus';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_a IS 'realised in category A (employment), euros';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_b IS 'realised in category B (learning, work experience), euros';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_c IS 'realised in category C (other social activity), euros';
COMMENT ON COLUMN @extschema@.contract_compliance.realised_bonus IS 'realised in bonuses 12 and 13, euros';
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

CREATE VIEW @extschema@.quarterly_progress AS
SELECT contract_id, municipality, supplier, quarter::text AS quarter, quarter_start, quarter_end, planned,
       realised, realised_cum, expected_cum, deviation, deviation_cum, status, intensify, report_status,
       pending, planned_cum, obligation, measured_on, trend, report_submitted_on
  FROM @extschema@.quarterly_progress(CURRENT_DATE);
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

CREATE VIEW @extschema@.municipality_quarter AS
SELECT municipality, quarter::text AS quarter, @extschema@.quarter_start(quarter) AS quarter_start,
       @extschema@.quarter_end(quarter) AS quarter_end, contracts, obligation, realised, pending, contracts_behind
  FROM @extschema@.municipality_quarter(CURRENT_DATE);
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

CREATE VIEW @extschema@.category_mix AS
SELECT contract_id, category, realised, share FROM @extschema@.category_mix(CURRENT_DATE);
COMMENT ON VIEW @extschema@.category_mix IS 'realised value per contract and category today; sroi.category_mix(as_of) for any date';
COMMENT ON COLUMN @extschema@.category_mix.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.category_mix.category IS 'A, B, C or bonus';
COMMENT ON COLUMN @extschema@.category_mix.realised IS 'value realised in the category, euros';
COMMENT ON COLUMN @extschema@.category_mix.share IS 'share of the contract''s realised value, 0 to 1, 4 decimals; NULL when nothing is realised';

CREATE VIEW @extschema@.target_group_outcomes AS
SELECT municipality, quarter::text AS quarter, @extschema@.quarter_start(quarter) AS quarter_start,
       @extschema@.quarter_end(quarter) AS quarter_end, benefit, persons, fte, realised
  FROM @extschema@.target_group_outcomes(CURRENT_DATE);
COMMENT ON VIEW @extschema@.target_group_outcomes IS 'persons placed and value realised per municipality, quarter and benefit; counts and sums only, no personal data';
COMMENT ON COLUMN @extschema@.target_group_outcomes.municipality IS 'municipality';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter IS 'calendar quarter, e.g. 2025-Q3';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.benefit IS 'benefit of the persons: participatiewet, ww, wia, wao, wajong or none';
COMMENT ON COLUMN @extschema@.target_group_outcomes.persons IS 'distinct persons with counted value in the quarter';
COMMENT ON COLUMN @extschema@.target_group_outcomes.fte IS 'average fte placed over the quarter, 4 decimals';
COMMENT ON COLUMN @extschema@.target_group_outcomes.realised IS 'value realised in the quarter, euros, bonuses included';

CREATE VIEW @extschema@.overdue_items AS
SELECT kind, contract_id, municipality, supplier, quarter::text AS quarter, due_on, detail
  FROM @extschema@.overdue_items(CURRENT_DATE);
COMMENT ON VIEW @extschema@.overdue_items IS 'what needs the contract manager today: kick-offs, reports, expired PSO certificates, contracts to intensify';
COMMENT ON COLUMN @extschema@.overdue_items.kind IS 'kickoff_missing, kickoff_late, report_overdue, report_late, pso_expired or intensify';
COMMENT ON COLUMN @extschema@.overdue_items.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.overdue_items.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.overdue_items.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.overdue_items.quarter IS 'the quarter concerned, e.g. 2025-Q3; NULL for kick-off and PSO items';
COMMENT ON COLUMN @extschema@.overdue_items.due_on IS 'the date it was due (or the certificate expired)';
COMMENT ON COLUMN @extschema@.overdue_items.detail IS 'what is the matter, in words';

CREATE VIEW @extschema@.chain_delivery AS
SELECT contract_id, delivered_by, is_main_supplier, realised, pending FROM @extschema@.chain_delivery(CURRENT_DATE);
COMMENT ON VIEW @extschema@.chain_delivery IS 'value per contract and deliverer today (ketenverantwoordelijkheid); sroi.chain_delivery(as_of) for any date';
COMMENT ON COLUMN @extschema@.chain_delivery.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.chain_delivery.delivered_by IS 'who delivered: the main supplier or a subcontractor';
COMMENT ON COLUMN @extschema@.chain_delivery.is_main_supplier IS 'true for the contract''s own supplier';
COMMENT ON COLUMN @extschema@.chain_delivery.realised IS 'value realised by this deliverer, euros';
COMMENT ON COLUMN @extschema@.chain_delivery.pending IS 'value awaiting approval, euros';
