-- sroi install script, part 6b: steering a contract that falls behind (domain.md 6.2,
-- 6.3; guideline 6.4 "intensivering"): the action plan (sroi.action_item) and the
-- reporting frequency (sroi.reporting_frequency, set by sroi.set_reporting) with the
-- monthly reports (sroi.period_report).  The overdue items action_plan_missing,
-- action_overdue and the monthly report_overdue / report_late are in 08_reports.sql,
-- the report status per period in 07_monitoring.sql (report_period_rows) and the view
-- sroi.report_periods in 08_reports.sql.

-- ---------------------------------------------------------------------------
-- Action items (actieplan, guideline 6.4): recorded and kept up by the contract
-- manager (own municipalities) or the SR coordinator; the supplier reads them.
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.action_item (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id),
    what          text NOT NULL,
    owner         text NOT NULL,
    due_on        date NOT NULL,
    target_value  numeric NOT NULL,
    target_unit   text NOT NULL,
    status        text NOT NULL DEFAULT 'open',
    closed_on     date,
    -- sroi.today(), spelt out: the upgrade from 0.1 creates the table before the function
    created_on    date NOT NULL DEFAULT (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
    recorded_by   name NOT NULL DEFAULT SESSION_USER,
    activity_id   bigint,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, id),
    -- an activity of the contract that delivered on the item; also orders a restore:
    -- pg_dump writes the rows of a configuration table after those of the tables it
    -- references, and the rows of action_item after those of activity keep the contracts
    -- after the building blocks of their cards (rate_card_guard)
    CONSTRAINT action_item_activity_fkey FOREIGN KEY (contract_id, activity_id)
        REFERENCES @extschema@.activity (contract_id, id) ON DELETE SET NULL (activity_id),
    -- target_unit and status: one of their values, checked by action_item_validate
    -- (22023 naming the value and the list; one place for the list)
    CONSTRAINT action_item_closed CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX action_item_id_idx ON @extschema@.action_item (id);
COMMENT ON TABLE @extschema@.action_item IS
    'the action plan (actieplan, guideline 6.4) of a contract flagged intensify: what is done, by whom, by when, towards which measurable target (domain.md 6.2)';
COMMENT ON COLUMN @extschema@.action_item.id IS 'generated key';
COMMENT ON COLUMN @extschema@.action_item.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.action_item.what IS 'the action, in words';
COMMENT ON COLUMN @extschema@.action_item.owner IS 'who carries it out (a person or organisation, in words)';
COMMENT ON COLUMN @extschema@.action_item.due_on IS 'the day it is to be done by; an open item after it is overdue (action_overdue)';
COMMENT ON COLUMN @extschema@.action_item.target_value IS 'the measurable target, in target_unit: euros (2 decimals), persons (whole) or hours (2 decimals)';
COMMENT ON COLUMN @extschema@.action_item.target_unit IS 'euro, persons or hours';
COMMENT ON COLUMN @extschema@.action_item.status IS 'open, done or dropped';
COMMENT ON COLUMN @extschema@.action_item.closed_on IS 'the day it was done or dropped; NULL while open';
COMMENT ON COLUMN @extschema@.action_item.created_on IS 'the day it was recorded (default today; not in the future, never changed): within action_plan_days after a quarter end flagged intensify, else action_plan_missing';
COMMENT ON COLUMN @extschema@.action_item.recorded_by IS 'the login that recorded it';
COMMENT ON COLUMN @extschema@.action_item.activity_id IS 'an activity of the contract that delivered on the item, if recorded (NULL when that activity is deleted)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.action_item', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.action_item_id_seq', '');

