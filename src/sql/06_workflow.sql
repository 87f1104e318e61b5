-- sroi install script, part 6: the SR coordinator's decisions and their log.
-- Every approval, rejection, override and reset of an activity, every PSO, exemption
-- and penalty-waiver decision, and every change to the terms of a contract keeps who,
-- when and why (domain.md 5) in sroi.decision.
--
-- Who may write what (the grants stand beside each table, 04_tables.sql):
--  - activity.status and eligibility_override, and contract.pso_approved,
--    exemption_reason and penalty_waived_reason change only through the workflow
--    functions below (SECURITY DEFINER: no role but the owner has the column
--    privileges), which check the caller and log the decision with the decided_by
--    and reason given to them;
--  - the terms of a contract that set its obligation and penalty, its supplier and its
--    municipality change only by a coordinator (column privileges) and each change
--    is logged by the trigger contract_log_decisions as decided by the login;
--  - sroi.decision takes no INSERT from any role: only these functions and triggers,
--    which run as the owner, write it; it is append-only (decision_append_only).
-- Decisions are logged on UPDATE only: rows that arrive decided (a restore, the
-- owner's bulk load) bring their decision log with them, so that a plain pg_restore
-- gives back the log as it was.
-- The caller of a workflow function is the role the calling statement runs as: the
-- public functions pass CURRENT_USER to their SECURITY DEFINER part, which accepts it
-- only when the session's login may act as that role (pg_has_role ... MEMBER), so a
-- direct call naming another caller gets nowhere.

-- Who decided and why: the workflow functions below log their decision themselves, with
-- the decided_by and reason given to them, just before their UPDATE; the logging
-- triggers log every other change of the decision columns (the owner's own UPDATEs) and
-- of the terms, under the login.  A trigger knows that the change it sees was logged by
-- the workflow function that made it: a decision of that kind for that row was written
-- by the same (sub)transaction as the row's new version (the same xmin).  (On a Citus
-- cluster a setting made on the coordinator does not reach the trigger on the shard, but
-- the decision row does: the log is colocated with the activity and the contract, and
-- both are written in one transaction on that shard.)  One case is logged once where the
-- owner might expect twice: after a workflow decision, the owner's own UPDATE in the same
-- transaction that sets the row back to that very decision (approve, reset, approve) is
-- taken for the workflow's.

-- Appends one decision; recorded_by is the login (SESSION_USER): SET ROLE does not
-- change it.  Runs as the owner, the only role that may insert into sroi.decision.
-- PL/pgSQL, so that the login is a value here: on a Citus cluster the INSERT is sent to
-- the shard, where SESSION_USER would be the connection's user (the owner, inside a
-- workflow function).
CREATE FUNCTION @extschema@.log_decision(kind text, contract_id text, activity_id bigint, reason text,
                                         decided_by text)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    login name := SESSION_USER;
BEGIN
    INSERT INTO @extschema@.decision (decided_by, recorded_by, kind, contract_id, activity_id, reason)
    VALUES (log_decision.decided_by, login, log_decision.kind, log_decision.contract_id, log_decision.activity_id,
            log_decision.reason);
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.log_decision(text, text, bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.log_decision(text, text, bigint, text, text) IS
    'appends one decision to sroi.decision, recorded by the login (internal: no role may execute it)';

-- Logs what changed on an activity, unless the workflow function that changed it logged
-- it (see above).  Only the workflow functions (as the owner) and the owner can change
-- status or eligibility_override.  Fired by the trigger of sroi.activity only: EXECUTE is
-- revoked, so no role attaches it to a table of its own, and it checks its table.
CREATE FUNCTION @extschema@.activity_log_decisions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    what text;
    version xid;
BEGIN
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'activity') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'activity_log_decisions logs changes of sroi.activity only';
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.eligibility_override IS NOT DISTINCT FROM OLD.eligibility_override THEN
        RETURN NULL;
    END IF;
    SELECT a.xmin INTO version FROM @extschema@.activity AS a WHERE a.contract_id = NEW.contract_id AND a.id = NEW.id;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        what := CASE NEW.status WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' ELSE 'reset' END;
        PERFORM 1 FROM @extschema@.decision AS d
         WHERE d.contract_id = NEW.contract_id AND d.activity_id = NEW.id AND d.kind = what
           AND d.xmin = version;
        IF NOT FOUND THEN
            PERFORM @extschema@.log_decision(what, NEW.contract_id, NEW.id,
                                             format('status %s -> %s', OLD.status, NEW.status), SESSION_USER::text);
        END IF;
    END IF;
    IF NEW.eligibility_override IS DISTINCT FROM OLD.eligibility_override THEN
        what := CASE WHEN NEW.eligibility_override IS NULL THEN 'reset' ELSE 'override_eligibility' END;
        PERFORM 1 FROM @extschema@.decision AS d
         WHERE d.contract_id = NEW.contract_id AND d.activity_id = NEW.id AND d.kind = what
           AND d.xmin = version;
        IF NOT FOUND THEN
            PERFORM @extschema@.log_decision(what, NEW.contract_id, NEW.id,
                                             coalesce(NEW.eligibility_override, 'eligibility override withdrawn'),
                                             SESSION_USER::text);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.activity_log_decisions() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.activity_log_decisions() IS
    'logs status changes (approve, reject, reset to reported) and eligibility overrides of activities (trigger)';
