-- Security, part 2: suppliers see and write only their own contracts' rows, never
-- decide, and cannot change an activity once it is decided; the coordinator decides and
-- every decision is logged as the deciding role, append-only; the no-double-fte check
-- still sees every supplier's placements; a coordinator who acts for a supplier cannot
-- decide on that supplier's activities.  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(64);

CREATE TEMP TABLE ids AS
SELECT a.contract_id || '/' || coalesce(a.candidate_id, a.block) AS name, a.id FROM sroi.activity AS a;
GRANT SELECT ON ids TO PUBLIC;
\ir helpers.psql
-- pg_temp.id(LABEL): the id of a fixture activity, e.g. id('K-A1/C9').
CREATE FUNCTION pg_temp.id(label text) RETURNS bigint LANGUAGE sql STABLE
    RETURN (SELECT i.id FROM ids AS i WHERE i.name = label);

-- ---------------------------------------------------------------------------
-- 1. Supplier Alfa BV (an employee: member of the role tr_alfa with the scope).
-- ---------------------------------------------------------------------------
SET ROLE tr_alfa_user;
SELECT results_eq($$SELECT id FROM sroi.contract ORDER BY id$$, $$VALUES ('K-A1'::text), ('K-A2')$$,
                  'supplier A sees its own two contracts only');
SELECT is((SELECT count(*)::integer FROM sroi.activity), 7, 'and their 7 activities');
SELECT results_eq($$SELECT id FROM sroi.candidate ORDER BY id$$,
                  $$VALUES ('P1'::text), ('P2'), ('P3'), ('P6'), ('W1'), ('W2')$$,
                  'and the 6 candidates placed on them');
SELECT is_empty($$SELECT * FROM sroi.activity WHERE contract_id IN ('K-B1', 'K-B2')$$,
                'supplier A sees none of supplier B''s activities');
SELECT is_empty($$SELECT * FROM sroi.candidate WHERE id IN ('P4', 'P5')$$,
                'nor the candidates placed by supplier B');
SELECT results_eq($$SELECT role_name::text COLLATE "default", supplier FROM sroi.role_scope$$,
                  $$VALUES ('tr_alfa'::text, 'Alfa BV'::text)$$,
                  'supplier A reads only the role_scope row of its own role');
SELECT results_eq($$SELECT contract_id FROM sroi.compliance(current_date) ORDER BY 1$$,
                  $$VALUES ('K-A1'::text), ('K-A2')$$,
                  'sroi.compliance(as_of) called by supplier A covers its own contracts only');
SELECT throws_ok($$SELECT * FROM sroi.contract_compliance$$, '42501', NULL::text,
                 'supplier A cannot read the monitoring views (every supplier''s figures)');

SELECT lives_ok($$INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
                  VALUES ('N1', '1995-05-05', 'participatiewet', current_date - 200)$$,
                'supplier A registers a candidate');
SELECT results_eq($$SELECT id, registered_by::text COLLATE "default" FROM sroi.candidate WHERE id = 'N1'$$,
                  $$VALUES ('N1'::text, 'tr_alfa_user'::text)$$,
                  'and sees it, registered by its own role');
SELECT throws_ok($$INSERT INTO sroi.candidate (id, birth_date, special_group) VALUES ('N2', '1995-05-05', true)$$,
                 '42501', 'permission denied for table candidate',
                 'supplier A cannot mark a candidate special_group (the coordinator recognises special groups)');
SELECT throws_ok($$INSERT INTO sroi.candidate (id, birth_date, registered_by) VALUES ('N3', '1995-05-05', 'tr_beta')$$,
                 '42501', 'permission denied for table candidate',
                 'supplier A cannot register a candidate in another role''s name');
SELECT lives_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('K-A1', 'A2', 'N1', 0.8, current_date - 10)$$,
                'supplier A enters an activity for its own contract');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                   VALUES ('K-B1', 'A2', 'N1', 0.1, current_date - 10)$$,
                 '42501', 'contract_id ''K-B1'' is not one of your contracts: tr_alfa_user cannot write activity rows for it',
                 'supplier A cannot enter an activity into supplier B''s contract (42501)');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K-B1', 'C10', '1900-01-01', -1)$$,
                 '42501', 'contract_id ''K-B1'' is not one of your contracts: tr_alfa_user cannot write activity rows for it',
                 'refused before validation: no message about supplier B''s contract terms');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours, status)
                   VALUES ('K-A1', 'C10', current_date, 5, 'approved')$$,
                 '42501', 'permission denied for table activity',
                 'supplier A cannot enter an activity as approved');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, eligibility_override)
                   VALUES ('K-A1', 'A1', 'P2', 0.1, current_date, 'because I say so')$$,
                 '42501', 'permission denied for table activity',
                 'supplier A cannot set an eligibility override');
