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
       AND NOT EXISTS (SELECT FROM @extschema@.contract AS k WHERE k.id = NEW.contract_id) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('contract_id %L is not one of your contracts: %s cannot write %s rows for it',
                             NEW.contract_id, CURRENT_USER, TG_TABLE_NAME),
            HINT = 'sroi.role_scope lists the municipalities and suppliers your role acts for.';
    END IF;
    IF TG_TABLE_NAME = 'activity' THEN
        IF NEW.candidate_id IS NOT NULL
           AND (TG_OP = 'INSERT' OR NEW.candidate_id IS DISTINCT FROM OLD.candidate_id)
           AND NOT EXISTS (SELECT FROM @extschema@.candidate AS c WHERE c.id = NEW.candidate_id) THEN
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
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
CREATE TRIGGER plan_access BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
CREATE TRIGGER turnover_access BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
CREATE TRIGGER quarter_report_access BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
CREATE TRIGGER phasing_access BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
-- the steering tables of 06_steering.sql (domain.md 6.2, 6.3)
CREATE TRIGGER action_item_access BEFORE INSERT OR UPDATE ON @extschema@.action_item
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();
CREATE TRIGGER period_report_access BEFORE INSERT OR UPDATE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access();

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


-- The suppliers of the contracts a candidate is placed on, whoever can see them:
-- the candidate policy needs them, and a supplier may not read the other contracts.
CREATE FUNCTION @extschema@.placement_suppliers(candidate_id text) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT DISTINCT k.supplier FROM @extschema@.activity AS a
      JOIN @extschema@.contract AS k ON k.id OPERATOR(pg_catalog.=) a.contract_id
     WHERE a.candidate_id OPERATOR(pg_catalog.=) placement_suppliers.candidate_id;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.placement_suppliers(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.placement_suppliers(text) TO sroi_supplier;
COMMENT ON FUNCTION @extschema@.placement_suppliers(text) IS
    'the suppliers of the contracts a candidate is placed on (for the candidate policy of suppliers; internal)';

-- The two conditions every scoped policy below uses (of_managed_contract and
-- of_supplied_contract) are macros of 04_scope.sql, beside the scope functions, so that
-- the policies of the 06_ files use them too.

-- ---------------------------------------------------------------------------
-- Row-level security.  Coordinators: everything.  Contract managers: contracts
-- of their municipalities, and what hangs off them.  Suppliers: their own
-- contracts, and what hangs off them.  The scopes are read once per query
-- ((SELECT ...) makes an init plan).
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
    USING (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[]));
COMMENT ON POLICY manager_select ON @extschema@.contract IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY manager_insert ON @extschema@.contract FOR INSERT TO sroi_contract_manager
    WITH CHECK (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[]));
COMMENT ON POLICY manager_insert ON @extschema@.contract IS 'contract managers enter contracts of their municipalities only';
CREATE POLICY manager_update ON @extschema@.contract FOR UPDATE TO sroi_contract_manager
    USING (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[]))
    WITH CHECK (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[]));
COMMENT ON POLICY manager_update ON @extschema@.contract IS 'contract managers change contracts of their municipalities, and keep them there';
CREATE POLICY supplier_select ON @extschema@.contract FOR SELECT TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[]));
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
    USING (id IN (SELECT a.candidate_id FROM @extschema@.activity AS a
                   WHERE a.@of_managed_contract@));
COMMENT ON POLICY manager_select ON @extschema@.candidate IS 'contract managers read the candidates placed on contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.candidate FOR SELECT TO sroi_supplier
    USING (registered_by = CURRENT_USER
           OR id IN (SELECT a.candidate_id FROM @extschema@.activity AS a
                      WHERE a.@of_supplied_contract@));
COMMENT ON POLICY supplier_select ON @extschema@.candidate IS 'suppliers read the candidates they registered and those placed on their own contracts';
CREATE POLICY supplier_insert ON @extschema@.candidate FOR INSERT TO sroi_supplier
    WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_insert ON @extschema@.candidate IS 'suppliers register candidates as themselves (registered_by)';
-- A candidate placed on another supplier's contract is no longer the registrar's
-- alone to change: its facts decide that supplier's value.
CREATE POLICY supplier_update ON @extschema@.candidate FOR UPDATE TO sroi_supplier
    USING (registered_by = CURRENT_USER
           AND NOT EXISTS (SELECT FROM @extschema@.placement_suppliers(id) AS p (supplier)
                            WHERE p.supplier <> ALL ((SELECT @extschema@.scope_suppliers())::text[])))
    WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_update ON @extschema@.candidate IS
    'suppliers correct the candidates they registered, as long as no other supplier has placed them';

-- plan, turnover, quarter_report, phasing: managers edit them for their
-- municipalities' contracts; suppliers read them for their own, and enter their
-- quarterly reports (dated the day they enter them: no back-dating).
CREATE POLICY coordinator_all ON @extschema@.plan FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.plan IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.plan FOR ALL TO sroi_contract_manager
    USING (@of_managed_contract@)
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_all ON @extschema@.plan IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.plan FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.plan IS 'suppliers read the rows of their own contracts (role_scope)';

CREATE POLICY coordinator_all ON @extschema@.turnover FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.turnover IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.turnover FOR ALL TO sroi_contract_manager
    USING (@of_managed_contract@)
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_all ON @extschema@.turnover IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.turnover FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.turnover IS 'suppliers read the rows of their own contracts (role_scope)';

CREATE POLICY coordinator_all ON @extschema@.quarter_report FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.quarter_report IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.quarter_report FOR ALL TO sroi_contract_manager
    USING (@of_managed_contract@)
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_all ON @extschema@.quarter_report IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.quarter_report FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.quarter_report IS 'suppliers read the rows of their own contracts (role_scope)';
CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today (sroi.today(): no back-dating through the session''s TimeZone)';

CREATE POLICY coordinator_all ON @extschema@.phasing FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.phasing IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.phasing FOR ALL TO sroi_contract_manager
    USING (@of_managed_contract@)
    WITH CHECK (@of_managed_contract@);
COMMENT ON POLICY manager_all ON @extschema@.phasing IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.phasing FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.phasing IS 'suppliers read the rows of their own contracts (role_scope)';

-- decision: read per scope; written only by the workflow functions and logging
-- triggers, as the owner (no role has INSERT: a trigger a coordinator attaches to a
-- table of its own cannot forge a row); never changed (no UPDATE or DELETE privilege
-- for any role, and decision_append_only).
CREATE POLICY coordinator_select ON @extschema@.decision FOR SELECT TO sroi_coordinator USING (true);
COMMENT ON POLICY coordinator_select ON @extschema@.decision IS 'SR coordinators read every row';
CREATE POLICY manager_select ON @extschema@.decision FOR SELECT TO sroi_contract_manager
    USING (@of_managed_contract@);
COMMENT ON POLICY manager_select ON @extschema@.decision IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY supplier_select ON @extschema@.decision FOR SELECT TO sroi_supplier
    USING (@of_supplied_contract@);
COMMENT ON POLICY supplier_select ON @extschema@.decision IS 'suppliers read the rows of their own contracts (role_scope)';


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
