-- sroi install script, part 6: the SR coordinator's decisions and their log.
-- Every approval, rejection and override, and every PSO, exemption and
-- penalty-waiver decision, keeps who, when and why (domain.md 5) in
-- sroi.decision, whether it is made through the functions below or by a
-- plain UPDATE (then decided_by is the database user).
-- Only an SR coordinator decides (domain.md 4), and never on the contracts of a
-- supplier it acts for: the functions below refuse anyone else with 42501
-- (sroi.is_coordinator and sroi.scope_suppliers are in 10_security.sql, which
-- also keeps other roles from setting status, overrides and PSO approval).

CREATE FUNCTION @extschema@.decision_maker() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(NULLIF(pg_catalog.current_setting('sroi.decided_by', true), ''),
                    SESSION_USER::text);
COMMENT ON FUNCTION @extschema@.decision_maker() IS
    'who is deciding: the decided_by of the workflow function running, else the session user (internal)';

CREATE FUNCTION @extschema@.decision_reason() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(pg_catalog.current_setting('sroi.decision_reason', true), '');
COMMENT ON FUNCTION @extschema@.decision_reason() IS 'the reason given to the workflow function running (internal)';

CREATE FUNCTION @extschema@.log_decision(kind text, contract_id text, activity_id bigint, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO @extschema@.decision (decided_by, kind, contract_id, activity_id, reason)
    VALUES (@extschema@.decision_maker(), kind, contract_id, activity_id, reason);
END;
COMMENT ON FUNCTION @extschema@.log_decision(text, text, bigint, text) IS 'appends one decision to sroi.decision (internal)';

CREATE FUNCTION @extschema@.activity_log_decisions() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.status <> 'reported' AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status) THEN
        PERFORM @extschema@.log_decision(CASE NEW.status WHEN 'approved' THEN 'approve' ELSE 'reject' END,
                                         NEW.contract_id, NEW.id, @extschema@.decision_reason());
    END IF;
    IF NEW.eligibility_override IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.eligibility_override IS DISTINCT FROM OLD.eligibility_override) THEN
        PERFORM @extschema@.log_decision('override_eligibility', NEW.contract_id, NEW.id, NEW.eligibility_override);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.activity_log_decisions() IS 'logs status changes and eligibility overrides of activities (trigger)';
CREATE TRIGGER activity_log_decisions AFTER INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_log_decisions();

CREATE FUNCTION @extschema@.contract_log_decisions() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    was_approved boolean := CASE WHEN TG_OP = 'UPDATE' THEN OLD.pso_approved ELSE false END;
    old_exemption text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.exemption_reason END;
    old_waiver text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.penalty_waived_reason END;
BEGIN
    IF NEW.pso_approved IS DISTINCT FROM was_approved THEN
        PERFORM @extschema@.log_decision(CASE WHEN NEW.pso_approved THEN 'pso_approve' ELSE 'pso_withdraw' END,
                                         NEW.id, NULL, @extschema@.decision_reason());
    END IF;
    IF NEW.exemption_reason IS NOT NULL AND NEW.exemption_reason IS DISTINCT FROM old_exemption THEN
        PERFORM @extschema@.log_decision('exemption', NEW.id, NULL, NEW.exemption_reason);
    END IF;
    IF NEW.penalty_waived_reason IS NOT NULL AND NEW.penalty_waived_reason IS DISTINCT FROM old_waiver THEN
        PERFORM @extschema@.log_decision('penalty_waiver', NEW.id, NULL, NEW.penalty_waived_reason);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_log_decisions() IS 'logs PSO, exemption and penalty-waiver decisions on contracts (trigger)';
CREATE TRIGGER contract_log_decisions AFTER INSERT OR UPDATE ON @extschema@.contract
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

-- Runs one decision: records who and why for the logging triggers, then updates.
CREATE FUNCTION @extschema@.decide_on_activity(activity_id bigint, decided_by text, reason text,
                                               new_status text, override boolean)
    RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE WHEN override THEN 'override the eligibility of'
                      WHEN new_status = 'approved' THEN 'approve' ELSE 'reject' END;
    supplier text;