CREATE TRIGGER activity_log_decisions AFTER UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_log_decisions();

-- The terms of a contract that decide its obligation and penalty, and who it is for:
-- a change is a decision (guideline 5.1, 5.3), logged with the old and new values.
CREATE FUNCTION @extschema@.contract_term_changes(o @extschema@.contract, n @extschema@.contract) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN NULLIF(pg_catalog.concat_ws('; ',
        CASE WHEN n.municipality IS DISTINCT FROM o.municipality THEN pg_catalog.format('municipality %s -> %s', o.municipality, n.municipality) END,
        CASE WHEN n.supplier IS DISTINCT FROM o.supplier THEN pg_catalog.format('supplier %s -> %s', o.supplier, n.supplier) END,
        CASE WHEN n.contract_value IS DISTINCT FROM o.contract_value THEN pg_catalog.format('contract_value %s -> %s', o.contract_value, n.contract_value) END,
        CASE WHEN n.obligation_pct IS DISTINCT FROM o.obligation_pct THEN pg_catalog.format('obligation_pct %s -> %s', o.obligation_pct, n.obligation_pct) END,
        CASE WHEN n.obligation_amount IS DISTINCT FROM o.obligation_amount THEN pg_catalog.format('obligation_amount %s -> %s', o.obligation_amount, n.obligation_amount) END,
        CASE WHEN n.basis IS DISTINCT FROM o.basis THEN pg_catalog.format('basis %s -> %s', o.basis, n.basis) END,
        CASE WHEN n.pso_rung IS DISTINCT FROM o.pso_rung THEN pg_catalog.format('pso_rung %s -> %s', o.pso_rung, n.pso_rung) END,
        CASE WHEN n.labour_share IS DISTINCT FROM o.labour_share THEN pg_catalog.format('labour_share %s -> %s', o.labour_share, n.labour_share) END,
        CASE WHEN n.penalty_pct IS DISTINCT FROM o.penalty_pct THEN pg_catalog.format('penalty_pct %s -> %s', o.penalty_pct, n.penalty_pct) END),
        '');
COMMENT ON FUNCTION @extschema@.contract_term_changes(@extschema@.contract, @extschema@.contract) IS
    'the terms of a contract that changed between two versions of its row, as "field old -> new; ..." (NULL when none) (internal)';

CREATE FUNCTION @extschema@.contract_log_decisions() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- ROW(...): on a Citus shard OLD and NEW are of the shard's row type
    old_terms @extschema@.contract := ROW(OLD.*)::@extschema@.contract;
    terms @extschema@.contract := ROW(NEW.*)::@extschema@.contract;
    changes text;
    version xid;
    logged text[];
