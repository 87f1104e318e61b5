#!/usr/bin/env bash
# No double counting across shards (domain.md 4; issue 10: "concurrent placements of one
# person on two shards included"): two sessions place one person at once on two contracts
# whose shards are on different nodes.  Session 1 BEGINs, places the person at 0.6 fte on
# contract A and sleeps in its open transaction; session 2 then places them at 0.6 fte on
# contract B, overlapping.  Without a lock session 2 would read before session 1 commits
# and both would stay (1.2 fte); with the person lock (04_tables.sql: on a shard an
# advisory lock on the node of the person's slot) session 2 waits, then counts session
# 1's committed placement and is refused; after a rollback it is accepted.  The outcome,
# not a timing, shows the wait.  The persons' slots are on B's node, so that session 1's
# lock is on another node than its placement.  At REPEATABLE READ and SERIALIZABLE a
# placement is refused (0A000).
#
# The commit gap: session 1's node commits the nested transaction that holds the lock on
# the slot's node and then its own; if the lock went first (Citus's one-phase commit
# does that in PRE_COMMIT), session 2 could count in between and miss the placement.  The
# gap is held open here: A's node gets a synchronous standby that never answers
# (synchronous_standby_names), so its commit waits in SyncRep, not yet visible, until
# the test lifts the setting.  Session 2 must still be waiting then (person_lock_past_commit,
# src/citus_commit.c: the lock goes after the commit), and is refused after; so with
# session 1 in BEGIN ... COMMIT and as a single INSERT in autocommit.  With
# person_lock_past_commit a no-op, session 2 went through in the gap and both placements
# stayed (1.2 fte).
# Runs inside test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

tap_plan 22
db=sroi_person_lock
hold=${RACE_HOLD_SECONDS:-3}
fresh_db $db
check "cluster: sroi distributed, eight contracts" q $db "
    CREATE EXTENSION sroi; SELECT count(*) FROM sroi.distribute();
    INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
    SELECT 'K' || i, 'Diemen', 'Bouw BV', 'works ' || i, 1000000, '2024-12-01', '2025-01-01', '2027-12-31'
      FROM generate_series(1, 8) AS i;"

