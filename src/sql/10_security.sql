-- sroi install script, part 10: roles, row-level security and grants.
--
-- Four NOLOGIN group roles; installers grant them to login roles:
--   sroi_coordinator       the SR coordinator: sees and changes everything, decides
--                          (approve, reject, override, PSO), manages rate cards;
--   sroi_contract_manager  reads and edits the contracts of its municipalities, and
--                          their plans, turnover, reports and phasing;
--   sroi_supplier          reads its own contracts, enters their activities, reports
--                          and the candidates it places;
--   sroi_reader            BI: reads the seven monitoring views only (aggregates, small
--                          cells suppressed), no table, no person.
-- sroi.role_scope maps a database role to the municipalities or suppliers it acts
-- for; the policies below read it for the current user.  The extension's owner (a
-- superuser) bypasses row-level security; so do the report functions behind the
-- views, which are SECURITY DEFINER.  Everything is schema-qualified, so no
-- search_path can redirect a name.

-- Roles are cluster-wide, and not members of the extension: a second database's
-- CREATE EXTENSION finds them, and DROP EXTENSION leaves them (and the grants of
-- every other database) alone.  Only a role this block creates gets a comment.
DO $roles$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('sroi_coordinator', 'sroi: SR coordinator; sees and changes all SROI data, approves, rejects and overrides, manages rate cards'),
        ('sroi_contract_manager', 'sroi: contract manager; reads and edits the contracts of the municipalities in sroi.role_scope'),
        ('sroi_supplier', 'sroi: supplier; reads its own contracts (sroi.role_scope) and enters their activities, candidates and reports'),
        ('sroi_reader', 'sroi: BI reader; reads the aggregate monitoring views of schema sroi only')
      ) AS v (name, description)
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles AS x WHERE x.rolname OPERATOR(pg_catalog.=) r.name);
        BEGIN
            EXECUTE pg_catalog.format(
                'CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r.name);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by CREATE EXTENSION in another database
        END;
    END LOOP;
END
$roles$;

-- ---------------------------------------------------------------------------
-- Who acts for whom.
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.role_scope (
    role_name     name NOT NULL,
    municipality  text,
    supplier      text,
    CONSTRAINT role_scope_one_scope CHECK ((municipality IS NULL) <> (supplier IS NULL)),
    CONSTRAINT role_scope_key UNIQUE NULLS NOT DISTINCT (role_name, municipality, supplier)
);
COMMENT ON TABLE @extschema@.role_scope IS
    'which municipality or supplier a database role acts for: a contract manager role sees the contracts of its municipalities, a supplier role its own contracts; members of the role inherit its scope';
COMMENT ON COLUMN @extschema@.role_scope.role_name IS 'a database role (login or group role): it and every role that is a member of it act for the municipality or supplier';
COMMENT ON COLUMN @extschema@.role_scope.municipality IS 'a municipality as in contract.municipality (for sroi_contract_manager members); NULL when supplier is set';
COMMENT ON COLUMN @extschema@.role_scope.supplier IS 'a supplier as in contract.supplier (for sroi_supplier members); NULL when municipality is set';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.role_scope', '');

CREATE FUNCTION @extschema@.role_scope_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.role_name IS NOT NULL AND to_regrole(quote_ident(NEW.role_name)) IS NULL THEN
        PERFORM @extschema@.raise_invalid('23503',
            format('role_name %L is not a role of this cluster', NEW.role_name),
            'Create the role first (CREATE ROLE ... LOGIN IN ROLE sroi_supplier, for example).');
    END IF;
    IF (NEW.municipality IS NULL) = (NEW.supplier IS NULL) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('exactly one of municipality and supplier must be set for role %s, got municipality %s and supplier %s',
                   NEW.role_name, coalesce(quote_literal(NEW.municipality), 'NULL'),
                   coalesce(quote_literal(NEW.supplier), 'NULL')));
    END IF;
    IF btrim(coalesce(NEW.municipality, NEW.supplier)) = '' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('%s must not be empty (role %s)',
                   CASE WHEN NEW.municipality IS NULL THEN 'supplier' ELSE 'municipality' END, NEW.role_name));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.role_scope_validate() IS 'validates a role_scope row: an existing role, exactly one non-empty scope (trigger)';
