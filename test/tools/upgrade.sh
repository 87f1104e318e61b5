#!/usr/bin/env bash
# Upgrade path, as a TAP test run inside the test cluster (PGHOST etc. set):
#  - a released version's install script never changes: upgrade/sroi--V.sql is the frozen
#    script of released version V, and the script built for the current default_version V
#    must equal it (change the SQL: bump default_version, add upgrade/sroi--V--NEW.sql);
#  - every upgrade script upgrade/sroi--OLD--NEW.sql, applied with ALTER EXTENSION ... UPDATE
#    to a database installed at OLD that holds data, gives the same schema, the same rows
#    and the same report output as a fresh install of the current version with that data
#    (the schema read from the catalogues: functions, relations with their row-level
#    security, grants, columns, constraints, indexes, triggers, policies, types and the
#    tables pg_dump writes).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source test/tools/tap.sh

version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" sroi.control)
upgrades=(upgrade/sroi--*--*.sql)
[[ -e ${upgrades[0]} ]] || upgrades=()

work=$(mktemp -d)
trap tap_cleanup EXIT
tap_plan $((1 + 2 * ${#upgrades[@]}))

# sql_only FILE: the script without its comment lines, those that start with "--" outside
# a dollar-quoted body (a comment inside a function body is part of the function).  A
# released script may have its commentary corrected, nothing else.
sql_only() {
    awk '{
        keep = !(open == "" && /^--/)
        rest = $0
        while (match(rest, /\$[A-Za-z_]*\$/)) {
            tag = substr(rest, RSTART, RLENGTH)
            if (open == "") open = tag; else if (open == tag) open = ""
            rest = substr(rest, RSTART + RLENGTH)
        }
        if (keep) print
    }' "$1"
}

if [[ ! -f upgrade/sroi--$version.sql ]]; then
    # unreleased: make builds the upgrade script to it from the last release (Makefile,
    # UPGRADE_built); without it the upgrade would go untested
    if compgen -G "upgrade/sroi--*--$version.sql" >/dev/null; then
        ok "version $version is not frozen yet (unreleased); its upgrade script is built"
    else
        not_ok "version $version is unreleased and no upgrade/sroi--*--$version.sql is there: run make (it builds the upgrade script)"
    fi
elif diffs=$(diff -u <(sql_only "upgrade/sroi--$version.sql") <(sql_only "sroi--$version.sql")); then
    ok "the install script of released version $version is unchanged (but for comment lines)"
else
    not_ok "the install script of released version $version changed: bump default_version and add an upgrade script" \
        "$(head -n 40 <<<"$diffs")"
fi

# The same small data set in every database, through the validation triggers.
load_data() {  # database
    psql_db "$1" <<'SQL'
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('UP-1', 'Diemen', 'Upgrade BV', 'upgrade test', 1000000, '2024-12-01', '2025-01-01', '2026-12-31', '2024-12-10');
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('UP-P1', '1990-01-01', 'participatiewet', '2024-06-01');
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on) VALUES ('UP-1', 'A2', 'UP-P1', 0.8, '2025-01-31');
INSERT INTO sroi.activity (contract_id, block, amount, starts_on) VALUES ('UP-1', 'C11', 2500, '2025-03-01');
INSERT INTO sroi.quarter_report VALUES ('UP-1', '2025-Q1', '2025-04-20');
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('UP-1', '2025-Q1', 'A2', 5000), ('UP-1', '2025-Q2', 'A2', 6000);
SQL
}

report() {  # database
    psql_db "$1" -At <<'SQL'
SELECT c::text FROM sroi.compliance('2026-06-30') AS c;
SELECT p::text FROM sroi.quarterly_progress('2026-06-30') AS p;
SELECT count(*) FROM sroi.activity;
SELECT v::text FROM sroi.plan_versions AS v;
SQL
    # pg_dump leaves out extension members, so the schema is read from the catalogues.
    psql_db "$1" -At <<'SQL'
SELECT 'function ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid))
       || ' ' || coalesce(obj_description(p.oid, 'pg_proc'), '')
  FROM pg_proc AS p WHERE p.pronamespace = 'sroi'::regnamespace AND p.prokind <> 'a'
UNION ALL
SELECT 'aggregate ' || p.oid::regprocedure FROM pg_proc AS p
 WHERE p.pronamespace = 'sroi'::regnamespace AND p.prokind = 'a'
UNION ALL
SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(md5(pg_get_viewdef(c.oid)), '')
       || ' rls ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
       || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '')
  FROM pg_class AS c WHERE c.relnamespace = 'sroi'::regnamespace
UNION ALL
SELECT 'grant ' || c.relname || ' ' || a.grantee::regrole || ' ' || a.privilege_type || ' ' || a.is_grantable
  FROM pg_class AS c, aclexplode(c.relacl) AS a WHERE c.relnamespace = 'sroi'::regnamespace
UNION ALL
SELECT 'grant ' || p.oid::regprocedure || ' ' || a.grantee::regrole || ' ' || a.privilege_type
  FROM pg_proc AS p, aclexplode(p.proacl) AS a WHERE p.pronamespace = 'sroi'::regnamespace
UNION ALL
SELECT 'pg_dump ' || t.config::regclass || ' ' || t.condition
  FROM pg_extension AS e, unnest(e.extconfig, e.extcondition) AS t (config, condition) WHERE e.extname = 'sroi'
UNION ALL
SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
       || ' ' || coalesce(col_description(c.oid, a.attnum), '')
  FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef AS d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relnamespace = 'sroi'::regnamespace
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'sroi'::regnamespace
UNION ALL
SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index
 WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace)
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger AS t
 WHERE NOT t.tgisinternal AND t.tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace)
UNION ALL
SELECT 'policy ' || polrelid::regclass || ' ' || polname || ' ' || coalesce(pg_get_expr(polqual, polrelid), '')
       || ' ' || coalesce(pg_get_expr(polwithcheck, polrelid), '')
  FROM pg_policy WHERE polrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace)
UNION ALL
SELECT 'type ' || t.typname || ' ' || coalesce(obj_description(t.oid, 'pg_type'), '')
  FROM pg_type AS t WHERE t.typnamespace = 'sroi'::regnamespace
UNION ALL
-- the rows of every table (the rows a new table ships with: person_lock's 1024 slots)
SELECT 'rows ' || c.relname || ' '
       || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
  FROM pg_class AS c WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'r'
ORDER BY 1;
SQL
}

for script in "${upgrades[@]}"; do
    name=$(basename "$script" .sql)
    from=${name#sroi--}; from=${from%%--*}
    to=${name##*--}
    old_db="upgrade_from_${from//./_}"; new_db="upgrade_fresh_${to//./_}"
    tap_databases=("$old_db" "$new_db")
    tap_drop_databases
    createdb "$old_db"; createdb "$new_db"
    psql_db "$old_db" -c "CREATE EXTENSION sroi VERSION '$from'"
    load_data "$old_db"
    check "ALTER EXTENSION sroi UPDATE from $from to $to" psql_db "$old_db" -c "ALTER EXTENSION sroi UPDATE TO '$to'"
    psql_db "$new_db" -c "CREATE EXTENSION sroi VERSION '$to'"
    load_data "$new_db"
    same_as_fresh() {
        report "$old_db" >"$work/old" && report "$new_db" >"$work/new" && [[ -s $work/new ]] &&
            diff "$work/old" "$work/new"
    }
    check "$from updated to $to equals a fresh $to: schema, rows and reports" same_as_fresh
    tap_drop_databases
done
tap_done
