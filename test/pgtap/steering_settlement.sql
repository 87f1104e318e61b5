-- Settlement, freeze and successes (domain.md 6.5, 6.6; api.md "Steering and closing":
-- sroi.settle, sroi.reopen, sroi.settlements, contract_compliance.settled,
-- sroi.successes, overdue item settlement_due).  Every figure is computed by hand in
-- the comments.  "today" is sroi.today(): the contracts whose settlement date matters
-- are dated from it.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(95);

-- Roles (transactional: the rollback removes them).
CREATE ROLE ts_coord NOLOGIN IN ROLE sroi_coordinator;
CREATE ROLE ts_coord_alfa NOLOGIN IN ROLE sroi_coordinator;
CREATE ROLE ts_manager NOLOGIN IN ROLE sroi_contract_manager;
CREATE ROLE ts_alfa NOLOGIN IN ROLE sroi_supplier;
CREATE ROLE ts_reader NOLOGIN IN ROLE sroi_reader;
INSERT INTO sroi.role_scope (role_name, municipality, supplier) VALUES
    ('ts_manager', 'Diemen', NULL), ('ts_alfa', NULL, 'Alfa BV'), ('ts_coord_alfa', NULL, 'Alfa BV');

-- Fixture -------------------------------------------------------------------
-- Every contract but K-RUN, K-ENDED-Y, K-ENDS-T and the K-DUEDAY ones runs 2025-01-01 to
-- 2025-12-31 on duoplus-2024 (awarded 2024-11-01): ended, and the report for 2025-Q4
-- was due on 2025-12-31 + 30 = 2026-01-30, so they can be settled today.
-- K1, K2: value 1,000,000 > 200,000: obligation 5 % = 50,000.00.  The others 300,000:
-- obligation 5 % = 15,000.00.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           penalty_pct, kickoff_on)
SELECT id, 'Diemen', supplier, 'settlement test ' || id, value, '2024-11-01', '2025-01-01', '2025-12-31', pct, '2024-11-10'
  FROM (VALUES ('K1', 'Alfa BV', 1000000, 50), ('K2', 'Beta BV', 1000000, 100),
               ('K-EARLY', 'Gamma BV', 300000, 100), ('K-EARLY2', 'Gamma BV', 300000, 100),
               ('K-EXC', 'Gamma BV', 300000, 100), ('K-BOTH', 'Gamma BV', 300000, 100),
               ('K-NOT', 'Gamma BV', 300000, 100)) AS k (id, supplier, value, pct);
-- K-DUE ends 2025-06-30: settlement due 90 days later, on 2025-06-30 + 90 = 2025-09-28.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('K-DUE', 'Diemen', 'Gamma BV', 'settlement due', 300000, '2024-11-01', '2025-01-01', '2025-06-30', '2024-11-10');
-- Dated from today: K-RUN runs until today + 300; K-ENDED-Y ended yesterday; K-ENDS-T ends today.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('K-RUN', 'Diemen', 'Gamma BV', 'running', 300000, sroi.today() - 420, sroi.today() - 400, sroi.today() + 300),
       ('K-ENDED-Y', 'Diemen', 'Gamma BV', 'ended yesterday', 300000, sroi.today() - 420, sroi.today() - 400, sroi.today() - 1),
       ('K-ENDS-T', 'Diemen', 'Gamma BV', 'ends today', 300000, sroi.today() - 420, sroi.today() - 400, sroi.today());
-- K-DUEDAY ends today - 100; two cards of its own set the report due days so that the
-- report for its last quarter is due today (ts-due-0) and tomorrow (ts-due-1):
-- quarter_end(quarter(today - 100)) + d = today.
INSERT INTO sroi.rate_card (code, valid_from, description, report_due_days)
SELECT 'ts-due-' || n, date '2000-01-01' + n, 'settlement test card',
       sroi.today() - sroi.quarter_end(sroi.quarter(sroi.today() - 100)) + n
  FROM generate_series(0, 1) AS n;
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct) VALUES ('ts-due-0', 'none', 0), ('ts-due-1', 'none', 0);
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, rate_card)
VALUES ('K-DUEDAY', 'Diemen', 'Gamma BV', 'report due today', 300000, sroi.today() - 420, sroi.today() - 400,
        sroi.today() - 100, 'ts-due-0'),
       ('K-DUEDAY1', 'Diemen', 'Gamma BV', 'report due tomorrow', 300000, sroi.today() - 420, sroi.today() - 400,
        sroi.today() - 100, 'ts-due-1');

-- ts-old: 65 at 2025-01-01, Participatiewet since 2024-06-01 (under 24 months: A2; 56+: bonus 12).
-- ts-b: Participatiewet since 2020-01-01 (target group: B7P).
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES
    ('ts-old', '1960-01-01', 'participatiewet', '2024-06-01'),
    ('ts-b', '1990-05-05', 'participatiewet', '2020-01-01');

