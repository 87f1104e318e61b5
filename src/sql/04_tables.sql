-- sroi install script, part 4: the tables users write (api.md "Tables users write"),
-- each with who may read and write it: its row-level security, privileges and access
-- triggers.  Validation beyond simple CHECKs lives in 05_validation.sql, so that every
-- error names the field, the value and the rule.

CREATE TABLE @extschema@.contract (
    id                     text PRIMARY KEY CHECK (id <> ''),
    municipality           text NOT NULL CHECK (municipality <> ''),
    supplier               text NOT NULL CHECK (supplier <> ''),
    title                  text NOT NULL,
    contract_value         numeric NOT NULL,
    tendered_on            date,
    awarded_on             date NOT NULL,
    starts_on              date NOT NULL,
    ends_on                date NOT NULL,
    obligation_pct         numeric,
    obligation_amount      numeric,
    exemption_reason       text,
    basis                  text NOT NULL DEFAULT 'contract_value',
    rate_card              text REFERENCES @extschema@.rate_card (code),
    pso_rung               @extschema@.pso_rung NOT NULL DEFAULT 'none',
    pso_approved           boolean NOT NULL DEFAULT false,
    pso_valid_until        date,
    labour_share           numeric NOT NULL DEFAULT 1,
    penalty_pct            numeric NOT NULL DEFAULT 100,
    penalty_waived_reason  text,
    kickoff_on             date,
    created_at             timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- the card has a discount for the rung; also orders a restore: pg_dump writes a
    -- user card's rates before the contracts on it, which the rate-card guard needs
    CONSTRAINT contract_pso_rate_fkey FOREIGN KEY (rate_card, pso_rung)
        REFERENCES @extschema@.pso_discount_rate (rate_card, rung)
);
COMMENT ON TABLE @extschema@.contract IS 'public contracts (opdrachten) with an SROI clause, one row per contract';
COMMENT ON COLUMN @extschema@.contract.id IS 'contract number as the municipality knows it';
COMMENT ON COLUMN @extschema@.contract.municipality IS 'contracting municipality, e.g. Diemen';
COMMENT ON COLUMN @extschema@.contract.supplier IS 'main contractor (opdrachtnemer)';
COMMENT ON COLUMN @extschema@.contract.title IS 'what the contract is for';
COMMENT ON COLUMN @extschema@.contract.contract_value IS 'contract value in euros, excl. VAT, whole term (domain.md 1.1)';
COMMENT ON COLUMN @extschema@.contract.tendered_on IS 'publication date of the tender; picks the rate card when recorded';
COMMENT ON COLUMN @extschema@.contract.awarded_on IS 'award date (gunning); picks the rate card when tendered_on is absent; starts the 14-day kick-off window';
COMMENT ON COLUMN @extschema@.contract.starts_on IS 'first day of the contract term';
COMMENT ON COLUMN @extschema@.contract.ends_on IS 'last day of the contract term';
COMMENT ON COLUMN @extschema@.contract.obligation_pct IS 'agreed obligation percentage 0-100; NULL: the card default above its threshold, else 0; 0 needs exemption_reason';
COMMENT ON COLUMN @extschema@.contract.obligation_amount IS 'concrete euro obligation agreed in the contract (guideline 5.3); when present it is the gross obligation';
COMMENT ON COLUMN @extschema@.contract.exemption_reason IS 'why the obligation is waived (guideline 5.1 "gegronde redenen"); required with obligation_pct 0';
COMMENT ON COLUMN @extschema@.contract.basis IS 'contract_value (default) or turnover: the obligation then accrues from reported turnover (guideline 5.2)';
COMMENT ON COLUMN @extschema@.contract.rate_card IS 'rate card the contract is pinned to; filled in on insert from tendered_on, else awarded_on';
COMMENT ON COLUMN @extschema@.contract.pso_rung IS 'PSO rung the supplier is certified on';
COMMENT ON COLUMN @extschema@.contract.pso_approved IS 'the SR coordinator approved the PSO discount; only then it applies';
COMMENT ON COLUMN @extschema@.contract.pso_valid_until IS 'last day of validity of the PSO certificate; expiry is flagged, not applied';
COMMENT ON COLUMN @extschema@.contract.labour_share IS 'share of the obligation that is its labour component, 0-1 (default 1)';
COMMENT ON COLUMN @extschema@.contract.penalty_pct IS 'penalty in percent of the unrealised obligation (default 100)';
COMMENT ON COLUMN @extschema@.contract.penalty_waived_reason IS 'why no penalty applies (force majeure, best efforts shown)';
COMMENT ON COLUMN @extschema@.contract.kickoff_on IS 'date of the kick-off meeting (startgesprek), due within 14 days after award';
COMMENT ON COLUMN @extschema@.contract.created_at IS 'when the row was entered';
-- what a BI tool or a page filters on: one municipality's contracts without a scan of all
CREATE INDEX contract_municipality_idx ON @extschema@.contract (municipality);

