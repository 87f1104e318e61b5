# TAP helpers shared by the shell tests in test/tools (source it, then `tap_plan N`;
# end the test with `tap_done`).

tap_plan() { planned=$1; n=0; failures=0; echo "1..$planned"; }

ok() { n=$((n + 1)); echo "ok $n - $1"; }

# not_ok DESCRIPTION [DIAGNOSTIC]
not_ok() {
    n=$((n + 1)); failures=$((failures + 1))
    echo "not ok $n - $1"
    if [[ -n ${2:-} ]]; then sed 's/^/#   /' <<<"$2"; fi
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds; its output is the diagnostic.
check() {
    local desc=$1 output
    shift
    if output=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "$output"; fi
}

# The exit status: 0 when every planned test ran and passed.
tap_done() {
    if ((n != planned)); then
        echo "# planned $planned tests but ran $n"
        exit 1
    fi
    ((failures == 0))
}
