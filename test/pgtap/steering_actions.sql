-- Steering, part 2: the action plan (domain.md 6.2; api.md action_item) and the overdue
-- items action_plan_missing and action_overdue.  Rate card duoplus-2024:
-- action_plan_days 30.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(36);

CREATE ROLE ta_manager NOLOGIN IN ROLE sroi_contract_manager;      -- Diemen
CREATE ROLE ta_manager_u NOLOGIN IN ROLE sroi_contract_manager;    -- Uithoorn
CREATE ROLE ta_alfa NOLOGIN IN ROLE sroi_supplier;                 -- Alfa BV
CREATE ROLE ta_beta NOLOGIN IN ROLE sroi_supplier;                 -- Beta BV
INSERT INTO sroi.role_scope (role_name, municipality, supplier) VALUES
    ('ta_manager', 'Diemen', NULL), ('ta_manager_u', 'Uithoorn', NULL),
    ('ta_alfa', NULL, 'Alfa BV'), ('ta_beta', NULL, 'Beta BV');

-- A1: Diemen / Alfa BV, 2025-01-01..2026-12-31 (730 days), EUR 1,000,000: obligation
-- 50,000.  Nothing is delivered, so it is behind at every quarter end (expected at
-- 2025-03-31 = 50000 x 90 / 730 = 6164.38 > 0 = realised): intensify at the ends of Q2
-- and Q3 2025 (behind at two consecutive quarter ends; Q1 has no previous one).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('A1', 'Diemen', 'Alfa BV', 'behind', 1000000, '2024-12-01', '2025-01-01', '2026-12-31', '2024-12-05');

SELECT results_eq($$SELECT quarter, status, intensify FROM sroi.quarterly_progress('2025-09-30') WHERE contract_id = 'A1'$$,
                  $$VALUES ('2025-Q1'::text, 'behind'::text, false), ('2025-Q2', 'behind', true), ('2025-Q3', 'behind', true)$$,
                  'A1 is behind at the ends of Q1, Q2 and Q3 2025: intensify at Q2 and Q3');

-- ---------------------------------------------------------------------------
-- 1. action_plan_missing: intensify at the end of Q2 (2025-06-30), an action item due
--    within 30 days: 2025-06-30 + 30 = 2025-07-30; missing from 2025-07-31.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.missing(as_of date) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(quarter || ' due ' || due_on, ', ' ORDER BY quarter), 'none')
      FROM sroi.overdue_items(as_of) WHERE kind = 'action_plan_missing' AND contract_id = 'A1' $$;
SELECT is(pg_temp.missing('2025-07-29'), 'none', 'the day before the due date: no action_plan_missing');
SELECT is(pg_temp.missing('2025-07-30'), 'none', 'on the due date 2025-07-30: none');
SELECT is(pg_temp.missing('2025-07-31'), '2025-Q2 due 2025-07-30', 'the day after: action_plan_missing for Q2, due 2025-07-30');

SET ROLE ta_manager;
SELECT lives_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, created_on)
                  VALUES ('A1', 'two more BBL places on the school project', 'site manager', '2025-09-15', 2, 'persons', '2025-08-05')$$,
                'the manager of Diemen records an action item on 2025-08-05 (late: after 2025-07-30)');
RESET ROLE;
SELECT is(pg_temp.missing('2025-08-04'), '2025-Q2 due 2025-07-30', 'as of 2025-08-04 the item was not there yet: still missing');
SELECT is(pg_temp.missing('2025-08-05'), 'none', 'as of 2025-08-05 the action plan exists: not missing');
-- Q3: intensify at 2025-09-30 again, due 2025-10-30; the item of 08-05 is for the flag of Q2.
SELECT is(pg_temp.missing('2025-10-30'), 'none', 'Q3 flagged, on its due date 2025-10-30: none');
SELECT is(pg_temp.missing('2025-10-31'), '2025-Q3 due 2025-10-30',
          'the day after: missing for Q3 (an item recorded before the quarter end belongs to the earlier flag)');
SET ROLE ta_manager;
INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, created_on)
VALUES ('A1', 'purchase from the SW-bedrijf', 'buyer', '2025-12-31', 15000, 'euro', '2025-09-30');
RESET ROLE;
SELECT is(pg_temp.missing('2025-10-31'), 'none', 'an item recorded on the quarter end itself (2025-09-30) counts for its flag');

-- ---------------------------------------------------------------------------
-- 2. action_overdue: an open item past its due date (2025-09-15): from 2025-09-16.
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.overdue(as_of date) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(due_on::text, ', ' ORDER BY due_on), 'none')
      FROM sroi.overdue_items(as_of) WHERE kind = 'action_overdue' AND contract_id = 'A1' $$;
SELECT is(pg_temp.overdue('2025-09-14'), 'none', 'the day before the item''s due date: not overdue');
SELECT is(pg_temp.overdue('2025-09-15'), 'none', 'on its due date: not overdue');
SELECT is(pg_temp.overdue('2025-09-16'), '2025-09-15', 'the day after: action_overdue, due 2025-09-15');
SET ROLE ta_manager;
SELECT lives_ok($$UPDATE sroi.action_item SET status = 'done', closed_on = '2025-09-20' WHERE contract_id = 'A1' AND target_unit = 'persons'$$,
                'the manager closes it as done on 2025-09-20');
