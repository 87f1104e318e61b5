#!/usr/bin/env bash
# Two suppliers placing one person at once (the no-double-fte rule of domain.md 4), as a
# TAP test.  Runs inside a cluster (PGHOST, PGPORT, PGUSER set), e.g.
#   test/tools/with-cluster.sh prove -v test/tools/race.sh
# In a fresh database with sroi, two contracts and one candidate per case, eligible for A2:
# session 1 BEGINs, places the person at 0.6 fte on K1 and holds its transaction open
# (pg_sleep) before it commits or rolls back; meanwhile session 2 places the same person at
# 0.6 fte on K2, overlapping.  Session 2 must wait on session 1's person lock
# (sroi.activity_validate takes it with an upsert of the person's row in sroi.person_lock) and then
#   - fail with 23514 when session 1 committed (exactly one row, 0.6 fte, stays);
#   - succeed when session 1 rolled back;
#   - under REPEATABLE READ or SERIALIZABLE: fail with 40001 or 23514, never both commit.
# RACE_HOLD_SECONDS (default 3): how long session 1 holds its transaction open.
set -uo pipefail

db=sroi_race
hold=${RACE_HOLD_SECONDS:-3}
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
tap_start 24 race "$db"

# ---- fixture ---------------------------------------------------------------
fixture() {
    createdb "$db" && psql_db "$db" -f - 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION sroi;
-- The contract pair: two municipalities, same term, both on duoplus-2024.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('K1', 'Diemen', 'Bouw BV', 'schools maintenance', 1000000, '2024-12-01', '2025-01-01', '2027-12-31'),
       ('K2', 'Uithoorn', 'Groen BV', 'public green', 800000, '2024-12-01', '2025-01-01', '2027-12-31');
-- One person per case, on Participatiewet since 2025-06-01: A2 (under 24 months) in 2026.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since)
SELECT id, '1985-03-01', 'participatiewet', '2025-06-01'
  FROM unnest(ARRAY['p-commit', 'p-rollback', 'p-rr', 'p-ser', 'p-ser-both']) AS id;
SQL
}
check "fresh database $db: sroi, contracts K1 and K2, five candidates eligible for A2" fixture

placement() {  # CANDIDATE CONTRACT STARTS_ON: the INSERT of a 0.6 fte A2 placement
    echo "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on)
          VALUES ('$2', 'A2', '$1', 0.6, '$3', '2026-12-31')"
}

