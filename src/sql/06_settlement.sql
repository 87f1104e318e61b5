-- sroi install script, part 6a: settling a contract (domain.md 6.5; guideline 5.3
-- "boeteclausule", 6.7 "Eindevaluatie") and the freeze of a settled contract.
--
-- Once a contract has ended and the report for its last quarter is due or submitted,
-- the SR coordinator settles it (sroi.settle): the final figures as of the contract's
-- end date are recorded in sroi.settlement (from sroi.compliance_for, the same query
-- as contract_compliance: one source per rule) with an evaluation text, and the
-- settlement is logged as a decision.  A settled contract is frozen: its activities,
-- plan, turnover, phasing, quarterly reports and its own terms refuse every INSERT,
-- UPDATE and DELETE (class 23, naming the settlement date) until the coordinator
-- reopens it (sroi.reopen, with a reason, logged), which removes the settlement.
--
-- The freeze is one rule, sroi.check_not_settled(contract_id, action), called by one
-- trigger function, sroi.refuse_if_settled(), attached to each frozen table as its
-- trigger TABLE_30_frozen.  BEFORE triggers fire in name order, which their names say:
-- TABLE_10_access (04_scope.sql: a row of a contract the caller may not see is refused
-- first, saying nothing about it), TABLE_20_caller, TABLE_30_frozen, TABLE_40_scope,
-- TABLE_50_validate; on contract: contract_30_frozen, contract_35_guard,
-- contract_50_validate.  A new table of a contract's data gets the same trigger:
-- CREATE TRIGGER t_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON t FOR EACH ROW
-- EXECUTE FUNCTION sroi.refuse_if_settled() (the contract key column is named as the
-- trigger's argument when it is not contract_id).
--
-- Restore: pg_dump writes the rows of the extension's tables in an order the foreign
-- keys allow, by name otherwise, so a settlement row may come back before its
-- contract's turnover (or, in a parallel pg_restore, before anything but its contract).
-- pg_restore and the SQL pg_dump writes run SET row_security = off; a superuser session
-- with row_security off is let through the freeze (sroi.restoring()).  Nothing is opened
-- by it: a superuser can disable the triggers anyway, and for any other role
-- row_security = off makes every write into these tables fail (they have policies).

CREATE TABLE @extschema@.settlement (
    contract_id     text PRIMARY KEY REFERENCES @extschema@.contract (id),
    settled_on      date NOT NULL,
    settled_by      text NOT NULL,
    evaluation      text NOT NULL,
    obligation      numeric(15,2) NOT NULL,
    realised        numeric(15,2) NOT NULL,
    realised_a      numeric(15,2) NOT NULL,
    realised_b      numeric(15,2) NOT NULL,
    realised_c      numeric(15,2) NOT NULL,
    realised_bonus  numeric(15,2) NOT NULL,
    pending         numeric(15,2) NOT NULL,
    gap             numeric(15,2) NOT NULL,
    penalty_due     numeric(15,2) NOT NULL,
    penalty_waived  boolean NOT NULL,
    persons         integer NOT NULL,
    municipality    text,
    supplier        text
);
COMMENT ON TABLE @extschema@.settlement IS
    'settled contracts (domain.md 6.5; guideline 5.3, 6.7): the final figures as of the contract''s end date and the final evaluation, one row per contract; written only by sroi.settle, removed by sroi.reopen; a contract with a row here is frozen';
COMMENT ON COLUMN @extschema@.settlement.contract_id IS 'the contract settled';
COMMENT ON COLUMN @extschema@.settlement.settled_on IS 'the day it was settled (sroi.today()); from then on its data cannot change until it is reopened';
COMMENT ON COLUMN @extschema@.settlement.settled_by IS 'who settled it: the SR coordinator named to sroi.settle (the login is in the decision log)';
COMMENT ON COLUMN @extschema@.settlement.evaluation IS 'the final evaluation (eindevaluatie, guideline 6.7): results, experiences, lessons';
COMMENT ON COLUMN @extschema@.settlement.obligation IS 'the obligation after the PSO discount as of the end date, euros';
COMMENT ON COLUMN @extschema@.settlement.realised IS 'value realised by the end date, euros: realised_a + realised_b + realised_c + realised_bonus';
COMMENT ON COLUMN @extschema@.settlement.realised_a IS 'realised in category A (employment) by the end date, euros';
COMMENT ON COLUMN @extschema@.settlement.realised_b IS 'realised in category B (learning, work experience) by the end date, euros';
COMMENT ON COLUMN @extschema@.settlement.realised_c IS 'realised in category C (other social activity) by the end date, euros';
COMMENT ON COLUMN @extschema@.settlement.realised_bonus IS 'realised in bonuses 12 and 13 by the end date, euros';
COMMENT ON COLUMN @extschema@.settlement.pending IS 'value still awaiting the coordinator''s approval when settled, euros; not in realised';
COMMENT ON COLUMN @extschema@.settlement.gap IS 'obligation not realised by the end date, never below 0, euros';
COMMENT ON COLUMN @extschema@.settlement.penalty_due IS 'the penalty: the penalty exposure at the end date (gap x penalty percentage), 0 when the penalty is waived, euros';
COMMENT ON COLUMN @extschema@.settlement.penalty_waived IS 'the penalty was waived (sroi.waive_penalty) when the contract was settled';
COMMENT ON COLUMN @extschema@.settlement.persons IS 'distinct persons with counted value by the end date';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.settlement', '');

-- Rows arrive only from sroi.settle (or a restore, or the owner): they must be what
-- settle would have written; a settlement never changes (reopen and settle again).
CREATE FUNCTION @extschema@.settlement_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ends date;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM @extschema@.raise_invalid('23001',
            format('the settlement of contract %s (settled on %s) cannot change', OLD.contract_id, OLD.settled_on),
            'The SR coordinator reopens the contract (sroi.reopen) and settles it again.');
    END IF;
    ends := (@extschema@.contract_of(NEW.contract_id)).ends_on;
    PERFORM @extschema@.check_day('settled_on', NEW.settled_on);
    IF NEW.settled_on <= ends THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('settled_on must lie after the end of contract %s (%s), got %s', NEW.contract_id, ends, NEW.settled_on));
    END IF;
    PERFORM @extschema@.check_given(NEW.settled_by, 'settled_by is required: who settled the contract');
    PERFORM @extschema@.check_given(NEW.evaluation,
        format('evaluation is required to settle contract %s: the final evaluation (guideline 6.7)', NEW.contract_id));
    PERFORM @extschema@.check_number(f.field, f.value, 0, NULL, 2, 'at least 0')
       FROM (VALUES ('obligation', NEW.obligation), ('realised_a', NEW.realised_a), ('realised_b', NEW.realised_b),
                    ('realised_c', NEW.realised_c), ('realised_bonus', NEW.realised_bonus),
                    ('pending', NEW.pending), ('penalty_due', NEW.penalty_due)) AS f (field, value);
    IF NEW.persons < 0 THEN
        PERFORM @extschema@.raise_invalid('22003', format('persons must be at least 0, got %s', NEW.persons));
    END IF;
    IF NEW.realised <> NEW.realised_a + NEW.realised_b + NEW.realised_c + NEW.realised_bonus THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('realised must be realised_a + realised_b + realised_c + realised_bonus = %s, got %s',
                   NEW.realised_a + NEW.realised_b + NEW.realised_c + NEW.realised_bonus, NEW.realised));
    END IF;
    IF NEW.gap <> @extschema@.obligation_gap(NEW.obligation, NEW.realised) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('gap must be max(0, obligation - realised) = %s, got %s',
                   @extschema@.obligation_gap(NEW.obligation, NEW.realised), NEW.gap));
    END IF;
    IF NEW.penalty_due > NEW.gap OR (NEW.penalty_waived AND NEW.penalty_due <> 0) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('penalty_due must be at most the gap %s, and 0 when the penalty is waived (penalty_waived %s), got %s',
                   NEW.gap, NEW.penalty_waived::text, NEW.penalty_due));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.settlement_validate() IS
    'validates a settlement row (after the contract''s end, evaluation and settled_by given, figures consistent) and refuses changing one (trigger)';