-- Who reads and writes contracts (row-level security, privileges and the guards of a
-- change; the policies' conditions and the roles: 04_scope.sql, 00_roles.sql).
-- Coordinators: every contract.  Contract managers: those of their municipalities;
-- they enter contracts without the coordinator's decisions (PSO approval, exemption,
-- penalty waiver) and afterwards change their title, dates and certificate validity,
-- but not the terms that set the obligation and the penalty, nor the supplier or
-- municipality (the coordinator's, logged).  Suppliers: read their own.  The decision
-- columns (pso_approved, exemption_reason, penalty_waived_reason) only through the
-- workflow functions (06_workflow.sql), which log them.
ALTER TABLE @extschema@.contract ENABLE ROW LEVEL SECURITY;
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
GRANT SELECT, DELETE ON @extschema@.contract TO sroi_coordinator;
GRANT INSERT (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, rate_card, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on),
      UPDATE (municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on)
    ON @extschema@.contract TO sroi_coordinator;
GRANT SELECT ON @extschema@.contract TO sroi_contract_manager;
GRANT INSERT (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
              obligation_pct, obligation_amount, basis, rate_card, pso_rung, pso_valid_until, labour_share,
              penalty_pct, kickoff_on),
      UPDATE (title, tendered_on, awarded_on, starts_on, ends_on, pso_valid_until, kickoff_on)
    ON @extschema@.contract TO sroi_contract_manager;
GRANT SELECT ON @extschema@.contract TO sroi_supplier;

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

CREATE TABLE @extschema@.candidate (
    id                 text PRIMARY KEY CHECK (id <> ''),
    birth_date         date NOT NULL,
    benefit            text NOT NULL DEFAULT 'none',
    benefit_since      date,
    doelgroepregister  boolean NOT NULL DEFAULT false,
    beschut_werk       boolean NOT NULL DEFAULT false,
    indication_until   date,
    education          text,
    job_seeking        boolean NOT NULL DEFAULT false,
    statushouder       boolean NOT NULL DEFAULT false,
    special_group      boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    registered_by      name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.candidate IS 'persons placed, pseudonymous: no names, no BSN; the facts that decide target-group membership (guideline 3)';
COMMENT ON COLUMN @extschema@.candidate.id IS 'pseudonymous key chosen by the supplier or municipality';
COMMENT ON COLUMN @extschema@.candidate.birth_date IS 'date of birth, for the age rules (50+, 56+ bonus, under 23)';
COMMENT ON COLUMN @extschema@.candidate.benefit IS 'benefit received: participatiewet, ww, wia, wao, wajong or none';
COMMENT ON COLUMN @extschema@.candidate.benefit_since IS 'first day of the current benefit; decides A1/A2 and WW over 6 months';
COMMENT ON COLUMN @extschema@.candidate.doelgroepregister IS 'registered in the doelgroepregister (banenafspraak)';
COMMENT ON COLUMN @extschema@.candidate.beschut_werk IS 'holds a beschut werk indication';
COMMENT ON COLUMN @extschema@.candidate.indication_until IS 'last day of the doelgroepregister or beschut werk indication; NULL: open-ended';
COMMENT ON COLUMN @extschema@.candidate.education IS 'vso, pro, mbo1, mbo2, or NULL';
COMMENT ON COLUMN @extschema@.candidate.job_seeking IS 'registered as job-seeking (counts for the 50+ group)';
COMMENT ON COLUMN @extschema@.candidate.statushouder IS 'refugee with a residence permit';
COMMENT ON COLUMN @extschema@.candidate.special_group IS 'belongs to a special group the SR coordinator recognises (bonus 13)';
COMMENT ON COLUMN @extschema@.candidate.created_at IS 'when the row was entered';
COMMENT ON COLUMN @extschema@.candidate.registered_by IS
    'database role that registered the candidate; a supplier sees and corrects the candidates it registered (its row-level security)';

-- Keys of the fact tables include contract_id, so that they can be distributed
-- by it (Citus: unique constraints must include the distribution column).
CREATE TABLE @extschema@.activity (
    id                      bigint GENERATED ALWAYS AS IDENTITY,
    contract_id             text NOT NULL REFERENCES @extschema@.contract (id),
    delivered_by            text,
    block                   text NOT NULL,
    candidate_id            text REFERENCES @extschema@.candidate (id),
    fte                     numeric DEFAULT 1,
    starts_on               date NOT NULL,
    ends_on                 date,
    planned_ends_on         date,
    hours                   numeric,
    amount                  numeric,
    bonus_56plus            boolean NOT NULL DEFAULT false,
    bonus_special           boolean NOT NULL DEFAULT false,
    evidence_ref            text,
    status                  text NOT NULL DEFAULT 'reported'
                            CHECK (status IN ('reported', 'approved', 'rejected')),
    eligibility_override    text,
    created_at              timestamptz NOT NULL DEFAULT pg_catalog.now(),
    rate_card               text NOT NULL,
    -- the contract's scope, kept by the triggers <table>_scope and contract_rescope (04_scope.sql, 04_tables.sql)
    municipality            text,
    supplier                text,
    PRIMARY KEY (contract_id, id),
    -- the block is on the contract's card; also orders a restore: pg_dump writes the
    -- rows of a configuration table after those of the tables it references
    CONSTRAINT activity_block_fkey FOREIGN KEY (rate_card, block)
        REFERENCES @extschema@.building_block (rate_card, code)
);
CREATE INDEX activity_id_idx ON @extschema@.activity (id);
CREATE INDEX activity_candidate_idx ON @extschema@.activity (candidate_id) WHERE candidate_id IS NOT NULL;
COMMENT ON TABLE @extschema@.activity IS 'delivered building blocks (inzet, plaatsingen), one row per placement, agreement, batch of hours or invoice';
COMMENT ON COLUMN @extschema@.activity.id IS 'generated key';
COMMENT ON COLUMN @extschema@.activity.contract_id IS 'the contract the activity counts for';
COMMENT ON COLUMN @extschema@.activity.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger activity_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.activity.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger activity_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.activity.delivered_by IS 'subcontractor that delivered it (ketenverantwoordelijkheid); NULL: the contract''s supplier';
COMMENT ON COLUMN @extschema@.activity.block IS 'building block code on the contract''s rate card';
COMMENT ON COLUMN @extschema@.activity.candidate_id IS 'the person placed; required for category A and B blocks';
COMMENT ON COLUMN @extschema@.activity.fte IS 'fte in (0, 1] with at most 4 decimals, for fte_period blocks (32 of 36 hours: 0.8889)';
COMMENT ON COLUMN @extschema@.activity.starts_on IS 'first day; for hours, invoices and negotiated values the day they are earned';
COMMENT ON COLUMN @extschema@.activity.ends_on IS 'last day; NULL: ongoing';
COMMENT ON COLUMN @extschema@.activity.planned_ends_on IS 'planned last day of an agreement; NULL: ends_on';
COMMENT ON COLUMN @extschema@.activity.hours IS 'hours, for hour blocks (C10)';
COMMENT ON COLUMN @extschema@.activity.amount IS 'euro value, for invoice and negotiated blocks (C9, C11, M)';
COMMENT ON COLUMN @extschema@.activity.bonus_56plus IS 'claims bonus 12 (56+ in Participatiewet or doelgroepregister) on this category A placement';
COMMENT ON COLUMN @extschema@.activity.bonus_special IS 'claims bonus 13 (special target group) on this category A placement';
COMMENT ON COLUMN @extschema@.activity.evidence_ref IS 'reference to the evidence (contract, invoice copy, timesheet)';
COMMENT ON COLUMN @extschema@.activity.status IS 'reported (new), approved or rejected by the SR coordinator';
COMMENT ON COLUMN @extschema@.activity.eligibility_override IS 'the SR coordinator''s reason for counting an activity that fails an eligibility rule';
COMMENT ON COLUMN @extschema@.activity.created_at IS 'when the row was entered';
COMMENT ON COLUMN @extschema@.activity.rate_card IS 'the rate card of the contract, set by the validation (a contract never changes card): the block is on it';

-- Who reads and writes activities.  BEFORE triggers run in name order:
-- activity_access (04_scope.sql: a contract or candidate the caller cannot see, 42501
-- or 23503 before any validation), activity_scope (the scope columns from the
-- contract), then activity_validate (05_validation.sql).
CREATE TRIGGER activity_access BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('activity');
CREATE TRIGGER activity_scope BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.activity ENABLE ROW LEVEL SECURITY;
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
-- Coordinators: every row through the policies, but no status or override (the
-- workflow's); suppliers: the data columns of their own contracts' activities.
GRANT SELECT, DELETE ON @extschema@.activity TO sroi_coordinator;
GRANT INSERT (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref),
      UPDATE (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref)
    ON @extschema@.activity TO sroi_coordinator;
GRANT SELECT ON @extschema@.activity TO sroi_contract_manager;
GRANT SELECT ON @extschema@.activity TO sroi_supplier;
GRANT INSERT (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref),
      UPDATE (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours,
              amount, bonus_56plus, bonus_special, evidence_ref)
    ON @extschema@.activity TO sroi_supplier;

-- Who reads and writes candidates (here, after activity: the policies read the
-- activities).  Suppliers write the data columns (not special_group, the
-- coordinator's, nor registered_by).
ALTER TABLE @extschema@.candidate ENABLE ROW LEVEL SECURITY;
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
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.candidate TO sroi_coordinator;
GRANT SELECT ON @extschema@.candidate TO sroi_contract_manager;
GRANT SELECT ON @extschema@.candidate TO sroi_supplier;
GRANT INSERT (id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk, indication_until,
              education, job_seeking, statushouder),
      UPDATE (birth_date, benefit, benefit_since, doelgroepregister, beschut_werk, indication_until,
              education, job_seeking, statushouder)
    ON @extschema@.candidate TO sroi_supplier;

CREATE TABLE @extschema@.plan (
    contract_id    text NOT NULL REFERENCES @extschema@.contract (id),
    quarter        @extschema@.quarter NOT NULL,
    block          text NOT NULL,
    planned_value  numeric NOT NULL,
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    planned_persons integer CHECK (planned_persons >= 0),
    municipality   text,
    supplier       text,
    PRIMARY KEY (contract_id, version, quarter, block)
);
COMMENT ON TABLE @extschema@.plan IS 'Plan van Aanpak SROI: the value the supplier plans to deliver per quarter and block';
COMMENT ON COLUMN @extschema@.plan.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.plan.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.plan.block IS 'building block code on the contract''s rate card';
COMMENT ON COLUMN @extschema@.plan.planned_value IS 'planned value in euros';
COMMENT ON COLUMN @extschema@.plan.version IS 'the plan version the line belongs to (domain.md 6.1); lines entered without one are version 1';
COMMENT ON COLUMN @extschema@.plan.planned_persons IS 'persons the supplier plans to place in the quarter with this block (domain.md 6.4), or null when the line plans euros only';

-- Who reads and writes plan: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers:
-- plan_access and plan_scope (04_scope.sql), fired before plan_validate (05_validation.sql).
CREATE TRIGGER plan_access BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('plan');
CREATE TRIGGER plan_scope BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.plan ENABLE ROW LEVEL SECURITY;
SELECT @extschema@.create_scope_policies('plan', 'edit');
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.plan TO sroi_coordinator, sroi_contract_manager;
GRANT SELECT ON @extschema@.plan TO sroi_supplier;

CREATE TABLE @extschema@.turnover (
    contract_id  text NOT NULL REFERENCES @extschema@.contract (id),
    quarter      @extschema@.quarter NOT NULL,
    amount       numeric NOT NULL,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, quarter)
);
COMMENT ON TABLE @extschema@.turnover IS 'turnover reported per quarter, for contracts on the turnover basis (guideline 5.2)';
COMMENT ON COLUMN @extschema@.turnover.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.turnover.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger turnover_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger turnover_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.turnover.amount IS 'turnover in euros, excl. VAT';

-- Who reads and writes turnover: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers:
-- turnover_access and turnover_scope (04_scope.sql), fired before turnover_validate (05_validation.sql).
CREATE TRIGGER turnover_access BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('turnover');
CREATE TRIGGER turnover_scope BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.turnover ENABLE ROW LEVEL SECURITY;
SELECT @extschema@.create_scope_policies('turnover', 'edit');
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.turnover TO sroi_coordinator, sroi_contract_manager;
GRANT SELECT ON @extschema@.turnover TO sroi_supplier;

CREATE TABLE @extschema@.quarter_report (
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id),
    quarter       @extschema@.quarter NOT NULL,
    submitted_on  date NOT NULL,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, quarter)
);
COMMENT ON TABLE @extschema@.quarter_report IS 'quarterly SROI reports received from suppliers (guideline 5.3, 6.3)';
COMMENT ON COLUMN @extschema@.quarter_report.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.quarter_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger quarter_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger quarter_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.quarter IS 'the quarter reported on';
COMMENT ON COLUMN @extschema@.quarter_report.submitted_on IS 'date the report was received';
-- the reports of one municipality (a report or page filtered on it reads these, not all)
CREATE INDEX quarter_report_municipality_idx ON @extschema@.quarter_report (municipality);

-- Who reads and writes quarter_report: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own and enter their quarterly reports, dated the day they enter them (no back-dating).  Triggers:
-- quarter_report_access and quarter_report_scope (04_scope.sql), fired before quarter_report_validate (05_validation.sql).
CREATE TRIGGER quarter_report_access BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('quarter_report');
CREATE TRIGGER quarter_report_scope BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.quarter_report ENABLE ROW LEVEL SECURITY;
SELECT @extschema@.create_scope_policies('quarter_report', 'edit');
CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today (sroi.today(): no back-dating through the session''s TimeZone)';
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.quarter_report TO sroi_coordinator, sroi_contract_manager;
GRANT SELECT ON @extschema@.quarter_report TO sroi_supplier;
GRANT INSERT (contract_id, quarter, submitted_on) ON @extschema@.quarter_report TO sroi_supplier;

CREATE TABLE @extschema@.phasing (
    contract_id       text NOT NULL REFERENCES @extschema@.contract (id),
    from_date         date NOT NULL,
    cumulative_share  numeric NOT NULL,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, from_date)
);
COMMENT ON TABLE @extschema@.phasing IS 'own phasing schedule of a contract (fasering, guideline 4.3): from each date on, this cumulative share of the obligation is expected, stepwise';
COMMENT ON COLUMN @extschema@.phasing.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.phasing.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger phasing_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger phasing_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.from_date IS 'the date from which the share is expected';
COMMENT ON COLUMN @extschema@.phasing.cumulative_share IS 'cumulative share of the obligation expected, 0 to 1, non-decreasing over the dates';

