#!/usr/bin/env bash
# Crash safety of a batch load, as a TAP test.  Runs inside a cluster (PGHOST, PGPORT,
# PGUSER set; the server must restart after a crash, restart_after_crash = on, the
# default), e.g.
#   test/tools/with-cluster.sh prove -v test/tools/crash.sh
# A backend loads C10 hour activities in batches of 40 rows, one transaction per batch
# (a procedure that COMMITs after each batch and records the batch in crash_progress in
# the same transaction).  The test kills that backend with SIGKILL twice:
#   1. held in the middle of a batch (after its first 20 rows, waiting on an advisory lock
#      the test holds), so that exactly what had committed is known;
#   2. at a random moment while it writes at full speed.
# After each kill the postmaster restarts every backend and runs crash recovery; the test
# waits with pg_isready and then checks: connections work, every committed row is there
# (the count seen before the kill, the crash_progress ledger), no row of an uncommitted
# batch, the indexes and heaps of sroi pass amcheck, sroi.compliance gives the value of the
# rows, and new rows get fresh ids.
set -uo pipefail

db=sroi_crash
batch_rows=40
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
tap_start 28 crash "$db"

# ---- fixture ---------------------------------------------------------------
fixture() {
    createdb "$db" && psql_db "$db" -f - 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION sroi;
CREATE EXTENSION amcheck;
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('K1', 'Diemen', 'Bouw BV', 'schools maintenance', 1000000, '2024-12-01', '2025-01-01', '2027-12-31');
-- The ledger of committed batches, written in the batch's own transaction.
CREATE TABLE crash_progress (batch integer PRIMARY KEY, rows integer NOT NULL,
                             committed_at timestamptz NOT NULL DEFAULT clock_timestamp());
-- Unlogged: crash recovery empties it, which shows that recovery ran.
CREATE UNLOGGED TABLE crash_marker (x integer);
INSERT INTO crash_marker VALUES (1);
-- Batches first_batch, first_batch + 1, ...: $batch_rows hour rows each, one transaction
-- per batch.  Between its two halves a batch takes and drops a shared advisory lock, so
-- that the test can hold the loader in the middle of a batch.
CREATE PROCEDURE crash_load(first_batch integer, batches integer) LANGUAGE plpgsql AS \$\$
BEGIN
    FOR b IN first_batch .. first_batch + batches - 1 LOOP
        INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
        SELECT 'K1', 'C10', date '2026-01-01' + i * 7 % 360, 1 + (b + i) % 8, format('crash:%s:%s', b, i)
          FROM generate_series(1, $batch_rows / 2) AS i;
        PERFORM pg_advisory_lock_shared(4242);
        PERFORM pg_advisory_unlock_shared(4242);
        INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
        SELECT 'K1', 'C10', date '2026-01-01' + i * 7 % 360, 1 + (b + i) % 8, format('crash:%s:%s', b, i)
          FROM generate_series($batch_rows / 2 + 1, $batch_rows) AS i;
        INSERT INTO crash_progress (batch, rows) VALUES (b, $batch_rows);
        COMMIT;
    END LOOP;
END
\$\$;
SQL
}
check "fresh database $db: sroi, amcheck, contract K1, the progress ledger and the loader" fixture

# start_loader FIRST_BATCH: the batch load in the background, as application crash-loader
start_loader() {
    PGAPPNAME=crash-loader psql_db "$db" -c "CALL crash_load($1, 1000000)" >"$work/loader.$1" 2>&1 &
    loader_bg=$!
    bg_pids+=("$loader_bg")
}
# batches_at_least N: waits (up to 60 s) until N batches have committed
batches_at_least() {
    local i
    for ((i = 0; i < 600; i++)); do
        [[ $(value "$db" "SELECT count(*) >= $1 FROM crash_progress") == t ]] && return 0
        sleep 0.1
    done
    echo "fewer than $1 batches committed after 60 s; loader: $(cat "$work"/loader.* 2>/dev/null)"
    return 1
}
loader_pid() { value "$db" "SELECT pid FROM pg_stat_activity WHERE application_name = 'crash-loader'"; }
# kill_and_recover: SIGKILL of the loader's backend, then waits until the server accepts
# connections again.  Sets kill_rc, loader_rc, ready (seconds until pg_isready, or '').
kill_and_recover() {
    local pid=$1 i
    kill_rc=0 ready=''
    kill -KILL "$pid" || kill_rc=$?
    loader_rc=0
    wait "$loader_bg" || loader_rc=$?
    for ((i = 1; i <= 600; i++)); do
        sleep 0.1
        if pg_isready -q -d "$db" && value "$db" 'SELECT 1' >/dev/null; then
            ready=$(awk "BEGIN { printf \"%.1f\", $i / 10 }")
            return 0
        fi
    done
}
# the figures of the load: rows, distinct batches in sroi.activity, batches and rows in
# the ledger, rows of batches missing from the ledger, batches whose rows are not exactly
# the ledger's count, sum of hours
figures() {
    value "$db" "WITH a AS (SELECT split_part(evidence_ref, ':', 2)::integer AS batch, hours
                        FROM sroi.activity WHERE evidence_ref LIKE 'crash:%'),
                per_batch AS (SELECT batch, count(*) AS rows FROM a GROUP BY batch)
           SELECT (SELECT count(*) FROM a) || ' ' || (SELECT count(*) FROM per_batch) || ' '
                  || (SELECT count(*) FROM crash_progress) || ' '
                  || (SELECT coalesce(sum(rows), 0) FROM crash_progress) || ' '
                  || (SELECT count(*) FROM a WHERE batch NOT IN (SELECT batch FROM crash_progress)) || ' '
                  || (SELECT count(*) FROM per_batch AS b JOIN crash_progress AS p USING (batch)
                       WHERE b.rows <> p.rows) || ' '
                  || (SELECT coalesce(sum(hours), 0) FROM a)"
}
server_log=$PGHOST/server.log   # where test/tools/with-cluster.sh writes it

