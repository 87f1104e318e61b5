#!/usr/bin/env bash
# sroi in two databases of one cluster, as a TAP test.  Runs inside a cluster (PGHOST,
# PGPORT, PGUSER set as a superuser), e.g.
#   test/tools/with-cluster.sh prove -v test/tools/two-databases.sh
# The roles sroi_coordinator, sroi_contract_manager, sroi_supplier and sroi_reader are
# cluster-wide: CREATE EXTENSION creates them when missing (also when two databases do
# it at the same time) and never makes them extension members, so that CREATE EXTENSION
# in a second database works and DROP EXTENSION in one leaves the other's grants working.
# When no database uses the four roles yet, the test drops them first, to see them
# created; otherwise that case is skipped.  Its databases and test roles are dropped at
# the end.
set -uo pipefail

db1=sroi_two_1
db2=sroi_two_2
roles="'sroi_coordinator', 'sroi_contract_manager', 'sroi_supplier', 'sroi_reader'"
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
tap_roles=(two_reader two_supplier)
tap_start 17 two "$db1" "$db2"

createdb "$db1" && createdb "$db2" || { echo "Bail out! cannot create the databases"; exit 1; }

# ---- 1. both databases create the extension at the same time ----------------
# Nothing uses the roles (no privilege, ownership or membership anywhere)?  Then drop
# them, so that the two CREATE EXTENSIONs below race to create them.
in_use=$(value postgres "SELECT count(*) || coalesce(' in ' || string_agg(DISTINCT coalesce(d.datname, 'shared'), ', '), '')
                            FROM pg_shdepend AS s LEFT JOIN pg_database AS d ON d.oid = s.dbid
                           WHERE s.refclassid = 'pg_authid'::regclass
                             AND s.refobjid IN (SELECT oid FROM pg_roles WHERE rolname IN ($roles))")
members=$(value postgres "SELECT count(*) FROM pg_auth_members
                           WHERE roleid IN (SELECT oid FROM pg_roles WHERE rolname IN ($roles))")
fresh=no
if [[ $in_use == 0 && $members == 0 ]] &&
    value postgres "DROP ROLE IF EXISTS sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader" >/dev/null; then
    fresh=yes
fi

# Session 1 creates the roles and holds its transaction open; session 2 meanwhile
# creates the extension in the other database, waits for session 1's roles, and
# must then use them rather than fail.
concurrent() {
    psql_db "$db1" >"$work/s1.out" 2>&1 <<'SQL' &
BEGIN;
CREATE EXTENSION sroi;
SELECT pg_sleep(2);
COMMIT;
SQL
    local s1=$!
    sleep 0.7
    psql_db "$db2" -c 'CREATE EXTENSION sroi' >"$work/s2.out" 2>&1
    local rc2=$?
    wait "$s1"
    local rc1=$?
    cat "$work/s1.out" "$work/s2.out"
    ((rc1 == 0 && rc2 == 0))
}
check "CREATE EXTENSION sroi in two databases of one cluster at the same time: both succeed" concurrent
check "each of the four roles exists once, NOLOGIN, without special attributes" \
    is postgres "SELECT string_agg(rolname || ':' || rolcanlogin || rolsuper || rolbypassrls || rolcreaterole, ' ' ORDER BY rolname)
                   FROM pg_roles WHERE rolname IN ($roles)" \
    "sroi_contract_manager:falsefalsefalsefalse sroi_coordinator:falsefalsefalsefalse sroi_reader:falsefalsefalsefalse sroi_supplier:falsefalsefalsefalse"
if [[ $fresh == yes ]]; then
    check "the roles CREATE EXTENSION created have their COMMENT" \
        is postgres "SELECT count(*) FROM pg_roles WHERE rolname IN ($roles)
                      AND shobj_description(oid, 'pg_authid') LIKE 'sroi: %'" 4
else
    ok "the roles CREATE EXTENSION created have their COMMENT # SKIP the roles were in use before this test (in_use $in_use, members $members)"
fi
check "both databases grant the views to sroi_reader and activity columns to sroi_supplier" \
    is "$db1" "SELECT has_table_privilege('sroi_reader', 'sroi.contract_compliance', 'SELECT')
                  AND has_column_privilege('sroi_supplier', 'sroi.activity', 'fte', 'INSERT')" t
check "(the same in the second database)" \
    is "$db2" "SELECT has_table_privilege('sroi_reader', 'sroi.contract_compliance', 'SELECT')
                  AND has_column_privilege('sroi_supplier', 'sroi.activity', 'fte', 'INSERT')" t

# ---- 2. data and users in the second database --------------------------------
setup() {
    value postgres "CREATE ROLE two_reader NOLOGIN IN ROLE sroi_reader;
                    CREATE ROLE two_supplier NOLOGIN IN ROLE sroi_supplier" &&
    psql_db "$db2" <<'SQL'
INSERT INTO sroi.role_scope (role_name, supplier) VALUES ('two_supplier', 'Two BV');
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('T-1', 'Diemen', 'Two BV', 'second database', 500000, current_date - 100, current_date - 90, current_date + 300),
       ('T-2', 'Diemen', 'Other BV', 'not theirs', 500000, current_date - 100, current_date - 90, current_date + 300);
SQL
}
check "the second database gets two contracts, a supplier and a reader" setup
check "as sroi_reader the second database's view contract_compliance shows both contracts" \
    is "$db2" "SET ROLE two_reader; SELECT count(*) FROM sroi.contract_compliance" 2
check "as the supplier it shows its own contract only" \
    is "$db2" "SET ROLE two_supplier; SELECT string_agg(id, ',') FROM sroi.contract" T-1

# ---- 3. DROP EXTENSION in the first database --------------------------------
check "DROP EXTENSION sroi in the first database succeeds" value "$db1" "DROP EXTENSION sroi"
check "the four roles are still there" \
    is postgres "SELECT count(*) FROM pg_roles WHERE rolname IN ($roles)" 4
check "the second database's grants still work: sroi_reader reads contract_compliance" \
    is "$db2" "SET ROLE two_reader; SELECT count(*) FROM sroi.contract_compliance" 2
check "the supplier still reads its own contract there, under its policy" \
    is "$db2" "SET ROLE two_supplier; SELECT string_agg(id, ',') FROM sroi.contract" T-1
check "and sroi_reader is still refused the candidate table there (42501)" \
    expect_error "$db2" 42501 "SET ROLE two_reader; SELECT * FROM sroi.candidate"
# DROP EXTENSION leaves the schema sroi that CREATE EXTENSION made (PostgreSQL never
# makes it an extension member), empty, with its USAGE grants.
check "in the first database only the empty schema sroi left by DROP EXTENSION still refers to the sroi roles" \
    is postgres "SELECT string_agg(DISTINCT classid::regclass::text, ',') FROM pg_shdepend
                  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db1')
                    AND refclassid = 'pg_authid'::regclass
                    AND refobjid IN (SELECT oid FROM pg_roles WHERE rolname IN ($roles))" pg_namespace

# ---- 4. again, and away -------------------------------------------------------
check "CREATE EXTENSION sroi in the first database again, with the roles present, succeeds" \
    value "$db1" "CREATE EXTENSION sroi"
check "and grants to the existing roles again" \
    is "$db1" "SELECT has_table_privilege('sroi_reader', 'sroi.target_group_outcomes', 'SELECT')
                  AND NOT has_table_privilege('sroi_reader', 'sroi.activity', 'SELECT')" t
drop_both() {
    value "$db1" "DROP EXTENSION sroi; DROP SCHEMA sroi" && value "$db2" "DROP EXTENSION sroi; DROP SCHEMA sroi" &&
    is postgres "SELECT count(*) FROM pg_shdepend
                  WHERE dbid IN (SELECT oid FROM pg_database WHERE datname IN ('$db1', '$db2'))
                    AND refclassid = 'pg_authid'::regclass
                    AND refobjid IN (SELECT oid FROM pg_roles WHERE rolname IN ($roles))" 0
}
check "after DROP EXTENSION and DROP SCHEMA sroi in both databases nothing in them refers to the sroi roles (DROP ROLE would work)" drop_both

tap_done
