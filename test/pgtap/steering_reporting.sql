-- Steering, part 3: monthly reporting (domain.md 6.3; api.md set_reporting,
-- period_report, report_periods): the report status follows the frequency in force in
-- each period, the figures stay per quarter.  Rate card duoplus-2024: reports due 30 days
-- after the period end; not_due on the due date, overdue from the next day (7.7).
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(30);

CREATE ROLE tm_coord NOLOGIN IN ROLE sroi_coordinator;
CREATE ROLE tm_manager NOLOGIN IN ROLE sroi_contract_manager;      -- Diemen
CREATE ROLE tm_manager_u NOLOGIN IN ROLE sroi_contract_manager;    -- Uithoorn
CREATE ROLE tm_alfa NOLOGIN IN ROLE sroi_supplier;                 -- Alfa BV
CREATE ROLE tm_beta NOLOGIN IN ROLE sroi_supplier;                 -- Beta BV
INSERT INTO sroi.role_scope (role_name, municipality, supplier) VALUES
    ('tm_manager', 'Diemen', NULL), ('tm_manager_u', 'Uithoorn', NULL),
    ('tm_alfa', NULL, 'Alfa BV'), ('tm_beta', NULL, 'Beta BV');

-- M1 reports monthly from May 2025; M0 stays quarterly.  Both 2025, EUR 1,000,000.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on) VALUES
    ('M1', 'Diemen', 'Alfa BV', 'monthly', 1000000, '2024-12-01', '2025-01-01', '2025-12-31', '2024-12-05'),
    ('M0', 'Diemen', 'Alfa BV', 'quarterly', 1000000, '2024-12-01', '2025-01-01', '2025-12-31', '2024-12-05');

-- ---------------------------------------------------------------------------
-- 1. Who sets the frequency; validation.
-- ---------------------------------------------------------------------------
SET ROLE tm_alfa;
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'quarterly', '2025-05-01', 'Alfa', 'less work')$$, '42501',
                 'only a contract manager of the contract''s municipality or an SR coordinator can set the reporting frequency: role tm_alfa is neither',
                 'a supplier cannot set its reporting frequency (42501)');
RESET ROLE;
SET ROLE tm_manager_u;
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'monthly', '2025-05-01', 'manager Uithoorn', 'x')$$, '42501',
                 'contract_id ''M1'' is not one of your contracts: role tm_manager_u cannot set the reporting frequency for it',
                 'nor a manager of another municipality (42501)');
SELECT throws_ok($$SELECT sroi.set_reporting('NOPE', 'monthly', '2025-05-01', 'manager Uithoorn', 'x')$$, '42501',
                 'contract_id ''NOPE'' is not one of your contracts: role tm_manager_u cannot set the reporting frequency for it',
                 'the same words for a contract that does not exist');
RESET ROLE;
SET ROLE tm_manager;
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'monthly', '2025-05-15', 'manager Diemen', 'x')$$, '22023',
                 'from_month must be the first day of a month, got 2025-05-15', 'from_month not a first of the month (22023)');
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'weekly', '2025-05-01', 'manager Diemen', 'x')$$, '22023',
                 'frequency must be one of quarterly, monthly, got ''weekly''', 'an unknown frequency (22023)');
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'monthly', '2026-02-01', 'manager Diemen', 'x')$$, '23514',
                 'from_month 2026-02-01 lies after the end of contract M1 on 2025-12-31', 'a month after the term (23514)');
SELECT throws_ok($$SELECT sroi.set_reporting('M1', 'monthly', '2025-05-01', '', 'x')$$, '23502',
                 'decided_by is required: who made the decision', 'no decided_by (23502)');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM sroi.reporting_frequency) + (SELECT count(*)::integer FROM sroi.decision), 0,
          'refused calls: nothing stored, nothing logged');
SET ROLE tm_manager;
SELECT lives_ok($$SELECT sroi.set_reporting('M1', 'monthly', '2025-05-01', 'manager Diemen', 'behind at two quarter ends')$$,
                'the manager of Diemen sets M1 to monthly reporting from May 2025');
