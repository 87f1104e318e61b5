#!/usr/bin/env bash
# What Citus 13 accepts, measured on small hand-written schemas in a scratch database
# ("lab"), each a question the design of sroi's access layer on Citus depends on.  These
# are facts about Citus, so they are plain tests; each prints the exact error text as a
# diagnostic ("#   ERROR: ...").  Runs inside test/tools/citus.sh.
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
. "$here/../tools/tap.sh"
. "$here/lib.sh"

tap_plan 30
db=lab
fresh_db $db

# psql as another role, one statement per -c.
as() { local role=$1; shift; local args=(); for s in "$@"; do args+=(-c "$s"); done
       psql -X -q -At -v ON_ERROR_STOP=1 -p "$CITUS_COORD_PORT" -d $db -U "$role" "${args[@]}" 2>&1; }
# notices of one statement (where a trigger fired)
notices() { psql -X -q -At -p "$CITUS_COORD_PORT" -d $db -c "$1" 2>&1 | grep -E 'NOTICE|ERROR' | sed -E 's/^psql:[^ ]*: //'; }

# ---- triggers ---------------------------------------------------------------------
q $db "
CREATE TABLE card (code text PRIMARY KEY, shipped boolean NOT NULL DEFAULT false);
INSERT INTO card VALUES ('shipped-1', true);
CREATE FUNCTION card_guard() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
    IF NEW.shipped THEN
        RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = format('shipped must be false for rows you add (rate card %s)', NEW.code);
    END IF;
    RETURN NEW;
END \$\$;
CREATE TRIGGER card_guard BEFORE INSERT OR UPDATE ON card FOR EACH ROW EXECUTE FUNCTION card_guard();" >/dev/null

expect_failure "a table with a trigger is not distributed by default" $db \
    "SELECT create_reference_table('card')" 'cannot distribute relation "card" because it has triggers'
expect_failure "citus.enable_unsafe_triggers: the guard fires on the shard copy of the shipped rows" $db \
    "SET citus.enable_unsafe_triggers = on; SELECT create_reference_table('card')" \
    'shipped must be false for rows you add (rate card shipped-1)'
expect_ok "DISABLE TRIGGER, create_reference_table, ENABLE TRIGGER (with enable_unsafe_triggers) works" $db \
    "ALTER TABLE card DISABLE TRIGGER card_guard;
     SET citus.enable_unsafe_triggers = on;
     SELECT create_reference_table('card');
     ALTER TABLE card ENABLE TRIGGER card_guard;"
expect_failure "the re-enabled guard still refuses a shipped row, on the shards" $db \
    "INSERT INTO card VALUES ('x', true)" 'shipped must be false for rows you add (rate card x)'
expect_failure "ENABLE/DISABLE TRIGGER on a reference table needs citus.enable_unsafe_triggers" $db \
    "ALTER TABLE card DISABLE TRIGGER card_guard" 'triggers are not supported on reference tables'

q $db "
SET citus.enable_unsafe_triggers = on;
CREATE FUNCTION card_note() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN RAISE NOTICE 'fired on % %', TG_TABLE_NAME, current_setting('port'); RETURN NEW; END \$\$;
CREATE TRIGGER card_note BEFORE INSERT ON card FOR EACH ROW EXECUTE FUNCTION card_note();" >/dev/null
out=$(notices "INSERT INTO card VALUES ('y', false)")
fired=$(grep -c 'fired on card_' <<<"$out")
if ((fired == 3)) && ! grep -q 'fired on card ' <<<"$out"; then
    ok "a row trigger of a reference table fires once per placement (3: coordinator and 2 workers), on the shard, TG_TABLE_NAME = the shard's name"
    sed 's/^/#   /' <<<"$out"
else
    not_ok "a row trigger of a reference table fires once per placement" "$out"
fi

