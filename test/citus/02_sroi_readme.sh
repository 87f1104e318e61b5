#!/usr/bin/env bash
# sroi as it ships, distributed as the README's Citus section says.  Every step that does
# not work yet is a TODO test whose diagnostic is the exact error; when sroi's schema is
# made distributable these start to pass (prove: "unexpectedly succeeded").  Runs inside
# test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

tap_plan 39

steps=(
    "SELECT create_reference_table('sroi.rate_card')"
    "SELECT create_reference_table('sroi.building_block')"
    "SELECT create_reference_table('sroi.pso_discount_rate')"
    "SELECT create_reference_table('sroi.candidate')"
    "SELECT create_distributed_table('sroi.contract', 'id')"
)
for t in activity plan turnover quarter_report phasing decision; do
    steps+=("SELECT create_distributed_table('sroi.$t', 'contract_id', colocate_with => 'sroi.contract')")
done
# not in the README: role_scope, read by the policies on every node
steps+=("SELECT create_reference_table('sroi.role_scope')")

# Three times: as the README says; with citus.enable_unsafe_triggers (sroi's tables have
# triggers); and with that and every user trigger disabled on every node (so the next
# blocker shows).  Each in a fresh database; each step after the previous, whatever it gave.
tables="rate_card building_block pso_discount_rate candidate role_scope contract activity plan turnover quarter_report phasing decision"
for mode in readme unsafe_triggers triggers_disabled; do
    db=sroi_$mode
    fresh_db $db
    set_guc=""
    [[ $mode != readme ]] && set_guc="SET citus.enable_unsafe_triggers = on;"
    out=$(q $db "CREATE EXTENSION sroi")
    if [[ $mode == triggers_disabled ]]; then
        for p in "$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
            out+=$(qp "$p" $db "$(for t in $tables; do echo "ALTER TABLE sroi.$t DISABLE TRIGGER USER;"; done)")
        done
    fi
    workers=$(for p in "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do qp "$p" $db "SELECT extversion FROM pg_extension WHERE extname = 'sroi'"; done | tr '\n' ' ')
    if [[ -z $out && -n ${workers// /} && $workers != *ERROR* ]]; then
        ok "$mode: CREATE EXTENSION sroi on the coordinator also creates it on both workers ($workers)"
    else
        not_ok "$mode: CREATE EXTENSION sroi on the coordinator also creates it on both workers" "$out $workers"
    fi
    for s in "${steps[@]}"; do
        if out=$(q $db "$set_guc $s"); then
            todo_ok 1 "$mode: $s" "sroi is not distributable yet"
        else
            todo_ok 0 "$mode: $s" "sroi is not distributable yet" "$(err "$out")"
        fi
    done
done

tap_done