CREATE TRIGGER role_scope_validate BEFORE INSERT OR UPDATE ON @extschema@.role_scope
    FOR EACH ROW EXECUTE FUNCTION @extschema@.role_scope_validate();

-- The scopes of the current user.  SECURITY INVOKER on purpose: inside a SECURITY
-- DEFINER function CURRENT_USER is the owner, not the caller.  A caller reads
-- only the role_scope rows of its own roles (policy role_scope_own below).  A
-- superuser is a member of every role, so for one only its own rows count.
CREATE FUNCTION @extschema@.scope_municipalities() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(pg_catalog.array_agg(DISTINCT s.municipality ORDER BY s.municipality), '{}')
      FROM @extschema@.role_scope AS s
      JOIN pg_catalog.pg_roles AS r ON r.rolname OPERATOR(pg_catalog.=) s.role_name
     WHERE s.municipality IS NOT NULL
       AND (r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
            OR (pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles AS u
                                 WHERE u.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND u.rolsuper)));
END;
COMMENT ON FUNCTION @extschema@.scope_municipalities() IS
    'the municipalities the current user acts for: role_scope rows of the user and of every role it is a member of';

CREATE FUNCTION @extschema@.scope_suppliers() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(pg_catalog.array_agg(DISTINCT s.supplier ORDER BY s.supplier), '{}')
      FROM @extschema@.role_scope AS s
      JOIN pg_catalog.pg_roles AS r ON r.rolname OPERATOR(pg_catalog.=) s.role_name
     WHERE s.supplier IS NOT NULL
       AND (r.rolname OPERATOR(pg_catalog.=) CURRENT_USER
            OR (pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles AS u
                                 WHERE u.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND u.rolsuper)));
END;
COMMENT ON FUNCTION @extschema@.scope_suppliers() IS
    'the suppliers the current user acts for: role_scope rows of the user and of every role it is a member of';

CREATE FUNCTION @extschema@.is_coordinator() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT EXISTS (SELECT FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname OPERATOR(pg_catalog.=) 'sroi_coordinator'
                      AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER'))
        OR EXISTS (SELECT FROM pg_catalog.pg_roles AS u
                    WHERE u.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND u.rolsuper);
END;
COMMENT ON FUNCTION @extschema@.is_coordinator() IS
    'whether the current user is an SR coordinator: a member of sroi_coordinator, or a superuser';

-- Rows of the fact tables name a contract the caller cannot see: refused with
-- 42501 before any validation runs, so that no message tells anything about
-- another supplier's contract.  Coordinators see every contract; for them (and
-- the owner) a missing contract stays the validation's 23503.
CREATE FUNCTION @extschema@.contract_access() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.contract_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.contract_id IS DISTINCT FROM OLD.contract_id)
       AND NOT EXISTS (SELECT FROM @extschema@.contract AS k WHERE k.id = NEW.contract_id)
       AND NOT @extschema@.is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('contract_id %L is not one of your contracts: %s cannot write %s rows for it',
                             NEW.contract_id, CURRENT_USER, TG_TABLE_NAME),
            HINT = 'sroi.role_scope lists the municipalities and suppliers your role acts for.';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_access() IS
    'refuses with 42501 a row for a contract the current user cannot see, before validation (trigger)';
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

