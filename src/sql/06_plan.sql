-- sroi install script, part 6a: the Plan van Aanpak and its versions (domain.md 6.1;
-- guideline 6.2 "het Plan van Aanpak SROI ... formeel geaccordeerd", 6.4 "Aanpassing van
-- het Plan van Aanpak ... formeel gedocumenteerd en goedgekeurd").
--
-- A contract's plan has numbered versions (sroi.plan_version); the quarter lines of a
-- version are the rows of sroi.plan with that version.  sroi.propose_plan opens the next
-- version (by the supplier or the contract manager), its lines are entered while it is
-- proposed, then the contract manager or the SR coordinator accords or refuses it
-- (sroi.accord_plan, sroi.refuse_plan), each a logged decision.  An accorded or refused
-- version is never edited again: its lines cannot be inserted, changed or deleted.  The
-- monitoring (planned, deviation, trend) reads only the latest accorded version of each
-- contract (macro accorded_plan, 07_monitoring.sql); an accorded version supersedes the
-- previous accorded one.
--
-- Plan rows entered without a version (decision, domain.md 6.1: "Plan rows entered
-- without a version count as version 1, accorded when entered"): the first line of
-- version 1 of a contract that has no version yet creates version 1 as accorded on the
-- day it is entered, marked entered_directly (no proposal, no decision logged: nobody
-- decided; the login that entered it is proposed_by and decided_by).  Such a version
-- keeps taking, changing and losing lines (so that data entered as in 0.1, by a
-- contract manager or coordinator in several statements, keeps working and keeps its
-- meaning) until a later version is proposed: propose_plan then seals it like a decided
-- version.  Rows of 0.1 became such versions on the upgrade (src/upgrade/0.1--0.2.tables.sql).
--
-- A restore: pg_dump writes the rows of plan_version before those of plan (plan's
-- foreign key plan_version_fkey), and a plain pg_restore re-validates every row.  So a
-- sealed version records the number of lines it was sealed with (plan_version.lines):
-- a line may be added to a sealed version only while it holds fewer (a restore bringing
-- them back); as no line of a sealed version can be deleted, that never happens otherwise.

-- Who steers a contract: an SR coordinator, or a contract manager of the contract's
-- municipality; the login may act as the caller, and neither acts for the contract's
-- supplier.  42501 otherwise, naming only what the caller may read (a contract of
-- another municipality and one that does not exist get the same words); 23503 for a
-- contract that does not exist, to a coordinator.
CREATE FUNCTION @extschema@.check_steerer(caller name, verb text, contract_id text)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
    coordinator boolean := @extschema@.is_coordinator(caller);
BEGIN
    IF caller IS NULL OR NOT pg_has_role(SESSION_USER, caller, 'MEMBER')
       OR NOT (coordinator OR pg_has_role(caller, 'sroi_contract_manager', 'MEMBER')) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('only a contract manager of the contract''s municipality or an SR coordinator can %s: role %s is neither',
                             verb, coalesce(caller::text, 'NULL'));
    END IF;
    SELECT c.municipality, c.supplier INTO k FROM @extschema@.contract AS c WHERE c.id = check_steerer.contract_id;
    IF NOT coordinator AND (NOT FOUND OR NOT k.municipality = ANY (@extschema@.scopes('municipality', caller))) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('contract_id %L is not one of your contracts: role %s cannot %s for it', contract_id, caller, verb),
            HINT = 'sroi.role_scope lists the municipalities your role acts for.';
    END IF;
    IF NOT FOUND THEN
        PERFORM @extschema@.no_such_contract(contract_id);
    END IF;
    IF k.supplier = ANY (@extschema@.scopes('supplier', caller) || @extschema@.scopes('supplier', SESSION_USER)) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s acts for supplier %s and cannot %s for its contract %s', caller, k.supplier, verb, contract_id);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.check_steerer(name, text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.check_steerer(name, text, text) IS
    'raises 42501 unless the caller is an SR coordinator or a contract manager of the contract''s municipality that the login may act as, acting for neither the contract''s supplier; 23503 when the contract does not exist (internal)';

CREATE TABLE @extschema@.plan_version (
    contract_id       text NOT NULL REFERENCES @extschema@.contract (id),
    version           integer NOT NULL CHECK (version >= 1),
    status            text NOT NULL DEFAULT 'proposed',  -- proposed, accorded or refused: plan_version_validate
    proposed_by       text NOT NULL,
    proposed_on       date NOT NULL,
    decided_by        text,
    decided_on        date,
    reason            text,
    entered_directly  boolean NOT NULL DEFAULT false,
    lines             integer CHECK (lines >= 0),
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, version),
    CONSTRAINT plan_version_decided CHECK ((status = 'proposed') = (decided_by IS NULL AND decided_on IS NULL)),
    CONSTRAINT plan_version_direct CHECK (NOT entered_directly OR status = 'accorded')
);
COMMENT ON TABLE @extschema@.plan_version IS
    'versions of the Plan van Aanpak of a contract (domain.md 6.1): proposed, then accorded or refused; the lines of a version are the rows of sroi.plan with its number; written only by sroi.propose_plan, accord_plan and refuse_plan and by the plan''s trigger';
COMMENT ON COLUMN @extschema@.plan_version.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.plan_version.version IS 'the version number, 1, 2, ... per contract';
COMMENT ON COLUMN @extschema@.plan_version.status IS 'proposed, accorded or refused (the view plan_versions shows an accorded version that a later one replaced as superseded)';
COMMENT ON COLUMN @extschema@.plan_version.proposed_by IS 'who proposed it (the name given to sroi.propose_plan; the login for a version entered without a proposal)';
COMMENT ON COLUMN @extschema@.plan_version.proposed_on IS 'the day it was proposed (or its first line entered)';
COMMENT ON COLUMN @extschema@.plan_version.decided_by IS 'who accorded or refused it; NULL while proposed';
COMMENT ON COLUMN @extschema@.plan_version.decided_on IS 'the day it was accorded or refused; NULL while proposed';
COMMENT ON COLUMN @extschema@.plan_version.reason IS 'why (required for a refusal)';
COMMENT ON COLUMN @extschema@.plan_version.entered_directly IS 'true for version 1 entered without sroi.propose_plan: counts as accorded when entered (domain.md 6.1) and takes lines until a later version is proposed';
COMMENT ON COLUMN @extschema@.plan_version.lines IS 'the number of lines the version was sealed with (accorded, refused, or superseded by a proposal while entered directly); NULL while it takes lines';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.plan_version', '');

-- The lines of a plan belong to a version: orders a restore (plan_version first).
ALTER TABLE @extschema@.plan ADD CONSTRAINT plan_version_fkey FOREIGN KEY (contract_id, version)
    REFERENCES @extschema@.plan_version (contract_id, version);

-- Whether a version still takes lines: proposed, or entered directly and not sealed.
CREATE FUNCTION @extschema@.plan_version_open(v @extschema@.plan_version) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN v.status OPERATOR(pg_catalog.=) 'proposed' OR (v.entered_directly AND v.lines IS NULL);
COMMENT ON FUNCTION @extschema@.plan_version_open(@extschema@.plan_version) IS
    'whether a plan version still takes lines: proposed, or entered without a proposal and not yet sealed by a later proposal (internal)';

-- The rows of plan_version are written only by the functions below and the owner (a
-- restore): this keeps them consistent, and a decided version decided.
CREATE FUNCTION @extschema@.plan_version_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'proposed' THEN
            PERFORM @extschema@.raise_invalid('23001',
                format('version %s of the plan of contract %s is %s and cannot be deleted', OLD.version, OLD.contract_id, OLD.status));
        END IF;
        RETURN OLD;
    END IF;
    PERFORM @extschema@.check_one_of('status', NEW.status, ARRAY['proposed', 'accorded', 'refused']);
    PERFORM @extschema@.check_given(NEW.proposed_by, 'proposed_by is required: who proposes the plan');
    PERFORM @extschema@.check_dates('decided_on', NEW.decided_on, 'proposed_on', NEW.proposed_on);
    IF NEW.status <> 'proposed' AND (coalesce(btrim(NEW.decided_by), '') = '' OR NEW.decided_on IS NULL) THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('decided_by and decided_on are required for an %s version, got %s and %s', NEW.status,
                   coalesce(NEW.decided_by, 'NULL'), coalesce(NEW.decided_on::text, 'NULL')));
    END IF;
    IF NEW.status = 'refused' THEN
        PERFORM @extschema@.check_given(NEW.reason,
            format('reason is required to refuse version %s of the plan of contract %s', NEW.version, NEW.contract_id));
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.version IS DISTINCT FROM OLD.version
                             OR NEW.proposed_by IS DISTINCT FROM OLD.proposed_by OR NEW.proposed_on IS DISTINCT FROM OLD.proposed_on
                             OR NEW.entered_directly IS DISTINCT FROM OLD.entered_directly
                             OR (OLD.status <> 'proposed' AND (NEW.status, NEW.decided_by, NEW.decided_on, NEW.reason)
                                                              IS DISTINCT FROM (OLD.status, OLD.decided_by, OLD.decided_on, OLD.reason))
                             OR (OLD.lines IS NOT NULL AND NEW.lines IS DISTINCT FROM OLD.lines)) THEN
        PERFORM @extschema@.raise_invalid('23001',
            format('version %s of the plan of contract %s is %s: it is never edited, only superseded by a new version',
                   OLD.version, OLD.contract_id, OLD.status));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.plan_version_validate() IS
    'validates a plan version and keeps a decided one unchanged and undeleted (trigger)';
