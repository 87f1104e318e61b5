#!/usr/bin/env bash
# Usage: test/tools/load-test.sh [SECONDS]   (default 20)
# Suppliers, the SR coordinator and BI readers at the same time for SECONDS, as a TAP test
# that also prints its figures.  Runs inside a cluster over its Unix socket (PGHOST,
# PGPORT, PGUSER set), e.g.  make load-test LOAD_SECONDS=60  or
#   test/tools/with-cluster.sh test/tools/load-test.sh 20
# In a fresh database sroi_load: 20 contracts, 2000 people eligible for A2, 40 "hot" people,
# a backlog of 2000 reported C10 activities.  Three pgbench runs side by side
# (test/tools/pgbench/*.sql, READ COMMITTED, extended protocol, no retries; -M prepared
# is not used: PG 15 pgbench names prepared statements per command, not per script, so
# scripts of one run collide):
#   suppliers:   4 clients; supplier.sql (weight 8: one valid activity), invalid.sql
#                (weight 1: an activity validation must refuse) and contested.sql
#                (weight 1: 0.6 fte for a hot person and day, where suppliers collide);
#   coordinator: 1 client, coordinator.sql (approve or reject one reported activity), at
#                most 200 a second (-R) so that it never runs out of reported activities;
#   readers:     2 clients, reader.sql (sroi.compliance, sroi.quarterly_progress, views).
# Then: no client aborted and no failed transaction, no deadlock and no ERROR in the
# server log during the run (the log is read at $PGHOST/server.log, where
# test/tools/with-cluster.sh writes it; without it those two checks are skipped), one row per supplier transaction, one decision per
# coordinator transaction, nothing from the refused attempts, no person over 1 fte.
set -uo pipefail

seconds=${1:-20}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi
cd "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/../.."
scripts=test/tools/pgbench
db=sroi_load
server_log=$PGHOST/server.log   # where test/tools/with-cluster.sh writes it
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
tap_start 15 load "$db"
num() { if [[ $1 =~ ^[0-9]+$ ]]; then echo "$1"; else echo 999999999; fi; }  # a count, or far off

# ---- fixture ---------------------------------------------------------------
fixture() {
    createdb "$db" && psql_db "$db" -f - 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION sroi;
-- 20 contracts over 2025-2027 in the three DUOplus municipalities.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
SELECT 'L' || lpad(i::text, 2, '0'), (ARRAY['Diemen', 'Uithoorn', 'Ouder-Amstel'])[1 + i % 3],
       'Supplier ' || i || ' BV', 'load contract ' || i, 400000 + 50000 * i,
       '2024-12-01', '2025-01-01', '2027-12-31'
  FROM generate_series(1, 20) AS i;
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
SELECT k.id, q.q::sroi.quarter, 'A2', 5000
  FROM sroi.contract AS k CROSS JOIN unnest(ARRAY['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']) AS q (q);
-- The pool: on Participatiewet since the first half of 2025, so A2 all through 2026.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT 'c' || lpad(i::text, 4, '0'), date '1960-01-01' + i * 7, 'participatiewet',
       date '2025-01-01' + i % 180
  FROM generate_series(1, 2000) AS i;
-- The hot people of contested.sql: A2 all through 2027.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT 'hot' || lpad(i::text, 2, '0'), date '1980-01-01' + i * 30, 'participatiewet', '2026-01-01'
  FROM generate_series(1, 40) AS i;
-- For invalid.sql: a person without a benefit, and one placed full time (approved, so
-- the coordinator never picks it).
INSERT INTO sroi.candidate (id, birth_date) VALUES ('none-1', '1990-01-01');
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
VALUES ('full-1', '1975-05-05', 'participatiewet', '2025-06-01');
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, status, evidence_ref)
VALUES ('L01', 'A2', 'full-1', 1, '2026-01-01', 'approved', 'load-seed');
-- The coordinator's backlog.
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
SELECT 'L' || lpad((1 + i % 20)::text, 2, '0'), 'C10', date '2026-01-01' + i % 300, 1 + i % 8, 'load-seed'
  FROM generate_series(1, 2000) AS i;

