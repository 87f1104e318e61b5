-- Security, part 1: the roles and what guards them (row-level security on every
-- scoped table, SECURITY DEFINER only where needed and never for PUBLIC), the BI
-- reader (views only, small cells suppressed) and the contract manager (contracts of
-- its municipalities).  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(62);

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
    $$VALUES ('action_item'::text, true), ('activity', true), ('building_block', false), ('candidate', true),
             ('contract', true), ('contract_figures', true), ('decision', true), ('figures_state', true), ('municipality_figures', true), ('outcome_figures', true),
             ('period_report', true), ('person_lock', true),
             ('phasing', true), ('plan', true), ('plan_version', true), ('pso_discount_rate', false),
             ('quarter_figures', true), ('quarter_report', true), ('rate_card', false),
             ('reporting_frequency', true), ('role_scope', true), ('settlement', true), ('turnover', true)$$,
    'row-level security is on for every table of schema sroi but the rate card catalogue');
SELECT ok(EXISTS (SELECT FROM pg_extension AS e
                   WHERE e.extname = 'sroi' AND 'sroi.role_scope'::regclass::oid = ANY (e.extconfig)),
          'role_scope is extension configuration: pg_dump keeps its rows');

SELECT results_eq(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace AND p.prosecdef ORDER BY p.oid::regprocedure::text COLLATE "C"$$,
    $$VALUES ('sroi.activity_log_decisions()'::text), ('sroi.activity_recheck()'), ('sroi.activity_validate()'),
             ('sroi.candidate_placed(text,text,name)'), ('sroi.contract_log_decisions()'),
             ('sroi.contract_rescope()'),
             ('sroi.decide_on_activity(bigint,text,text,text,boolean,name)'),
             ('sroi.decide_on_contract(text,text,text,text,name)'),
             ('sroi.decide_plan(text,integer,text,text,boolean,name)'),
             ('sroi.decide_reporting(text,text,date,text,text,name)'),
             ('sroi.decide_settlement(text,text,text,boolean,name)'),
             ('sroi.figures_stale()'),
             ('sroi.log_decision(text,text,bigint,text,text)'),
             ('sroi.open_plan_version(text,text,name)'),
             ('sroi.plan_line_version()'),
             ('sroi.refresh_figures(date)'), ('sroi.refuse_if_settled()'),
             ('sroi.report_card_numbers(text,date)'),
             ('sroi.report_category_mix(date,name)'), ('sroi.report_category_mix(date,name,text)'),
             ('sroi.report_chain_delivery(date,name)'), ('sroi.report_chain_delivery(date,name,text)'),
             ('sroi.report_compliance(date,name)'), ('sroi.report_compliance(date,name,text,text)'),
             ('sroi.report_municipality_quarter(date,name)'), ('sroi.report_municipality_quarter(date,name,text,text)'),
             ('sroi.report_overdue_items(date,name)'), ('sroi.report_overdue_items(date,name,text,text)'),
             ('sroi.report_quarterly_progress(date,name)'), ('sroi.report_quarterly_progress(date,name,text,text)'),
             ('sroi.report_report_periods(date,name)'), ('sroi.report_report_periods(date,name,text,text)'),
             ('sroi.report_settlements(date,name)'), ('sroi.report_settlements(date,name,text,text)'),
             ('sroi.report_successes(date,name)'), ('sroi.report_successes(date,name,text,text)'),
             ('sroi.report_target_group_outcomes(date,name)'), ('sroi.report_target_group_outcomes(date,name,text)'),
             ('sroi.scopes(text,name)')$$,
    'SECURITY DEFINER only where needed: the activity validation and the re-checks of domain.md 7.11, the decision log and workflow (no role has the decision columns or INSERT on the log), the scope columns following a moved contract, settling (and the freeze, which sees every settlement), the candidate policy''s look-up, the report functions behind the views, the rate card''s numbers on the report pages and the figures cache (refresh, and the deletion of figures a change makes stale)');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace AND p.prosecdef
         AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp']$$,
    'every SECURITY DEFINER function runs with search_path = pg_catalog, pg_temp');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace
         AND (p.prosecdef OR p.proname IN ('check_fte_overlap', 'check_activity_rules'))
         -- the workflow's definer part checks its caller itself (sroi.check_decider)
         AND p.proname NOT IN ('decide_on_activity', 'decide_on_contract', 'decide_settlement')
         AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) AS a
                                           WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))$$,
    'no SECURITY DEFINER function but the three that check their caller (nor check_fte_overlap, check_activity_rules) is executable by PUBLIC');
