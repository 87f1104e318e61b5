-- Steering, part 1: the Plan van Aanpak and its versions (domain.md 6.1; api.md
-- propose_plan, accord_plan, refuse_plan, plan_versions) and the overdue item
-- plan_missing.  Figures come from sroi.quarterly_progress at a fixed as-of date; the
-- monitoring plans by the latest accorded version only, whatever the as-of date (the
-- current state, like the coordinator's decisions, domain.md 3).
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(63);

-- Roles (NOLOGIN; the tests SET ROLE to them; CREATE ROLE is rolled back with the rest).
CREATE ROLE tp_coord NOLOGIN IN ROLE sroi_coordinator;
CREATE ROLE tp_manager NOLOGIN IN ROLE sroi_contract_manager;      -- Diemen
CREATE ROLE tp_manager_u NOLOGIN IN ROLE sroi_contract_manager;    -- Uithoorn
CREATE ROLE tp_alfa NOLOGIN IN ROLE sroi_supplier;                 -- Alfa BV
CREATE ROLE tp_beta NOLOGIN IN ROLE sroi_supplier;                 -- Beta BV
INSERT INTO sroi.role_scope (role_name, municipality, supplier) VALUES
    ('tp_manager', 'Diemen', NULL), ('tp_manager_u', 'Uithoorn', NULL),
    ('tp_alfa', NULL, 'Alfa BV'), ('tp_beta', NULL, 'Beta BV');

-- P1: Diemen / Alfa BV, 2025-01-01..2026-12-31, EUR 1,000,000: obligation 5 % = 50,000.
-- P3: Diemen / Beta BV, same term: its plan is entered without a version (as in 0.1).
-- P2: Diemen / Alfa BV, awarded 40 days before today: plan due today - 40 + 28 = today - 12.
-- P0: Diemen / Alfa BV, EUR 100,000 (no obligation): no plan is due.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on) VALUES
    ('P1', 'Diemen', 'Alfa BV', 'plan versions', 1000000, '2024-12-01', '2025-01-01', '2026-12-31'),
    ('P3', 'Diemen', 'Beta BV', 'plan entered directly', 1000000, '2024-12-01', '2025-01-01', '2026-12-31'),
    ('P2', 'Diemen', 'Alfa BV', 'plan due', 1000000, sroi.today() - 40, sroi.today() - 30, sroi.today() + 700),
    ('P0', 'Diemen', 'Alfa BV', 'under the threshold', 100000, sroi.today() - 40, sroi.today() - 30, sroi.today() + 700);

-- planned Q1/Q2 2025 of P1 as of 2025-06-30, as "Q1 planned/Q2 planned/Q2 planned_cum/Q2 deviation_cum"
CREATE FUNCTION pg_temp.p1_planned() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(x, ' ' ORDER BY quarter) FROM (
        SELECT quarter, format('%s:%s/%s/%s', quarter, planned, planned_cum, deviation_cum) AS x
          FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'P1') AS q $$;

-- ---------------------------------------------------------------------------
-- 1. A supplier proposes version 1; proposed, it is in no figure.
-- ---------------------------------------------------------------------------
SET ROLE tp_alfa;
SELECT is(sroi.propose_plan('P1', 'planner Alfa'), 1, 'the supplier proposes version 1 of the plan of its contract');
SELECT lives_ok($$INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES
                    ('P1', 1, '2025-Q1', 'A2', 10000), ('P1', 1, '2025-Q2', 'A2', 12000)$$,
                'and enters its two quarter lines');
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 1, 'planner Alfa')$$, '42501',
                 'only a contract manager of the contract''s municipality or an SR coordinator can accord a plan: role tp_alfa is neither',
                 'a supplier cannot accord its own plan (42501)');
SELECT throws_ok($$SELECT sroi.propose_plan('P3', 'planner Alfa')$$, '42501',
                 'contract_id ''P3'' is not one of your contracts: role tp_alfa cannot propose a plan for it',
                 'nor propose a plan for another supplier''s contract (42501)');