-- The monitoring view of person-level value lines reads the tables as the caller
-- (so with the caller's row-level security), not as its owner.
ALTER VIEW @extschema@.value_line SET (security_invoker = true);

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
ALTER TABLE @extschema@.role_scope ENABLE ROW LEVEL SECURITY;

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
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_select ON @extschema@.activity IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY supplier_select ON @extschema@.activity FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.activity IS 'suppliers read the rows of their own contracts (role_scope)';
CREATE POLICY supplier_insert ON @extschema@.activity FOR INSERT TO sroi_supplier
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                     WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_insert ON @extschema@.activity IS 'suppliers enter activities for their own contracts only, reported and without an override';
-- The new row keeps the old status (suppliers cannot set it), so an activity
-- approved, rejected or overridden can no longer be changed: 42501.
CREATE POLICY supplier_update ON @extschema@.activity FOR UPDATE TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])))
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                     WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_update ON @extschema@.activity IS 'suppliers correct activities of their own contracts until the coordinator decided on them (status reported, no override)';
-- Whatever else a role may do: nobody decides on the activities of a supplier it
-- acts for (a role that is both coordinator and supplier).
CREATE POLICY no_own_decision_insert ON @extschema@.activity AS RESTRICTIVE FOR INSERT
    WITH CHECK ((status = 'reported' AND eligibility_override IS NULL)
                OR contract_id NOT IN (SELECT k.id FROM @extschema@.contract AS k
                                        WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY no_own_decision_insert ON @extschema@.activity IS 'restrictive, for every role: no role enters a decided activity for a supplier it acts for';
CREATE POLICY no_own_decision_update ON @extschema@.activity AS RESTRICTIVE FOR UPDATE
    USING (true)
    WITH CHECK ((status = 'reported' AND eligibility_override IS NULL)
                OR contract_id NOT IN (SELECT k.id FROM @extschema@.contract AS k
                                        WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY no_own_decision_update ON @extschema@.activity IS 'restrictive, for every role: no role approves, rejects or overrides an activity of a supplier it acts for';

-- candidate: a supplier sees the candidates it registered and those placed on its
-- own contracts, and corrects the ones it registered; a manager sees those placed
-- on the contracts of its municipalities.
CREATE POLICY coordinator_all ON @extschema@.candidate FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.candidate IS 'SR coordinators: every row, every command';
CREATE POLICY manager_select ON @extschema@.candidate FOR SELECT TO sroi_contract_manager
    USING (id IN (SELECT a.candidate_id FROM @extschema@.activity AS a
                   WHERE a.contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[]))));
COMMENT ON POLICY manager_select ON @extschema@.candidate IS 'contract managers read the candidates placed on contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.candidate FOR SELECT TO sroi_supplier
    USING (registered_by = CURRENT_USER
           OR id IN (SELECT a.candidate_id FROM @extschema@.activity AS a
                      WHERE a.contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                               WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[]))));
COMMENT ON POLICY supplier_select ON @extschema@.candidate IS 'suppliers read the candidates they registered and those placed on their own contracts';
CREATE POLICY supplier_insert ON @extschema@.candidate FOR INSERT TO sroi_supplier
    WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_insert ON @extschema@.candidate IS 'suppliers register candidates as themselves (registered_by)';
CREATE POLICY supplier_update ON @extschema@.candidate FOR UPDATE TO sroi_supplier
    USING (registered_by = CURRENT_USER) WITH CHECK (registered_by = CURRENT_USER);
COMMENT ON POLICY supplier_update ON @extschema@.candidate IS 'suppliers correct the candidates they registered';

-- plan, turnover, quarter_report, phasing: managers edit them for their
-- municipalities' contracts; suppliers read them for their own, and enter their
-- quarterly reports (dated the day they enter them: no back-dating).
CREATE POLICY coordinator_all ON @extschema@.plan FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.plan IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.plan FOR ALL TO sroi_contract_manager
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])))
    WITH CHECK (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                 WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_all ON @extschema@.plan IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.plan FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.plan IS 'suppliers read the rows of their own contracts (role_scope)';

CREATE POLICY coordinator_all ON @extschema@.turnover FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.turnover IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.turnover FOR ALL TO sroi_contract_manager
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])))
    WITH CHECK (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                 WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_all ON @extschema@.turnover IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.turnover FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.turnover IS 'suppliers read the rows of their own contracts (role_scope)';

CREATE POLICY coordinator_all ON @extschema@.quarter_report FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.quarter_report IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.quarter_report FOR ALL TO sroi_contract_manager
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])))
    WITH CHECK (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                 WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_all ON @extschema@.quarter_report IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.quarter_report FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.quarter_report IS 'suppliers read the rows of their own contracts (role_scope)';
CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = CURRENT_DATE
                AND contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                     WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today';

CREATE POLICY coordinator_all ON @extschema@.phasing FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);
COMMENT ON POLICY coordinator_all ON @extschema@.phasing IS 'SR coordinators: every row, every command';
CREATE POLICY manager_all ON @extschema@.phasing FOR ALL TO sroi_contract_manager
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])))
    WITH CHECK (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                                 WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_all ON @extschema@.phasing IS 'contract managers read and edit the rows of the contracts of their municipalities';
CREATE POLICY supplier_select ON @extschema@.phasing FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.phasing IS 'suppliers read the rows of their own contracts (role_scope)';

-- decision: read per scope; written only by the logging triggers, as the role
-- deciding (recorded_by is its CURRENT_USER, so no SECURITY DEFINER here); never
-- changed (no UPDATE or DELETE privilege for any role, and decision_append_only).
CREATE POLICY coordinator_select ON @extschema@.decision FOR SELECT TO sroi_coordinator USING (true);
COMMENT ON POLICY coordinator_select ON @extschema@.decision IS 'SR coordinators read every row';
CREATE POLICY coordinator_log ON @extschema@.decision FOR INSERT TO sroi_coordinator
    WITH CHECK (recorded_by = CURRENT_USER AND pg_catalog.pg_trigger_depth() > 0);
COMMENT ON POLICY coordinator_log ON @extschema@.decision IS 'the logging triggers record the coordinator''s decisions as the deciding role; no direct INSERT';
CREATE POLICY manager_select ON @extschema@.decision FOR SELECT TO sroi_contract_manager
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])));
COMMENT ON POLICY manager_select ON @extschema@.decision IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';
CREATE POLICY supplier_select ON @extschema@.decision FOR SELECT TO sroi_supplier
    USING (contract_id IN (SELECT k.id FROM @extschema@.contract AS k
                            WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])));