-- Who reads and writes phasing: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers:
-- phasing_access and phasing_scope (04_scope.sql), fired before phasing_validate (05_validation.sql).
CREATE TRIGGER phasing_access BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('phasing');
CREATE TRIGGER phasing_scope BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.phasing ENABLE ROW LEVEL SECURITY;
SELECT @extschema@.create_scope_policies('phasing', 'edit');
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.phasing TO sroi_coordinator, sroi_contract_manager;
GRANT SELECT ON @extschema@.phasing TO sroi_supplier;

CREATE TABLE @extschema@.decision (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    decided_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    decided_by   text NOT NULL CHECK (decided_by <> ''),
    recorded_by  name NOT NULL DEFAULT SESSION_USER,
    kind         text NOT NULL CHECK (kind IN ('approve', 'reject', 'override_eligibility', 'reset',
                                               'pso_approve', 'pso_withdraw', 'exemption', 'penalty_waiver',
                                               'contract_change', 'plan_accord', 'plan_refusal',
                                               'reporting_frequency', 'settlement', 'reopen')),
    activity_id  bigint,
    contract_id  text NOT NULL REFERENCES @extschema@.contract (id),
    reason       text,
    municipality text,
    supplier     text,
    PRIMARY KEY (contract_id, id),
    FOREIGN KEY (contract_id, activity_id) REFERENCES @extschema@.activity (contract_id, id),
    CHECK ((activity_id IS NULL) = (kind NOT IN ('approve', 'reject', 'override_eligibility', 'reset')))
);
CREATE INDEX decision_activity_idx ON @extschema@.decision (activity_id) WHERE activity_id IS NOT NULL;
COMMENT ON TABLE @extschema@.decision IS 'append-only log of every approval, rejection, override and reset, of PSO, exemption and penalty-waiver decisions and of changes to contract terms: who, when, why';
COMMENT ON COLUMN @extschema@.decision.id IS 'generated key, in the order decisions were made';
COMMENT ON COLUMN @extschema@.decision.decided_at IS 'when';
COMMENT ON COLUMN @extschema@.decision.decided_by IS 'who decided (the SR coordinator''s name)';
COMMENT ON COLUMN @extschema@.decision.recorded_by IS 'the login (session user) that recorded the decision; SET ROLE does not change it';
COMMENT ON COLUMN @extschema@.decision.kind IS 'approve, reject, override_eligibility, reset (an activity back to reported, or its override withdrawn), pso_approve, pso_withdraw, exemption, penalty_waiver contract_change (terms, supplier or municipality; the reason lists old -> new), plan_accord, plan_refusal (a Plan van Aanpak version), reporting_frequency (quarterly or monthly from a month), settlement or reopen (domain.md 6)';
COMMENT ON COLUMN @extschema@.decision.activity_id IS 'the activity decided on (approve, reject, override_eligibility, reset)';
COMMENT ON COLUMN @extschema@.decision.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.decision.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger decision_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger decision_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.reason IS 'why';

-- decision: read per scope; written only by the workflow functions and logging
-- triggers, as the owner (no role has INSERT: a trigger a coordinator attaches to a
-- table of its own cannot forge a row); never changed (no UPDATE or DELETE privilege
-- for any role, and decision_append_only).
CREATE TRIGGER decision_scope BEFORE INSERT OR UPDATE ON @extschema@.decision
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_scope();
ALTER TABLE @extschema@.decision ENABLE ROW LEVEL SECURITY;
SELECT @extschema@.create_scope_policies('decision', 'read');
GRANT SELECT ON @extschema@.decision TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.contract', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.candidate', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.activity', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.plan', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.turnover', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quarter_report', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.phasing', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.decision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.activity_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.decision_id_seq', '');
