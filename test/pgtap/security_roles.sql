-- Security, part 1: the roles and what guards them (row-level security on every
-- scoped table, SECURITY DEFINER only where needed and never for PUBLIC), the BI
-- reader (views only, small cells suppressed) and the contract manager (contracts of
-- its municipalities).  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(53);

-- ---------------------------------------------------------------------------
-- 1. Roles, row-level security, definer functions, privileges.
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT rolname::text COLLATE "default", rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb
        FROM pg_roles WHERE rolname IN ('sroi_coordinator', 'sroi_contract_manager', 'sroi_supplier', 'sroi_reader')
       ORDER BY 1$$,
    $$VALUES ('sroi_contract_manager'::text, false, false, false, false, false),
             ('sroi_coordinator', false, false, false, false, false),
             ('sroi_reader', false, false, false, false, false),
             ('sroi_supplier', false, false, false, false, false)$$,
    'the four sroi roles exist as NOLOGIN group roles without special attributes');

SAVEPOINT before_drop;
DROP EXTENSION sroi CASCADE;
SELECT is((SELECT count(*)::integer FROM pg_roles WHERE rolname LIKE 'sroi\_%'), 4,
          'DROP EXTENSION sroi leaves the four roles (cluster-wide, used by other databases)');
ROLLBACK TO SAVEPOINT before_drop;

SELECT results_eq(
    $$SELECT c.relname::text COLLATE "default", c.relrowsecurity FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'r' ORDER BY 1$$,
    $$VALUES ('activity'::text, true), ('building_block', false), ('candidate', true), ('contract', true),
             ('decision', true), ('phasing', true), ('plan', true), ('pso_discount_rate', false),
             ('quarter_report', true), ('rate_card', false), ('role_scope', true), ('turnover', true)$$,
    'row-level security is on for every table of schema sroi but the rate card catalogue');
SELECT ok(EXISTS (SELECT FROM pg_extension AS e
                   WHERE e.extname = 'sroi' AND 'sroi.role_scope'::regclass::oid = ANY (e.extconfig)),
          'role_scope is extension configuration: pg_dump keeps its rows');

SELECT results_eq(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace AND p.prosecdef ORDER BY p.oid::regprocedure::text COLLATE "C"$$,
    $$VALUES ('sroi.activity_validate()'::text), ('sroi.candidate_recheck()'), ('sroi.contract_recheck()'),
             ('sroi.report_category_mix(date)'),
             ('sroi.report_chain_delivery(date)'), ('sroi.report_compliance(date)'),
             ('sroi.report_municipality_quarter(date)'), ('sroi.report_overdue_items(date)'),
             ('sroi.report_quarterly_progress(date)'), ('sroi.report_target_group_outcomes(date)')$$,
    'SECURITY DEFINER only where needed: the activity validation, the re-checks of domain.md 7.11 and the report functions behind the views');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace AND p.prosecdef
         AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp']$$,
    'every SECURITY DEFINER function runs with search_path = pg_catalog, pg_temp');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace
         AND (p.prosecdef OR p.proname IN ('check_fte_overlap', 'check_activity_rules'))
         AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) AS a
                                           WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))$$,
    'no SECURITY DEFINER function (nor check_fte_overlap, check_activity_rules) is executable by PUBLIC');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
       WHERE p.pronamespace = 'sroi'::regnamespace
         AND (l.lanname = 'plpgsql' OR (l.lanname = 'sql' AND p.prosqlbody IS NULL))
         AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp']$$,
    'every PL/pgSQL function and every SQL function with a body parsed at run time sets search_path = pg_catalog, pg_temp');

SELECT results_eq(
    $$SELECT c.relname::text COLLATE "default" FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'v', 'm')
         AND has_table_privilege('sroi_reader', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
       ORDER BY 1$$,
    $$VALUES ('category_mix'::text), ('chain_delivery'), ('contract_compliance'), ('municipality_quarter'),
             ('overdue_items'), ('quarterly_progress'), ('target_group_outcomes')$$,
    'sroi_reader may read the seven monitoring views and nothing else (no table, no value_line)');
SELECT is_empty(
    $$SELECT c.relname FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S')
         AND EXISTS (SELECT FROM aclexplode(c.relacl) AS a WHERE a.grantee = 0)$$,
    'PUBLIC has no privilege on any table, view or sequence of schema sroi');
SELECT is_empty(
    $$SELECT c.relname FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
         AND has_table_privilege('sroi_supplier', c.oid, 'SELECT')
         AND c.relname <> 'value_line'$$,
    'sroi_supplier may not read the monitoring views (they show every supplier''s figures)');
