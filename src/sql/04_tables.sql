-- sroi install script, part 4: the tables users write (api.md "Tables users write"),
-- each followed by its validation (beyond simple CHECKs: every error names the field,
-- the value and the rule; the checks they share are in 02_checks.sql) and by who may
-- read and write it: its row-level security, privileges and access triggers.  BEFORE
-- triggers fire in name order, and their names say the order: TABLE_10_access (a row of
-- a contract the caller may not see refused first), TABLE_20_caller, TABLE_30_frozen
-- (06_settlement.sql), TABLE_35_guard, TABLE_40_scope, TABLE_50_validate,
-- plan_60_version; the AFTER triggers that log (06_workflow.sql) and clear the stored
-- figures (07_monitoring.sql) are in those files.

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

-- A row's contract, else 23503 (the one wording of a missing contract).  With the
-- caller's privileges: under row-level security a contract the caller may not read does
-- not exist for it (the *_10_access triggers refuse those first, with 42501).
CREATE FUNCTION @extschema@.no_such_contract(contract_id text)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.raise_invalid('23503', format('contract_id %L does not exist', contract_id));
END
$$;
COMMENT ON FUNCTION @extschema@.no_such_contract(text) IS
    'raises 23503: the contract named does not exist (internal)';
CREATE FUNCTION @extschema@.contract_of(contract_id text)
    RETURNS @extschema@.contract LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
BEGIN
    SELECT * INTO k FROM @extschema@.contract AS c WHERE c.id = contract_of.contract_id;
    IF NOT FOUND THEN
        PERFORM @extschema@.no_such_contract(contract_id);
    END IF;
    RETURN k;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_of(text) IS
    'the contract of an id, else 23503 naming it (internal; with the caller''s privileges)';

-- Contracts: domain.md 1, and the pinning of the rate card (domain.md 2).
CREATE FUNCTION @extschema@.contract_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.id IS DISTINCT FROM OLD.id THEN
        PERFORM @extschema@.check_id('contract.id', NEW.id);
    END IF;
    PERFORM @extschema@.check_number('contract_value', NEW.contract_value, 0, NULL, 2, 'at least 0');
    PERFORM @extschema@.check_dates('ends_on', NEW.ends_on, 'starts_on', NEW.starts_on);
    PERFORM @extschema@.check_dates('awarded_on', NEW.awarded_on, 'tendered_on', NEW.tendered_on);
    -- domain.md 7.10: no kick-off before the award
    PERFORM @extschema@.check_dates('kickoff_on', NEW.kickoff_on, 'awarded_on', NEW.awarded_on);
    PERFORM @extschema@.check_day('pso_valid_until', NEW.pso_valid_until);
    PERFORM @extschema@.check_number('obligation_pct', NEW.obligation_pct, 0, 100, 2, 'from 0 to 100');
    PERFORM @extschema@.check_number('obligation_amount', NEW.obligation_amount, 0, NULL, 2, 'at least 0');
    PERFORM @extschema@.check_number('labour_share', NEW.labour_share, 0, 1, 4, 'from 0 to 1');
    PERFORM @extschema@.check_number('penalty_pct', NEW.penalty_pct, 0, 100, 2, 'from 0 to 100');
    PERFORM @extschema@.check_one_of('basis', NEW.basis, ARRAY['contract_value', 'turnover']);
    -- domain.md 1.2, 7.10 (guideline 5.1): deviating to 0 needs "gegronde redenen".
    IF (NEW.obligation_pct = 0 OR NEW.obligation_amount = 0) AND coalesce(btrim(NEW.exemption_reason), '') = '' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('exemption_reason is required when the obligation is 0 (obligation_pct %s, obligation_amount %s)',
                   coalesce(NEW.obligation_pct::text, 'NULL'), coalesce(NEW.obligation_amount::text, 'NULL')),
            'An exemption from the SROI obligation needs a recorded reason (guideline 5.1).');
    END IF;
    IF NEW.basis = 'turnover' AND NEW.obligation_amount IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('obligation_amount %s cannot be combined with basis turnover', NEW.obligation_amount),
            'On the turnover basis the obligation follows the reported turnover.');
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.rate_card IS DISTINCT FROM OLD.rate_card THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('rate_card of contract %s cannot change from %s to %s', OLD.id, OLD.rate_card,
                   coalesce(NEW.rate_card, 'NULL')),
            'A contract stays on the rate card it was pinned to for its whole life (guideline 7).');
    END IF;
    IF NEW.rate_card IS NULL THEN
        NEW.rate_card := @extschema@.rate_card_on(coalesce(NEW.tendered_on, NEW.awarded_on));
        IF NEW.rate_card IS NULL THEN
            PERFORM @extschema@.raise_invalid('23503',
                format('no rate card is in force on %s (%s of contract %s)',
                       coalesce(NEW.tendered_on, NEW.awarded_on),
                       CASE WHEN NEW.tendered_on IS NULL THEN 'awarded_on' ELSE 'tendered_on' END, NEW.id),
                'Add a rate card valid from that date, or name one in rate_card.');
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_validate() IS 'validates a contract row and pins it to its rate card (trigger)';
CREATE TRIGGER contract_50_validate BEFORE INSERT OR UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_validate();

-- domain.md 7.11: a change to a candidate, or to a contract's term, must leave
-- every stored activity one the rules accept; the same rules as activity_validate
-- (check_activity_rules), with the changed row in place of the stored one.  One trigger
-- function for both tables, named by the trigger's argument (contract_recheck below,
-- candidate_recheck beside sroi.candidate).  It runs as the owner, as activity_validate
-- does, to see every activity of the person on any contract; a trigger function cannot
-- be called directly, and it checks the table it fired for.
CREATE FUNCTION @extschema@.activity_recheck() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed text := CASE WHEN TG_NARGS = 1 AND TG_ARGV[0] IN ('contract', 'candidate') THEN TG_ARGV[0] END;
    stored refcursor;
    r record;