-- K1: A = 40,000 x 0.5 fte x M(2025-01-01, 2025-06-30) = 6 / 12 = 10,000.00
--     bonus 12 = 5,000 x 0.5 x 6 / 12 = 1,250.00
--     B = B7P agreement 2025-03-01..2025-08-31, all of it inside the term = 10,000.00
--     C = C10 20 h x 100 = 2,000.00 + C9 3,000.00 (approved) = 5,000.00
--     pending: C11 1,200.00 (not approved)
--     realised = 10,000 + 10,000 + 5,000 + 1,250 = 26,250.00; gap = 50,000 - 26,250 = 23,750.00
--     penalty 50 %: 23,750 x 0.5 = 11,875.00; persons: ts-old, ts-b = 2.
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours, amount,
                           bonus_56plus, evidence_ref) VALUES
    ('K1', 'A2',  'ts-old', 0.5, '2025-01-01', '2025-06-30', NULL,         NULL, NULL, true,  'K1-A2'),
    ('K1', 'B7P', 'ts-b',   NULL, '2025-03-01', '2025-08-31', '2025-08-31', NULL, NULL, false, 'K1-B7P'),
    ('K1', 'C10', NULL,     NULL, '2025-04-15', NULL,         NULL,         20,   NULL, false, 'K1-C10'),
    ('K1', 'C9',  NULL,     NULL, '2025-05-01', NULL,         NULL,         NULL, 3000, false, 'K1-C9'),
    ('K1', 'C11', NULL,     NULL, '2025-10-01', NULL,         NULL,         NULL, 1200, false, 'K1-C11');
DO $$ BEGIN PERFORM sroi.approve(id, 'coordinator Jansen', 'invoice checked') FROM sroi.activity WHERE evidence_ref = 'K1-C9'; END $$;
-- K2: C10 40 h = 4,000.00; gap 50,000 - 4,000 = 46,000.00, penalty 100 % = 46,000.00 unless waived.
-- The successes, all C10 hours (100 each), obligation 15,000.00, 110 % of it 16,500.00:
--   K-EARLY  160 h on 2025-05-10 = 16,000.00 (106.7 %): reached in 2025-Q2, before the end: early
--   K-EARLY2 150 h on 2025-12-30 = 15,000.00 (100.0 %): reached the day before the end date: early, 2025-Q4
--   K-EXC    165 h on 2025-12-31 = 16,500.00 (110.0 %): reached on the end date, not before; 110 %: exceeded
--   K-BOTH   200 h on 2025-03-01 = 20,000.00 (133.3 %): both: early wins, 2025-Q1
--   K-NOT    164 h on 2025-12-31 = 16,400.00 (109.3 %): on the end date and below 110 %: no success
--   K-RUN    160 h on today - 10 = 16,000.00 (106.7 %): running, already fulfilled: early
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES
    ('K2', 'C10', '2025-04-01', 40, 'K2-C10'),
    ('K-EARLY', 'C10', '2025-05-10', 160, 'K-EARLY'),
    ('K-EARLY2', 'C10', '2025-12-30', 150, 'K-EARLY2'),
    ('K-EXC', 'C10', '2025-12-31', 165, 'K-EXC'),
    ('K-BOTH', 'C10', '2025-03-01', 200, 'K-BOTH'),
    ('K-NOT', 'C10', '2025-12-31', 164, 'K-NOT'),
    ('K-RUN', 'C10', sroi.today() - 10, 160, 'K-RUN');
-- K1's plan, turnover, phasing and report for the freeze.
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('K1', '2025-Q1', 'A2', 10000);
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('K1', '2025-Q1', 250000);
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('K1', '2025-01-01', 0.5);
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K1', '2025-Q4', '2026-01-20');

-- 1. Who may settle and reopen ------------------------------------------------
SET ROLE ts_alfa;
SELECT throws_ok($$SELECT sroi.settle('K1', 'Alfa', 'we did well')$$, '42501',
    'only an SR coordinator can settle a contract: role ts_alfa is not a member of sroi_coordinator',
    'a supplier cannot settle its own contract (42501)');
SELECT throws_ok($$SELECT sroi.settle('NO-SUCH', 'Alfa', 'x')$$, '42501',
    'only an SR coordinator can settle a contract: role ts_alfa is not a member of sroi_coordinator',
    'the same words for a contract that does not exist: the error reveals nothing');
RESET ROLE;
SET ROLE ts_manager;
SELECT throws_ok($$SELECT sroi.settle('K1', 'manager', 'done')$$, '42501',
    'only an SR coordinator can settle a contract: role ts_manager is not a member of sroi_coordinator',
    'a contract manager cannot settle (42501)');
SELECT throws_ok($$SELECT sroi.reopen('K1', 'manager', 'mistake')$$, '42501',
    'only an SR coordinator can reopen a contract: role ts_manager is not a member of sroi_coordinator',
    'nor reopen (42501)');
RESET ROLE;
SET ROLE ts_coord_alfa;
SELECT throws_ok($$SELECT sroi.settle('K1', 'coordinator', 'done')$$, '42501',
    'role ts_coord_alfa acts for supplier Alfa BV and cannot settle its contract K1',
    'a coordinator acting for the contract''s supplier cannot settle it (42501)');
RESET ROLE;
SELECT is((SELECT count(*) FROM sroi.settlement), 0::bigint, 'refused calls: nothing settled');

-- 2. Bad calls -----------------------------------------------------------------
SELECT throws_ok($$SELECT sroi.settle('K1', ' ', 'fine')$$, '23502', 'decided_by is required: who made the decision',
    'settle without decided_by is refused (23502)');