SELECT throws_ok(format('UPDATE sroi.activity SET status = %L WHERE id = %s', 'approved', pg_temp.id('K-A1/C9')),
                 '42501', 'permission denied for table activity',
                 'supplier A cannot approve its own activity by UPDATE');
SELECT throws_ok(format('SELECT sroi.approve(%s, %L)', pg_temp.id('K-A1/C9'), 'Alfa'), '42501',
                 'only an SR coordinator can approve an activity: role tr_alfa_user is not a member of sroi_coordinator',
                 'supplier A cannot call sroi.approve on its own activity');
SELECT throws_ok(format('SELECT sroi.approve(%s, %L)', pg_temp.id('K-B1/C10'), 'Alfa'), '42501', NULL::text,
                 'nor on anyone else''s');
SELECT throws_ok(format('SELECT sroi.reject(%s, %L, %L)', pg_temp.id('K-B1/C10'), 'Alfa', 'competitor'), '42501',
                 'only an SR coordinator can reject an activity: role tr_alfa_user is not a member of sroi_coordinator',
                 'supplier A cannot reject supplier B''s activity');
SELECT throws_ok(format('SELECT sroi.override_eligibility(%s, %L, %L)', pg_temp.id('K-A1/P1'), 'Alfa', 'fine'), '42501',
                 'only an SR coordinator can override the eligibility of an activity: role tr_alfa_user is not a member of sroi_coordinator',
                 'supplier A cannot override eligibility');
SELECT throws_ok($$SELECT sroi.approve_pso('K-A1', 'Alfa')$$, '42501', NULL::text,
                 'supplier A cannot approve its own PSO discount');
SELECT throws_ok(format('DELETE FROM sroi.activity WHERE id = %s', pg_temp.id('K-A1/P1')), '42501',
                 'permission denied for table activity', 'supplier A cannot delete activities');
SELECT lives_ok(format('UPDATE sroi.activity SET fte = 0.4 WHERE id = %s', pg_temp.id('K-A1/P2')),
                'supplier A corrects its own activity while it is reported');
UPDATE sroi.activity SET evidence_ref = 'changed by A' WHERE contract_id = 'K-B1';
UPDATE sroi.candidate SET benefit_since = current_date - 100 WHERE id IN ('P1', 'P4');
SELECT lives_ok($$UPDATE sroi.candidate SET education = 'mbo2' WHERE id = 'N1'$$,
                'supplier A corrects a candidate it registered');
SELECT lives_ok($$INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
                  VALUES ('K-A1', sroi.quarter(current_date) OPERATOR(sroi.-) 1, current_date)$$,
                'supplier A submits a quarterly report for its own contract, dated today');
SELECT throws_ok($$INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
                   VALUES ('K-A2', sroi.quarter(current_date) OPERATOR(sroi.-) 1, current_date - 60)$$,
                 '42501', 'new row violates row-level security policy for table "quarter_report"',
                 'but cannot back-date one');
SELECT throws_ok($$INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
                   VALUES ('K-B1', sroi.quarter(current_date) OPERATOR(sroi.-) 1, current_date)$$,
                 '42501', NULL::text, 'nor submit one for supplier B''s contract');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM sroi.activity WHERE evidence_ref = 'changed by A'), 0,
          'as the owner: supplier A''s UPDATE of supplier B''s activities changed nothing');
SELECT results_eq($$SELECT id, benefit_since FROM sroi.candidate WHERE id IN ('P1', 'P4') ORDER BY id$$,
                  $$VALUES ('P1'::text, current_date - 500), ('P4', current_date - 500)$$,
                  'as the owner: candidates supplier A did not register are unchanged (P1 seen, P4 not even seen)');

-- ---------------------------------------------------------------------------
-- 2. The coordinator decides; the decision log is append-only.
-- ---------------------------------------------------------------------------
SET ROLE tr_coord;
SELECT is((SELECT count(*)::integer FROM sroi.activity), 11, 'the coordinator sees every activity');
SELECT lives_ok(format('SELECT sroi.approve(%s, %L, %L)', pg_temp.id('K-A1/C9'), 'coordinator Jansen', 'invoice checked'),
                'the coordinator approves supplier A''s C9 invoice');
SELECT lives_ok(format('SELECT sroi.override_eligibility(%s, %L, %L)', pg_temp.id('K-A1/W1'), 'coordinator Jansen',
                       'WW history checked with UWV'),
                'and overrides the eligibility of W1''s placement');