SELECT throws_ok($$SELECT sroi.propose_plan('NOPE', 'planner Alfa')$$, '42501',
                 'contract_id ''NOPE'' is not one of your contracts: role tp_alfa cannot propose a plan for it',
                 'the same words for a contract that does not exist (no oracle)');
RESET ROLE;
SELECT is(pg_temp.p1_planned(), '2025-Q1:0.00/0.00/0.00 2025-Q2:0.00/0.00/0.00',
          'a proposed version is in no figure: planned 0 in both quarters');
SELECT results_eq($$SELECT version, status, proposed_by, proposed_on, decided_by, planned_total FROM sroi.plan_versions WHERE contract_id = 'P1'$$,
                  $$VALUES (1, 'proposed'::text, 'planner Alfa'::text, sroi.today(), NULL::text, 22000.00::numeric(15,2))$$,
                  'plan_versions: version 1 proposed, planned_total 10000 + 12000 = 22000.00');

-- ---------------------------------------------------------------------------
-- 2. Who may accord: a manager of another municipality may not; errors tell nothing.
-- ---------------------------------------------------------------------------
SET ROLE tp_manager_u;
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 1, 'manager Uithoorn')$$, '42501',
                 'contract_id ''P1'' is not one of your contracts: role tp_manager_u cannot accord a plan for it',
                 'a manager of another municipality cannot accord (42501)');
SELECT throws_ok($$SELECT sroi.accord_plan('NOPE', 1, 'manager Uithoorn')$$, '42501',
                 'contract_id ''NOPE'' is not one of your contracts: role tp_manager_u cannot accord a plan for it',
                 'the same words for a contract that does not exist');
SELECT is_empty($$SELECT * FROM sroi.plan_version WHERE contract_id = 'P1'$$,
                'nor reads the versions of another municipality''s contract');
RESET ROLE;
SELECT is((SELECT status FROM sroi.plan_version WHERE contract_id = 'P1' AND version = 1), 'proposed',
          'refused calls: version 1 still proposed');

-- ---------------------------------------------------------------------------
-- 3. The manager of Diemen accords version 1: the figures plan by it.
-- ---------------------------------------------------------------------------
SET ROLE tp_manager;
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 1, '  ')$$, '23502', 'decided_by is required: who made the decision',
                 'accord without decided_by is refused (23502)');
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 7, 'manager Diemen')$$, '23503',
                 'version 7 of the plan of contract P1 does not exist', 'accord of a version that does not exist (23503)');
SELECT lives_ok($$SELECT sroi.accord_plan('P1', 1, 'manager Diemen')$$, 'the manager of Diemen accords version 1');
RESET ROLE;
SELECT is(pg_temp.p1_planned(), '2025-Q1:10000.00/10000.00/-10000.00 2025-Q2:12000.00/22000.00/-22000.00',
          'accorded: planned 10000 and 12000, planned_cum 22000, deviation_cum 0 - 22000 = -22000 (nothing realised)');
SELECT results_eq($$SELECT kind, decided_by, reason, recorded_by = session_user FROM sroi.decision WHERE contract_id = 'P1'$$,
                  $$VALUES ('plan_accord'::text, 'manager Diemen'::text, 'plan version 1'::text, true)$$,
                  'the accord is logged: plan_accord, who, which version, recorded by the login');

-- ---------------------------------------------------------------------------
-- 4. An accorded version is never edited: insert, update, delete refused, nothing stored.
-- ---------------------------------------------------------------------------
SELECT throws_ok($$UPDATE sroi.plan SET planned_value = 1 WHERE contract_id = 'P1' AND version = 1$$, '23001',
                 'version 1 of the plan of contract P1 is accorded: its lines cannot be changed',
                 'a line of an accorded version cannot be changed (23001, naming version and status)');
SELECT throws_ok($$DELETE FROM sroi.plan WHERE contract_id = 'P1' AND version = 1$$, '23001',
                 'version 1 of the plan of contract P1 is accorded: its lines cannot be deleted',
                 'nor deleted');
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('P1', 1, '2025-Q3', 'A2', 5000)$$,
                 '23001', 'version 1 of the plan of contract P1 is accorded: no line can be added to it',
                 'nor can a line be added to it');