q $db "SET citus.enable_unsafe_triggers = on;
CREATE FUNCTION card_arg() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN RAISE NOTICE 'argument % table %', TG_ARGV[0], TG_TABLE_NAME; RETURN NEW; END \$\$;
DROP TRIGGER card_note ON card;
CREATE TRIGGER card_arg BEFORE INSERT ON card FOR EACH ROW EXECUTE FUNCTION card_arg('rate_card');" >/dev/null
out=$(notices "INSERT INTO card VALUES ('w', false)")
if [[ $(grep -c "argument rate_card table card_" <<<"$out") == 3 ]]; then
    ok "trigger arguments (TG_ARGV) reach the shards unchanged: a body can branch on them instead of TG_TABLE_NAME"
else
    not_ok "trigger arguments (TG_ARGV) reach the shards unchanged" "$out"
fi

q $db "
CREATE TABLE k (id text PRIMARY KEY, municipality text NOT NULL, supplier text NOT NULL);
CREATE TABLE a (contract_id text NOT NULL REFERENCES k (id), id bigint GENERATED ALWAYS AS IDENTITY,
                supplier text, PRIMARY KEY (contract_id, id));
CREATE TABLE d (contract_id text NOT NULL, what text);
SELECT create_distributed_table('k', 'id');
SELECT create_distributed_table('a', 'contract_id', colocate_with => 'k');
SELECT create_distributed_table('d', 'contract_id', colocate_with => 'k');
INSERT INTO k VALUES ('K1', 'Diemen', 'S1'), ('K2', 'Uithoorn', 'S2'), ('K3', 'Diemen', 'S2'), ('K4', 'Ouder-Amstel', 'S1');" >/dev/null

# trigger_reads DESC BODY: a BEFORE INSERT trigger on a that runs BODY (PL/pgSQL), then
# an insert for contract K2.
trigger_body() {
    q $db "SET citus.enable_unsafe_triggers = on;
CREATE OR REPLACE FUNCTION a_check() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE n bigint;
BEGIN $1 RETURN NEW; END \$\$;
DROP TRIGGER IF EXISTS a_check ON a;
CREATE TRIGGER a_check BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION a_check();" >/dev/null
}
trigger_body "SELECT count(*) INTO n FROM k WHERE k.id = NEW.contract_id; IF n <> 1 THEN RAISE EXCEPTION 'no contract'; END IF;"
expect_ok "a shard trigger may read the colocated row of another distributed table (same contract_id: local execution)" $db \
    "INSERT INTO a (contract_id) VALUES ('K2')"
trigger_body "SELECT count(*) INTO n FROM card;"
expect_ok "a shard trigger may read a reference table" $db "INSERT INTO a (contract_id) VALUES ('K2')"
trigger_body "INSERT INTO d VALUES (NEW.contract_id, 'logged');"
expect_ok "a shard trigger may write a colocated row of another distributed table (decision log pattern)" $db \
    "INSERT INTO a (contract_id) VALUES ('K2')"
trigger_body "SELECT count(*) INTO n FROM k WHERE k.id = 'K1';"
expect_failure "a shard trigger may not read another contract's row (other shard)" $db \
    "INSERT INTO a (contract_id) VALUES ('K2')" 'cannot execute a distributed query from a query on a shard'
trigger_body "SELECT count(*) INTO n FROM a AS x WHERE x.supplier IS NULL;"
expect_failure "a shard trigger may not read across shards (no-double-counting pattern)" $db \
    "INSERT INTO a (contract_id) VALUES ('K2')" 'cannot execute a distributed query from a query on a shard'
q $db "ALTER FUNCTION a_check() SET citus.allow_nested_distributed_execution = on" >/dev/null
expect_ok "... unless the trigger function has SET citus.allow_nested_distributed_execution = on" $db \
    "INSERT INTO a (contract_id) VALUES ('K2')"
q $db "SET citus.enable_unsafe_triggers = on; DROP TRIGGER a_check ON a" >/dev/null

# ---- queries ----------------------------------------------------------------------
expect_failure "EXISTS (SELECT FROM <distributed> WHERE <not the distribution column>) with an empty select list fails" $db \
    "SELECT EXISTS (SELECT FROM a WHERE a.id = 5)" 'a column definition list is required for functions returning "record"'