CREATE TRIGGER plan_version_50_validate BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.plan_version
    FOR EACH ROW EXECUTE FUNCTION @extschema@.plan_version_validate();

-- The lines of a version change only while it takes lines; the first line of version 1
-- of a contract without versions creates it, entered directly (see the top of this
-- file).  Runs as the owner: no role writes plan_version.  Fires after plan_10_access and
-- plan_50_validate, as plan_60_version (BEFORE triggers run in name order), so the caller may write the row.
CREATE FUNCTION @extschema@.plan_line_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v @extschema@.plan_version;
    hint text := 'A proposed version is never edited, only superseded: sroi.propose_plan opens a new version, to be entered whole and accorded (domain.md 6.1).';
BEGIN
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'plan') OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('plan_line_version fires only for each row of plan, not on %s', TG_TABLE_NAME);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT * INTO v FROM @extschema@.plan_version AS x
         WHERE x.contract_id = OLD.contract_id AND x.version = OLD.version FOR SHARE;
        -- domain.md 6.1: a version is never edited once proposed, only superseded (lines
        -- are added to an open proposal, none changed or taken out); the lines of a version
        -- entered without a proposal stay editable until a proposal seals it, as in 0.1
        IF FOUND AND NOT (v.entered_directly AND @extschema@.plan_version_open(v)) THEN
            PERFORM @extschema@.raise_invalid('23001',
                format('version %s of the plan of contract %s is %s: its lines cannot be %s', v.version, v.contract_id,
                       v.status, CASE WHEN TG_OP = 'DELETE' THEN 'deleted' ELSE 'changed' END), hint);
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.contract_id = OLD.contract_id AND NEW.version = OLD.version THEN
            RETURN NEW;
        END IF;
    END IF;
    SELECT * INTO v FROM @extschema@.plan_version AS x
     WHERE x.contract_id = NEW.contract_id AND x.version = NEW.version FOR SHARE;
    IF NOT FOUND THEN
        IF NEW.version <> 1 OR EXISTS (SELECT 1 FROM @extschema@.plan_version AS x WHERE x.contract_id = NEW.contract_id) THEN
            PERFORM @extschema@.raise_invalid('23503',
                format('version %s of the plan of contract %s does not exist', NEW.version, NEW.contract_id),
                'sroi.propose_plan opens the next version of a contract''s plan.');
        END IF;
        INSERT INTO @extschema@.plan_version AS x (contract_id, version, status, proposed_by, proposed_on,
                                                   decided_by, decided_on, reason, entered_directly)
        VALUES (NEW.contract_id, 1, 'accorded', SESSION_USER, @extschema@.today(), SESSION_USER, @extschema@.today(),
                'entered without a proposal: counts as accorded when entered (domain.md 6.1)', true)
        ON CONFLICT DO NOTHING;
        SELECT * INTO v FROM @extschema@.plan_version AS x
         WHERE x.contract_id = NEW.contract_id AND x.version = 1 FOR SHARE;
    END IF;
    IF NOT @extschema@.plan_version_open(v) THEN
        -- a restore brings back the lines of a sealed version, as many as it was sealed with
        IF TG_OP = 'INSERT' AND v.lines > (SELECT count(*) FROM @extschema@.plan AS p
                                            WHERE p.contract_id = v.contract_id AND p.version = v.version) THEN
            RETURN NEW;
        END IF;
        PERFORM @extschema@.raise_invalid('23001',
            format('version %s of the plan of contract %s is %s: no line can be added to it', v.version, v.contract_id, v.status),
            hint);
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.plan_line_version() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.plan_line_version() IS
    'refuses a change to the lines of a proposed version (lines are only added while it is open) or any line of an accorded or refused one (23001), and lines of a version that does not exist (23503); the first line of version 1 of a contract without versions creates it, accorded as entered (trigger, domain.md 6.1)';