# ---- 1. a kill in the middle of a batch, at a known point ------------------
start_loader 1
check "the loader commits batches of $batch_rows rows (20 batches within 60 s)" batches_at_least 20
# Hold the loader after the first half of its next batch: take the advisory lock
# exclusively in a session of our own and wait until the loader waits on it.
PGAPPNAME=crash-holder psql_db "$db" -c 'SELECT pg_advisory_lock(4242)' -c 'SELECT pg_sleep(120)' \
    >/dev/null 2>&1 &
holder_bg=$!
bg_pids+=("$holder_bg")
held=''
for ((i = 0; i < 300; i++)); do
    held=$(value "$db" "SELECT backend_xid FROM pg_stat_activity WHERE application_name = 'crash-loader'
                     AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND backend_xid IS NOT NULL")
    [[ $held =~ ^[0-9]+$ ]] && break
    held=''
    sleep 0.1
done
if [[ -n $held ]]; then
    ok "the loader is held in the middle of a batch (transaction $held open, half its rows written)"
else
    not_ok "the loader is held in the middle of a batch (transaction open, half its rows written)" \
        "$(value "$db" "SELECT * FROM pg_stat_activity WHERE application_name LIKE 'crash-%'")"
fi
before=$(figures)
read -r rows_before _ batches_before _ <<<"$before"
pid=$(loader_pid)
kill_and_recover "$pid"
wait "$holder_bg" 2>/dev/null
equal "SIGKILL of the loader's backend (pid $pid)" 0 "$kill_rc"
if ((loader_rc != 0)) && grep -qi 'server closed the connection unexpectedly\|terminat' "$work/loader.1"; then
    ok "the loader's connection was cut by the kill"
else
    not_ok "the loader's connection was cut by the kill" "psql exit $loader_rc: $(cat "$work/loader.1")"
fi
if [[ -n $ready ]]; then ok "the server accepts connections again after crash recovery (${ready} s)"
else not_ok "the server accepts connections again after crash recovery (within 60 s)"; fi
equal "crash recovery ran: the unlogged marker table was reset" 0 "$(value "$db" 'SELECT count(*) FROM crash_marker')"
if [[ -r $server_log ]]; then
    check "the server log shows the backend killed by signal 9 and the restart" \
        grep -q 'terminated by signal 9' "$server_log"
else
    skip "no server log at $server_log"
fi
after=$(figures)
read -r rows batches ledger_batches ledger_rows orphans mismatched hours <<<"$after"
equal "every row committed before the kill is there: $rows_before rows of $batches_before batches" \
    "$rows_before $batches_before" "$rows $ledger_batches"
equal "the rows are exactly the ledger's: $ledger_batches batches, $ledger_rows rows" \
    "$ledger_batches $ledger_rows" "$batches $rows"
equal "no row of the batch that was in flight, nor of any batch missing from the ledger" 0 "$orphans"
equal "every committed batch is whole ($batch_rows rows)" 0 "$mismatched"
# (Not pg_xact_status of that transaction: its WAL may have been in shared memory only,
# so after recovery its id can be "in the future" and even be handed out again.)
in_flight=$((batches_before + 1))
equal "the batch in flight (batch $in_flight, half written by transaction $held) left no row and no ledger entry" \
    "0 0" "$(value "$db" "SELECT (SELECT count(*) FROM sroi.activity WHERE evidence_ref LIKE 'crash:$in_flight:%') || ' '
                           || (SELECT count(*) FROM crash_progress WHERE batch = $in_flight)")"

# ---- 2. a kill at a random moment while the loader writes -------------------
start_loader $((batches_before + 1))
check "the loader starts again after the crash and commits 15 more batches" \
    batches_at_least $((batches_before + 15))
sleep "0.$((RANDOM % 9 + 1))"
seen=$(figures)     # what had committed at the moment of the kill, as seen from another session
pid=$(loader_pid)
kill_and_recover "$pid"
read -r rows_seen _ batches_seen _ <<<"$seen"
equal "SIGKILL of the writing loader's backend (pid $pid)" 0 "$kill_rc"
if ((loader_rc != 0)); then ok "the loader's connection was cut by the kill"
else not_ok "the loader's connection was cut by the kill" "$(cat "$work/loader.$((batches_before + 1))")"; fi
if [[ -n $ready ]]; then ok "the server accepts connections again after the second crash recovery (${ready} s)"
else not_ok "the server accepts connections again after the second crash recovery (within 60 s)"; fi
read -r rows batches ledger_batches ledger_rows orphans mismatched hours <<<"$(figures)"
if ((rows >= rows_seen && ledger_batches >= batches_seen)); then
    ok "every row seen committed before the kill is there ($rows >= $rows_seen rows, $ledger_batches >= $batches_seen batches)"
else
    not_ok "every row seen committed before the kill is there" "seen before the kill: $seen"$'\n'"after: $rows rows, $ledger_batches batches"
fi
equal "the rows are exactly the ledger's: $ledger_batches batches, $ledger_rows rows" \
    "$ledger_batches $ledger_rows" "$batches $rows"
equal "no row of an uncommitted batch" 0 "$orphans"
equal "every committed batch is whole ($batch_rows rows)" 0 "$mismatched"

# ---- 3. the cluster is consistent ---------------------------------------------
indexes_ok() {
    psql_db "$db" -A -t 2>&1 <<'SQL'
SELECT count(*) FROM (
    SELECT bt_index_check(i.indexrelid, true)
      FROM pg_index AS i
      JOIN pg_class AS c ON c.oid = i.indexrelid
      JOIN pg_am AS am ON am.oid = c.relam AND am.amname = 'btree'
     WHERE c.relnamespace IN ('sroi'::regnamespace, 'public'::regnamespace)) AS checked
SQL
}
checked=$(indexes_ok)
if [[ $checked =~ ^[0-9]+$ ]] && ((checked >= 10)); then
    ok "amcheck: bt_index_check (with heapallindexed) passes on all $checked btree indexes of sroi and the ledger"
else
    not_ok "amcheck: bt_index_check (with heapallindexed) passes on every btree index of sroi and the ledger" "$checked"
fi
equal "amcheck: verify_heapam finds no corruption in the tables of sroi and the ledger" 0 \
    "$(value "$db" "SELECT count(*) FROM pg_class AS c CROSS JOIN LATERAL verify_heapam(c.oid) AS v
               WHERE c.relnamespace IN ('sroi'::regnamespace, 'public'::regnamespace) AND c.relkind = 'r'")"
equal "sroi.compliance runs and K1's realised C value is the committed hours x EUR 100" \
    "K1 $(value "$db" "SELECT ($hours * 100)::numeric(14,2)")" \
    "$(value "$db" "SELECT contract_id || ' ' || realised_c FROM sroi.compliance('2026-12-31')")"
check "sroi.quarterly_progress and the BI views run" \
    psql_db "$db" -c "SELECT count(*) FROM sroi.quarterly_progress('2026-12-31')" \
    -c 'SELECT count(*) FROM sroi.contract_compliance' -c 'SELECT count(*) FROM sroi.quarterly_progress'
new_row() {
    local max_id new_id
    max_id=$(value "$db" "SELECT max(id) FROM sroi.activity") || { echo "$max_id"; return 1; }
    new_id=$(value "$db" "INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
                    VALUES ('K1', 'C10', '2026-05-04', 6, 'after the crash') RETURNING id") ||
        { echo "$new_id"; return 1; }
    ((new_id > max_id)) || { echo "new id $new_id is not above $max_id"; return 1; }
}
check "a new activity after the crashes gets a fresh id (the identity sequence is intact)" new_row
approve_after() {
    local output
    output=$(psql_db "$db" -A -t -c "SELECT sroi.approve(id, 'coordinator Jansen') FROM sroi.activity
                                WHERE evidence_ref = 'after the crash'" \
        -c "SELECT count(*) FROM sroi.decision WHERE decided_by = 'coordinator Jansen' AND kind = 'approve'" 2>&1) ||
        { echo "$output"; return 1; }
    [[ $(tail -n 1 <<<"$output") == 1 ]] || { echo "expected one logged approval, got: $output"; return 1; }
}
check "sroi.approve works after the crashes and logs the decision" approve_after
check "the validation triggers still refuse bad rows: 0 hours is refused with 22003" \
    grep -q '^ERROR:  22003$' <(psql_db "$db" -v VERBOSITY=sqlstate -c "INSERT INTO sroi.activity
        (contract_id, block, starts_on, hours) VALUES ('K1', 'C10', '2026-05-04', 0)" 2>&1)
echo "# crash 1 (held mid-batch): $rows_before rows of $batches_before batches kept; crash 2 (while writing): $rows rows of $ledger_batches batches, $rows_seen seen committed before the kill"

tap_done