# two contracts whose shards are on different nodes
pair=$(q $db "WITH k AS MATERIALIZED (SELECT id FROM sroi.contract)
              SELECT string_agg(t.id, ' ' ORDER BY t.id)
                FROM (SELECT DISTINCT ON (p.nodeport) k.id
                        FROM k JOIN pg_dist_shard_placement AS p
                                ON p.shardid = get_shard_id_for_distribution_column('sroi.contract', k.id)
                       ORDER BY p.nodeport, k.id) AS t")
read -r ka kb <<<"$pair"
if [[ -n ${kb:-} ]]; then ok "contracts $ka and $kb are on shards on different nodes"
else not_ok "two contracts on shards on different nodes" "$pair"; fi
node_of() {  # TABLE KEY: the port of the node holding the shard of KEY
    q $db "SELECT p.nodeport FROM pg_dist_shard_placement AS p WHERE p.shardid = get_shard_id_for_distribution_column('sroi.$1', $2)"
}
port_a=$(node_of contract "'$ka'")
port_b=$(node_of contract "'$kb'")
# person NAME: NAME-n, the first n whose slot (person_lock) is on B's node, not on A's
person() {
    q $db "SELECT id FROM (SELECT '$1-' || n AS id, n FROM generate_series(1, 64) AS n) AS c
            WHERE (SELECT p.nodeport FROM pg_dist_shard_placement AS p
                    WHERE p.shardid = get_shard_id_for_distribution_column('sroi.person_lock', sroi.person_slot(c.id))) = $port_b
            ORDER BY n LIMIT 1"
}
p_commit=$(person p-commit)
p_rollback=$(person p-rollback)
p_gap_block=$(person p-gap-block)
p_gap_autocommit=$(person p-gap-autocommit)
check "persons $p_commit, $p_rollback, $p_gap_block and $p_gap_autocommit have their slots on $kb's node ($port_b), not on $ka's ($port_a)" \
    q $db "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
           SELECT id, '1985-03-01', 'participatiewet', '2025-06-01' FROM unnest(ARRAY['$p_commit', '$p_rollback', '$p_gap_block', '$p_gap_autocommit']) AS id"

placement() {  # CANDIDATE CONTRACT STARTS_ON: a 0.6 fte A2 placement to the end of 2026
    echo "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
          VALUES ('$2', 'A2', '$1', 0.6, '$3', '2026-12-31')"
}
# session1 PERSON END: session 1, in the background, BEGINs, places PERSON on ka, sleeps
# $hold seconds and ENDs (COMMIT or ROLLBACK); returns once it sleeps.  Sets s1 (its
# pid) and s1_held.
session1() {
    local i
    s1_held=0
    PGAPPNAME=s1-$1 psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<SQL &
BEGIN;
$(placement "$1" "$ka" 2026-01-05);
SELECT pg_sleep($hold);
$2;
SQL
    s1=$!
    for ((i = 0; i < 200; i++)); do
        [[ $(q $db "SELECT count(*) FROM pg_stat_activity WHERE application_name = 's1-$1' AND query LIKE 'SELECT pg_sleep%'") == 1 ]] &&
            { s1_held=1; break; }
        sleep 0.05
    done
}
# session2 PERSON: session 2 places PERSON on kb (overlapping); prints psql's output.
session2() {
    psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -v VERBOSITY=default \
        -c "SET client_min_messages = error" -c "$(placement "$1" "$kb" 2026-02-01)" 2>&1
}
# race PERSON END: session 1 as above; session 2, started once session 1 sleeps; sets
# s1_held, s2_out.
race() {
    local s1
    session1 "$1" "$2"
    s2_out=$(session2 "$1")
    wait "$s1"
}

# Session 1 commits: on 2026-02-01 the person would count 0.6 (A) + 0.6 (B) = 1.2 fte > 1.
race "$p_commit" COMMIT
if ((s1_held)); then
    check "commit: session 2, placing the person while session 1 holds its placement on another node, is refused (23514, the single node's message)" \
        has "$s2_out" "ERROR:  fte 0\.6 of candidate $p_commit from 2026-02-01 would take the person over 1 fte: other activities already count for them in that period"
else
    not_ok "commit: session 1 held its transaction open while session 2 placed the person" "$s2_out"
fi
expect_rows "commit: one placement stays, session 1's (0.6 fte on $ka)" $db \
    "SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = '$p_commit'" "$ka|0.6"

# Session 1 rolls back: session 2's 0.6 fte is all the person counts, accepted.
race "$p_rollback" ROLLBACK
if ((s1_held)); then
    equal "rollback: session 2 is accepted once session 1 rolled back" "" "$s2_out"
else
    not_ok "rollback: session 1 held its transaction open while session 2 placed the person" "$s2_out"
fi
expect_rows "rollback: one placement stays, session 2's (0.6 fte on $kb)" $db \
    "SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = '$p_rollback'" "$kb|0.6"

# The commit gap (see the head of this file).  Session 1 places the person on ka and
# commits; A's node then waits for a synchronous standby that does not exist, after its
# PRE_COMMIT, before its commit is visible.  Session 2 places the person on kb and must
# wait for the person's lock (on B's node, the slot's) until session 1's commit is
# visible.  Twice: session 1 in BEGIN ... COMMIT (session 2 queues while it sleeps), and
# as a single INSERT in autocommit (it reaches A's node without BEGIN; session 2 starts
# once its commit waits).  The setting goes whatever happens (EXIT trap).
# sync_a VALUE: synchronous_standby_names on A's node ('' lifts the wait).
sync_a() {
    qp "$port_a" postgres "ALTER SYSTEM SET synchronous_standby_names = '$1'; SELECT pg_reload_conf()" >/dev/null
}
sync_a_reset() {
    qp "$port_a" postgres "ALTER SYSTEM RESET synchronous_standby_names; ALTER SYSTEM RESET synchronous_commit; SELECT pg_reload_conf()" >/dev/null
}
trap sync_a_reset EXIT
qp "$port_a" postgres "ALTER SYSTEM SET synchronous_commit = on" >/dev/null
# waiting_in PORT WHAT: the number of client backends on PORT waiting for WHAT
waiting_in() {
    case $2 in
        syncrep) qp "$1" $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND wait_event = 'SyncRep'" ;;
        lock) qp "$1" $db "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" ;;
    esac
}
poll() {  # PORT WHAT: up to 20 s until waiting_in PORT WHAT >= 1
    local i
    for ((i = 0; i < 400; i++)); do (($(waiting_in "$1" "$2") >= 1)) && return 0; sleep 0.05; done
    return 1
}
# gap_race PERSON MODE (block or autocommit): sets gap_seen, s2_out
gap_race() {
    local s1 s2 i in_sync s2_waiting s2_file
    s2_file=$(mktemp)
    sync_a nobody
    if [[ $2 == block ]]; then
        session1 "$1" COMMIT
    else
        psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -c "$(placement "$1" "$ka" 2026-01-05)" >/dev/null 2>&1 &
        s1=$!
        poll "$port_a" syncrep
    fi
    session2 "$1" >"$s2_file" &
    s2=$!
    # session 1's commit waits in SyncRep on A's node; then session 2 gets three seconds
    poll "$port_a" syncrep && in_sync=yes || in_sync=no
    for ((i = 0; i < 30; i++)); do kill -0 "$s2" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$s2" 2>/dev/null && (($(waiting_in "$port_b" lock) >= 1)); then s2_waiting=yes; else s2_waiting=no; fi
    gap_seen="in SyncRep: $in_sync; session 2 waiting for a lock on B's node: $s2_waiting"
    sync_a ''
    wait "$s2" "$s1"
    s2_out=$(cat "$s2_file"); rm -f "$s2_file"
}
for mode in block autocommit; do
    person=p_gap_$mode; person=${!person}
    gap_race "$person" $mode
    equal "gap ($mode): while session 1's commit on $ka's node waits (SyncRep, not yet visible), session 2 still waits for the person lock" \
        "in SyncRep: yes; session 2 waiting for a lock on B's node: yes" "$gap_seen"
    check "gap ($mode): once the commit is visible session 2 counts it and is refused (23514, the single node's message)" \
        has "$s2_out" "ERROR:  fte 0\.6 of candidate $person from 2026-02-01 would take the person over 1 fte: other activities already count for them in that period"
    expect_rows "gap ($mode): one placement stays, session 1's (0.6 fte on $ka)" $db \
        "SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = '$person'" "$ka|0.6"
