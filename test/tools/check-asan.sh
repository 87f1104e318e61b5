#!/usr/bin/env bash
# Usage: test/tools/check-asan.sh        (make check-asan)
# Runs the whole test suite (test/tools/run-tests.sh: pg_regress, pgTAP, TAP shell
# tests) against sroi built with AddressSanitizer and UndefinedBehaviorSanitizer,
# and fails if a test fails or a sanitizer reports anything (the reports are printed).
#
# Nothing is installed into the system PostgreSQL, and the working tree is not built
# in: everything happens in a temp folder, removed on exit.
#   1. build:  a copy of this tree (tracked and untracked files, no build products) is
#      built with gcc -fsanitize=address,undefined and installed with DESTDIR=$tmp/root.
#   2. server: a private PostgreSQL 15 under $tmp/root, with the same layout as the
#      system one (test/tools/relocated-pg.sh): a copy of the system bin folder next to
#      lib and share folders of symlinks to the system files, plus the sanitized sroi.
#      Its "postgres" is a small wrapper that starts the real binary with the ASan
#      runtime preloaded (the server itself is not instrumented; the runtime has to be
#      loaded first) and the sanitizers set to write their reports to $tmp/logs.
#   3. probe:  a backend of that server LOADs sroi; its /proc/self/maps must show the
#      sanitized sroi.so from $tmp/root and the ASan runtime.
#   4. tests:  test/tools/run-tests.sh of the copy with PG_CONFIG set to the private
#      pg_config (with-cluster.sh then runs the private server, make installcheck
#      uses its pg_config).  Any file in $tmp/logs is a failure.
#
# What is checked: sroi's own code is instrumented.  ASan checks each of its loads and
# stores against the shadow memory (stack, globals, malloc'd memory: overruns, use
# after free); UBSan each of its operations (signed overflow, shifts, division by
# zero, alignment, null, bounds, bool and enum values...).  PostgreSQL
# itself is not instrumented, and palloc hands out pieces of larger malloc'd blocks:
# an overrun that stays inside such a block, or a use after pfree, goes unseen (a
# chunk above 8 kB has a block of its own, and an overrun past it is seen).
#
# Needs gcc with libasan and libubsan (Debian 12: gcc, which brings libasan8 and
# libubsan1) and objdump (binutils).
# Environment: PG_CONFIG (the system pg_config, default PostgreSQL 15's);
# RACE_HOLD_SECONDS (race.sh, default 5 here instead of 2: sanitized backends are slower).
set -euo pipefail

self=$(realpath "${BASH_SOURCE[0]}")
root=$(cd "$(dirname "$self")/../.." && pwd)

# Inner part of the probe (step 3), run by with-cluster.sh: a backend loads sroi and
# prints its memory map.
if [[ ${1:-} == --probe ]]; then
    exec psql -X -q -At -v ON_ERROR_STOP=1 -c "LOAD 'sroi'" -c "SELECT pg_read_file('/proc/self/maps')"
fi

# -fno-wrapv: PostgreSQL builds with -fwrapv, under which signed overflow is defined
# (it wraps) and UBSan cannot flag it; here an int overflow in sroi is an error.
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -fno-wrapv"
# PostgreSQL leaks on purpose when a process exits: no leak check.
asan_options="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1"
ubsan_options="print_stacktrace=1:halt_on_error=1:abort_on_error=1"

sys_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
source "$root/test/tools/relocated-pg.sh"