CREATE TRIGGER settlement_50_validate BEFORE INSERT OR UPDATE ON @extschema@.settlement
    FOR EACH ROW EXECUTE FUNCTION @extschema@.settlement_validate();

-- ---------------------------------------------------------------------------
-- The freeze.
-- ---------------------------------------------------------------------------
-- A restore is running: the session's login is a superuser and row_security is off,
-- as pg_restore and the SQL that pg_dump writes set it (see the top of this file).
CREATE FUNCTION @extschema@.restoring() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.current_setting('row_security') OPERATOR(pg_catalog.=) 'off'
       AND EXISTS (SELECT FROM pg_catalog.pg_roles AS r
                    WHERE r.rolname OPERATOR(pg_catalog.=) SESSION_USER AND r.rolsuper);
END;
COMMENT ON FUNCTION @extschema@.restoring() IS
    'whether the session restores a dump: a superuser login with row_security off (as pg_restore and pg_dump''s SQL set it); the freeze of settled contracts lets it through (internal)';

-- The freeze rule: refuses (23001, naming the settlement date) when the contract is
-- settled.  action says what was refused, e.g. 'INSERT on activity'.  It first takes
-- the contract's row FOR KEY SHARE (as the foreign keys of the writes do anyway): a
-- settle or reopen running at the same time holds it FOR UPDATE, so the check waits for
-- it and then, in a statement of its own (READ COMMITTED), sees its outcome; and settle
-- waits for the writes in progress, whose rows its figures then include.
CREATE FUNCTION @extschema@.check_not_settled(contract_id text, action text DEFAULT NULL)
    RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    settled date;
