#!/usr/bin/env bash
# Tenants that do not trust each other, as a TAP test: every attack is made by a LOGIN
# role connecting the way a hostile supplier, coordinator or BI reader would (psql -U,
# no SET ROLE), and each test asserts that the secret is absent from the rows AND from
# the error text, or that nothing was stored.  Runs inside a cluster (PGHOST etc. set):
#   test/tools/with-cluster.sh prove -v test/tools/tenants.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

db=sroi_tenants
logins="tn_alfa tn_beta tn_coord tn_coord_alfa tn_reader tn_manager"
cleanup() {
    dropdb --if-exists "$db" >/dev/null 2>&1
    for r in $logins; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
}
trap cleanup EXIT
cleanup

# as ROLE SQL: runs SQL as the login ROLE; prints rows and any error text (with SQLSTATE).
as() { psql -X -q -A -t -U "$1" -d "$db" -v VERBOSITY=verbose -c "$2" 2>&1; }
# owner SQL: one value as the owner.
owner() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$1" 2>&1; }
# absent SECRET TEXT: the secret must not appear in the text.
absent() { if grep -qF -- "$1" <<<"$2"; then echo "secret '$1' found in: $2"; return 1; fi; }
# has TEXT PATTERN: the text must contain the pattern (an SQLSTATE, a message).
has() { if grep -qE -- "$2" <<<"$1"; then return 0; fi; echo "expected /$2/ in: ${1:-nothing}"; return 1; }

tap_plan 21

createdb "$db" && owner "CREATE EXTENSION sroi" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
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
    bash -c "$(declare -f absent); absent 1977-07-07 \"\$1\" && absent wajong \"\$1\"" _ "$out"
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
check "the quarters of 1 person show the owner its person figures, a LOGIN reader none (small cells)" \
    bash -c "$(declare -f has); has \"\$1\" '^[1-9][0-9]*/[1-9][0-9]*\$' && has \"\$2\" '^0/0\$'" _ \
    "$(owner "$quantities")" "$(as tn_reader "$quantities")"

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
    bash -c "$(declare -f absent); absent 'would total' \"\$1\" && absent 'T-B' \"\$1\"" _ "$out"

# 6. A contract manager cannot change what the coordinator decides.
out=$(as tn_manager "UPDATE sroi.contract SET penalty_pct = 0 WHERE id = 'T-A'")
check "a manager cannot set the penalty to 0 instead of a logged waiver (42501)" has "$out" '42501'
out=$(as tn_manager "UPDATE sroi.contract SET obligation_pct = 1 WHERE id = 'T-A'")
check "nor lower the obligation percentage (42501)" has "$out" '42501'

# 9. Ids: a 10,000-character id is a class 22 error naming the rule, not 54000.
out=$(as tn_alfa "INSERT INTO sroi.candidate (id, birth_date) VALUES (repeat('x', 10000), '1990-01-01')")
check "a 10,000-character candidate id is refused with 22023, not 54000" has "$out" '22023'

tap_done