BEGIN
    IF changed IS NULL OR NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, changed)
       OR TG_OP <> 'UPDATE' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('activity_recheck fires only for each row updated in %s, not on %s',
                             coalesce(changed, 'contract or candidate'), TG_TABLE_NAME);
    END IF;
    -- the activities of the changed row, not rejected, each with its contract and
    -- candidate; ROW(NEW.*): on a Citus shard NEW is of the shard's row type
    IF changed = 'contract' THEN
        OPEN stored FOR
            SELECT x AS a, ROW(NEW.*)::@extschema@.contract AS k, y AS c
              FROM @extschema@.activity AS x LEFT JOIN @extschema@.candidate AS y ON y.id = x.candidate_id
             WHERE x.contract_id = NEW.id AND x.status <> 'rejected'
             ORDER BY x.id;
    ELSE
        OPEN stored FOR
            SELECT x AS a, y AS k, ROW(NEW.*)::@extschema@.candidate AS c
              FROM @extschema@.activity AS x JOIN @extschema@.contract AS y ON y.id = x.contract_id
             WHERE x.candidate_id = NEW.id AND x.status <> 'rejected'
             ORDER BY x.id;
    END IF;
    LOOP
        FETCH stored INTO r;
        EXIT WHEN NOT FOUND;
        PERFORM @extschema@.check_activity_rules(r.a, r.k, r.c, format('%s %s', changed, NEW.id));
    END LOOP;
    CLOSE stored;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.activity_recheck() IS
    'refuses a change to a contract''s term (argument contract) or to a candidate (argument candidate) that would make one of its counted activities invalid (trigger, domain.md 7.11)';
REVOKE EXECUTE ON FUNCTION @extschema@.activity_recheck() FROM PUBLIC;
CREATE TRIGGER contract_recheck AFTER UPDATE OF starts_on, ends_on ON @extschema@.contract
    FOR EACH ROW WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on OR OLD.ends_on IS DISTINCT FROM NEW.ends_on)
    EXECUTE FUNCTION @extschema@.activity_recheck('contract');

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
-- settled contract does not move (contract_30_frozen).  On Citus the rows are on the
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
CREATE TRIGGER contract_35_guard BEFORE UPDATE ON @extschema@.contract
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

-- Candidates: the facts of guideline 3.
CREATE FUNCTION @extschema@.candidate_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.id IS DISTINCT FROM OLD.id THEN
        PERFORM @extschema@.check_id('candidate.id', NEW.id);
    END IF;
    PERFORM @extschema@.check_one_of('benefit', NEW.benefit,
        ARRAY['participatiewet', 'ww', 'wia', 'wao', 'wajong', 'none']);
    PERFORM @extschema@.check_one_of('education', NEW.education, ARRAY['vso', 'pro', 'mbo1', 'mbo2']);
    IF NEW.birth_date < date '1900-01-01' OR NEW.birth_date > @extschema@.today() THEN
        PERFORM @extschema@.raise_invalid('22008',
            format('birth_date must lie from 1900-01-01 to today, got %s', NEW.birth_date));
    END IF;
    PERFORM @extschema@.check_dates('benefit_since', NEW.benefit_since, 'birth_date', NEW.birth_date);
    PERFORM @extschema@.check_day('indication_until', NEW.indication_until);
    IF NEW.benefit = 'none' AND NEW.benefit_since IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('benefit_since must be NULL when benefit is none, got %s', NEW.benefit_since));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.candidate_validate() IS 'validates a candidate row (trigger)';
CREATE TRIGGER candidate_50_validate BEFORE INSERT OR UPDATE ON @extschema@.candidate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.candidate_validate();