BEGIN
    PERFORM FROM @extschema@.contract AS k WHERE k.id = check_not_settled.contract_id FOR KEY SHARE;
    SELECT s.settled_on INTO settled FROM @extschema@.settlement AS s WHERE s.contract_id = check_not_settled.contract_id;
    IF FOUND AND NOT @extschema@.restoring() THEN
        PERFORM @extschema@.raise_invalid('23001',
            format('contract %s was settled on %s and is frozen: %s is refused until the SR coordinator reopens it',
                   contract_id, settled, coalesce(action, 'a change to its data')),
            'The SR coordinator reopens a settled contract with a reason (sroi.reopen), then settles it again (domain.md 6.5).');
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.check_not_settled(text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.check_not_settled(text, text) IS
    'raises 23001 naming the settlement date when the contract is settled (frozen until reopened, domain.md 6.5); the one freeze rule every frozen table''s trigger calls (internal)';

-- The trigger TABLE_frozen of each frozen table: the contract of the old row (UPDATE,
-- DELETE) and of the new one (INSERT, UPDATE: a row moved into or out of a settled
-- contract) must not be settled.  TG_ARGV[0]: the column holding the contract's id,
-- contract_id unless given.  Runs as the owner, so that it sees every settlement
-- whatever the caller's row-level security (TABLE_access has refused rows of contracts
-- the caller cannot see before it, so the message tells nothing new).
CREATE FUNCTION @extschema@.refuse_if_settled() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key text := coalesce(TG_ARGV[0], 'contract_id');
    -- the table, also on a Citus shard (activity_102040: the shard of activity)
    table_name text := pg_catalog.regexp_replace(TG_TABLE_NAME, '_[0-9]+$', '');
    old_id text;
    new_id text;