-- invalid.sql: each attempt must be refused with the expected SQLSTATE; anything else,
-- an acceptance included, raises and so aborts the pgbench client.
CREATE FUNCTION load_try_invalid(kind integer, contract integer) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    k text := 'L' || lpad(contract::text, 2, '0');
    expected text := CASE kind WHEN 1 THEN '22003' ELSE '23514' END;
BEGIN
    BEGIN
        IF kind = 1 THEN
            INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
            VALUES (k, 'A2', 'c0001', 1.5, '2026-03-01', 'load-invalid');
        ELSIF kind = 2 THEN
            INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref)
            VALUES (k, 'A2', 'none-1', 0.5, '2026-03-01', 'load-invalid');
        ELSE
            INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
            VALUES (k, 'A2', 'full-1', 0.1, '2026-03-01', '2026-03-31', 'load-invalid');
        END IF;
    EXCEPTION WHEN numeric_value_out_of_range OR check_violation THEN
        IF SQLSTATE <> expected THEN
            RAISE EXCEPTION 'invalid attempt % was refused with % instead of %: %', kind, SQLSTATE, expected, SQLERRM;
        END IF;
        RETURN SQLSTATE;
    END;
    RAISE EXCEPTION 'invalid attempt % was accepted', kind;
END
$$;
-- contested.sql: places one hot person at 0.6 fte for one day; every client that calls
-- it within the same 20 ms picks the same person and day (a new pair every tick: 40
-- people x 365 days of 2027, so pairs recur only after 292 s).  Returns true
-- when the placement went in, false when the no-double-fte rule refused it.
CREATE FUNCTION load_try_place(contract integer) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    tick bigint := floor(extract(epoch FROM clock_timestamp()) * 50);
    day date := date '2027-01-01' + (tick / 40 % 365)::integer;
BEGIN
    INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
    VALUES ('L' || lpad(contract::text, 2, '0'), 'A2', 'hot' || lpad((1 + tick % 40)::text, 2, '0'), 0.6,
            day, day, 'load-contested');
    RETURN true;
EXCEPTION WHEN check_violation THEN
    IF SQLERRM NOT LIKE 'fte % of candidate % from % would take the person over 1 fte: other activities already count for them in that period' THEN
        RAISE;
    END IF;
    RETURN false;
END
$$;
VACUUM ANALYZE;
SQL
}
check "fresh database $db: sroi, 20 contracts, 2063 people, a backlog of 2000 reported activities" fixture

# ---- the run -----------------------------------------------------------------
db_stat() { value "$db" "SELECT $1 FROM pg_stat_database WHERE datname = '$db'"; }
deadlocks_before=$(db_stat deadlocks)
log_offset=$(wc -c <"$server_log" 2>/dev/null || echo 0)
activity_before=$(value "$db" "SELECT count(*) FROM sroi.activity")

bench() {  # NAME CLIENTS SCRIPT...: a pgbench run in the background
    local name=$1 clients=$2
    shift 2
    pgbench -n -M extended -T "$seconds" -c "$clients" -j "$clients" -D seq=0 \
        -l --log-prefix="$work/$name.log" "$@" "$db" \
        >"$work/$name.out" 2>&1 &
    eval "${name}_bg=$!"
    bg_pids+=("$!")
}
echo "# running for $seconds s: 4 supplier clients, 1 coordinator (at most 200 tps), 2 readers"
bench suppliers 4 -f "$scripts/supplier.sql@8" -f "$scripts/invalid.sql@1" -f "$scripts/contested.sql@1"
bench coordinator 1 -R 200 -f "$scripts/coordinator.sql"
bench readers 2 -f "$scripts/reader.sql"
rc_suppliers=0 rc_coordinator=0 rc_readers=0
wait "$suppliers_bg" || rc_suppliers=$?
wait "$coordinator_bg" || rc_coordinator=$?
wait "$readers_bg" || rc_readers=$?