RESET ROLE;
SELECT results_eq($$SELECT kind, decided_by, reason FROM sroi.decision WHERE contract_id = 'M1'$$,
                  $$VALUES ('reporting_frequency'::text, 'manager Diemen'::text, 'monthly from 2025-05: behind at two quarter ends'::text)$$,
                  'logged as a reporting_frequency decision');

-- ---------------------------------------------------------------------------
-- 2. The periods: Q1 quarterly; Q2 has April under quarterly reporting, so its quarterly
--    report stays due (2025-06-30 + 30 = 2025-07-30) beside May (due 06-30) and June
--    (due 07-30); Q3 is wholly monthly: no quarterly report, July due 08-30.
-- ---------------------------------------------------------------------------
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES
    ('M1', '2025-Q1', '2025-04-20'), ('M1', '2025-Q2', '2025-07-10'),
    ('M0', '2025-Q1', '2025-04-20'), ('M0', '2025-Q2', '2025-07-10');
INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on) VALUES
    ('M1', '2025-05-01', '2025-05-31', '2025-07-05');   -- May: 07-05 > due 06-30, late
SELECT results_eq($$SELECT frequency, period_start, period_end, due_on, submitted_on, report_status
                      FROM sroi.report_periods('2025-07-31') WHERE contract_id = 'M1'$$,
                  $$VALUES ('quarterly'::text, date '2025-01-01', date '2025-03-31', date '2025-04-30', date '2025-04-20', 'submitted'::text),
                           ('quarterly', '2025-04-01', '2025-06-30', '2025-07-30', '2025-07-10', 'submitted'),
                           ('monthly', '2025-05-01', '2025-05-31', '2025-06-30', '2025-07-05', 'late'),
                           ('monthly', '2025-06-01', '2025-06-30', '2025-07-30', NULL, 'overdue'),   -- 07-31 > 07-30
                           ('monthly', '2025-07-01', '2025-07-31', '2025-08-30', NULL, 'not_due')$$,
                  'report_periods of M1 as of 2025-07-31: Q1, Q2 quarterly; May late, June overdue, July not due');
SELECT is((SELECT report_status FROM sroi.report_periods('2025-07-29') WHERE contract_id = 'M1' AND period_start = '2025-06-01'),
          'not_due', 'June, the day before its due date 2025-07-30: not_due');
SELECT is((SELECT report_status FROM sroi.report_periods('2025-07-30') WHERE contract_id = 'M1' AND period_start = '2025-06-01'),
          'not_due', 'on its due date: not_due');
SELECT is((SELECT report_status FROM sroi.report_periods('2025-07-31') WHERE contract_id = 'M1' AND period_start = '2025-06-01'),
          'overdue', 'the day after: overdue');
SELECT results_eq($$SELECT frequency, period_start, report_status FROM sroi.report_periods('2025-07-31') WHERE contract_id = 'M0'$$,
                  $$VALUES ('quarterly'::text, date '2025-01-01', 'submitted'::text), ('quarterly', '2025-04-01', 'submitted'),
                           ('quarterly', '2025-07-01', 'not_due')$$,
                  'M0 reports quarterly: its quarters only');

-- The quarter of a quarter reported per month: the worst of its reports (overdue,
-- not_due, late, submitted).
SELECT results_eq($$SELECT quarter, report_status, report_submitted_on FROM sroi.quarterly_progress('2025-07-31') WHERE contract_id = 'M1'$$,
                  $$VALUES ('2025-Q1'::text, 'submitted'::text, date '2025-04-20'),
                           ('2025-Q2', 'overdue', NULL),      -- quarterly submitted, May late, June overdue
                           ('2025-Q3', 'not_due', NULL)$$,    -- July, August, September: none due yet
                  'quarterly_progress as of 2025-07-31: Q2 overdue (June), Q3 not_due');
SELECT is((SELECT report_status FROM sroi.quarterly_progress('2025-07-30') WHERE contract_id = 'M1' AND quarter = '2025-Q2'),
          'not_due', 'as of 2025-07-30 Q2 is not_due: June is not yet due (a late May does not make the quarter late yet)');
SELECT is((SELECT string_agg(report_status, ' ' ORDER BY quarter) FROM sroi.quarterly_progress('2025-07-31') WHERE contract_id = 'M0'),
          'submitted submitted not_due', 'a contract reporting quarterly is as before');