BEGIN
    IF TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' OR TG_TABLE_SCHEMA <> '@extschema@' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('refuse_if_settled fires only BEFORE each row of a table of sroi, not on %s', TG_TABLE_NAME);
    END IF;
    IF key = 'contract_id' THEN  -- the usual case, without a detour through jsonb
        IF TG_OP <> 'INSERT' THEN old_id := OLD.contract_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := NEW.contract_id; END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_id := to_jsonb(OLD) ->> key; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := to_jsonb(NEW) ->> key; END IF;
    END IF;
    IF old_id IS NOT NULL THEN
        PERFORM @extschema@.check_not_settled(old_id, format('%s on %s', TG_OP, table_name));
    END IF;
    IF new_id IS DISTINCT FROM old_id AND new_id IS NOT NULL THEN
        PERFORM @extschema@.check_not_settled(new_id, format('%s on %s', TG_OP, table_name));
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.refuse_if_settled() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.refuse_if_settled() IS
    'refuses inserting, changing or deleting a row of a settled contract (trigger TABLE_frozen; argument: the contract key column, default contract_id; domain.md 6.5)';

CREATE TRIGGER contract_30_frozen BEFORE UPDATE OR DELETE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled('id');
CREATE TRIGGER activity_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
CREATE TRIGGER plan_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
CREATE TRIGGER turnover_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
CREATE TRIGGER phasing_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
CREATE TRIGGER quarter_report_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
-- the plan's versions (06_plan.sql): no proposal, accord or refusal on a settled contract
CREATE TRIGGER plan_version_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.plan_version
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();
-- (the monthly reports of 06_steering.sql, created after this file, have theirs there)

-- ---------------------------------------------------------------------------
-- Settling and reopening.
-- ---------------------------------------------------------------------------
-- The first day a contract can be settled: sroi.settlement_possible_from, beside the
-- reports it waits for (08_settlements.sql: it reads the reporting periods of
-- 07_monitoring.sql).

-- Settles or reopens as the owner, for a caller that may decide (check_decider).
CREATE FUNCTION @extschema@.decide_settlement(contract_id text, decided_by text, reason text, settle boolean, caller name)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE WHEN settle THEN 'settle' ELSE 'reopen' END;
    k @extschema@.contract;
    possible date;
    last_quarter @extschema@.quarter;
    last_report record;
    which text;
    today date := @extschema@.today();
    f record;
    s @extschema@.settlement;