# script_figure RUN SCRIPT-NAME: "transactions tps" of one script of a pgbench run
script_figure() {
    awk -v s="$2" '
        /^SQL script [0-9]+:/ { cur = ($NF ~ s) }
        cur && /^ - [0-9]+ transactions/ { t = $2; match($0, /tps = [0-9.]+/); tps = substr($0, RSTART + 6, RLENGTH - 6) }
        END { print (t == "" ? "?" : t), (tps == "" ? "?" : tps) }' "$work/$1.out"
}
# run_figure RUN: "transactions tps failed latency-ms" of a pgbench run
run_figure() {
    awk '
        /^number of transactions actually processed:/ { t = $NF }
        /^number of failed transactions:/ { f = $5 }
        /^latency average = / { l = $4 }
        /^rate limit schedule lag: avg / { l = sprintf("%.3f", l - $6) }  # -R: latency counts from the schedule
        /^tps = / { tps = $3 }
        END { print (t == "" ? "?" : t), (tps == "" ? "?" : tps), (f == "" ? "?" : f), (l == "" ? "?" : l) }' "$work/$1.out"
}
read -r supplier_tx supplier_tps <<<"$(script_figure suppliers supplier.sql)"
read -r invalid_tx invalid_tps <<<"$(script_figure suppliers invalid.sql)"
read -r contested_tx contested_tps <<<"$(script_figure suppliers contested.sql)"
read -r suppliers_tx suppliers_tps suppliers_failed suppliers_ms <<<"$(run_figure suppliers)"
read -r coordinator_tx coordinator_tps coordinator_failed coordinator_ms <<<"$(run_figure coordinator)"
read -r readers_tx readers_tps readers_failed readers_ms <<<"$(run_figure readers)"

# ---- the checks ----------------------------------------------------------------
pgbench_ok() {  # NAME RC: exit 0, every client ran to the end, no failed transaction
    if (($2 == 0)) && ! grep -qiE 'aborted|error' "$work/$1.out" &&
        grep -q '^number of failed transactions: 0 ' "$work/$1.out"; then
        return 0
    fi
    echo "pgbench exit $2:"
    grep -iE 'aborted|error|failed' "$work/$1.out" | head -n 20
    return 1
}
check "suppliers: pgbench ran $seconds s, no client aborted, no failed transaction" pgbench_ok suppliers "$rc_suppliers"
check "coordinator: pgbench ran $seconds s, no client aborted, no failed transaction" pgbench_ok coordinator "$rc_coordinator"
check "readers: pgbench ran $seconds s, no client aborted, no failed transaction" pgbench_ok readers "$rc_readers"
check "every script ran: supplier, invalid, contested, coordinator and reader transactions > 0" \
    test "$(awk '{ print ($1 ~ /^[0-9]+$/ && $1 > 0) }' <<<"$supplier_tx
$invalid_tx
$contested_tx
$coordinator_tx
$readers_tx" | sort -u)" = 1

deadlocks=$(( $(db_stat deadlocks) - deadlocks_before ))
equal "no deadlock (pg_stat_database.deadlocks did not move)" 0 "$deadlocks"
if [[ -r $server_log ]]; then
    tail -c +"$((log_offset + 1))" "$server_log" >"$work/run.log"
    equal "the server log of the run has no 'deadlock detected'" 0 "$(grep -c 'deadlock detected' "$work/run.log")"
    errors=$(grep -E '(ERROR|FATAL|PANIC):' "$work/run.log" | head -n 20)
    if [[ -z $errors ]]; then ok "the server log of the run has no ERROR, FATAL or PANIC (refused attempts are caught in the functions)"
    else not_ok "the server log of the run has no ERROR, FATAL or PANIC" "$errors"; fi
else
    skip "no server log at $server_log"
    skip "no server log at $server_log"
fi

