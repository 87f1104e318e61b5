-- sroi install script, part 10: roles, row-level security and grants.
--
-- Four NOLOGIN group roles; installers grant them to login roles:
--   sroi_coordinator       the SR coordinator: sees and changes everything, decides
--                          (approve, reject, override, PSO), manages rate cards;
--   sroi_contract_manager  reads and edits the contracts of its municipalities, and
--                          their plans, turnover, reports and phasing;
--   sroi_supplier          reads its own contracts, enters their activities, reports
--                          and the candidates it places;
--   sroi_reader            BI: reads the nine monitoring views only (aggregates, small
--                          cells suppressed), no table, no person.
-- sroi.role_scope maps a database role to the municipalities or suppliers it acts
-- for; the policies below read it for the current user.  The extension's owner (a
-- superuser) bypasses row-level security; so do the report functions behind the
-- views, which are SECURITY DEFINER.  Everything is schema-qualified, so no
-- search_path can redirect a name.


-- Rows of the fact tables name a contract the caller cannot see: refused with
-- 42501 before any validation runs, so that no message tells anything about
-- another supplier's contract.  Likewise an activity naming a candidate the caller
-- cannot read (neither registered by it nor placed on its contracts): refused with
-- 23503, the same words whether the id exists or not, so that placing a person never
-- opens another tenant's personal data.  Coordinators see every contract and
-- candidate; for them (and the owner) a missing one stays the validation's 23503.
-- Fires first (BEFORE triggers run in name order: *_access < *_validate).
CREATE FUNCTION @extschema@.contract_access() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF @extschema@.is_coordinator() THEN
        RETURN NEW;
    END IF;
    IF NEW.contract_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.contract_id IS DISTINCT FROM OLD.contract_id)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.contract AS k WHERE k.id = NEW.contract_id) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('contract_id %L is not one of your contracts: %s cannot write %s rows for it',
                             NEW.contract_id, CURRENT_USER, TG_ARGV[0]),
            HINT = 'sroi.role_scope lists the municipalities and suppliers your role acts for.';
    END IF;
    IF TG_ARGV[0] = 'activity' THEN
        IF NEW.candidate_id IS NOT NULL
           AND (TG_OP = 'INSERT' OR NEW.candidate_id IS DISTINCT FROM OLD.candidate_id)
           AND NOT EXISTS (SELECT 1 FROM @extschema@.candidate AS c WHERE c.id = NEW.candidate_id) THEN
            RAISE EXCEPTION USING ERRCODE = '23503',
                MESSAGE = format('candidate_id %L is not a candidate you registered or placed', NEW.candidate_id),
                HINT = 'Register the person as a candidate first; a candidate registered by another organisation cannot be placed by you.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_access() IS
    'refuses with 42501 a row for a contract, and with 23503 an activity for a candidate, that the current user cannot see, before validation (trigger)';
CREATE TRIGGER activity_access BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('activity');
CREATE TRIGGER plan_access BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('plan');
CREATE TRIGGER turnover_access BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('turnover');
CREATE TRIGGER quarter_report_access BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('quarter_report');
CREATE TRIGGER phasing_access BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('phasing');
-- the steering tables of 06_steering.sql (domain.md 6.2, 6.3)
CREATE TRIGGER action_item_access BEFORE INSERT OR UPDATE ON @extschema@.action_item
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('action_item');
CREATE TRIGGER period_report_access BEFORE INSERT OR UPDATE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('period_report');

-- The scope columns of the contract-keyed tables (municipality, supplier): copied from
-- the row's contract on every INSERT and UPDATE, whatever the user gave (so no role
-- writes them), and kept in step when a coordinator moves a contract to another
-- municipality or supplier (contract_rescope below).  The policies read them
-- (of_managed_contract, of_supplied_contract).  Runs as the caller: the *_access
-- triggers, fired first, refuse a contract the caller cannot see, and a row of a
-- contract it cannot see would get no scope and fail the policies.  On Citus the
-- contract is on the row's own shard.
CREATE FUNCTION @extschema@.contract_scope() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    SELECT k.municipality, k.supplier INTO NEW.municipality, NEW.supplier
      FROM @extschema@.contract AS k WHERE k.id = NEW.contract_id;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.contract_scope() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.contract_scope() IS
    'sets the scope columns municipality and supplier of a contract-keyed row from its contract (trigger)';
