-- The SR coordinator's decisions (domain.md 3, 4, 5; api.md approve, reject,
-- override_eligibility): refused calls raise class 23 errors with exact messages
-- and change nothing; every decision is logged in sroi.decision with who, when
-- and why; the log is append-only.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(46);

-- Fixture -------------------------------------------------------------------
-- K1: Diemen, term 2025-01-01..2026-12-31, value EUR 1,000,000, on duoplus-2024.
-- KP: Ouder-Amstel, same term, supplier on PSO rung 2 (not yet approved).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           tendered_on, awarded_on, starts_on, ends_on, pso_rung)
VALUES ('K1', 'Diemen', 'Bouwbedrijf Amstel BV', 'Renovatie gemeentehuis', 1000000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31', 'none'),
       ('KP', 'Ouder-Amstel', 'Schoonmaak Zuid BV', 'Schoonmaak gemeentelijke gebouwen', 600000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31', '2');

-- W-PW: Participatiewet since 2024-06-01 (A2 throughout 2025).
-- W-FIX: Participatiewet since 2024-06-01 too; its benefit_since is corrected later.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES
    ('W-PW',  '1985-03-15', 'participatiewet', '2024-06-01'),
    ('W-FIX', '1979-11-02', 'participatiewet', '2024-06-01');

-- Activities on K1, told apart by evidence_ref.
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, hours, amount, evidence_ref) VALUES
    ('K1', 'C9',  NULL,    NULL, '2025-03-01', NULL,         NULL, 2500, 'W-C9'),   -- SR fund invoice
    ('K1', 'C10', NULL,    NULL, '2025-04-15', NULL,         12,   NULL, 'W-C10'),  -- 12 guest-lesson hours
    ('K1', 'A2',  'W-PW',  0.5,  '2025-02-01', '2025-12-31', NULL, NULL, 'W-A2'),   -- 0.5 fte placement
    ('K1', 'A2',  'W-FIX', 1,    '2025-02-01', NULL,         NULL, NULL, 'W-FIX');  -- ongoing placement

CREATE TEMP TABLE w AS SELECT evidence_ref AS ref, id FROM sroi.activity;

-- Refused calls ---------------------------------------------------------------------
SELECT throws_ok($$SELECT sroi.approve(999999, 'coordinator De Vries')$$,
    '23503', 'activity_id 999999 does not exist', 'approve of a non-existent activity is refused');
SELECT throws_ok($$SELECT sroi.reject(999999, 'coordinator De Vries', 'no evidence')$$,
    '23503', 'activity_id 999999 does not exist', 'reject of a non-existent activity is refused');
SELECT throws_ok($$SELECT sroi.override_eligibility(999999, 'coordinator De Vries', 'counts anyway')$$,
    '23503', 'activity_id 999999 does not exist', 'override of a non-existent activity is refused');

SELECT throws_ok(format($$SELECT sroi.reject(%s, 'coordinator De Vries', NULL)$$, (SELECT id FROM w WHERE ref = 'W-C10')),
    '23502', 'reason is required to reject activity ' || (SELECT id FROM w WHERE ref = 'W-C10'),
    'reject without a reason is refused');
SELECT throws_ok(format($$SELECT sroi.reject(%s, 'coordinator De Vries', '   ')$$, (SELECT id FROM w WHERE ref = 'W-C10')),
    '23502', 'reason is required to reject activity ' || (SELECT id FROM w WHERE ref = 'W-C10'),
    'reject with a blank reason is refused');
SELECT throws_ok(format($$SELECT sroi.override_eligibility(%s, 'coordinator De Vries', NULL)$$, (SELECT id FROM w WHERE ref = 'W-A2')),
    '23502', 'reason is required to override the eligibility of activity ' || (SELECT id FROM w WHERE ref = 'W-A2'),
    'override without a reason is refused');
SELECT throws_ok(format($$SELECT sroi.approve(%s, '')$$, (SELECT id FROM w WHERE ref = 'W-C9')),
    '23502', 'decided_by is required: who made the decision',
    'approve with an empty decided_by is refused');
SELECT throws_ok(format($$SELECT sroi.reject(%s, NULL, 'no evidence')$$, (SELECT id FROM w WHERE ref = 'W-C10')),
    '23502', 'decided_by is required: who made the decision',
    'reject with decided_by NULL is refused');
SELECT throws_ok($$SELECT sroi.approve_pso('KP', ' ')$$,
    '23502', 'decided_by is required: who made the decision',
    'approve_pso with a blank decided_by is refused');

SELECT is((SELECT count(*) FROM sroi.decision), 0::bigint, 'refused calls: nothing logged');
SELECT is((SELECT string_agg(status || '/' || coalesce(eligibility_override, '-'), ',' ORDER BY id) FROM sroi.activity),
    'reported/-,reported/-,reported/-,reported/-', 'refused calls: no activity changed');
SELECT is((SELECT pso_approved FROM sroi.contract WHERE id = 'KP'), false, 'refused calls: PSO not approved');

-- Who, when and why: approve ------------------------------------------------------------
SELECT lives_ok(format($$SELECT sroi.approve(%s, 'coordinator De Vries', 'invoice of the SR fund checked')$$,
                       (SELECT id FROM w WHERE ref = 'W-C9')),
    'approve of the C9 invoice');
SELECT is((SELECT status FROM sroi.activity WHERE evidence_ref = 'W-C9'), 'approved', 'approve: status approved');
SELECT is((SELECT format('%s | %s | %s | %s | now %s | by %s', kind, contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE activity_id = (SELECT id FROM w WHERE ref = 'W-C9')),
    'approve | K1 | coordinator De Vries | invoice of the SR fund checked | now t | by t',
    'approve: logged with who, when and why');

-- reject
SELECT lives_ok(format($$SELECT sroi.reject(%s, 'coordinator De Vries', 'travel time included in the hours')$$,
                       (SELECT id FROM w WHERE ref = 'W-C10')),
    'reject of the C10 hours');
SELECT is((SELECT status FROM sroi.activity WHERE evidence_ref = 'W-C10'), 'rejected', 'reject: status rejected');
SELECT is((SELECT format('%s | %s | %s | %s | now %s | by %s', kind, contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE activity_id = (SELECT id FROM w WHERE ref = 'W-C10')),
    'reject | K1 | coordinator De Vries | travel time included in the hours | now t | by t',
    'reject: logged with who, when and why');

-- override
SELECT lives_ok(format($$SELECT sroi.override_eligibility(%s, 'coordinator Bakker', 'benefit started earlier, letter on file')$$,
                       (SELECT id FROM w WHERE ref = 'W-A2')),
    'override of the A2 placement');
SELECT is((SELECT eligibility_override FROM sroi.activity WHERE evidence_ref = 'W-A2'),
    'benefit started earlier, letter on file', 'override: reason stored on the activity');
SELECT is((SELECT format('%s | %s | %s | %s | now %s | by %s', kind, contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE activity_id = (SELECT id FROM w WHERE ref = 'W-A2')),
    'override_eligibility | K1 | coordinator Bakker | benefit started earlier, letter on file | now t | by t',
    'override: logged with who, when and why');

-- A correction of the candidate's facts after the placement was entered that would
-- make it no longer fit its block is refused (domain.md 7.11): W-FIX since 2022-01-01
-- is on benefit 37 months at the 2025-02-01 start, so A1, not A2, would apply.
-- The coordinator rejects it first (a rejected row never counts); then the facts may change.
SELECT throws_ok($$UPDATE sroi.candidate SET benefit_since = '2022-01-01' WHERE id = 'W-FIX'$$,
    '23514', format('candidate W-FIX cannot change: activity %s would no longer be eligible for block A2: is on benefit since 2022-01-01, 24 months or more at the start (block A1 applies)',
                    (SELECT id FROM w WHERE ref = 'W-FIX')),
    'a candidate change that would make a counted placement ineligible is refused');
SELECT is((SELECT benefit_since FROM sroi.candidate WHERE id = 'W-FIX'), '2024-06-01'::date, 'refused change: benefit_since unchanged');
SELECT lives_ok(format($$SELECT sroi.reject(%s, 'coordinator Bakker', 'wrong block: A1 applies')$$, (SELECT id FROM w WHERE ref = 'W-FIX')),
    'the coordinator rejects the placement');
SELECT is((SELECT status FROM sroi.activity WHERE evidence_ref = 'W-FIX'), 'rejected', 'that reject: status rejected');
SELECT lives_ok($$UPDATE sroi.candidate SET benefit_since = '2022-01-01' WHERE id = 'W-FIX'$$,
    'once the placement is rejected the candidate''s facts may be corrected');

-- approve_pso, withdraw_pso
SELECT lives_ok($$SELECT sroi.approve_pso('KP', 'coordinator Bakker', 'PSO certificate rung 2 checked')$$,
    'approve_pso of KP');
SELECT is((SELECT pso_approved FROM sroi.contract WHERE id = 'KP'), true, 'approve_pso: pso_approved');
SELECT is((SELECT format('%s | %s | %s | now %s | by %s', contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE kind = 'pso_approve'),
    'KP | coordinator Bakker | PSO certificate rung 2 checked | now t | by t',
    'approve_pso: logged with who, when and why');

SELECT lives_ok($$SELECT sroi.withdraw_pso('KP', 'coordinator De Vries', 'certificate expired on 2025-06-30')$$,
    'withdraw_pso of KP');
SELECT is((SELECT pso_approved FROM sroi.contract WHERE id = 'KP'), false, 'withdraw_pso: pso_approved false');
SELECT is((SELECT format('%s | %s | %s | now %s | by %s', contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE kind = 'pso_withdraw'),
    'KP | coordinator De Vries | certificate expired on 2025-06-30 | now t | by t',
    'withdraw_pso: logged with who, when and why');

-- Exemption and penalty waiver: the coordinator's decisions through sroi.exempt and
-- sroi.waive_penalty (no role but the owner writes those columns).
SELECT lives_ok(
    $$INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
      VALUES ('KE', 'Diemen', 'Software BV', 'Licenties', 400000, '2024-12-01', '2025-01-01', '2026-12-31')$$,
    'a contract to exempt');
SELECT lives_ok($$SELECT sroi.exempt('KE', 'coordinator Bakker', 'licences only, no labour component')$$,
    'exempt KE');
SELECT is((SELECT format('%s %s', obligation_pct, exemption_reason) FROM sroi.contract WHERE id = 'KE'),
    '0 licences only, no labour component', 'exempt: obligation_pct 0 with the reason');
SELECT is((SELECT format('%s | %s | %s | now %s | by %s', contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE kind = 'exemption'),
    'KE | coordinator Bakker | licences only, no labour component | now t | by t',
    'exemption: logged with who, when and why');

SELECT lives_ok(
    $$SELECT sroi.waive_penalty('K1', 'coordinator De Vries', 'force majeure: site closed by flooding')$$,
    'a penalty waiver on K1');
SELECT is((SELECT format('%s | %s | %s | now %s | by %s', contract_id, decided_by, reason,
                         decided_at = now(), recorded_by = current_user)
             FROM sroi.decision WHERE kind = 'penalty_waiver'),
    'K1 | coordinator De Vries | force majeure: site closed by flooding | now t | by t',
    'penalty waiver: logged with who, when and why');

SELECT is((SELECT string_agg(kind, ',' ORDER BY id) FROM sroi.decision),
    'approve,reject,override_eligibility,reject,pso_approve,pso_withdraw,exemption,penalty_waiver',
    'the log holds every decision, in order');

-- The log is append-only ---------------------------------------------------------------
SELECT throws_ok($$UPDATE sroi.decision SET reason = 'changed afterwards' WHERE kind = 'reject'$$,
    '23001', 'the decision log is append-only: UPDATE is not allowed', 'UPDATE of the decision log is refused');
SELECT is((SELECT count(*) FROM sroi.decision WHERE reason = 'changed afterwards'), 0::bigint, 'UPDATE: nothing changed');
SELECT throws_ok($$DELETE FROM sroi.decision WHERE kind = 'approve'$$,
    '23001', 'the decision log is append-only: DELETE is not allowed', 'DELETE from the decision log is refused');
SELECT is((SELECT count(*) FROM sroi.decision), 8::bigint, 'DELETE: all 8 decisions still there');
SELECT throws_ok($$TRUNCATE sroi.decision$$,
    '23001', 'the decision log is append-only: TRUNCATE is not allowed', 'TRUNCATE of the decision log is refused');
SELECT is((SELECT count(*) FROM sroi.decision), 8::bigint, 'TRUNCATE: all 8 decisions still there');

-- Undoing a decision is a decision too: only the owner can set status by hand, and
-- even then the reset is logged (W-C10 was rejected above; decided by the login).
UPDATE sroi.activity SET status = 'reported' WHERE evidence_ref = 'W-C10';
SELECT is((SELECT format('%s | %s | %s', kind, decided_by, reason) FROM sroi.decision
            WHERE activity_id = (SELECT id FROM w WHERE ref = 'W-C10') ORDER BY id DESC LIMIT 1),
          format('reset | %s | status rejected -> reported', session_user),
          'a rejection undone back to reported is logged as reset, with the old and new status');

SELECT * FROM finish();
ROLLBACK;
