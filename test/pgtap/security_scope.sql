-- Security, part 4: the scope columns (municipality, supplier) of the contract-keyed
-- tables, which the policies read (04_tables.sql: no subquery, so that Citus can
-- distribute the tables).  They are the contract's, whatever a user writes; they follow
-- a contract that a coordinator moves to another supplier or municipality, so the old
-- tenant no longer sees its rows and the new one does; the decision log follows too
-- and stays append-only otherwise.  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(16);

-- A plan line, turnover, a report and phasing of K-A1 (Diemen / Alfa BV), entered by
-- the Diemen manager with scope columns of its own choosing: overwritten.
SET ROLE tr_manager_diemen;
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value, municipality, supplier)
VALUES ('K-A1', sroi.quarter(current_date), 'A2', 1000, 'Uithoorn', 'Beta BV');
INSERT INTO sroi.turnover (contract_id, quarter, amount, municipality, supplier)
VALUES ('K-A1', sroi.quarter(current_date), 5000, 'Uithoorn', NULL);
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K-A1', sroi.quarter(current_date), current_date);
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('K-A1', current_date, 0.5);
RESET ROLE;
SET ROLE tr_coord;
SELECT sroi.approve((SELECT id FROM sroi.activity WHERE contract_id = 'K-A1' AND candidate_id = 'P1'), 'coordinator');
RESET ROLE;

-- every table with the scope columns, the contract's values or not (a view of all of them)
CREATE TEMP VIEW scope_rows AS
SELECT t, contract_id, municipality, supplier, count(*) AS n FROM (
    SELECT 'activity' AS t, contract_id, municipality, supplier FROM sroi.activity
    UNION ALL SELECT 'plan', contract_id, municipality, supplier FROM sroi.plan
    UNION ALL SELECT 'turnover', contract_id, municipality, supplier FROM sroi.turnover
    UNION ALL SELECT 'quarter_report', contract_id, municipality, supplier FROM sroi.quarter_report
    UNION ALL SELECT 'phasing', contract_id, municipality, supplier FROM sroi.phasing
    UNION ALL SELECT 'decision', contract_id, municipality, supplier FROM sroi.decision) AS x
 GROUP BY 1, 2, 3, 4;
GRANT SELECT ON scope_rows TO PUBLIC;

SELECT results_eq(
    $$SELECT x::text FROM sroi.scoped_tables() AS x$$,
    $$VALUES ('sroi.action_item'), ('sroi.activity'), ('sroi.contract_figures'), ('sroi.decision'), ('sroi.period_report'),
             ('sroi.phasing'), ('sroi.plan'), ('sroi.plan_version'), ('sroi.quarter_figures'), ('sroi.quarter_report'),
             ('sroi.reporting_frequency'), ('sroi.settlement'), ('sroi.turnover')$$,
    'scoped_tables: every table of sroi with contract_id, municipality and supplier, but contract');
SELECT is((SELECT count(*) FROM scope_rows AS r JOIN sroi.contract AS k ON k.id = r.contract_id
            WHERE (r.municipality, r.supplier) IS DISTINCT FROM (k.municipality, k.supplier)), 0::bigint,
          'every row carries its contract''s municipality and supplier, whatever the INSERT gave');
SELECT results_eq(
    $$SELECT t, municipality, supplier FROM scope_rows WHERE contract_id = 'K-A1' ORDER BY t$$,
    $$VALUES ('activity', 'Diemen', 'Alfa BV'), ('decision', 'Diemen', 'Alfa BV'), ('phasing', 'Diemen', 'Alfa BV'),
             ('plan', 'Diemen', 'Alfa BV'), ('quarter_report', 'Diemen', 'Alfa BV'), ('turnover', 'Diemen', 'Alfa BV')$$,
    'the rows of K-A1 in each table: Diemen, Alfa BV');

-- A user's UPDATE of a scope column changes nothing.
SET ROLE tr_manager_diemen;
UPDATE sroi.plan SET supplier = 'Beta BV', municipality = 'Uithoorn' WHERE contract_id = 'K-A1';
RESET ROLE;
SELECT is((SELECT municipality || '/' || supplier FROM sroi.plan WHERE contract_id = 'K-A1'), 'Diemen/Alfa BV',
          'an UPDATE of the scope columns by a manager leaves the contract''s values');