CREATE TRIGGER activity_scope BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER plan_scope BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER turnover_scope BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER quarter_report_scope BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER phasing_scope BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER decision_scope BEFORE INSERT OR UPDATE ON @extschema@.decision
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER plan_version_scope BEFORE INSERT OR UPDATE ON @extschema@.plan_version
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER action_item_scope BEFORE INSERT OR UPDATE ON @extschema@.action_item
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER reporting_frequency_scope BEFORE INSERT OR UPDATE ON @extschema@.reporting_frequency
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER period_report_scope BEFORE INSERT OR UPDATE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
CREATE TRIGGER settlement_scope BEFORE INSERT OR UPDATE ON @extschema@.settlement
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
-- the scope columns of the steering and closing tables (06_plan.sql, 06_steering.sql, 06_settlement.sql)
COMMENT ON COLUMN @extschema@.plan_version.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_version_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan_version.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_version_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.action_item.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger action_item_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.action_item.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger action_item_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.reporting_frequency.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger reporting_frequency_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.reporting_frequency.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger reporting_frequency_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.period_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger period_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.period_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger period_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.settlement.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger settlement_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.settlement.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger settlement_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';

-- The tables of the extension that carry the scope columns of their contract: every
-- member table with contract_id, municipality and supplier, but contract itself
-- (data-driven, so tables added later are covered; a Citus shard is no member).
CREATE FUNCTION @extschema@.scoped_tables() RETURNS SETOF regclass
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.oid::regclass
      FROM pg_catalog.pg_class AS c
      JOIN pg_catalog.pg_depend AS d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::regclass
                                    AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
      JOIN pg_catalog.pg_extension AS e ON e.oid OPERATOR(pg_catalog.=) d.refobjid AND e.extname OPERATOR(pg_catalog.=) 'sroi'
     WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::"char"[])
       AND c.relname OPERATOR(pg_catalog.<>) 'contract'
       AND (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute AS a
             WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND NOT a.attisdropped
               AND a.attname OPERATOR(pg_catalog.=) ANY (ARRAY['contract_id', 'municipality', 'supplier']::name[]))
           OPERATOR(pg_catalog.=) 3
     ORDER BY c.relname;
END;
COMMENT ON FUNCTION @extschema@.scoped_tables() IS
    'the tables of sroi that carry their contract''s scope columns (contract_id, municipality, supplier), contract itself excepted (internal)';

-- A contract moved to another municipality or supplier (a coordinator's change, logged
-- as contract_change by contract_log_decisions): the scope columns of its rows follow,
-- so the new municipality's managers and the new supplier see them and the old ones
-- no longer do.  As the owner, a superuser, with the rows' triggers off
-- (session_replication_role replica, for these updates only): the rows themselves do
-- not change, so nothing is to be validated, logged or refused (the append-only decision
-- log, accorded plan versions); their *_scope triggers would set the same values.  A
-- settled contract does not move (contract_frozen).  On Citus the rows are on the
-- contract's own shard, updated in this backend.
CREATE FUNCTION @extschema@.contract_rescope() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t regclass;
    role_before text := current_setting('session_replication_role');
BEGIN
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'contract') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'contract_rescope follows changes of sroi.contract only';
    END IF;
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR t IN SELECT x FROM @extschema@.scoped_tables() AS x
    LOOP
        EXECUTE format('UPDATE %s SET municipality = $1, supplier = $2
                         WHERE contract_id = $3 AND (municipality, supplier) IS DISTINCT FROM ($1, $2)', t)
          USING NEW.municipality, NEW.supplier, NEW.id;
    END LOOP;
    PERFORM set_config('session_replication_role', role_before, true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.contract_rescope() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.contract_rescope() IS
    'moves the scope columns of a contract''s rows along when the contract''s municipality or supplier changes (trigger)';
CREATE TRIGGER contract_rescope AFTER UPDATE OF municipality, supplier ON @extschema@.contract
    FOR EACH ROW WHEN (OLD.municipality IS DISTINCT FROM NEW.municipality OR OLD.supplier IS DISTINCT FROM NEW.supplier)
    EXECUTE FUNCTION @extschema@.contract_rescope();

-- Changes to a contract that undo a decision or move it between tenants:
--  - the PSO rung and labour share are what the coordinator approved the discount
--    for: they do not change while it is approved (withdraw it first);
--  - nobody moves a contract to or from a supplier it acts for (so a coordinator who
--    also acts for a supplier cannot move its contract away, decide, and move it back).
-- The column privileges (below) keep these terms and the decisions to coordinators;
-- contract_log_decisions (06_workflow.sql) logs every change.
CREATE FUNCTION @extschema@.contract_guard() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    acting text[] := @extschema@.scopes('supplier', CURRENT_USER) || @extschema@.scopes('supplier', SESSION_USER);
BEGIN
    IF OLD.pso_approved AND NEW.pso_approved
       AND (NEW.pso_rung IS DISTINCT FROM OLD.pso_rung OR NEW.labour_share IS DISTINCT FROM OLD.labour_share) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('pso_rung %s and labour_share %s of contract %s cannot change while its PSO discount is approved, got pso_rung %s and labour_share %s',
                   OLD.pso_rung, OLD.labour_share, OLD.id, NEW.pso_rung, NEW.labour_share),
            'The SR coordinator withdraws the approval first (sroi.withdraw_pso), then approves the new rung.');
    END IF;
    IF NEW.supplier IS DISTINCT FROM OLD.supplier
       AND (OLD.supplier = ANY (acting) OR NEW.supplier = ANY (acting)) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s acts for supplier %s and cannot move contract %s between suppliers',
                             CURRENT_USER, CASE WHEN OLD.supplier = ANY (acting) THEN OLD.supplier ELSE NEW.supplier END,
                             OLD.id);
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_guard() IS
    'refuses changing the PSO rung or labour share while the discount is approved, and moving a contract to or from a supplier the role acts for (trigger)';