asan_lib=$(gcc -print-file-name=libasan.so)
if [[ $asan_lib != /* || ! -e $asan_lib ]]; then
    echo "check-asan: gcc has no libasan.so (Debian: apt-get install gcc libasan8 libubsan1)" >&2
    exit 1
fi

tmp=$(mktemp -d /tmp/sroi-asan.XXXXXX)
tmp=$(realpath "$tmp")
chmod 755 "$tmp" # the server runs as "postgres" when we are root
build=$tmp/build
dest=$tmp/root
relocated_pg_paths "$sys_config" "$dest" # sys_bin, sys_lib, sys_share; bin, lib, share
logs=$tmp/logs

# stop_left_over_servers: on an interrupted run, stops the postmaster of our private
# binary, if one still runs, and removes its cluster folder (normally with-cluster.sh
# has done both already).
stop_left_over_servers() {
    local p pid parent data
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/exe" 2>/dev/null) == "$bin/postgres.real" ]] || continue
        pid=${p#/proc/}
        parent=$(awk '{ print $4 }' "$p/stat" 2>/dev/null) || continue
        # the postmaster, not one of its children
        if [[ $(readlink "/proc/$parent/exe" 2>/dev/null) == "$bin/postgres.real" ]]; then continue; fi
        data=$(tr '\0' '\n' <"$p/cmdline" | sed -n '/^-D$/{n;p;q}')
        echo "check-asan: stopping the left-over server $pid ($data)" >&2
        kill -INT "$pid" 2>/dev/null || continue # fast shutdown
        for _ in $(seq 100); do
            if [[ ! -d $p ]]; then break; fi
            sleep 0.1
        done
        if [[ $data == /tmp/sroi-pg.*/data ]]; then rm -rf "${data%/data}"; fi
    done
}
# in_own_session CMD...: runs CMD in a session (process group) of its own and waits for
# it; cleanup ends that whole group if the run is interrupted.
suite_pid=
in_own_session() {
    local rc=0
    setsid "$@" </dev/null &
    suite_pid=$!
    wait "$suite_pid" || rc=$?
    suite_pid=
    return "$rc"
}
cleanup() {
    # An interrupted run: TERM to the test tools (with-cluster.sh then stops its
    # server), then stop whatever server of ours is left.
    if [[ -n $suite_pid ]]; then
        kill -TERM -- "-$suite_pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 -- "-$suite_pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    stop_left_over_servers || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Session 1 of race.sh holds its lock for RACE_HOLD_SECONDS (default 2) while the test
# checks that session 2 waits; sanitized backends start and run slower.
export RACE_HOLD_SECONDS=${RACE_HOLD_SECONDS:-5}

start=$SECONDS

# ---- 1. the sanitized build --------------------------------------------------
echo "check-asan: building sroi with $sanitize in $build"
mkdir -p "$build"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # the files `make test` would see: tracked and untracked, not the ignored build products
    (cd "$root" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do
            if [[ -e $f || -L $f ]]; then cp -a --parents -- "$f" "$build/"; fi
        done)
else
    cp -a "$root/." "$build/"
    make -s -C "$build" PG_CONFIG="$sys_config" clean
fi
# with_llvm=no: no bitcode, so the JIT cannot inline an unsanitized copy of sroi's functions.
if ! make -s -C "$build" PG_CONFIG="$sys_config" with_llvm=no COPT="$sanitize" all install \
    DESTDIR="$dest" >"$tmp/build.log" 2>&1; then
    echo "check-asan: the sanitized build failed:" >&2
    cat "$tmp/build.log" >&2
    exit 1
fi

# ---- 2. the private PostgreSQL -------------------------------------------------
relocated_pg_create
relocated_pg_check "check-asan: the private PostgreSQL" || exit 1

# hooks.so, preloaded after the ASan runtime, works around three problems of the
# sanitizers in an uninstrumented postgres:
# - The ASan runtime initialises itself on the first malloc.  In postgres that comes
#   from the constructor of libgpg-error (pulled in by libldap and libgcrypt), inside
#   bindtextdomain() while glibc holds its gettext lock; the runtime's start-up looks
#   up the optional symbol swift_demangle and calls dlerror(), which takes that lock
#   again: the lock is left broken and postgres hangs in its own bindtextdomain().
#   Defining swift_demangle (returning "cannot demangle") lets the look-up succeed,
#   so dlerror() has nothing to translate.
# - The UBSan runtime (libubsan, loaded with sroi.so) reads UBSAN_OPTIONS only at its
#   first report, from /proc/self/environ, which postgres has overwritten with its
#   process title by then: the options would be lost.  __ubsan_default_options()
#   gives them instead.
# - libubsan applies log_path by calling __sanitizer_set_report_path(), which the ASan
#   runtime, first in the search order, defines too: the call sets ASan's report path
#   (to the same folder, harmless) and libubsan would report on stderr, into the
#   server log that with-cluster.sh removes.  The hook calls libubsan's own function.
ubsan_soname=$(objdump -p "$(gcc -print-file-name=libubsan.so)" | awk '$1 == "SONAME" { print $2 }')
cat >"$tmp/hooks.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>

char *
swift_demangle(const char *name, unsigned long len, char *out, unsigned long *out_len, unsigned flags)
{
	return 0;
}

const char *
__ubsan_default_options(void)
{
	void	   *ubsan = dlopen(UBSAN_SONAME, RTLD_LAZY | RTLD_NOLOAD);
	void		(*set_report_path) (const char *) = 0;

	if (ubsan)
		set_report_path = (void (*) (const char *)) dlsym(ubsan, "__sanitizer_set_report_path");
	if (set_report_path)
		set_report_path(UBSAN_LOG_PATH);
	return UBSAN_OPTIONS;
}
EOF
gcc -shared -fPIC -nostdlib -O2 -Wall -o "$dest/hooks.so" "$tmp/hooks.c" \
    -DUBSAN_SONAME="\"$ubsan_soname\"" -DUBSAN_LOG_PATH="\"$logs/ubsan\"" \
    -DUBSAN_OPTIONS="\"$ubsan_options:log_path=$logs/ubsan\""

mv "$bin/postgres" "$bin/postgres.real"
cat >"$bin/postgres" <<EOF
#!/bin/sh
# check-asan: the real server, with the ASan runtime preloaded and the sanitizers'
# reports written to $logs/
LD_PRELOAD="$asan_lib $dest/hooks.so"
ASAN_OPTIONS="$asan_options:log_path=$logs/asan"
UBSAN_OPTIONS="$ubsan_options:log_path=$logs/ubsan"
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec "$bin/postgres.real" "\$@"
EOF
chmod 755 "$bin/postgres"
mkdir -p "$logs"
if ((EUID == 0)); then chown postgres: "$logs"; fi
"$bin/postgres" -V >/dev/null || {
    echo "check-asan: the private postgres does not start with the ASan runtime" >&2
    exit 1
}

export PG_CONFIG=$bin/pg_config

# sanitizer_reports: prints every report; false when there is none.
sanitizer_reports() {
    local f found=1
    for f in "$logs"/*; do
        [[ -f $f ]] || continue
        found=0
        echo "==== sanitizer report ${f##*/} ===="
        cat "$f"
    done
    return "$found"
}

