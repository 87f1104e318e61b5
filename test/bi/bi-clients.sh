#!/usr/bin/env bash
# BI clients as a TAP test: a LOGIN role in sroi_reader syncs the metadata of schema sroi
# and reads every relation through real client libraries, the way BI tools do:
#   pgJDBC (Debian's /usr/share/java/postgresql.jar; Metabase, Tableau), compiled here;
#   node-postgres (npm pg, pinned in package-lock.json, installed into test/bi/node_modules);
#   psqlODBC through unixODBC (Power BI, Excel), with pyodbc.
# Each must see: exactly the views granted to the reader (no table it can read), a
# comment on every view and column, the declared column types (expected-types.txt), every
# view readable and every table refused with 42501.  Then a function of the reader's own
# in a WHERE clause must not see suppressed small cells.  Needs TCP (pgJDBC has no Unix
# sockets):
#   WITH_TCP=1 test/tools/with-cluster.sh prove -v test/bi/bi-clients.sh
# The declared numeric sizes (numeric(15,2) for money, ...) are a group of their own:
# "[declared types]" tests fail while the views still show unconstrained numeric.
set -uo pipefail
# sort, join and comm in the byte order of the cluster's C.UTF-8 ORDER BY
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../tools/tap.sh"

db=sroi_bi
reader=bi_reader
work=$(mktemp -d /tmp/sroi-bi.XXXXXX)
chmod 755 "$work"
tap_databases=("$db")
tap_roles=("$reader" tr_coord tr_manager_diemen tr_alfa_user tr_alfa tr_beta tr_reader tr_coord_alfa)
trap tap_cleanup EXIT
tap_drop_databases
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $(IFS=,; echo "${tap_roles[*]}")" >/dev/null 2>&1

tap_plan 26

# ---- set-up: the security fixture (4 contracts running today, small cells) -------------
setup() {
    createdb "$db" &&
    psql_db "$db" -c "CREATE EXTENSION sroi" &&
    psql_db "$db" -f "$here/../pgtap/security_fixture.psql" >/dev/null &&
    psql_db "$db" -c "CREATE ROLE $reader LOGIN IN ROLE sroi_reader"
}
check "set-up: database, extension, the security fixture and a LOGIN role in sroi_reader" setup