done
sync_a_reset
trap - EXIT

# One transaction placing one person on both nodes (0.5 + 0.5 fte, overlapping: accepted on
# one server, 0.5 + 0.5 = 1.0).  The second placement's check cannot see the first (another
# node's backend of the same distributed transaction, uncommitted): refused at once with
# 0A000 (take_person_lock, 04_tables.sql), where waiting for the lock was a distributed
# deadlock that Citus cancelled after its detection; nothing stored.  In two statements
# and in one multi-row INSERT.
both_msg="0A000: candidate p-both is placed on contracts on two shards of the Citus cluster in one transaction: the fte check cannot see the other placement before it commits"
q $db "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('p-both', '1985-03-01', 'participatiewet', '2025-06-01')" >/dev/null
out=$(psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -v VERBOSITY=verbose <<SQL 2>&1
SET client_min_messages = error;
BEGIN;
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on) VALUES ('$ka', 'A2', 'p-both', 0.5, '2026-01-05', '2026-12-31');
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on) VALUES ('$kb', 'A2', 'p-both', 0.5, '2026-02-01', '2026-12-31');
COMMIT;
SQL
)
check "one transaction placing a person on two nodes is refused at once (0A000), not a distributed deadlock" has "$out" "$both_msg"
out=$(q $db "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
             VALUES ('$ka', 'A2', 'p-both', 0.5, '2026-01-05', '2026-12-31'), ('$kb', 'A2', 'p-both', 0.5, '2026-02-01', '2026-12-31')")
check "one INSERT placing a person on two nodes is refused alike (0A000)" has "$(sed 's/^ERROR:  /0A000: /' <<<"$out")" "candidate p-both is placed on contracts on two shards"
expect_rows "... nothing stored for p-both" $db "SELECT count(*) FROM sroi.activity WHERE candidate_id = 'p-both'" "0"

# The same placements in transactions of their own: 0.5 on each node from February, 1.0 in
# all, accepted; then 0.1 more from 2026-03-01 would make 0.5 + 0.5 + 0.1 = 1.1 > 1: refused
# with the single node's 23514 message, across the two nodes.
out=$(q $db "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on) VALUES ('$ka', 'A2', 'p-both', 0.5, '2026-01-05', '2026-12-31')")$(
      q $db "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on) VALUES ('$kb', 'A2', 'p-both', 0.5, '2026-02-01', '2026-12-31')")
expect_rows "in two transactions the person's 0.5 + 0.5 fte on the two nodes are accepted ($out)" $db \
    "SELECT string_agg(contract_id || ':' || fte, ' ' ORDER BY contract_id) FROM sroi.activity WHERE candidate_id = 'p-both'" "$ka:0.5 $kb:0.5"
out=$(psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -v VERBOSITY=default -c "SET client_min_messages = error" \
          -c "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on) VALUES ('$ka', 'A2', 'p-both', 0.1, '2026-03-01', '2026-12-31')" 2>&1)
check "then 0.1 fte more on $ka from 2026-03-01 (0.5 + 0.5 + 0.1 = 1.1 > 1) is refused with the single node's message" \
    has "$out" "ERROR:  fte 0\.1 of candidate p-both from 2026-03-01 would take the person over 1 fte: other activities already count for them in that period"

# REPEATABLE READ and SERIALIZABLE: a node's snapshot may predate another session's
# placement of the person (tried: a REPEATABLE READ session that had read sroi.activity,
# then placed the person on a contract on the node of another session's placement made
# after that read: both stayed, 1.2 fte), so a placement counting fte is refused there at
# once (0A000, lock_person), nothing stored; other activities are not affected.
q $db "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('p-rr', '1985-03-01', 'participatiewet', '2025-06-01')" >/dev/null
for level in 'REPEATABLE READ' SERIALIZABLE; do
    out=$(psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -v VERBOSITY=verbose 2>&1 <<SQL
SET client_min_messages = error;
BEGIN ISOLATION LEVEL $level;
$(placement p-rr "$ka" 2026-01-05);
COMMIT;
SQL
)
    check "$level: placing a person on the cluster is refused at once (0A000, READ COMMITTED needed)" \
        has "$out" "0A000: candidate p-rr cannot be placed at $level isolation on a Citus cluster: the fte check needs READ COMMITTED there"
done
out=$(psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 2>&1 <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ;
INSERT INTO sroi.activity (contract_id, block, amount, starts_on) VALUES ('$ka', 'C9', 1000, '2026-01-05');
COMMIT;
SQL
)
expect_rows "... nothing stored for p-rr; an invoice (C9, no person) at REPEATABLE READ is accepted ($out)" $db \
    "SELECT count(*) FILTER (WHERE candidate_id = 'p-rr'), count(*) FILTER (WHERE block = 'C9') FROM sroi.activity" "0|1"

# the lock's table holds its 1024 slots and nothing of a person
expect_rows "person_lock: 1024 slots over the shards, no candidate id in it" $db \
    "SELECT count(*), count(*) FILTER (WHERE slot::text LIKE 'p-%') FROM sroi.person_lock" "1024|0"

psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1
tap_done
