#!/usr/bin/env bash
# Usage (inside test/tools/citus.sh): test/tools/citus-db.sh DB
# Makes database DB a Citus database on the cluster that citus.sh started: creates it on
# the coordinator and both workers when missing, creates the citus extension on each,
# and registers the coordinator and the two workers (idempotent).
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
db=$1
: "${CITUS_COORD_PORT:?run inside test/tools/citus.sh}"
for port in "$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
    if [[ $(psql -X -At -p "$port" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'") != 1 ]]; then
        psql -X -q -p "$port" -d postgres -c "CREATE DATABASE \"$db\""
    fi
    psql -X -q -p "$port" -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS citus'
done
psql -X -q -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d "$db" <<SQL >/dev/null
SELECT citus_set_coordinator_host('127.0.0.1', $CITUS_COORD_PORT);
SELECT citus_add_node('127.0.0.1', $CITUS_WORKER1_PORT);
SELECT citus_add_node('127.0.0.1', $CITUS_WORKER2_PORT);
SQL
