#!/usr/bin/env bash
# sroi on the cluster with a larger generated set (test/data/scale.sql, the bench
# generator; CITUS_SCALE_CONTRACTS contracts, default 10000, and CITUS_SCALE_ACTIVITIES
# activities, default 30000), loaded like scale.sql does (validation triggers off), compared
# row by row with a single-node database of the same data, and timed: contract_compliance
# and a per-contract accrual on 3 nodes against 1 node, printed as a ratio.  Runs inside
# test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
root=$here/../..
. "$here/../tools/tap.sh"
. "$here/lib.sh"

contracts=${CITUS_SCALE_CONTRACTS:-10000}
activities=${CITUS_SCALE_ACTIVITIES:-30000}
tap_plan $((6 + 35))
single=sroi_scale_single
cluster=sroi_scale

psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE IF EXISTS $single" -c "CREATE DATABASE $single" >/dev/null 2>&1
check "single node: sroi and scale.sql ($contracts contracts, $activities activities)" \
    psql -X -q -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d $single -v contracts="$contracts" -v activities="$activities" \
         -c "CREATE EXTENSION sroi" -f "$root/test/data/scale.sql"

fresh_db $cluster
distribute_sroi $cluster >/dev/null
# As scale.sql: rows in with the triggers off (session_replication_role does not reach the
# shards, so the triggers are disabled on the tables, then enabled again).
load() {
    local t
    q $cluster "SET citus.enable_unsafe_triggers = on;
                $(for t in "${sroi_reference[@]}" "${sroi_distributed[@]}"; do echo "ALTER TABLE sroi.$t DISABLE TRIGGER USER;"; done)" || return 1
    for t in rate_card building_block pso_discount_rate; do
        psql -X -q -p "$CITUS_COORD_PORT" -d $single -c "\\copy (SELECT * FROM sroi.$t WHERE NOT shipped) TO STDOUT" |
            psql -X -q -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d $cluster -c "\\copy sroi.$t FROM STDIN" || return 1
    done
    for t in candidate contract activity plan_version plan turnover quarter_report phasing; do
        psql -X -q -p "$CITUS_COORD_PORT" -d $single -c "\\copy sroi.$t TO STDOUT" |
            psql -X -q -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d $cluster -c "\\copy sroi.$t FROM STDIN" || return 1
    done
    q $cluster "SET citus.enable_unsafe_triggers = on;
                $(for t in "${sroi_reference[@]}" "${sroi_distributed[@]}"; do echo "ALTER TABLE sroi.$t ENABLE TRIGGER USER;"; done)"
}
check "cluster: the same rows, COPY through the coordinator (triggers off as in scale.sql)" load
counts="SELECT (SELECT count(*) FROM sroi.contract), (SELECT count(*) FROM sroi.activity), (SELECT count(*) FROM sroi.plan)"
expect_rows "consistency: contracts, activities and plans as on the single node" $cluster "$counts" "$(q $single "$counts")"

# every view and every report function of a date (same_reports, lib.sh), as in
# 03_sroi_demo.sh
same_reports $single $cluster 2025-12-31
accrual="SELECT a.contract_id, sroi.accrued_sum(b.unit, b.amount, b.reference_months,
                 CASE b.unit WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END,
                 a.starts_on, a.ends_on, date '2025-12-31', a.planned_ends_on, b.max_months, k.starts_on, k.ends_on)
           FROM sroi.activity AS a JOIN sroi.contract AS k ON k.id = a.contract_id
           JOIN sroi.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
          GROUP BY a.contract_id"
expect_rows "same rows: accrued_sum per contract over activity, contract and building_block (pushed down)" $cluster \
    "SELECT t::text FROM ($accrual) AS t ORDER BY 1" "$(q $single "SELECT t::text FROM ($accrual) AS t ORDER BY 1")"

# ms DB SQL: the median of 3 runs of SQL, in ms; empty when it fails.
ms() {
    local out
    out=$(psql -X -q -At -p "$CITUS_COORD_PORT" -d "$1" -c '\timing on' \
               -c "SELECT count(*) FROM ($2) AS t" -c "SELECT count(*) FROM ($2) AS t" -c "SELECT count(*) FROM ($2) AS t" 2>&1) ||
        return 1
    grep -oE '^Time: [0-9.]+' <<<"$out" | awk '{print $2}' | sort -n | sed -n 2p
}
# timing DESC SQL: prints 3 nodes : 1 node; a TODO when the cluster cannot run SQL.
timing() {
    local one three
    one=$(ms $single "$2")
    if three=$(ms $cluster "$2") && [[ -n $three ]]; then
        # (the three servers share this machine's cores: overhead, not speed-up)
        ok "timing of $1: 1 node ${one} ms, 3 nodes ${three} ms, ratio 3 nodes / 1 node $(awk -v a="$three" -v b="$one" 'BEGIN { printf "%.2f", a / b }') ($(nproc) cores, one machine: the overhead of distribution, not a speed-up)"
    else
        todo_ok 0 "timing of $1: 1 node ${one} ms, 3 nodes: fails" "sroi on Citus" "$(err "$(q $cluster "SELECT count(*) FROM ($2) AS t")")"
    fi
}
timing "full contract_compliance" "SELECT * FROM sroi.contract_compliance"
timing "accrued_sum per contract" "$accrual"

tap_done