BEGIN
    -- an exemption sets the obligation to 0: one decision, logged below as such
    IF NEW.exemption_reason IS DISTINCT FROM OLD.exemption_reason THEN
        terms.obligation_pct := OLD.obligation_pct;
        terms.obligation_amount := OLD.obligation_amount;
    END IF;
    changes := @extschema@.contract_term_changes(old_terms, terms);
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'contract') THEN
        RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'contract_log_decisions logs changes of sroi.contract only';
    END IF;
    -- the decisions, unless the workflow function that made them logged them (see above)
    IF NEW.pso_approved IS DISTINCT FROM OLD.pso_approved OR NEW.exemption_reason IS DISTINCT FROM OLD.exemption_reason
       OR NEW.penalty_waived_reason IS DISTINCT FROM OLD.penalty_waived_reason THEN
        SELECT k.xmin INTO version FROM @extschema@.contract AS k WHERE k.id = NEW.id;
        SELECT array_agg(d.kind) INTO logged FROM @extschema@.decision AS d
         WHERE d.contract_id = NEW.id AND d.activity_id IS NULL AND d.xmin = version;
    END IF;
    IF NEW.pso_approved IS DISTINCT FROM OLD.pso_approved
       AND NOT (CASE WHEN NEW.pso_approved THEN 'pso_approve' ELSE 'pso_withdraw' END = ANY (coalesce(logged, '{}'))) THEN
        PERFORM @extschema@.log_decision(CASE WHEN NEW.pso_approved THEN 'pso_approve' ELSE 'pso_withdraw' END,
                                         NEW.id, NULL, NULL, SESSION_USER::text);
    END IF;
    IF NEW.exemption_reason IS DISTINCT FROM OLD.exemption_reason AND NOT ('exemption' = ANY (coalesce(logged, '{}'))) THEN
        PERFORM @extschema@.log_decision('exemption', NEW.id, NULL,
                                         coalesce(NEW.exemption_reason, 'exemption withdrawn'), SESSION_USER::text);
    END IF;
    IF NEW.penalty_waived_reason IS DISTINCT FROM OLD.penalty_waived_reason AND NOT ('penalty_waiver' = ANY (coalesce(logged, '{}'))) THEN
        PERFORM @extschema@.log_decision('penalty_waiver', NEW.id, NULL,
                                         coalesce(NEW.penalty_waived_reason, 'penalty waiver withdrawn'), SESSION_USER::text);
    END IF;
    -- plain UPDATEs of the terms: always under the login, whatever the session set
    IF changes IS NOT NULL THEN
        PERFORM @extschema@.log_decision('contract_change', NEW.id, NULL, changes, SESSION_USER::text);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.contract_log_decisions() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.contract_log_decisions() IS
    'logs PSO, exemption and penalty-waiver decisions and changes to the terms, supplier and municipality of contracts (trigger)';
CREATE TRIGGER contract_log_decisions AFTER UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_log_decisions();

CREATE FUNCTION @extschema@.decision_append_only() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.raise_invalid('23001',
        format('the decision log is append-only: %s is not allowed', TG_OP),
        'A decision is corrected by a new decision.');
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.decision_append_only() IS 'refuses UPDATE, DELETE and TRUNCATE on sroi.decision (trigger)';
CREATE TRIGGER decision_append_only BEFORE UPDATE OR DELETE ON @extschema@.decision
    FOR EACH ROW EXECUTE FUNCTION @extschema@.decision_append_only();
CREATE TRIGGER decision_no_truncate BEFORE TRUNCATE ON @extschema@.decision
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.decision_append_only();

-- The caller of a workflow function may decide: it is an SR coordinator, the login
-- may act as it, and neither acts for the contract's supplier (a login that is both
-- coordinator and supplier cannot decide on its own contracts, whatever role it
-- SETs).  Raises 42501 otherwise; the message names only what the caller may read.
CREATE FUNCTION @extschema@.check_decider(caller name, verb text, what text, own text, contract_id text)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    supplier text;
BEGIN
    IF NOT pg_has_role(SESSION_USER, caller, 'MEMBER') OR NOT @extschema@.is_coordinator(caller) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('only an SR coordinator can %s %s: role %s is not a member of sroi_coordinator',
                             verb, what, caller);
    END IF;
    SELECT k.supplier INTO supplier FROM @extschema@.contract AS k
     WHERE k.id = check_decider.contract_id
       AND k.supplier = ANY (@extschema@.scopes('supplier', caller) || @extschema@.scopes('supplier', SESSION_USER));
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s acts for supplier %s and cannot %s %s', caller, supplier, verb, own);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.check_decider(name, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.check_decider(name, text, text, text, text) IS
    'raises 42501 unless the caller is an SR coordinator the login may act as, acting for neither the contract''s supplier (internal)';