CREATE TRIGGER contract_guard BEFORE UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_guard();

-- The activity validation must see across suppliers: the contract and rate card,
-- a candidate another supplier registered, and (no double counting, domain.md 4)
-- every activity of the person on any contract, locking the person's row.  So the
-- trigger function runs as the owner.  A trigger function cannot be called
-- directly, so this opens nothing else; contract_access (above, fired first)
-- keeps it from judging rows for other suppliers' contracts.
ALTER FUNCTION @extschema@.activity_validate() SECURITY DEFINER;
REVOKE EXECUTE ON FUNCTION @extschema@.activity_validate() FROM PUBLIC;
-- Only activity_validate calls it: as a plain function it would tell anyone how
-- much fte another supplier places a person at.
REVOKE EXECUTE ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, date, date) FROM PUBLIC;


-- Where a candidate is placed, whoever can see the activities: a supplier may not read
-- the other suppliers' activities.  kind municipality or supplier: on a contract of the
-- caller's scope (the row's scope columns); other_supplier: on a contract of a supplier
-- the caller does not act for.  caller: CURRENT_USER of the policy; scopes() answers only
-- for a role the login may act as.  PL/pgSQL, not a subquery: Citus refuses subqueries
-- in the policies of reference tables (candidate is one on a cluster) and SQL functions
-- with parameters over distributed tables.  On one server the candidate SELECT policies
-- are subqueries over the contracts in scope and their activities (one hashed pass per
-- query, the activities found by their key from the contracts; a call per candidate
-- costs a scope look-up and a probe per row); sroi.distribute() rewrites them into calls
-- of this function (12_citus.sql).  supplier_update calls it on one server too (it is
-- evaluated only for the rows an UPDATE touches).
CREATE FUNCTION @extschema@.candidate_placed(candidate_id text, kind text, caller name) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    scope text[] := @extschema@.scopes(CASE WHEN kind = 'municipality' THEN 'municipality' ELSE 'supplier' END, caller);
BEGIN
    IF kind = 'municipality' THEN
        RETURN EXISTS (SELECT 1 FROM @extschema@.activity AS a
                        WHERE a.candidate_id = candidate_placed.candidate_id AND a.municipality = ANY (scope));
    ELSIF kind = 'supplier' THEN
        RETURN EXISTS (SELECT 1 FROM @extschema@.activity AS a
                        WHERE a.candidate_id = candidate_placed.candidate_id AND a.supplier = ANY (scope));
    ELSIF kind = 'other_supplier' THEN
        RETURN EXISTS (SELECT 1 FROM @extschema@.activity AS a
                        WHERE a.candidate_id = candidate_placed.candidate_id AND a.supplier <> ALL (scope));
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.candidate_placed(text, text, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.candidate_placed(text, text, name) TO sroi_contract_manager, sroi_supplier;
COMMENT ON FUNCTION @extschema@.candidate_placed(text, text, name) IS
    'whether a candidate is placed on a contract of the caller''s municipalities (kind municipality) or suppliers (supplier), or of a supplier the caller does not act for (other_supplier) (for the candidate policies; internal)';

-- The two conditions every scoped policy below uses (of_managed_contract and
-- of_supplied_contract) are macros of 04_scope.sql, beside the scope functions, so that
-- the policies of the 06_ files use them too; so is create_scope_policies, the usual
-- three policies of a table that hangs off a contract.

-- ---------------------------------------------------------------------------
-- Row-level security.  Coordinators: everything.  Contract managers: contracts
-- of their municipalities, and what hangs off them.  Suppliers: their own
-- contracts, and what hangs off them: the contract's municipality and supplier, on the
-- contract and (scope columns) on every row that hangs off it.
-- ---------------------------------------------------------------------------
ALTER TABLE @extschema@.contract ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.candidate ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.activity ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.plan ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.turnover ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.quarter_report ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.phasing ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.decision ENABLE ROW LEVEL SECURITY;

-- contract
CREATE POLICY coordinator_all ON @extschema@.contract FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.contract IS 'SR coordinators: every row, every command';
CREATE POLICY manager_select ON @extschema@.contract FOR SELECT TO sroi_contract_manager
    USING (@of_managed_contract@);
COMMENT ON POLICY manager_select ON @extschema@.contract IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY manager_insert ON @extschema@.contract FOR INSERT TO sroi_contract_manager
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_insert ON @extschema@.contract IS 'contract managers enter contracts of their municipalities only';
CREATE POLICY manager_update ON @extschema@.contract FOR UPDATE TO sroi_contract_manager
    USING (@of_managed_contract@)
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_update ON @extschema@.contract IS 'contract managers change contracts of their municipalities, and keep them there';
CREATE POLICY supplier_select ON @extschema@.contract FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.contract IS 'suppliers read the rows of their own contracts (role_scope)';

-- activity: a supplier enters and corrects activities of its own contracts until
-- the coordinator decided on them; never a status or an override.
CREATE POLICY coordinator_all ON @extschema@.activity FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.activity IS 'SR coordinators: every row, every command';
CREATE POLICY manager_select ON @extschema@.activity FOR SELECT TO sroi_contract_manager
    USING (@of_managed_contract@);
COMMENT ON POLICY manager_select ON @extschema@.activity IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY supplier_select ON @extschema@.activity FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.activity IS 'suppliers read the rows of their own contracts (role_scope)';
CREATE POLICY supplier_insert ON @extschema@.activity FOR INSERT TO sroi_supplier
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.activity IS 'suppliers enter activities for their own contracts only, reported and without an override';
-- The new row keeps the old status (suppliers cannot set it), so an activity
-- approved, rejected or overridden can no longer be changed: 42501.
CREATE POLICY supplier_update ON @extschema@.activity FOR UPDATE TO sroi_supplier
    USING (@of_supplied_contract@)
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_update ON @extschema@.activity IS 'suppliers correct activities of their own contracts until the coordinator decided on them (status reported, no override)';
-- Nobody but the owner sets status or eligibility_override (column privileges): the
-- coordinator decides through sroi.approve, reject and override_eligibility, which
-- refuse a role acting for the contract's supplier (06_workflow.sql).

-- candidate: a supplier sees the candidates it registered and those placed on its
-- own contracts, and corrects the ones it registered; a manager sees those placed
-- on the contracts of its municipalities.
CREATE POLICY coordinator_all ON @extschema@.candidate FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.candidate IS 'SR coordinators: every row, every command';
CREATE POLICY manager_select ON @extschema@.candidate FOR SELECT TO sroi_contract_manager
    USING (id IN (SELECT a.candidate_id
                    FROM @extschema@.contract AS k JOIN @extschema@.activity AS a ON a.contract_id = k.id
                   WHERE k.@of_managed_contract@));
COMMENT ON POLICY manager_select ON @extschema@.candidate IS 'contract managers read the candidates placed on contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.candidate FOR SELECT TO sroi_supplier
    USING (registered_by = CURRENT_USER
           OR id IN (SELECT a.candidate_id
                       FROM @extschema@.contract AS k JOIN @extschema@.activity AS a ON a.contract_id = k.id
                      WHERE k.@of_supplied_contract@));
COMMENT ON POLICY supplier_select ON @extschema@.candidate IS 'suppliers read the candidates they registered and those placed on their own contracts';
CREATE POLICY supplier_insert ON @extschema@.candidate FOR INSERT TO sroi_supplier
    WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_insert ON @extschema@.candidate IS 'suppliers register candidates as themselves (registered_by)';
-- A candidate placed on another supplier's contract is no longer the registrar's
-- alone to change: its facts decide that supplier's value.
CREATE POLICY supplier_update ON @extschema@.candidate FOR UPDATE TO sroi_supplier
    USING (registered_by = CURRENT_USER
           AND NOT @extschema@.candidate_placed(id, 'other_supplier', CURRENT_USER))
    WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_update ON @extschema@.candidate IS
    'suppliers correct the candidates they registered, as long as no other supplier has placed them';

-- plan, turnover, quarter_report, phasing: managers edit them for their
-- municipalities' contracts; suppliers read them for their own, and enter their
-- quarterly reports (dated the day they enter them: no back-dating).
SELECT @extschema@.create_scope_policies('plan', 'edit');

SELECT @extschema@.create_scope_policies('turnover', 'edit');

SELECT @extschema@.create_scope_policies('quarter_report', 'edit');
CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today (sroi.today(): no back-dating through the session''s TimeZone)';

SELECT @extschema@.create_scope_policies('phasing', 'edit');

-- decision: read per scope; written only by the workflow functions and logging
-- triggers, as the owner (no role has INSERT: a trigger a coordinator attaches to a
-- table of its own cannot forge a row); never changed (no UPDATE or DELETE privilege
-- for any role, and decision_append_only).
SELECT @extschema@.create_scope_policies('decision', 'read');


-- ---------------------------------------------------------------------------
-- Privileges.  Functions keep EXECUTE for PUBLIC unless revoked above or in
-- 09_views.sql; the workflow functions check the caller themselves (42501).
-- ---------------------------------------------------------------------------
-- (DROP EXTENSION leaves the schema CREATE EXTENSION made, empty, with this grant:
-- PostgreSQL never makes that schema an extension member.  DROP SCHEMA sroi after
-- DROP EXTENSION in every database before DROP ROLE of the four roles.)
GRANT USAGE ON SCHEMA @extschema@ TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;

-- The rate card catalogue: read by everyone who enters data, managed by coordinators.
GRANT SELECT ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
GRANT INSERT, UPDATE, DELETE ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator;

-- Coordinators: all data, through the policies; decisions only through the workflow.
-- The decision columns (activity status and eligibility_override; contract
-- pso_approved, exemption_reason, penalty_waived_reason) only through the workflow
-- functions, which log them; sroi.decision takes no INSERT from any role.
GRANT SELECT, INSERT, UPDATE, DELETE
    ON @extschema@.candidate, @extschema@.plan, @extschema@.turnover, @extschema@.quarter_report, @extschema@.phasing
    TO sroi_coordinator;
GRANT SELECT, DELETE ON @extschema@.contract, @extschema@.activity TO sroi_coordinator;
GRANT INSERT (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, rate_card, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on),
      UPDATE (municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on)
    ON @extschema@.contract TO sroi_coordinator;
GRANT INSERT (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref),
      UPDATE (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref)
    ON @extschema@.activity TO sroi_coordinator;
GRANT SELECT ON @extschema@.decision, @extschema@.role_scope, @extschema@.value_line TO sroi_coordinator;
-- value_line holds person-level rows: for the roles that read the tables anyway,
-- under their policies (security_invoker), never PUBLIC or readers.
REVOKE ALL ON @extschema@.value_line FROM PUBLIC;

-- Contract managers: enter contracts without the coordinator's decisions (PSO
-- approval, exemption, penalty waiver); afterwards change their title, dates and
-- certificate validity, but not the terms that set the obligation and the penalty,
-- nor the supplier or municipality (the coordinator's, logged); and the plan,
-- turnover, reports and phasing.
GRANT SELECT ON @extschema@.contract, @extschema@.candidate, @extschema@.activity, @extschema@.decision,
                @extschema@.role_scope, @extschema@.value_line
    TO sroi_contract_manager;
GRANT INSERT (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, rate_card, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on),
      UPDATE (title, tendered_on, awarded_on, starts_on, ends_on, pso_valid_until, kickoff_on)
    ON @extschema@.contract TO sroi_contract_manager;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON @extschema@.plan, @extschema@.turnover, @extschema@.quarter_report, @extschema@.phasing
    TO sroi_contract_manager;

-- Suppliers: read their own; write activity and candidate data columns only (not
-- status, eligibility_override, special_group - the coordinator's - nor
-- registered_by), and their quarterly reports.
GRANT SELECT ON @extschema@.contract, @extschema@.candidate, @extschema@.activity, @extschema@.plan,
                @extschema@.turnover, @extschema@.quarter_report, @extschema@.phasing, @extschema@.decision,
                @extschema@.role_scope, @extschema@.value_line
    TO sroi_supplier;
GRANT INSERT (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref),
      UPDATE (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref)
    ON @extschema@.activity TO sroi_supplier;
GRANT INSERT (id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk, indication_until,
              education, job_seeking, statushouder),
      UPDATE (birth_date, benefit, benefit_since, doelgroepregister, beschut_werk, indication_until,
              education, job_seeking, statushouder)
    ON @extschema@.candidate TO sroi_supplier;
GRANT INSERT (contract_id, quarter, submitted_on) ON @extschema@.quarter_report TO sroi_supplier;