SELECT throws_ok($$UPDATE sroi.plan_version SET decided_by = 'someone else' WHERE contract_id = 'P1'$$, '23001',
                 'version 1 of the plan of contract P1 is accorded: it is never edited, only superseded by a new version',
                 'the version itself cannot be changed either, not even by the owner');
SELECT is((SELECT format('%s lines, %s', count(*), sum(planned_value)) FROM sroi.plan WHERE contract_id = 'P1'),
          '2 lines, 22000', 'nothing stored: still the two lines of 10000 + 12000');
SET ROLE tp_manager;
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 1, 'manager Diemen')$$, '23514',
                 'version 1 of the plan of contract P1 is accorded, not proposed: only a proposed version can be accorded',
                 'an accorded version cannot be accorded again (23514)');
RESET ROLE;

-- ---------------------------------------------------------------------------
-- 5. An amendment refused, then another accorded: the figures change only on accord.
-- ---------------------------------------------------------------------------
SET ROLE tp_beta;
SELECT throws_ok($$SELECT sroi.propose_plan('P1', 'planner Beta')$$, '42501',
                 'contract_id ''P1'' is not one of your contracts: role tp_beta cannot propose a plan for it',
                 'another supplier cannot propose a version for Alfa''s contract');
RESET ROLE;
SET ROLE tp_alfa;
SELECT is(sroi.propose_plan('P1', 'planner Alfa'), 2, 'Alfa proposes version 2 (an amendment)');
SELECT throws_ok($$SELECT sroi.propose_plan('P1', 'planner Alfa')$$, '23514',
                 'version 2 of the plan of contract P1 is still proposed: it is accorded or refused before another is proposed',
                 'one proposal at a time (23514)');
SELECT lives_ok($$INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES
                    ('P1', 2, '2025-Q1', 'A2', 10000), ('P1', 2, '2025-Q2', 'A2', 20000)$$,
                'and enters its lines (Q2 20000 instead of 12000)');
SELECT throws_ok($$UPDATE sroi.plan SET planned_value = 21000 WHERE contract_id = 'P1' AND version = 2 AND quarter::text = '2025-Q2'$$,
                 '23001', 'version 2 of the plan of contract P1 is proposed: its lines cannot be changed',
                 'a line of a proposed version is never edited (domain.md 6.1: only superseded)');
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('P1', 1, '2025-Q4', 'A2', 1)$$,
                 '23001', 'version 1 of the plan of contract P1 is accorded: no line can be added to it',
                 'the supplier cannot add a line to the accorded version 1 either');
RESET ROLE;
SELECT is(pg_temp.p1_planned(), '2025-Q1:10000.00/10000.00/-10000.00 2025-Q2:12000.00/22000.00/-22000.00',
          'version 2 proposed: the figures are still those of version 1');
SET ROLE tp_manager;
SELECT throws_ok($$SELECT sroi.refuse_plan('P1', 2, 'manager Diemen', NULL)$$, '23502',
                 'reason is required to refuse version 2 of the plan of contract P1', 'a refusal needs a reason (23502)');
SELECT throws_ok($$SELECT sroi.refuse_plan('P1', 2, 'manager Diemen', ' ')$$, '23502',
                 'reason is required to refuse version 2 of the plan of contract P1', 'a blank reason is no reason');
SELECT lives_ok($$SELECT sroi.refuse_plan('P1', 2, 'manager Diemen', 'Q2 not backed by vacancies')$$,
                'the manager refuses version 2 with a reason');
RESET ROLE;
SELECT is(pg_temp.p1_planned(), '2025-Q1:10000.00/10000.00/-10000.00 2025-Q2:12000.00/22000.00/-22000.00',
          'refused: the figures are still those of version 1');
SELECT throws_ok($$UPDATE sroi.plan SET planned_value = 1 WHERE contract_id = 'P1' AND version = 2$$, '23001',
                 'version 2 of the plan of contract P1 is refused: its lines cannot be changed',
                 'a refused version is not edited either');
