-- Monitoring, part 3: the views that show the monitoring functions at today.  The
-- views use current_date, so no figure is checked through them here (see
-- monitoring_units.sql and monitoring_status.sql for the figures at fixed dates); only
-- that they exist, are documented column by column, expose built-in types only, and show
-- exactly what the functions give for current_date.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(14);

SELECT has_view('sroi', v, format('view sroi.%s exists', v))
  FROM unnest(ARRAY['contract_compliance', 'quarterly_progress', 'municipality_quarter', 'category_mix',
                    'target_group_outcomes', 'overdue_items', 'chain_delivery']) AS v;

SELECT is_empty(
    $$SELECT c.relname FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
         AND NOT EXISTS (SELECT FROM pg_description AS d
                          WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
                            AND btrim(d.description) <> '')$$,
    'every view in schema sroi has a COMMENT');

SELECT is_empty(
    $$SELECT c.relname || '.' || a.attname
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
         AND NOT EXISTS (SELECT FROM pg_description AS d
                          WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
                            AND d.objsubid = a.attnum AND btrim(d.description) <> '')$$,
    'every column of every view in schema sroi has a COMMENT');

SELECT is_empty(
    $$SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_type AS t ON t.oid = a.atttypid
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
         AND (t.typnamespace = 'sroi'::regnamespace
              OR (t.typelem <> 0 AND (SELECT e.typnamespace FROM pg_type AS e WHERE e.oid = t.typelem)
                                     = 'sroi'::regnamespace))$$,
    'no column of a view in schema sroi has a type (or an array of a type) in schema sroi');

-- A contract running today, so that the views have rows to compare.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('V1', 'Diemen', 'Rho BV', 'running today', 500000.00, current_date - 400, current_date - 380,
        current_date + 350);
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
VALUES ('V-P1', '1990-01-01', 'participatiewet', current_date - 500);
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
VALUES ('V1', 'A2', 'V-P1', 0.75, current_date - 300);
INSERT INTO sroi.activity (contract_id, block, starts_on, amount, delivered_by)
VALUES ('V1', 'C11', current_date - 100, 1234.56, 'Sigma BV');

SELECT set_eq(
    $$SELECT * FROM sroi.contract_compliance$$,
    $$SELECT contract_id, municipality, supplier, contract_value, obligation_gross, pso_discount, obligation,
             realised, realised_a, realised_b, realised_c, realised_bonus, pending, expected_to_date, gap,
             pct_realised, status, projected_at_end, penalty_exposure, pso_expired, rate_card, basis, as_of,
             persons, false, settled
        FROM sroi.compliance(current_date)$$,
    'contract_compliance = sroi.compliance(current_date), not suppressed for the owner');
SELECT set_eq(
    $$SELECT contract_id, quarter, quarter_start, quarter_end, realised, realised_cum, expected_cum, status,
             intensify, report_status, pending FROM sroi.quarterly_progress$$,
    $$SELECT contract_id, quarter::text, quarter_start, quarter_end, realised, realised_cum, expected_cum, status,
             intensify, report_status, pending FROM sroi.quarterly_progress(current_date)$$,
    'quarterly_progress view = sroi.quarterly_progress(current_date), the quarter as text');
SELECT set_eq(
    $$SELECT contract_id, delivered_by, is_main_supplier, realised, pending FROM sroi.chain_delivery$$,
    $$SELECT contract_id, delivered_by, is_main_supplier, realised, pending FROM sroi.chain_delivery(current_date)$$,
    'chain_delivery view = sroi.chain_delivery(current_date)');
SELECT set_eq(
    $$SELECT kind, contract_id, quarter, due_on FROM sroi.overdue_items$$,
    $$SELECT kind, contract_id, quarter::text, due_on FROM sroi.overdue_items(current_date)$$,
    'overdue_items view = sroi.overdue_items(current_date)');

SELECT * FROM finish();
ROLLBACK;