-- Runs one decision on an activity as the owner: checks the caller, logs the decision
-- with who and why (when it changes something: deciding again what is decided logs
-- nothing), then updates; the logging trigger sees that it is logged.
CREATE FUNCTION @extschema@.decide_on_activity(activity_id bigint, decided_by text, reason text,
                                               new_status text, override boolean, caller name)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE WHEN override THEN 'override the eligibility of'
                      WHEN new_status = 'approved' THEN 'approve' ELSE 'reject' END;
    contract text;
    old_status text;
    old_override text;
BEGIN
    SELECT a.contract_id INTO contract FROM @extschema@.activity AS a WHERE a.id = decide_on_activity.activity_id;
    -- who may decide first: a non-coordinator learns nothing, not even whether the id exists
    PERFORM @extschema@.check_decider(caller, verb, 'an activity', format('its activity %s', activity_id), contract);
    PERFORM @extschema@.check_decided_by(decided_by);
    IF (new_status = 'rejected' OR override) THEN
        PERFORM @extschema@.check_given(reason,
            format('reason is required to %s activity %s',
                   CASE WHEN override THEN 'override the eligibility of' ELSE 'reject' END, activity_id));
    END IF;
    IF contract IS NULL THEN
        PERFORM @extschema@.raise_invalid('23503', format('activity_id %s does not exist', activity_id));
    END IF;
    SELECT a.status, a.eligibility_override INTO old_status, old_override FROM @extschema@.activity AS a
     WHERE a.contract_id = contract AND a.id = decide_on_activity.activity_id
       FOR UPDATE;
    IF override THEN
        IF reason IS DISTINCT FROM old_override THEN
            PERFORM @extschema@.log_decision('override_eligibility', contract, activity_id, reason, decided_by);
            UPDATE @extschema@.activity AS a SET eligibility_override = reason
             WHERE a.contract_id = contract AND a.id = decide_on_activity.activity_id;
        END IF;
    ELSIF new_status IS DISTINCT FROM old_status THEN
        PERFORM @extschema@.log_decision(CASE WHEN new_status = 'approved' THEN 'approve' ELSE 'reject' END,
                                         contract, activity_id,
                                         coalesce(NULLIF(reason, ''), format('status %s -> %s', old_status, new_status)),
                                         decided_by);
        UPDATE @extschema@.activity AS a SET status = new_status
         WHERE a.contract_id = contract AND a.id = decide_on_activity.activity_id;
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.decide_on_activity(bigint, text, text, text, boolean, name) IS
    'sets an activity''s status or eligibility override as the owner and logs who and why, for a caller that may decide (internal)';

CREATE FUNCTION @extschema@.approve(activity_id bigint, decided_by text, reason text DEFAULT NULL)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, 'approved', false, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.approve(bigint, text, text) IS
    'the SR coordinator approves an activity: it counts (C9, C11 and M count only once approved)';