SELECT is_empty(
    $$SELECT p.oid::regprocedure::text FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang
       WHERE p.pronamespace = 'sroi'::regnamespace
         AND (l.lanname = 'plpgsql' OR (l.lanname = 'sql' AND p.prosqlbody IS NULL))
         AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp']
         -- store_figures runs the reports' macros, which compare quarters with the schema's
         -- operators: the schema first (only the owner creates in it), then pg_catalog; no
         -- role but the owner may execute it (EXECUTE revoked from PUBLIC)
         AND NOT (p.proname = 'store_figures' AND p.proconfig = ARRAY['search_path=sroi, pg_catalog, pg_temp'])$$,
    'every PL/pgSQL function and every SQL function with a body parsed at run time sets search_path = pg_catalog, pg_temp (store_figures: sroi, pg_catalog, pg_temp)');

SELECT results_eq(
    $$SELECT c.relname::text COLLATE "default" FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'v', 'm')
         AND has_table_privilege('sroi_reader', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
       ORDER BY 1$$,
    $$VALUES ('category_mix'::text), ('chain_delivery'), ('contract_compliance'), ('contract_dimension'), ('labels'),
             ('municipality_quarter'), ('overdue_items'), ('plan_versions'), ('quarter_dimension'),
             ('quarterly_progress'), ('report_periods'), ('settlements'), ('successes'), ('target_group_outcomes')$$,
    'sroi_reader may read the monitoring views and the BI dimensions and labels (11_bi.sql), nothing else (no table, no value_line, no settlement table)');
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
  FROM unnest(ARRAY['candidate', 'activity', 'value_line', 'contract', 'decision', 'plan', 'role_scope']) AS t;
SELECT is(sroi.scopes('municipality', 'tr_manager_diemen'), '{Diemen}'::text[],
          'sroi.scopes answers for a role the login may act as (here the superuser session)');
SELECT throws_ok($$SELECT * FROM sroi.compliance(current_date)$$, '42501', NULL::text,
                 'sroi_reader cannot call the monitoring functions, which read the tables (42501)');
SELECT throws_ok($$SELECT * FROM sroi.target_group_outcomes(current_date)$$, '42501', NULL::text,
                 'sroi_reader cannot call sroi.target_group_outcomes(as_of) unsuppressed (42501)');
SELECT is((SELECT count(*)::integer FROM sroi.contract_compliance), 4,
          'contract_compliance shows sroi_reader every contract (aggregates only)');
SELECT is((SELECT count(*)::integer FROM sroi.contract_compliance WHERE realised > 0), 3,
          'and their realised value: three of the four contracts have counted activities');

-- ---------------------------------------------------------------------------
-- 3. target_group_outcomes: cells of fewer than 5 persons show NULL, and so does the
--    next smallest cell of a municipality's quarter where only one cell is small
--    (complementary suppression); readers ask for today or ended quarters only.
-- ---------------------------------------------------------------------------
-- Today's quarter: Diemen / participatiewet 5 persons (P1, P2, P3 on K-A1; P4, P5 on
-- K-B1), Diemen / ww 2 (W1, W2), Uithoorn / participatiewet 1 (P6).  Diemen has one
-- small cell (ww), so its smallest other cell (participatiewet, 5) is hidden too:
-- otherwise Diemen's person-linked total minus 5's figures would give ww's.
SELECT results_eq(
    $$SELECT municipality, benefit, persons, fte, realised IS NOT NULL, suppressed FROM sroi.target_group_outcomes
       WHERE quarter = to_char(current_date, 'YYYY-"Q"Q') ORDER BY 1, 2$$,
    $$VALUES ('Diemen'::text, 'participatiewet'::text, NULL::integer, NULL::numeric, false, true),
             ('Diemen', 'ww', NULL, NULL, false, true),
             ('Uithoorn', 'participatiewet', NULL, NULL, false, true)$$,
    'today''s quarter for a reader: Diemen / ww (2) and Uithoorn / participatiewet (1) suppressed, Diemen / participatiewet (5) suppressed too (complementary)');
