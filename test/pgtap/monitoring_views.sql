-- Monitoring, part 3: the views that show the monitoring functions at today.  They
-- exist, are documented column by column (catalogue.sql: built-in types only), and show the
-- figures of a contract dated around sroi.today(), computed by hand below: only figures
-- that do not depend on the calendar of today (see monitoring_units.sql and
-- monitoring_status.sql for the figures at fixed dates).  Every expectation has rows, so
-- an empty view fails.
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

-- A contract running today: awarded 400 days ago, from 380 days ago to 350 days ahead
-- (731 days), EUR 500,000 on the contract value: obligation 5 % = 25,000.00.  Two
-- invoices await the coordinator's approval (pending, not realised): C11 1,234.56
-- delivered by the chain partner Sigma BV 100 days ago, C9 2,500.00 by the main
-- supplier 50 days ago.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('V1', 'Diemen', 'Rho BV', 'running today', 500000.00, sroi.today() - 400, sroi.today() - 380,
        sroi.today() + 350);
INSERT INTO sroi.activity (contract_id, block, starts_on, amount, delivered_by)
VALUES ('V1', 'C11', sroi.today() - 100, 1234.56, 'Sigma BV'),
       ('V1', 'C9', sroi.today() - 50, 2500.00, NULL);

-- expected to date: linear over the term, 381 of 731 days done (today included):
-- 25,000.00 x 381 / 731 = 13,030.098... = 13,030.10; nothing realised, so gap 25,000.00,
-- 0.0 % and behind; pending 1,234.56 + 2,500.00 = 3,734.56; no person.
SELECT results_eq(
    $$SELECT contract_id, municipality, supplier, contract_value, obligation_gross, pso_discount, obligation,
             realised, pending, expected_to_date, gap, pct_realised, status, persons, as_of, settled
        FROM sroi.contract_compliance$$,
    $$VALUES ('V1', 'Diemen', 'Rho BV', 500000.00, 25000.00, 0.00, 25000.00, 0.00, 3734.56, 13030.10, 25000.00,
              0.0, 'behind', 0, sroi.today(), false)$$,
    'contract_compliance: V1 owes 25,000.00, 13,030.10 expected by today, 3,734.56 pending');
-- One row a quarter, from the quarter of the start (380 days ago) to today's quarter.
SELECT is((SELECT count(*) FROM sroi.quarterly_progress WHERE contract_id = 'V1'),
          (SELECT (extract(year FROM sroi.today()) * 4 + extract(quarter FROM sroi.today()))
                - (extract(year FROM sroi.today() - 380) * 4 + extract(quarter FROM sroi.today() - 380)) + 1)::bigint,
          'quarterly_progress: a row for every quarter from the start to today');
SELECT results_eq(
    $$SELECT sum(pending), max(realised_cum), max(expected_cum) FILTER (WHERE measured_on = sroi.today())
        FROM sroi.quarterly_progress WHERE contract_id = 'V1'$$,
    $$VALUES (3734.56, 0.00, 13030.10)$$,
    'quarterly_progress: the quarters'' pending add up to 3,734.56, nothing realised, 13,030.10 expected in today''s quarter');
SELECT results_eq(
    $$SELECT contract_id, delivered_by, is_main_supplier, realised, pending FROM sroi.chain_delivery ORDER BY 2$$,
    $$VALUES ('V1', 'Rho BV', true, 0.00, 2500.00), ('V1', 'Sigma BV', false, 0.00, 1234.56)$$,
    'chain_delivery: the main supplier 2,500.00 pending, the chain partner 1,234.56');
-- No kick-off and no accorded plan: due 14 and 28 days after the award (400 days ago).
SELECT results_eq(
    $$SELECT kind, contract_id, due_on FROM sroi.overdue_items
       WHERE kind IN ('kickoff_missing', 'plan_missing') ORDER BY due_on$$,
    $$VALUES ('kickoff_missing', 'V1', sroi.today() - 386), ('plan_missing', 'V1', sroi.today() - 372)$$,
    'overdue_items: the kick-off was due 386 days ago, the plan 372 days ago');

SELECT * FROM finish();
ROLLBACK;