expect_rows "... EXISTS (SELECT 1 FROM ...) works" $db "SELECT EXISTS (SELECT 1 FROM a WHERE a.id = -5)" 'f'

# ---- foreign keys -----------------------------------------------------------------
q $db "CREATE TABLE dd (contract_id text NOT NULL, id bigint, activity_id bigint, PRIMARY KEY (contract_id, id));
       SELECT create_distributed_table('dd', 'contract_id', colocate_with => 'k');" >/dev/null
expect_failure "colocated FK with ON UPDATE CASCADE that includes the distribution column is refused" $db \
    "ALTER TABLE dd ADD FOREIGN KEY (contract_id, activity_id) REFERENCES a (contract_id, id) ON UPDATE CASCADE" \
    'cannot create foreign key constraint'
expect_ok "colocated FK (contract_id, activity_id) -> (contract_id, id) with ON DELETE CASCADE is accepted" $db \
    "ALTER TABLE dd ADD FOREIGN KEY (contract_id, activity_id) REFERENCES a (contract_id, id) ON DELETE CASCADE"
expect_failure "a join of colocated tables not on the distribution column needs repartitioning" $db \
    "SELECT count(*) FROM a JOIN dd ON dd.activity_id = a.id" 'the query contains a join that requires repartitioning'
expect_ok "colocated FK without actions is accepted" $db \
    "ALTER TABLE dd ADD FOREIGN KEY (contract_id, activity_id) REFERENCES a (contract_id, id)"
expect_ok "FK distributed -> reference table is accepted" $db \
    "ALTER TABLE k ADD COLUMN card text REFERENCES card (code)"
expect_failure "FK reference -> distributed table is refused" $db \
    "CREATE TABLE r2 (contract_id text REFERENCES k (id)); SELECT create_reference_table('r2')" \
    'foreign keys from reference tables and local tables to distributed tables are not supported'
expect_failure "FK between non-colocated distributed tables (candidate distributed by id) is refused" $db \
    "CREATE TABLE cand (id text PRIMARY KEY); SELECT create_distributed_table('cand', 'id');
     CREATE TABLE act2 (contract_id text NOT NULL, cand_id text REFERENCES cand (id));
     SELECT create_distributed_table('act2', 'contract_id', colocate_with => 'k')" \
    'cannot create foreign key constraint'

# ---- row-level security -----------------------------------------------------------
q postgres "DROP ROLE IF EXISTS lab_sup; DROP ROLE IF EXISTS lab_mgr;" >/dev/null
q $db "
CREATE ROLE lab_sup LOGIN; CREATE ROLE lab_mgr LOGIN;
CREATE TABLE scope (role_name name NOT NULL, municipality text, supplier text);
SELECT create_reference_table('scope');
INSERT INTO scope VALUES ('lab_sup', NULL, 'S1'), ('lab_mgr', 'Diemen', NULL);
CREATE FUNCTION scope_suppliers() RETURNS text[] LANGUAGE sql STABLE AS
\$\$ SELECT coalesce(array_agg(supplier), '{}') FROM scope WHERE role_name = CURRENT_USER AND supplier IS NOT NULL \$\$;
CREATE FUNCTION scope_municipalities() RETURNS text[] LANGUAGE sql STABLE AS
\$\$ SELECT coalesce(array_agg(municipality), '{}') FROM scope WHERE role_name = CURRENT_USER AND municipality IS NOT NULL \$\$;
GRANT SELECT ON k, a, scope TO lab_sup, lab_mgr;
ALTER TABLE k ENABLE ROW LEVEL SECURITY;
ALTER TABLE a ENABLE ROW LEVEL SECURITY;
UPDATE a SET supplier = k.supplier FROM k WHERE k.id = a.contract_id;
INSERT INTO a (contract_id, supplier) VALUES ('K1', 'S1'), ('K4', 'S1'), ('K3', 'S2');" >/dev/null
expect_failure "policy with a subquery on a distributed table (sroi's form today) is refused" $db \
    "CREATE POLICY p1 ON a FOR SELECT TO lab_sup USING (contract_id IN (SELECT k.id FROM k WHERE k.supplier = 'S1'))" \
    'unexpected non-SELECT command in SubLink'