# matched NAME SCRIPT-NO ROWS-SQL: matches the rows a script wrote to the transactions pgbench
# logged (-l: "client transaction latency script ..." per transaction that completed).
# ROWS-SQL gives "client rows distinct-seqs max-seq" per client.  Every logged transaction
# must have committed exactly once and in order (seqs 1..n without gap or double); only a
# transaction in flight when the time was up may have committed without being logged
# (pgbench closes the connection then): at most one per client.  Prints the clients that
# do not match, then "summary BAD ROWS LOGGED".
matched() {
    local logged
    logged=$(cat "$work/$1".log.* 2>/dev/null | awk -v s="$2" '$4 == s && $3 ~ /^[0-9]+$/ { n[$1]++ }
                                                              END { for (c in n) print "log", c, n[c] }')
    { echo "$logged"; value "$db" "$3" | tr '|' ' ' | sed 's/^/db /'; } | awk '
        $1 == "log" { n[$2] = $3; seen[$2] = 1 }
        $1 == "db"  { r[$2] = $3; d[$2] = $4; m[$2] = $5; seen[$2] = 1 }
        END {
            bad = 0; rows = 0; logged = 0
            for (c in seen) {
                nn = n[c] + 0; rr = r[c] + 0; dd = d[c] + 0; mm = m[c] + 0
                rows += rr; logged += nn
                if (rr != dd || rr != mm || rr < nn || rr > nn + 1) {
                    bad = 1
                    printf "client %s: pgbench logged %d, rows %d, distinct seqs %d, highest seq %d\n", c, nn, rr, dd, mm
                }
            }
            printf "summary %d %d %d\n", bad, rows, logged
        }'
}
# one_per_transaction DESC NAME SCRIPT-NO ROWS-SQL SCRIPT-TX MAX-CUT: the test DESC that
# the rows of ROWS-SQL are matched one to one with the transactions of script SCRIPT-NO of
# pgbench run NAME (matched): pgbench's total SCRIPT-TX, plus at most MAX-CUT (one per
# client) that committed as the time ran out.  Sets cut to that number.
one_per_transaction() {
    local out bad rows
    out=$(matched "$2" "$3" "$4")
    read -r _ bad rows _ <<<"$(tail -n 1 <<<"$out")"
    cut=$((rows - $(num "$5")))
    if [[ $bad == 0 ]] && ((rows > 0 && cut >= 0 && cut <= $6)); then
        ok "$1: pgbench's $5 + $cut that committed as the time ran out"
    else
        not_ok "$1 (pgbench's total + at most $6, one per client, as the time ran out)" \
            "$out"$'\n'"pgbench's total for script $3 of the $2 run: $5"
    fi
}
read -r supplier_rows invalid_rows contested_rows activity_after <<<"$(value "$db" "
    SELECT count(*) FILTER (WHERE evidence_ref LIKE 'load-supplier %'), count(*) FILTER (WHERE evidence_ref = 'load-invalid'),
           count(*) FILTER (WHERE evidence_ref = 'load-contested'), count(*)
      FROM sroi.activity" | tr '|' ' ')"
# pgbench's summary may leave out (and its log may hold) the transactions that finished as
# the time ran out: at most one per client (4 suppliers).
one_per_transaction "each supplier.sql transaction is one row, per client in order" suppliers 0 \
    "SELECT split_part(evidence_ref, ' ', 2), count(*), count(DISTINCT split_part(evidence_ref, ' ', 3)),
            max(split_part(evidence_ref, ' ', 3)::integer)
       FROM sroi.activity WHERE evidence_ref LIKE 'load-supplier %' GROUP BY 1" "$supplier_tx" 4
supplier_cut=$cut
equal "no row from the invalid attempts" 0 "$invalid_rows"
if [[ "$activity_before $supplier_rows $contested_rows" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]]; then
    equal "sroi.activity grew by exactly the supplier and contested rows" \
        $((activity_before + supplier_rows + contested_rows)) "$activity_after"
else
    not_ok "sroi.activity grew by exactly the supplier and contested rows" \
        "before $activity_before, supplier.sql $supplier_rows, contested $contested_rows, after $activity_after"
fi
read -r decisions approved rejected decided <<<"$(value "$db" "
    SELECT (SELECT count(*) FROM sroi.decision WHERE decided_by = 'coordinator load-test'),
           (SELECT count(*) FROM sroi.decision WHERE decided_by = 'coordinator load-test' AND kind = 'approve'),
           (SELECT count(*) FROM sroi.decision WHERE decided_by = 'coordinator load-test' AND kind = 'reject'),
           (SELECT count(*) FROM sroi.activity WHERE status <> 'reported' AND candidate_id IS DISTINCT FROM 'full-1')
    " | tr '|' ' ')"
one_per_transaction "each coordinator.sql transaction is one decision in sroi.decision, in order" coordinator 0 \
    "SELECT 0, count(*), count(DISTINCT reason), max(substring(reason FROM '[0-9]+\$')::integer)
       FROM sroi.decision WHERE decided_by = 'coordinator load-test'" "$coordinator_tx" 1
coordinator_cut=$cut
equal "every decision changed one reported activity (decided activities = decisions)" "$decisions" "$decided"
# No person over 1 fte on any day (the load is highest on some activity's first day).
over=$(value "$db" "
    WITH spans AS (
        SELECT a.candidate_id, a.fte, a.starts_on, coalesce(a.ends_on, 'infinity') AS ends_on
          FROM sroi.activity AS a
          JOIN sroi.contract AS k ON k.id = a.contract_id
          JOIN sroi.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
         WHERE b.unit = 'fte_period' AND a.status <> 'rejected')
    SELECT count(*) FROM (
        SELECT d.candidate_id, d.starts_on
          FROM spans AS d JOIN spans AS s
            ON s.candidate_id = d.candidate_id AND s.starts_on <= d.starts_on AND s.ends_on >= d.starts_on
         GROUP BY d.candidate_id, d.starts_on
        HAVING sum(s.fte) > 1) AS over")
equal "no person is over 1 fte on any day, the hot people included" 0 "$over"
hot=$(value "$db" "SELECT count(*) || ' ' || count(*) FILTER (WHERE counted > 1)
               FROM (SELECT candidate_id, starts_on, count(*) FILTER (WHERE status <> 'rejected') AS counted
                       FROM sroi.activity WHERE evidence_ref = 'load-contested' GROUP BY 1, 2) AS slots")
read -r hot_slots hot_doubled <<<"$hot"
if [[ $hot_doubled == 0 ]] && ((hot_slots > 0)); then
    ok "contested placements: one counted per hot person and day ($hot_slots pairs placed, $contested_tx attempts)"
else
    not_ok "contested placements: one counted per hot person and day" "pairs placed, pairs placed twice: $hot"
fi

# ---- figures -----------------------------------------------------------------------
cat <<EOF
# ---- load test: $seconds s, 4 supplier clients, 1 coordinator, 2 readers, $(nproc) cores ----
#   supplier.sql     $supplier_tx transactions, $supplier_tps tps -> $supplier_rows activities ($supplier_cut committed as pgbench's time ran out)
#   invalid.sql      $invalid_tx transactions, $invalid_tps tps -> $invalid_rows activities (all refused)
#   contested.sql    $contested_tx transactions, $contested_tps tps -> $contested_rows placements ($hot_slots person-days, $hot_doubled doubled)
#   suppliers        $suppliers_tx transactions, $suppliers_tps tps, $suppliers_failed failed, latency $suppliers_ms ms
#   coordinator.sql  $coordinator_tx transactions, $coordinator_tps tps -> $decisions decisions ($approved approved, $rejected rejected; $coordinator_cut as time ran out), $coordinator_failed failed, latency $coordinator_ms ms
#   reader.sql       $readers_tx transactions, $readers_tps tps, $readers_failed failed, latency $readers_ms ms
#   sroi.activity    $activity_before rows before, $activity_after after; deadlocks $deadlocks
EOF

tap_done
