#!/usr/bin/env bash
# Usage: test/tools/rule-citations.sh [DOMAIN_MD]
# Every rule of the spec is cited in the source, as a TAP test (no database).  The rules
# are the numbered sections of domain.md: a section with numbered items ("1. ...") is
# cited per item (1.1, ..., 7.11), one without (2, 3, 4, 5) as a whole.  A rule is cited
# when src (src/*.c, src/*.h, src/core/*, src/sql/*.sql; not src/upgrade, nor the frozen
# scripts in upgrade/) writes "domain.md N.M" (or "domain.md N"), the number not followed
# by another digit or ".digit": the form a reader greps for, so a list such as
# "domain.md 1.1, 1.2" cites 1.1 only, and a range "7.1-7.3" cites 7.1.  Also: no
# citation names a section domain.md does not have.
# DOMAIN_MD: default ../shared/spec/domain.md beside the repository (SROI_DOMAIN_MD
# overrides it); when there is none the test is skipped.
set -uo pipefail
shopt -s nullglob
# a path given is taken from the caller's folder, the default from the repository's
spec=${1:-${SROI_DOMAIN_MD:-}}
[[ -n $spec && $spec != /* ]] && spec=$PWD/$spec
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit
source test/tools/tap.sh
spec=${spec:-../shared/spec/domain.md}
if [[ ! -r $spec ]]; then
    echo "1..0 # SKIP no domain.md at $spec (give its path as the argument)"
    exit 0
fi
tap_plan 3

# The rule sections: "## N. Title" opens section N; an unindented "M. " line inside it
# is rule N.M; a section without such lines is one rule, N.
rules=$(awk '
    /^## [0-9]+\. / { if (s != "" && !items) print s; s = $2; sub(/\.$/, "", s); items = 0; next }
    /^## / { if (s != "" && !items) print s; s = ""; next }
    s != "" && /^[0-9]+\. / { m = $1; sub(/\.$/, "", m); print s "." m; items = 1 }
    END { if (s != "" && !items) print s }' "$spec")
# Every number a citation may name: the rules and the sections that hold items.
known=$( { echo "$rules"; sed -nE 's/^## ([0-9]+)\. .*/\1/p' "$spec"; } | sort -u)

sources=(src/*.c src/*.h src/core/*.[ch] src/sql/*.sql)
# "domain.md N" or "domain.md N.M", one per line, as cited
citations=$(grep -ohE 'domain\.md [0-9]+(\.[0-9]+)?' "${sources[@]}" | sed 's/^domain\.md //' | sort -u)

count=$(grep -c . <<<"$rules")
if ((count >= 5)); then
    ok "domain.md ($spec) has $count rule sections: $(tr '\n' ' ' <<<"$rules")"
else
    not_ok "domain.md ($spec) has numbered rule sections" "found: ${rules:-none}"
fi

uncited=$(comm -23 <(sort -u <<<"$rules") <(echo "$citations"))
if [[ -z $uncited ]]; then
    ok "every rule section of domain.md is cited in src (\"domain.md N.M\")"
else
    not_ok "every rule section of domain.md is cited in src (\"domain.md N.M\")" \
        "cited nowhere: $(tr '\n' ' ' <<<"$uncited")"
fi

unknown=$(comm -13 <(echo "$known") <(echo "$citations"))
if [[ -z $unknown ]]; then
    ok "every \"domain.md N.M\" cited in src names a section of domain.md"
else
    places=$(for u in $unknown; do
                 grep -nE "domain\.md ${u//./\\.}([^.0-9]|\.([^0-9]|$)|$)" "${sources[@]}"
             done)
    not_ok "every \"domain.md N.M\" cited in src names a section of domain.md" \
        "not in domain.md: $(tr '\n' ' ' <<<"$unknown")"$'\n'"$places"
fi
tap_done