-- Age in whole years on a date (domain.md 7.3: calendar years).
CREATE FUNCTION @extschema@.age_on(birth_date date, on_date date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.date_part('year', pg_catalog.age(on_date, birth_date))::integer;
COMMENT ON FUNCTION @extschema@.age_on(date, date) IS 'age in whole years on a date';

-- The benefit in force on a date: one that began after it does not count
-- (domain.md 7.1); benefit_since NULL keeps the recorded benefit.
CREATE FUNCTION @extschema@.benefit_on(c @extschema@.candidate, on_date date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN c.benefit_since OPERATOR(pg_catalog.>) on_date THEN 'none' ELSE c.benefit END;
COMMENT ON FUNCTION @extschema@.benefit_on(@extschema@.candidate, date) IS
    'the candidate''s benefit in force on a date: none when benefit_since lies after it (domain.md 7.1)';

-- In the doelgroepregister on a date: the flag, or Wajong in force, as every
-- Wajonger is registered by law (domain.md 7.2).
CREATE FUNCTION @extschema@.registered_on(c @extschema@.candidate, on_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(c.doelgroepregister, false)
        OR @extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) 'wajong';
COMMENT ON FUNCTION @extschema@.registered_on(@extschema@.candidate, date) IS
    'whether a candidate counts as registered in the doelgroepregister on a date: the flag, or Wajong in force (domain.md 7.2)';

-- Whether the benefit in force on a date began at least the given months
-- before it, in calendar months with end-of-month clamping (domain.md 7.3:
-- 2024-08-31 + 6 months = 2025-02-28).
CREATE FUNCTION @extschema@.on_benefit_months(c @extschema@.candidate, on_date date, months integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN c.benefit_since OPERATOR(pg_catalog.+) pg_catalog.make_interval(months => months)
           OPERATOR(pg_catalog.<=) on_date;
COMMENT ON FUNCTION @extschema@.on_benefit_months(@extschema@.candidate, date, integer) IS
    'benefit_since + months <= the date, in calendar months with end-of-month clamping (domain.md 7.3); NULL when benefit_since is unknown';

-- On WW for more than 6 months on a date (domain.md 4: one way into the target group,
-- and block A3's rule; the months counted as 7.3 says).  The 6 is written only here.
-- It is the guideline's (sections 3 and 7 row 3), like the 24 months of A1 / A2 and the
-- ages of domain.md 4: the rate card has no column for them, so a card cannot change
-- them; one that should needs a column (none added: issue 13).
CREATE FUNCTION @extschema@.on_ww_over_6m(c @extschema@.candidate, on_date date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) 'ww'
       AND @extschema@.on_benefit_months(c, on_date, 6);
COMMENT ON FUNCTION @extschema@.on_ww_over_6m(@extschema@.candidate, date) IS
    'whether a candidate is on WW for more than 6 months on a date: WW in force since at least 6 calendar months (domain.md 4, 7.3); NULL when benefit_since is unknown';

-- Guideline 3: the target group, at the activity's start (domain.md 4).
CREATE FUNCTION @extschema@.in_target_group(c @extschema@.candidate, on_date date) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(@extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) 'participatiewet'
        OR @extschema@.on_ww_over_6m(c, on_date)
        OR @extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) ANY (ARRAY['wia', 'wao', 'wajong'])
        OR @extschema@.registered_on(c, on_date)
        OR c.education OPERATOR(pg_catalog.=) ANY (ARRAY['vso', 'pro', 'mbo1', 'mbo2'])
        OR (@extschema@.age_on(c.birth_date, on_date) OPERATOR(pg_catalog.>=) 50 AND c.job_seeking)
        OR c.statushouder, false);  -- false, not NULL, when e.g. education is NULL
COMMENT ON FUNCTION @extschema@.in_target_group(@extschema@.candidate, date) IS
    'whether a candidate is in the SROI target group of guideline 3 on a date';

-- NULL when the candidate meets the block's rule at start, else the reason it does not.
CREATE FUNCTION @extschema@.eligibility_failure(rule text, c @extschema@.candidate, on_date date)
    RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    on_benefit_24m boolean := @extschema@.on_benefit_months(c, on_date, 24);
    age integer := @extschema@.age_on(c.birth_date, on_date);
    indication_valid boolean := c.indication_until IS NULL OR c.indication_until >= on_date;
    -- the benefit in force at the start, and how to name it (domain.md 7.1)
    benefit text := @extschema@.benefit_on(c, on_date);
    has text := CASE WHEN c.benefit_since > on_date
                     THEN format('%s only since %s, after the start', c.benefit, c.benefit_since)
                     ELSE c.benefit END;
BEGIN
    IF rule IN ('none', 'bonus_56plus', 'bonus_special') THEN
        -- bonuses are a property of the person, whatever the block (checked below)
        RETURN NULL;
    END IF;
    IF NOT @extschema@.in_target_group(c, on_date) THEN
        RETURN 'is not in the target group of guideline 3 at the start'
            || CASE WHEN c.benefit_since > on_date THEN format(' (benefit %s)', has) ELSE '' END;
    END IF;
    IF rule IN ('participatiewet_24m_plus', 'participatiewet_under_24m') THEN
        IF benefit <> 'participatiewet' THEN
            RETURN format('needs a Participatiewet benefit, has %s', has);
        ELSIF c.benefit_since IS NULL THEN
            RETURN 'needs benefit_since to tell 24 months or more (A1) from under 24 months (A2)';
        ELSIF rule = 'participatiewet_24m_plus' AND NOT on_benefit_24m THEN
            RETURN format('is on benefit since %s, under 24 months at the start (block A2 applies)', c.benefit_since);
        ELSIF rule = 'participatiewet_under_24m' AND on_benefit_24m THEN
            RETURN format('is on benefit since %s, 24 months or more at the start (block A1 applies)', c.benefit_since);
        END IF;
    ELSIF rule = 'ww_over_6m' THEN
        IF NOT coalesce(@extschema@.on_ww_over_6m(c, on_date), false) THEN
            RETURN format('needs WW for more than 6 months at the start (benefit_since + 6 months on or before it), has %s since %s',
                          c.benefit, coalesce(c.benefit_since::text, 'an unknown date'));
        END IF;
    ELSIF rule = 'doelgroepregister' THEN
        IF NOT @extschema@.registered_on(c, on_date) OR NOT indication_valid THEN
            RETURN format('needs a doelgroepregister indication valid at the start (doelgroepregister %s, indication_until %s)',
                          @extschema@.registered_on(c, on_date)::text, coalesce(c.indication_until::text, 'NULL'));
        END IF;
    ELSIF rule = 'beschut_werk' THEN
        IF NOT c.beschut_werk OR NOT indication_valid THEN
            RETURN format('needs a beschut werk indication valid at the start (beschut_werk %s, indication_until %s)',
                          c.beschut_werk::text, coalesce(c.indication_until::text, 'NULL'));
        END IF;
    ELSIF rule = 'wia_wao' THEN
        IF benefit NOT IN ('wia', 'wao') THEN
            RETURN format('needs a WIA or WAO benefit, has %s', has);
        END IF;
    ELSIF rule = 'mbo_under_23' THEN
        IF coalesce(c.education, '') NOT IN ('mbo1', 'mbo2') OR age >= 23 THEN
            RETURN format('needs an MBO student under 23 at the start, has education %s at age %s',
                          coalesce(c.education, 'NULL'), age);
        END IF;
    ELSIF rule = 'participatiewet_or_ww' THEN
        IF benefit NOT IN ('participatiewet', 'ww') THEN
            RETURN format('needs a Participatiewet or WW benefit, has %s', has);
        END IF;
    ELSIF rule = 'vso_pro' THEN
        IF coalesce(c.education, '') NOT IN ('vso', 'pro') THEN
            RETURN format('needs a VSO or PRO pupil, has education %s', coalesce(c.education, 'NULL'));
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.eligibility_failure(text, @extschema@.candidate, date) IS
    'NULL when a candidate meets an eligibility rule of domain.md 4 on a date, else why not';

CREATE FUNCTION @extschema@.bonus_failure(bonus text, c @extschema@.candidate, on_date date)
    RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    age integer := @extschema@.age_on(c.birth_date, on_date);
    registered boolean := @extschema@.registered_on(c, on_date);
BEGIN
    IF bonus = 'bonus_56plus'
       AND NOT (age >= 56 AND (@extschema@.benefit_on(c, on_date) = 'participatiewet' OR registered)) THEN
        RETURN format('needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age %s, benefit %s, doelgroepregister %s',
                      age, CASE WHEN c.benefit_since > on_date
                                THEN format('%s only since %s, after the start', c.benefit, c.benefit_since)
                                ELSE c.benefit END, registered::text);
    ELSIF bonus = 'bonus_special' AND NOT c.special_group THEN
        RETURN 'needs a person the SR coordinator recognises as a special group (special_group is false)';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.bonus_failure(text, @extschema@.candidate, date) IS
    'NULL when a candidate qualifies for bonus 12 or 13 on a date, else why not (domain.md 4)';

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
COMMENT ON COLUMN @extschema@.activity.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger activity_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.activity.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger activity_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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

-- The person lock (no double counting, domain.md 4): activity_validate takes it
-- (lock_person) before it counts a person's fte over all contracts, so that two sessions
-- placing one person at once, on any contracts, queue and the second counts the first's
-- placement.  Not the candidate's row: on Citus the candidates are a reference table,
-- where a row lock is a lock on the whole table on every node (Citus's
-- SerializeNonCommutativeWrites: ExclusiveLock on its shard), which the shards of one
-- multi-row INSERT, each on a connection of its own, take against each other (a
-- distributed deadlock).  A person's lock is one of 1024 slots (person_slot, from a
-- hash of the candidate id: the table holds no identifier of a person); the rows are
-- made here, so they exist wherever the table is.
--  - One server: a write of the slot's row (a no-op update), so that a session at
--    REPEATABLE READ or SERIALIZABLE that would judge the fte on a snapshot from before
--    the other committed gets 40001 (a lock only held would not; test/tools/race.sh).
--    Persons of one slot queue together: at most a wait or, at REPEATABLE READ, a 40001
--    to retry.
--  - A Citus shard: sroi.distribute() distributes the table by slot; the trigger takes
--    an advisory lock on the person's full 64-bit key (person_key) on the node that holds
--    the slot's row, by a read routed there (a write from a shard to another node breaks
--    Citus's two-phase commit of a multi-shard INSERT: the worker crashes at COMMIT
--    PREPARED).  Held until that remote read transaction ends, after the worker's
--    commit (person_lock_past_commit).
-- The rows are the slots, not data: pg_dump writes none (WHERE false), CREATE EXTENSION
-- makes them again on a restore.  Only lock_person reads and writes it: no grants.
CREATE TABLE @extschema@.person_lock (
    slot  integer PRIMARY KEY CHECK (slot BETWEEN 0 AND 1023)
);
COMMENT ON TABLE @extschema@.person_lock IS
    'the person lock of the no-double-counting check: 1024 slots, a person''s is person_slot(candidate id) (internal; not dumped)';