CREATE FUNCTION @extschema@.action_item_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.contract_of(NEW.contract_id);
    PERFORM @extschema@.check_given(NEW.what, 'what is required: the action, in words');
    PERFORM @extschema@.check_given(NEW.owner, 'owner is required: who carries the action out');
    PERFORM @extschema@.check_one_of('target_unit', NEW.target_unit, ARRAY['euro', 'persons', 'hours']);
    PERFORM @extschema@.check_one_of('status', NEW.status, ARRAY['open', 'done', 'dropped']);
    PERFORM @extschema@.check_amount('target_value', NEW.target_value,
                                     CASE WHEN NEW.target_unit = 'persons' THEN 0 ELSE 2 END);
    IF TG_OP = 'UPDATE' AND NEW.created_on IS DISTINCT FROM OLD.created_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('created_on of action item %s cannot change from %s to %s', OLD.id, OLD.created_on,
                   coalesce(NEW.created_on::text, 'NULL')));
    END IF;
    IF TG_OP = 'INSERT' AND NEW.created_on > @extschema@.today() THEN
        PERFORM @extschema@.raise_invalid('22008',
            format('created_on must not lie after today (%s), got %s', @extschema@.today(), NEW.created_on));
    END IF;
    PERFORM @extschema@.check_dates('due_on', NEW.due_on, 'created_on', NEW.created_on);
    IF NEW.status = 'open' AND NEW.closed_on IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('closed_on must be NULL while status is open, got %s', NEW.closed_on));
    END IF;
    IF NEW.status <> 'open' AND NEW.closed_on IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('closed_on is required when status is %s: the day it was %s', NEW.status, NEW.status));
    END IF;
    PERFORM @extschema@.check_dates('closed_on', NEW.closed_on, 'created_on', NEW.created_on);
    IF NEW.closed_on > @extschema@.today() THEN
        PERFORM @extschema@.raise_invalid('22008',
            format('closed_on must not lie after today (%s), got %s', @extschema@.today(), NEW.closed_on));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.action_item_validate() IS
    'validates an action item: what and owner given, target unit and value, status with closed_on iff done or dropped, dates in order (trigger)';
CREATE TRIGGER action_item_50_validate BEFORE INSERT OR UPDATE ON @extschema@.action_item
    FOR EACH ROW EXECUTE FUNCTION @extschema@.action_item_validate();

-- a contract the caller cannot see refused first, the scope columns from the contract,
-- row-level security and privileges: secure_contract_table (04_scope.sql)
COMMENT ON COLUMN @extschema@.action_item.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger action_item_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.action_item.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger action_item_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
SELECT @extschema@.secure_contract_table('action_item', 'edit', write_privileges => 'SELECT, DELETE');
GRANT INSERT (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, created_on, activity_id),
      UPDATE (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, activity_id)
    ON @extschema@.action_item TO sroi_coordinator, sroi_contract_manager;

-- ---------------------------------------------------------------------------
-- Reporting frequency (guideline 6.4 "de frequentie van rapportage ... te verhogen"):
-- quarterly (default, no row) or monthly from a month on, each a logged decision.
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.reporting_frequency (
    contract_id  text NOT NULL REFERENCES @extschema@.contract (id),
    from_month   date NOT NULL,
    frequency    text NOT NULL,   -- quarterly or monthly: reporting_frequency_validate
    decided_by   text NOT NULL,
    decided_on   date NOT NULL,
    reason       text,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, from_month)
);
COMMENT ON TABLE @extschema@.reporting_frequency IS
    'how often a contract reports, from a month on (domain.md 6.3): each row holds until the next row of the contract; without a row quarterly; written by sroi.set_reporting only';
COMMENT ON COLUMN @extschema@.reporting_frequency.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.reporting_frequency.from_month IS 'the first day of the first month the frequency holds for';
COMMENT ON COLUMN @extschema@.reporting_frequency.frequency IS 'quarterly (one report per quarter, in quarter_report) or monthly (one per calendar month, in period_report)';
COMMENT ON COLUMN @extschema@.reporting_frequency.decided_by IS 'who decided (the contract manager or SR coordinator)';
COMMENT ON COLUMN @extschema@.reporting_frequency.decided_on IS 'the day it was decided';
COMMENT ON COLUMN @extschema@.reporting_frequency.reason IS 'why';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.reporting_frequency', '');

