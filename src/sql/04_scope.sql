-- sroi install script, part 4a: who acts for whom.  sroi.role_scope with its
-- validation, row-level security and the scope functions every policy, workflow
-- function and report reads.
-- The schema: every sroi role uses it (what in it, the grants beside each object say).
-- (DROP EXTENSION leaves the schema CREATE EXTENSION made, empty, with this grant:
-- PostgreSQL never makes that schema an extension member.  DROP SCHEMA sroi after
-- DROP EXTENSION in every database before DROP ROLE of the four roles.)
GRANT USAGE ON SCHEMA @extschema@ TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;

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
CREATE TRIGGER role_scope_50_validate BEFORE INSERT OR UPDATE ON @extschema@.role_scope
    FOR EACH ROW EXECUTE FUNCTION @extschema@.role_scope_validate();

-- The scopes of a role: the municipalities or suppliers of the role_scope rows of the
-- role and of every role it is a member of.  A superuser is a member of every role,
-- so for one only its own rows count.  The policies, the workflow and the views (which
-- suppress what the caller may not read) ask it for the caller, also a BI reader that
-- may read no table: so it runs as the owner, and answers only for a role the login
-- may act as (anyone else's scopes are not the caller's business: empty).
CREATE FUNCTION @extschema@.scopes(kind text, of_role name) RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT coalesce(pg_catalog.array_agg(DISTINCT x.scope ORDER BY x.scope), '{}')
      FROM @extschema@.role_scope AS s
      JOIN pg_catalog.pg_roles AS r ON r.rolname OPERATOR(pg_catalog.=) s.role_name
      CROSS JOIN LATERAL (SELECT CASE kind WHEN 'municipality' THEN s.municipality
                                           WHEN 'supplier' THEN s.supplier END AS scope) AS x
     WHERE x.scope IS NOT NULL
       AND pg_catalog.pg_has_role(SESSION_USER, of_role, 'MEMBER')
       AND (r.rolname OPERATOR(pg_catalog.=) of_role
            OR (pg_catalog.pg_has_role(of_role, r.oid, 'MEMBER')
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_roles AS u
                                 WHERE u.rolname OPERATOR(pg_catalog.=) of_role AND u.rolsuper)));