BEGIN
    -- who may decide first: a non-coordinator learns nothing, not even whether the contract exists
    PERFORM @extschema@.check_decider(caller, verb, 'a contract', format('its contract %s', contract_id), contract_id);
    PERFORM @extschema@.check_decided_by(decided_by);
    PERFORM @extschema@.check_given(reason,
        CASE WHEN settle THEN format('evaluation is required to settle contract %s: the final evaluation (guideline 6.7)', contract_id)
             ELSE format('reason is required to reopen contract %s', contract_id) END);
    SELECT * INTO k FROM @extschema@.contract AS c WHERE c.id = decide_settlement.contract_id FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@.no_such_contract(contract_id);
    END IF;
    -- the settlement row, locked: two sessions settling or reopening at once queue here
    SELECT * INTO s FROM @extschema@.settlement AS x WHERE x.contract_id = k.id FOR UPDATE;

    IF NOT settle THEN
        IF s.contract_id IS NULL THEN
            PERFORM @extschema@.raise_invalid('23503', format('contract %s is not settled: there is nothing to reopen', k.id));
        END IF;
        DELETE FROM @extschema@.settlement AS x WHERE x.contract_id = k.id;
        PERFORM @extschema@.log_decision('reopen', k.id, NULL,
                                         format('settlement of %s removed: %s', s.settled_on, reason), decided_by);
        RETURN;
    END IF;

    IF s.contract_id IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23505',
            format('contract %s was settled on %s already', k.id, s.settled_on),
            'The SR coordinator reopens it first (sroi.reopen) to settle it again.');
    END IF;
    possible := @extschema@.settlement_possible_from(k.id);
    IF today < possible THEN
        -- the report that sets the date: of those the settlement waits for, the one due
        -- (or submitted) last
        SELECT r.* INTO last_report FROM @extschema@.settlement_reports(k.id) AS r
         ORDER BY LEAST(r.due_on, r.submitted_on) DESC, r.period_start DESC LIMIT 1;
        last_quarter := @extschema@.quarter(k.ends_on);
        which := CASE WHEN last_report.frequency = 'monthly'
                      THEN format('the monthly report for %s of its last quarter %s', to_char(last_report.period_start, 'YYYY-MM'), last_quarter)
                      ELSE format('the report for its last quarter %s', last_quarter) END;
        PERFORM @extschema@.raise_invalid('23514',
            format('contract %s can be settled from %s, not on %s: %s', k.id, possible, today,
                   CASE WHEN today <= k.ends_on
                        THEN format('its term ends on %s and %s is due on %s', k.ends_on, which, last_report.due_on)
                        ELSE format('%s is due on %s and was not submitted%s', which, last_report.due_on,
                                    CASE WHEN last_report.submitted_on IS NOT NULL
                                         THEN format(' before %s', last_report.submitted_on) ELSE '' END) END),
            'A contract is settled once it has ended and the report for its last quarter (under monthly reporting, its last month) is due or submitted (domain.md 6.5).');
    END IF;

    -- The final figures: contract_compliance as of the end date (one source per rule),
    -- as the coordinator sees them (no category suppressed).
    SELECT c.obligation, c.realised, c.realised_a, c.realised_b, c.realised_c, c.realised_bonus, c.pending,
           c.gap, c.penalty_exposure, c.persons
      INTO f
      FROM @extschema@.compliance_for(k.ends_on, caller) AS c
     WHERE c.contract_id = k.id;
    INSERT INTO @extschema@.settlement (contract_id, settled_on, settled_by, evaluation, obligation, realised,
                                        realised_a, realised_b, realised_c, realised_bonus, pending, gap,
                                        penalty_due, penalty_waived, persons)
    VALUES (k.id, today, decided_by, reason, f.obligation, f.realised, f.realised_a, f.realised_b, f.realised_c,
            f.realised_bonus, f.pending, f.gap, f.penalty_exposure, k.penalty_waived_reason IS NOT NULL, f.persons);
    PERFORM @extschema@.log_decision('settlement', k.id, NULL,
                                     format('obligation %s, realised %s, gap %s, penalty due %s%s; evaluation: %s',
                                            f.obligation, f.realised, f.gap, f.penalty_exposure,
                                            CASE WHEN k.penalty_waived_reason IS NOT NULL THEN ' (waived)' ELSE '' END,
                                            reason),
                                     decided_by);
END
$$;
COMMENT ON FUNCTION @extschema@.decide_settlement(text, text, text, boolean, name) IS
    'settles a contract (its figures as of the end date) or reopens it as the owner and logs who and why, for a caller that may decide (internal)';

CREATE FUNCTION @extschema@.settle(contract_id text, decided_by text, evaluation text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_settlement(contract_id, decided_by, evaluation, true, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.settle(text, text, text) IS
    'the SR coordinator settles an ended contract whose last report is due or submitted: its final figures as of the end date and the evaluation are recorded (sroi.settlement), the contract is frozen; logged as decision settlement (domain.md 6.5)';

CREATE FUNCTION @extschema@.reopen(contract_id text, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_settlement(contract_id, decided_by, reason, false, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.reopen(text, text, text) IS
    'the SR coordinator reopens a settled contract with a reason: the settlement is removed and its data can change again; logged as decision reopen (domain.md 6.5)';

-- ---------------------------------------------------------------------------
-- Who reads the settlements: like the decisions, per scope; no role writes them
-- but sroi.settle and sroi.reopen (as the owner).
-- ---------------------------------------------------------------------------
-- the scope columns from the contract, row-level security and privileges:
-- secure_contract_table (04_scope.sql)
COMMENT ON COLUMN @extschema@.settlement.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger settlement_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.settlement.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger settlement_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
SELECT @extschema@.secure_contract_table('settlement', 'read');
