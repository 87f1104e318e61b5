#!/usr/bin/env bash
# Usage: test/tools/exports.sh [SROI.SO]
# The dynamic symbols sroi.so exports, as a TAP test: exactly its SQL-callable functions
# (the C names of the LANGUAGE C functions of the install script and of every script in
# upgrade/), their pg_finfo_ records and Pg_magic_func.  Anything else (a helper such as
# add_months or read_scaled) could clash with a symbol of the same name of another module
# loaded into the same backend (orafce exports add_months and months_between).
# SROI.SO: default the one installed for PG_CONFIG (pg_config --pkglibdir), else the
# one built in this tree.  Needs nm (binutils).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source test/tools/tap.sh
tap_plan 3

so=${1:-}
if [[ -z $so ]]; then
    so=$("${PG_CONFIG:-pg_config}" --pkglibdir 2>/dev/null)/sroi.so
    [[ -f $so ]] || so=sroi.so
fi
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" sroi.control)
scripts=("sroi--$version.sql" upgrade/sroi--*.sql)

# 'MODULE_PATHNAME', 'c_name' of every LANGUAGE C function any version declares
entry_points=$(cat "${scripts[@]}" 2>/dev/null |
    grep -oE "'MODULE_PATHNAME', *'[A-Za-z_][A-Za-z0-9_]*'" | sed -E "s/.*'([^']+)'$/\1/" | sort -u)
expected=$(sort -u <<<"Pg_magic_func
$entry_points
$(sed 's/^/pg_finfo_/' <<<"$entry_points")")
# (a build with -fsanitize=address,undefined, as check-asan's, exports nothing more)
exported=$(nm -D --defined-only "$so" 2>&1 | awk 'NF == 3 { print $3 }' | sort -u)

if [[ -n $entry_points && -n $exported ]]; then
    ok "nm reads $so, the scripts name $(wc -l <<<"$entry_points") C functions"
else
    not_ok "nm reads $so, the scripts name C functions" "$(nm -D --defined-only "$so" 2>&1 | head -n 5)"
fi

# none WHAT LIST: true when LIST is empty, else prints WHAT and LIST (for check).
none() {
    [[ -z $2 ]] && return 0
    echo "$1"
    echo "$2"
    return 1
}
check "sroi.so exports nothing but its SQL-callable functions and Pg_magic_func" \
    none "exported, but not SQL-callable (make them static, or hidden):" \
    "$(comm -13 <(echo "$expected") <(echo "$exported"))"
check "sroi.so exports every C function the install and upgrade scripts name" \
    none "not exported (PG_FUNCTION_INFO_V1 missing?):" \
    "$(comm -23 <(echo "$expected") <(echo "$exported"))"
tap_done
