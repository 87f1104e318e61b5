-- Security, part 3: a hostile search_path changes nothing.  Schema evil holds an
-- operator = for text, functions named like those sroi calls (scope_suppliers,
-- is_coordinator, pg_has_role, quarter_start, compliance, ...) and tables named like
-- sroi's (contract, activity, role_scope); a temporary table contract shadows too.
-- Every evil function raises when called, and evil's tables hold rows that would
-- change the counts.  Supplier, coordinator and reader then work with
-- search_path = evil, public, pg_catalog: the statements must succeed with the same
-- results as under the normal search_path.  pgTAP itself cannot run under that path
-- (its own code would call evil's =), so the statements run through pg_temp.try and
-- their results are compared afterwards.  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(11);

CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE FUNCTION evil.trap(what text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN RAISE EXCEPTION 'evil %', what USING ERRCODE = 'P0666'; END$$;
CREATE FUNCTION evil.text_eq(a text, b text) RETURNS boolean LANGUAGE sql RETURN evil.trap('= (text, text)');
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq);
CREATE FUNCTION evil.scope_suppliers() RETURNS text[] LANGUAGE sql
    RETURN CASE WHEN evil.trap('scope_suppliers') THEN ARRAY['Alfa BV', 'Beta BV'] END;
CREATE FUNCTION evil.scope_municipalities() RETURNS text[] LANGUAGE sql
    RETURN CASE WHEN evil.trap('scope_municipalities') THEN ARRAY['Diemen', 'Uithoorn'] END;
CREATE FUNCTION evil.is_coordinator() RETURNS boolean LANGUAGE sql RETURN evil.trap('is_coordinator');
CREATE FUNCTION evil.pg_has_role(name, oid, text) RETURNS boolean LANGUAGE sql RETURN evil.trap('pg_has_role');
CREATE FUNCTION evil.quarter_start(q sroi.quarter) RETURNS date LANGUAGE sql
    RETURN CASE WHEN evil.trap('quarter_start') THEN date '1900-01-01' END;
CREATE FUNCTION evil.compliance(as_of date) RETURNS SETOF sroi.contract_compliance LANGUAGE sql
BEGIN ATOMIC
    SELECT * FROM sroi.contract_compliance WHERE evil.trap('compliance');
END;
CREATE FUNCTION evil.raise_invalid(errcode text, message text, hint text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $$BEGIN PERFORM evil.trap('raise_invalid'); END$$;
CREATE TABLE evil.contract AS SELECT * FROM sroi.contract;
CREATE TABLE evil.activity AS SELECT * FROM sroi.activity;
CREATE TABLE evil.role_scope AS SELECT 'tr_alfa'::name AS role_name, NULL::text AS municipality, 'Beta BV'::text AS supplier;
GRANT SELECT ON ALL TABLES IN SCHEMA evil TO PUBLIC;
CREATE TEMP TABLE contract AS SELECT * FROM sroi.contract;
GRANT SELECT ON contract TO PUBLIC;

-- pg_temp.try(SQL): runs SQL, returns 'ok' or SQLSTATE and message.  No SET search_path
-- (that would shield the statement) and no operator in its own code.
CREATE FUNCTION pg_temp.try(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN concat(SQLSTATE, ' ', SQLERRM);
END
$$;
CREATE TEMP TABLE outcome (step integer, who text, result text);
GRANT ALL ON outcome TO PUBLIC;
CREATE TEMP TABLE seen (who text, what text, n bigint);
GRANT ALL ON seen TO PUBLIC;
CREATE TEMP TABLE view_rows (path text, name text, row_text text);
GRANT ALL ON view_rows TO PUBLIC;

-- The same statements, first under the normal path, then under the hostile one.
CREATE FUNCTION pg_temp.as_supplier(step integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.seen SELECT concat('supplier ', step), 'contracts', count(*) FROM sroi.contract;
    INSERT INTO pg_temp.seen SELECT concat('supplier ', step), 'activities', count(*) FROM sroi.activity;
    INSERT INTO pg_temp.seen SELECT concat('supplier ', step), 'candidates', count(*) FROM sroi.candidate;
    INSERT INTO pg_temp.seen SELECT concat('supplier ', step), 'scope', count(*) FROM sroi.role_scope;
    INSERT INTO pg_temp.seen SELECT concat('supplier ', step), 'compliance rows', count(*) FROM sroi.compliance(current_date);
END
$$;

-- 1. Sanity: the trap works - an unqualified text = text under the hostile path calls evil.
SET search_path = evil, public, pg_catalog;
INSERT INTO pg_temp.outcome VALUES (0, 'owner', pg_temp.try($$SELECT 'a'::text = 'a'::text$$));
RESET search_path;
SELECT is((SELECT result FROM outcome WHERE step = 0), 'P0666 evil = (text, text)',
          'sanity: under search_path = evil, public, pg_catalog an unqualified text = text calls evil''s operator');

-- 2. The supplier: reads, writes an activity (validation, no-double-fte check, logging triggers).
SET ROLE tr_alfa_user;
SELECT pg_temp.as_supplier(1);
SET search_path = evil, public, pg_catalog;
SELECT pg_temp.as_supplier(2);
INSERT INTO pg_temp.outcome VALUES (2, 'supplier',
    pg_temp.try($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('K-A1', 'A2', 'P1', 0.3, current_date - 5)$$));
INSERT INTO pg_temp.outcome VALUES (3, 'supplier',
    pg_temp.try($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('K-B1', 'A2', 'P4', 0.1, current_date - 5)$$));
INSERT INTO pg_temp.outcome VALUES (4, 'supplier',
    pg_temp.try($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('K-A1', 'A2', 'P2', 0.6, current_date - 5)$$));
RESET search_path;
RESET ROLE;
SELECT results_eq(
    $$SELECT what, n FROM seen WHERE who = 'supplier 2' ORDER BY what$$,
    $$SELECT what, n FROM seen WHERE who = 'supplier 1' ORDER BY what$$,
    'supplier A under the hostile path sees exactly what it sees under the normal one (contracts, activities, candidates, scope, compliance)');
SELECT results_eq($$SELECT what, n FROM seen WHERE who = 'supplier 1' ORDER BY what$$,
                  $$VALUES ('activities'::text, 7::bigint), ('candidates', 6), ('compliance rows', 2), ('contracts', 2), ('scope', 1)$$,
                  'and that is its own: 2 contracts, 7 activities, 6 candidates, 1 scope row, 2 compliance rows');
SELECT is((SELECT result FROM outcome WHERE step = 2), 'ok',
          'under the hostile path supplier A enters a valid activity (validation and triggers ran, no evil called)');
SELECT is((SELECT result FROM outcome WHERE step = 3),
          '42501 contract_id ''K-B1'' is not one of your contracts: tr_alfa_user cannot write activity rows for it',
          'and is still refused supplier B''s contract');
SELECT is((SELECT result FROM outcome WHERE step = 4),
          format('23514 fte 0.6 of candidate P2 from %s would take the person over 1 fte: other activities already count for them in that period', current_date - 5),
          'and the double-counting check still refuses P2 at 0.6 fte on top of 0.5 with its own message');

-- 3. The coordinator approves under the hostile path; the decision is logged.
SET ROLE tr_coord;
SET search_path = evil, public, pg_catalog;
INSERT INTO pg_temp.outcome
SELECT 5, 'coordinator', pg_temp.try(format('SELECT sroi.approve(%s, %L, %L)', a.id, 'coordinator Jansen', 'checked'))
  FROM sroi.activity AS a WHERE a.block OPERATOR(pg_catalog.=) 'C9';
RESET search_path;
RESET ROLE;
SELECT is((SELECT result FROM outcome WHERE step = 5), 'ok', 'under the hostile path the coordinator approves');
SELECT results_eq($$SELECT kind, recorded_by::text COLLATE "default", decided_by FROM sroi.decision$$,
                  format($$VALUES ('approve'::text, %L::text, 'coordinator Jansen'::text)$$, session_user),
                  'and the decision is logged');

-- 4. The reader: the views give the same rows under both paths.
SET ROLE tr_reader;
INSERT INTO pg_temp.view_rows
SELECT 'normal', v.name, r.row_text
  FROM unnest(ARRAY['contract_compliance', 'quarterly_progress', 'municipality_quarter', 'category_mix',
                    'target_group_outcomes', 'overdue_items', 'chain_delivery']) AS v (name)
 CROSS JOIN LATERAL (SELECT x::text AS row_text FROM sroi.contract_compliance AS x WHERE v.name = 'contract_compliance'
                     UNION ALL SELECT x::text FROM sroi.quarterly_progress AS x WHERE v.name = 'quarterly_progress'
                     UNION ALL SELECT x::text FROM sroi.municipality_quarter AS x WHERE v.name = 'municipality_quarter'
                     UNION ALL SELECT x::text FROM sroi.category_mix AS x WHERE v.name = 'category_mix'
                     UNION ALL SELECT x::text FROM sroi.target_group_outcomes AS x WHERE v.name = 'target_group_outcomes'
                     UNION ALL SELECT x::text FROM sroi.overdue_items AS x WHERE v.name = 'overdue_items'
                     UNION ALL SELECT x::text FROM sroi.chain_delivery AS x WHERE v.name = 'chain_delivery') AS r;
SET search_path = evil, public, pg_catalog;
INSERT INTO pg_temp.outcome VALUES (7, 'reader', pg_temp.try($$
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'contract_compliance', x::text FROM sroi.contract_compliance AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'quarterly_progress', x::text FROM sroi.quarterly_progress AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'municipality_quarter', x::text FROM sroi.municipality_quarter AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'category_mix', x::text FROM sroi.category_mix AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'target_group_outcomes', x::text FROM sroi.target_group_outcomes AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'overdue_items', x::text FROM sroi.overdue_items AS x;
    INSERT INTO pg_temp.view_rows SELECT 'hostile', 'chain_delivery', x::text FROM sroi.chain_delivery AS x$$));
RESET search_path;
RESET ROLE;
SELECT is((SELECT count(DISTINCT name)::integer FROM view_rows WHERE path = 'normal'), 7,
          'every view has rows to compare');
SELECT is((SELECT result FROM outcome WHERE step = 7), 'ok', 'under the hostile path the reader reads all seven views');
SELECT bag_eq($$SELECT name, row_text FROM view_rows WHERE path = 'hostile'$$,
              $$SELECT name, row_text FROM view_rows WHERE path = 'normal'$$,
              'and gets the same rows from each as under the normal path');

SELECT * FROM finish();
ROLLBACK;
