# The helper library of the shell tests in test/tools: TAP output, equality, psql and the
# clean-up of what a test creates.  Source it, set what the test creates (work, bg_pids,
# tap_databases, tap_roles), `trap tap_cleanup EXIT`, then `tap_plan N` (a test with
# databases of its own: `tap_start N NAME DB...` does all of that); end the test with
# `tap_done`.

# ---- TAP ---------------------------------------------------------------------
tap_plan() { planned=$1; n=0; failures=0; echo "1..$planned"; }

ok() { n=$((n + 1)); echo "ok $n - $1"; }

# not_ok DESCRIPTION [DIAGNOSTIC]
not_ok() {
    n=$((n + 1)); failures=$((failures + 1))
    echo "not ok $n - $1"
    if [[ -n ${2:-} ]]; then sed 's/^/#   /' <<<"$2"; fi
}

skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds; its output is the diagnostic.
check() {
    local desc=$1 output
    shift
    if output=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "$output"; fi
}

# expect_equal EXPECTED ACTUAL: true when they are equal, else prints both (a diff
# when they have several lines) and is false.  For check, or inside a test function.
expect_equal() {
    [[ $2 == "$1" ]] && return 0
    if [[ $1 == *$'\n'* || $2 == *$'\n'* ]]; then
        diff -u --label expected --label got <(printf '%s\n' "$1") <(printf '%s\n' "$2") | head -n 60
    else
        echo "expected: $1"
        echo "got:      $2"
    fi
    return 1
}

# equal DESCRIPTION EXPECTED ACTUAL: a test that ACTUAL is EXPECTED.
equal() { check "$1" expect_equal "$2" "$3"; }

# has TEXT PATTERN: true when TEXT matches the extended regex PATTERN (an SQLSTATE, a
# message), else says what it got (for check).
has() { if grep -qE -- "$2" <<<"$1"; then return 0; fi; echo "expected /$2/ in: ${1:-nothing}"; return 1; }

# absent SECRET TEXT: true when the string SECRET is nowhere in TEXT (for check).
absent() { if grep -qF -- "$1" <<<"$2"; then echo "secret '$1' found in: $2"; return 1; fi; }

# absent_all TEXT SECRET...: true when no SECRET is in TEXT (for check).
absent_all() {
    local text=$1 secret
    shift
    for secret in "$@"; do absent "$secret" "$text" || return 1; done
}

# has_only TEXT PATTERN SECRET...: has TEXT PATTERN, and absent_all TEXT SECRET...: an
# error or a page that says what it must and leaks none of the secrets (for check).
has_only() { has "$1" "$2" && absent_all "$1" "${@:3}"; }

# The exit status: 0 when every planned test ran and passed.
tap_done() {
    if ((n != planned)); then
        echo "# planned $planned tests but ran $n"
        exit 1
    fi
    ((failures == 0))
}

# ---- psql ----------------------------------------------------------------------
# psql_db DB [PSQL-ARGS...]: psql on DB, stopping at the first error.
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$@"; }

# value DB SQL: the bare value(s) of SQL, or the error text (the status is psql's).
value() { psql_db "$1" -A -t -c "$2" 2>&1; }

# as_login DB ROLE SQL: SQL as the LOGIN role, connecting as itself (no SET ROLE) to the
# server of PGHOST/PGPORT; prints rows and any error text (verbose: with the SQLSTATE),
# for the security tests that check what a hostile role gets back.
as_login() { psql -X -q -A -t -U "$2" -d "$1" -v VERBOSITY=verbose -c "$3" 2>&1; }

# is DB SQL EXPECTED: true when the value of SQL in DB is EXPECTED (for check).
is() { expect_equal "$3" "$(value "$1" "$2")"; }

# expect_error DB SQLSTATE SQL: true when SQL fails with that SQLSTATE (for check).
expect_error() {
    local output
    output=$(psql -X -q -d "$1" -v VERBOSITY=sqlstate -c "$3" 2>&1)
    if grep -q "^ERROR:  $2\$" <<<"$output"; then return 0; fi
    echo "expected SQLSTATE $2, got: ${output:-success}"
    return 1
}

# ---- clean-up ------------------------------------------------------------------
# What a test creates, for tap_cleanup: background jobs, databases, roles and a temp
# folder $work.
bg_pids=()
tap_databases=()
tap_roles=()

# tap_start PLAN NAME DB...: the start of a test with databases of its own: a temp folder
# $work (/tmp/sroi-NAME.XXXXXX), DB... as tap_databases, dropped now when an earlier run
# left them, tap_cleanup as the EXIT trap (set in a function, it is still the script's),
# then the plan.  Roles the test creates go in tap_roles, before or after.
tap_start() {
    work=$(mktemp -d "/tmp/sroi-$2.XXXXXX")
    tap_databases=("${@:3}")
    trap tap_cleanup EXIT
    tap_drop_databases
    tap_plan "$1"
}

# tap_drop_databases: drops the test's databases, left over from an earlier run or not.
tap_drop_databases() {
    local d
    for d in "${tap_databases[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done
}

# tap_cleanup: the EXIT trap.  Ends the background jobs, drops the databases, then the
# roles (their grants in those databases are gone with them), and removes $work.
tap_cleanup() {
    local p
    for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    tap_drop_databases
    if ((${#tap_roles[@]} > 0)); then
        psql -X -q -d postgres -c "DROP ROLE IF EXISTS $(IFS=,; echo "${tap_roles[*]}")" >/dev/null 2>&1
    fi
    if [[ -n ${work:-} ]]; then rm -rf "$work"; fi
}

# TODO tests (TAP "# TODO"): a feature known not to work yet.  They never count as
# failures; prove reports those that start to pass ("unexpectedly succeeded").
# todo_ok PASSED(0|1) DESCRIPTION REASON [DIAGNOSTIC]
todo_ok() {
    n=$((n + 1))
    if (($1)); then
        echo "ok $n - $2 # TODO $3"
    else
        echo "not ok $n - $2 # TODO $3"
        if [[ -n ${4:-} ]]; then sed 's/^/#   /' <<<"$4"; fi
    fi
}