SELECT results_eq(
    $$SELECT kind, activity_id, contract_id, decided_by, recorded_by::text COLLATE "default", reason
        FROM sroi.decision ORDER BY id$$,
    format($$VALUES ('approve'::text, %s::bigint, 'K-A1'::text, 'coordinator Jansen'::text, %L::text, 'invoice checked'::text),
                    ('override_eligibility', %s, 'K-A1', 'coordinator Jansen', %L, 'WW history checked with UWV')$$,
           pg_temp.id('K-A1/C9'), session_user, pg_temp.id('K-A1/W1'), session_user),
    'both decisions are logged: who decided, the login that recorded it (SET ROLE does not change it), why');
SELECT throws_ok($$INSERT INTO sroi.decision (decided_by, kind, contract_id, reason)
                   VALUES ('coordinator Jansen', 'pso_approve', 'K-B1', 'forged')$$,
                 '42501', 'permission denied for table decision',
                 'the coordinator cannot write the decision log directly, only through the workflow');
SELECT throws_ok(format('UPDATE sroi.activity SET status = %L WHERE id = %s', 'reported', pg_temp.id('K-A1/C9')), '42501',
                 'permission denied for table activity',
                 'nor undo a decision by UPDATE: status changes only through the logged workflow');
SELECT throws_ok($$UPDATE sroi.contract SET penalty_waived_reason = 'forged' WHERE id = 'K-B1'$$, '42501',
                 'permission denied for table contract',
                 'nor waive a penalty without sroi.waive_penalty');
SELECT throws_ok($$UPDATE sroi.decision SET reason = 'rewritten'$$, '42501', 'permission denied for table decision',
                 'the coordinator cannot change a logged decision');
SELECT throws_ok($$DELETE FROM sroi.decision$$, '42501', 'permission denied for table decision',
                 'nor delete one');
SELECT throws_ok($$TRUNCATE sroi.decision$$, '42501', 'permission denied for table decision',
                 'nor truncate the log');
RESET ROLE;
SELECT throws_ok($$DELETE FROM sroi.decision$$, '23001', 'the decision log is append-only: DELETE is not allowed',
                 'even the owner cannot delete from the decision log (the append-only trigger)');

-- ---------------------------------------------------------------------------
-- 3. After the decision: supplier A cannot change the activity any more.
-- ---------------------------------------------------------------------------
SET ROLE tr_alfa_user;
SELECT throws_ok(format('UPDATE sroi.activity SET amount = 99999 WHERE id = %s', pg_temp.id('K-A1/C9')), '42501',
                 'new row violates row-level security policy for table "activity"',
                 'supplier A cannot change its activity after the coordinator approved it');
SELECT throws_ok(format('UPDATE sroi.activity SET fte = 0.9 WHERE id = %s', pg_temp.id('K-A1/W1')), '42501',
                 'new row violates row-level security policy for table "activity"',
                 'nor after the coordinator overrode its eligibility');
SELECT results_eq($$SELECT kind FROM sroi.decision ORDER BY id$$, $$VALUES ('approve'::text), ('override_eligibility')$$,
                  'supplier A reads the decisions on its own contracts');
RESET ROLE;
SELECT results_eq(format('SELECT amount, status FROM sroi.activity WHERE id = %s', pg_temp.id('K-A1/C9')),
                  $$VALUES (1000::numeric, 'approved'::text)$$,
                  'as the owner: the approved activity is unchanged');

-- ---------------------------------------------------------------------------
-- 4. Supplier Beta BV, and no double counting across suppliers.
-- ---------------------------------------------------------------------------
SET ROLE tr_beta;
SELECT results_eq($$SELECT id FROM sroi.contract ORDER BY id$$, $$VALUES ('K-B1'::text), ('K-B2')$$,
                  'supplier B sees its own two contracts only');
SELECT is((SELECT count(*)::integer FROM sroi.activity), 3, 'and their 3 activities');
SELECT results_eq($$SELECT id FROM sroi.candidate ORDER BY id$$, $$VALUES ('P4'::text), ('P5')$$,
                  'and the candidates placed on them: not N1, registered by supplier A');
SELECT is_empty($$SELECT * FROM sroi.decision$$, 'supplier B reads none of the decisions on supplier A''s contracts');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                   VALUES ('K-B1', 'A2', 'P1', 0.5, current_date - 100)$$,
                 '23503', 'candidate_id ''P1'' is not a candidate you registered or placed',
                 'supplier B cannot place P1, a candidate it neither registered nor has placed: placing would open their personal data');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                   VALUES ('K-B1', 'A2', 'NO-SUCH-ID', 0.5, current_date - 100)$$,
                 '23503', 'candidate_id ''NO-SUCH-ID'' is not a candidate you registered or placed',
                 'the same words for an id that does not exist: no oracle of which ids exist');