COMMENT ON COLUMN @extschema@.person_lock.slot IS 'the slot: person_slot(candidate id), from a hash, not the id';
INSERT INTO @extschema@.person_lock (slot) SELECT pg_catalog.generate_series(0, 1023);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.person_lock', 'WHERE false');
REVOKE ALL ON @extschema@.person_lock FROM PUBLIC;
ALTER TABLE @extschema@.person_lock ENABLE ROW LEVEL SECURITY;  -- and no policy: nobody but the owner

CREATE FUNCTION @extschema@.person_key(candidate_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.hashtextextended(candidate_id, 0);
COMMENT ON FUNCTION @extschema@.person_key(text) IS 'a 64-bit hash of a candidate id: the key of the person lock (internal)';
CREATE FUNCTION @extschema@.person_slot(candidate_id text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (@extschema@.person_key(candidate_id) OPERATOR(pg_catalog.&) 1023)::integer;
COMMENT ON FUNCTION @extschema@.person_slot(text) IS 'the row of person_lock (0 to 1023) that holds a candidate''s lock (internal)';

-- On the node of a person's slot (Citus; lock_person's read routes the call there): the
-- person's advisory lock.  When another backend of this same distributed transaction
-- holds it, that is this transaction placing the person on a contract on another shard
-- through another connection (on another node, or on this one in a parallel statement):
-- waiting would be a distributed deadlock (Citus cancels it after its detection, 2 s),
-- and the fte check here cannot see that other, uncommitted placement, so the placement
-- is refused at once (0A000), nothing stored.  One server never calls it.
CREATE FUNCTION @extschema@.take_person_lock(candidate_id text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key bigint := @extschema@.person_key(candidate_id);
    me record;
BEGIN
    IF pg_try_advisory_xact_lock(key) THEN
        RETURN true;
    END IF;
    -- (both sides as get_all_active_transactions reports them: its initiator differs from
    -- get_current_transaction_id's for the same backend)
    SELECT t.initiator_node_identifier, t.transaction_number, t.transaction_stamp INTO me
      FROM get_all_active_transactions() AS t WHERE t.process_id = pg_backend_pid();
    IF me.transaction_number <> 0 AND EXISTS (
           SELECT 1 FROM pg_locks AS l
             JOIN get_all_active_transactions() AS t ON t.process_id = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
              AND l.classid::bigint = (key >> 32) & 4294967295 AND l.objid::bigint = key & 4294967295
              AND t.initiator_node_identifier = me.initiator_node_identifier
              AND t.transaction_number = me.transaction_number
              AND t.transaction_stamp = me.transaction_stamp) THEN
        RAISE EXCEPTION USING ERRCODE = '0A000',
            MESSAGE = format('candidate %s is placed on contracts on two shards of the Citus cluster in one transaction: the fte check cannot see the other placement before it commits', candidate_id),
            DETAIL = 'No double counting (domain.md 4) counts a person''s fte over all contracts; on a cluster a placement of the same transaction on another shard is not visible to the check until it commits.',
            HINT = 'Commit the placement on the one contract before placing the person on the other.';
    END IF;
    PERFORM pg_advisory_xact_lock(key);
    RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@.take_person_lock(text) IS
    'on a Citus node: the person''s advisory lock; 0A000 at once when this distributed transaction holds it on another connection (internal)';
REVOKE EXECUTE ON FUNCTION @extschema@.take_person_lock(text) FROM PUBLIC;

-- On a Citus shard the slot's lock is, as a rule, a read on another node nested in this
-- node's transaction, which Citus commits (releasing the lock) in this node's PRE_COMMIT
-- when this node commits in one phase, before its own commit makes the placement
-- visible, and which it may run outside a transaction block when this node has no
-- coordinated transaction (an autocommit INSERT): person_lock_past_commit
-- (src/citus_commit.c), called before the read, makes Citus hold it to after the commit.
CREATE FUNCTION @extschema@.person_lock_past_commit() RETURNS void
    AS 'MODULE_PATHNAME', 'person_lock_past_commit' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.person_lock_past_commit() IS
    'on a Citus shard: the person lock taken on another node in this transaction is released after this node''s commit, not before it (internal)';
REVOKE EXECUTE ON FUNCTION @extschema@.person_lock_past_commit() FROM PUBLIC;

-- on_shard: called from a trigger on a Citus shard (see above).  There only at READ
-- COMMITTED: at REPEATABLE READ or SERIALIZABLE a node's snapshot may be from before
-- another session placed the person and committed, and nothing on the cluster would
-- tell (an advisory lock raises no 40001; one server's slot row does): both placements
-- stayed, 1.2 fte (tried, 2026-12-02).  Refused at once (0A000), nothing stored.
CREATE FUNCTION @extschema@.lock_person(candidate_id text, on_shard boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF on_shard THEN
        IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted') THEN
            RAISE EXCEPTION USING ERRCODE = '0A000',
                MESSAGE = format('candidate %s cannot be placed at %s isolation on a Citus cluster: the fte check needs READ COMMITTED there',
                                 candidate_id, upper(current_setting('transaction_isolation'))),
                DETAIL = 'No double counting (domain.md 4) counts a person''s fte over all contracts; on a cluster a snapshot taken before another session placed the person would not see that placement, and nothing would report the conflict.',
                HINT = 'Place the person in a READ COMMITTED transaction (the default).';
        END IF;
        PERFORM @extschema@.person_lock_past_commit();
        PERFORM @extschema@.take_person_lock(candidate_id)
           FROM @extschema@.person_lock AS l WHERE l.slot = @extschema@.person_slot(candidate_id);
    ELSE
        UPDATE @extschema@.person_lock AS l SET slot = l.slot WHERE l.slot = @extschema@.person_slot(candidate_id);
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.lock_person(text, boolean) IS
    'takes the person lock of a candidate until the transaction ends: the slot''s row on one server, an advisory lock on the slot''s node, released after this node commits, on a Citus shard (internal)';
REVOKE EXECUTE ON FUNCTION @extschema@.lock_person(text, boolean) FROM PUBLIC;

-- Activities: the per-unit fields here; the contract term (domain.md 3), the
-- rules of domain.md 4 and no double counting of one person's fte in
-- check_activity_rules (below), which the re-checks of domain.md 7.11 share.
-- SECURITY DEFINER: the validation must see across suppliers: the contract and rate
-- card, a candidate another supplier registered, and (no double counting, domain.md 4)
-- every activity of the person on any contract, taking the person lock (person_lock).  A trigger
-- function cannot be called directly, so this opens nothing else; activity_access
-- (04_tables.sql, fired first) keeps it from judging rows for other suppliers'
-- contracts.
CREATE FUNCTION @extschema@.activity_validate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
    b @extschema@.building_block;
    c @extschema@.candidate;
BEGIN
    k := @extschema@.contract_of(NEW.contract_id);
    NEW.rate_card := k.rate_card;
    SELECT * INTO b FROM @extschema@.building_block WHERE rate_card = k.rate_card AND code = NEW.block;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('23503',
            format('block %L is not on rate card %s of contract %s', NEW.block, k.rate_card, k.id));
    END IF;
    IF b.category = 'bonus' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('block %s is a bonus: claim it with bonus_56plus or bonus_special on a category A activity', b.code));
    END IF;

    -- Dates and the fields of the block's unit.
    PERFORM @extschema@.check_dates('ends_on', NEW.ends_on, 'starts_on', NEW.starts_on);
    PERFORM @extschema@.check_dates('planned_ends_on', NEW.planned_ends_on, 'starts_on', NEW.starts_on);
    -- The quantities of the block's unit are read once, by the C reader of sroi.accrued
    -- below, which every report uses (src/accrual.c): fte required and in (0, 1] with 4
    -- decimals, hours required, above 0 and at most 1000000 with 4 decimals, an
    -- agreement's planned_ends_on or ends_on required.  Here only what C cannot see:
    -- a field the block's unit does not take, and the amount of an invoice or negotiated
    -- block (the reader takes the card's amount for the others, so a NULL there is not
    -- missing).
    IF b.unit <> 'hour' AND NEW.hours IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('hours are only recorded for hour blocks, got %s for block %s', NEW.hours, b.code));
    END IF;
    IF b.unit IN ('invoice', 'negotiated') THEN
        IF NEW.amount IS NULL OR NEW.amount <= 0 OR NEW.amount = 'NaN' THEN
            PERFORM @extschema@.raise_invalid(CASE WHEN NEW.amount IS NULL THEN '23502' ELSE '22003' END,
                format('amount must be greater than 0 for block %s, got %s', b.code, coalesce(NEW.amount::text, 'NULL')));
        END IF;
    ELSIF NEW.amount IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('amount is only recorded for invoice and negotiated blocks, got %s for block %s', NEW.amount, b.code));
    END IF;
    PERFORM @extschema@.accrued(b.unit, coalesce(NEW.amount, b.amount), b.reference_months,
                                CASE b.unit WHEN 'fte_period' THEN NEW.fte WHEN 'hour' THEN NEW.hours END,
                                NEW.starts_on, NEW.ends_on, NEW.starts_on, NEW.planned_ends_on, b.max_months);

    -- The person (domain.md 4).
    IF btrim(NEW.eligibility_override) = '' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('eligibility_override must state the reason for counting the activity anyway, got %L',
                   NEW.eligibility_override));
    END IF;
    IF b.category IN ('A', 'B') AND NEW.candidate_id IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('candidate_id is required for block %s (category %s)', b.code, b.category));
    END IF;
    IF (NEW.bonus_56plus OR NEW.bonus_special) AND b.category <> 'A' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('a bonus can only be claimed on a category A activity, block %s is category %s', b.code, b.category));
    END IF;
    IF NEW.candidate_id IS NOT NULL THEN
        IF b.unit = 'fte_period' AND NEW.status <> 'rejected' THEN
            -- The person lock (person_lock, above): two sessions placing one person at
            -- once queue here; a session at REPEATABLE READ or SERIALIZABLE that would
            -- judge the fte on a snapshot from before the other committed gets 40001.
            PERFORM @extschema@.lock_person(NEW.candidate_id, TG_TABLE_NAME <> 'activity');
        END IF;
        IF TG_TABLE_NAME = 'activity' THEN
            -- One server: the person's facts held until commit (FOR SHARE), so that a
            -- change of the candidate (its re-check, domain.md 7.11) waits for this
            -- placement and sees it.  Not on a Citus shard (activity_102081): a row lock
            -- on the reference table candidate is a lock on the whole table on every node
            -- (see person_lock), which the shards of one INSERT would take against a
            -- candidate entered earlier in the same transaction.
            SELECT * INTO c FROM @extschema@.candidate WHERE id = NEW.candidate_id FOR SHARE;
        ELSE
            SELECT * INTO c FROM @extschema@.candidate WHERE id = NEW.candidate_id;
        END IF;
        IF NOT FOUND THEN
            PERFORM @extschema@.raise_invalid('23503', format('candidate_id %L does not exist', NEW.candidate_id));
        END IF;
    END IF;
    -- ROW(NEW.*): on a Citus shard NEW is of the shard's row type, not sroi.activity
    PERFORM @extschema@.check_activity_rules(ROW(NEW.*)::@extschema@.activity, k, c);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.activity_validate() IS 'validates an activity row against its block, contract and candidate (trigger)';