BEGIN
    IF NOT @extschema@.is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('only an SR coordinator can %s an activity: role %s is not a member of sroi_coordinator',
                             verb, CURRENT_USER);
    END IF;
    IF coalesce(btrim(decided_by), '') = '' THEN
        PERFORM @extschema@.raise_invalid('23502', 'decided_by is required: who made the decision');
    END IF;
    IF (new_status = 'rejected' OR override) AND coalesce(btrim(reason), '') = '' THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('reason is required to %s activity %s',
                   CASE WHEN override THEN 'override the eligibility of' ELSE 'reject' END, activity_id));
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.activity AS a WHERE a.id = decide_on_activity.activity_id) THEN
        PERFORM @extschema@.raise_invalid('23503', format('activity_id %s does not exist', activity_id));
    END IF;
    SELECT k.supplier INTO supplier
      FROM @extschema@.activity AS a JOIN @extschema@.contract AS k ON k.id = a.contract_id
     WHERE a.id = decide_on_activity.activity_id AND k.supplier = ANY (@extschema@.scope_suppliers());
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s acts for supplier %s and cannot %s its activity %s',
                             CURRENT_USER, supplier, verb, activity_id);
    END IF;
    PERFORM set_config('sroi.decided_by', decided_by, true),
            set_config('sroi.decision_reason', coalesce(reason, ''), true);
    IF override THEN
        UPDATE @extschema@.activity AS a SET eligibility_override = reason
         WHERE a.id = decide_on_activity.activity_id;
    ELSE
        UPDATE @extschema@.activity AS a SET status = new_status
         WHERE a.id = decide_on_activity.activity_id;
    END IF;
    PERFORM set_config('sroi.decided_by', '', true), set_config('sroi.decision_reason', '', true);
END
$$;
COMMENT ON FUNCTION @extschema@.decide_on_activity(bigint, text, text, text, boolean) IS
    'sets an activity''s status or eligibility override and logs who and why (internal)';

CREATE FUNCTION @extschema@.approve(activity_id bigint, decided_by text, reason text DEFAULT NULL)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, 'approved', false);
END;
COMMENT ON FUNCTION @extschema@.approve(bigint, text, text) IS
    'the SR coordinator approves an activity: it counts (C9, C11 and M count only once approved)';

CREATE FUNCTION @extschema@.reject(activity_id bigint, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, 'rejected', false);
END;
COMMENT ON FUNCTION @extschema@.reject(bigint, text, text) IS
    'the SR coordinator rejects an activity, with a reason: it never counts';

CREATE FUNCTION @extschema@.override_eligibility(activity_id bigint, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_on_activity(activity_id, decided_by, reason, NULL, true);
END;
COMMENT ON FUNCTION @extschema@.override_eligibility(bigint, text, text) IS
    'the SR coordinator counts an activity despite an eligibility rule, with a reason (domain.md 4)';

CREATE FUNCTION @extschema@.decide_pso(contract_id text, decided_by text, reason text, approved boolean)
    RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    verb text := CASE WHEN approved THEN 'approve' ELSE 'withdraw' END;
    supplier text;
BEGIN
    IF NOT @extschema@.is_coordinator() THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('only an SR coordinator can %s a PSO discount: role %s is not a member of sroi_coordinator',
                             verb, CURRENT_USER);
    END IF;
    IF coalesce(btrim(decided_by), '') = '' THEN
        PERFORM @extschema@.raise_invalid('23502', 'decided_by is required: who made the decision');
    END IF;
    SELECT k.supplier INTO supplier FROM @extschema@.contract AS k
     WHERE k.id = decide_pso.contract_id AND k.supplier = ANY (@extschema@.scope_suppliers());
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s acts for supplier %s and cannot %s the PSO discount of its contract %s',
                             CURRENT_USER, supplier, verb, contract_id);
    END IF;
    PERFORM set_config('sroi.decided_by', decided_by, true),
            set_config('sroi.decision_reason', coalesce(reason, ''), true);
    UPDATE @extschema@.contract AS k SET pso_approved = approved WHERE k.id = decide_pso.contract_id;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('23503', format('contract_id %L does not exist', contract_id));
    END IF;
    PERFORM set_config('sroi.decided_by', '', true), set_config('sroi.decision_reason', '', true);
END
$$;
COMMENT ON FUNCTION @extschema@.decide_pso(text, text, text, boolean) IS
    'sets a contract''s PSO approval and logs who and why (internal)';

CREATE FUNCTION @extschema@.approve_pso(contract_id text, decided_by text, reason text DEFAULT NULL)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_pso(contract_id, decided_by, reason, true);
END;
COMMENT ON FUNCTION @extschema@.approve_pso(text, text, text) IS
    'the SR coordinator approves the PSO discount of a contract (guideline 7 rows 14-15)';

CREATE FUNCTION @extschema@.withdraw_pso(contract_id text, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_pso(contract_id, decided_by, reason, false);
END;
COMMENT ON FUNCTION @extschema@.withdraw_pso(text, text, text) IS
    'the SR coordinator withdraws the PSO discount of a contract, e.g. when the certificate expired';