RESET ROLE;
SET ROLE tr_coord;
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                   VALUES ('K-B1', 'A2', 'P1', 0.6, current_date - 100)$$,
                 '23514',
                 format('fte 0.6 of candidate P1 from %s would take the person over 1 fte: other activities already count for them in that period', current_date - 100),
                 'the coordinator cannot place P1 at 0.6 fte on supplier B''s contract while supplier A has them at 0.5: the double-counting check sees every supplier (23514)');
-- P1 on K-A1 at 0.5 from current_date - 300, ongoing: on current_date - 100, 0.5 + 0.6 = 1.1
SELECT is(pg_temp.detail_of($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                              VALUES ('K-B1', 'A2', 'P1', 0.6, current_date - 100)$$),
          format('On %s their fte would total 1.1.', current_date - 100),
          'the coordinator, who reads every placement, gets the day and the total in the detail (domain.md 7.4)');
SELECT lives_ok($$INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('K-B1', 'A2', 'P1', 0.5, current_date - 100)$$,
                'at 0.5 fte (1 in total) the coordinator places P1 on supplier B''s contract');
RESET ROLE;
SET ROLE tr_beta;
SELECT results_eq($$SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = 'P1'$$,
                  $$VALUES ('K-B1'::text, 0.5::numeric)$$,
                  'supplier B then sees P1 and its own placement of P1, not supplier A''s');
UPDATE sroi.candidate SET benefit = 'none', benefit_since = NULL WHERE id = 'P1';
RESET ROLE;
SELECT is((SELECT benefit FROM sroi.candidate WHERE id = 'P1'), 'participatiewet',
          'as the owner: supplier B could not change the facts of P1, which it did not register');

-- ---------------------------------------------------------------------------
-- 5. A coordinator who also acts for supplier Alfa BV.
-- ---------------------------------------------------------------------------
SET ROLE tr_coord_alfa;
SELECT throws_ok(format('SELECT sroi.approve(%s, %L)', pg_temp.id('K-A1/P3'), 'coordinator Alfa'), '42501',
                 format('role tr_coord_alfa acts for supplier Alfa BV and cannot approve its activity %s', pg_temp.id('K-A1/P3')),
                 'a coordinator who acts for supplier A cannot approve supplier A''s activities');
SELECT throws_ok(format('UPDATE sroi.activity SET status = %L WHERE id = %s', 'rejected', pg_temp.id('K-A1/P3')), '42501',
                 'permission denied for table activity',
                 'nor decide on them by UPDATE (no role but the owner has the status column)');
SELECT throws_ok($$UPDATE sroi.contract SET supplier = 'Gamma BV' WHERE id = 'K-A2'$$, '42501',
                 'role tr_coord_alfa acts for supplier Alfa BV and cannot move contract K-A2 between suppliers',
                 'nor move supplier A''s contract away (to decide on it and move it back)');
SELECT throws_ok($$SELECT sroi.approve_pso('K-A2', 'coordinator Alfa')$$, '42501',
                 'role tr_coord_alfa acts for supplier Alfa BV and cannot approve the PSO discount of its contract K-A2',
                 'nor approve the PSO discount of supplier A''s contract');
SELECT lives_ok(format('SELECT sroi.approve(%s, %L)', pg_temp.id('K-B1/C10'), 'coordinator Alfa'),
                'but approves supplier B''s activity');
RESET ROLE;
SELECT results_eq($$SELECT kind, contract_id, recorded_by::text COLLATE "default" FROM sroi.decision ORDER BY id$$,
                  format($$VALUES ('approve'::text, 'K-A1'::text, %1$L::text), ('override_eligibility', 'K-A1', %1$L),
                                  ('approve', 'K-B1', %1$L)$$, session_user),
                  'as the owner: the log holds exactly the three decisions made');

-- ---------------------------------------------------------------------------
-- 6. Suppliers and managers without a scope see nothing.
-- ---------------------------------------------------------------------------
CREATE ROLE tr_nobody NOLOGIN IN ROLE sroi_supplier, sroi_contract_manager;
SET ROLE tr_nobody;
SELECT is((SELECT count(*)::integer FROM sroi.contract) + (SELECT count(*)::integer FROM sroi.activity)
          + (SELECT count(*)::integer FROM sroi.candidate) + (SELECT count(*)::integer FROM sroi.decision)
          + (SELECT count(*)::integer FROM sroi.plan) + (SELECT count(*)::integer FROM sroi.role_scope), 0,
          'a supplier or manager role without a role_scope row sees no row');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