SELECT throws_ok($$SELECT sroi.settle('K1', 'coordinator Jansen', '  ')$$, '23502',
    'evaluation is required to settle contract K1: the final evaluation (guideline 6.7)',
    'settle without an evaluation is refused (23502)');
SELECT throws_ok($$SELECT sroi.settle('NO-SUCH', 'coordinator Jansen', 'x')$$, '23503',
    'contract_id ''NO-SUCH'' does not exist', 'settle of a contract that does not exist: 23503');
SELECT throws_ok($$SELECT sroi.reopen('K-NOT', 'coordinator Jansen', 'x')$$, '23503',
    'contract K-NOT is not settled: there is nothing to reopen', 'reopen of a contract not settled: 23503');

-- 3. When a contract can be settled (domain.md 6.5) -------------------------------
-- K-ENDS-T ends today, its report for today's quarter submitted today: possible from
-- max(today + 1, min(due, today)) = today + 1: one day too early.
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K-ENDS-T', sroi.quarter(sroi.today()), sroi.today());
SELECT throws_ok($$SELECT sroi.settle('K-ENDS-T', 'coordinator Jansen', 'x')$$, '23514',
    format('contract K-ENDS-T can be settled from %s, not on %s: its term ends on %s and the report for its last quarter %s is due on %s',
           sroi.today() + 1, sroi.today(), sroi.today(), sroi.quarter(sroi.today()), sroi.quarter_end(sroi.quarter(sroi.today())) + 30),
    'a contract ending today cannot be settled today: the error names tomorrow');
SELECT is(sroi.settlement_possible_from('K-ENDS-T'), sroi.today() + 1, 'settlement_possible_from(K-ENDS-T) = tomorrow');
-- K-ENDED-Y ended yesterday; its last report (the quarter of yesterday) is due on that
-- quarter's end + 30, after today: refused, naming the due date.
SELECT throws_ok($$SELECT sroi.settle('K-ENDED-Y', 'coordinator Jansen', 'x')$$, '23514',
    format('contract K-ENDED-Y can be settled from %s, not on %s: the report for its last quarter %s is due on %s and was not submitted',
           sroi.quarter_end(sroi.quarter(sroi.today() - 1)) + 30, sroi.today(), sroi.quarter(sroi.today() - 1),
           sroi.quarter_end(sroi.quarter(sroi.today() - 1)) + 30),
    'ended, but the last report neither due nor submitted: refused, naming the due date');
-- submitted today: possible from max(today, min(due, today)) = today: settled on the day
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K-ENDED-Y', sroi.quarter(sroi.today() - 1), sroi.today());
SELECT lives_ok($$SELECT sroi.settle('K-ENDED-Y', 'coordinator Jansen', 'closed on the day its report came in')$$,
    'the last report submitted today: settled today');
-- K-DUEDAY1: last report due tomorrow (card ts-due-1), none submitted: one day too early.
SELECT throws_ok($$SELECT sroi.settle('K-DUEDAY1', 'coordinator Jansen', 'x')$$, '23514',
    format('contract K-DUEDAY1 can be settled from %s, not on %s: the report for its last quarter %s is due on %s and was not submitted',
           sroi.today() + 1, sroi.today(), sroi.quarter(sroi.today() - 100), sroi.today() + 1),
    'the last report due tomorrow: refused one day too early, naming tomorrow');
-- K-DUEDAY: the last report is due today (card ts-due-0): settled on the due date.
SELECT lives_ok($$SELECT sroi.settle('K-DUEDAY', 'coordinator Jansen', 'report never came; settled on its due date')$$,
    'the last report due today, not submitted: settled on the due date');
SELECT is((SELECT string_agg(contract_id || ' ' || (settled_on = sroi.today()), ', ' ORDER BY contract_id) FROM sroi.settlement),
    'K-DUEDAY true, K-ENDED-Y true', 'only the two allowed settlements are stored, dated today');

-- Under monthly reporting (domain.md 6.3) the last report is the last month's (6.5).
-- K-MON0 and K-MON1 end on E = the 11th day of the first month of the quarter two
-- quarters before today's, and report monthly from that month: the last quarter's only
-- month in their term is E's month, so its monthly report is the one they wait for
-- (no quarterly report: every month of the quarter in the term is reported monthly).
-- Cards of their own set the due days so that it is due today (ts-mon-0) and tomorrow
-- (ts-mon-1): month_end(E) + d = today.  Due by the quarter's end instead, it would be
-- due quarter_end(quarter(E)) + d = two months (61 days or more) after today.
INSERT INTO sroi.rate_card (code, valid_from, description, report_due_days)
SELECT 'ts-mon-' || n, date '2001-01-01' + n, 'settlement test card',
       sroi.today() + n - ((date_trunc('month', e) + interval '1 month')::date - 1)
  FROM generate_series(0, 1) AS n,
       LATERAL (SELECT (date_trunc('quarter', sroi.today()) - interval '6 months')::date + 10 AS e) AS x;
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct) VALUES ('ts-mon-0', 'none', 0), ('ts-mon-1', 'none', 0);
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, rate_card)
SELECT 'K-MON' || n, 'Diemen', 'Gamma BV', 'reports monthly', 300000, e - 420, e - 400, e, 'ts-mon-' || n
  FROM generate_series(0, 1) AS n,
       LATERAL (SELECT (date_trunc('quarter', sroi.today()) - interval '6 months')::date + 10 AS e) AS x;
