#!/usr/bin/env bash
# test/fuzz/run.sh [executions [harness...]]: builds the libFuzzer harnesses of
# the pure C core (src/core) with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs each for the given number of executions (default 10,000,000), one
# after another.  Prints executions and seconds per harness; exits non-zero if
# any harness crashed, failed an invariant or got a sanitizer report (the input
# is saved under test/fuzz/build/artifacts/, the report in test/fuzz/build/NAME.log).
#
# Needs clang and libFuzzer from Debian 12: packages clang and libclang-rt-14-dev
# (installed here when missing and run as root).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$here/build"
runs=${1:-10000000}
shift || true
all=(quarter numeric calendar accrual persons)
harnesses=("$@")
((${#harnesses[@]})) || harnesses=("${all[@]}")

if ! [[ $runs =~ ^[0-9]+$ ]] || ((runs < 1)); then
    echo "usage: $0 [executions [harness...]]  (harnesses: ${all[*]})" >&2
    exit 2
fi

# The src/core files each harness links, and its longest input.
declare -A sources=(
    [quarter]="quarter_text.c calendar.c"
    [numeric]="numeric_bytes.c decimal.c"
    [calendar]="calendar.c decimal.c"
    [accrual]="accrual_rule.c calendar.c decimal.c"
    [persons]="persons_state.c"
)
declare -A max_len=([quarter]=64 [numeric]=64 [calendar]=96 [accrual]=96 [persons]=256)

CC=${CC:-clang}
libfuzzer_ok() {
    command -v "$CC" >/dev/null 2>&1 || return 1
    local probe
    probe=$(mktemp -d)
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' >"$probe/p.c"
    "$CC" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1
    local rc=$?
    rm -rf "$probe"
    return $rc
}
if ! libfuzzer_ok; then
    if ((EUID == 0)) && command -v apt-get >/dev/null; then
        echo "fuzz: installing clang and libclang-rt-14-dev (libFuzzer)"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang libclang-rt-14-dev
    fi
    if ! libfuzzer_ok; then
        echo "fuzz: clang with libFuzzer is missing; install it with:" >&2
        echo "  sudo apt-get install -y --no-install-recommends clang libclang-rt-14-dev" >&2
        exit 1
    fi
fi

mkdir -p "$build/artifacts"
cflags=(-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -O1 -g
        -Wall -Wextra -Wno-unused-parameter -I"$root/src/core" -I"$here")
for name in "${harnesses[@]}"; do
    [[ -n ${sources[$name]:-} ]] || { echo "fuzz: no harness '$name' (${all[*]})" >&2; exit 2; }
    srcs=()
    for f in ${sources[$name]}; do srcs+=("$root/src/core/$f"); done
    echo "fuzz: building fuzz_$name"
    "$CC" "${cflags[@]}" "$here/fuzz_$name.c" "${srcs[@]}" -o "$build/fuzz_$name"
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
printf '%-10s %12s %9s %10s  %s\n' harness executions seconds exec/s result
for name in "${harnesses[@]}"; do
    # New inputs go to the first (git-ignored) folder; the checked-in seeds stay as they are.
    mkdir -p "$build/corpus/$name"
    log="$build/$name.log"
    start=$(date +%s.%N)
    set +e
    "$build/fuzz_$name" -runs="$runs" -max_len="${max_len[$name]}" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$name-" \
        "$build/corpus/$name" "$here/corpus/$name" >"$log" 2>&1
    rc=$?
    set -e
    end=$(date +%s.%N)
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    rate=$(awk -v n="${executions:-0}" -v s="$seconds" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')
    if ((rc == 0)) && [[ ${executions:-0} -ge $runs ]]; then
        result=ok
    else
        result="FAILED (exit $rc), see $log"
        failed+=("$name")
    fi
    printf '%-10s %12s %9s %10s  %s\n' "$name" "${executions:-?}" "$seconds" "$rate" "$result"
    if ((rc != 0)); then
        grep -E 'invariant failed|ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -20 | sed 's/^/    /'
    fi
done

if ((${#failed[@]})); then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#harnesses[@]} harnesses ran $runs executions without a finding"