SET ROLE tp_alfa;
SELECT is(sroi.propose_plan('P1', 'planner Alfa'), 3, 'Alfa proposes version 3');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES
    ('P1', 3, '2025-Q1', 'A2', 10000), ('P1', 3, '2025-Q2', 'A2', 18000), ('P1', 3, '2025-Q3', 'C10', 2500);
RESET ROLE;
SET ROLE tp_coord;
SELECT lives_ok($$SELECT sroi.accord_plan('P1', 3, 'coordinator Jansen', 'agreed at the progress meeting')$$,
                'the SR coordinator accords version 3');
RESET ROLE;
SELECT is(pg_temp.p1_planned(), '2025-Q1:10000.00/10000.00/-10000.00 2025-Q2:18000.00/28000.00/-28000.00',
          'accorded: Q2 planned 18000, planned_cum 10000 + 18000 = 28000, deviation_cum -28000');
SELECT is((SELECT planned FROM sroi.quarterly_progress('2025-09-30') WHERE contract_id = 'P1' AND quarter = '2025-Q3'),
          2500.00::numeric(15,2), 'and Q3 planned 2500 (C10), a line version 1 did not have');
SELECT results_eq($$SELECT version, status, decided_by, reason, planned_total FROM sroi.plan_versions WHERE contract_id = 'P1' ORDER BY version$$,
                  $$VALUES (1, 'superseded'::text, 'manager Diemen'::text, NULL::text, 22000.00::numeric(15,2)),
                           (2, 'refused', 'manager Diemen', 'Q2 not backed by vacancies', 30000.00),  -- 10000 + 20000
                           (3, 'accorded', 'coordinator Jansen', 'agreed at the progress meeting', 30500.00)  -- 10000 + 18000 + 2500
                  $$,
                  'plan_versions: 1 superseded by 3, 2 refused with its reason, 3 accorded');
SELECT results_eq($$SELECT kind, decided_by, reason FROM sroi.decision WHERE contract_id = 'P1' ORDER BY id$$,
                  $$VALUES ('plan_accord'::text, 'manager Diemen'::text, 'plan version 1'::text),
                           ('plan_refusal', 'manager Diemen', 'plan version 2: Q2 not backed by vacancies'),
                           ('plan_accord', 'coordinator Jansen', 'plan version 3: agreed at the progress meeting')$$,
                  'every accord and refusal is a decision in the log');

-- An empty version is not accorded; it can be refused.  A manager may propose.
SET ROLE tp_manager;
SELECT is(sroi.propose_plan('P1', 'manager Diemen'), 4, 'a manager proposes version 4');
SELECT throws_ok($$SELECT sroi.accord_plan('P1', 4, 'manager Diemen')$$, '23514',
                 'version 4 of the plan of contract P1 has no lines: it is accorded with all its quarter lines in sroi.plan',
                 'a version without lines cannot be accorded (23514)');
SELECT lives_ok($$SELECT sroi.refuse_plan('P1', 4, 'manager Diemen', 'proposed by mistake')$$, 'but refused');
RESET ROLE;

-- ---------------------------------------------------------------------------
-- 6. Lines entered without a version (0.1 behaviour): version 1, accorded when entered.
-- ---------------------------------------------------------------------------
SET ROLE tp_manager;
SELECT lives_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('P3', '2025-Q1', 'A1', 4000)$$,
                'a manager enters a plan line without a version');
SELECT lives_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('P3', '2025-Q2', 'A1', 6000)$$,
                'and another, in a second statement');
SELECT lives_ok($$UPDATE sroi.plan SET planned_value = 5000 WHERE contract_id = 'P3' AND quarter::text = '2025-Q1'$$,
                'and corrects one: a version entered directly keeps taking changes');
RESET ROLE;
SELECT results_eq($$SELECT version, status, entered_directly, decided_on, planned_total FROM sroi.plan_versions WHERE contract_id = 'P3'$$,
                  $$VALUES (1, 'accorded'::text, true, sroi.today(), 11000.00::numeric(15,2))$$,
                  'they are version 1, entered directly, accorded today, planned 5000 + 6000 = 11000');