SELECT sroi.set_reporting(k.id, 'monthly', date_trunc('month', k.ends_on)::date, 'coordinator Jansen', 'intensified')
  FROM sroi.contract AS k WHERE k.id IN ('K-MON0', 'K-MON1');
SELECT is((SELECT format('%s %s %s', r.frequency, r.period_start = date_trunc('month', k.ends_on), r.due_on = sroi.today() + 1)
             FROM sroi.contract AS k, sroi.settlement_reports(k.id) AS r WHERE k.id = 'K-MON1'),
    'monthly t t', 'K-MON1 waits for one report: its last month''s, due tomorrow');
SELECT is(sroi.settlement_possible_from('K-MON0'), sroi.today(),
    'K-MON0: its last month''s report is due today: it can be settled today (not two months later)');
SELECT throws_ok($$SELECT sroi.settle('K-MON1', 'coordinator Jansen', 'x')$$, '23514',
    format('contract K-MON1 can be settled from %s, not on %s: the monthly report for %s of its last quarter %s is due on %s and was not submitted',
           sroi.today() + 1, sroi.today(), to_char(date_trunc('quarter', sroi.today()) - interval '6 months', 'YYYY-MM'),
           sroi.quarter((date_trunc('quarter', sroi.today()) - interval '6 months')::date), sroi.today() + 1),
    'K-MON1: its last month''s report due tomorrow: refused, naming the monthly report and its due date');
-- submitted today: possible from max(E + 1, min(today + 1, today)) = today
INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
SELECT k.id, date_trunc('month', k.ends_on), (date_trunc('month', k.ends_on) + interval '1 month')::date - 1, sroi.today()
  FROM sroi.contract AS k WHERE k.id = 'K-MON1';
SELECT is(sroi.settlement_possible_from('K-MON1'), sroi.today(),
    'K-MON1''s last monthly report submitted today: it can be settled today');

-- 4. Settling K1 as the coordinator: the figures as of the end date ---------------
SELECT is((SELECT penalty_exposure FROM sroi.compliance(sroi.today()) WHERE contract_id = 'K1'), 11875.00,
    'before: K1''s penalty exposure is 23,750.00 x 50 % = 11,875.00');
SET ROLE ts_coord;
SELECT lives_ok($$SELECT sroi.settle('K1', 'coordinator Jansen', 'Half the obligation delivered; penalty applies.')$$,
    'the coordinator settles K1');
RESET ROLE;
SELECT is((SELECT format('%s %s %s %s %s %s %s %s %s %s %s %s %s %s', obligation, realised, realised_a, realised_b,
                         realised_c, realised_bonus, pending, gap, penalty_due, penalty_waived, persons,
                         settled_on = sroi.today(), settled_by, evaluation)
             FROM sroi.settlement WHERE contract_id = 'K1'),
    '50000.00 26250.00 10000.00 10000.00 5000.00 1250.00 1200.00 23750.00 11875.00 f 2 t coordinator Jansen Half the obligation delivered; penalty applies.',
    'K1 settled: obligation 50,000, realised 26,250 (A 10,000, B 10,000, C 5,000, bonus 1,250), pending 1,200, gap 23,750, penalty due 11,875, 2 persons');
SELECT is((SELECT format('%s | %s | %s | by %s', kind, decided_by, reason, recorded_by = session_user)
             FROM sroi.decision WHERE contract_id = 'K1' AND kind = 'settlement'),
    'settlement | coordinator Jansen | obligation 50000.00, realised 26250.00, gap 23750.00, penalty due 11875.00; evaluation: Half the obligation delivered; penalty applies. | by t',
    'the settlement is logged as a decision: who, the figures and the evaluation');
SELECT throws_ok($$SELECT sroi.settle('K1', 'coordinator Jansen', 'again')$$, '23505',
    format('contract K1 was settled on %s already', sroi.today()), 'settling twice is refused (23505)');

-- K2: penalty 46,000.00 exposed until the coordinator waives it; settled, penalty due 0.
SELECT is((SELECT penalty_exposure FROM sroi.compliance(sroi.today()) WHERE contract_id = 'K2'), 46000.00,
    'K2 without a waiver: penalty exposure 46,000.00');
DO $$ BEGIN PERFORM sroi.waive_penalty('K2', 'coordinator Jansen', 'force majeure: the site closed for a year'); END $$;
SELECT lives_ok($$SELECT sroi.settle('K2', 'coordinator Jansen', 'Force majeure accepted.')$$, 'K2 settled');
SELECT is((SELECT format('%s %s %s %s', realised, gap, penalty_due, penalty_waived) FROM sroi.settlement WHERE contract_id = 'K2'),
    '4000.00 46000.00 0.00 t', 'K2 settled with the penalty waived: gap 46,000.00, penalty due 0.00');

