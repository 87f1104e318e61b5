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

# expect_error DESC DB SQL EXPECTED: ok when SQL fails with an error message that
# contains EXPECTED; the diagnostic shows the actual error.
expect_error() {
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

# expect_ok DESC DB SQL: ok when SQL succeeds.
expect_ok() {
    local out
    if out=$(q "$2" "$3"); then ok "$1"; else not_ok "$1" "$out"; fi
}

# expect_rows DESC DB SQL EXPECTED: ok when SQL's output (unaligned rows) is EXPECTED.
expect_rows() {
    local out
    out=$(q "$2" "$3") || true
    if [[ $out == "$4" ]]; then ok "$1"; else not_ok "$1" "expected:
$4
got:
$out"; fi
}