CREATE TRIGGER plan_60_version BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.plan_line_version();

-- propose_plan: the next version, for a caller that supplies, manages or coordinates the
-- contract.  Only one version is open for proposal at a time; a version entered
-- directly is sealed by it.
CREATE FUNCTION @extschema@.open_plan_version(contract_id text, proposed_by text, caller name)
    RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
    open_version @extschema@.plan_version;
    next_version integer;
BEGIN
    SELECT * INTO k FROM @extschema@.contract AS c WHERE c.id = open_plan_version.contract_id FOR NO KEY UPDATE;
    IF caller IS NULL OR NOT pg_has_role(SESSION_USER, caller, 'MEMBER')
       OR NOT (@extschema@.is_coordinator(caller)
               OR (k.id IS NOT NULL AND pg_has_role(caller, 'sroi_contract_manager', 'MEMBER')
                   AND k.municipality = ANY (@extschema@.scopes('municipality', caller)))
               OR (k.id IS NOT NULL AND pg_has_role(caller, 'sroi_supplier', 'MEMBER')
                   AND k.supplier = ANY (@extschema@.scopes('supplier', caller)))) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('contract_id %L is not one of your contracts: role %s cannot propose a plan for it',
                             contract_id, coalesce(caller::text, 'NULL')),
            HINT = 'The supplier of a contract, a contract manager of its municipality or an SR coordinator proposes its plan.';
    END IF;
    PERFORM @extschema@.check_given(proposed_by, 'proposed_by is required: who proposes the plan');
    IF k.id IS NULL THEN
        PERFORM @extschema@.no_such_contract(contract_id);
    END IF;
    SELECT * INTO open_version FROM @extschema@.plan_version AS v
     WHERE v.contract_id = k.id AND v.status = 'proposed' ORDER BY v.version LIMIT 1;
    IF FOUND THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('version %s of the plan of contract %s is still proposed: it is accorded or refused before another is proposed',
                   open_version.version, k.id));
    END IF;
    SELECT coalesce(max(v.version), 0) + 1 INTO next_version FROM @extschema@.plan_version AS v WHERE v.contract_id = k.id;
    UPDATE @extschema@.plan_version AS v
       SET lines = (SELECT count(*) FROM @extschema@.plan AS p WHERE p.contract_id = v.contract_id AND p.version = v.version)
     WHERE v.contract_id = k.id AND v.entered_directly AND v.lines IS NULL;
    INSERT INTO @extschema@.plan_version (contract_id, version, status, proposed_by, proposed_on)
    VALUES (k.id, next_version, 'proposed', proposed_by, @extschema@.today());
    RETURN next_version;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.open_plan_version(text, text, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.open_plan_version(text, text, name)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
COMMENT ON FUNCTION @extschema@.open_plan_version(text, text, name) IS
    'opens the next version of a contract''s plan as the owner, for a caller that supplies, manages or coordinates the contract (internal: sroi.propose_plan)';

CREATE FUNCTION @extschema@.propose_plan(contract_id text, proposed_by text) RETURNS integer
    LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.open_plan_version(contract_id, proposed_by, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.propose_plan(text, text) IS
    'opens the next version of a contract''s Plan van Aanpak, proposed (by its supplier or contract manager, or the SR coordinator); returns its number: enter its quarter lines in sroi.plan with that version, then it is accorded or refused (domain.md 6.1)';

-- accord_plan and refuse_plan: a decision on the proposed version, logged.
CREATE FUNCTION @extschema@.decide_plan(contract_id text, version integer, decided_by text, reason text,
                                        accord boolean, caller name)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE WHEN accord THEN 'accord' ELSE 'refuse' END;
    v @extschema@.plan_version;
    line_count integer;
BEGIN
    PERFORM @extschema@.check_steerer(caller, verb || ' a plan', contract_id);
    PERFORM @extschema@.check_decided_by(decided_by);
    IF NOT accord THEN
        PERFORM @extschema@.check_given(reason,
            format('reason is required to refuse version %s of the plan of contract %s', version, contract_id));
    END IF;
    SELECT * INTO v FROM @extschema@.plan_version AS x
     WHERE x.contract_id = decide_plan.contract_id AND x.version = decide_plan.version FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('23503',
            format('version %s of the plan of contract %s does not exist', coalesce(version::text, 'NULL'), contract_id));
    END IF;
    IF v.status <> 'proposed' THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('version %s of the plan of contract %s is %s, not proposed: only a proposed version can be %s',
                   v.version, v.contract_id, v.status, CASE WHEN accord THEN 'accorded' ELSE 'refused' END));
    END IF;
    SELECT count(*) INTO line_count FROM @extschema@.plan AS p WHERE p.contract_id = v.contract_id AND p.version = v.version;
    IF accord AND line_count = 0 THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('version %s of the plan of contract %s has no lines: it is accorded with all its quarter lines in sroi.plan',
                   v.version, v.contract_id));
    END IF;
    UPDATE @extschema@.plan_version AS x
       SET status = CASE WHEN accord THEN 'accorded' ELSE 'refused' END, decided_by = decide_plan.decided_by,
           decided_on = @extschema@.today(), reason = NULLIF(btrim(decide_plan.reason), ''), lines = line_count
     WHERE x.contract_id = v.contract_id AND x.version = v.version;
    PERFORM @extschema@.log_decision(CASE WHEN accord THEN 'plan_accord' ELSE 'plan_refusal' END, v.contract_id, NULL,
                                     format('plan version %s%s', v.version, ': ' || NULLIF(btrim(reason), '')),
                                     decided_by);
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.decide_plan(text, integer, text, text, boolean, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.decide_plan(text, integer, text, text, boolean, name)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
COMMENT ON FUNCTION @extschema@.decide_plan(text, integer, text, text, boolean, name) IS
    'accords or refuses a proposed plan version as the owner and logs who and why, for a caller that steers the contract (internal: sroi.accord_plan, sroi.refuse_plan)';

CREATE FUNCTION @extschema@.accord_plan(contract_id text, version integer, decided_by text, reason text DEFAULT NULL)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_plan(contract_id, version, decided_by, reason, true, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.accord_plan(text, integer, text, text) IS
    'the contract manager or SR coordinator accords a proposed version of a contract''s Plan van Aanpak: from now on the monitoring plans by it (guideline 6.2, domain.md 6.1); logged as plan_accord';

CREATE FUNCTION @extschema@.refuse_plan(contract_id text, version integer, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_plan(contract_id, version, decided_by, reason, false, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.refuse_plan(text, integer, text, text) IS
    'the contract manager or SR coordinator refuses a proposed version of a contract''s Plan van Aanpak, with a reason (domain.md 6.1); logged as plan_refusal';

-- The latest accorded version of each contract: the one the monitoring plans by.
-- @macro accorded_plan
(SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
-- @end

CREATE VIEW @extschema@.plan_versions WITH (security_barrier) AS
SELECT v.contract_id, k.municipality, v.version,
       CASE WHEN v.status = 'accorded' AND v.version < cur.version THEN 'superseded' ELSE v.status END AS status,
       v.proposed_by, v.proposed_on, v.decided_by, v.decided_on, v.reason,
       coalesce(t.planned_total, 0.00)::numeric(15,2) AS planned_total,
       k.supplier, v.entered_directly, coalesce(t.lines, 0)::integer AS lines
  FROM @extschema@.plan_version AS v
  JOIN @extschema@.contract AS k ON k.id = v.contract_id
  LEFT JOIN @accorded_plan@ AS cur ON cur.contract_id = v.contract_id
  LEFT JOIN (SELECT p.contract_id, p.version, sum(p.planned_value) AS planned_total, count(*) AS lines
               FROM @extschema@.plan AS p
              GROUP BY p.contract_id, p.version) AS t ON t.contract_id = v.contract_id AND t.version = v.version
 ORDER BY 1, 3;
COMMENT ON VIEW @extschema@.plan_versions IS
    'the versions of every contract''s Plan van Aanpak with their status and planned total (domain.md 6.1); the monitoring plans by the accorded one (no personal data)';
COMMENT ON COLUMN @extschema@.plan_versions.contract_id IS 'contract number';
COMMENT ON COLUMN @extschema@.plan_versions.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.plan_versions.version IS 'version number, 1, 2, ... per contract';
COMMENT ON COLUMN @extschema@.plan_versions.status IS 'proposed (awaiting a decision), accorded (the plan the monitoring uses), refused, or superseded (accorded, replaced by a later accorded version)';
COMMENT ON COLUMN @extschema@.plan_versions.proposed_by IS 'who proposed it';
COMMENT ON COLUMN @extschema@.plan_versions.proposed_on IS 'the day it was proposed (or, entered without a proposal, its first line entered)';
COMMENT ON COLUMN @extschema@.plan_versions.decided_by IS 'who accorded or refused it; NULL while proposed';
COMMENT ON COLUMN @extschema@.plan_versions.decided_on IS 'the day it was accorded or refused; NULL while proposed';
COMMENT ON COLUMN @extschema@.plan_versions.reason IS 'why it was accorded or refused';
COMMENT ON COLUMN @extschema@.plan_versions.planned_total IS 'sum of the planned value of its lines, euros';
COMMENT ON COLUMN @extschema@.plan_versions.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.plan_versions.entered_directly IS 'true for version 1 entered without a proposal: counts as accorded when entered';
COMMENT ON COLUMN @extschema@.plan_versions.lines IS 'number of its quarter lines';
GRANT SELECT ON @extschema@.plan_versions TO sroi_reader, sroi_coordinator, sroi_contract_manager;

-- Row-level security and privileges: plan_version is read per scope and written only by
-- the functions above; a supplier enters, corrects and deletes the lines of a proposed
-- version of its own contracts (the managers' and coordinators' policies on sroi.plan
-- are in 04_tables.sql).
-- the scope columns from the contract, row-level security and privileges:
-- secure_contract_table (04_scope.sql)
COMMENT ON COLUMN @extschema@.plan_version.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_version_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan_version.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_version_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
SELECT @extschema@.secure_contract_table('plan_version', 'read');

-- Whether a version of a contract's plan is proposed (open for its lines), as the caller
-- sees plan_version.  A function, not a subquery in the policies below: Citus refuses
-- subqueries in the policies of distributed tables.
CREATE FUNCTION @extschema@.plan_version_proposed(contract_id text, version integer) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM @extschema@.plan_version AS v
                    WHERE v.contract_id = plan_version_proposed.contract_id AND v.version = plan_version_proposed.version
                      AND v.status = 'proposed');
END
$$;
COMMENT ON FUNCTION @extschema@.plan_version_proposed(text, integer) IS
    'whether a version of a contract''s plan is proposed, as the caller sees plan_version (for the policies of plan; internal)';
CREATE POLICY supplier_insert ON @extschema@.plan FOR INSERT TO sroi_supplier
    WITH CHECK (@of_supplied_contract@
                AND @extschema@.plan_version_proposed(contract_id, version));
COMMENT ON POLICY supplier_insert ON @extschema@.plan IS 'suppliers enter the lines of a proposed version of the plan of their own contracts';
CREATE POLICY supplier_update ON @extschema@.plan FOR UPDATE TO sroi_supplier
    USING (@of_supplied_contract@
           AND @extschema@.plan_version_proposed(contract_id, version))
    WITH CHECK (@of_supplied_contract@
                AND @extschema@.plan_version_proposed(contract_id, version));
COMMENT ON POLICY supplier_update ON @extschema@.plan IS 'suppliers correct the lines of a proposed version of the plan of their own contracts';
CREATE POLICY supplier_delete ON @extschema@.plan FOR DELETE TO sroi_supplier
    USING (@of_supplied_contract@
           AND @extschema@.plan_version_proposed(contract_id, version));
COMMENT ON POLICY supplier_delete ON @extschema@.plan IS 'suppliers delete lines of a proposed version of the plan of their own contracts';
GRANT INSERT (contract_id, quarter, block, planned_value, version, planned_persons),
      UPDATE (contract_id, quarter, block, planned_value, version, planned_persons), DELETE
    ON @extschema@.plan TO sroi_supplier;
