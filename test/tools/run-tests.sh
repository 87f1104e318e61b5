#!/usr/bin/env bash
# Runs every pg_regress test and every pgTAP suite (test/pgtap/*.sql: make installcheck),
# the check of sroi.so's exported symbols (test/tools/exports.sh), the check that every
# rule of domain.md is cited in src (test/tools/rule-citations.sh), the pg_dump /
# pg_restore round trip (test/tools/dump-roundtrip.sh, TAP under prove), the upgrade path
# (upgrade.sh), the BI clients (test/bi/bi-clients.sh: pgJDBC, node-postgres and psqlODBC
# as a LOGIN reader, in a cluster of its own that also listens on 127.0.0.1), the report
# pages (report-test.sh), sroi in two databases (two-databases.sh) and the concurrency and crash
# tests (test/tools/race.sh, load-test.sh for 5 s, crash.sh) on one private throw-away
# cluster, then prints "N passed, N failed" as the last line.
# Expects sroi to be built and installed already (make test does that first).
# Then the Citus suite (test/citus, on a cluster of its own: test/tools/citus.sh) when
# Citus is installed; otherwise one line says it was skipped.
# Debugging switches: SROI_SKIP_REGRESS=1 skips the pg_regress step (make
# installcheck-pgtap), SROI_SKIP_CITUS=1 the Citus suite (.ci/run runs it with make
# test-citus instead).
set -euo pipefail

self=$(realpath "${BASH_SOURCE[0]}")
cd "$(dirname "$self")/../.."

# Inner part, run by with-cluster.sh: writes outputs and exit codes to folder $2.
if [[ ${1:-} == --inside ]]; then
    out=$2
    # make installcheck: the pg_regress tests and the pgTAP suites (-k: the one after a
    # failed one runs too).
    target=installcheck
    [[ ${SROI_SKIP_REGRESS:-} == 1 ]] && target=installcheck-pgtap
    rc=0
    make -k "$target" ${PG_CONFIG:+PG_CONFIG="$PG_CONFIG"} 2>&1 | tee "$out/installcheck.log" || rc=$?
    echo "$rc" >"$out/installcheck.rc"

    # sroi.so exports only its SQL-callable functions (TAP, reads the installed sroi.so).
    rc=0
    prove -v test/tools/exports.sh 2>&1 | tee "$out/exports.log" || rc=$?
    echo "$rc" >"$out/exports.rc"

    # Every rule section of domain.md cited in src, "domain.md N.M" (TAP, reads files only;
    # skipped when ../shared/spec/domain.md is not beside the repository).
    rc=0
    prove -v test/tools/rule-citations.sh 2>&1 | tee "$out/rule-citations.log" || rc=$?
    echo "$rc" >"$out/rule-citations.rc"

    # pg_dump / pg_restore round trip (TAP from a shell script, own databases).
    rc=0
    prove -v test/tools/dump-roundtrip.sh 2>&1 | tee "$out/roundtrip.log" || rc=$?
    echo "$rc" >"$out/roundtrip.rc"

    # Upgrade path: released install scripts unchanged, every upgrade script equal to a
    # fresh install (TAP, own databases).
    rc=0
    prove -v test/tools/upgrade.sh 2>&1 | tee "$out/upgrade.log" || rc=$?
    echo "$rc" >"$out/upgrade.rc"

    # Tenants that do not trust each other: attacks as LOGIN roles (own database).
    rc=0
    prove -v test/tools/tenants.sh 2>&1 | tee "$out/tenants.log" || rc=$?
    echo "$rc" >"$out/tenants.rc"

    # BI clients as a reader: metadata, comments, types, grants, a leaky function.  In a
    # fresh cluster of its own that also listens on loopback TCP (pgJDBC has no Unix sockets).
    rc=0
    WITH_TCP=1 test/tools/with-cluster.sh prove -v test/bi/bi-clients.sh 2>&1 | tee "$out/bi-clients.log" || rc=$?
    echo "$rc" >"$out/bi-clients.rc"

    # The report pages (issue #12): figures against the views, well-formed, nothing
    # external, escaping; rendered in headless Chromium when installed (always in CI).
    rc=0
    prove -v test/tools/report-test.sh 2>&1 | tee "$out/report.log" || rc=$?
    echo "$rc" >"$out/report.rc"

    # sroi in two databases of one cluster: cluster-wide roles, DROP EXTENSION in one.  In
    # a fresh cluster of its own, so that CREATE EXTENSION creates the roles (here
    # contrib_regression uses them already).
    rc=0
    test/tools/with-cluster.sh prove -v test/tools/two-databases.sh 2>&1 | tee "$out/two-databases.log" || rc=$?
    echo "$rc" >"$out/two-databases.rc"

    # Concurrency and crash safety (TAP from shell scripts, own databases): two sessions
    # placing one person, a 5 s load test, and SIGKILL of a backend mid-batch (last: the
    # whole cluster restarts).
    for t in race load-test crash; do
        rc=0
        args=()
        [[ $t == load-test ]] && args=(:: 5)
        prove -v "test/tools/$t.sh" "${args[@]}" 2>&1 | tee "$out/$t.log" || rc=$?
        echo "$rc" >"$out/$t.rc"
    done
    exit 0
