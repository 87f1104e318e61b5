#!/usr/bin/env bash
# The roles on the cluster (issue 10 point 3): LOGIN roles connect to the coordinator over
# the network as themselves (psql -h 127.0.0.1 -U ROLE, no SET ROLE), as in
# test/tools/tenants.sh: two suppliers, a contract manager, a BI reader and an SR
# coordinator, scoped by sroi.role_scope rows.  A supplier sees and changes only its own
# contracts' rows, never another supplier's (the other's secrets are absent from the rows
# AND from the error text); a contract manager only its municipality; a reader no table;
# the coordinator everything.  Every read is also run on a single-node database holding
# the same rows, entered by the same roles in the same order, and must give the same
# output.  Runs inside test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

cluster=sroi_roles
single=sroi_roles_single
logins="cz_alfa cz_beta cz_diemen cz_reader cz_coord"
cleanup() {
    local p
    psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "DROP DATABASE IF EXISTS $single WITH (FORCE)" >/dev/null 2>&1
    for p in "$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
        psql -X -q -p "$p" -d postgres -c "DROP DATABASE IF EXISTS $cluster WITH (FORCE)" >/dev/null 2>&1
    done
    # roles are per node: the coordinator propagated them, drop them everywhere
    for p in "$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT"; do
        for r in $logins; do psql -X -q -p "$p" -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
    done
}
trap cleanup EXIT
cleanup

# as DB ROLE SQL: tap.sh's as_login over TCP to the coordinator.
as() { PGHOST=127.0.0.1 PGPORT=$CITUS_COORD_PORT as_login "$@"; }
# both ROLE DESC SQL EXPECTED: SQL as ROLE gives EXPECTED on the cluster and on the single node.
both() {
    local c s
    c=$(as $cluster "$1" "$3"); s=$(as $single "$1" "$3")
    if [[ $c == "$4" && $s == "$4" ]]; then ok "$2"
    else not_ok "$2" "expected:
$4
cluster:
$c
single node:
$s"; fi
}
# secrets_absent DESC TEXT SECRET...: none of Beta's secrets in TEXT.
secrets_absent() {
    local desc=$1 text=$2 s
    shift 2
    for s in "$@"; do
        if grep -qF -- "$s" <<<"$text"; then not_ok "$desc" "secret '$s' found in:
$text"; return; fi
    done
    ok "$desc"
}
# Beta's amount 7654.32 cannot stand by chance in a timestamp's microseconds, as 777 could (CI
# of 7285000 failed test 12 once on '777' in a row Alfa may read; the runs before passed)
beta_secrets=(BETA-SECRET 1977-07-07 wajong 'beta diemen' 'beta uithoorn' 7654.32)

tap_plan 42

fresh_db $cluster
check "cluster: sroi distributed (sroi.distribute())" distribute_sroi $cluster
psql -X -q -p "$CITUS_COORD_PORT" -d postgres -c "CREATE DATABASE $single" >/dev/null 2>&1
check "single node (no citus extension in the database): sroi" q $single "CREATE EXTENSION sroi"
# CREATE ROLE in a Citus database is propagated to the workers (their shards are queried
# as the same user).
check "the five LOGIN roles, on every node" q $cluster "CREATE ROLE cz_alfa LOGIN IN ROLE sroi_supplier;
CREATE ROLE cz_beta LOGIN IN ROLE sroi_supplier;
CREATE ROLE cz_diemen LOGIN IN ROLE sroi_contract_manager;
CREATE ROLE cz_reader LOGIN IN ROLE sroi_reader;
CREATE ROLE cz_coord LOGIN IN ROLE sroi_coordinator"