# What the owner knows: the relations of schema sroi, those the reader may select, and
# the expected column types (without comment lines).
owner() { psql_db "$db" -A -t -F ' ' -c "$1"; }
relations=$(owner "SELECT relname, CASE WHEN relkind IN ('v', 'm') THEN 'VIEW' ELSE 'TABLE' END FROM pg_class
                    WHERE relnamespace = 'sroi'::regnamespace AND relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1")
granted=$(owner "SELECT relname FROM pg_class WHERE relnamespace = 'sroi'::regnamespace
                  AND relkind IN ('r', 'v', 'm', 'p', 'f') AND has_table_privilege('$reader', oid, 'SELECT') ORDER BY 1")
expected_types=$(grep -v '^#' "$here/expected-types.txt" | sort)
# The views the reader must have at least (api.md and 11_bi.sql).
must_have="category_mix chain_delivery contract_compliance contract_dimension labels municipality_quarter overdue_items quarter_dimension quarterly_progress target_group_outcomes"

check "the reader is granted the BI views (and only views)" bash -c '
    for v in '"$must_have"'; do grep -qx "$v" <<<"$1" || { echo "missing: $v"; exit 1; }; done
    kinds=$(join <(sort <<<"$1") <(sort <<<"$2") | awk "\$2 != \"VIEW\"")
    [[ -z $kinds ]] || { echo "granted but not a view: $kinds"; exit 1; }' _ "$granted" "$relations"
check "the expected types list every column of every granted view" \
    expect_equal "$granted" "$(awk '{print $1}' <<<"$expected_types" | sort -u)"

# same_types EXPECTED METADATA RESULT: both lists of "view column type" are EXPECTED.
same_types() {
    local meta result status=0
    meta=$(expect_equal "$1" "$2") || { status=1; echo "metadata:"; echo "$meta"; }
    result=$(expect_equal "$1" "$3") || { status=1; echo "result set:"; echo "$result"; }
    return $status
}

# ---- the checks of one client's output -------------------------------------------------
# client_checks NAME FILE METADATA_LISTS_ALL [COMMENTS]: 6 tests.  METADATA_LISTS_ALL: 1
# when the client's table list shows every relation (JDBC, ODBC), 0 when only those the
# login may use (information_schema).  COMMENTS: remarks (the metadata's REMARKS, T and C
# lines, the default) or query (QT and QC lines: the comments read by a query through the
# client, for a driver that leaves REMARKS empty).
client_checks() {
    local name=$1 file=$2 all=$3 comments=${4:-remarks} out
    out=$(<"$file")
    local readable views tables refused
    readable=$(awk '$1 == "S" && $3 == "ok" {print $2}' <<<"$out" | sort)
    check "$name: the reader can read exactly the granted views" expect_equal "$granted" "$readable"
    # every relation not granted was tried and refused with 42501
    refused=$(awk '$1 == "S" && $3 == "error" {print $2 " " $4}' <<<"$out" | sort)
    check "$name: every table (and ungranted view) of sroi is refused with 42501" expect_equal \
        "$(comm -23 <(awk '{print $1}' <<<"$relations") <(printf '%s\n' "$granted") | sed 's/$/ 42501/')" "$refused"
    if ((all)); then
        listed=$(awk '$1 == "T" {print $2 " " $3}' <<<"$out" | sort)
        check "$name: the metadata lists every relation of sroi with its kind" expect_equal "$relations" "$listed"
    else
        listed=$(awk '$1 == "T" {print $2}' <<<"$out" | sort)
        check "$name: the metadata lists exactly the granted views" expect_equal "$granted" "$listed"
    fi
    # comments: of the granted views and of all their columns
    local nocomment
    local t=T c=C what="REMARKS on every granted view and every column"
    if [[ $comments == query ]]; then
        t=QT c=QC what="a comment on every granted view and every column, read by a query (the driver leaves REMARKS empty)"
    fi
    nocomment=$(awk -v g="$(tr '\n' ' ' <<<"$granted")" -v t=$t -v c=$c '
                     BEGIN {n = split(g, a, " "); for (i = 1; i <= n; i++) ok[a[i]] = 1}
                     ($1 == t && ok[$2] && $NF != "yes") {print "view " $2}
                     ($1 == c && ok[$2] && $NF != "yes") {print "column " $2 "." $3}' <<<"$out")
    check "$name: $what" expect_equal "" "$nocomment"
    # types: metadata (C) and result set (R), split into the non-numeric and numeric groups
    local meta result
    meta=$(awk -v g="$(tr '\n' ' ' <<<"$granted")" 'BEGIN {n = split(g, a, " "); for (i = 1; i <= n; i++) ok[a[i]] = 1}
                $1 == "C" && ok[$2] {print $2, $3, $4}' <<<"$out" | sort)
    result=$(awk '$1 == "R" {print $2, $3, $4}' <<<"$out" | sort)
    check "$name: column types of every view, metadata and result set (text, date, boolean, integer; numeric columns present)" \
        same_types "$(sed -E 's/ numeric(\(.*)?$/ numeric/' <<<"$expected_types")" \
                   "$(sed -E 's/ numeric(\(.*)?$/ numeric/' <<<"$meta")" "$(sed -E 's/ numeric(\(.*)?$/ numeric/' <<<"$result")"
    check "$name [declared types]: numeric precision and scale, metadata and result set" \
        same_types "$(grep ' numeric' <<<"$expected_types")" "$(grep ' numeric' <<<"$meta")" "$(grep ' numeric' <<<"$result")"
}

# ---- pgJDBC -----------------------------------------------------------------------------
jar=/usr/share/java/postgresql.jar
if [[ -z ${PGTCPHOST:-} ]]; then
    not_ok "pgJDBC: a TCP port (run under WITH_TCP=1 test/tools/with-cluster.sh)"
    for i in 1 2 3 4 5 6; do skip "pgJDBC: no TCP"; done
elif ! javac -d "$work" -cp "$jar" "$here/BiMetadata.java" >"$work/javac.log" 2>&1 \
   || ! java -cp "$work:$jar" BiMetadata "jdbc:postgresql://$PGTCPHOST:$PGPORT/$db?user=$reader&ApplicationName=sroi-bi-test" \
        >"$work/jdbc.out" 2>"$work/jdbc.err"; then
    not_ok "pgJDBC: compile BiMetadata.java and sync the metadata as $reader" "$(cat "$work/javac.log" "$work/jdbc.err" 2>/dev/null)"
    for i in 1 2 3 4 5 6; do skip "pgJDBC did not run"; done
else
    ok "pgJDBC $(sed -n 's/^V //p' "$work/jdbc.out"): metadata synced as $reader over 127.0.0.1"
    client_checks pgJDBC "$work/jdbc.out" 1
fi

# ---- node-postgres ----------------------------------------------------------------------
# npm ci: exactly the versions of package-lock.json, into test/bi/node_modules (ignored by git)
if ! (cd "$here" && { [[ -f node_modules/pg/package.json && node_modules/.package-lock.json -nt package-lock.json ]] ||
                      npm ci --no-audit --no-fund --loglevel=error; }) >"$work/npm.log" 2>&1 \
   || ! PGUSER=$reader PGDATABASE=$db node "$here/bi-metadata.js" >"$work/node.out" 2>"$work/node.err"; then
    not_ok "node-postgres: npm ci and sync the metadata as $reader" "$(cat "$work/npm.log" "$work/node.err" 2>/dev/null)"
    for i in 1 2 3 4 5 6; do skip "node-postgres did not run"; done
else
    ok "node-postgres $(node -p "require('$here/node_modules/pg/package.json').version"): metadata synced as $reader over the Unix socket"
    client_checks node-postgres "$work/node.out" 0
fi

# ---- psqlODBC ---------------------------------------------------------------------------
# The Unicode driver, registered in an odbcinst.ini of the test's own (ODBCSYSINI): Debian's
# registration turns CommLog on, which would write a log file into /tmp per connection.
driver=$(find /usr/lib -name psqlodbcw.so -print -quit 2>/dev/null)
printf '[sroi PostgreSQL Unicode]\nDriver=%s\nCommLog=0\nDebug=0\n' "$driver" >"$work/odbcinst.ini"
export ODBCSYSINI=$work
odbc="Driver={sroi PostgreSQL Unicode};Servername=${PGTCPHOST:-$PGHOST};Port=$PGPORT;Database=$db;UID=$reader;"
# the options README.md recommends for Power BI and Excel
odbc+="UseDeclareFetch=1;Fetch=1000;BoolsAsChar=0;"
if ! /usr/bin/python3 "$here/bi_metadata_odbc.py" "$odbc" >"$work/odbc.out" 2>"$work/odbc.err"; then
    not_ok "psqlODBC: sync the metadata as $reader" "$(cat "$work/odbc.err")"
    for i in 1 2 3 4 5 6; do skip "psqlODBC did not run"; done
else
    ok "psqlODBC (Unicode driver, unixODBC, pyodbc): metadata synced as $reader"
    client_checks psqlODBC "$work/odbc.out" 1 query
fi

# ---- a leaky function of the reader's own ----------------------------------------------
# The reader creates, in its temp schema, a function that RAISEs its arguments as a NOTICE
# and costs nothing, so that the planner would run it as early as it can, and filters the
# views by it.  The NOTICEs must show only what the reader may see: the suppressed cells
# with NULL.  (The views read SECURITY DEFINER report functions, which are never inlined
# into the caller's query, so no qual of the caller's runs below the suppression.)
leak_sql="CREATE FUNCTION pg_temp.leak(VARIADIC a text[]) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
          \$\$BEGIN RAISE NOTICE 'leak %', array_to_string(a, '|', 'NULL'); RETURN true; END\$\$;"
notices=$(psql -X -q -A -t -U "$reader" -d "$db" -c "$leak_sql" \
    -c "SELECT count(*) FROM sroi.target_group_outcomes
         WHERE pg_temp.leak(municipality, quarter, benefit, persons::text, fte::text, realised::text)" \
    -c "SELECT count(*) FROM sroi.category_mix WHERE pg_temp.leak(contract_id, category, realised::text, share::text)" \
    -c "SELECT count(*) FROM sroi.contract_compliance
         WHERE pg_temp.leak(contract_id, realised_a::text, realised_b::text, realised_c::text, realised_bonus::text)" 2>&1 >/dev/null |
    sed -n 's/^.*NOTICE:  leak //p' | sort)
# what the reader may see, read by the owner through the report functions as the reader
visible=$(owner "SELECT concat_ws('|', municipality, quarter::text, benefit, coalesce(persons::text, 'NULL'),
                                  coalesce(fte::text, 'NULL'), coalesce(realised::text, 'NULL'))
                   FROM sroi.report_target_group_outcomes(sroi.today(), '$reader')
                 UNION ALL
                 SELECT concat_ws('|', contract_id, category, coalesce(realised::text, 'NULL'), coalesce(share::text, 'NULL'))
                   FROM sroi.report_category_mix(sroi.today(), '$reader')
                 UNION ALL
                 SELECT concat_ws('|', contract_id, coalesce(realised_a::text, 'NULL'), coalesce(realised_b::text, 'NULL'),
                                  coalesce(realised_c::text, 'NULL'), coalesce(realised_bonus::text, 'NULL'))
                   FROM sroi.report_compliance(sroi.today(), '$reader')" | sort)
check "a leaky function in WHERE sees exactly the rows the reader may see, no more" expect_equal "$visible" "$notices"
hidden=$(owner "SELECT concat_ws('|', municipality, quarter::text, benefit, persons, fte, realised)
                  FROM sroi.target_group_outcomes(sroi.today()) AS t
                 WHERE NOT EXISTS (SELECT FROM sroi.report_target_group_outcomes(sroi.today(), '$reader') AS r
                                    WHERE (r.municipality, r.quarter::text, r.benefit) = (t.municipality, t.quarter::text, t.benefit)
                                      AND NOT r.suppressed)")
check "the fixture has suppressed cells, and their persons and values are in no NOTICE" bash -c '
    [[ -n $1 ]] || { echo "no suppressed cell in the fixture"; exit 1; }
    while IFS= read -r line; do
        grep -qxF -- "$line" <<<"$2" && { echo "leaked: $line"; exit 1; }
    done <<<"$1"; exit 0' _ "$hidden" "$notices"

tap_done