REVOKE EXECUTE ON FUNCTION @extschema@.activity_validate() FROM PUBLIC;

-- The rules of one activity that depend on its contract and its candidate: the
-- contract term (domain.md 3, 7.8), eligibility at the start (domain.md 4, 7.1-7.3)
-- and no double counting (domain.md 4, 7.4).  One source for activity_validate
-- (a new or changed activity) and for the re-checks when its candidate or its
-- contract's term changes (domain.md 7.11).  changing: NULL when the activity
-- itself is validated; else what changes ('candidate P1', 'contract K1'): each
-- error then names the activity and the way out.  c: the candidate, NULL when none.
CREATE FUNCTION @extschema@.check_activity_rules(a @extschema@.activity, k @extschema@.contract,
                                                 c @extschema@.candidate, changing text DEFAULT NULL)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    card @extschema@.rate_card;
    b @extschema@.building_block;
    failure text;
    msg text;
    -- "contract K1 cannot change: activity 17 would no longer "
    prefix text := CASE WHEN changing IS NOT NULL
                        THEN format('%s cannot change: activity %s would no longer ', changing, a.id) END;
    reject_first text := format('The SR coordinator can reject activity %s first (domain.md 7.11).', a.id);
BEGIN
    SELECT * INTO card FROM @extschema@.rate_card WHERE code = k.rate_card;
    SELECT * INTO b FROM @extschema@.building_block WHERE rate_card = k.rate_card AND code = a.block;

    -- The contract term (domain.md 3); domain.md 7.8: nothing starts after the end.
    IF a.starts_on > k.ends_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            coalesce(prefix || 'fit the contract term: ', '') || format('starts_on %s lies after the end of contract %s (%s)', a.starts_on, k.id, k.ends_on),
            CASE WHEN changing IS NOT NULL THEN reject_first END);
    END IF;
    IF b.unit IN ('fte_period', 'agreement')
       AND a.starts_on < k.starts_on - make_interval(months => card.hire_before_start_months) THEN
        PERFORM @extschema@.raise_invalid('23514',
            coalesce(prefix || 'fit the contract term: ', '') || format('starts_on %s lies more than %s months before the start of contract %s (%s)',
                      a.starts_on, card.hire_before_start_months, k.id, k.starts_on),
            CASE WHEN changing IS NOT NULL THEN reject_first
                 ELSE format('A person hired at most %s months before the contract start counts from the start; earlier hires do not count.',
                             card.hire_before_start_months) END);
    ELSIF b.unit NOT IN ('fte_period', 'agreement') AND a.starts_on < k.starts_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            coalesce(prefix || 'fit the contract term: ', '') || format('starts_on %s lies before the start of contract %s (%s)', a.starts_on, k.id, k.starts_on),
            CASE WHEN changing IS NOT NULL THEN reject_first END);
    END IF;

    IF a.candidate_id IS NULL OR a.status = 'rejected' THEN
        RETURN;  -- a rejected row never counts: the coordinator may reject it even when it no longer fits
    END IF;
    -- The person, judged at the start (domain.md 4, 7.1).
    IF a.eligibility_override IS NULL THEN
        failure := coalesce(@extschema@.eligibility_failure(b.eligibility, c, a.starts_on),
                            CASE WHEN a.bonus_56plus THEN @extschema@.bonus_failure('bonus_56plus', c, a.starts_on) END,
                            CASE WHEN a.bonus_special THEN @extschema@.bonus_failure('bonus_special', c, a.starts_on) END);
        IF failure IS NOT NULL AND changing IS NULL THEN
            PERFORM @extschema@.raise_invalid('23514',
                format('candidate %s is not eligible for block %s%s: %s', c.id, b.code,
                       CASE WHEN a.bonus_56plus OR a.bonus_special THEN ' with its bonus' ELSE '' END, failure),
                'Only the SR coordinator can count it anyway, with a reason in eligibility_override (domain.md 4).');
        ELSIF failure IS NOT NULL THEN
            PERFORM @extschema@.raise_invalid('23514',
                format('%sbe eligible for block %s%s: %s', prefix, b.code,
                       CASE WHEN a.bonus_56plus OR a.bonus_special THEN ' with its bonus' ELSE '' END, failure),
                format('The SR coordinator can reject activity %s or override its eligibility first (domain.md 7.11).', a.id));
        END IF;
    END IF;
    -- No double counting, over the days each activity can earn: its period
    -- clipped to its own contract's term (domain.md 7.4).
    IF b.unit = 'fte_period' THEN
        IF changing IS NULL THEN
            PERFORM @extschema@.check_fte_overlap(a.id, a.candidate_id, a.fte,
                                                  @extschema@.term_span(a.starts_on, a.ends_on, k.starts_on, k.ends_on));
        ELSE
            BEGIN
                PERFORM @extschema@.check_fte_overlap(a.id, a.candidate_id, a.fte,
                                                      @extschema@.term_span(a.starts_on, a.ends_on, k.starts_on, k.ends_on));
            EXCEPTION WHEN check_violation THEN
                -- without the detail: the day and total are for the activity's own checks
                GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
                PERFORM @extschema@.raise_invalid('23514', prefix || 'fit: ' || msg, reject_first);
            END;
        END IF;
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_activity_rules(@extschema@.activity, @extschema@.contract, @extschema@.candidate, text) IS
    'raises 23514 when an activity breaks the contract term, eligibility or no-double-counting rules (domain.md 3, 4, 7); shared by activity_validate and the re-checks of domain.md 7.11 (internal)';
