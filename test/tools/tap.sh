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

# todo_check DESCRIPTION REASON COMMAND...: todo_ok on COMMAND's success; its output is
# the diagnostic.
todo_check() {
    local desc=$1 reason=$2 output
    shift 2
    if output=$("$@" 2>&1); then todo_ok 1 "$desc" "$reason"; else todo_ok 0 "$desc" "$reason" "$output"; fi
}
