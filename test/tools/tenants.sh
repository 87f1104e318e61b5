#!/usr/bin/env bash
# Tenants that do not trust each other, as a TAP test: every attack is made by a LOGIN
# role connecting the way a hostile supplier, coordinator or BI reader would (psql -U,
# no SET ROLE), and each test asserts that the secret is absent from the rows AND from
# the error text, or that nothing was stored.  Runs inside a cluster (PGHOST etc. set):
#   test/tools/with-cluster.sh prove -v test/tools/tenants.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

db=sroi_tenants
tap_databases=("$db")
tap_roles=(tn_alfa tn_beta tn_coord tn_coord_alfa tn_reader tn_manager)
trap tap_cleanup EXIT
tap_cleanup

# as ROLE SQL: SQL as the login ROLE in the test database (tap.sh's as_login).
as() { as_login "$db" "$1" "$2"; }
# owner SQL: one value as the owner.
owner() { value "$db" "$1"; }

tap_plan 58

createdb "$db" && owner "CREATE EXTENSION sroi" >/dev/null
psql_db "$db" >/dev/null <<'SQL'
CREATE ROLE tn_alfa LOGIN IN ROLE sroi_supplier;
CREATE ROLE tn_beta LOGIN IN ROLE sroi_supplier;
CREATE ROLE tn_coord LOGIN IN ROLE sroi_coordinator;
CREATE ROLE tn_coord_alfa LOGIN IN ROLE sroi_coordinator;
CREATE ROLE tn_reader LOGIN IN ROLE sroi_reader;
CREATE ROLE tn_manager LOGIN IN ROLE sroi_contract_manager;
INSERT INTO sroi.role_scope (role_name, supplier) VALUES
    ('tn_alfa', 'Alfa BV'), ('tn_beta', 'Beta BV'), ('tn_coord_alfa', 'Alfa BV');
INSERT INTO sroi.role_scope (role_name, municipality) VALUES ('tn_manager', 'Diemen');
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('T-A', 'Diemen', 'Alfa BV', 'alfa', 1000000, current_date - 420, current_date - 400, current_date + 300),
       ('T-B', 'Diemen', 'Beta BV', 'beta', 1000000, current_date - 420, current_date - 400, current_date + 300);
SQL
# Beta registers and places its person: a Wajong recipient (the secret) born 1977-07-07.
as tn_beta "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister)
            VALUES ('BETA-SECRET-1', '1977-07-07', 'wajong', '2001-01-01', true)" >/dev/null
as tn_beta "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
            VALUES ('T-B', 'A4', 'BETA-SECRET-1', 0.5, current_date - 100)" >/dev/null
check "setup: Beta's placement of its candidate is stored" \
    has "$(owner "SELECT count(*) FROM sroi.activity WHERE candidate_id = 'BETA-SECRET-1'")" '^1$'

# 1. Alfa places Beta's candidate on its own contract to read their data (issue finding 1).
out=$(as tn_alfa "BEGIN;
  INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, hours)
  VALUES ('T-A', 'C10', 'BETA-SECRET-1', current_date, 1);
  SELECT * FROM sroi.candidate WHERE id = 'BETA-SECRET-1';
  ROLLBACK;")
check "a supplier cannot place another supplier's candidate: 23503" has "$out" '23503'
check "and learns neither birth date nor benefit of that person, in rows or error text" \
    absent_all "$out" 1977-07-07 wajong
out=$(as tn_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, hours)
                  VALUES ('T-A', 'C10', 'NOBODY-9', current_date, 1)")
check "an id that does not exist gets the same message (no oracle of which ids exist)" \
    has "$out" "candidate_id 'NOBODY-9' is not a candidate you registered or placed"
check "nothing stored by Alfa" has "$(owner "SELECT count(*) FROM sroi.activity WHERE contract_id = 'T-A'")" '^0$'