# The fixture, the same in both databases: the owner enters the scopes and four contracts
# (two suppliers x two municipalities); each supplier registers and places its own
# candidates and reports its own activities, one statement each, as itself.
fixture() {
    local db=$1 out=""
    out+=$(q $db "INSERT INTO sroi.role_scope (role_name, supplier) VALUES ('cz_alfa', 'Alfa BV'), ('cz_beta', 'Beta BV');
INSERT INTO sroi.role_scope (role_name, municipality) VALUES ('cz_diemen', 'Diemen');
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('K-A1', 'Diemen',   'Alfa BV', 'alfa diemen',   1000000, current_date - 420, current_date - 400, current_date + 300),
       ('K-A2', 'Uithoorn', 'Alfa BV', 'alfa uithoorn',  800000, current_date - 420, current_date - 400, current_date + 300),
       ('K-B1', 'Diemen',   'Beta BV', 'beta diemen',    900000, current_date - 420, current_date - 400, current_date + 300),
       ('K-B2', 'Uithoorn', 'Beta BV', 'beta uithoorn',  700000, current_date - 420, current_date - 400, current_date + 300)")
    out+=$(as $db cz_alfa "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('ALFA-P1', '1980-03-03', 'participatiewet', current_date - 900)")
    out+=$(as $db cz_beta "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister) VALUES ('BETA-SECRET-1', '1977-07-07', 'wajong', '2001-01-01', true)")
    out+=$(as $db cz_beta "INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since) VALUES ('BETA-SECRET-2', '1991-01-01', 'ww', current_date - 400)")
    out+=$(as $db cz_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref) VALUES ('K-A1', 'A1', 'ALFA-P1', 0.5, current_date - 100, 'ALFA-PLACE-1')")
    out+=$(as $db cz_alfa "INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES ('K-A2', 'C10', current_date - 30, 12, 'ALFA-HOURS-2')")
    out+=$(as $db cz_beta "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref) VALUES ('K-B1', 'A4', 'BETA-SECRET-1', 0.5, current_date - 100, 'BETA-SECRET-PLACE')")
    out+=$(as $db cz_beta "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, evidence_ref) VALUES ('K-B2', 'A3', 'BETA-SECRET-2', 1, current_date - 60, 'BETA-SECRET-UIT')")
    out+=$(as $db cz_beta "INSERT INTO sroi.activity (contract_id, block, starts_on, amount, evidence_ref) VALUES ('K-B2', 'C9', current_date - 20, 7654.32, 'BETA-SECRET-INV')")
    echo "$out"
    [[ -z $out ]]
}
check "cluster: the suppliers register and place their candidates and report activities as themselves" fixture $cluster
check "single node: the same" fixture $single
counts="SELECT (SELECT count(*) FROM sroi.contract) || ' ' || (SELECT count(*) FROM sroi.candidate) || ' ' || (SELECT count(*) FROM sroi.activity)"
# 4 contracts, 3 candidates (ALFA-P1, BETA-SECRET-1, BETA-SECRET-2), 5 activities (2 Alfa, 3 Beta)
equal "both hold 4 contracts, 3 candidates, 5 activities" "4 3 5 / 4 3 5" "$(q $cluster "$counts") / $(q $single "$counts")"
# the policies separate suppliers on one node too: Alfa's K-A1 and Beta's K-B1 hash to the
# same worker (default 32 shards), Alfa's K-A2 to the other
equal "the contracts lie on both workers, K-A1 (Alfa) and K-B1 (Beta) on the same one" "2 true" \
    "$(q $cluster "SELECT count(DISTINCT p.nodeport) || ' ' || bool_and(p.nodeport = (SELECT p2.nodeport FROM pg_dist_shard_placement AS p2
                      WHERE p2.shardid = get_shard_id_for_distribution_column('sroi.contract', 'K-A1'))) FILTER (WHERE k IN ('K-A1', 'K-B1'))
                   FROM unnest(ARRAY['K-A1', 'K-A2', 'K-B1', 'K-B2']) AS k
                   JOIN pg_dist_shard_placement AS p ON p.shardid = get_shard_id_for_distribution_column('sroi.contract', k)")"
equal "a supplier connects over TCP as itself (session user = current user, no SET ROLE)" "cz_alfa|cz_alfa|127.0.0.1" \
    "$(as $cluster cz_alfa "SELECT session_user, current_user, host(inet_client_addr())")"

# ---- a supplier: its own contracts only -------------------------------------------
both cz_alfa "a supplier reads its own 2 activities (K-A1 placement, K-A2 hours), none of Beta's 3" \
    "SELECT contract_id, evidence_ref FROM sroi.activity ORDER BY 2" "K-A2|ALFA-HOURS-2
K-A1|ALFA-PLACE-1"
both cz_alfa "its 2 contracts" "SELECT id FROM sroi.contract ORDER BY 1" "K-A1
K-A2"
both cz_alfa "and the 1 candidate it registered and placed (ALFA-P1), not Beta's 2" "SELECT id FROM sroi.candidate ORDER BY 1" "ALFA-P1"
out=$(as $cluster cz_alfa "SELECT * FROM sroi.activity; SELECT * FROM sroi.candidate; SELECT * FROM sroi.contract; SELECT * FROM sroi.decision;
  SELECT * FROM sroi.activity WHERE evidence_ref LIKE 'BETA%' OR candidate_id LIKE 'BETA%' OR contract_id LIKE 'K-B%';
  SELECT * FROM sroi.candidate WHERE id LIKE 'BETA%'")
secrets_absent "no secret of Beta (ids, birth date, benefit, titles, amount) in any row Alfa reads, also when it asks for them" "$out" "${beta_secrets[@]}"
equal "Alfa corrects its own hours (12 -> 14): 1 row" "ALFA-HOURS-2" \
    "$(as $cluster cz_alfa "UPDATE sroi.activity SET hours = 14 WHERE evidence_ref = 'ALFA-HOURS-2' RETURNING evidence_ref")"
equal "... stored on its shard" "14" "$(q $cluster "SELECT hours FROM sroi.activity WHERE evidence_ref = 'ALFA-HOURS-2'")"
# the shards also let a supplier INSERT the columns that have a default (12_citus.sql,
# column_privileges): the coordinator still checks the table's own column privileges
out=$(as $cluster cz_alfa "UPDATE sroi.activity SET status = 'approved' WHERE evidence_ref = 'ALFA-HOURS-2'")$(as $cluster cz_alfa "INSERT INTO sroi.activity (contract_id, block, starts_on, hours, status) VALUES ('K-A2', 'C10', current_date - 5, 1, 'approved')")
check "a supplier can neither set nor insert a status on the cluster (42501 twice: column privileges, checked on the coordinator)" \
    bash -c '[[ $(grep -c "42501: permission denied for table activity$" <<<"$1") == 2 ]] || { echo "$1"; exit 1; }' _ "$out"
beta_inv=$(q $cluster "SELECT id FROM sroi.activity WHERE evidence_ref = 'BETA-SECRET-INV'")
out=$(as $cluster cz_alfa "UPDATE sroi.activity SET amount = 1 WHERE id = $beta_inv RETURNING evidence_ref;
  UPDATE sroi.activity SET amount = 1 WHERE contract_id = 'K-B2' RETURNING evidence_ref")
equal "Alfa's UPDATE of Beta's invoice, by its id or its contract, changes no row and returns nothing" "" "$out"
equal "... Beta's invoice is still 7654.32" "7654.32" "$(q $cluster "SELECT amount FROM sroi.activity WHERE id = $beta_inv")"
out=$(as $cluster cz_alfa "DELETE FROM sroi.activity WHERE id = $beta_inv")
check "a supplier deletes no activity (no DELETE privilege: 42501), and the error names no secret of Beta" \
    has_only "$out" '42501' BETA-SECRET 7654.32
out=$(as $cluster cz_alfa "INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K-B1', 'C10', current_date - 5, 1)")
check "Alfa cannot report on Beta's contract K-B1 (42501), and learns nothing of it (title, supplier's candidates)" \
    has_only "$out" '42501' 'beta diemen' BETA-SECRET
out=$(as $cluster cz_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on) VALUES ('K-A1', 'A4', 'BETA-SECRET-1', 0.5, current_date - 10)")
check "Alfa cannot place Beta's candidate (23503, the single node's message) and learns neither birth date nor benefit" \
    has_only "$out" "23503.*candidate_id 'BETA-SECRET-1' is not a candidate you registered or placed" 1977-07-07 wajong
equal "the same error text as on the single node" \
    "$(as $single cz_alfa "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on) VALUES ('K-A1', 'A4', 'BETA-SECRET-1', 0.5, current_date - 10)" | grep -E '^(ERROR|HINT)')" \
    "$(grep -E '^(ERROR|HINT)' <<<"$out")"
equal "Alfa's UPDATE of Beta's candidate changes no row; the birth date is still 1977-07-07" "|1977-07-07" \
    "$(as $cluster cz_alfa "UPDATE sroi.candidate SET birth_date = '1990-01-01' WHERE id = 'BETA-SECRET-1' RETURNING id")|$(q $cluster "SELECT birth_date FROM sroi.candidate WHERE id = 'BETA-SECRET-1'")"
# 5 activities as before: the refused INSERTs stored nothing
equal "nothing stored by the refused writes: still 5 activities, 3 candidates" "4 3 5" "$(q $cluster "$counts")"

# ---- a contract manager: its municipality only --------------------------------------
both cz_diemen "the Diemen manager reads Diemen's 2 contracts (Alfa's and Beta's), not Uithoorn's 2" \
    "SELECT id FROM sroi.contract ORDER BY 1" "K-A1
K-B1"
both cz_diemen "... their 2 activities (a placement each), none of Uithoorn's 3" \
    "SELECT contract_id, evidence_ref FROM sroi.activity ORDER BY 2" "K-A1|ALFA-PLACE-1
K-B1|BETA-SECRET-PLACE"
both cz_diemen "... and the 2 candidates placed in Diemen, not BETA-SECRET-2 (placed in Uithoorn only)" \
    "SELECT id FROM sroi.candidate ORDER BY 1" "ALFA-P1
BETA-SECRET-1"
equal "the manager renames Diemen's K-B1 (1 row) but not Uithoorn's K-A2 (0 rows)" "K-B1" \
    "$(as $cluster cz_diemen "UPDATE sroi.contract SET title = 'renamed' WHERE id IN ('K-B1', 'K-A2') RETURNING id")"
equal "... K-A2 keeps its title" "alfa uithoorn" "$(q $cluster "SELECT title FROM sroi.contract WHERE id = 'K-A2'")"
check "a manager cannot set a penalty (the coordinator's column: 42501)" \
    has "$(as $cluster cz_diemen "UPDATE sroi.contract SET penalty_pct = 0 WHERE id = 'K-A1'")" '42501'

# ---- a reader: the views, no table ----------------------------------------------------
out=$(for t in activity candidate contract; do as $cluster cz_reader "SELECT * FROM sroi.$t"; done)
check "a reader reads no table: permission denied (42501) for activity, candidate and contract" \
    bash -c '[[ $(grep -c "42501: permission denied for table \(activity\|candidate\|contract\)$" <<<"$1") == 3 ]] || { echo "$1"; exit 1; }' _ "$out"
# What a reader reads on the cluster: the report functions report_FN (SECURITY DEFINER,
# 07_monitoring.sql: the shard queries run as their owner), with the small cells
# suppressed as on one server.
# (the same data first: Alfa's correction of its hours, made on the cluster above)
q $single "UPDATE sroi.activity SET hours = 14 WHERE evidence_ref = 'ALFA-HOURS-2'" >/dev/null
diffs=""; counts_r=""
for fn in report_compliance report_quarterly_progress report_municipality_quarter report_target_group_outcomes \
          report_overdue_items report_category_mix report_chain_delivery; do
    sql="SELECT t::text FROM sroi.$fn(sroi.today()) AS t ORDER BY 1"
    c=$(as $cluster cz_reader "$sql"); s=$(as $single cz_reader "$sql")
    counts_r+=" $fn $(grep -c . <<<"$s")"
    if [[ $c != "$s" || $s == *ERROR* || -z $s ]]; then diffs+="$fn: $(diff <(echo "$s") <(echo "$c") | head -n 4)
"; fi
done
if [[ -z $diffs ]]; then ok "a reader reads the reports through report_FN(today) on the cluster, the single node's rows:$counts_r"
else not_ok "a reader reads the reports through report_FN(today) on the cluster, the single node's rows" "$diffs"; fi

# The views read their tables with the owner's privileges on one server; Citus sends the
# shard queries as the user who queries the view, who has no privilege on the shards.  So
# on the cluster each view reads through view_V(CURRENT_USER), its query as a SECURITY
# DEFINER function (sroi.distribute(), 12_citus.sql).  Every view a reader may read, as
# the reader and as Diemen's manager, row by row against the single node (the same data:
# the manager's rename of K-B1, made on the cluster above, and Alfa's hours, made above).
q $single "UPDATE sroi.contract SET title = 'renamed' WHERE id = 'K-B1'" >/dev/null
views=$(q $cluster "SELECT c.relname FROM pg_class AS c WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
                     AND has_table_privilege('sroi_reader', c.oid, 'SELECT') ORDER BY 1")
for who in cz_reader cz_diemen; do
    diffs=""; counts_v=""
    for v in $views; do
        sql="SELECT t::text FROM sroi.$v AS t ORDER BY 1"
        c=$(as $cluster $who "$sql"); s=$(as $single $who "$sql")
        counts_v+=" $v $(grep -c . <<<"$s")"
        if [[ $c != "$s" || $s == *ERROR* ]]; then diffs+="$v: $(diff <(echo "$s") <(echo "$c") | head -n 4)
"; fi
    done
    if [[ -z $diffs && -n $views ]]; then ok "$who reads every view on the cluster, the single node's rows:$counts_v"
    else not_ok "$who reads every view on the cluster, the single node's rows" "$diffs"; fi
done
# the dimension shows all 4 contracts (K-A1, K-A2, K-B1, K-B2) to a reader.  The compliance
# view shows Diemen's manager all 4 too, the categories hidden where 1 to 4 persons count
# outside Diemen: K-B2 (Uithoorn) has 1 (BETA-SECRET-2, block A3: no approval needed, so
# counted); K-A2 (Uithoorn) 0 (hours only); K-A1 and K-B1 are Diemen's.
both cz_reader "a reader reads contract_dimension on the cluster: 4 contracts" "SELECT count(*) FROM sroi.contract_dimension" 4
both cz_diemen "Diemen's manager reads contract_compliance on the cluster: 4 contracts, the categories of Uithoorn's K-B2 (1 person) hidden" \
    "SELECT contract_id, categories_suppressed FROM sroi.contract_compliance ORDER BY 1" "K-A1|f
K-A2|f
K-B1|f
K-B2|t"
out=$(as $cluster cz_reader "SELECT count(*) FROM sroi.view_contract_compliance('cz_coord')")
check "a reader cannot read a view's function as another role (42501, the coordinator's rows not shown)" \
    has "$out" "42501: role cz_reader cannot read the reports as role cz_coord"
out=$(as $cluster cz_alfa "SELECT count(*) FROM sroi.view_contract_compliance('cz_alfa')")
check "a supplier may not call a view's function (no EXECUTE: 42501)" \
    has "$out" "42501: permission denied for function view_contract_compliance"

# ---- the coordinator: everything --------------------------------------------------------
both cz_coord "the coordinator reads all 4 contracts, 5 activities, 3 candidates" "$counts" "4 3 5"
out=$(as $cluster cz_coord "SELECT sroi.approve($beta_inv, 'coordinator Jansen', 'invoice checked')")
as $single cz_coord "SELECT sroi.approve((SELECT id FROM sroi.activity WHERE evidence_ref = 'BETA-SECRET-INV'), 'coordinator Jansen', 'invoice checked')" >/dev/null
equal "the coordinator approves Beta's invoice on the cluster" "approved" \
    "$(q $cluster "SELECT status FROM sroi.activity WHERE id = $beta_inv")"
log=$(q $cluster "SELECT kind || '|' || decided_by || '|' || recorded_by || '|' || reason FROM sroi.decision WHERE activity_id = $beta_inv")
# the workflow function logs the decision itself, on the coordinator (06_workflow.sql)
equal "... logged as decided by the name given, recorded by the login cz_coord, with the reason, as on the single node" \
    "approve|coordinator Jansen|cz_coord|invoice checked / approve|coordinator Jansen|cz_coord|invoice checked" \
    "$log / $(q $single "SELECT kind || '|' || decided_by || '|' || recorded_by || '|' || reason FROM sroi.decision WHERE kind = 'approve'")"
# One server: 42501 `new row violates row-level security policy for table "activity"`
# (the new row keeps status approved, supplier_update's WITH CHECK); on the cluster the
# message names the shard (activity_NNN), nothing else differs.
c=$(as $cluster cz_beta "UPDATE sroi.activity SET amount = 1 WHERE evidence_ref = 'BETA-SECRET-INV'")
s=$(as $single cz_beta "UPDATE sroi.activity SET amount = 1 WHERE evidence_ref = 'BETA-SECRET-INV'")
equal "once approved (on the single node too), Beta's own UPDATE of the invoice is refused as on one server (42501, row-level security)" \
    "$(grep ERROR <<<"$s")" "$(grep ERROR <<<"$c" | sed -E 's/"activity_[0-9]+"/"activity"/')"
equal "... the invoice is still 7654.32" "7654.32" "$(q $cluster "SELECT amount FROM sroi.activity WHERE id = $beta_inv")"

tap_done