REVOKE EXECUTE ON FUNCTION @extschema@.check_activity_rules(@extschema@.activity, @extschema@.contract, @extschema@.candidate, text) FROM PUBLIC;

-- Which caller the activity is validated for: activity_validate runs as the
-- owner, so the caller's role is noted just before it (trigger activity_20_caller,
-- named to fire between activity_10_access and activity_50_validate), for
-- check_fte_overlap to tell the SR coordinator more than a supplier.
CREATE FUNCTION @extschema@.note_caller() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('sroi.caller_is_coordinator', @extschema@.is_coordinator()::text, true);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.note_caller() IS
    'notes for activity_validate whether the caller is an SR coordinator (trigger, fires just before it)';
CREATE TRIGGER activity_20_caller BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.note_caller();

-- domain.md 7.4: the days in which an activity can earn, for no double counting: its
-- period (ends_on NULL: ongoing) clipped to its own contract's term, the intersection of
-- the two ranges; empty when they do not meet (a placement that ended before the
-- contract began).
CREATE FUNCTION @extschema@.term_span(starts_on date, ends_on date, term_starts_on date, term_ends_on date)
    RETURNS daterange LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.daterange(starts_on, coalesce(ends_on, 'infinity'), '[]')
           OPERATOR(pg_catalog.*) pg_catalog.daterange(term_starts_on, term_ends_on, '[]');