SELECT is((SELECT string_agg(planned::text, ' ' ORDER BY quarter) FROM sroi.quarterly_progress('2025-06-30') WHERE contract_id = 'P3'),
          '5000.00 6000.00', 'and in the figures at once');
SELECT is((SELECT count(*)::integer FROM sroi.decision WHERE contract_id = 'P3'), 0, 'nobody decided: nothing logged');
SET ROLE tp_beta;
SELECT is(sroi.propose_plan('P3', 'planner Beta'), 2, 'Beta proposes version 2 of P3');
RESET ROLE;
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('P3', '2025-Q3', 'A1', 1000)$$,
                 '23001', 'version 1 of the plan of contract P3 is accorded: no line can be added to it',
                 'once a later version is proposed, version 1 takes no more lines');
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('P3', 5, '2025-Q3', 'A1', 1000)$$,
                 '23503', 'version 5 of the plan of contract P3 does not exist', 'a line of a version not proposed is refused (23503)');
SELECT is((SELECT lines FROM sroi.plan_version WHERE contract_id = 'P3' AND version = 1), 2,
          'version 1 is sealed with its 2 lines');

-- ---------------------------------------------------------------------------
-- 7. plan_missing: due plan_accord_days (28) after award; missing from the next day.
-- ---------------------------------------------------------------------------
-- P2 awarded today - 40: due today - 12.
SELECT is_empty(format($$SELECT * FROM sroi.overdue_items(%L) WHERE kind = 'plan_missing' AND contract_id = 'P2'$$, sroi.today() - 13),
                'the day before the due date: no plan_missing');
SELECT is_empty(format($$SELECT * FROM sroi.overdue_items(%L) WHERE kind = 'plan_missing' AND contract_id = 'P2'$$, sroi.today() - 12),
                'on the due date: no plan_missing');
SELECT results_eq(format($$SELECT contract_id, due_on FROM sroi.overdue_items(%L) WHERE kind = 'plan_missing' AND contract_id IN ('P2', 'P0')$$,
                         sroi.today() - 11),
                  format($$VALUES ('P2'::text, %L::date)$$, sroi.today() - 12),
                  'the day after: plan_missing for P2, due today - 12; none for P0 (no obligation)');
SET ROLE tp_alfa;
SELECT is(sroi.propose_plan('P2', 'planner Alfa'), 1, 'Alfa proposes a plan for P2');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('P2', 1, sroi.quarter(sroi.today()), 'A2', 8000);
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM sroi.overdue_items(sroi.today()) WHERE kind = 'plan_missing' AND contract_id = 'P2'), 1,
          'a proposed version is not an accorded one: still plan_missing today');
SELECT lives_ok($$SELECT sroi.accord_plan('P2', 1, 'coordinator Jansen')$$, 'accorded today');
SELECT is_empty($$SELECT * FROM sroi.overdue_items(sroi.today()) WHERE kind = 'plan_missing' AND contract_id = 'P2'$$,
                'accorded: no plan_missing today');
SELECT is((SELECT count(*)::integer FROM sroi.overdue_items(sroi.today() - 1) WHERE kind = 'plan_missing' AND contract_id = 'P2'), 1,
          'as of yesterday it was still missing (the accord came today)');

-- A coordinator who also acts for the supplier does not accord its own plan.
CREATE ROLE tp_coord_alfa NOLOGIN IN ROLE sroi_coordinator, tp_alfa;
SET ROLE tp_alfa;
SELECT is(sroi.propose_plan('P2', 'planner Alfa'), 2, 'Alfa proposes version 2 of P2');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('P2', 2, sroi.quarter(sroi.today()), 'A2', 9000);
RESET ROLE;
SET ROLE tp_coord_alfa;
SELECT throws_ok($$SELECT sroi.accord_plan('P2', 2, 'coordinator Alfa')$$, '42501',
                 'role tp_coord_alfa acts for supplier Alfa BV and cannot accord a plan for its contract P2',
                 'a coordinator acting for the supplier cannot accord its plan (42501)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