# ---- 3. probe: the server loads the sanitized sroi -----------------------------
in_own_session "$build/test/tools/with-cluster.sh" "$self" --probe >"$tmp/maps" 2>&1 || {
    echo "check-asan: the probe on the private server failed:" >&2
    cat "$tmp/maps" >&2
    sanitizer_reports >&2 || true
    exit 1
}
maps=$(<"$tmp/maps")
if ! grep -qF " $lib/sroi.so" <<<"$maps" || ! grep -qF "/libasan.so" <<<"$maps"; then
    echo "check-asan: a backend did not map $lib/sroi.so and libasan:" >&2
    grep -E 'sroi|asan|ubsan' <<<"$maps" >&2 || true
    exit 1
fi
echo "check-asan: the private server loads $lib/sroi.so with $(grep -oE '/[^ ]*/libasan\.so[.0-9]*' <<<"$maps" | head -n 1)"

# ---- 4. the whole suite --------------------------------------------------------
echo "check-asan: test/tools/run-tests.sh on the private server ($(date +%T))"
rc=0
in_own_session "$build/test/tools/run-tests.sh" > >(tee "$tmp/tests.log") 2>&1 || rc=$?
wait # for tee
summary=$(tail -n 1 "$tmp/tests.log")

if sanitizer_reports; then
    echo "check-asan: FAILED: the sanitizers reported errors (above); tests: $summary"
    exit 1
fi
if ((rc != 0)); then
    echo "check-asan: FAILED: $summary, no sanitizer report"
    exit 1
fi
echo "check-asan: OK: $summary, no sanitizer report, $((SECONDS - start)) s"