COMMENT ON FUNCTION @extschema@.term_span(date, date, date, date) IS
    'the days an activity can earn for no double counting: its period clipped to its contract''s term, both days included; empty when they do not meet (domain.md 7.4)';

-- No double counting (domain.md 4, 7.4): at no day may one person's fte over all
-- fte_period activities that are not rejected, across all contracts, exceed 1;
-- each activity counts over its term_span, and counted is the new row's (from
-- the caller).  The load is highest on some activity's first day, so only those
-- are tried.  The message names only the new row's own fte and first counted day;
-- the day and the total, which tell about other suppliers' placements, go into the
-- detail for an SR coordinator only.
CREATE FUNCTION @extschema@.check_fte_overlap(activity_id bigint, person text, fte numeric, counted daterange)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    worst record;
    message text;
    hint text := 'One person counts for at most 1 fte at a time, across all contracts (domain.md 4).';
BEGIN
    WITH spans AS (
        SELECT a.fte, t.span
          FROM @extschema@.activity AS a
          JOIN @extschema@.contract AS k ON k.id = a.contract_id
          JOIN @extschema@.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
          CROSS JOIN LATERAL (SELECT @extschema@.term_span(a.starts_on, a.ends_on, k.starts_on, k.ends_on) AS span) AS t
         WHERE a.candidate_id = person AND b.unit = 'fte_period' AND a.status <> 'rejected'
           AND a.id IS DISTINCT FROM activity_id
           AND t.span && counted
        UNION ALL
        SELECT check_fte_overlap.fte, counted
    )
    SELECT day, sum(s.fte) AS load
      INTO worst
      FROM (SELECT DISTINCT greatest(lower(sp.span), lower(counted)) AS day FROM spans AS sp) AS days
      JOIN spans AS s ON s.span @> days.day
     GROUP BY day
     ORDER BY load DESC, day
     LIMIT 1;
    IF worst.load > 1 THEN
        message := format('fte %s of candidate %s from %s would take the person over 1 fte: other activities already count for them in that period',
                          fte, person, lower(counted));
        IF current_setting('sroi.caller_is_coordinator', true) = 'true' THEN
            RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = message, HINT = hint,
                DETAIL = format('On %s their fte would total %s.', worst.day, worst.load);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = message, HINT = hint;
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, daterange) IS
    'raises 23514 when a person''s fte over overlapping fte_period activities, each over its term_span, would exceed 1 on some day of counted, the new row''s span (internal)';
-- Only activity_validate calls it: as a plain function it would tell anyone how
-- much fte another supplier places a person at.
REVOKE EXECUTE ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, daterange) FROM PUBLIC;

CREATE TRIGGER activity_50_validate BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_validate();