CREATE FUNCTION @extschema@.reporting_frequency_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
BEGIN
    PERFORM @extschema@.check_one_of('frequency', NEW.frequency, ARRAY['quarterly', 'monthly']);
    PERFORM @extschema@.check_day('from_month', NEW.from_month);
    IF NEW.from_month <> pg_catalog.date_trunc('month', NEW.from_month::timestamp)::date THEN
        PERFORM @extschema@.raise_invalid('22023',
            format('from_month must be the first day of a month, got %s', NEW.from_month));
    END IF;
    PERFORM @extschema@.check_decided_by(NEW.decided_by);
    SELECT * INTO k FROM @extschema@.contract AS c WHERE c.id = NEW.contract_id;
    IF NEW.from_month > k.ends_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('from_month %s lies after the end of contract %s on %s', NEW.from_month, k.id, k.ends_on));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.reporting_frequency_validate() IS
    'validates a reporting frequency row: frequency, from_month the first day of a month not after the contract''s end, decided_by given (trigger)';
CREATE TRIGGER reporting_frequency_50_validate BEFORE INSERT OR UPDATE ON @extschema@.reporting_frequency
    FOR EACH ROW EXECUTE FUNCTION @extschema@.reporting_frequency_validate();

CREATE FUNCTION @extschema@.decide_reporting(contract_id text, frequency text, from_month date, decided_by text,
                                             reason text, caller name)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
BEGIN
    PERFORM @extschema@.check_steerer(caller, 'set the reporting frequency', contract_id);
    -- what a caller must give; the row's rules are its trigger's (reporting_frequency_validate)
    IF frequency IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502', 'frequency is required: quarterly or monthly');
    END IF;
    IF from_month IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502', 'from_month is required: the first day of the first month it holds for');
    END IF;
    SELECT * INTO k FROM @extschema@.contract AS c WHERE c.id = decide_reporting.contract_id;
    INSERT INTO @extschema@.reporting_frequency AS r (contract_id, from_month, frequency, decided_by, decided_on, reason)
    VALUES (k.id, from_month, frequency, decided_by, @extschema@.today(), NULLIF(btrim(reason), ''))
    ON CONFLICT ON CONSTRAINT reporting_frequency_pkey DO UPDATE
       SET frequency = EXCLUDED.frequency, decided_by = EXCLUDED.decided_by, decided_on = EXCLUDED.decided_on,
           reason = EXCLUDED.reason;
    PERFORM @extschema@.log_decision('reporting_frequency', k.id, NULL,
                                     format('%s from %s%s', frequency, to_char(from_month, 'YYYY-MM'),
                                            ': ' || NULLIF(btrim(reason), '')),
                                     decided_by);
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.decide_reporting(text, text, date, text, text, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.decide_reporting(text, text, date, text, text, name)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
COMMENT ON FUNCTION @extschema@.decide_reporting(text, text, date, text, text, name) IS
    'records the reporting frequency of a contract from a month on as the owner and logs who and why, for a caller that steers the contract (internal: sroi.set_reporting)';

CREATE FUNCTION @extschema@.set_reporting(contract_id text, frequency text, from_month date, decided_by text, reason text)
    RETURNS void LANGUAGE sql
BEGIN ATOMIC
    SELECT @extschema@.decide_reporting(contract_id, frequency, from_month, decided_by, reason, CURRENT_USER);
END;
COMMENT ON FUNCTION @extschema@.set_reporting(text, text, date, text, text) IS
    'the contract manager or SR coordinator sets a contract to report quarterly or monthly from a month on (guideline 6.4, domain.md 6.3); logged as reporting_frequency; a second decision for the same month replaces the first';

-- the scope columns from the contract, row-level security and privileges:
-- secure_contract_table (04_scope.sql)
COMMENT ON COLUMN @extschema@.reporting_frequency.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger reporting_frequency_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.reporting_frequency.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger reporting_frequency_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
SELECT @extschema@.secure_contract_table('reporting_frequency', 'read');

-- ---------------------------------------------------------------------------
-- Monthly reports (quarterly ones stay in sroi.quarter_report): one per calendar
-- month, entered by the supplier like a quarterly report.
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.period_report (
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id),
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    submitted_on  date NOT NULL,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, period_start)
);
COMMENT ON TABLE @extschema@.period_report IS
    'monthly SROI reports received from suppliers on monthly reporting (domain.md 6.3; quarterly reports are in quarter_report)';