SELECT ok((SELECT 'security_invoker=true' = ANY (c.reloptions) FROM pg_class AS c WHERE c.oid = 'sroi.value_line'::regclass),
          'value_line reads the tables as the caller (security_invoker), under the caller''s policies');
SELECT is_empty(
    $$SELECT a.attname FROM pg_attribute AS a
       WHERE a.attrelid = 'sroi.activity'::regclass AND a.attname IN ('status', 'eligibility_override', 'id', 'created_at')
         AND (has_column_privilege('sroi_supplier', a.attrelid, a.attnum, 'INSERT')
              OR has_column_privilege('sroi_supplier', a.attrelid, a.attnum, 'UPDATE'))$$,
    'sroi_supplier may not set activity.status, eligibility_override, id or created_at');

-- ---------------------------------------------------------------------------
-- 2. The BI reader: every view, no row of a table.
-- ---------------------------------------------------------------------------
SET ROLE tr_reader;
SELECT lives_ok(format('SELECT * FROM sroi.%I', v), format('sroi_reader reads the view %s', v))
  FROM unnest(ARRAY['contract_compliance', 'quarterly_progress', 'municipality_quarter', 'category_mix',
                    'target_group_outcomes', 'overdue_items', 'chain_delivery']) AS v;
SELECT throws_ok(format('SELECT * FROM sroi.%I', t), '42501', NULL::text,
                 format('sroi_reader gets permission denied (42501) on sroi.%s', t))
  FROM unnest(ARRAY['candidate', 'activity', 'value_line', 'contract', 'decision', 'role_scope', 'plan']) AS t;
SELECT throws_ok($$SELECT * FROM sroi.compliance(current_date)$$, '42501', NULL::text,
                 'sroi_reader cannot call the monitoring functions, which read the tables (42501)');
SELECT throws_ok($$SELECT * FROM sroi.target_group_outcomes(current_date)$$, '42501', NULL::text,
                 'sroi_reader cannot call sroi.target_group_outcomes(as_of) unsuppressed (42501)');
SELECT is((SELECT count(*)::integer FROM sroi.contract_compliance), 4,
          'contract_compliance shows sroi_reader every contract (aggregates only)');
SELECT is((SELECT count(*)::integer FROM sroi.contract_compliance WHERE realised > 0), 3,
          'and their realised value: three of the four contracts have counted activities');

-- ---------------------------------------------------------------------------
-- 3. target_group_outcomes: cells of fewer than 5 persons show NULL.
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT municipality, benefit, persons, fte, realised IS NOT NULL FROM sroi.target_group_outcomes
       WHERE quarter = to_char(current_date, 'YYYY-"Q"Q') ORDER BY 1, 2$$,
    $$VALUES ('Diemen'::text, 'participatiewet'::text, 5, 2.5000::numeric, true),
             ('Diemen', 'ww', NULL, NULL, false),
             ('Uithoorn', 'participatiewet', NULL, NULL, false)$$,
    'today''s quarter: Diemen / participatiewet (5 persons, 2.5 fte) shown; Diemen / ww (2) and Uithoorn / participatiewet (1) suppressed');
SELECT is_empty(
    $$SELECT * FROM sroi.target_group_outcomes
       WHERE (persons IS NULL) <> (benefit <> 'participatiewet' OR municipality = 'Uithoorn')
          OR (persons IS NULL) <> (fte IS NULL) OR (persons IS NULL) <> (realised IS NULL)$$,
    'in every quarter exactly the cells of fewer than 5 persons have persons, fte and realised NULL');
SELECT set_eq(
    $$SELECT municipality, quarter, benefit, persons, fte, realised FROM sroi.report_target_group_outcomes(current_date - 100)$$,
    $$SELECT municipality, quarter, benefit, persons, fte, realised FROM sroi.report_target_group_outcomes(current_date - 100)
       WHERE benefit = 'participatiewet' AND municipality = 'Diemen'
      UNION ALL
      SELECT municipality, quarter, benefit, NULL, NULL, NULL FROM sroi.report_target_group_outcomes(current_date - 100)
       WHERE NOT (benefit = 'participatiewet' AND municipality = 'Diemen')$$,
    'report_target_group_outcomes(as_of) suppresses the same way for any date');
RESET ROLE;
SELECT set_eq(
    $$SELECT municipality, quarter::text, benefit, persons, fte, realised FROM sroi.target_group_outcomes(current_date)
       WHERE persons >= 5$$,
    $$SELECT municipality, quarter, benefit, persons, fte, realised FROM sroi.target_group_outcomes
       WHERE persons IS NOT NULL$$,
    'the cells of 5 or more persons equal sroi.target_group_outcomes(current_date), figure for figure');

