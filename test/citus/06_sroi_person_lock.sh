#!/usr/bin/env bash
# No double counting across shards (domain.md 4; issue 10: "concurrent placements of one
# person on two shards included"): two sessions place one person at once on two contracts
# whose shards are on different nodes.  Session 1 BEGINs, places the person at 0.6 fte on
# contract A and sleeps in its open transaction; session 2 then places them at 0.6 fte on
# contract B, overlapping.  Without a lock session 2 would read before session 1 commits
# and both would stay (1.2 fte); with the person lock (04_tables.sql: on a shard an
# advisory lock on the node of the person's slot) session 2 waits, then counts session
# 1's committed placement and is refused; after a rollback it is accepted.  The outcome,
# not a timing, shows the wait.  Runs inside test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

tap_plan 12
db=sroi_person_lock
hold=${RACE_HOLD_SECONDS:-3}
fresh_db $db
check "cluster: sroi distributed, eight contracts, two candidates eligible for A2" q $db "
    CREATE EXTENSION sroi; SELECT count(*) FROM sroi.distribute();
    INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
    SELECT 'K' || i, 'Diemen', 'Bouw BV', 'works ' || i, 1000000, '2024-12-01', '2025-01-01', '2027-12-31'
      FROM generate_series(1, 8) AS i;
    INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
    SELECT id, '1985-03-01', 'participatiewet', '2025-06-01' FROM unnest(ARRAY['p-commit', 'p-rollback']) AS id;"

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

placement() {  # CANDIDATE CONTRACT STARTS_ON: a 0.6 fte A2 placement to the end of 2026
    echo "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
          VALUES ('$2', 'A2', '$1', 0.6, '$3', '2026-12-31')"
}
# race PERSON END: session 1 places PERSON on ka and ENDs (COMMIT or ROLLBACK) after $hold
# seconds; session 2, started once session 1 sleeps, places PERSON on kb; sets s1_held, s2_out.
race() {
    local i s1
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
    s2_out=$(psql -X -q -p "$CITUS_COORD_PORT" -d $db -v ON_ERROR_STOP=1 -v VERBOSITY=default \
                 -c "SET client_min_messages = error" -c "$(placement "$1" "$kb" 2026-02-01)" 2>&1)
    wait "$s1"
}

# Session 1 commits: on 2026-02-01 the person would count 0.6 (A) + 0.6 (B) = 1.2 fte > 1.
race p-commit COMMIT
if ((s1_held)); then
    check "commit: session 2, placing the person while session 1 holds its placement on another node, is refused (23514, the single node's message)" \
        has "$s2_out" "ERROR:  fte 0\.6 of candidate p-commit from 2026-02-01 would take the person over 1 fte: other activities already count for them in that period"
else
    not_ok "commit: session 1 held its transaction open while session 2 placed the person" "$s2_out"
fi
expect_rows "commit: one placement stays, session 1's (0.6 fte on $ka)" $db \
    "SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = 'p-commit'" "$ka|0.6"

# Session 1 rolls back: session 2's 0.6 fte is all the person counts, accepted.
race p-rollback ROLLBACK
if ((s1_held)); then
    equal "rollback: session 2 is accepted once session 1 rolled back" "" "$s2_out"
else
    not_ok "rollback: session 1 held its transaction open while session 2 placed the person" "$s2_out"
fi
expect_rows "rollback: one placement stays, session 2's (0.6 fte on $kb)" $db \
    "SELECT contract_id, fte FROM sroi.activity WHERE candidate_id = 'p-rollback'" "$kb|0.6"

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

# the lock's table holds its 1024 slots and nothing of a person
expect_rows "person_lock: 1024 slots over the shards, no candidate id in it" $db \
    "SELECT count(*), count(*) FILTER (WHERE slot::text LIKE 'p-%') FROM sroi.person_lock" "1024|0"

psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1
tap_done