-- 5. The views ---------------------------------------------------------------------
SELECT results_eq(
    $$SELECT contract_id, municipality, supplier, ends_on, obligation, realised, realised_a, realised_b, realised_c,
             realised_bonus, gap, penalty_due, penalty_waived, settled_on, settled_by, pct_realised, categories_suppressed
        FROM sroi.settlements WHERE contract_id IN ('K1', 'K2') ORDER BY 1$$,
    $$VALUES ('K1'::text, 'Diemen'::text, 'Alfa BV'::text, date '2025-12-31', 50000.00::numeric(15,2), 26250.00::numeric(15,2),
              10000.00::numeric(15,2), 10000.00::numeric(15,2), 5000.00::numeric(15,2), 1250.00::numeric(15,2),
              23750.00::numeric(15,2), 11875.00::numeric(15,2), false, sroi.today(), 'coordinator Jansen'::text,
              52.5::numeric(20,1), false),
             ('K2', 'Diemen', 'Beta BV', date '2025-12-31', 50000.00, 4000.00, 0.00, 0.00, 4000.00, 0.00,
              46000.00, 0.00, true, sroi.today(), 'coordinator Jansen', 8.0, false)$$,
    'sroi.settlements: K1 (26,250 / 50,000 = 52.5 %) and K2 (4,000 / 50,000 = 8.0 %) as the coordinator sees them');
SET ROLE ts_reader;
SELECT is((SELECT format('%s %s %s %s', realised, coalesce(realised_a::text, 'NULL'), categories_suppressed, penalty_due)
             FROM sroi.settlements WHERE contract_id = 'K1'),
    '26250.00 NULL t 11875.00',
    'a BI reader reads the settlements, the category split of K1 (2 persons) suppressed');
SELECT is((SELECT count(*) FROM sroi.report_settlements(sroi.today())), 4::bigint,
    'and report_settlements(today): the 4 settlements');
RESET ROLE;
SET ROLE ts_alfa;
SELECT is((SELECT string_agg(contract_id, ',') FROM sroi.settlement), 'K1',
    'a supplier reads the settlement of its own contract only (sroi.settlement)');
RESET ROLE;
SELECT is((SELECT string_agg(contract_id, ',' ORDER BY contract_id) FROM sroi.contract_compliance WHERE settled),
    'K-DUEDAY,K-ENDED-Y,K1,K2', 'contract_compliance.settled: the four settled contracts');
SELECT is((SELECT count(*) FROM sroi.compliance(sroi.today() - 1) WHERE settled), 0::bigint,
    'as of yesterday none was settled yet');

-- 6. The freeze: every write into a settled contract is refused, nothing stored --------
CREATE TEMP TABLE k1_before AS
SELECT (SELECT count(*) FROM sroi.activity WHERE contract_id = 'K1') AS activities,
       (SELECT string_agg(format('%s %s %s %s', id, status, hours, amount), ',' ORDER BY id) FROM sroi.activity WHERE contract_id = 'K1') AS rows,
       (SELECT string_agg(format('%s %s', quarter, planned_value), ',') FROM sroi.plan WHERE contract_id = 'K1') AS plan,
       (SELECT string_agg(format('%s %s', quarter, amount), ',') FROM sroi.turnover WHERE contract_id = 'K1') AS turnover,
       (SELECT string_agg(format('%s %s', from_date, cumulative_share), ',') FROM sroi.phasing WHERE contract_id = 'K1') AS phasing,
       (SELECT string_agg(format('%s %s', quarter, submitted_on), ',') FROM sroi.quarter_report WHERE contract_id = 'K1') AS reports,
       (SELECT format('%s %s %s', title, penalty_pct, penalty_waived_reason) FROM sroi.contract WHERE id = 'K1') AS terms;
CREATE TEMP TABLE frozen_msg AS
SELECT format('contract K1 was settled on %s and is frozen: %%s is refused until the SR coordinator reopens it', sroi.today()) AS m;
GRANT SELECT ON k1_before, frozen_msg TO PUBLIC;

SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K1', 'C10', '2025-06-01', 5)$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on activity'), 'activity INSERT into the settled K1 is refused (23001, naming the date)');
SELECT throws_ok($$UPDATE sroi.activity SET hours = 30 WHERE evidence_ref = 'K1-C10'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on activity'), 'activity UPDATE is refused');
SELECT throws_ok($$DELETE FROM sroi.activity WHERE evidence_ref = 'K1-C10'$$,
    '23001', format((SELECT m FROM frozen_msg), 'DELETE on activity'), 'activity DELETE is refused');
SELECT throws_ok($$UPDATE sroi.activity SET contract_id = 'K-NOT' WHERE evidence_ref = 'K1-C10'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on activity'), 'moving an activity out of the settled K1 is refused');
SELECT throws_ok($$UPDATE sroi.activity SET contract_id = 'K1' WHERE evidence_ref = 'K-NOT'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on activity'), 'moving an activity into the settled K1 is refused');
SELECT throws_ok(format($$SELECT sroi.approve(%s, 'coordinator Jansen')$$, (SELECT id FROM sroi.activity WHERE evidence_ref = 'K1-C11')),
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on activity'), 'approving an activity of the settled K1 is refused');
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('K1', '2025-Q2', 'A2', 5000)$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on plan'), 'plan INSERT is refused');
SELECT throws_ok($$UPDATE sroi.plan SET planned_value = 1 WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on plan'), 'plan UPDATE is refused');
SELECT throws_ok($$DELETE FROM sroi.plan WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'DELETE on plan'), 'plan DELETE is refused');
SELECT throws_ok($$INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('K1', '2025-Q2', 1000)$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on turnover'), 'turnover INSERT is refused');
SELECT throws_ok($$DELETE FROM sroi.turnover WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'DELETE on turnover'), 'turnover DELETE is refused');
SELECT throws_ok($$INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('K1', '2025-07-01', 1)$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on phasing'), 'phasing INSERT is refused');
SELECT throws_ok($$UPDATE sroi.phasing SET cumulative_share = 0.6 WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on phasing'), 'phasing UPDATE is refused');
SELECT throws_ok($$INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('K1', '2025-Q3', '2025-10-20')$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on quarter_report'), 'quarter_report INSERT is refused');
SELECT throws_ok($$UPDATE sroi.quarter_report SET submitted_on = '2026-01-10' WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on quarter_report'), 'quarter_report UPDATE is refused');
SELECT throws_ok($$DELETE FROM sroi.quarter_report WHERE contract_id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'DELETE on quarter_report'), 'quarter_report DELETE is refused');
SELECT throws_ok($$UPDATE sroi.contract SET title = 'renamed', penalty_pct = 0 WHERE id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on contract'), 'a change to the settled contract''s own terms is refused');
SELECT throws_ok($$SELECT sroi.waive_penalty('K1', 'coordinator Jansen', 'after all')$$,
    '23001', format((SELECT m FROM frozen_msg), 'UPDATE on contract'), 'so is waiving its penalty after the settlement');
SELECT throws_ok($$DELETE FROM sroi.contract WHERE id = 'K1'$$,
    '23001', format((SELECT m FROM frozen_msg), 'DELETE on contract'), 'deleting the settled contract is refused');
SET ROLE ts_alfa;
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K1', 'C10', '2025-06-01', 5)$$,
    '23001', format((SELECT m FROM frozen_msg), 'INSERT on activity'), 'the supplier''s own activity INSERT into its settled K1 is refused too');
SELECT throws_ok($$INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K2', 'C10', '2025-06-01', 5)$$,
    '42501', 'contract_id ''K2'' is not one of your contracts: ts_alfa cannot write activity rows for it',
    'a row for another supplier''s settled contract gets the access error first: it says nothing about the settlement');
RESET ROLE;
SELECT is((SELECT k1_before.* IS NOT DISTINCT FROM (
             (SELECT count(*) FROM sroi.activity WHERE contract_id = 'K1'),
             (SELECT string_agg(format('%s %s %s %s', id, status, hours, amount), ',' ORDER BY id) FROM sroi.activity WHERE contract_id = 'K1'),
             (SELECT string_agg(format('%s %s', quarter, planned_value), ',') FROM sroi.plan WHERE contract_id = 'K1'),
             (SELECT string_agg(format('%s %s', quarter, amount), ',') FROM sroi.turnover WHERE contract_id = 'K1'),
             (SELECT string_agg(format('%s %s', from_date, cumulative_share), ',') FROM sroi.phasing WHERE contract_id = 'K1'),
             (SELECT string_agg(format('%s %s', quarter, submitted_on), ',') FROM sroi.quarter_report WHERE contract_id = 'K1'),
             (SELECT format('%s %s %s', title, penalty_pct, penalty_waived_reason) FROM sroi.contract WHERE id = 'K1'))
             FROM k1_before), true,
    'nothing of K1 changed: activities, plan, turnover, phasing, reports and terms as before');
SELECT is((SELECT count(*) FROM sroi.decision WHERE contract_id = 'K1' AND kind <> 'approve' AND kind <> 'settlement'), 0::bigint,
    'and nothing was logged for the refused writes');
SELECT lives_ok($$UPDATE sroi.activity SET hours = 30 WHERE evidence_ref = 'K-NOT'$$,
    'a contract that is not settled still takes changes');
UPDATE sroi.activity SET hours = 164 WHERE evidence_ref = 'K-NOT';

-- A restore (a superuser with row_security off, as pg_restore and pg_dump's SQL set it)
-- passes the freeze: rows come back in any order.
SET row_security = off;
SELECT is(sroi.restoring(), true, 'a superuser session with row_security off counts as a restore');
SELECT lives_ok($$INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('K1', '2025-Q3', 1)$$,
    'and may write a settled contract''s rows, as a restore must');
DELETE FROM sroi.turnover WHERE contract_id = 'K1' AND quarter::text = '2025-Q3';
RESET row_security;
SELECT is(sroi.restoring(), false, 'with row_security on it does not');
SET ROLE ts_coord;
SET row_security = off;
SELECT throws_ok($$INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('K1', '2025-Q2', 'A2', 5000)$$,
    '42501', NULL, 'a coordinator with row_security off gets no bypass: the policies refuse the write outright');
RESET row_security;
RESET ROLE;

-- 7. Reopen -------------------------------------------------------------------------
SELECT throws_ok($$SELECT sroi.reopen('K1', 'coordinator Jansen', ' ')$$, '23502',
    'reason is required to reopen contract K1', 'reopen without a reason is refused (23502)');
SELECT is((SELECT count(*) FROM sroi.settlement WHERE contract_id = 'K1'), 1::bigint, 'refused: K1 is still settled');
SET ROLE ts_coord;
SELECT lives_ok($$SELECT sroi.reopen('K1', 'coordinator Jansen', 'invoice C11 was approved in time after all')$$,
    'the coordinator reopens K1 with a reason');
RESET ROLE;
SELECT is((SELECT format('%s | %s | %s | by %s', kind, decided_by, reason, recorded_by = session_user)
             FROM sroi.decision WHERE contract_id = 'K1' AND kind = 'reopen'),
    format('reopen | coordinator Jansen | settlement of %s removed: invoice C11 was approved in time after all | by t', sroi.today()),
    'the reopen is logged with who and why');
SELECT is((SELECT count(*) FROM sroi.settlement WHERE contract_id = 'K1'), 0::bigint, 'the settlement is removed');
SELECT is((SELECT settled FROM sroi.contract_compliance WHERE contract_id = 'K1'), false, 'contract_compliance: K1 no longer settled');
SELECT lives_ok(format($$SELECT sroi.approve(%s, 'coordinator Jansen', 'approved after reopening')$$,
                       (SELECT id FROM sroi.activity WHERE evidence_ref = 'K1-C11')),
    'K1 is no longer frozen: the C11 invoice is approved');
SELECT lives_ok($$UPDATE sroi.contract SET title = 'settlement test K1 (reopened)' WHERE id = 'K1'$$,
    'and its title can change');
-- settled again: realised 26,250 + 1,200 = 27,450.00 (C 6,200.00), gap 22,550.00, penalty 50 % = 11,275.00
SELECT lives_ok($$SELECT sroi.settle('K1', 'coordinator Jansen', 'Settled again with the invoice.')$$, 'K1 settled again');
SELECT is((SELECT format('%s %s %s %s %s', realised, realised_c, pending, gap, penalty_due) FROM sroi.settlement WHERE contract_id = 'K1'),
    '27450.00 6200.00 0.00 22550.00 11275.00', 'the new settlement has the new figures');
SELECT is((SELECT string_agg(kind, ',' ORDER BY id) FROM sroi.decision WHERE contract_id = 'K1'),
    'approve,settlement,reopen,approve,settlement', 'K1''s decision log: approve, settlement, reopen, approve, settlement (a title is no term: not logged)');

-- 8. Successes (domain.md 6.6) ------------------------------------------------------
SELECT results_eq(
    $$SELECT contract_id, obligation, realised, pct_realised, fulfilled_in, ends_on, reason, settled
        FROM sroi.successes ORDER BY contract_id$$,
    $$VALUES ('K-BOTH'::text, 15000.00::numeric(15,2), 20000.00::numeric(15,2), 133.3::numeric(20,1), '2025-Q1'::text,
              date '2025-12-31', 'early'::text, false),
             ('K-EARLY', 15000.00, 16000.00, 106.7, '2025-Q2', date '2025-12-31', 'early', false),
             ('K-EARLY2', 15000.00, 15000.00, 100.0, '2025-Q4', date '2025-12-31', 'early', false),
             ('K-EXC', 15000.00, 16500.00, 110.0, '2025-Q4', date '2025-12-31', 'exceeded', false),
             ('K-RUN', 15000.00, 16000.00, 106.7, sroi.quarter(sroi.today() - 10)::text, sroi.today() + 300, 'early', false)$$,
    'successes: early before the end (K-EARLY, the day before: K-EARLY2; running: K-RUN), exceeded at exactly 110 % (K-EXC), both: early (K-BOTH); not K-NOT (109.3 % on the end date) nor K1, K2');
SELECT lives_ok($$SELECT sroi.settle('K-EXC', 'coordinator Jansen', 'Exceeded its obligation.')$$, 'K-EXC settled');
SELECT is((SELECT format('%s %s %s', realised, reason, settled) FROM sroi.successes WHERE contract_id = 'K-EXC'),
    '16500.00 exceeded t', 'a settled success shows its settlement''s figures, settled');
SELECT is((SELECT reason FROM sroi.successes('2025-12-31') WHERE contract_id = 'K-EXC'), NULL,
    'as of its end date K-EXC has not ended yet: no success then');
SELECT is((SELECT string_agg(contract_id || ' ' || fulfilled_in || ' ' || reason, ', ' ORDER BY contract_id)
             FROM sroi.successes('2025-06-30')),
    'K-BOTH 2025-Q1 early, K-EARLY 2025-Q2 early', 'as of 2025-06-30: the two already fulfilled, early');
-- The same with the figures stored: fulfilled_in is then the first stored quarter whose
-- realised_cum reached the obligation (K-BOTH: 2025-Q1, K-EARLY: 2025-Q2, as above).
SELECT * FROM sroi.refresh_figures('2025-06-30');
SELECT is((SELECT count(*) FROM sroi.quarter_figures WHERE contract_id IN ('K-BOTH', 'K-EARLY') AND as_of = '2025-06-30'),
    4::bigint, 'the quarterly rows of K-BOTH and K-EARLY as of 2025-06-30 are stored (2025-Q1 and Q2 each)');
SELECT is((SELECT string_agg(contract_id || ' ' || fulfilled_in || ' ' || reason, ', ' ORDER BY contract_id)
             FROM sroi.successes('2025-06-30')),
    'K-BOTH 2025-Q1 early, K-EARLY 2025-Q2 early', 'as of 2025-06-30, read from the stored quarterly rows: the same');
-- and it is the stored rows it reads: K-EARLY's stored 2025-Q1 realised_cum raised by hand
-- (a test's shortcut, no user can write the table) by 15,000.00, so that it is at least
-- the obligation of 15,000.00 (realised_cum >= 0), moves its fulfilled_in to 2025-Q1
UPDATE sroi.quarter_figures SET realised_cum = realised_cum + 15000
 WHERE contract_id = 'K-EARLY' AND quarter::text = '2025-Q1' AND as_of = '2025-06-30';
SELECT is((SELECT fulfilled_in FROM sroi.successes('2025-06-30') WHERE contract_id = 'K-EARLY'), '2025-Q1',
    'fulfilled_in is read from the stored quarterly rows when they are there');
UPDATE sroi.quarter_figures SET realised_cum = realised_cum - 15000
 WHERE contract_id = 'K-EARLY' AND quarter::text = '2025-Q1' AND as_of = '2025-06-30';
SET ROLE ts_reader;
SELECT is((SELECT count(*) FROM sroi.successes), 5::bigint, 'a BI reader reads sroi.successes');
RESET ROLE;

-- 9. settlement_due (domain.md 6.5): K-DUE ended 2025-06-30, due 2025-06-30 + 90 = 2025-09-28
SELECT is((SELECT count(*) FROM sroi.overdue_items('2025-09-27') WHERE kind = 'settlement_due'), 0::bigint,
    'settlement_due: not on 2025-09-27, the day before it is due');
SELECT is((SELECT count(*) FROM sroi.overdue_items('2025-09-28') WHERE kind = 'settlement_due'), 0::bigint,
    'nor on the due date 2025-09-28');
SELECT results_eq(
    $$SELECT kind, contract_id, quarter, due_on, detail FROM sroi.overdue_items('2025-09-29') WHERE kind = 'settlement_due'$$,
    $$VALUES ('settlement_due'::text, 'K-DUE'::text, NULL::text, date '2025-09-28',
              'ended on 2025-06-30 and not settled: settlement was due 90 days after the end date'::text)$$,
    'from 2025-09-29 on: K-DUE is overdue for settlement');
SELECT is((SELECT string_agg(contract_id, ',' ORDER BY contract_id) FROM sroi.overdue_items(sroi.today()) WHERE kind = 'settlement_due'),
    'K-BOTH,K-DUE,K-DUEDAY1,K-EARLY,K-EARLY2,K-MON0,K-MON1,K-NOT',
    'today: the contracts ended more than 90 days ago and not settled (K1, K2, K-EXC, K-DUEDAY are; K-ENDED-Y is, K-ENDS-T runs; K-MON0 and K-MON1 ended 170 days or more ago)');
DO $$ BEGIN PERFORM sroi.settle('K-DUE', 'coordinator Jansen', 'Nothing delivered.'); END $$;
SELECT is((SELECT count(*) FROM sroi.overdue_items(sroi.today()) WHERE contract_id = 'K-DUE' AND kind = 'settlement_due'), 0::bigint,
    'settled: no longer due');
SELECT is((SELECT count(*) FROM sroi.overdue_items('2025-09-29') WHERE contract_id = 'K-DUE' AND kind = 'settlement_due'), 1::bigint,
    'but as of 2025-09-29, before it was settled, it still was');
SELECT is((SELECT format('%s %s %s', realised, gap, penalty_due) FROM sroi.settlement WHERE contract_id = 'K-DUE'),
    '0.00 15000.00 15000.00', 'K-DUE: nothing realised, gap 15,000.00, penalty 100 % = 15,000.00');

-- 10. The settlement table itself -------------------------------------------------------
SELECT throws_ok($$UPDATE sroi.settlement SET penalty_due = 0 WHERE contract_id = 'K1'$$, '23001',
    format('the settlement of contract K1 (settled on %s) cannot change', sroi.today()),
    'a settlement never changes (23001)');
SET ROLE ts_coord;
SELECT throws_ok($$DELETE FROM sroi.settlement WHERE contract_id = 'K1'$$, '42501', NULL,
    'a coordinator cannot delete a settlement directly (42501): only sroi.reopen');
SELECT throws_ok($$INSERT INTO sroi.settlement (contract_id, settled_on, settled_by, evaluation, obligation, realised, realised_a,
                     realised_b, realised_c, realised_bonus, pending, gap, penalty_due, penalty_waived, persons)
                   VALUES ('K-NOT', current_date, 'x', 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0)$$, '42501', NULL,
    'nor insert one (42501): only sroi.settle');
RESET ROLE;
SELECT throws_ok($$INSERT INTO sroi.settlement (contract_id, settled_on, settled_by, evaluation, obligation, realised, realised_a,
                     realised_b, realised_c, realised_bonus, pending, gap, penalty_due, penalty_waived, persons)
                   VALUES ('K-NOT', '2025-12-31', 'x', 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0)$$, '23514',
    'settled_on must lie after the end of contract K-NOT (2025-12-31), got 2025-12-31',
    'the owner''s row is validated: settled_on after the end date');
SELECT throws_ok($$INSERT INTO sroi.settlement (contract_id, settled_on, settled_by, evaluation, obligation, realised, realised_a,
                     realised_b, realised_c, realised_bonus, pending, gap, penalty_due, penalty_waived, persons)
                   VALUES ('K-NOT', '2026-02-01', 'x', 'x', 15000, 100, 100, 0, 0, 0, 0, 14900, 5, true, 0)$$, '23514',
    'penalty_due must be at most the gap 14900.00, and 0 when the penalty is waived (penalty_waived true), got 5.00',
    'and its figures: no penalty when waived');

SELECT * FROM finish();
ROLLBACK;