SELECT is_empty(
    $$SELECT * FROM sroi.target_group_outcomes
       WHERE NOT suppressed OR persons IS NOT NULL OR fte IS NOT NULL OR realised IS NOT NULL$$,
    'in every quarter every cell is hidden from the reader, and flagged suppressed');
SELECT throws_ok($$SELECT * FROM sroi.report_target_group_outcomes(current_date - 100, current_user)$$, '22023',
                 format('as_of must be today (%s) or the last day of a quarter that has ended, got %s',
                        sroi.today(), current_date - 100),
                 'a reader cannot step the as-of date to any day (22023)');
SELECT throws_ok($$SELECT * FROM sroi.report_compliance(current_date - 1, current_user)$$, '22023',
                 format('as_of must be today (%s) or the last day of a quarter that has ended, got %s',
                        sroi.today(), current_date - 1),
                 'not even to yesterday, through report_compliance');
SELECT is((SELECT count(*)::integer FROM sroi.report_target_group_outcomes(
               sroi.quarter_end(sroi.quarter(current_date) OPERATOR(sroi.-) 1), current_user)
            WHERE suppressed AND quarter = (sroi.quarter(current_date) OPERATOR(sroi.-) 1)::text), 3,
          'at the end of the last quarter the reader gets the same three cells, suppressed');
-- Contract K-A2 has one person (P6) and K-B1 two (P4, P5): their split over the
-- categories would show what those persons earn; K-A1 has 5 persons and a C9 invoice.
SELECT results_eq(
    $$SELECT contract_id, persons, categories_suppressed, realised_a IS NULL FROM sroi.contract_compliance ORDER BY 1$$,
    $$VALUES ('K-A1'::text, 5, false, false), ('K-A2', 1, true, true), ('K-B1', 2, true, true), ('K-B2', 0, false, false)$$,
    'contract_compliance hides the category split of K-A2 (1 person) and K-B1 (2) from the reader');
SELECT is((SELECT count(*)::integer FROM sroi.category_mix WHERE suppressed AND realised IS NULL AND share IS NULL), 8,
          'category_mix likewise: 4 categories x 2 contracts');
RESET ROLE;
SELECT set_eq(
    $$SELECT municipality, quarter::text, benefit, persons, fte, realised FROM sroi.target_group_outcomes(current_date)$$,
    $$SELECT municipality, quarter, benefit, persons, fte, realised FROM sroi.target_group_outcomes WHERE NOT suppressed$$,
    'the owner (a superuser counts as coordinator) sees every cell, equal to sroi.target_group_outcomes(current_date)');
SET ROLE tr_manager_diemen;
-- W1, W2 at 1 fte each the whole quarter: 2.0000 fte; P1-P5 at 0.5: 2.5000.
SELECT results_eq(
    $$SELECT municipality, benefit, persons, fte, suppressed FROM sroi.target_group_outcomes
       WHERE quarter = to_char(current_date, 'YYYY-"Q"Q') ORDER BY 1, 2$$,
    $$VALUES ('Diemen'::text, 'participatiewet'::text, 5, 2.5000::numeric, false),
             ('Diemen', 'ww', 2, 2.0000, false),
             ('Uithoorn', 'participatiewet', NULL, NULL, true)$$,
    'the manager of Diemen reads the Diemen cells unsuppressed (it reads their persons anyway), not Uithoorn''s');
RESET ROLE;

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
                 'permission denied for table contract',
                 'the manager cannot move a contract to another municipality (the coordinator''s, logged)');
SELECT throws_ok($$UPDATE sroi.contract SET penalty_pct = 0 WHERE id = 'K-A1'$$, '42501',
                 'permission denied for table contract',
                 'nor set the penalty to 0 instead of a logged waiver');
SELECT throws_ok($$UPDATE sroi.contract SET obligation_pct = 1 WHERE id = 'K-A1'$$, '42501',
                 'permission denied for table contract',
                 'nor lower the obligation percentage');
SELECT throws_ok($$UPDATE sroi.contract SET pso_rung = '3' WHERE id = 'K-A1'$$, '42501',
                 'permission denied for table contract',
                 'nor change the PSO rung');
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