fi

out=$(mktemp -d /tmp/sroi-test.XXXXXX)
trap 'rm -rf "$out"' EXIT

cluster_rc=0
test/tools/with-cluster.sh "$self" --inside "$out" || cluster_rc=$?

citus_control=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --sharedir)/extension/citus.control
if [[ ${SROI_SKIP_CITUS:-} == 1 ]]; then
    echo "citus suite skipped: SROI_SKIP_CITUS=1"
elif [[ -f $citus_control ]]; then
    rc=0
    test/tools/citus.sh prove -v test/citus/[0-9]*.sh 2>&1 | tee "$out/citus.log" || rc=$?
    echo "$rc" >"$out/citus.rc"
else
    echo "citus suite skipped: Citus is not installed; run \`make test-citus CITUS_SRC=../shared/vendor/citus-13.0.5.tar.gz\`"
fi

passed=0
failed=0
if ((cluster_rc != 0)); then
    echo "run-tests: the test cluster failed (exit status $cluster_rc)" >&2
    failed=1
fi

# count PASS_REGEX FAIL_REGEX NAME: adds one tool's results to the totals.
count() {
    local log=$out/$3.log rc p f
    [[ -f $out/$3.rc ]] || return 0
    rc=$(<"$out/$3.rc")
    p=$(grep -E -- "$1" "$log" | grep -vc "# TODO" || true)
    # TAP TODO tests ("not ok N - ... # TODO") are known gaps, not failures
    f=$(grep -E -- "$2" "$log" | grep -vc '# TODO' || true)
    # A non-zero exit without a counted failure (crash, plan mismatch...) is one failure.
    if ((rc != 0 && f == 0)); then
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
}
# pg_regress prints "test NAME ... ok" or "... FAILED", pg_prove the TAP lines
count ' \.\.\. ok|^ok ' '\.\.\. FAILED|^not ok ' installcheck
count '^ok ' '^not ok ' exports
count '^ok ' '^not ok ' rule-citations
count '^ok ' '^not ok ' roundtrip
count '^ok ' '^not ok ' upgrade
count '^ok ' '^not ok ' tenants
count '^ok ' '^not ok ' bi-clients
count '^ok ' '^not ok ' report
count '^ok ' '^not ok ' two-databases
count '^ok ' '^not ok ' race
count '^ok ' '^not ok ' load-test
count '^ok ' '^not ok ' crash
count '^ok ' '^not ok ' citus

if [[ -f $out/installcheck.rc && $(<"$out/installcheck.rc") != 0 && -s regression.diffs ]]; then
    echo "---- regression.diffs (first 300 lines) ----"
    head -n 300 regression.diffs
fi

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
