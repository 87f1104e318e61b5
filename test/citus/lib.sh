# Helpers of the Citus TAP tests (test/citus/*.sh), sourced after test/tools/tap.sh.
# They run inside test/tools/citus.sh, which exports CITUS_COORD_PORT, CITUS_WORKER1_PORT,
# CITUS_WORKER2_PORT and PGHOST (the socket folder).

# q DB SQL: runs SQL (a script: several statements) on the coordinator, stops at the
# first error; prints the rows unaligned, errors on stdout too.
# (Statements go one by one: Citus refuses to propagate a DDL string of several commands.)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d "$1" <<<"SET client_min_messages = warning;
$2" 2>&1; }
# qp PORT DB SQL: on a given node.
qp() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$1" -d "$2" <<<"SET client_min_messages = warning;
$3" 2>&1; }

# err OUTPUT: the ERROR line of psql output and its DETAIL, without psql's prefixes.
err() { grep -E '(ERROR|DETAIL):' <<<"$1" | head -n 2 | sed -E 's/^psql:[^ ]*:[0-9]+: //; s/^psql: //; s/(ERROR|DETAIL):  /\1: /'; }

# fresh_db DB: a new Citus database (dropped first when it exists) on all three nodes.
fresh_db() {
    local port
    for port in "$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
        psql -X -q -p "$port" -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1
    done
    "$(dirname "${BASH_SOURCE[0]}")/../tools/citus-db.sh" "$1" >/dev/null
}

# expect_failure DESC DB SQL EXPECTED: ok when SQL fails with an error message that
# contains EXPECTED; the diagnostic shows the actual error.  (A test of its own, on the
# coordinator; tap.sh's expect_error DB SQLSTATE SQL is a condition for check.)
expect_failure() {
    local out
    if out=$(q "$2" "$3"); then
        not_ok "$1" "succeeded, expected an error containing: $4"
    elif [[ $(err "$out") == *"$4"* ]]; then
        ok "$1"
        err "$out" | sed 's/^/#   /'
    else
        not_ok "$1" "expected an error containing: $4
got: $out"
    fi
}

# expect_ok DESC DB SQL: ok when SQL succeeds; else its output is the diagnostic.
expect_ok() { check "$1" q "$2" "$3"; }

# expect_rows DESC DB SQL EXPECTED: ok when SQL's output (unaligned rows) is EXPECTED.
expect_rows() { equal "$1" "$4" "$(q "$2" "$3")"; }

# sroi's tables as scale.sql loads them (04_sroi_scale.sh), the reference tables first.
sroi_reference=(rate_card building_block pso_discount_rate candidate role_scope)
sroi_distributed=(contract activity plan_version plan turnover quarter_report phasing decision)

# distribute_sroi DB: creates sroi in DB (a Citus database) and distributes it as the
# README's Citus section says: SELECT * FROM sroi.distribute() (12_citus.sql).  Prints what
# failed; exit status non-zero on a failure.
distribute_sroi() {
    local out
    out=$(q "$1" "CREATE EXTENSION sroi; SELECT * FROM sroi.distribute()") || { echo "$out"; return 1; }
}

# same_rows DESC DB_A DB_B SQL [must]: test that SQL gives the same rows in both databases
# (sorted by the text of each row); the diagnostic is the first lines of the diff.  A TODO
# test (what sroi cannot do on Citus yet), or with "must" an ordinary one (what it does).
same_rows() {
    local a b d result reason=""
    a=$(q "$2" "SELECT t::text FROM ($4) AS t ORDER BY 1" 2>&1)
    b=$(q "$3" "SELECT t::text FROM ($4) AS t ORDER BY 1" 2>&1)
    if [[ $a == "$b" && $a != *ERROR:* ]]; then
        result=1; desc="$1 ($(grep -c . <<<"$a") rows)"
    elif [[ $b == *ERROR:* ]]; then
        result=0; desc=$1; reason=$(err "$b")
    else
        result=0; desc=$1
        d=$(diff <(echo "$a") <(echo "$b") | head -n 8)
        reason="single node $(grep -c . <<<"$a") rows, cluster $(grep -c . <<<"$b") rows; diff:
$d"
    fi
    if [[ ${5:-} == must ]]; then
        if ((result)); then ok "$desc"; else not_ok "$desc" "$reason"; fi
    elif ((result)); then todo_ok 1 "$desc" "sroi on Citus"
    else todo_ok 0 "$desc" "sroi on Citus" "$reason"; fi
}

# report_queries DB AS_OF: every view of sroi in DB, and every report function of a date
# (FN(as_of) and report_FN(as_of), each returning a view's rows: the as-of functions
# src/tools/expand.awk derives from the views), one query a line.
report_queries() {
    q "$1" "SELECT format('SELECT * FROM %s', c.oid::regclass) FROM pg_class AS c
             WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
            UNION ALL
            SELECT format('SELECT * FROM %s(date %L)', p.oid::regproc, '$2') FROM pg_proc AS p
              JOIN pg_type AS t ON t.oid = p.prorettype
              JOIN pg_class AS c ON c.oid = t.typrelid AND c.relkind = 'v'
             WHERE p.pronamespace = 'sroi'::regnamespace AND p.proretset
               AND p.proargtypes[0] = 'date'::regtype AND p.pronargs - p.pronargdefaults = 1
               AND p.proname NOT LIKE '%\_for'
            ORDER BY 1"
}

# same_reports SINGLE CLUSTER AS_OF: one test per report query (report_queries, read from
# SINGLE) that it gives the same rows in both databases; and a failing test when fewer
# than 35 queries were found.  Used by 03 and 04.
same_reports() {
    local sql count=0
    while IFS= read -r sql; do
        count=$((count + 1))
        same_rows "same rows: $sql" "$1" "$2" "$sql" must
    done < <(report_queries "$1" "$3")
    ((count >= 35)) || not_ok "report_queries found every view and report function (35 or more)" "$count"
}