SELECT results_eq($$SELECT kind, quarter, due_on, detail FROM sroi.overdue_items('2025-07-31')
                     WHERE contract_id = 'M1' AND kind LIKE 'report%' ORDER BY due_on$$,
                  $$VALUES ('report_late'::text, '2025-Q2'::text, date '2025-06-30', 'monthly report for 2025-05 received on 2025-07-05'::text),
                           ('report_overdue', '2025-Q2', '2025-07-30', 'monthly report for 2025-06 not received')$$,
                  'overdue_items per month: May late, June overdue');

-- June and July come in; June late (08-02 > 07-30), July on time (08-20 <= 08-30).
INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on) VALUES
    ('M1', '2025-06-01', '2025-06-30', '2025-08-02'), ('M1', '2025-07-01', '2025-07-31', '2025-08-20');
SELECT results_eq($$SELECT report_status, report_submitted_on FROM sroi.quarterly_progress('2025-08-31') WHERE contract_id = 'M1' AND quarter = '2025-Q2'$$,
                  $$VALUES ('late'::text, date '2025-08-02')$$,
                  'Q2 complete: late (May and June late), the last report in on 2025-08-02');

-- Back to quarterly from August: Q3 has July monthly and a quarterly report for
-- August-September, due 2025-09-30 + 30 = 2025-10-30.
SET ROLE tm_coord;
SELECT lives_ok($$SELECT sroi.set_reporting('M1', 'quarterly', '2025-08-01', 'coordinator Jansen', 'back on track')$$,
                'the coordinator sets M1 back to quarterly from August');
RESET ROLE;
SELECT results_eq($$SELECT frequency, period_start, period_end, due_on, report_status FROM sroi.report_periods('2025-10-31')
                     WHERE contract_id = 'M1' AND quarter = '2025-Q3'$$,
                  $$VALUES ('monthly'::text, date '2025-07-01', date '2025-07-31', date '2025-08-30', 'submitted'::text),
                           ('quarterly', '2025-07-01', '2025-09-30', '2025-10-30', 'overdue')$$,
                  'Q3 as of 2025-10-31: July monthly (submitted), the quarterly report overdue');
SELECT is((SELECT report_status FROM sroi.quarterly_progress('2025-10-31') WHERE contract_id = 'M1' AND quarter = '2025-Q3'),
          'overdue', 'and the quarter overdue');
SELECT is((SELECT string_agg(format('%s %s', to_char(from_month, 'YYYY-MM'), frequency), ', ' ORDER BY from_month)
             FROM sroi.reporting_frequency WHERE contract_id = 'M1'),
          '2025-05 monthly, 2025-08 quarterly', 'the frequency history');

-- ---------------------------------------------------------------------------
-- 3. Monthly reports: one calendar month; suppliers enter their own, dated today.
-- ---------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                   VALUES ('M1', '2025-09-01', '2025-09-29', '2025-10-01')$$, '23514',
                 'a monthly report covers one calendar month: period_start must be its first day and period_end its last, got 2025-09-01 to 2025-09-29',
                 'a period that is not a calendar month (23514)');
SELECT throws_ok($$INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                   VALUES ('M1', '2025-09-01', '2025-09-30', '2025-08-31')$$, '23514',
                 'submitted_on 2025-08-31 lies before the period beginning 2025-09-01', 'submitted before the month began (23514)');
SET ROLE tm_alfa;
SELECT lives_ok($$INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                  VALUES ('M1', '2025-09-01', '2025-09-30', sroi.today())$$,
                'the supplier enters a monthly report for its contract, dated today');
SELECT throws_ok($$INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                   VALUES ('M1', '2025-10-01', '2025-10-31', '2025-11-05')$$, '42501', NULL,
                 'but not back-dated (42501)');
RESET ROLE;
SET ROLE tm_beta;
SELECT throws_ok($$INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                   VALUES ('M1', '2025-10-01', '2025-10-31', sroi.today())$$, '42501',
                 'contract_id ''M1'' is not one of your contracts: tm_beta cannot write period_report rows for it',
                 'another supplier cannot report for M1 (42501)');
SELECT is_empty($$SELECT * FROM sroi.reporting_frequency$$, 'nor read its reporting frequency');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