# race CASE CANDIDATE S1_ISOLATION S1_END S2_ISOLATION
# Runs the two sessions; sets s1_held, s2_blocked, s2_rc, s2_state, rows, fte, contracts.
race() {
    local case=$1 person=$2 s1_iso=$3 s1_end=$4 s2_iso=$5 s1_pid='' s1_bg s2_bg i blockers
    s1_held=0 s2_blocked=0 s2_rc=0 s2_state='' rows='' fte='' contracts=''
    PGAPPNAME=race-s1-$case psql_db "$db" -v VERBOSITY=sqlstate -f - >/dev/null 2>"$work/$case.s1" <<SQL &
BEGIN ISOLATION LEVEL $s1_iso;
$(placement "$person" K1 2026-01-05);
SELECT pg_sleep($hold);
$s1_end;
SQL
    s1_bg=$!
    bg_pids+=("$s1_bg")
    # Session 1 has placed the person once it sleeps inside its transaction.
    for ((i = 0; i < 200; i++)); do
        s1_pid=$(value "$db" "SELECT pid FROM pg_stat_activity WHERE application_name = 'race-s1-$case'
                         AND state = 'active' AND query LIKE 'SELECT pg_sleep%'")
        [[ $s1_pid =~ ^[0-9]+$ ]] && { s1_held=1; break; }
        kill -0 "$s1_bg" 2>/dev/null || break
        sleep 0.05
    done
    PGAPPNAME=race-s2-$case psql_db "$db" -v VERBOSITY=sqlstate \
        -c "BEGIN ISOLATION LEVEL $s2_iso" -c "$(placement "$person" K2 2026-02-01)" -c "COMMIT" \
        >"$work/$case.s2" 2>&1 &
    s2_bg=$!
    bg_pids+=("$s2_bg")
    # Session 2 must wait for session 1, on a lock that session 1 holds.
    if ((s1_held)); then
        for ((i = 0; i < 200; i++)); do
            blockers=$(value "$db" "SELECT pg_blocking_pids(pid) FROM pg_stat_activity
                               WHERE application_name = 'race-s2-$case' AND wait_event_type = 'Lock'")
            if [[ $blockers == "{$s1_pid}" ]]; then s2_blocked=1; break; fi
            kill -0 "$s2_bg" 2>/dev/null || break
            kill -0 "$s1_bg" 2>/dev/null || break
            sleep 0.05
        done
    fi
    wait "$s1_bg"
    wait "$s2_bg" || s2_rc=$?
    s2_state=$(grep -oE '^ERROR:  [0-9A-Z]{5}$' "$work/$case.s2" | head -n 1 | cut -c 9-)
    rows=$(value "$db" "SELECT count(*) FROM sroi.activity WHERE candidate_id = '$person'")
    fte=$(value "$db" "SELECT coalesce(sum(fte), 0) FROM sroi.activity WHERE candidate_id = '$person'")
    contracts=$(value "$db" "SELECT coalesce(string_agg(contract_id, ',' ORDER BY contract_id), '-')
                         FROM sroi.activity WHERE candidate_id = '$person'")
}
# what_happened CASE: the outputs of both sessions and the rows, as a diagnostic
what_happened() {
    echo "session 1: $(tr '\n' ' ' <"$work/$1.s1")"
    echo "session 2 (exit $s2_rc): $(tr '\n' ' ' <"$work/$1.s2")"
    echo "rows of the person: $rows on contracts $contracts, $fte fte in total"
}
held_and_blocked() {  # CASE LABEL
    if ((s1_held)); then ok "$2: session 1 placed the person at 0.6 fte on K1 and holds its transaction open"
    else not_ok "$2: session 1 placed the person at 0.6 fte on K1 and holds its transaction open" "$(what_happened "$1")"; fi
    if ((s2_blocked)); then ok "$2: session 2 (0.6 fte on K2, overlapping) waits on session 1's lock"
    else not_ok "$2: session 2 (0.6 fte on K2, overlapping) waits on session 1's lock" "$(what_happened "$1")"; fi
}

# ---- 1. READ COMMITTED (the default), session 1 commits ----------------------
race commit p-commit 'READ COMMITTED' COMMIT 'READ COMMITTED'
held_and_blocked commit 'read committed, commit'
if ((s2_rc != 0)) && [[ $s2_state == 23514 ]]; then
    ok "read committed, commit: session 2 fails with 23514 once session 1 has committed"
else
    not_ok "read committed, commit: session 2 fails with 23514 once session 1 has committed" "$(what_happened commit)"
fi
check "read committed, commit: exactly one row stays, session 1's (K1, 0.6 fte)" \
    test "$rows $contracts $fte" = "1 K1 0.6"
check "read committed, commit: the error names the person, its own 0.6 fte and start, and the rule (the 1.2 total only in the detail)" \
    grep -q 'fte 0.6 of candidate p-commit from 2026-02-01 would take the person over 1 fte: other activities already count for them in that period' \
    <(psql_db "$db" -c "$(placement p-commit K2 2026-02-01)" 2>&1)

# ---- 2. READ COMMITTED, session 1 rolls back ---------------------------------
race rollback p-rollback 'READ COMMITTED' ROLLBACK 'READ COMMITTED'
held_and_blocked rollback 'read committed, rollback'
if ((s2_rc == 0)) && [[ -z $s2_state ]]; then
    ok "read committed, rollback: session 2 succeeds once session 1 has rolled back"
else
    not_ok "read committed, rollback: session 2 succeeds once session 1 has rolled back" "$(what_happened rollback)"
fi
check "read committed, rollback: exactly one row stays, session 2's (K2, 0.6 fte)" \
    test "$rows $contracts $fte" = "1 K2 0.6"

# ---- 3. session 2 under REPEATABLE READ and SERIALIZABLE ---------------------
# not_both CASE LABEL: session 2 failed with 40001 or 23514 and only session 1's row is
# there.
not_both() {
    local desc="$2: session 2 fails with 40001 or 23514, never both placements commit (1 row, 0.6 fte)" result=1
    if ((s2_rc != 0)) && [[ $s2_state == 40001 || $s2_state == 23514 ]] && [[ "$rows $contracts $fte" == "1 K1 0.6" ]]; then
        result=0
    fi
    echo "# $2: session 2 ended with ${s2_state:-success (exit $s2_rc)}; $rows rows of the person on $contracts, $fte fte"
    if ((result == 0)); then
        ok "$desc"
    else
        not_ok "$desc" "$(what_happened "$1")"
    fi
}
# sroi takes the candidate row with a no-op UPDATE: a lock that were only held (FOR UPDATE)
# would give no serialization failure when released, and session 2 would go on with its
# snapshot from before session 1 committed, miss session 1's row and commit too (1.2 fte).

race rr p-rr 'READ COMMITTED' COMMIT 'REPEATABLE READ'
held_and_blocked rr 'session 2 repeatable read'
not_both rr 'session 2 repeatable read'
# SSI catches it only when both are SERIALIZABLE: a READ COMMITTED session 1 is not tracked.
race ser p-ser 'READ COMMITTED' COMMIT 'SERIALIZABLE'
held_and_blocked ser 'session 2 serializable, session 1 read committed'
not_both ser 'session 2 serializable, session 1 read committed'
race ser-both p-ser-both 'SERIALIZABLE' COMMIT 'SERIALIZABLE'
held_and_blocked ser-both 'both serializable'
not_both ser-both 'both serializable'

# ---- 4. the figures cache: a refresh during an open write stores what it commits --
# Session 1 enters a new person and holds its transaction open; sroi.refresh_figures()
# in session 2 must wait for it; session 1 then adds 3 hours of that person (C10, 100.00
# an hour: 300.00) to K1 and commits.  A refresh that held some of its locks (the
# activities) while it waited for the others (the persons) would deadlock with that
# writer: it takes all or none.  It then stores K1's figures with the 300.00 in them,
# never figures without them that the commit would leave behind.
PGAPPNAME=race-s1-figures psql_db "$db" -v ON_ERROR_STOP=1 -f - >/dev/null 2>"$work/figures.s1" <<'SQL' &
BEGIN;
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('PRACE', '1990-01-01', 'participatiewet', '2024-06-01');
SELECT pg_sleep(2);
INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, hours) VALUES ('K1', 'C10', 'PRACE', '2025-02-03', 3);
COMMIT;
SQL
f1=$!
bg_pids+=("$f1")
for ((i = 0; i < 200; i++)); do
    [[ $(value "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'race-s1-figures'
                      AND query LIKE 'SELECT pg_sleep%'") == 1 ]] && break
    sleep 0.05
done
PGAPPNAME=race-s2-figures psql_db "$db" -c "SELECT * FROM sroi.refresh_figures('2025-06-30')" >"$work/figures.s2" 2>&1 &
f2=$!
bg_pids+=("$f2")
waited=0
for ((i = 0; i < 200; i++)); do
    # waiting: between its attempts (0.1 s, wait event PgSleep)
    if [[ $(value "$db" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'race-s2-figures'
                         AND wait_event IN ('PgSleep', 'relation')") == 1 ]]; then waited=1; break; fi
    kill -0 "$f2" 2>/dev/null || break
    sleep 0.05
done
s1_status=0; wait "$f1" || s1_status=$?; wait "$f2"
check "sroi.refresh_figures() waits for an open write (a new person)" test "$waited" = 1
check "the writer's activity for that person, while the refresh waits, succeeds (no deadlock): $(tr '\n' ' ' < "$work/figures.s1")" \
    test "$s1_status" = 0 -a ! -s "$work/figures.s1"
# K1 on 2025-06-30: the placements of the cases above start in 2026 (nothing yet), so
# realised is the 3 hours alone: 3 x 100.00 = 300.00, stored as category C.
check "and then stores K1's figures with the committed 3 hours: realised_c 300.00" \
    test "$(value "$db" "SELECT realised_c FROM sroi.contract_figures WHERE contract_id = 'K1' AND as_of = '2025-06-30'")" = 300.00

# ---- 5. the default, and nothing left behind ---------------------------------
check "READ COMMITTED is the default isolation level here" \
    test "$(value "$db" 'SHOW default_transaction_isolation')" = "read committed"
check "no session of the test is left and no lock on sroi.candidate remains" \
    test "$(value "$db" "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'race-%')
                       + (SELECT count(*) FROM pg_locks WHERE relation = 'sroi.candidate'::regclass)")" = 0

tap_done