END;
REVOKE EXECUTE ON FUNCTION @extschema@.scopes(text, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.scopes(text, name)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;
COMMENT ON FUNCTION @extschema@.scopes(text, name) IS
    'the municipalities (kind municipality) or suppliers (kind supplier) a role acts for: role_scope rows of the role and of every role it is a member of; empty for a role the login may not act as';

CREATE FUNCTION @extschema@.scope_municipalities() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.scopes('municipality', CURRENT_USER);
COMMENT ON FUNCTION @extschema@.scope_municipalities() IS 'the municipalities the current user acts for (sroi.scopes)';

CREATE FUNCTION @extschema@.scope_suppliers() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.scopes('supplier', CURRENT_USER);
COMMENT ON FUNCTION @extschema@.scope_suppliers() IS 'the suppliers the current user acts for (sroi.scopes)';

CREATE FUNCTION @extschema@.is_coordinator(of_role name) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT EXISTS (SELECT FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname OPERATOR(pg_catalog.=) 'sroi_coordinator'
                      AND pg_catalog.pg_has_role(of_role, r.oid, 'MEMBER'))
        OR EXISTS (SELECT FROM pg_catalog.pg_roles AS u
                    WHERE u.rolname OPERATOR(pg_catalog.=) of_role AND u.rolsuper);
END;
COMMENT ON FUNCTION @extschema@.is_coordinator(name) IS
    'whether a role is an SR coordinator: a member of sroi_coordinator, or a superuser';

CREATE FUNCTION @extschema@.is_coordinator() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.is_coordinator(CURRENT_USER);
COMMENT ON FUNCTION @extschema@.is_coordinator() IS 'whether the current user is an SR coordinator (sroi.is_coordinator(name))';

ALTER TABLE @extschema@.role_scope ENABLE ROW LEVEL SECURITY;
-- role_scope: the owner maintains it; coordinators read it all, others their own rows.
CREATE POLICY coordinator_select ON @extschema@.role_scope FOR SELECT TO sroi_coordinator USING (true);
COMMENT ON POLICY coordinator_select ON @extschema@.role_scope IS 'SR coordinators read every row';
-- (A function, not a subquery in the policy: Citus refuses subqueries in the policies
-- of distributed and reference tables.  A role dropped since is no one's: false.)
CREATE FUNCTION @extschema@.is_own_role(role_name name) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname = is_own_role.role_name AND pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER'));
END
$$;
COMMENT ON FUNCTION @extschema@.is_own_role(name) IS
    'whether the current user is the role or a member of it; false for a role that does not exist (internal, for the policy of role_scope)';
CREATE POLICY role_scope_own ON @extschema@.role_scope FOR SELECT TO sroi_contract_manager, sroi_supplier
    USING (@extschema@.is_own_role(role_name));
COMMENT ON POLICY role_scope_own ON @extschema@.role_scope IS 'contract managers and suppliers read the scope rows of their own roles';
GRANT SELECT ON @extschema@.role_scope TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

-- The two conditions every scoped policy uses (04_tables.sql and the steering tables
-- of 06_plan.sql, 06_steering.sql and 06_settlement.sql; src/tools/expand.awk puts
-- them in): a row of a contract of the caller's municipalities, or of its suppliers,
-- read from the row's own scope columns (municipality, supplier: set from the contract
-- by the trigger <table>_scope, kept in step by contract_rescope, 04_tables.sql).
-- The scope function in a scalar subquery: an InitPlan, evaluated once per query (a plain
-- call of the function, SECURITY DEFINER underneath, would run once per row: ~80x slower
-- on 1M activities).  Citus refuses subqueries in the policies of distributed tables:
-- sroi.distribute() (12_citus.sql) rewrites these policies into the plain call
-- (municipality = ANY (sroi.scope_municipalities())) before it distributes the tables.
-- @macro of_managed_contract
municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
-- @end
-- @macro of_supplied_contract
supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
-- @end

-- The policies of a table that hangs off a contract (its rows carry the contract's scope
-- columns): SR coordinators every row; contract managers the rows of their
-- municipalities' contracts, to read (managers 'read') or to read and edit ('edit');
-- suppliers read the rows of their own contracts.  Called for each such table by
-- secure_contract_table (below), with the table's triggers and privileges.
CREATE FUNCTION @extschema@.create_scope_policies(tab name, managers text, suppliers boolean DEFAULT true) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t text := format('@extschema@.%I', tab);
    managed text := $q$@of_managed_contract@$q$;
    supplied text := $q$@of_supplied_contract@$q$;
BEGIN
    IF managers = 'edit' THEN
        EXECUTE format('CREATE POLICY coordinator_all ON %s FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true)', t);
        EXECUTE format('COMMENT ON POLICY coordinator_all ON %s IS %L', t, 'SR coordinators: every row, every command');
        EXECUTE format('CREATE POLICY manager_all ON %s FOR ALL TO sroi_contract_manager USING (%s) WITH CHECK (%s)',
                       t, managed, managed);
        EXECUTE format('COMMENT ON POLICY manager_all ON %s IS %L', t,
                       'contract managers read and edit the rows of the contracts of their municipalities');
    ELSIF managers = 'read' THEN
        EXECUTE format('CREATE POLICY coordinator_select ON %s FOR SELECT TO sroi_coordinator USING (true)', t);
        EXECUTE format('COMMENT ON POLICY coordinator_select ON %s IS %L', t, 'SR coordinators read every row');
        EXECUTE format('CREATE POLICY manager_select ON %s FOR SELECT TO sroi_contract_manager USING (%s)', t, managed);
        EXECUTE format('COMMENT ON POLICY manager_select ON %s IS %L', t,
                       'contract managers read the rows of the contracts of their municipalities (role_scope)');
    ELSE
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('managers must be read or edit, got %L', managers);
    END IF;
    -- suppliers false: a table without the supplier column, whose rows no supplier reads
    IF suppliers THEN
        EXECUTE format('CREATE POLICY supplier_select ON %s FOR SELECT TO sroi_supplier USING (%s)', t, supplied);
        EXECUTE format('COMMENT ON POLICY supplier_select ON %s IS %L', t,
                       'suppliers read the rows of their own contracts (role_scope)');
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.create_scope_policies(name, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.create_scope_policies(name, text, boolean) IS
    'creates the row-level security policies of a contract-keyed table: coordinators every row, contract managers the rows of their municipalities (read, or read and edit), suppliers read their own unless suppliers is false (install script; internal)';

-- Rows of the fact tables name a contract the caller cannot see: refused with
-- 42501 before any validation runs, so that no message tells anything about
-- another supplier's contract.  Likewise an activity naming a candidate the caller
-- cannot read (neither registered by it nor placed on its contracts): refused with
-- 23503, the same words whether the id exists or not, so that placing a person never
-- opens another tenant's personal data.  Coordinators see every contract and
-- candidate; for them (and the owner) a missing one stays the validation's 23503.
-- Fires first (BEFORE triggers run in name order: *_10_access < *_50_validate).
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

-- The scope columns of the contract-keyed tables (municipality, supplier): copied from
-- the row's contract on every INSERT and UPDATE, whatever the user gave (so no role
-- writes them), and kept in step when a coordinator moves a contract to another
-- municipality or supplier (contract_rescope below).  The policies read them
-- (of_managed_contract, of_supplied_contract).  Runs as the caller: the *_10_access
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

-- The security of a table that hangs off a contract, written once and called beside
-- each such table (04_tables.sql, 06_plan.sql, 06_steering.sql, 06_settlement.sql, and
-- the stored figures of 07_monitoring.sql):
--   - its triggers (unless triggers is false: rows that only sroi's functions write with
--     their scope columns set): <table>_10_access (contract_access above: a contract the
--     caller cannot see, refused first), only where users write rows (managers 'edit'),
--     and <table>_40_scope (contract_scope: the scope columns from the contract).  BEFORE
--     triggers fire in name order, and their names say it: <table>_10_access, then
--     <table>_30_frozen (06_settlement.sql), <table>_40_scope, <table>_50_validate;
--   - row-level security with the policies of create_scope_policies (suppliers false:
--     no policy for suppliers, so they read no row);
--   - the privileges: 'edit', contract managers and coordinators write_privileges
--     (default all four; a table with column privileges grants those beside the call)
--     and suppliers SELECT; 'read' (rows written only by sroi's functions, as the
--     owner), SELECT for all three.
-- A table's further policies and privileges (a supplier's INSERT, ...) are written
-- beside the call.  src/tools/upgrade-script.py replays the calls.
CREATE FUNCTION @extschema@.secure_contract_table(tab name, managers text,
                                                  write_privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE',
                                                  suppliers boolean DEFAULT true, triggers boolean DEFAULT true)
    RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t text := format('@extschema@.%I', tab);
BEGIN
    IF triggers AND managers = 'edit' THEN
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access(%L)',
                       tab || '_10_access', t, tab);
    END IF;
    IF triggers THEN
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope()',
                       tab || '_40_scope', t);
    END IF;
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
    -- refuses a managers other than read or edit (22023)
    PERFORM @extschema@.create_scope_policies(tab, managers, suppliers);
    IF managers = 'edit' THEN
        EXECUTE format('GRANT %s ON %s TO sroi_coordinator, sroi_contract_manager', write_privileges, t);
        EXECUTE format('GRANT SELECT ON %s TO sroi_supplier', t);
    ELSE
        EXECUTE format('GRANT SELECT ON %s TO sroi_coordinator, sroi_contract_manager, sroi_supplier', t);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.secure_contract_table(name, text, text, boolean, boolean) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.secure_contract_table(name, text, text, boolean, boolean) IS
    'the security of a contract-keyed table: its triggers <table>_10_access (managers edit) and <table>_40_scope unless triggers is false, row-level security with the policies of create_scope_policies (none for suppliers when suppliers is false), and its privileges (edit: contract managers and coordinators write_privileges, suppliers SELECT; read: SELECT for all three) (install script; internal)';