COMMENT ON POLICY supplier_select ON @extschema@.decision IS 'suppliers read the rows of their own contracts (role_scope)';

-- role_scope: the owner maintains it; coordinators read it all, others their own rows.
CREATE POLICY coordinator_select ON @extschema@.role_scope FOR SELECT TO sroi_coordinator USING (true);
COMMENT ON POLICY coordinator_select ON @extschema@.role_scope IS 'SR coordinators read every row';
CREATE POLICY role_scope_own ON @extschema@.role_scope FOR SELECT TO sroi_contract_manager, sroi_supplier
    USING (EXISTS (SELECT FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname = role_name AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')));
COMMENT ON POLICY role_scope_own ON @extschema@.role_scope IS 'contract managers and suppliers read the scope rows of their own roles';

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
GRANT SELECT, INSERT, UPDATE, DELETE
    ON @extschema@.contract, @extschema@.candidate, @extschema@.activity, @extschema@.plan,
       @extschema@.turnover, @extschema@.quarter_report, @extschema@.phasing
    TO sroi_coordinator;
GRANT SELECT ON @extschema@.decision, @extschema@.role_scope, @extschema@.value_line TO sroi_coordinator;
GRANT INSERT (decided_by, kind, activity_id, contract_id, reason) ON @extschema@.decision TO sroi_coordinator;

-- Contract managers: contracts without the coordinator's decisions (PSO approval,
-- exemption, penalty waiver), and the plan, turnover, reports and phasing.
GRANT SELECT ON @extschema@.contract, @extschema@.candidate, @extschema@.activity, @extschema@.decision,
                @extschema@.role_scope, @extschema@.value_line
    TO sroi_contract_manager;
GRANT INSERT (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, rate_card, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on),
      UPDATE (municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on)
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

-- The monitoring views (aggregates; target_group_outcomes with small cells
-- suppressed) for BI, coordinators and contract managers; not for suppliers, as
-- they show every supplier's figures.  value_line (person-level rows) for none of
-- these but the roles that read the tables anyway, under their policies.
REVOKE ALL ON @extschema@.value_line FROM PUBLIC;
GRANT SELECT ON @extschema@.contract_compliance, @extschema@.quarterly_progress, @extschema@.municipality_quarter,
                @extschema@.category_mix, @extschema@.target_group_outcomes, @extschema@.overdue_items,
                @extschema@.chain_delivery
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;
GRANT EXECUTE ON FUNCTION @extschema@.report_compliance(date), @extschema@.report_quarterly_progress(date),
                          @extschema@.report_municipality_quarter(date), @extschema@.report_category_mix(date),
                          @extschema@.report_target_group_outcomes(date), @extschema@.report_overdue_items(date),
                          @extschema@.report_chain_delivery(date)
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;
