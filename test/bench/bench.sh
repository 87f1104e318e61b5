#!/usr/bin/env bash
# make bench: loads the scale generator's data into a private cluster and
# prints the benchmark's ratios, measured side by side in one run.
#   BENCH_ACTIVITIES (1000000)  BENCH_CONTRACTS (100000)  BENCH_RUNS (5)
#   BENCH_BIG_ACTIVITIES (10000000; 0 skips the memory run at that scale)
#   PERSONS_ROWS (1000000 10000000)  PERSONS_DISTINCT (10 1000000): persons_memory.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [[ ${1:-} != --inside ]]; then
    exec test/tools/with-cluster.sh "$0" --inside
fi

activities=${BENCH_ACTIVITIES:-1000000}
contracts=${BENCH_CONTRACTS:-100000}
runs=${BENCH_RUNS:-5}
big=${BENCH_BIG_ACTIVITIES:-10000000}
as_of=2025-12-31
psql=(psql -X -q -v ON_ERROR_STOP=1)

echo "sroi benchmark, $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "PostgreSQL: $("${psql[@]}" -Atc 'SHOW server_version'), shared_buffers $("${psql[@]}" -Atc 'SHOW shared_buffers')"

load() {  # database activities contracts
    createdb "$1"
    "${psql[@]}" -d "$1" -c 'CREATE EXTENSION sroi'
    local started=$SECONDS
    "${psql[@]}" -d "$1" -v activities="$2" -v contracts="$3" -f test/data/scale.sql >/dev/null
    echo "loaded $2 activities over $3 contracts in $((SECONDS - started)) s"
}

# Peak memory of one backend that sums the accrual over every value line and
# computes the quarterly progress of every contract.
peak_memory() {  # database
    "${psql[@]}" -d "$1" -At <<SQL
SELECT sum(realised_cum), sum(expected_cum), count(status) FROM sroi.quarterly_progress('$as_of');
SELECT sroi.accrued_sum(unit, amount, reference_months, quantity, starts_on, ends_on, '$as_of',
                        planned_ends_on, max_months, term_starts_on, term_ends_on) IS NOT NULL
  FROM sroi.value_line WHERE counted;
SELECT 'peak backend memory: ' || string_agg(line, ', ')
  FROM regexp_split_to_table(pg_read_file('/proc/self/status'), E'\n') AS line
 WHERE line ~ '^(VmHWM|RssAnon|RssShmem)';
SQL
}

load bench "$activities" "$contracts"
"${psql[@]}" -d bench -v as_of="$as_of" -f test/bench/baselines.sql
"${psql[@]}" -d bench -v runs="$runs" -v as_of="$as_of" -f test/bench/measure.sql
"${psql[@]}" -d bench -v runs="$runs" -f test/bench/bi.sql
echo
# The quarterly report page of one municipality (issue #12; goal: under 1 s), measured
# as the owner: today, with the figures stored by bi.sql's sroi.refresh_figures(), and at
# the end of 2025, computed (nothing stored for that date).
m=$("${psql[@]}" -d bench -At -c "SELECT municipality FROM sroi.contract GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
echo "== sroi.report_html('$m', quarter, as_of): one page (goal: under 1 s)"
"${psql[@]}" -d bench -At -c "SELECT count(*) || ' contracts in $m' FROM sroi.contract WHERE municipality = '$m'"
# the first call of a new connection also loads the catalogue caches, plans every report
# for the first time and grows a new backend's memory: one call on each of 5 new
# connections, their median and range (one call alone moved by 0.4 s from run to run)
page="SELECT length(sroi.report_html('$m', sroi.quarter(sroi.today())::text, sroi.today()))"
firsts=()
for _ in 1 2 3 4 5; do
    firsts+=("$("${psql[@]}" -d bench -At <<SQL
CREATE TEMP TABLE t AS SELECT clock_timestamp() AS started;
$page \\g /dev/null
SELECT round(extract(epoch FROM clock_timestamp() - started) * 1000) FROM t;
SQL
)")
done
printf '%s\n' "${firsts[@]}" | sort -n | awk '{ v[NR] = $1 } END {
    printf "today, figures stored, the first call of a new connection: median %d ms (%d to %d, 5 connections)\n", v[3], v[1], v[5] }'
"${psql[@]}" -d bench -At <<SQL
SELECT 'today, figures stored: ' || ($page) || ' characters of HTML; again on the same connection: '
       || bench.median_ms(format('SELECT length(sroi.report_html(%L, sroi.quarter(sroi.today())::text, sroi.today()))', '$m'), 3)
       || ' ms (median of 3)';
CREATE TEMP TABLE t AS SELECT clock_timestamp() AS started;
SELECT '$as_of, computed: ' || length(sroi.report_html('$m', sroi.quarter('$as_of'::date)::text, '$as_of'))
       || ' characters of HTML in ' || round(extract(epoch FROM clock_timestamp() - (SELECT started FROM t)) * 1000) || ' ms';
SQL
echo
echo "== memory at $activities activities"
peak_memory bench | tail -1

if (( big > 0 )); then
    echo
    echo "== memory at $big activities"
    load bench_big "$big" "$contracts"
    peak_memory bench_big | tail -1
fi

# sroi.persons: peak memory per backend must follow the distinct ids, not the rows.
echo
echo "== sroi.persons memory: one backend per case, serial, kB"
PGDATABASE=bench test/bench/persons_memory.sh