expect_failure "policy with only an init-plan sub-select (SELECT f()) is refused as well" $db \
    "CREATE POLICY p2 ON k FOR SELECT TO lab_sup USING (supplier = ANY ((SELECT scope_suppliers())::text[]))" \
    'unexpected non-SELECT command in SubLink'
expect_failure "a local table with a subquery policy cannot be distributed" $db \
    "CREATE TABLE p (contract_id text NOT NULL); ALTER TABLE p ENABLE ROW LEVEL SECURITY;
     CREATE POLICY p_sel ON p FOR SELECT TO lab_sup USING (contract_id IN (SELECT k.id FROM k));
     SELECT create_distributed_table('p', 'contract_id', colocate_with => 'k')" \
    'Subqueries are not supported in policies on distributed tables'
expect_ok "policy USING (col = ANY (f())) with a STABLE SQL function reading a reference table is accepted" $db \
    "CREATE POLICY sup_sel ON k FOR SELECT TO lab_sup USING (supplier = ANY (scope_suppliers()));
     CREATE POLICY mgr_sel ON k FOR SELECT TO lab_mgr USING (municipality = ANY (scope_municipalities()));"
out=$(as lab_sup "SELECT count(*) FROM k")
if [[ $out == *'cannot execute a distributed query from a query on a shard'* ]]; then
    ok "... but reading through it fails: the function's reference-table read is nested in the shard query"
    err "$out" | sed 's/^/#   /'
else
    not_ok "... but reading through it fails (nested distributed query)" "$out"
fi
q $db "ALTER FUNCTION scope_suppliers() SET citus.allow_nested_distributed_execution = on;
       ALTER FUNCTION scope_municipalities() SET citus.allow_nested_distributed_execution = on;" >/dev/null
out=$(as lab_sup "SELECT string_agg(id, ',' ORDER BY id) FROM k" "SELECT count(*) FROM k WHERE id = 'K2'")
out2=$(as lab_mgr "SELECT string_agg(id, ',' ORDER BY id) FROM k")
if [[ $out == $'K1,K4\n0' && $out2 == 'K1,K3' ]]; then
    ok "with SET citus.allow_nested_distributed_execution = on on the scope functions the policies filter right (multi-shard and router)"
else
    not_ok "scope functions with allow_nested_distributed_execution filter right" "supplier: $out
manager: $out2"
fi
q $db "CREATE FUNCTION can_see(cid text) RETURNS boolean LANGUAGE sql STABLE AS
       \$\$ SELECT EXISTS (SELECT FROM k WHERE k.id = cid AND k.supplier = ANY (scope_suppliers())) \$\$;
       CREATE POLICY sup_fn ON a FOR SELECT TO lab_sup USING (can_see(contract_id));" >/dev/null
out=$(as lab_sup "SELECT count(*) FROM a")
if [[ $out == *'could not create distributed plan'* || $out == *'cannot execute a distributed query'* ]]; then
    ok "a fact-table policy calling a SQL function that looks the contract up fails at query time"
    err "$out" | sed 's/^/#   /'
else
    not_ok "a fact-table policy calling a SQL contract look-up fails at query time" "$out"
fi
q $db "DROP POLICY sup_fn ON a;
       CREATE POLICY sup_col ON a FOR SELECT TO lab_sup USING (supplier = ANY (scope_suppliers()));" >/dev/null
expect_rows "a scope column on the fact table (a.supplier) with USING (supplier = ANY (scope_suppliers())) works" $db \
    "SET ROLE lab_sup; SELECT string_agg(DISTINCT contract_id, ',' ORDER BY contract_id) FROM a" 'K1,K4'

tap_done