-- ---------------------------------------------------------------------------
-- 4. The contract manager of Diemen.
-- ---------------------------------------------------------------------------
SET ROLE tr_manager_diemen;
SELECT results_eq($$SELECT id FROM sroi.contract ORDER BY id$$, $$VALUES ('K-A1'::text), ('K-B1')$$,
                  'the manager of Diemen sees the Diemen contracts only');
SELECT is((SELECT count(*)::integer FROM sroi.activity), 9, 'and their 9 activities');
SELECT results_eq($$SELECT id FROM sroi.candidate ORDER BY id$$,
                  $$VALUES ('P1'::text), ('P2'), ('P3'), ('P4'), ('P5'), ('W1'), ('W2')$$,
                  'and the 7 candidates placed on them (not P6, placed in Uithoorn)');
SELECT is((SELECT count(*)::integer FROM sroi.role_scope), 1, 'and only its own role_scope row');
SELECT results_eq($$SELECT contract_id FROM sroi.compliance(current_date) ORDER BY 1$$,
                  $$VALUES ('K-A1'::text), ('K-B1')$$,
                  'sroi.compliance(as_of) called directly shows the manager its own contracts only');
SELECT is((SELECT count(*)::integer FROM sroi.contract_compliance), 4,
          'the view contract_compliance shows the manager all four contracts');
SELECT results_eq($$UPDATE sroi.contract SET title = 'renamed by Diemen' WHERE id IN ('K-A1', 'K-A2') RETURNING id$$,
                  $$VALUES ('K-A1'::text)$$,
                  'the manager updates a Diemen contract; the Uithoorn contract K-A2 is not touched');
SELECT throws_ok($$UPDATE sroi.contract SET municipality = 'Uithoorn' WHERE id = 'K-A1'$$, '42501',
                 'new row violates row-level security policy for table "contract"',
                 'the manager cannot move a contract to another municipality');
SELECT throws_ok($$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
                   VALUES ('K-U9', 'Uithoorn', 'Gamma BV', 'not mine', 300000, current_date, current_date, current_date + 30)$$,
                 '42501', 'new row violates row-level security policy for table "contract"',
                 'the manager cannot enter a contract for Uithoorn');
SELECT lives_ok($$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
                  VALUES ('K-D9', 'Diemen', 'Gamma BV', 'mine', 300000, current_date, current_date, current_date + 30)$$,
                'the manager enters a contract for Diemen');
SELECT throws_ok($$UPDATE sroi.contract SET pso_approved = true WHERE id = 'K-A1'$$, '42501',
                 'permission denied for table contract',
                 'the manager cannot approve a PSO discount by hand (column privilege)');
SELECT throws_ok($$SELECT sroi.approve_pso('K-A1', 'manager Diemen')$$, '42501',
                 'only an SR coordinator can approve a PSO discount: role tr_manager_diemen is not a member of sroi_coordinator',
                 'nor through sroi.approve_pso');
SELECT throws_ok($$UPDATE sroi.contract SET exemption_reason = 'no reason' WHERE id = 'K-A1'$$, '42501',
                 'permission denied for table contract', 'the manager cannot record an exemption (a coordinator decision)');
SELECT lives_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
                  VALUES ('K-A1', sroi.quarter(current_date), 'A2', 5000)$$,
                'the manager enters a plan for a Diemen contract');
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
                   VALUES ('K-A2', sroi.quarter(current_date), 'A2', 5000)$$,
                 '42501', 'contract_id ''K-A2'' is not one of your contracts: tr_manager_diemen cannot write plan rows for it',
                 'but not for an Uithoorn contract (42501 before any validation)');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K-A1', 'C10', current_date, 1)$$,
                 '42501', 'permission denied for table activity', 'the manager does not enter activities');
SELECT throws_ok($$SELECT sroi.approve(min(id), 'manager Diemen') FROM sroi.activity$$, '42501',
                 'only an SR coordinator can approve an activity: role tr_manager_diemen is not a member of sroi_coordinator',
                 'the manager cannot approve');
RESET ROLE;
SELECT results_eq($$SELECT id, title FROM sroi.contract WHERE id IN ('K-A1', 'K-A2', 'K-D9') ORDER BY id$$,
                  $$VALUES ('K-A1'::text, 'renamed by Diemen'::text), ('K-A2', 'security test K-A2'), ('K-D9', 'mine')$$,
                  'as the owner: K-A1 renamed, K-A2 unchanged, K-D9 entered');

SELECT * FROM finish();
ROLLBACK;