-- Who reads and writes activities.  BEFORE triggers run in name order:
-- activity_10_access (04_scope.sql: a contract or candidate the caller cannot see, 42501
-- or 23503 before any validation), activity_40_scope (the scope columns from the
-- contract), then activity_50_validate (above).
CREATE TRIGGER activity_10_access BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_access('activity');
CREATE TRIGGER activity_40_scope BEFORE INSERT OR UPDATE ON @extschema@.activity
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

-- domain.md 7.11 for candidates (the rule: activity_recheck, above).
CREATE TRIGGER candidate_recheck AFTER UPDATE ON @extschema@.candidate
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION @extschema@.activity_recheck('candidate');

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
COMMENT ON COLUMN @extschema@.plan.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.plan.block IS 'building block code on the contract''s rate card';
COMMENT ON COLUMN @extschema@.plan.planned_value IS 'planned value in euros';
COMMENT ON COLUMN @extschema@.plan.version IS 'the plan version the line belongs to (domain.md 6.1); lines entered without one are version 1';
COMMENT ON COLUMN @extschema@.plan.planned_persons IS 'persons the supplier plans to place in the quarter with this block (domain.md 6.4), or null when the line plans euros only';

-- Plans, turnover, reports and phasing.
CREATE FUNCTION @extschema@.contract_fact_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
BEGIN
    k := @extschema@.contract_of(NEW.contract_id);
    -- the table is named by the trigger's argument: on a Citus shard TG_TABLE_NAME is
    -- the shard's name (plan_102040), TG_ARGV reaches the shards unchanged
    IF TG_ARGV[0] = 'plan' THEN
        PERFORM @extschema@.check_amount('planned_value', NEW.planned_value);
        IF NOT EXISTS (SELECT 1 FROM @extschema@.building_block WHERE rate_card = k.rate_card AND code = NEW.block) THEN
            PERFORM @extschema@.raise_invalid('23503',
                format('block %L is not on rate card %s of contract %s', NEW.block, k.rate_card, k.id));
        END IF;
    ELSIF TG_ARGV[0] = 'turnover' THEN
        PERFORM @extschema@.check_amount('amount', NEW.amount);
    ELSIF TG_ARGV[0] = 'quarter_report' THEN
        PERFORM @extschema@.check_day('submitted_on', NEW.submitted_on);
        IF NEW.submitted_on < @extschema@.quarter_start(NEW.quarter) THEN
            PERFORM @extschema@.raise_invalid('23514',
                format('submitted_on %s lies before quarter %s began', NEW.submitted_on, NEW.quarter));
        END IF;
    ELSIF TG_ARGV[0] = 'phasing' THEN
        PERFORM @extschema@.check_day('from_date', NEW.from_date);
        PERFORM @extschema@.check_number('cumulative_share', NEW.cumulative_share, 0, 1, NULL, 'from 0 to 1');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_fact_validate() IS 'validates plan, turnover, quarter_report and phasing rows (trigger)';
CREATE TRIGGER plan_50_validate BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('plan');

-- Who reads and writes plan: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers
-- plan_10_access and plan_40_scope, fired before plan_50_validate (above), row-level security
-- and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('plan', 'edit');

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
COMMENT ON COLUMN @extschema@.turnover.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger turnover_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger turnover_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.turnover.amount IS 'turnover in euros, excl. VAT';

CREATE TRIGGER turnover_50_validate BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('turnover');

-- Who reads and writes turnover: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers
-- turnover_10_access and turnover_40_scope, fired before turnover_50_validate (above), row-level security
-- and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('turnover', 'edit');

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
COMMENT ON COLUMN @extschema@.quarter_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger quarter_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger quarter_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.quarter IS 'the quarter reported on';
COMMENT ON COLUMN @extschema@.quarter_report.submitted_on IS 'date the report was received';
-- the reports of one municipality (a report or page filtered on it reads these, not all)
CREATE INDEX quarter_report_municipality_idx ON @extschema@.quarter_report (municipality);

CREATE TRIGGER quarter_report_50_validate BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('quarter_report');

-- Who reads and writes quarter_report: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own and enter their quarterly reports, dated the day they enter them (no back-dating).  Triggers
-- quarter_report_10_access and quarter_report_40_scope, fired before quarter_report_50_validate (above), row-level security
-- and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('quarter_report', 'edit');
CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today (sroi.today(): no back-dating through the session''s TimeZone)';
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
COMMENT ON COLUMN @extschema@.phasing.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger phasing_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger phasing_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.from_date IS 'the date from which the share is expected';
COMMENT ON COLUMN @extschema@.phasing.cumulative_share IS 'cumulative share of the obligation expected, 0 to 1, non-decreasing over the dates';

CREATE TRIGGER phasing_50_validate BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('phasing');

-- Who reads and writes phasing: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own.  Triggers
-- phasing_10_access and phasing_40_scope, fired before phasing_50_validate (above), row-level security
-- and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('phasing', 'edit');

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
COMMENT ON COLUMN @extschema@.decision.kind IS 'approve, reject, override_eligibility, reset (an activity back to reported, or its override withdrawn), pso_approve, pso_withdraw, exemption, penalty_waiver contract_change (terms, supplier or municipality; the reason lists old -> new), plan_accord, plan_refusal (a Plan van Aanpak version), reporting_frequency (quarterly or monthly from a month), settlement or reopen (domain.md 5, 6)';
COMMENT ON COLUMN @extschema@.decision.activity_id IS 'the activity decided on (approve, reject, override_eligibility, reset)';
COMMENT ON COLUMN @extschema@.decision.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.decision.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger decision_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger decision_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.reason IS 'why';

-- decision: read per scope; written only by the workflow functions and logging
-- triggers, as the owner (no role has INSERT: a trigger a coordinator attaches to a
-- table of its own cannot forge a row); never changed (no UPDATE or DELETE privilege
-- for any role, and decision_append_only).  Its trigger decision_40_scope, row-level
-- security and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('decision', 'read');

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