COMMENT ON COLUMN @extschema@.period_report.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.period_report.period_start IS 'first day of the month reported on';
COMMENT ON COLUMN @extschema@.period_report.period_end IS 'last day of the month reported on';
COMMENT ON COLUMN @extschema@.period_report.submitted_on IS 'date the report was received';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.period_report', '');

CREATE FUNCTION @extschema@.period_report_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.contract_of(NEW.contract_id);
    PERFORM @extschema@.check_day('period_start', NEW.period_start);
    PERFORM @extschema@.check_day('period_end', NEW.period_end);
    PERFORM @extschema@.check_day('submitted_on', NEW.submitted_on);
    IF NEW.period_start <> pg_catalog.date_trunc('month', NEW.period_start::timestamp)::date
       OR NEW.period_end <> (NEW.period_start + interval '1 month')::date - 1 THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('a monthly report covers one calendar month: period_start must be its first day and period_end its last, got %s to %s',
                   NEW.period_start, NEW.period_end));
    END IF;
    IF NEW.submitted_on < NEW.period_start THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('submitted_on %s lies before the period beginning %s', NEW.submitted_on, NEW.period_start));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.period_report_validate() IS 'validates a monthly report: one calendar month, submitted after it began (trigger)';
CREATE TRIGGER period_report_50_validate BEFORE INSERT OR UPDATE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.period_report_validate();
-- a settled contract's monthly reports are frozen like its quarterly ones (domain.md 6.5,
-- 06_settlement.sql)
CREATE TRIGGER period_report_30_frozen BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.refuse_if_settled();

-- a contract the caller cannot see refused first, the scope columns from the contract,
-- row-level security and privileges: secure_contract_table (04_scope.sql)
COMMENT ON COLUMN @extschema@.period_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger period_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.period_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger period_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
SELECT @extschema@.secure_contract_table('period_report', 'edit');
CREATE POLICY supplier_insert ON @extschema@.period_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND @of_supplied_contract@);
COMMENT ON POLICY supplier_insert ON @extschema@.period_report IS 'suppliers enter the monthly reports of their own contracts, dated today (sroi.today(): no back-dating)';
GRANT INSERT (contract_id, period_start, period_end, submitted_on) ON @extschema@.period_report TO sroi_supplier;

-- The months a contract reports monthly: from the first month of its term, or of the
-- decision, to the month before the next decision or the last month of the term, with
-- the monthly report received for each (domain.md 6.3: calendar months, due
-- report_due_days after the month end).
-- @macro monthly_periods
SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       @extschema@.report_due_on((m.month + interval '1 month')::date - 1, card.report_due_days) AS due_on, r.submitted_on
  FROM (SELECT x.contract_id, x.from_month, x.frequency,
               lead(x.from_month) OVER (PARTITION BY x.contract_id ORDER BY x.from_month) AS until_month
          FROM @extschema@.reporting_frequency AS x) AS f
  JOIN @extschema@.contract AS k ON k.id = f.contract_id
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL pg_catalog.generate_series(
      greatest(f.from_month, pg_catalog.date_trunc('month', k.starts_on::timestamp)::date)::timestamp,
      least(f.until_month - 1, k.ends_on)::timestamp, interval '1 month') AS m (month)
  LEFT JOIN @extschema@.period_report AS r ON r.contract_id = f.contract_id AND r.period_start = m.month::date
 WHERE f.frequency = 'monthly'
-- @end