CREATE FUNCTION @extschema@.reject(activity_id bigint, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, 'rejected', false, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.reject(bigint, text, text) IS
    'the SR coordinator rejects an activity, with a reason: it never counts';

CREATE FUNCTION @extschema@.override_eligibility(activity_id bigint, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, NULL, true, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.override_eligibility(bigint, text, text) IS
    'the SR coordinator counts an activity despite an eligibility rule, with a reason (domain.md 4)';

-- Runs one decision on a contract as the owner: the PSO approval (guideline 7 rows
-- 14-15), an exemption (5.1) or a penalty waiver (5.3).
CREATE FUNCTION @extschema@.decide_on_contract(contract_id text, decided_by text, reason text, kind text, caller name)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE kind WHEN 'pso_approve' THEN 'approve' WHEN 'pso_withdraw' THEN 'withdraw'
                           WHEN 'exemption' THEN 'grant' ELSE 'waive' END;
    noun text := CASE WHEN kind LIKE 'pso%' THEN 'the PSO discount' WHEN kind = 'exemption' THEN 'an exemption'
                      ELSE 'the penalty' END;
    what text := verb || ' ' || noun || ' of';
    old_pso boolean;
    old_exemption text;
    old_waiver text;
BEGIN
    PERFORM @extschema@.check_decider(caller, verb,
                                      CASE WHEN kind LIKE 'pso%' THEN 'a PSO discount' ELSE noun END,
                                      format('%s of its contract %s', noun, contract_id), contract_id);
    PERFORM @extschema@.check_decided_by(decided_by);
    IF kind IN ('pso_withdraw', 'exemption', 'penalty_waiver') THEN
        PERFORM @extschema@.check_given(reason,
            format('reason is required to %s contract %s', what, contract_id));
    END IF;
    SELECT k.pso_approved, k.exemption_reason, k.penalty_waived_reason INTO old_pso, old_exemption, old_waiver
      FROM @extschema@.contract AS k WHERE k.id = decide_on_contract.contract_id
       FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@.no_such_contract(contract_id);
    END IF;
    -- logged here, when it changes something; the logging trigger sees that it is logged
    IF (kind = 'pso_approve' AND old_pso IS DISTINCT FROM true) OR (kind = 'pso_withdraw' AND old_pso IS DISTINCT FROM false)
       OR (kind = 'exemption' AND reason IS DISTINCT FROM old_exemption)
       OR (kind = 'penalty_waiver' AND reason IS DISTINCT FROM old_waiver) THEN
        PERFORM @extschema@.log_decision(kind, contract_id, NULL, NULLIF(reason, ''), decided_by);
    END IF;
    UPDATE @extschema@.contract AS k
       -- searched CASE: Citus deparses CASE <parameter> WHEN ... wrongly (text = boolean)
       SET pso_approved = CASE WHEN kind = 'pso_approve' THEN true WHEN kind = 'pso_withdraw' THEN false ELSE k.pso_approved END,
           obligation_pct = CASE WHEN kind = 'exemption' THEN 0 ELSE k.obligation_pct END,
           obligation_amount = CASE WHEN kind = 'exemption' THEN NULL ELSE k.obligation_amount END,
           exemption_reason = CASE WHEN kind = 'exemption' THEN reason ELSE k.exemption_reason END,
           penalty_waived_reason = CASE WHEN kind = 'penalty_waiver' THEN reason ELSE k.penalty_waived_reason END
     WHERE k.id = decide_on_contract.contract_id;
END
$$;
COMMENT ON FUNCTION @extschema@.decide_on_contract(text, text, text, text, name) IS
    'sets a contract''s PSO approval, exemption or penalty waiver as the owner and logs who and why, for a caller that may decide (internal)';

CREATE FUNCTION @extschema@.approve_pso(contract_id text, decided_by text, reason text DEFAULT NULL)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_contract(contract_id, decided_by, reason, 'pso_approve', CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.approve_pso(text, text, text) IS
    'the SR coordinator approves the PSO discount of a contract (guideline 7 rows 14-15)';

CREATE FUNCTION @extschema@.withdraw_pso(contract_id text, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_contract(contract_id, decided_by, reason, 'pso_withdraw', CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.withdraw_pso(text, text, text) IS
    'the SR coordinator withdraws the PSO discount of a contract, e.g. when the certificate expired';

CREATE FUNCTION @extschema@.exempt(contract_id text, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_contract(contract_id, decided_by, reason, 'exemption', CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.exempt(text, text, text) IS
    'the SR coordinator exempts a contract from the SROI obligation (obligation_pct 0) for a stated reason (guideline 5.1 "gegronde redenen")';

CREATE FUNCTION @extschema@.waive_penalty(contract_id text, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_contract(contract_id, decided_by, reason, 'penalty_waiver', CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.waive_penalty(text, text, text) IS
    'the SR coordinator waives the penalty of a contract for a stated reason (force majeure, best efforts shown; guideline 5.3)';