RESET ROLE;
SELECT is(pg_temp.overdue('2025-09-19'), '2025-09-15', 'as of 2025-09-19 it was still open: overdue');
SELECT is(pg_temp.overdue('2025-09-20'), 'none', 'as of 2025-09-20 it is done: not overdue');
SELECT is(pg_temp.overdue('2026-01-01'), '2025-12-31', 'the open euro item due 2025-12-31 is overdue on 2026-01-01');

-- ---------------------------------------------------------------------------
-- 3. Validation: class 22/23 errors naming the field; nothing stored.
-- ---------------------------------------------------------------------------
SET ROLE ta_manager;
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, status, created_on)
                   VALUES ('A1', 'x', 'y', '2025-10-01', 1, 'euro', 'done', '2025-09-01')$$,
                 '23502', 'closed_on is required when status is done: the day it was done', 'done without closed_on (23502)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, closed_on, created_on)
                   VALUES ('A1', 'x', 'y', '2025-10-01', 1, 'euro', '2025-09-10', '2025-09-01')$$,
                 '23514', 'closed_on must be NULL while status is open, got 2025-09-10', 'open with closed_on (23514)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, created_on)
                   VALUES ('A1', 'x', 'y', '2025-10-01', 1, 'euro', 'dropped', '2025-08-31', '2025-09-01')$$,
                 '23514', 'closed_on must not be before created_on, got created_on 2025-09-01 and closed_on 2025-08-31',
                 'closed before it was created (23514)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, created_on)
                   VALUES ('A1', 'x', 'y', '2025-08-31', 1, 'euro', '2025-09-01')$$,
                 '23514', 'due_on must not be before created_on, got created_on 2025-09-01 and due_on 2025-08-31',
                 'due before it was created (23514)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, 1, 'kg')$$,
                 '22023', 'target_unit must be one of euro, persons, hours, got ''kg''', 'an unknown target unit (22023)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, 1.5, 'persons')$$,
                 '22003', 'target_value must have at most 0 decimals, got 1.5', 'half a person (22003)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, -1, 'euro')$$,
                 '22003', 'target_value must be from 0 to 999999999999.99, got -1', 'a negative target (22003)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', '  ', 'y', sroi.today() + 10, 1, 'euro')$$,
                 '23502', 'what is required: the action, in words', 'no what (23502)');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, status)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, 1, 'euro', 'maybe')$$,
                 '22023', 'status must be one of open, done, dropped, got ''maybe''', 'an unknown status (22023)');
SELECT throws_ok(format($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, created_on)
                          VALUES ('A1', 'x', 'y', %L, 1, 'euro', %L)$$, sroi.today() + 20, sroi.today() + 1),
                 '22008', format('created_on must not lie after today (%s), got %s', sroi.today(), sroi.today() + 1),
                 'created in the future (22008)');
SELECT throws_ok($$UPDATE sroi.action_item SET created_on = '2025-09-01' WHERE target_unit = 'euro'$$,
                 '42501', 'permission denied for table action_item', 'a manager cannot change created_on (no column privilege)');
RESET ROLE;
SELECT throws_ok($$UPDATE sroi.action_item SET created_on = '2025-09-01' WHERE target_unit = 'euro'$$,
                 '23514', 'created_on of action item ' || (SELECT id FROM sroi.action_item WHERE target_unit = 'euro')
                          || ' cannot change from 2025-09-30 to 2025-09-01',
                 'nor the owner: created_on never changes (23514)');
SELECT is((SELECT string_agg(format('%s/%s/%s', target_unit, status, coalesce(closed_on::text, '-')), ' ' ORDER BY id)
             FROM sroi.action_item), 'persons/done/2025-09-20 euro/open/-', 'nothing stored or changed: the two items as they were');

-- ---------------------------------------------------------------------------
-- 4. Who: managers of the municipality and coordinators record; the supplier reads.
-- ---------------------------------------------------------------------------
SET ROLE ta_manager_u;
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, 1, 'euro')$$,
                 '42501', 'contract_id ''A1'' is not one of your contracts: ta_manager_u cannot write action_item rows for it',
                 'a manager of another municipality cannot record an item (42501)');
SELECT is_empty($$SELECT * FROM sroi.action_item$$, 'nor read them');
RESET ROLE;
SET ROLE ta_alfa;
SELECT is((SELECT count(*)::integer FROM sroi.action_item), 2, 'the supplier of A1 reads its two action items');
SELECT throws_ok($$INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                   VALUES ('A1', 'x', 'y', sroi.today() + 10, 1, 'euro')$$,
                 '42501', 'permission denied for table action_item', 'but records none (42501)');
SELECT throws_ok($$UPDATE sroi.action_item SET status = 'dropped', closed_on = sroi.today()$$,
                 '42501', 'permission denied for table action_item', 'nor closes one (42501)');
RESET ROLE;
SET ROLE ta_beta;
SELECT is_empty($$SELECT * FROM sroi.action_item$$, 'another supplier reads none');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
