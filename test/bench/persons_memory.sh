#!/usr/bin/env bash
# Peak memory of sroi.persons: one fresh backend per case counts the persons of ROWS rows
# over DISTINCT ids, serially, and prints its VmHWM and RssAnon; a floor row per ROWS
# runs the same row source under count() alone.  The aggregate's memory must follow the
# distinct ids, not the rows.  Run by bench.sh inside its cluster, or on its own:
#   test/tools/with-cluster.sh test/bench/persons_memory.sh
#   PERSONS_ROWS (1000000 10000000)  PERSONS_DISTINCT (10 1000000)
set -euo pipefail

rows_list=${PERSONS_ROWS:-1000000 10000000}
distinct_list=${PERSONS_DISTINCT:-10 1000000}
psql=(psql -X -q -v ON_ERROR_STOP=1 -At)

# The extension is needed in the database psql connects to (bench: already there).
"${psql[@]}" -c 'CREATE EXTENSION IF NOT EXISTS sroi' 2>/dev/null

# case ROWS DISTINCT|floor: prints "rows distinct result VmHWM RssAnon" (kB).  The ids
# come from a set-returning function in the select list (ProjectSet), which streams them:
# no tuplestore, so the backend's growth is the aggregate's own.
measure() {
    local agg
    if [[ $2 == floor ]]; then
        agg='count(id)'
    else
        agg='sroi.persons(id)'
    fi
    "${psql[@]}" <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;  -- LLVM would add tens of MB of mapped files above some row counts
SELECT '$1', '$2', $agg,
       (SELECT substring(line FROM '(\d+) kB') FROM regexp_split_to_table(pg_read_file('/proc/self/status'), E'\n') AS line WHERE line ~ '^VmHWM'),
       (SELECT substring(line FROM '(\d+) kB') FROM regexp_split_to_table(pg_read_file('/proc/self/status'), E'\n') AS line WHERE line ~ '^RssAnon')
  FROM (SELECT 'P' || (generate_series(1, $1) % ${2/floor/1}) AS id) AS s;
SQL
}

printf '%12s %10s %10s %12s %12s\n' rows distinct persons 'VmHWM kB' 'RssAnon kB'
for rows in $rows_list; do
    for distinct in floor $distinct_list; do
        IFS='|' read -r r d n hwm anon < <(measure "$rows" "$distinct")
        if [[ $d != floor ]]; then
            want=$((d < r ? d : r))
            if ((n != want)); then
                echo "persons_memory: sroi.persons gave $n for $r rows over $d ids, not $want" >&2
                exit 1
            fi
        fi
        printf '%12s %10s %10s %12s %12s\n' "$r" "$d" "$n" "$hwm" "$anon"
    done
done