SET ROLE tr_alfa;
SELECT throws_ok($$UPDATE sroi.activity SET supplier = 'Beta BV' WHERE contract_id = 'K-A1' AND block = 'C9'$$, '42501',
                 'permission denied for table activity',
                 'a supplier has no privilege on the scope columns of activity (column grants)');
RESET ROLE;

-- Who sees K-A1's rows before the move.
SET ROLE tr_alfa;
SELECT is((SELECT count(*) FROM sroi.activity WHERE contract_id = 'K-A1'), 6::bigint,
          'before the move: Alfa BV sees the 6 activities of K-A1');
RESET ROLE;
SET ROLE tr_beta;
SELECT is((SELECT count(*) FROM sroi.activity WHERE contract_id = 'K-A1'), 0::bigint,
          'before the move: Beta BV sees none of them');
RESET ROLE;

-- The coordinator moves K-A1 to Beta BV and to Uithoorn: one contract_change logged,
-- and every row of the contract follows.
SET ROLE tr_coord;
UPDATE sroi.contract SET supplier = 'Beta BV', municipality = 'Uithoorn' WHERE id = 'K-A1';
RESET ROLE;
SELECT results_eq(
    $$SELECT kind, reason FROM sroi.decision WHERE contract_id = 'K-A1' AND kind = 'contract_change'$$,
    $$VALUES ('contract_change', 'municipality Diemen -> Uithoorn; supplier Alfa BV -> Beta BV')$$,
    'the move is logged once as a contract_change');
SELECT results_eq(
    $$SELECT t, municipality, supplier FROM scope_rows WHERE contract_id = 'K-A1' ORDER BY t$$,
    $$VALUES ('activity', 'Uithoorn', 'Beta BV'), ('decision', 'Uithoorn', 'Beta BV'), ('phasing', 'Uithoorn', 'Beta BV'),
             ('plan', 'Uithoorn', 'Beta BV'), ('quarter_report', 'Uithoorn', 'Beta BV'), ('turnover', 'Uithoorn', 'Beta BV')$$,
    'after the move every row of K-A1, the decision log included, carries Uithoorn and Beta BV');
SELECT is((SELECT count(*) FROM sroi.decision WHERE contract_id = 'K-A1'), 2::bigint,
          'the move added one decision and changed no other (approve + contract_change)');
SET ROLE tr_alfa;
SELECT is((SELECT count(*) FROM sroi.activity WHERE contract_id = 'K-A1')
          + (SELECT count(*) FROM sroi.decision WHERE contract_id = 'K-A1')
          + (SELECT count(*) FROM sroi.plan WHERE contract_id = 'K-A1'), 0::bigint,
          'after the move Alfa BV sees no activity, decision or plan line of K-A1');
RESET ROLE;
SET ROLE tr_beta;
SELECT is((SELECT count(*) FROM sroi.activity WHERE contract_id = 'K-A1'), 6::bigint,
          'after the move Beta BV sees the 6 activities of K-A1');
SELECT is((SELECT count(*) FROM sroi.decision WHERE contract_id = 'K-A1'), 2::bigint,
          '... and its 2 decisions');
RESET ROLE;
SET ROLE tr_manager_diemen;
SELECT is((SELECT count(*) FROM sroi.plan WHERE contract_id = 'K-A1'), 0::bigint,
          'after the move the Diemen manager no longer sees the plan of K-A1');
RESET ROLE;

-- The decision log stays append-only, its scope columns too (contract_rescope moves
-- them with the triggers off).
SELECT throws_ok($$UPDATE sroi.decision SET supplier = 'Alfa BV' WHERE contract_id = 'K-A1'$$, '23001',
                 'the decision log is append-only: UPDATE is not allowed',
                 'the owner cannot change the scope of a decision either');
SELECT is(current_setting('session_replication_role'), 'origin',
          'after the move the session''s triggers are on again (session_replication_role origin)');

SELECT * FROM finish();
ROLLBACK;
