#!/usr/bin/env bash
# sroi distributed as the README's Citus section says: CREATE EXTENSION sroi on the
# coordinator, then SELECT * FROM sroi.distribute().  Every table of sroi ends up where it
# belongs (contract-keyed tables distributed by contract and colocated, the others
# reference tables), with its triggers, foreign keys and policies; a second call changes
# nothing; without Citus the function says what is missing.  Runs inside
# test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

tap_plan 17
db=sroi_readme
fresh_db $db

out=$(q $db "CREATE EXTENSION sroi")
workers=$(for p in "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do qp "$p" $db "SELECT extversion FROM pg_extension WHERE extname = 'sroi'"; done | tr '\n' ' ')
if [[ -z $out && $workers == "0.2 0.2 " ]]; then
    ok "CREATE EXTENSION sroi on the coordinator also creates it on both workers ($workers)"
else
    not_ok "CREATE EXTENSION sroi on the coordinator also creates it on both workers" "$out $workers"
fi

# The tables as sroi's catalogue knows them: contract-keyed (a contract_id column) or not.
keyed=$(q $db "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class AS c
                 JOIN pg_depend AS d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                 JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'sroi'
                WHERE c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'contract_id')")
others=$(q $db "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class AS c
                 JOIN pg_depend AS d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
                 JOIN pg_extension AS e ON e.oid = d.refobjid AND e.extname = 'sroi'
                WHERE c.relkind = 'r' AND c.relname NOT IN ('contract', 'person_lock')
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'contract_id')")
fks=$(q $db "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'sroi'::regnamespace")
# (but the figures cache's three *_figures_stale, which sroi.distribute() drops: 07_monitoring.sql)
triggers=$(q $db "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname NOT LIKE '%\_figures\_stale' AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace)")
policies=$(q $db "SELECT count(*) FROM pg_policy")
# the policies with a subquery (the single-node forms: scope InitPlans, candidate look-ups)
with_sublink=$(q $db "SELECT polrelid::regclass || '||policy ' || polname || ': subqueries rewritten as function calls for Citus'
                        FROM pg_policy WHERE polqual::text LIKE '%{SUBLINK%' OR polwithcheck::text LIKE '%{SUBLINK%'
                       ORDER BY polrelid::regclass::text, polname")

# the report functions: SQL-standard bodies (BEGIN ATOMIC, a query) that read a
# contract-keyed table (its name has a contract_id column, or is contract); the text
# distribute() reports for each: RETURN QUERY for a set, RETURN for a value
sql_reports="SELECT p.oid::regprocedure || '|' || CASE WHEN p.proretset THEN 'RETURN QUERY' ELSE 'RETURN' END FROM pg_proc AS p
               WHERE p.pronamespace = 'sroi'::regnamespace AND p.prosqlbody IS NOT NULL
                 AND pg_get_functiondef(p.oid) LIKE '%BEGIN ATOMIC%'
                 AND EXISTS (SELECT 1 FROM pg_depend AS d JOIN pg_class AS c ON c.oid = d.refobjid AND c.relkind = 'r'
                              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_class'::regclass
                                AND (c.relname = 'contract' OR EXISTS (SELECT 1 FROM pg_attribute AS a
                                                                       WHERE a.attrelid = c.oid AND a.attname = 'contract_id')))
               ORDER BY p.oid::regprocedure::text"
reports=$(q $db "$sql_reports")
all=$(q $db "SELECT t.table_name, t.layout, t.done FROM sroi.distribute() AS t")
out=$(grep -v '^[^|]*||' <<<"$all")
expected=$( (for t in $others; do echo "sroi.$t|reference|converted, triggers kept"; done
             echo "sroi.contract|distributed by id|converted, triggers kept"
             for t in $keyed; do echo "sroi.$t|distributed by contract_id, colocated with contract|converted, triggers kept"; done
             echo "sroi.person_lock|distributed by slot|converted, triggers kept") )
equal "sroi.distribute(): the catalogue, candidates and role scopes reference tables, every contract-keyed table distributed by contract ($keyed), the person lock's slots by slot" \
    "$expected" "$out"
equal "the one key Citus refuses as it is (ON DELETE SET NULL on a key with the distribution column) is kept without its action, and said so" \
    "sroi.action_item||foreign key action_item_activity_fkey kept without its ON DELETE action (Citus: cannot create foreign key constraint)" \
    "$(grep '^[^|]*||foreign key' <<<"$all")"
if [[ $(wc -l <<<"$with_sublink") -gt 30 ]]; then
    equal "every policy with a subquery (scope InitPlans, candidate look-ups: $(wc -l <<<"$with_sublink") of $policies) is rewritten, and said so" \
        "$(sort <<<"$with_sublink")" "$(grep '^[^|]*||policy' <<<"$all" | sort)"
else
    not_ok "the single-node policies read the scope in subqueries (InitPlans): more than 30 of them" "$with_sublink"
fi
sublinks="SELECT count(*) FROM pg_policy WHERE polrelid::regclass::text LIKE 'sroi.%' AND (polqual::text LIKE '%{SUBLINK%' OR polwithcheck::text LIKE '%{SUBLINK%')"
equal "no policy of sroi's tables has a subquery left, on the coordinator and on both workers" "0 0 0" \
    "$(q $db "$sublinks") $(qp "$CITUS_WORKER1_PORT" $db "$sublinks") $(qp "$CITUS_WORKER2_PORT" $db "$sublinks")"
if [[ $(grep -c . <<<"$reports") -ge 12 ]]; then
    equal "every report function (SQL, reads a contract-keyed table: $(grep -c . <<<"$reports") of them) becomes PL/pgSQL, and said so" \
        "$(sed -E 's/^([^|]*)\|(.*)$/||function \1: PL\/pgSQL on Citus (\2 of its body)/' <<<"$reports")" "$(grep '^||function' <<<"$all")"
else
    not_ok "the report functions are SQL functions reading contract-keyed tables: at least 12" "$reports"
fi
plpgsql="SELECT count(*) FROM pg_proc WHERE oid::regprocedure::text IN ($(sed -E "s/^([^|]*)\|.*/'\1'/" <<<"$reports" | paste -sd,))
           AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')"
nrep=$(grep -c . <<<"$reports")
equal "the report functions are PL/pgSQL on the coordinator and on both workers, and no SQL one reads a contract-keyed table" \
    "$nrep $nrep $nrep none" \
    "$(q $db "$plpgsql") $(qp "$CITUS_WORKER1_PORT" $db "$plpgsql") $(qp "$CITUS_WORKER2_PORT" $db "$plpgsql") $(q $db "SELECT coalesce(string_agg(f::text, ', '), 'none') FROM ($sql_reports) AS r (f)")"
equal "the candidate look-ups became sroi.candidate_placed, the scope subqueries plain calls" \
    "sroi.activity|supplier_select|(supplier = ANY (sroi.scope_suppliers()))
sroi.candidate|manager_select|sroi.candidate_placed(id, 'municipality'::text, CURRENT_USER)
sroi.candidate|supplier_select|((registered_by = CURRENT_USER) OR sroi.candidate_placed(id, 'supplier'::text, CURRENT_USER))" \
    "$(q $db "SELECT polrelid::regclass, polname, pg_get_expr(polqual, polrelid) FROM pg_policy
               WHERE (polrelid = 'sroi.candidate'::regclass AND polname IN ('manager_select', 'supplier_select'))
                  OR (polrelid = 'sroi.activity'::regclass AND polname = 'supplier_select')
               ORDER BY polrelid::regclass::text, polname")"
equal "every table of sroi is now known to Citus: reference (n) or hash-distributed (h)" \
    "$( (for t in $others; do echo "$t|n"; done; echo "contract|h"; for t in $keyed; do echo "$t|h"; done; echo "person_lock|h") | sort)" \
    "$(q $db "SELECT relname, partmethod FROM pg_dist_partition JOIN pg_class ON oid = logicalrelid WHERE relnamespace = 'sroi'::regnamespace" | sort)"
equal "the contract-keyed tables are colocated with contract (one colocation group), the person lock's slots in a group of their own" "1|t" \
    "$(q $db "SELECT count(DISTINCT colocationid) FILTER (WHERE relname <> 'person_lock'),
                     bool_and(colocationid <> (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'sroi.contract'::regclass))
                       FILTER (WHERE relname = 'person_lock')
                FROM pg_dist_partition JOIN pg_class ON oid = logicalrelid WHERE relnamespace = 'sroi'::regnamespace AND partmethod = 'h'")"
equal "foreign keys, triggers (the figures cache's dropped) and policies all still there ($fks, $triggers, $policies)" "$fks $triggers $policies" \
    "$(q $db "SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN (SELECT logicalrelid FROM pg_dist_partition)),
                     (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace AND relname IN (SELECT relname FROM pg_class JOIN pg_dist_partition ON logicalrelid = oid))),
                     (SELECT count(*) FROM pg_policy WHERE polrelid IN (SELECT logicalrelid FROM pg_dist_partition))" | tr '|' ' ')"
equal "the shipped catalogue rows are on every node (rate cards on the coordinator and both workers' shards)" \
    "$(q $db "SELECT count(*) FROM sroi.building_block")" \
    "$(q $db "SELECT min(result::int) FROM run_command_on_placements('sroi.building_block', 'SELECT count(*) FROM %s')")"
expect_failure "the guard still refuses a shipped row of a user, on the shards" $db \
    "INSERT INTO sroi.rate_card (code, valid_from, description, shipped) VALUES ('x', '2030-01-01', 'x', true)" \
    'shipped must be false for rows you add (rate card x)'
out=$(q $db "SELECT DISTINCT done FROM sroi.distribute() WHERE layout IS NOT NULL")
equal "a second call changes nothing: every table already distributed" "already distributed" "$out"

# sroi.run_on_workers (12_citus.sql), through which sroi.distribute() runs its commands on
# the workers: a command that fails there stops it with 55000, naming every failing node.
out=$(q $db "\\set VERBOSITY verbose
SELECT sroi.run_on_workers('SELECT 1/0', 'SELECT 1/0 failed on a worker')")
if [[ $(err "$out") == "ERROR: 55000: SELECT 1/0 failed on a worker: "* && $out == *":$CITUS_WORKER1_PORT: "*"division by zero"* &&
      $out == *":$CITUS_WORKER2_PORT: "* ]]; then
    ok "a command that fails on the workers raises 55000 naming both workers (sroi.run_on_workers)"
    err "$out" | sed 's/^/#   /'
else
    not_ok "a command that fails on the workers raises 55000 naming both workers (sroi.run_on_workers)" "$out"
fi

# Without Citus: a database of the coordinator without the citus extension.
psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE IF EXISTS sroi_no_citus" -c "CREATE DATABASE sroi_no_citus" >/dev/null 2>&1
q sroi_no_citus "CREATE EXTENSION sroi" >/dev/null
expect_failure "without Citus sroi.distribute() refuses with 55000 and says what is missing" sroi_no_citus \
    "\\set VERBOSITY verbose
     SELECT * FROM sroi.distribute()" \
    'ERROR: 55000: sroi.distribute() needs Citus: the extension citus is not installed in this database'
out=$(q sroi_no_citus "SELECT count(*) FROM sroi.contract")
equal "... and changes nothing" "0" "$out"
psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE sroi_no_citus WITH (FORCE)" >/dev/null 2>&1

tap_done