# 3. A coordinator login that also acts for Alfa: SET ROLE sroi_coordinator does not help.
as tn_alfa "INSERT INTO sroi.activity (contract_id, block, starts_on, amount) VALUES ('T-A', 'C9', current_date - 5, 500)" >/dev/null
id=$(owner "SELECT id FROM sroi.activity WHERE contract_id = 'T-A' AND block = 'C9'")
out=$(as tn_coord_alfa "SET ROLE sroi_coordinator; SELECT sroi.approve($id, 'me')")
check "a coordinator acting for Alfa cannot approve Alfa's activity even after SET ROLE sroi_coordinator (42501)" \
    has "$out" '42501.*acts for supplier Alfa BV'
out=$(as tn_coord_alfa "BEGIN; UPDATE sroi.contract SET supplier = 'Other BV' WHERE id = 'T-A';
                        SELECT sroi.approve($id, 'me'); UPDATE sroi.contract SET supplier = 'Alfa BV' WHERE id = 'T-A'; COMMIT;")
check "nor move the contract away, approve and move it back (42501)" has "$out" '42501'
check "the activity is still reported" has "$(owner "SELECT status FROM sroi.activity WHERE id = $id")" '^reported$'

# 7. The decision log cannot be forged: no INSERT, and a trigger attached by a coordinator cannot log.
out=$(as tn_coord "INSERT INTO sroi.decision (decided_by, kind, contract_id, reason) VALUES ('x', 'penalty_waiver', 'T-A', 'forged')")
check "a coordinator cannot insert into the decision log (42501)" has "$out" '42501'
out=$(as tn_coord "CREATE TEMP TABLE t (LIKE sroi.contract);
  CREATE TRIGGER forge AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION sroi.contract_log_decisions()")
check "nor attach the logging trigger function to a table of its own (42501)" has "$out" '42501'
as tn_coord "SET sroi.decided_by = 'somebody else'; SELECT sroi.approve($id, 'coordinator Jansen', 'checked')" >/dev/null
check "an approval is logged as decided by the name given and recorded by the login, whatever the session set" \
    has "$(owner "SELECT decided_by || '/' || recorded_by FROM sroi.decision WHERE activity_id = $id")" \
    '^coordinator Jansen/tn_coord$'

# 8. Back-dating through the session's time zone.
out=$(as tn_alfa "SET TIME ZONE 'XXX+167'; INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
                  VALUES ('T-A', sroi.quarter(current_date), current_date)")
check "a supplier cannot back-date its report by SET TIME ZONE 'XXX+167' (42501)" has "$out" '42501'

# 4. The reader cannot step the as-of date, and small cells stay hidden.
# the 15th of last month: never today, never a quarter's last day
day="(date_trunc('month', current_date - 31)::date + 14)"
out=$(as tn_reader "SELECT * FROM sroi.report_target_group_outcomes($day, current_user)")
check "a reader cannot step the as-of date to any day (22023)" has "$out" '22023'
out=$(as tn_reader "SELECT * FROM sroi.report_compliance($day, 'tn_coord')")
check "nor pretend to be a coordinator (42501)" has "$out" '42501'
# Diemen has one person placed (Beta's): the quantities (domain.md 6.4) show the owner
# persons, new persons and fte, the reader none of them, in either view.
quantities="SELECT (SELECT count(*) FROM sroi.municipality_quarter WHERE persons > 0 OR new_persons > 0 OR fte > 0)
                || '/' || (SELECT count(*) FROM sroi.quarterly_progress WHERE persons > 0 OR new_persons > 0 OR fte > 0)"
# OWNER_COUNTS READER_COUNTS: the owner's both above 0, the reader's both 0
owner_sees_reader_not() { has "$1" '^[1-9][0-9]*/[1-9][0-9]*$' && has "$2" '^0/0$'; }
check "the quarters of 1 person show the owner its person figures, a LOGIN reader none (small cells)" \
    owner_sees_reader_not "$(owner "$quantities")" "$(as tn_reader "$quantities")"

# 5. A registrar cannot change a person another supplier has placed.
as tn_alfa "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
            VALUES ('ALFA-P1', '1980-03-03', 'participatiewet', current_date - 900)" >/dev/null
as tn_coord "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
             VALUES ('T-B', 'A1', 'ALFA-P1', 0.5, current_date - 50)" >/dev/null
out=$(as tn_alfa "UPDATE sroi.candidate SET benefit = 'none', benefit_since = NULL WHERE id = 'ALFA-P1' RETURNING id")
check "the registrar cannot change a candidate placed on another supplier's contract (no row updated)" \
    has "$(owner "SELECT benefit FROM sroi.candidate WHERE id = 'ALFA-P1'")" '^participatiewet$'
check "and the no-double-counting cap of Beta's placement still holds for Alfa: Alfa cannot claim the person at 0.6 fte" \
    has "$(as tn_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                       VALUES ('T-A', 'A1', 'ALFA-P1', 0.6, current_date - 10)")" '23514'
out=$(as tn_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                  VALUES ('T-A', 'A1', 'ALFA-P1', 0.6, current_date - 10)")
check "and the error names no day or total of Beta's placement" \
    absent_all "$out" 'would total' 'T-B'

# 6. A contract manager cannot change what the coordinator decides.
out=$(as tn_manager "UPDATE sroi.contract SET penalty_pct = 0 WHERE id = 'T-A'")
check "a manager cannot set the penalty to 0 instead of a logged waiver (42501)" has "$out" '42501'
out=$(as tn_manager "UPDATE sroi.contract SET obligation_pct = 1 WHERE id = 'T-A'")
check "nor lower the obligation percentage (42501)" has "$out" '42501'

# 9. Ids: a 10,000-character id is a class 22 error naming the rule, not 54000.
out=$(as tn_alfa "INSERT INTO sroi.candidate (id, birth_date) VALUES (repeat('x', 10000), '1990-01-01')")
check "a 10,000-character candidate id is refused with 22023, not 54000" has "$out" '22023'


# ---- Steering (domain.md 6.1-6.3; 06_plan.sql, 06_steering.sql) -------------------------
# 10. Plan versions: who proposes, who accords, nothing forged, nothing edited after accord.
out=$(as tn_beta "SELECT sroi.propose_plan('T-A', 'Beta')")
check "a supplier cannot propose a plan for another supplier's contract (42501)" has "$out" "42501.*not one of your contracts"
check "and nothing was opened" has "$(owner "SELECT count(*) FROM sroi.plan_version WHERE contract_id = 'T-A'")" '^0$'
as tn_alfa "SELECT sroi.propose_plan('T-A', 'Alfa'); INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value)
            VALUES ('T-A', 1, sroi.quarter(current_date), 'A2', 5000)" >/dev/null
out=$(as tn_alfa "SELECT sroi.accord_plan('T-A', 1, 'Alfa')")
check "the supplier cannot accord its own plan (42501)" has "$out" '42501'
out=$(as tn_coord_alfa "SET ROLE sroi_coordinator; SELECT sroi.accord_plan('T-A', 1, 'me')")
check "nor a coordinator acting for the supplier, even after SET ROLE sroi_coordinator (42501)" has "$out" '42501.*acts for supplier Alfa BV'
out=$(as tn_alfa "SELECT sroi.decide_plan('T-A', 1, 'forged', NULL, true, 'tn_coord')")
check "calling the definer part naming a coordinator as the caller gets nowhere (42501)" has "$out" '42501'
out=$(as tn_alfa "UPDATE sroi.plan_version SET status = 'accorded', decided_by = 'x', decided_on = current_date WHERE contract_id = 'T-A'")
check "nor can a supplier write a version row itself (42501)" has "$out" '42501'
check "the version is still proposed and no decision logged" \
    has "$(owner "SELECT status || ' ' || (SELECT count(*) FROM sroi.decision WHERE kind LIKE 'plan%') FROM sroi.plan_version WHERE contract_id = 'T-A'")" '^proposed 0$'
out=$(as tn_alfa "INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES ('T-B', 1, sroi.quarter(current_date), 'A2', 1)")
check "a supplier cannot write plan lines for another supplier's contract (42501)" has "$out" '42501'
as tn_manager "SELECT sroi.accord_plan('T-A', 1, 'manager Diemen')" >/dev/null
as tn_alfa "UPDATE sroi.plan SET planned_value = 999999 WHERE contract_id = 'T-A'" >/dev/null
check "after the manager's accord the supplier's edit changes nothing" \
    has "$(owner "SELECT planned_value FROM sroi.plan WHERE contract_id = 'T-A'")" '^5000$'
# 11. Action items and reporting: a supplier reads its own, decides nothing.
as tn_manager "INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
               VALUES ('T-B', 'BETA-ACTION-SECRET', 'Beta site', current_date + 30, 1, 'persons')" >/dev/null
out=$(as tn_alfa "SELECT * FROM sroi.action_item; SELECT * FROM sroi.action_item WHERE what LIKE 'BETA%'")
check "a supplier does not read another supplier's action items" \
    absent_all "$out" BETA-ACTION-SECRET
out=$(as tn_alfa "INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit)
                  VALUES ('T-A', 'self-made', 'Alfa', current_date + 30, 1, 'euro')")
check "nor records one (42501)" has "$out" '42501'
out=$(as tn_alfa "SELECT sroi.set_reporting('T-A', 'quarterly', date_trunc('month', current_date)::date, 'Alfa', 'no')")
check "a supplier cannot set its own reporting frequency (42501)" has "$out" '42501'
out=$(as tn_alfa "SELECT sroi.decide_reporting('T-A', 'quarterly', '2025-01-01', 'forged', 'x', 'tn_coord')")
check "nor through the definer part naming a coordinator (42501)" has "$out" '42501'
out=$(as tn_alfa "SET TIME ZONE 'XXX+167'; INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
                  VALUES ('T-A', date_trunc('month', current_date)::date, (date_trunc('month', current_date) + interval '1 month')::date - 1, current_date)")
check "nor back-date a monthly report by SET TIME ZONE (42501)" has "$out" '42501'
out=$(as tn_reader "SELECT count(*) FROM sroi.plan_versions; SELECT * FROM sroi.plan_version")
check "a reader reads the plan_versions view but not the plan_version table (42501)" \
    bash -c 'grep -qx 1 <<<"$1" && grep -q 42501 <<<"$1" || { echo "$1"; exit 1; }' _ "$out"
# ---- 10. Settling and reopening (domain.md 6.5; steer-settle) ----------------------------
# T-C: Alfa's contract, ended 200 days ago (its last report is due): it can be settled.
owner "INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
       VALUES ('T-C', 'Diemen', 'Alfa BV', 'alfa ended', 1000000, current_date - 800, current_date - 700, current_date - 200)" >/dev/null
out=$(as tn_alfa "SELECT sroi.settle('T-C', 'Alfa', 'we did great')")
check "a supplier cannot settle its own contract (42501)" \
    has "$out" '42501.*only an SR coordinator can settle a contract: role tn_alfa is not a member of sroi_coordinator'
check "and gets the same words for another's contract and for none: no oracle" \
    expect_equal "$(sed 's/T-C/X/' <<<"$out")" "$(as tn_alfa "SELECT sroi.settle('T-B', 'Alfa', 'we did great')" | sed 's/T-B/X/')"
out=$(as tn_alfa "SELECT sroi.decide_settlement('T-C', 'Alfa', 'forged', true, 'tn_coord')")
check "nor settle by calling the SECURITY DEFINER part naming a coordinator as the caller (42501)" has "$out" '42501'
out=$(as tn_coord_alfa "SET ROLE sroi_coordinator; SELECT sroi.settle('T-C', 'me', 'own contract')")
check "a coordinator acting for Alfa cannot settle Alfa's contract, even after SET ROLE sroi_coordinator (42501)" \
    has "$out" '42501.*acts for supplier Alfa BV'
check "nothing settled by them" has "$(owner "SELECT count(*) FROM sroi.settlement")" '^0$'
as tn_coord "SELECT sroi.settle('T-C', 'coordinator Jansen', 'closed')" >/dev/null
check "the coordinator settles T-C, logged as decided by the name given and recorded by the login" \
    has "$(owner "SELECT decided_by || '/' || recorded_by FROM sroi.decision WHERE contract_id = 'T-C' AND kind = 'settlement'")" \
    '^coordinator Jansen/tn_coord$'
out=$(as tn_alfa "INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('T-C', 'C10', current_date - 300, 3)")
check "Alfa cannot add to its settled contract: 23001 naming the settlement date" \
    has "$out" "23001.*contract T-C was settled on $(owner "SELECT sroi.today()")"
out=$(as tn_beta "INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('T-C', 'C10', current_date - 300, 3)")
check "Beta writing into Alfa's settled contract gets 42501 and learns nothing of the settlement" \
    has_only "$out" 42501 'settled on' frozen
out=$(as tn_beta "SELECT sroi.check_not_settled('T-C')")
check "nor can Beta ask the freeze rule directly whether T-C is settled (42501)" \
    has_only "$out" 42501 'settled on' frozen
out=$(as tn_coord "DELETE FROM sroi.settlement WHERE contract_id = 'T-C'")
check "a coordinator cannot delete a settlement (42501): only sroi.reopen, which logs it" has "$out" '42501'
out=$(as tn_manager "SELECT sroi.reopen('T-C', 'manager', 'more to add')")
check "a contract manager cannot reopen (42501)" \
    has "$out" '42501.*only an SR coordinator can reopen a contract: role tn_manager is not a member of sroi_coordinator'
check "T-C is still settled" has "$(owner "SELECT count(*) FROM sroi.settlement WHERE contract_id = 'T-C'")" '^1$'

# The figures cache (issue 9): stored figures are read under the contract's row-level
# security, and only a coordinator stores them.
out=$(as tn_alfa "SELECT * FROM sroi.refresh_figures()")
check "a supplier cannot refresh the stored figures (42501)" has "$out" '42501'
out=$(as tn_reader "SELECT * FROM sroi.refresh_figures()")
check "nor a reader (42501)" has "$out" '42501'
as tn_coord "SELECT * FROM sroi.refresh_figures()" >/dev/null
check "a coordinator stores the figures of every contract (of today)" \
    has "$(owner "SELECT count(*) = (SELECT count(*) FROM sroi.contract) FROM sroi.contract_figures WHERE as_of = sroi.today()")" '^t$'
out=$(as tn_alfa "SELECT contract_id, realised_a, persons FROM sroi.contract_figures ORDER BY 1")
check "Alfa reads the stored figures of its own contracts only: none of Beta's T-B" \
    has_only "$out" '^T-A' 'T-B'
out=$(as tn_reader "SELECT * FROM sroi.quarter_figures")
check "a reader cannot read the stored figures (42501)" has "$out" '42501'
out=$(as tn_alfa "UPDATE sroi.contract_figures SET realised_a = 1e9 WHERE contract_id = 'T-A'")
check "nor can a supplier raise its stored figures (42501)" has "$out" '42501'

# The report pages (issue 12) as the logins call them: what each may read, and nothing of
# Beta's person (id, birth date) in the page or the error.
out=$(as tn_alfa "SELECT sroi.report_html('Diemen', sroi.quarter(current_date)::text)")
check "a supplier gets no municipality page (42501) and nothing of Beta's person" \
    has_only "$out" '42501' BETA-SECRET-1 1977-07-07
out=$(as tn_alfa "SELECT sroi.contract_report_html('T-B')")
check "nor the page of Beta's contract (42501), learning nothing of it" \
    has_only "$out" '42501' BETA-SECRET-1 beta
out=$(as tn_reader "SELECT sroi.report_html('Diemen', sroi.quarter(current_date)::text)")
check "a reader gets the municipality page: the contracts, no title, no person" \
    has_only "$out" 'data-contract="T-B"' 'class="c-title"' BETA-SECRET-1 1977-07-07
out=$(as tn_reader "SELECT sroi.contract_report_html('T-B')")
check "and the page of a contract without its single activities or person" \
    has_only "$out" 'de afzonderlijke activiteiten zijn alleen zichtbaar' BETA-SECRET-1 1977-07-07

tap_done
