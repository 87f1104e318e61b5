-- sroi upgrade script, written by test/tools/upgrade-script.py: the tables change as
-- written by hand below; the access and reporting layer is replaced whole.
\echo Use "ALTER EXTENSION sroi UPDATE" to load this file. \quit

-- 1. Drop the old layer: policies, triggers, views, then the SQL and PL/pgSQL functions
--    (those of the type and catalogue files that did not change stay).
DO $drop$
DECLARE
    r record;
    keep text[] := ARRAY['check_number', 'check_one_of', 'quarters', 'raise_invalid', 'rate_card_on']::text[];
    left_over integer := -1;
    before integer;
BEGIN
    FOR r IN SELECT p.polname, p.polrelid::regclass AS rel FROM pg_catalog.pg_policy AS p
              JOIN pg_catalog.pg_class AS c ON c.oid = p.polrelid
             WHERE c.relnamespace = '@extschema@'::regnamespace LOOP
        EXECUTE pg_catalog.format('DROP POLICY %I ON %s', r.polname, r.rel);
    END LOOP;
    FOR r IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_catalog.pg_trigger AS t
              JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
             WHERE c.relnamespace = '@extschema@'::regnamespace AND NOT t.tgisinternal LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
    -- views and functions depend on each other: drop what nothing depends on, repeat
    LOOP
        before := left_over;
        left_over := 0;
        FOR r IN SELECT 'VIEW' AS what, c.oid::regclass::text AS name FROM pg_catalog.pg_class AS c
                  WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'v'
                 UNION ALL
                 SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
                   JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
                  WHERE p.pronamespace = '@extschema@'::regnamespace AND p.prokind = 'f'
                    AND l.lanname IN ('sql', 'plpgsql') AND NOT p.proname = ANY (keep) LOOP
            BEGIN
                EXECUTE pg_catalog.format('DROP %s %s', r.what, r.name);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                left_over := left_over + 1;
            END;
        END LOOP;
        EXIT WHEN left_over = 0;
        IF left_over = before THEN
            RAISE EXCEPTION 'sroi upgrade: % views or functions cannot be dropped (another object depends on them)', left_over;
        END IF;
    END LOOP;
END
$drop$;

-- 2. The tables (by hand, but for the new tables).
-- The changes of 0.1 -> 0.2 to the tables of 0.1, for test/tools/upgrade-script.py (run
-- after the old triggers are dropped, so no validation or logging fires here).  The
-- tables new in 0.2 are not written here: the script replays them from the install
-- script where the line '-- @new-tables' stands.

-- A contract's rung has a rate on its card; orders a restore (04_tables.sql).
ALTER TABLE @extschema@.contract ADD CONSTRAINT contract_pso_rate_fkey FOREIGN KEY (rate_card, pso_rung)
    REFERENCES @extschema@.pso_discount_rate (rate_card, rung);

-- An activity carries its contract's card, so its block is a foreign key.
ALTER TABLE @extschema@.activity ADD COLUMN rate_card text;
UPDATE @extschema@.activity AS a SET rate_card = k.rate_card
  FROM @extschema@.contract AS k WHERE k.id = a.contract_id;
ALTER TABLE @extschema@.activity ALTER COLUMN rate_card SET NOT NULL,
    ADD CONSTRAINT activity_block_fkey FOREIGN KEY (rate_card, block)
        REFERENCES @extschema@.building_block (rate_card, code);

-- The decision log: recorded by the login, and two more kinds.
ALTER TABLE @extschema@.decision ALTER COLUMN recorded_by SET DEFAULT SESSION_USER,
    DROP CONSTRAINT decision_kind_check,
    ADD CONSTRAINT decision_kind_check CHECK (kind IN ('approve', 'reject', 'override_eligibility', 'reset',
                                                       'pso_approve', 'pso_withdraw', 'exemption', 'penalty_waiver',
                                                       'contract_change', 'plan_accord', 'plan_refusal',
                                                       'reporting_frequency', 'settlement', 'reopen')),
    DROP CONSTRAINT decision_check,
    ADD CONSTRAINT decision_check CHECK ((activity_id IS NULL) = (kind NOT IN ('approve', 'reject', 'override_eligibility', 'reset')));

-- Privileges taken away (the new ones are granted by the replayed GRANTs): the
-- decision columns and the decision log are written only through the workflow; a
-- manager no longer changes a contract's terms, supplier or municipality.
REVOKE INSERT, UPDATE ON @extschema@.contract, @extschema@.activity FROM sroi_coordinator;
REVOKE INSERT ON @extschema@.decision FROM sroi_coordinator;
REVOKE UPDATE ON @extschema@.contract FROM sroi_contract_manager;

-- Steering and closing (domain.md 6): the rate card's new deadlines, plan versions and
-- planned persons.  Plan rows of 0.1 become version 1.
ALTER TABLE @extschema@.rate_card
    ADD COLUMN plan_accord_days integer NOT NULL DEFAULT 28 CHECK (plan_accord_days >= 0),
    ADD COLUMN action_plan_days integer NOT NULL DEFAULT 30 CHECK (action_plan_days >= 0),
    ADD COLUMN settlement_due_days integer NOT NULL DEFAULT 90 CHECK (settlement_due_days >= 0),
    ADD COLUMN success_pct numeric(5,2) NOT NULL DEFAULT 110 CHECK (success_pct >= 100);
ALTER TABLE @extschema@.plan
    ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN planned_persons integer CHECK (planned_persons >= 0),
    DROP CONSTRAINT plan_pkey,
    ADD PRIMARY KEY (contract_id, version, quarter, block);

-- Here test/tools/upgrade-script.py creates the tables new in 0.2 as the install script
-- does (06_plan.sql, 06_settlement.sql, 06_steering.sql).
-- One municipality's contracts by index (04_tables.sql).
CREATE INDEX contract_municipality_idx ON @extschema@.contract (municipality);

-- The tables new in this version (action_item, contract_figures, figures_state, municipality_figures, outcome_figures, period_report, plan_version, quarter_figures, reporting_frequency, settlement), replayed from the install script.
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
COMMENT ON COLUMN @extschema@.plan_version.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_version_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan_version.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_version_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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
COMMENT ON COLUMN @extschema@.settlement.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger settlement_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.settlement.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger settlement_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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
COMMENT ON COLUMN @extschema@.action_item.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger action_item_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.action_item.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger action_item_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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
COMMENT ON COLUMN @extschema@.reporting_frequency.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger reporting_frequency_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.reporting_frequency.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger reporting_frequency_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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
COMMENT ON COLUMN @extschema@.period_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger period_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.period_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger period_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
CREATE TABLE @extschema@.contract_figures (
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    as_of         date NOT NULL,
    realised_a    numeric NOT NULL,
    realised_b    numeric NOT NULL,
    realised_c    numeric NOT NULL,
    realised_bonus numeric NOT NULL,
    pending       numeric NOT NULL,
    persons       integer NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (contract_id, as_of)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contract_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.contract_figures IS 'the value lines of each contract summed as of a date, stored by sroi.refresh_figures() and deleted by any change to what they rest on; the reports use a row when its as_of is the date asked for (internal; not dumped)';
COMMENT ON COLUMN @extschema@.contract_figures.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.contract_figures.municipality IS 'the contract''s municipality at the refresh (row-level security, filters)';
COMMENT ON COLUMN @extschema@.contract_figures.supplier IS 'the contract''s supplier at the refresh (row-level security)';
COMMENT ON COLUMN @extschema@.contract_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.contract_figures.realised_a IS 'value realised in category A to as_of, euros, exact (unrounded sum)';
COMMENT ON COLUMN @extschema@.contract_figures.realised_b IS 'value realised in category B to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.realised_c IS 'value realised in category C to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.realised_bonus IS 'value realised in bonuses to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.pending IS 'value awaiting approval to as_of, euros, exact';
COMMENT ON COLUMN @extschema@.contract_figures.persons IS 'distinct persons with counted value to as_of';
COMMENT ON COLUMN @extschema@.contract_figures.refreshed_at IS 'when sroi.refresh_figures() stored the row';
CREATE TABLE @extschema@.quarter_figures (
    -- the contract, not its row of contract_figures: refresh_figures checks 1 million of
    -- these keys in one statement, against a table whose statistics it has just reset
    -- (below); checked against contract_figures, the plan of that check scanned all of
    -- contract_figures_municipality_idx per row.  figures_stale deletes the rows with
    -- the contract's row of contract_figures.
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    quarter       @extschema@.quarter NOT NULL,
    as_of         date NOT NULL,
    planned       numeric(15,2),
    realised      numeric(15,2),
    realised_cum  numeric(15,2),
    expected_cum  numeric(15,2),
    deviation     numeric(15,2),
    deviation_cum numeric(15,2),
    status        text,
    intensify     boolean,
    report_status text,
    pending       numeric(15,2),
    planned_cum   numeric(15,2),
    obligation    numeric(15,2),
    measured_on   date,
    trend         text,
    report_submitted_on date,
    persons       integer,
    new_persons   integer,
    fte           numeric(12,2),
    hours         numeric(15,4),
    planned_persons integer,
    new_persons_small boolean,
    -- the date last: (contract, quarter) is the order the reports read them in
    PRIMARY KEY (contract_id, quarter, as_of)
);
CREATE INDEX contract_figures_municipality_idx ON @extschema@.contract_figures (municipality, as_of, contract_id);
ALTER TABLE @extschema@.contract_figures SET (autovacuum_analyze_threshold = 1000, autovacuum_analyze_scale_factor = 0);
CREATE INDEX quarter_figures_municipality_idx ON @extschema@.quarter_figures (municipality, as_of, contract_id, quarter);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quarter_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.quarter_figures IS 'the rows of quarterly_progress of each contract as of a date, as every caller gets them before small cells are hidden (macro quarterly_base), stored with the contract''s row of contract_figures and deleted with it (internal; not dumped)';
COMMENT ON COLUMN @extschema@.quarter_figures.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.quarter_figures.municipality IS 'the contract''s municipality at the refresh';
COMMENT ON COLUMN @extschema@.quarter_figures.supplier IS 'the contract''s supplier at the refresh';
COMMENT ON COLUMN @extschema@.quarter_figures.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.quarter_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.quarter_figures.planned IS 'as quarterly_progress.planned';
COMMENT ON COLUMN @extschema@.quarter_figures.realised IS 'as quarterly_progress.realised';
COMMENT ON COLUMN @extschema@.quarter_figures.realised_cum IS 'as quarterly_progress.realised_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.expected_cum IS 'as quarterly_progress.expected_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.deviation IS 'as quarterly_progress.deviation';
COMMENT ON COLUMN @extschema@.quarter_figures.deviation_cum IS 'as quarterly_progress.deviation_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.status IS 'as quarterly_progress.status';
COMMENT ON COLUMN @extschema@.quarter_figures.intensify IS 'as quarterly_progress.intensify';
COMMENT ON COLUMN @extschema@.quarter_figures.report_status IS 'as quarterly_progress.report_status';
COMMENT ON COLUMN @extschema@.quarter_figures.pending IS 'as quarterly_progress.pending';
COMMENT ON COLUMN @extschema@.quarter_figures.planned_cum IS 'as quarterly_progress.planned_cum';
COMMENT ON COLUMN @extschema@.quarter_figures.obligation IS 'as quarterly_progress.obligation';
COMMENT ON COLUMN @extschema@.quarter_figures.measured_on IS 'as quarterly_progress.measured_on';
COMMENT ON COLUMN @extschema@.quarter_figures.trend IS 'as quarterly_progress.trend';
COMMENT ON COLUMN @extschema@.quarter_figures.report_submitted_on IS 'as quarterly_progress.report_submitted_on';
COMMENT ON COLUMN @extschema@.quarter_figures.persons IS 'distinct persons with a counted day in the quarter (never hidden here: quarterly_rows hides small cells for the caller)';
COMMENT ON COLUMN @extschema@.quarter_figures.new_persons IS 'of them, those whose first counted quarter on the contract it is (never hidden here)';
COMMENT ON COLUMN @extschema@.quarter_figures.fte IS 'as quarterly_progress.fte, never hidden here';
COMMENT ON COLUMN @extschema@.quarter_figures.hours IS 'as quarterly_progress.hours';
COMMENT ON COLUMN @extschema@.quarter_figures.planned_persons IS 'as quarterly_progress.planned_persons';
COMMENT ON COLUMN @extschema@.quarter_figures.new_persons_small IS 'some quarter of the contract has 1 to 4 new persons (then new_persons is hidden in all its quarters for a caller who may not read them)';
CREATE TABLE @extschema@.municipality_figures (
    municipality  text NOT NULL,
    quarter       @extschema@.quarter,
    as_of         date NOT NULL,
    persons       integer,
    new_persons   integer,
    fte_days      numeric,
    hours         numeric,
    CONSTRAINT municipality_figures_key UNIQUE NULLS NOT DISTINCT (municipality, as_of, quarter)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.municipality_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.municipality_figures IS 'the quantities (persons, fte, hours) of each municipality per quarter as of a date, stored by sroi.refresh_figures() and deleted by any change to one of its contracts'' activities, its contracts or their persons'' indications (internal; not dumped)';
COMMENT ON COLUMN @extschema@.municipality_figures.municipality IS 'the municipality';
COMMENT ON COLUMN @extschema@.municipality_figures.quarter IS 'the quarter; NULL: the row that marks the municipality as stored';
COMMENT ON COLUMN @extschema@.municipality_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.municipality_figures.persons IS 'distinct persons with a counted day in the quarter on any of the municipality''s contracts';
COMMENT ON COLUMN @extschema@.municipality_figures.new_persons IS 'of them, those whose first counted quarter in the municipality it is';
COMMENT ON COLUMN @extschema@.municipality_figures.fte_days IS 'fte x counted days of the counted fte_period lines, exact; NULL: none';
COMMENT ON COLUMN @extschema@.municipality_figures.hours IS 'counted hours of hour blocks dated in the quarter; NULL: none';
CREATE TABLE @extschema@.outcome_figures (
    municipality  text NOT NULL,
    quarter       @extschema@.quarter NOT NULL,
    benefit       text NOT NULL,
    as_of         date NOT NULL,
    persons       integer NOT NULL,
    fte           numeric NOT NULL,
    realised      numeric,
    PRIMARY KEY (municipality, as_of, quarter, benefit)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.outcome_figures', 'WHERE false');
COMMENT ON TABLE @extschema@.outcome_figures IS 'the cells of target_group_outcomes (persons, fte, realised per municipality, quarter and benefit) as of a date, before small cells are hidden, stored by sroi.refresh_figures() and deleted with the municipality''s municipality_figures (internal; not dumped)';
COMMENT ON COLUMN @extschema@.outcome_figures.municipality IS 'the municipality';
COMMENT ON COLUMN @extschema@.outcome_figures.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.outcome_figures.benefit IS 'the target group: the persons'' benefit';
COMMENT ON COLUMN @extschema@.outcome_figures.as_of IS 'the date the figures are for';
COMMENT ON COLUMN @extschema@.outcome_figures.persons IS 'distinct persons with a counted line in the quarter';
COMMENT ON COLUMN @extschema@.outcome_figures.fte IS 'their average fte placed over the quarter, 4 decimals';
COMMENT ON COLUMN @extschema@.outcome_figures.realised IS 'value realised in the quarter by their lines, euros, exact';
CREATE TABLE @extschema@.figures_state (
    as_of         date PRIMARY KEY,
    complete      boolean NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.figures_state', 'WHERE false');
COMMENT ON TABLE @extschema@.figures_state IS 'whether the figures of every contract are stored for a date (a row per date stored; internal; not dumped)';
COMMENT ON COLUMN @extschema@.figures_state.as_of IS 'a date the figures are stored for: that of the last refresh, or the last quarter end before it';
COMMENT ON COLUMN @extschema@.figures_state.complete IS 'true from the refresh to the first change that deleted stored figures';
COMMENT ON COLUMN @extschema@.figures_state.refreshed_at IS 'when sroi.refresh_figures() ran';
ALTER TABLE @extschema@.figures_state ENABLE ROW LEVEL SECURITY;

-- Plan van Aanpak versions (domain.md 6.1; 06_plan.sql).  The plan rows of 0.1 were
-- entered without a version: each contract's become version 1, entered directly and
-- accorded on the day of the upgrade (when they were entered is not known), taking lines
-- until a later version is proposed, as rows entered so in 0.2.
INSERT INTO @extschema@.plan_version (contract_id, version, status, proposed_by, proposed_on, decided_by, decided_on,
                                      reason, entered_directly, municipality, supplier)
SELECT k.id, 1, 'accorded', SESSION_USER, (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
       SESSION_USER, (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
       'entered without a proposal: counts as accorded when entered (domain.md 6.1)', true,
       k.municipality, k.supplier
  FROM @extschema@.contract AS k
 WHERE EXISTS (SELECT FROM @extschema@.plan AS p WHERE p.contract_id = k.id);
ALTER TABLE @extschema@.plan ADD CONSTRAINT plan_version_fkey FOREIGN KEY (contract_id, version)
    REFERENCES @extschema@.plan_version (contract_id, version);

-- The scope columns of the contract-keyed tables of 0.1 (04_tables.sql: the policies
-- read them; no subquery, so that Citus can distribute the tables), filled from the
-- contract; the new tables have them in their CREATE TABLE.
DO $scope$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['activity', 'plan', 'turnover', 'quarter_report', 'phasing', 'decision'] LOOP
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I ADD COLUMN municipality text, ADD COLUMN supplier text', t);
        EXECUTE pg_catalog.format('UPDATE @extschema@.%I AS x SET municipality = k.municipality, supplier = k.supplier
                                     FROM @extschema@.contract AS k WHERE k.id = x.contract_id', t);
    END LOOP;
END
$scope$;
-- the reports of one municipality (04_tables.sql)
CREATE INDEX quarter_report_municipality_idx ON @extschema@.quarter_report (municipality);

-- 3. The new layer, as in the install script.

COMMENT ON TYPE @extschema@.quarter IS
    'a calendar quarter, written 2025-Q3 (input also 2025Q3, any case); Q1 = January to March';

COMMENT ON FUNCTION @extschema@.quarter_in(pg_catalog.cstring) IS 'text input of sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_out(@extschema@.quarter) IS 'text output of sroi.quarter: YYYY-Qn';

COMMENT ON FUNCTION @extschema@.quarter_recv(pg_catalog.internal) IS 'binary input of sroi.quarter: int4 year * 4 + quarter - 1, range checked';

COMMENT ON FUNCTION @extschema@.quarter_send(@extschema@.quarter) IS 'binary output of sroi.quarter: int4 year * 4 + quarter - 1';

COMMENT ON FUNCTION @extschema@.quarter_lt(@extschema@.quarter, @extschema@.quarter) IS 'implementation of < for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_le(@extschema@.quarter, @extschema@.quarter) IS 'implementation of <= for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_eq(@extschema@.quarter, @extschema@.quarter) IS 'implementation of = for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_ne(@extschema@.quarter, @extschema@.quarter) IS 'implementation of <> for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_ge(@extschema@.quarter, @extschema@.quarter) IS 'implementation of >= for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_gt(@extschema@.quarter, @extschema@.quarter) IS 'implementation of > for sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_cmp(@extschema@.quarter, @extschema@.quarter) IS 'btree comparison of sroi.quarter: -1, 0 or 1';

COMMENT ON FUNCTION @extschema@.quarter_hash(@extschema@.quarter) IS 'hash of sroi.quarter';

COMMENT ON FUNCTION @extschema@.quarter_hash_extended(@extschema@.quarter, bigint) IS 'seeded 64-bit hash of sroi.quarter, for hash partitioning';

COMMENT ON OPERATOR @extschema@.< (@extschema@.quarter, @extschema@.quarter) IS 'earlier than';

COMMENT ON OPERATOR @extschema@.<= (@extschema@.quarter, @extschema@.quarter) IS 'earlier than or the same quarter';

COMMENT ON OPERATOR @extschema@.= (@extschema@.quarter, @extschema@.quarter) IS 'the same quarter';

COMMENT ON OPERATOR @extschema@.<> (@extschema@.quarter, @extschema@.quarter) IS 'not the same quarter';

COMMENT ON OPERATOR @extschema@.>= (@extschema@.quarter, @extschema@.quarter) IS 'later than or the same quarter';

COMMENT ON OPERATOR @extschema@.> (@extschema@.quarter, @extschema@.quarter) IS 'later than';

COMMENT ON OPERATOR CLASS @extschema@.quarter_ops USING btree IS 'calendar order of quarters: indexes, ORDER BY, range partitioning';

COMMENT ON OPERATOR CLASS @extschema@.quarter_hash_ops USING hash IS 'hashing of quarters: hash joins, GROUP BY, hash partitioning';

COMMENT ON FUNCTION @extschema@.quarter_smaller(@extschema@.quarter, @extschema@.quarter) IS 'the earlier of two quarters';

COMMENT ON FUNCTION @extschema@.quarter_larger(@extschema@.quarter, @extschema@.quarter) IS 'the later of two quarters';

COMMENT ON AGGREGATE @extschema@.min(@extschema@.quarter) IS 'the earliest quarter';

COMMENT ON AGGREGATE @extschema@.max(@extschema@.quarter) IS 'the latest quarter';

COMMENT ON FUNCTION @extschema@.quarter_plus_int(@extschema@.quarter, integer) IS 'the quarter n quarters later';

COMMENT ON FUNCTION @extschema@.int_plus_quarter(integer, @extschema@.quarter) IS 'the quarter n quarters later';

COMMENT ON FUNCTION @extschema@.quarter_minus_int(@extschema@.quarter, integer) IS 'the quarter n quarters earlier';

COMMENT ON FUNCTION @extschema@.quarter_minus_quarter(@extschema@.quarter, @extschema@.quarter) IS 'the number of quarters from the second to the first';

COMMENT ON OPERATOR @extschema@.+ (@extschema@.quarter, integer) IS 'the quarter n quarters later';

COMMENT ON OPERATOR @extschema@.+ (integer, @extschema@.quarter) IS 'the quarter n quarters later';

COMMENT ON OPERATOR @extschema@.- (@extschema@.quarter, integer) IS 'the quarter n quarters earlier';

COMMENT ON OPERATOR @extschema@.- (@extschema@.quarter, @extschema@.quarter) IS 'the number of quarters between two quarters';

COMMENT ON FUNCTION @extschema@.quarter(date) IS 'the calendar quarter a date falls in';

COMMENT ON FUNCTION @extschema@.quarter_start(@extschema@.quarter) IS 'the first day of a quarter';

COMMENT ON FUNCTION @extschema@.quarter_end(@extschema@.quarter) IS 'the last day of a quarter';

COMMENT ON FUNCTION @extschema@.quarter_year(@extschema@.quarter) IS 'the year of a quarter';

COMMENT ON FUNCTION @extschema@.quarter_number(@extschema@.quarter) IS 'the number of a quarter in its year, 1 to 4';

COMMENT ON FUNCTION @extschema@.quarters(@extschema@.quarter, @extschema@.quarter) IS
    'every quarter from from_quarter to to_quarter, both included, in order; none when to_quarter is earlier';

COMMENT ON CAST (date AS @extschema@.quarter) IS 'the calendar quarter a date falls in';

COMMENT ON TYPE @extschema@.pso_rung IS
    'rung of the Prestatieladder Socialer Ondernemen a supplier is certified on: none, aspirant, 1, 2, 3';

COMMENT ON FUNCTION @extschema@.raise_invalid(text, text, text) IS 'raises an error with the given SQLSTATE, message and hint (internal)';

COMMENT ON FUNCTION @extschema@.check_number(text, numeric, numeric, numeric, integer, text) IS
    'raises 22003 naming field, value and rule when a number is out of range or too precise (internal)';

-- The largest amount sroi accepts: MAX_CENTS of src/sroi.h, the bound of the C readers.
CREATE FUNCTION @extschema@.max_amount() RETURNS numeric
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'sroi_max_amount';

COMMENT ON FUNCTION @extschema@.max_amount() IS
    'the largest euro amount sroi accepts, 999999999999.99 (MAX_CENTS of the C readers; internal)';

-- A euro amount (or a count) a person enters: from 0 to max_amount(), with at most
-- decimals decimals.
CREATE FUNCTION @extschema@.check_amount(field text, value numeric, decimals integer DEFAULT 2)
    RETURNS void LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.check_number(field, value, 0, @extschema@.max_amount(), decimals,
                                    'from 0 to ' || @extschema@.max_amount());

COMMENT ON FUNCTION @extschema@.check_amount(text, numeric, integer) IS
    'raises 22003 naming field, value and rule when an amount is below 0, above max_amount() (999999999999.99) or has more decimals than given (internal)';

COMMENT ON FUNCTION @extschema@.check_one_of(text, text, text[]) IS
    'raises 22023 naming field, value and the allowed values (internal)';

-- A required text (who decided, why, what): given, not blank, else 23502 with the
-- message, which names the field and what it is for.
CREATE FUNCTION @extschema@.check_given(value text, message text)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF coalesce(btrim(value), '') = '' THEN
        PERFORM @extschema@.raise_invalid('23502', message);
    END IF;
END
$$;

COMMENT ON FUNCTION @extschema@.check_given(text, text) IS
    'raises 23502 with the message when a required text is missing or blank (internal)';

-- Every decision names who took it (domain.md 5: who, when, why).
CREATE FUNCTION @extschema@.check_decided_by(decided_by text)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.check_given(decided_by, 'decided_by is required: who made the decision');
END
$$;

COMMENT ON FUNCTION @extschema@.check_decided_by(text) IS
    'raises 23502 when a decision does not say who made it (internal)';

-- A date the C code can count with (no infinity, years 1 to 9999), else 22008; and a
-- row's later date not before its earlier one, else 23514.  In C (src/sroi.c): the rule
-- and the words of the C functions' own date checks (checked_day, check_span), written
-- once for both.
CREATE FUNCTION @extschema@.check_day(field text, value date)
    RETURNS void LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'sroi_check_day';

COMMENT ON FUNCTION @extschema@.check_day(text, date) IS
    'raises 22008 when a date is infinite or outside the years 1 to 9999 (internal)';

CREATE FUNCTION @extschema@.check_dates(later_field text, later date, earlier_field text, earlier date)
    RETURNS void LANGUAGE C IMMUTABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'sroi_check_dates';

COMMENT ON FUNCTION @extschema@.check_dates(text, date, text, date) IS
    'raises 22008 for a date check_day refuses and 23514 when a date lies before the date it must follow; a NULL date is not checked (internal)';

-- Keys chosen by people (contract numbers, candidate pseudonyms): 1 to 64
-- printable ASCII characters, a letter or digit first, then letters, digits and
-- - _ . / :.  No spaces, control, format (zero-width, bidi) or non-ASCII
-- characters, so that two pseudonyms that look alike are the same key, and a key
-- always fits the primary key index.  Else 22023, showing at most the first 64
-- characters with every other character escaped as \uXXXX.
CREATE FUNCTION @extschema@.check_id(field text, value text)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shown text := '';
    ch text;
BEGIN
    IF value IS NULL OR (length(value) <= 64 AND value COLLATE "C" ~ '^[A-Za-z0-9][-A-Za-z0-9_./:]*$') THEN
        RETURN;
    END IF;
    FOR i IN 1 .. least(length(value), 64)
    LOOP
        ch := substr(value, i, 1);
        shown := shown || CASE WHEN ch IN ('\', '"') THEN '\' || ch
                               WHEN ascii(ch) BETWEEN 32 AND 126 THEN ch
                               WHEN ascii(ch) <= 65535 THEN '\u' || lpad(upper(to_hex(ascii(ch))), 4, '0')
                               ELSE '\U' || lpad(upper(to_hex(ascii(ch))), 8, '0') END;
    END LOOP;
    PERFORM @extschema@.raise_invalid('22023',
        format('%s must be 1 to 64 characters, a letter or digit and then letters, digits or -_./: (printable ASCII, no spaces), got "%s"%s',
               field, shown,
               CASE WHEN length(value) > 64 THEN format('... (%s characters)', length(value)) ELSE '' END));
END
$$;

COMMENT ON FUNCTION @extschema@.check_id(text, text) IS
    'raises 22023 naming field, value (first 64 characters, non-printables escaped) and rule when a key is not 1 to 64 characters of [A-Za-z0-9] then [A-Za-z0-9-_./:] (internal)';

-- Whether a trigger fired on the extension's table NAME, or on one of its Citus shards
-- (NAME_102040, in the same schema).  The trigger functions that must fire for one table
-- only check it: no role but the owner can create a table in the extension's schema, and
-- EXECUTE on these functions is revoked, so no other role attaches them to a table of its
-- own; the check keeps the owner from attaching one to the wrong table by mistake.
CREATE FUNCTION @extschema@.is_table_or_shard(tg_schema name, tg_table name, expected text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN tg_schema OPERATOR(pg_catalog.=) '@extschema@'
       AND (tg_table OPERATOR(pg_catalog.=) expected
            OR tg_table::text OPERATOR(pg_catalog.~) ('^' OPERATOR(pg_catalog.||) expected OPERATOR(pg_catalog.||) '_[0-9]+$'));

COMMENT ON FUNCTION @extschema@.is_table_or_shard(name, name, text) IS
    'whether a trigger fired on the extension''s table expected or on one of its Citus shards (expected_NNN) (internal)';

COMMENT ON FUNCTION @extschema@.months(date, date) IS
    'M(starts_on, ends_on) of domain.md 3: whole calendar months plus the fraction of the month begun, both days counted; exact, a non-terminating fraction shown to 20 decimals';

COMMENT ON FUNCTION @extschema@.obligation(numeric, numeric, numeric, numeric) IS
    'gross SROI obligation, round(contract_value x pct / 100, 2); pct NULL means default_pct strictly above threshold, else 0 (guideline 2.3)';

-- The percentage that applies to a contract: the one source of the threshold rule
-- (src/obligation.c), for the turnover basis and the overdue items.
CREATE FUNCTION @extschema@.applicable_pct(contract_value numeric, pct numeric, threshold numeric, default_pct numeric)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'sroi_applicable_pct' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.applicable_pct(numeric, numeric, numeric, numeric) IS
    'the obligation percentage that applies: pct when recorded, else default_pct strictly above threshold, else 0 (guideline 2.3, domain.md 1.1-1.2)';

COMMENT ON FUNCTION @extschema@.labour_discount(numeric, numeric, numeric) IS
    'discount on the labour component of an obligation: round(gross x labour_share x discount_pct / 100, 2) (domain.md 1.5)';

-- The Prestatieladder rung discounts of guideline 7, rows 14 and 15: rung 1 10 %,
-- rung 2 25 %, rung 3 50 %; aspirant and none 0 % (domain.md 1.5, decision).  The one
-- place of these numbers: the shipped card's sroi.pso_discount_rate rows are filled from
-- it (03_catalogue.sql); a later card carries its own rows.
CREATE FUNCTION @extschema@.pso_rung_pct(rung @extschema@.pso_rung) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE rung WHEN '1' THEN 10 WHEN '2' THEN 25 WHEN '3' THEN 50 ELSE 0 END;

COMMENT ON FUNCTION @extschema@.pso_rung_pct(@extschema@.pso_rung) IS
    'the guideline''s discount percentage of a Prestatieladder rung: 1 10, 2 25, 3 50, else 0 (guideline 7 rows 14-15, domain.md 1.5)';

CREATE FUNCTION @extschema@.pso_discount(gross numeric, rung @extschema@.pso_rung, labour_share numeric DEFAULT 1)
    RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.labour_discount(gross, @extschema@.pso_rung_pct(rung), labour_share);

COMMENT ON FUNCTION @extschema@.pso_discount(numeric, @extschema@.pso_rung, numeric) IS
    'PSO discount on the labour component: rung 1 10 %, 2 25 %, 3 50 %, else 0 (guideline 7 rows 14-15, domain.md 1.5)';

COMMENT ON FUNCTION @extschema@.accrued(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'V(as_of) of domain.md 3: the value one activity has earned up to and including as_of, rounded half away from zero to cents; unit fte_period, agreement, hour, invoice or negotiated; NULL unit, amount, starts_on or as_of gives NULL';

COMMENT ON FUNCTION @extschema@.accrual_by_quarter(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'value one activity earned in each quarter up to as_of: V(min(quarter end, as_of)) - V(day before quarter start), so the quarters add up exactly to sroi.accrued(... as_of ...); quarters earning nothing are left out';

-- The quantities beside euros (domain.md 6.4) count the days an activity counts: from
-- its start (the term's first day if later) to its end, the term's last day or as_of,
-- and the date of an hour, invoice or negotiated activity.  One rule, in C
-- (counted_span in src/core/accrual_rule.c), which V itself follows.
CREATE FUNCTION @extschema@.accrual_days_by_quarter(unit text, amount numeric, reference_months integer, quantity numeric,
                                                    starts_on date, ends_on date, as_of date,
                                                    planned_ends_on date DEFAULT NULL, max_months integer DEFAULT NULL,
                                                    term_starts_on date DEFAULT NULL, term_ends_on date DEFAULT NULL)
    RETURNS TABLE (quarter @extschema@.quarter, value numeric, days integer)
    AS 'MODULE_PATHNAME', 'sroi_accrual_days_by_quarter' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 8;

COMMENT ON FUNCTION @extschema@.accrual_days_by_quarter(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'every quarter in which one activity counts a day up to as_of: the value it earned there (as sroi.accrual_by_quarter, 0 when it earns nothing, e.g. past max_months) and its counted days there (inside the term, to its end or as_of; 1 for an hour, invoice or negotiated activity)';

COMMENT ON FUNCTION @extschema@.accrued_sum_step(pg_catalog.internal, text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'transition function of sroi.accrued_sum: adds V(as_of) of one activity in cents';

COMMENT ON FUNCTION @extschema@.accrued_sum_combine(pg_catalog.internal, pg_catalog.internal) IS
    'combine function of sroi.accrued_sum: adds two partial sums';

COMMENT ON FUNCTION @extschema@.accrued_sum_final(pg_catalog.internal) IS
    'final function of sroi.accrued_sum: the sum in euros, NULL for no rows';

COMMENT ON FUNCTION @extschema@.accrued_sum_serialize(pg_catalog.internal) IS
    'serializes a partial sroi.accrued_sum for parallel query';

COMMENT ON FUNCTION @extschema@.accrued_sum_deserialize(bytea, pg_catalog.internal) IS
    'deserializes a partial sroi.accrued_sum for parallel query';

COMMENT ON AGGREGATE @extschema@.accrued_sum(text, numeric, integer, numeric, date, date, date, date, integer, date, date) IS
    'exact sum of sroi.accrued(...) over the rows, each V rounded to cents first; NULL for no rows; parallel safe';

COMMENT ON FUNCTION @extschema@.persons_step(pg_catalog.internal, text) IS 'transition function of sroi.persons: remembers one id';

COMMENT ON FUNCTION @extschema@.persons_combine(pg_catalog.internal, pg_catalog.internal) IS 'combine function of sroi.persons: merges two sets of ids';

COMMENT ON FUNCTION @extschema@.persons_final(pg_catalog.internal) IS 'final function of sroi.persons: the number of distinct ids';

COMMENT ON FUNCTION @extschema@.persons_serialize(pg_catalog.internal) IS 'serializes a partial sroi.persons for parallel query';

COMMENT ON FUNCTION @extschema@.persons_deserialize(bytea, pg_catalog.internal) IS 'deserializes a partial sroi.persons for parallel query';

COMMENT ON AGGREGATE @extschema@.persons(text) IS
    'the exact number of distinct non-NULL ids (persons), 0 for no rows; like count(DISTINCT id) but parallel safe';

-- The municipality's day.  Dates the server stamps (a supplier's quarterly report)
-- and "today" of the views are the day in the Netherlands, whatever TimeZone a
-- session sets: SET TIME ZONE 'XXX+167' moves CURRENT_DATE a week back, not this.
CREATE FUNCTION @extschema@.today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date;

COMMENT ON FUNCTION @extschema@.today() IS
    'today in Europe/Amsterdam, the DUOplus municipalities'' day, whatever the session''s TimeZone: the date the server stamps and the views show';

COMMENT ON TABLE @extschema@.rate_card IS
    'dated versions of the building-block model and its money rules; a contract is pinned to one card for its whole life';

COMMENT ON COLUMN @extschema@.rate_card.code IS 'name of the card, e.g. duoplus-2024';

COMMENT ON COLUMN @extschema@.rate_card.valid_from IS 'first day the card is in force; it stays in force until the next card''s valid_from';

COMMENT ON COLUMN @extschema@.rate_card.description IS 'what the card is and where it comes from';

COMMENT ON COLUMN @extschema@.rate_card.threshold IS 'contract value (excl. VAT) above which an obligation applies by default (guideline 2.3: EUR 200,000)';

COMMENT ON COLUMN @extschema@.rate_card.default_pct IS 'default obligation percentage strictly above the threshold (guideline 2.3: 5 %)';

COMMENT ON COLUMN @extschema@.rate_card.reduced_pct IS 'the lower percentage that may be agreed instead (guideline 2.3: 2 %)';

COMMENT ON COLUMN @extschema@.rate_card.report_due_days IS 'days after quarter end a quarterly report is due (decision: 30)';

COMMENT ON COLUMN @extschema@.rate_card.kickoff_days IS 'days after award within which the kick-off meeting is held (guideline 6.1: 2 weeks)';

COMMENT ON COLUMN @extschema@.rate_card.at_risk_pct IS 'realised at or above this percentage of expected is at_risk rather than behind (decision: 75)';

COMMENT ON COLUMN @extschema@.rate_card.projection_min_pct IS 'share of the term that must have passed before a projection at end is shown (decision: 10)';

COMMENT ON COLUMN @extschema@.rate_card.hire_before_start_months IS 'a person hired at most this many months before the contract start counts from the start (decision: 12)';

COMMENT ON COLUMN @extschema@.rate_card.plan_accord_days IS 'days after award by which a contract with an obligation has an accorded Plan van Aanpak, else plan_missing (guideline 6.1, 6.2; decision: the 14 kick-off days plus 14 to finalise = 28)';

COMMENT ON COLUMN @extschema@.rate_card.action_plan_days IS 'days after the quarter end at which intensify was flagged within which an action item must exist, else action_plan_missing (guideline 6.4; decision: 30)';

COMMENT ON COLUMN @extschema@.rate_card.settlement_due_days IS 'days after its end date by which an ended contract is settled, else settlement_due (guideline 5.3, 6.7; decision: 90)';

COMMENT ON COLUMN @extschema@.rate_card.success_pct IS 'a contract that ended or was settled with realised at least this percentage of its obligation is a success, reason exceeded (guideline 6.6; decision: 110)';

COMMENT ON COLUMN @extschema@.rate_card.shipped IS 'true for rows shipped with the extension; pg_dump keeps only the others';

COMMENT ON TABLE @extschema@.building_block IS
    'the building blocks (bouwblokken) of each rate card: the kinds of SROI activity and their euro value (guideline 7, domain.md 2)';

COMMENT ON COLUMN @extschema@.building_block.rate_card IS 'the card this block belongs to';

COMMENT ON COLUMN @extschema@.building_block.code IS 'block code, e.g. A2; rows of the guideline table that share a number get their own code';

COMMENT ON COLUMN @extschema@.building_block.category IS 'A (employment), B (learning and work experience), C (other social activity) or bonus (on top of a category A placement)';

COMMENT ON COLUMN @extschema@.building_block.name IS 'what the block is';

COMMENT ON COLUMN @extschema@.building_block.unit IS 'how it accrues: fte_period, agreement, hour, invoice or negotiated (domain.md 3)';

COMMENT ON COLUMN @extschema@.building_block.amount IS 'euro amount per reference period, agreement or hour; NULL for invoice and negotiated blocks, whose activity records its value';

COMMENT ON COLUMN @extschema@.building_block.reference_months IS 'months one amount stands for (fte_period blocks only)';

COMMENT ON COLUMN @extschema@.building_block.max_months IS 'cap on the months counted for one activity; NULL: no cap (decision)';

COMMENT ON COLUMN @extschema@.building_block.requires_approval IS 'counted only once the SR coordinator approved it';

COMMENT ON COLUMN @extschema@.building_block.eligibility IS 'the target-group rule a candidate must meet at the start (domain.md 4)';

COMMENT ON COLUMN @extschema@.building_block.guideline_ref IS 'row of the guideline table the block comes from';

COMMENT ON COLUMN @extschema@.building_block.shipped IS 'true for rows shipped with the extension; pg_dump keeps only the others';

COMMENT ON TABLE @extschema@.pso_discount_rate IS
    'discount on the labour component of the obligation per PSO rung, per rate card (guideline 7 rows 14-15, domain.md 1.5)';

COMMENT ON COLUMN @extschema@.pso_discount_rate.rate_card IS 'the card the rate belongs to';

COMMENT ON COLUMN @extschema@.pso_discount_rate.rung IS 'rung of the Prestatieladder Socialer Ondernemen';

COMMENT ON COLUMN @extschema@.pso_discount_rate.discount_pct IS 'discount in percent of the labour component';

COMMENT ON COLUMN @extschema@.pso_discount_rate.shipped IS 'true for rows shipped with the extension; pg_dump keeps only the others';

-- The rate card catalogue: read by everyone who enters data, managed by coordinators
-- (rate_card_guard, below, keeps a card in use from changing).
GRANT SELECT ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

GRANT INSERT, UPDATE, DELETE ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator;

COMMENT ON FUNCTION @extschema@.rate_card_on(date) IS
    'the code of the rate card in force on a date: the one with the latest valid_from on or before it; NULL before the first card';

-- Rate cards: shipped rows are read-only, and a card a contract uses cannot change.
CREATE FUNCTION @extschema@.rate_card_guard() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- TG_ARGV[0]: the table (on a Citus shard TG_TABLE_NAME is the shard's name)
    card_key text := CASE WHEN TG_ARGV[0] = 'rate_card' THEN 'code' ELSE 'rate_card' END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    card_code text := coalesce(old_row, new_row) ->> card_key;
    user_contract text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF (new_row ->> 'shipped')::boolean THEN
            PERFORM @extschema@.raise_invalid('23514',
                format('shipped must be false for rows you add (rate card %s)', card_code));
        END IF;
        IF TG_ARGV[0] = 'rate_card' THEN
            RETURN NEW;
        END IF;
    ELSIF (old_row ->> 'shipped')::boolean THEN
        PERFORM @extschema@.raise_invalid('23001',
            format('rate card %s ships with sroi and cannot be changed or deleted', card_code),
            'Add a new rate card with a later valid_from instead.');
    ELSIF (new_row ->> 'shipped')::boolean THEN
        -- a row turned shipped would drop out of pg_dump and could never change again
        PERFORM @extschema@.raise_invalid('23514',
            format('shipped must be false for rows you add (rate card %s)', card_code));
    END IF;
    SELECT id INTO user_contract FROM @extschema@.contract
     WHERE rate_card IN (card_code, new_row ->> card_key) LIMIT 1;
    IF FOUND THEN
        PERFORM @extschema@.raise_invalid('23001',
            format('rate card %s is used by contract %s and cannot be changed or deleted', card_code, user_contract),
            'Amounts never change for running agreements (guideline 7): add a new rate card with a later valid_from.');
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

COMMENT ON FUNCTION @extschema@.rate_card_guard() IS
    'keeps shipped rate cards and cards in use unchanged (trigger)';

CREATE TRIGGER rate_card_35_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rate_card
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('rate_card');

CREATE TRIGGER building_block_35_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.building_block
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('building_block');

CREATE TRIGGER pso_discount_rate_35_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.pso_discount_rate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('pso_discount_rate');

-- sroi install script, part 4a: who acts for whom.  sroi.role_scope with its
-- validation, row-level security and the scope functions every policy, workflow
-- function and report reads.
-- The schema: every sroi role uses it (what in it, the grants beside each object say).
-- (DROP EXTENSION leaves the schema CREATE EXTENSION made, empty, with this grant:
-- PostgreSQL never makes that schema an extension member.  DROP SCHEMA sroi after
-- DROP EXTENSION in every database before DROP ROLE of the four roles.)
GRANT USAGE ON SCHEMA @extschema@ TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;

COMMENT ON TABLE @extschema@.role_scope IS
    'which municipality or supplier a database role acts for: a contract manager role sees the contracts of its municipalities, a supplier role its own contracts; members of the role inherit its scope';

COMMENT ON COLUMN @extschema@.role_scope.role_name IS 'a database role (login or group role): it and every role that is a member of it act for the municipality or supplier';

COMMENT ON COLUMN @extschema@.role_scope.municipality IS 'a municipality as in contract.municipality (for sroi_contract_manager members); NULL when supplier is set';

COMMENT ON COLUMN @extschema@.role_scope.supplier IS 'a supplier as in contract.supplier (for sroi_supplier members); NULL when municipality is set';

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
    managed text := $q$municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
$q$;
    supplied text := $q$supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
$q$;
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
-- beside the call.  test/tools/upgrade-script.py replays the calls.
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

CREATE POLICY coordinator_all ON @extschema@.contract FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);

COMMENT ON POLICY coordinator_all ON @extschema@.contract IS 'SR coordinators: every row, every command';

CREATE POLICY manager_select ON @extschema@.contract FOR SELECT TO sroi_contract_manager
    USING (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
);

COMMENT ON POLICY manager_select ON @extschema@.contract IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';

CREATE POLICY manager_insert ON @extschema@.contract FOR INSERT TO sroi_contract_manager
    WITH CHECK (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
);

COMMENT ON POLICY manager_insert ON @extschema@.contract IS 'contract managers enter contracts of their municipalities only';

CREATE POLICY manager_update ON @extschema@.contract FOR UPDATE TO sroi_contract_manager
    USING (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
)
    WITH CHECK (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
);

COMMENT ON POLICY manager_update ON @extschema@.contract IS 'contract managers change contracts of their municipalities, and keep them there';

CREATE POLICY supplier_select ON @extschema@.contract FOR SELECT TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

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
        OR c.statushouder, false);

  -- false, not NULL, when e.g. education is NULL
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

-- Activities: the per-unit fields here; the contract term (domain.md 3), the
-- rules of domain.md 4 and no double counting of one person's fte in
-- check_activity_rules (below), which the re-checks of domain.md 7.11 share.
-- SECURITY DEFINER: the validation must see across suppliers: the contract and rate
-- card, a candidate another supplier registered, and (no double counting, domain.md 4)
-- every activity of the person on any contract, locking the person's row.  A trigger
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
    -- Here what the row must give for its unit, naming the block; the values themselves
    -- (fte in (0, 1] with 4 decimals, hours at most 1000000 with 4 decimals, an amount
    -- of whole cents at most 999999999999.99) are checked once, by the C reader of
    -- sroi.accrued below, which every report uses.
    IF b.unit = 'fte_period' THEN
        IF NEW.fte IS NULL THEN
            PERFORM @extschema@.raise_invalid('23502', format('fte is required for block %s', b.code));
        END IF;
    ELSIF b.unit = 'agreement' AND NEW.planned_ends_on IS NULL AND NEW.ends_on IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('planned_ends_on or ends_on is required for block %s: its value accrues over the planned days of the agreement', b.code));
    END IF;
    IF b.unit = 'hour' THEN
        IF NEW.hours IS NULL OR NEW.hours <= 0 OR NEW.hours = 'NaN' THEN
            PERFORM @extschema@.raise_invalid(CASE WHEN NEW.hours IS NULL THEN '23502' ELSE '22003' END,
                format('hours must be greater than 0 for block %s, got %s', b.code, coalesce(NEW.hours::text, 'NULL')));
        END IF;
    ELSIF NEW.hours IS NOT NULL THEN
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
            -- Takes the person's row by a no-op update, so that two sessions placing them
            -- at once queue here; a session at REPEATABLE READ or SERIALIZABLE that would
            -- judge the fte on a snapshot from before the other committed gets 40001.
            UPDATE @extschema@.candidate SET birth_date = birth_date WHERE id = NEW.candidate_id
            RETURNING * INTO c;
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
            PERFORM @extschema@.check_fte_overlap(a.id, a.candidate_id, a.fte, greatest(a.starts_on, k.starts_on),
                                                  least(coalesce(a.ends_on, 'infinity'), k.ends_on));
        ELSE
            BEGIN
                PERFORM @extschema@.check_fte_overlap(a.id, a.candidate_id, a.fte, greatest(a.starts_on, k.starts_on),
                                                      least(coalesce(a.ends_on, 'infinity'), k.ends_on));
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

-- No double counting (domain.md 4, 7.4): at no day may one person's fte over all
-- fte_period activities that are not rejected, across all contracts, exceed 1;
-- each activity counts over its period clipped to its own contract's term, and
-- starts_on / ends_on are the new row's period clipped likewise (by the caller).
-- The load is highest on some activity's first day, so only those are tried.
-- The message names only the new row's own fte and first counted day; the day
-- and the total, which tell about other suppliers' placements, go into the
-- detail for an SR coordinator only.
CREATE FUNCTION @extschema@.check_fte_overlap(activity_id bigint, person text, fte numeric,
                                              starts_on date, ends_on date)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    worst record;
    message text;
    hint text := 'One person counts for at most 1 fte at a time, across all contracts (domain.md 4).';
BEGIN
    WITH spans AS (
        SELECT a.fte, greatest(a.starts_on, k.starts_on) AS starts_on,
               least(coalesce(a.ends_on, 'infinity'), k.ends_on) AS ends_on
          FROM @extschema@.activity AS a
          JOIN @extschema@.contract AS k ON k.id = a.contract_id
          JOIN @extschema@.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
         WHERE a.candidate_id = person AND b.unit = 'fte_period' AND a.status <> 'rejected'
           AND a.id IS DISTINCT FROM activity_id
           AND greatest(a.starts_on, k.starts_on) <= coalesce(check_fte_overlap.ends_on, 'infinity')
           AND least(coalesce(a.ends_on, 'infinity'), k.ends_on) >= check_fte_overlap.starts_on
        UNION ALL
        SELECT fte, starts_on, coalesce(ends_on, 'infinity')
    )
    SELECT day, sum(s.fte) AS load
      INTO worst
      FROM (SELECT DISTINCT greatest(sp.starts_on, check_fte_overlap.starts_on) AS day FROM spans AS sp) AS days
      JOIN spans AS s ON s.starts_on <= days.day AND s.ends_on >= days.day
     GROUP BY day
     ORDER BY load DESC, day
     LIMIT 1;
    IF worst.load > 1 THEN
        message := format('fte %s of candidate %s from %s would take the person over 1 fte: other activities already count for them in that period',
                          fte, person, starts_on);
        IF current_setting('sroi.caller_is_coordinator', true) = 'true' THEN
            RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = message, HINT = hint,
                DETAIL = format('On %s their fte would total %s.', worst.day, worst.load);
        END IF;
        RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = message, HINT = hint;
    END IF;
END
$$;

COMMENT ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, date, date) IS
    'raises 23514 when a person''s fte over overlapping fte_period activities, each clipped to its contract''s term, would exceed 1 on some day (internal)';

-- Only activity_validate calls it: as a plain function it would tell anyone how
-- much fte another supplier places a person at.
REVOKE EXECUTE ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, date, date) FROM PUBLIC;

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

-- activity: a supplier enters and corrects activities of its own contracts until
-- the coordinator decided on them; never a status or an override.
CREATE POLICY coordinator_all ON @extschema@.activity FOR ALL TO sroi_coordinator USING (true) WITH CHECK (true);

COMMENT ON POLICY coordinator_all ON @extschema@.activity IS 'SR coordinators: every row, every command';

CREATE POLICY manager_select ON @extschema@.activity FOR SELECT TO sroi_contract_manager
    USING (municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
);

COMMENT ON POLICY manager_select ON @extschema@.activity IS 'contract managers read the rows of the contracts of their municipalities (role_scope)';

CREATE POLICY supplier_select ON @extschema@.activity FOR SELECT TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

COMMENT ON POLICY supplier_select ON @extschema@.activity IS 'suppliers read the rows of their own contracts (role_scope)';

CREATE POLICY supplier_insert ON @extschema@.activity FOR INSERT TO sroi_supplier
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

COMMENT ON POLICY supplier_insert ON @extschema@.activity IS 'suppliers enter activities for their own contracts only, reported and without an override';

-- The new row keeps the old status (suppliers cannot set it), so an activity
-- approved, rejected or overridden can no longer be changed: 42501.
CREATE POLICY supplier_update ON @extschema@.activity FOR UPDATE TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
)
    WITH CHECK (status = 'reported' AND eligibility_override IS NULL
                AND supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

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
                   WHERE k.municipality = ANY ((SELECT @extschema@.scope_municipalities())::text[])
));

COMMENT ON POLICY manager_select ON @extschema@.candidate IS 'contract managers read the candidates placed on contracts of their municipalities';

CREATE POLICY supplier_select ON @extschema@.candidate FOR SELECT TO sroi_supplier
    USING (registered_by = CURRENT_USER
           OR id IN (SELECT a.candidate_id
                       FROM @extschema@.contract AS k JOIN @extschema@.activity AS a ON a.contract_id = k.id
                      WHERE k.supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
));

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

COMMENT ON TABLE @extschema@.quarter_report IS 'quarterly SROI reports received from suppliers (guideline 5.3, 6.3)';

COMMENT ON COLUMN @extschema@.quarter_report.contract_id IS 'the contract';

COMMENT ON COLUMN @extschema@.quarter_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger quarter_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';

COMMENT ON COLUMN @extschema@.quarter_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger quarter_report_40_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';

COMMENT ON COLUMN @extschema@.quarter_report.quarter IS 'the quarter reported on';

COMMENT ON COLUMN @extschema@.quarter_report.submitted_on IS 'date the report was received';

CREATE TRIGGER quarter_report_50_validate BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('quarter_report');

-- Who reads and writes quarter_report: contract managers edit it for their municipalities'
-- contracts, coordinators for all, suppliers read it for their own and enter their quarterly reports, dated the day they enter them (no back-dating).  Triggers
-- quarter_report_10_access and quarter_report_40_scope, fired before quarter_report_50_validate (above), row-level security
-- and privileges: secure_contract_table (04_scope.sql).
SELECT @extschema@.secure_contract_table('quarter_report', 'edit');

CREATE POLICY supplier_insert ON @extschema@.quarter_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

COMMENT ON POLICY supplier_insert ON @extschema@.quarter_report IS 'suppliers enter the quarterly reports of their own contracts, dated today (sroi.today(): no back-dating through the session''s TimeZone)';

GRANT INSERT (contract_id, quarter, submitted_on) ON @extschema@.quarter_report TO sroi_supplier;

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

COMMENT ON TABLE @extschema@.decision IS 'append-only log of every approval, rejection, override and reset, of PSO, exemption and penalty-waiver decisions and of changes to contract terms: who, when, why';

COMMENT ON COLUMN @extschema@.decision.id IS 'generated key, in the order decisions were made';

COMMENT ON COLUMN @extschema@.decision.decided_at IS 'when';

COMMENT ON COLUMN @extschema@.decision.decided_by IS 'who decided (the SR coordinator''s name)';

COMMENT ON COLUMN @extschema@.decision.recorded_by IS 'the login (session user) that recorded the decision; SET ROLE does not change it';

COMMENT ON COLUMN @extschema@.decision.kind IS 'approve, reject, override_eligibility, reset (an activity back to reported, or its override withdrawn), pso_approve, pso_withdraw, exemption, penalty_waiver contract_change (terms, supplier or municipality; the reason lists old -> new), plan_accord, plan_refusal (a Plan van Aanpak version), reporting_frequency (quarterly or monthly from a month), settlement or reopen (domain.md 6)';

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

CREATE VIEW @extschema@.plan_versions WITH (security_barrier) AS
SELECT v.contract_id, k.municipality, v.version,
       CASE WHEN v.status = 'accorded' AND v.version < cur.version THEN 'superseded' ELSE v.status END AS status,
       v.proposed_by, v.proposed_on, v.decided_by, v.decided_on, v.reason,
       coalesce(t.planned_total, 0.00)::numeric(15,2) AS planned_total,
       k.supplier, v.entered_directly, coalesce(t.lines, 0)::integer AS lines
  FROM @extschema@.plan_version AS v
  JOIN @extschema@.contract AS k ON k.id = v.contract_id
  LEFT JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = v.contract_id
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
    WITH CHECK (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])

                AND @extschema@.plan_version_proposed(contract_id, version));

COMMENT ON POLICY supplier_insert ON @extschema@.plan IS 'suppliers enter the lines of a proposed version of the plan of their own contracts';

CREATE POLICY supplier_update ON @extschema@.plan FOR UPDATE TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])

           AND @extschema@.plan_version_proposed(contract_id, version))
    WITH CHECK (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])

                AND @extschema@.plan_version_proposed(contract_id, version));

COMMENT ON POLICY supplier_update ON @extschema@.plan IS 'suppliers correct the lines of a proposed version of the plan of their own contracts';

CREATE POLICY supplier_delete ON @extschema@.plan FOR DELETE TO sroi_supplier
    USING (supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])

           AND @extschema@.plan_version_proposed(contract_id, version));

COMMENT ON POLICY supplier_delete ON @extschema@.plan IS 'suppliers delete lines of a proposed version of the plan of their own contracts';

GRANT INSERT (contract_id, quarter, block, planned_value, version, planned_persons),
      UPDATE (contract_id, quarter, block, planned_value, version, planned_persons), DELETE
    ON @extschema@.plan TO sroi_supplier;

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
    IF NEW.gap <> greatest(NEW.obligation - NEW.realised, 0) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('gap must be max(0, obligation - realised) = %s, got %s',
                   greatest(NEW.obligation - NEW.realised, 0), NEW.gap));
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

SELECT @extschema@.secure_contract_table('settlement', 'read');

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

SELECT @extschema@.secure_contract_table('action_item', 'edit', write_privileges => 'SELECT, DELETE');

GRANT INSERT (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, created_on, activity_id),
      UPDATE (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, activity_id)
    ON @extschema@.action_item TO sroi_coordinator, sroi_contract_manager;

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

SELECT @extschema@.secure_contract_table('reporting_frequency', 'read');

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

SELECT @extschema@.secure_contract_table('period_report', 'edit');

CREATE POLICY supplier_insert ON @extschema@.period_report FOR INSERT TO sroi_supplier
    WITH CHECK (submitted_on = @extschema@.today()
                AND supplier = ANY ((SELECT @extschema@.scope_suppliers())::text[])
);

COMMENT ON POLICY supplier_insert ON @extschema@.period_report IS 'suppliers enter the monthly reports of their own contracts, dated today (sroi.today(): no back-dating)';

GRANT INSERT (contract_id, period_start, period_end, submitted_on) ON @extschema@.period_report TO sroi_supplier;

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

COMMENT ON FUNCTION @extschema@.div_round(numeric, numeric, integer) IS
    'numerator / denominator rounded half away from zero to the given decimals (0 to 10), exactly; denominator > 0';

-- The caller of a report function: the role the view or query runs as.  The views
-- and FN(as_of) pass CURRENT_USER; a direct call of report_FN may name only a role the
-- login may act as (inside a SECURITY DEFINER function CURRENT_USER is the owner).
CREATE FUNCTION @extschema@.report_caller(caller name) RETURNS name
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF caller IS NULL OR NOT pg_has_role(SESSION_USER, caller, 'MEMBER') THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('role %s cannot read the reports as role %s', SESSION_USER, coalesce(caller::text, 'NULL'));
    END IF;
    RETURN caller;
END
$$;

COMMENT ON FUNCTION @extschema@.report_caller(name) IS
    'the caller named to a report function, when the login may act as it; else 42501 (internal)';

-- The as-of dates a report_FN function shows a caller who is not a coordinator: today
-- and the last days of ended quarters, so that stepping the date a day at a time cannot
-- tie a suppressed cell to a placement's start day.
CREATE FUNCTION @extschema@.report_as_of(as_of date, caller name) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NULL OR @extschema@.is_coordinator(caller) OR as_of = @extschema@.today()
       OR (as_of = @extschema@.quarter_end(@extschema@.quarter(as_of)) AND as_of < @extschema@.today()) THEN
        RETURN as_of;
    END IF;
    PERFORM @extschema@.raise_invalid('22023',
        format('as_of must be today (%s) or the last day of a quarter that has ended, got %s', @extschema@.today(), as_of),
        'Readers get the figures at quarter ends and today; SR coordinators at any date.');
END
$$;

COMMENT ON FUNCTION @extschema@.report_as_of(date, name) IS
    'the as-of date a report function may show the caller: any for a coordinator, else today or an ended quarter''s last day; 22023 otherwise (internal)';

-- Small cells: the least number of persons a figure shown to those who may not read
-- the persons may rest on (decision: 5, as CBS practice).
CREATE FUNCTION @extschema@.small_cell_persons() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 5;

COMMENT ON FUNCTION @extschema@.small_cell_persons() IS
    'the least number of persons a figure shown to a caller who may not read them may rest on (decision: 5); fewer is suppressed';

-- Whether a figure resting on that many persons is a small cell: some, but fewer than
-- small_cell_persons() (none is no cell to hide).  Inlined where the reports call it.
CREATE FUNCTION @extschema@.small_cell(persons bigint) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN persons > 0 AND persons < @extschema@.small_cell_persons();

COMMENT ON FUNCTION @extschema@.small_cell(bigint) IS
    'true when a figure rests on 1 to small_cell_persons() - 1 persons: hidden from a caller who may not read them';

-- Whether a role may read the person-level data of a municipality: a coordinator, or a
-- contract manager acting for it (the pages of 11_report_html.sql ask it per page; the
-- reports compute the same once per query in the macro caller_scope below).
CREATE FUNCTION @extschema@.may_read_persons(caller name, municipality text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN @extschema@.is_coordinator(caller)
        OR municipality OPERATOR(pg_catalog.=) ANY (@extschema@.scopes('municipality', caller));

COMMENT ON FUNCTION @extschema@.may_read_persons(name, text) IS
    'whether a role may read the person-level data of a municipality: a coordinator, or a contract manager acting for it';

-- Who the caller is, computed once per query: a coordinator, or a contract manager of
-- which municipalities.  They read the persons of those municipalities anyway, so
-- nothing is suppressed for them there.  Each value is a scalar subquery of its own (an
-- InitPlan, run once), as the planner pulls this FROM-less subquery up into the query
-- and would otherwise call the functions again for every row that uses them.

-- One row per value line: each activity, plus one line per bonus it claims
-- (domain.md 3: a bonus accrues like its base activity and shares its status).
-- The arguments of the accrual functions (sroi.accrued_sum, accrual_by_quarter,
-- accrual_days_by_quarter) from a value line l, around the as-of date:
-- f(line_terms, as_of, line_caps).
CREATE VIEW @extschema@.value_line AS
SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
;

ALTER VIEW @extschema@.value_line SET (security_invoker = true);

COMMENT ON VIEW @extschema@.value_line IS
    'one row per value line: each activity with the accrual terms of its block, and one more per bonus it claims (internal to the monitoring functions; holds person-level rows)';

-- value_line holds person-level rows: for the roles that read the tables anyway,
-- under their policies (security_invoker), never PUBLIC or readers.
REVOKE ALL ON @extschema@.value_line FROM PUBLIC;

GRANT SELECT ON @extschema@.value_line TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

COMMENT ON COLUMN @extschema@.value_line.activity_id IS 'the activity';

COMMENT ON COLUMN @extschema@.value_line.contract_id IS 'the contract it counts for';

COMMENT ON COLUMN @extschema@.value_line.municipality IS 'the contract''s municipality';

COMMENT ON COLUMN @extschema@.value_line.supplier IS 'the contract''s supplier';

COMMENT ON COLUMN @extschema@.value_line.delivered_by IS 'who delivered it: the subcontractor, else the supplier';

COMMENT ON COLUMN @extschema@.value_line.candidate_id IS 'the person placed, if any';

COMMENT ON COLUMN @extschema@.value_line.benefit IS 'the person''s benefit';

COMMENT ON COLUMN @extschema@.value_line.category IS 'A, B, C, or bonus for a bonus line';

COMMENT ON COLUMN @extschema@.value_line.block IS 'building block code; BONUS12 or BONUS13 on a bonus line';

COMMENT ON COLUMN @extschema@.value_line.status IS 'reported, approved or rejected';

COMMENT ON COLUMN @extschema@.value_line.counted IS 'enters realised value (domain.md 3)';

COMMENT ON COLUMN @extschema@.value_line.pending IS 'needs approval and is still reported';

COMMENT ON COLUMN @extschema@.value_line.unit IS 'accrual unit';

COMMENT ON COLUMN @extschema@.value_line.amount IS 'euro amount the accrual starts from';

COMMENT ON COLUMN @extschema@.value_line.reference_months IS 'months one amount stands for (fte_period)';

COMMENT ON COLUMN @extschema@.value_line.quantity IS 'fte (fte_period) or hours (hour)';

COMMENT ON COLUMN @extschema@.value_line.max_months IS 'cap on the months counted';

COMMENT ON COLUMN @extschema@.value_line.starts_on IS 'first day';

COMMENT ON COLUMN @extschema@.value_line.ends_on IS 'last day counted: the end, or the end of the indication for A4 and A4B; NULL: ongoing';

COMMENT ON COLUMN @extschema@.value_line.planned_ends_on IS 'planned end of an agreement';

COMMENT ON COLUMN @extschema@.value_line.term_starts_on IS 'first day of the contract term';

COMMENT ON COLUMN @extschema@.value_line.term_ends_on IS 'last day of the contract term';

COMMENT ON COLUMN @extschema@.value_line.fte IS 'fte of the activity';

-- Gross obligation, PSO discount, net obligation and expected value of the contract k
-- on the date target_on.on_date (domain.md 1, 5, 7.5): a LATERAL subquery beside k, its
-- rate card card and its PSO rung's rate (macro contract_card, a LEFT JOIN: none when the
-- card has no rate for the rung).  The query joins them (hash joins) rather than this
-- subquery looking them up for each contract (a scan restarted per row, with a system
-- call each).

CREATE FUNCTION @extschema@.contract_targets(contract_id text, on_date date)
    RETURNS TABLE (obligation_gross numeric, pso_discount numeric, obligation numeric, expected numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT t.obligation_gross, t.pso_discount, t.obligation, t.expected
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT contract_targets.on_date AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
     WHERE k.id = contract_targets.contract_id AND contract_targets.on_date IS NOT NULL;
END;

COMMENT ON FUNCTION @extschema@.contract_targets(text, date) IS
    'obligation_gross, pso_discount, obligation and expected value to date of one contract on a date (domain.md 1 and 5)';

-- domain.md 7.6: on the turnover basis the obligation grows until the contract's end
-- date, so it is final only from then on; on the contract value it is final throughout.
CREATE FUNCTION @extschema@.obligation_final(basis text, on_date date, ends_on date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN basis <> 'turnover' OR on_date >= ends_on;

COMMENT ON FUNCTION @extschema@.obligation_final(text, date, date) IS
    'whether a contract''s obligation is final on a date: always on the contract value, from the end date on the turnover basis (domain.md 7.6)';

-- domain.md 5 (decision, thresholds configurable on the rate card).  final:
-- whether the obligation is final; on the turnover basis it grows until the
-- contract's end date, so before it the best status is on_track (domain.md 7.6).
CREATE FUNCTION @extschema@.monitoring_status(obligation numeric, realised numeric, expected numeric,
                                              at_risk_pct numeric, final boolean)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation = 0 THEN 'not_applicable'
                WHEN realised >= obligation AND final THEN 'fulfilled'
                WHEN realised >= expected THEN 'on_track'
                WHEN realised * 100 >= expected * at_risk_pct THEN 'at_risk'
                ELSE 'behind' END;

COMMENT ON FUNCTION @extschema@.monitoring_status(numeric, numeric, numeric, numeric, boolean) IS
    'not_applicable (obligation 0), fulfilled (realised >= obligation, once the obligation is final), on_track (realised >= expected), at_risk (>= at_risk_pct % of expected) or behind';

-- domain.md 5: the share of the obligation realised, in percent to one decimal (half
-- away from zero); none without an obligation.
CREATE FUNCTION @extschema@.pct_realised(realised numeric, obligation numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN obligation > 0 THEN @extschema@.div_round(100 * realised, obligation, 1) END;

COMMENT ON FUNCTION @extschema@.pct_realised(numeric, numeric) IS
    'realised as a percentage of the obligation, 1 decimal, rounded half away from zero; NULL when the obligation is 0 (domain.md 5)';

-- domain.md 6.4: a quarter's fte, from fte x counted days (macro quantity_sums): over the
-- days of the quarter, 2 decimals, rounded once.
CREATE FUNCTION @extschema@.quarter_fte(fte_days numeric, q @extschema@.quarter) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.div_round(coalesce(fte_days, 0), @extschema@.quarter_end(q) - @extschema@.quarter_start(q) + 1, 2);

COMMENT ON FUNCTION @extschema@.quarter_fte(numeric, @extschema@.quarter) IS
    'the fte of a quarter: fte x counted days over the days of the quarter, 2 decimals, half away from zero; 0 without days (domain.md 6.4)';

-- The status of the report of a reporting period, from its due date (domain.md 5, 6.3):
-- submitted by the due date, late after it; missing: not_due on the due date and overdue
-- from the next day (domain.md 7.7).  A report received after the as-of date was still
-- missing on it.
CREATE FUNCTION @extschema@.period_report_status(due_on date, submitted_on date, as_of date)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN submitted_on <= as_of AND submitted_on <= due_on THEN 'submitted'
                WHEN submitted_on <= as_of THEN 'late'
                WHEN as_of > due_on THEN 'overdue'
                ELSE 'not_due' END;

COMMENT ON FUNCTION @extschema@.period_report_status(date, date, date) IS
    'submitted (by the due date), late (after it), overdue (due and missing) or not_due, of the report of a period due on a date';

-- The same for a quarter's report, due report_due_days after the quarter's end.
CREATE FUNCTION @extschema@.report_status(q @extschema@.quarter, submitted_on date, due_days integer, as_of date)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.period_report_status(@extschema@.quarter_end(q) + due_days, submitted_on, as_of);

COMMENT ON FUNCTION @extschema@.report_status(@extschema@.quarter, date, integer, date) IS
    'submitted (by the due date), late (after it), overdue (due and missing) or not_due';

-- A quarter reported per month, or partly per month and partly by its quarterly report
-- (domain.md 6.3; decision): its report_status in quarterly_progress is that of its
-- reports together, the worst of them in the order overdue, not_due, late, submitted:
-- overdue when any is overdue; else not_due while any is not yet due (the quarter's
-- reporting is not complete); else late when any came late; else submitted.  The
-- ranks below order them.
CREATE FUNCTION @extschema@.report_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.array_position(ARRAY['submitted', 'late', 'not_due', 'overdue'], status);

COMMENT ON FUNCTION @extschema@.report_status_rank(text) IS
    'orders the report statuses from best to worst: submitted 1, late 2, not_due 3, overdue 4 (internal)';

CREATE FUNCTION @extschema@.report_status_of_rank(rank integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (ARRAY['submitted', 'late', 'not_due', 'overdue'])[rank];

COMMENT ON FUNCTION @extschema@.report_status_of_rank(integer) IS
    'the report status of a rank of report_status_rank (internal)';

-- The calendar months of a quarter that overlap a contract's term.
CREATE FUNCTION @extschema@.term_months_in_quarter(q @extschema@.quarter, starts_on date, ends_on date)
    RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT ((pg_catalog.date_part('year', l) * 12 + pg_catalog.date_part('month', l))
                    - (pg_catalog.date_part('year', f) * 12 + pg_catalog.date_part('month', f)))::integer + 1
              FROM (SELECT greatest(@extschema@.quarter_start(q), starts_on) AS f,
                           least(@extschema@.quarter_end(q), ends_on) AS l) AS d);

COMMENT ON FUNCTION @extschema@.term_months_in_quarter(@extschema@.quarter, date, date) IS
    'the number of calendar months of a quarter that overlap a term (internal)';

-- Who reads the stored figures: the reports, as the view's owner or as the caller of an
-- as-of function (with the row-level security of the contract's other tables).
-- (Written only by refresh_figures, with their scope columns: no triggers.)
SELECT @extschema@.secure_contract_table('contract_figures', 'read', triggers => false);

SELECT @extschema@.secure_contract_table('quarter_figures', 'read', triggers => false);

-- suppliers: the grant, so that their as-of functions may ask; no policy, so no row
SELECT @extschema@.secure_contract_table('municipality_figures', 'read', suppliers => false, triggers => false);

SELECT @extschema@.secure_contract_table('outcome_figures', 'read', suppliers => false, triggers => false);

CREATE POLICY read_all ON @extschema@.figures_state FOR SELECT USING (true);

COMMENT ON POLICY read_all ON @extschema@.figures_state IS 'the date and flag are no one''s secret: whoever reads the figures reads them (writes: the owner, through refresh_figures and figures_stale)';

GRANT SELECT ON @extschema@.figures_state TO sroi_coordinator, sroi_contract_manager, sroi_supplier;

-- all_stored: the figures of every contract are stored for the date.

-- The value lines l (or contracts l) whose contract's figures of the date are not stored
-- (value_lines' contract_id is k.id: the planner may test the contracts before it joins
-- their activities).

-- contract_sums: per contract (contract_id, municipality) not stored for the date, the
-- realised value per category (a, b, c, bonus), the pending value and the distinct
-- persons (domain.md 3, 5).

-- quarter_sums: per contract (contract_id, municipality) not stored for the date and
-- quarter with value: realised, pending and the quantities (quantity_sums).

-- The value lines l of the municipalities whose quantities of the date are not stored
-- (municipality_figures; a row without a quarter marks a municipality stored).

-- municipality_sums: per municipality not stored for the date and quarter, the
-- quantities (quantity_sums) over all its contracts: a person counted once.

-- Realised value per contract and category at a date (domain.md 5), with the
-- category split of a contract whose value rests on 1 to 4 persons suppressed for a
-- caller who may not read its municipality's persons.

CREATE VIEW @extschema@.contract_compliance WITH (security_barrier) AS
SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT (SELECT @extschema@.today()) AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = (SELECT @extschema@.today())
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f

 ORDER BY 1;

CREATE FUNCTION @extschema@.compliance_for(as_of date, caller name)
    RETURNS SETOF @extschema@.contract_compliance LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT compliance_for.as_of AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = compliance_for.as_of
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, compliance_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, compliance_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, compliance_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, compliance_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, compliance_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= compliance_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = compliance_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = compliance_for.as_of)

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(compliance_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', compliance_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f

 ORDER BY 1;
END;

COMMENT ON FUNCTION @extschema@.compliance_for(date, name) IS
    'the rows of the view contract_compliance as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.compliance(as_of date)
    RETURNS SETOF @extschema@.contract_compliance LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.compliance_for(compliance.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.compliance(date) IS
    'the rows of the view contract_compliance as of any date that the caller may read (its row-level security applies; readers use report_compliance)';

CREATE FUNCTION @extschema@.report_compliance(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.contract_compliance LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.compliance_for(@extschema@.report_as_of(report_compliance.as_of,
        @extschema@.report_caller(report_compliance.caller)), report_compliance.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_compliance(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_compliance(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_compliance(date, name) IS
    'the rows of the view contract_compliance as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_compliance(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.contract_compliance LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_compliance.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_compliance.municipality);
    END IF;
    IF report_compliance.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_compliance.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.compliance_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_compliance.as_of, @extschema@.report_caller(report_compliance.caller)), report_compliance.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_compliance(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_compliance(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_compliance(date, name, text, text) IS
    'report_compliance(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.contract_compliance IS 'SROI compliance per contract today; sroi.compliance(as_of) gives it for any date (the caller''s rows), sroi.report_compliance(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.contract_compliance.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.contract_compliance.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.contract_compliance.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.contract_compliance.contract_value IS 'contract value in euros, excl. VAT';

COMMENT ON COLUMN @extschema@.contract_compliance.obligation_gross IS 'SROI obligation before the PSO discount, euros';

COMMENT ON COLUMN @extschema@.contract_compliance.pso_discount IS 'approved PSO discount on the labour component, euros';

COMMENT ON COLUMN @extschema@.contract_compliance.obligation IS 'SROI obligation after the PSO discount (to date, on the turnover basis), euros; a contract''s figure: do not sum it over quarters';

COMMENT ON COLUMN @extschema@.contract_compliance.realised IS 'value realised to date, euros: realised_a + realised_b + realised_c + realised_bonus';

COMMENT ON COLUMN @extschema@.contract_compliance.realised_a IS 'realised in category A (employment), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.contract_compliance.realised_b IS 'realised in category B (learning, work experience), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.contract_compliance.realised_c IS 'realised in category C (other social activity), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.contract_compliance.realised_bonus IS 'realised in bonuses 12 and 13, euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.contract_compliance.pending IS 'value of activities awaiting the coordinator''s approval (C9, C11, M), euros; not in realised';

COMMENT ON COLUMN @extschema@.contract_compliance.expected_to_date IS 'value expected by the as-of date: linear over the term, or by the phasing schedule, euros';

COMMENT ON COLUMN @extschema@.contract_compliance.gap IS 'obligation still to realise, never below 0, euros';

COMMENT ON COLUMN @extschema@.contract_compliance.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal); NULL when the obligation is 0';

COMMENT ON COLUMN @extschema@.contract_compliance.status IS 'not_applicable, fulfilled, on_track, at_risk (at least 75 % of expected) or behind';

COMMENT ON COLUMN @extschema@.contract_compliance.projected_at_end IS 'realised / elapsed share of the term, once 10 % of it has passed, euros; else NULL';

COMMENT ON COLUMN @extschema@.contract_compliance.penalty_exposure IS 'penalty if nothing more were delivered: gap x penalty percentage, euros; 0 when waived';

COMMENT ON COLUMN @extschema@.contract_compliance.pso_expired IS 'the PSO discount is approved but the certificate has expired: for the coordinator to review';

COMMENT ON COLUMN @extschema@.contract_compliance.rate_card IS 'the rate card the contract is pinned to';

COMMENT ON COLUMN @extschema@.contract_compliance.basis IS 'contract_value or turnover';

COMMENT ON COLUMN @extschema@.contract_compliance.as_of IS 'the date the figures are for';

COMMENT ON COLUMN @extschema@.contract_compliance.persons IS 'distinct persons with counted value to date; do not sum over contracts (a person may count on two)';

COMMENT ON COLUMN @extschema@.contract_compliance.categories_suppressed IS 'true when realised_a, realised_b, realised_c and realised_bonus are NULL for you: 1 to 4 persons, whose earnings the split would show';

COMMENT ON COLUMN @extschema@.contract_compliance.settled IS 'the SR coordinator settled the contract by the as-of date (sroi.settle): its figures are final and its data frozen; sroi.settlements shows the settlement';

-- One row per contract and quarter, from the contract's start quarter to the as-of
-- quarter (or its end quarter, when it ended before), domain.md 5, 7.5: computed, for
-- the contracts whose rows of the date are not stored, and the same for every caller
-- (quarterly_rows below adds what the caller may read).  Its columns are those of
-- quarter_figures after as_of, which refresh_figures fills from it.


-- quarterly_rows: the rows of quarterly_base, stored (quarter_figures of the date) or
-- computed, with what the caller may read: small cells (as target_group_outcomes: 1 to 4
-- persons) NULL for a caller who may not read the municipality's persons; new persons
-- in every quarter of a contract with any quarter of 1 to 4 (new_persons_small).

-- outcome_cells: per municipality not stored for the date, quarter and target group
-- (the person's benefit) the cells of target_group_outcomes (08_reports.sql): the
-- distinct persons, their average fte placed over the quarter (to the as-of date in the
-- current one) and the value realised, of the counted lines with a person.

-- The INSERTs, called by refresh_figures; one statement, so that both parts read the
-- tables before either stores anything.  PL/pgSQL, not a SQL function: its statement is
-- planned for the date given (a custom plan), where a SQL function's is planned for any
-- date, and "not stored yet for the date" (macro not_stored) was then estimated from the
-- share of the rows of the one date stored (all of them): once the figures of today were
-- stored, storing those of the last quarter end nested every sum per contract (10,000
-- contracts: over 10 minutes; its parts planned for the date: 6 s).
-- Only what is not stored yet for the date: the contracts without a row of it, the
-- municipalities without their marking row (the sums' macros leave out the others).
CREATE FUNCTION @extschema@.store_figures(as_of date) RETURNS void
    LANGUAGE plpgsql VOLATILE
    -- the schema first: the macros compare quarters with its operators
    SET search_path = @extschema@, pg_catalog, pg_temp
AS $$
BEGIN
    WITH stored AS (
        INSERT INTO @extschema@.contract_figures (contract_id, municipality, supplier, as_of, realised_a, realised_b,
                                                  realised_c, realised_bonus, pending, persons)
        SELECT k.id, k.municipality, k.supplier, store_figures.as_of, coalesce(v.a, 0), coalesce(v.b, 0),
               coalesce(v.c, 0), coalesce(v.bonus, 0), coalesce(v.pending, 0), coalesce(v.persons, 0)
          FROM @extschema@.contract AS k
          LEFT JOIN (SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= store_figures.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = store_figures.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = store_figures.as_of)

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality
) AS v ON v.contract_id = k.id
         WHERE NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f
                            WHERE f.contract_id = k.id AND f.as_of = store_figures.as_of)
        RETURNING 1
    ), outcomes AS (
        INSERT INTO @extschema@.outcome_figures (municipality, quarter, benefit, as_of, persons, fte, realised)
        SELECT o.municipality, o.quarter, o.benefit, store_figures.as_of, o.persons, o.fte, o.realised
          FROM (SELECT e.municipality, e.quarter, e.benefit, @extschema@.persons(e.candidate_id) AS persons,
       round(coalesce(sum(e.fte * (least(coalesce(e.ends_on, e.measured_on), e.term_ends_on, e.measured_on)
                                   - greatest(e.starts_on, e.term_starts_on, @extschema@.quarter_start(e.quarter)) + 1)
                          / (e.measured_on - @extschema@.quarter_start(e.quarter) + 1))
                      FILTER (WHERE e.unit = 'fte_period' AND e.category <> 'bonus'), 0), 4) AS fte,
       sum(e.value) AS realised
  FROM (SELECT l.*, v.quarter, v.value, least(@extschema@.quarter_end(v.quarter), store_figures.as_of) AS measured_on
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v
         WHERE l.counted AND l.candidate_id IS NOT NULL AND l.starts_on <= store_figures.as_of
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = store_figures.as_of)
) AS e
 GROUP BY e.municipality, e.quarter, e.benefit
) AS o
        RETURNING 1
    ), municipal AS (
        INSERT INTO @extschema@.municipality_figures (municipality, quarter, as_of, persons, new_persons, fte_days, hours)
        SELECT k.municipality, NULL, store_figures.as_of, NULL, NULL, NULL, NULL
          FROM @extschema@.contract AS k
         WHERE NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
                            WHERE mf.municipality = k.municipality AND mf.as_of = store_figures.as_of
                              AND mf.quarter IS NULL)
         GROUP BY k.municipality
        UNION ALL
        SELECT m.municipality, m.quarter, store_figures.as_of, m.persons, m.new_persons, m.fte_days, m.hours
          FROM (SELECT r.municipality, r.quarter, @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         -- the lines that count a person or hours
         WHERE l.counted AND l.starts_on <= store_figures.as_of AND (l.candidate_id IS NOT NULL OR l.unit = 'hour')
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = store_figures.as_of)
) AS r
 GROUP BY r.municipality, r.quarter
) AS m
        RETURNING 1
    )
    INSERT INTO @extschema@.quarter_figures (contract_id, municipality, supplier, quarter, as_of, planned, realised,
                                             realised_cum, expected_cum, deviation, deviation_cum, status, intensify,
                                             report_status, pending, planned_cum, obligation, measured_on, trend,
                                             report_submitted_on, persons, new_persons, fte, hours, planned_persons,
                                             new_persons_small)
    SELECT b.contract_id, b.municipality, b.supplier, b.quarter, store_figures.as_of, b.planned, b.realised,
           b.realised_cum, b.expected_cum, b.deviation, b.deviation_cum, b.status, b.intensify, b.report_status,
           b.pending, b.planned_cum, b.obligation, b.measured_on, b.trend, b.report_submitted_on, b.persons,
           b.new_persons, b.fte, b.hours, b.planned_persons, b.new_persons_small
      FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), store_figures.as_of) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(store_figures.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= store_figures.as_of
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = store_figures.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = store_figures.as_of)

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, store_figures.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= store_figures.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = store_figures.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = store_figures.as_of)
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, store_figures.as_of)))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, store_figures.as_of)
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, store_figures.as_of)) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b
     -- a municipality's rows (a contract's) together on disk: a filtered report reads a
     -- few pages, not one per row
     ORDER BY b.municipality, b.contract_id, b.quarter;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.store_figures(date) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.store_figures(date) IS
    'stores the figures of the contracts and municipalities that have none of the date (internal, for sroi.refresh_figures)';

-- The statistics of the figures' tables, taken again: refresh_figures takes them after
-- emptying the tables, between its two dates, after storing and after a failure.
CREATE FUNCTION @extschema@.analyse_figures() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    ANALYZE @extschema@.contract_figures, @extschema@.quarter_figures,
            @extschema@.municipality_figures, @extschema@.outcome_figures;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.analyse_figures() FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.analyse_figures() IS
    'analyses contract_figures, quarter_figures, municipality_figures and outcome_figures (internal, for sroi.refresh_figures)';

-- Stores the figures of every contract as of a date (today by default) and says how
-- many rows: one per contract, one per contract and quarter with value, and how many
-- municipalities (municipality_figures).  The SR
-- coordinator (or a daily job as the owner) calls it.  It waits for the writers of the
-- tables the figures rest on and keeps new writes waiting while it runs (SHARE locks;
-- readers are never blocked), so no change slips between its reading and its storing;
-- read committed only, as a snapshot taken before the locks could miss a change.
CREATE FUNCTION @extschema@.refresh_figures(as_of date DEFAULT @extschema@.today())
    RETURNS TABLE (contracts bigint, quarters bigint, municipalities bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    locked boolean := false;
    -- the last day of the quarter before as_of's: the last quarter end before it
    ended date;
BEGIN
    IF refresh_figures.as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'as_of must not be NULL', 'Give the date the figures are for.');
    END IF;
    ended := @extschema@.quarter_start(@extschema@.quarter(refresh_figures.as_of)) - 1;
    IF ended < DATE '0001-01-01' THEN
        ended := NULL;      -- no quarter before year 1's first
    END IF;
    IF pg_catalog.current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING ERRCODE = '25001',
            MESSAGE = 'sroi.refresh_figures() must run at isolation level read committed',
            DETAIL = 'A snapshot taken before it waits for the writers could miss their changes.';
    END IF;
    -- sroi.distribute() (12_citus.sql) turns the cache off on a Citus cluster
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger AS t
                    WHERE t.tgfoid = '@extschema@.figures_stale()'::regprocedure) THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = 'the figures cache is off: sroi.distribute() removed its triggers for the Citus cluster',
            DETAIL = 'On Citus the reports compute their figures.';
    END IF;
    -- All the locks or none.  Taken one by one and waited for, they could deadlock with a
    -- writer that holds one table (a new person) and then writes another (their
    -- activity, whose trigger writes the figures): so each attempt takes them without
    -- waiting, in a subtransaction that gives back what it got when one is busy, and
    -- the next comes 0.1 s later, for at most 60 s (600 attempts).
    FOR attempt IN 1 .. 600 LOOP
        BEGIN
            LOCK TABLE @extschema@.contract, @extschema@.activity, @extschema@.candidate, @extschema@.plan,
                       @extschema@.plan_version, @extschema@.turnover, @extschema@.phasing,
                       @extschema@.quarter_report, @extschema@.reporting_frequency, @extschema@.period_report
                IN SHARE MODE NOWAIT;
            LOCK TABLE @extschema@.contract_figures, @extschema@.quarter_figures, @extschema@.municipality_figures,
                       @extschema@.outcome_figures, @extschema@.figures_state IN EXCLUSIVE MODE NOWAIT;
            locked := true;
        EXCEPTION WHEN lock_not_available THEN
            locked := false;
        END;
        EXIT WHEN locked;
        PERFORM pg_catalog.pg_sleep(0.1);
    END LOOP;
    IF NOT locked THEN
        RAISE EXCEPTION USING ERRCODE = '55P03',
            MESSAGE = 'sroi.refresh_figures() found the tables in use by writers for 60 seconds',
            DETAIL = 'Nothing was stored; the reports compute their figures until a refresh succeeds.',
            HINT = 'Run it again at a quieter moment.';
    END IF;
    -- The figures of as_of are stored anew, and those of the last quarter end before it
    -- (ended) kept and completed: a quarter's report is drawn up after the quarter, at
    -- its end date (sroi.report_html; readers get today and ended quarters' ends), and
    -- those figures change only where data changed, which deleted them (figures_stale).
    -- Any other date's go.  Then the statistics are reset: they still counted the rows
    -- just deleted, and a second refresh of the same date planned store_figures' test
    -- "not stored yet" (macro not_stored) from them: every contract counted as stored,
    -- the anti-join estimated at 1 row and every sum above it nested per contract (bench
    -- data, 100,000 contracts: cancelled after 12 minutes; the first refresh takes 91 s).
    -- An ANALYZE in this transaction counts the deleted rows as gone.  That count is
    -- written at once, not at commit: if the refresh fails or is cancelled, the block
    -- below gives the rows back (its subtransaction) and analyses them again, so that
    -- the reports do not plan the figures that stay as an empty table.  Between the two
    -- dates, another ANALYZE: those of as_of are then counted, those of ended as they are.
    BEGIN
        DELETE FROM @extschema@.quarter_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.contract_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.municipality_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.outcome_figures AS f WHERE f.as_of IS DISTINCT FROM ended;
        DELETE FROM @extschema@.figures_state AS f WHERE f.as_of IS DISTINCT FROM ended;
        PERFORM @extschema@.analyse_figures();
        PERFORM @extschema@.store_figures(refresh_figures.as_of);
        IF ended IS NOT NULL AND NOT EXISTS (SELECT 1 FROM @extschema@.figures_state AS f
                                              WHERE f.as_of = ended AND f.complete) THEN
            PERFORM @extschema@.analyse_figures();
            PERFORM @extschema@.store_figures(ended);
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM @extschema@.analyse_figures();
        RAISE;
    END;
    INSERT INTO @extschema@.figures_state AS f (as_of, complete)
    SELECT d, true FROM unnest(ARRAY[refresh_figures.as_of, ended]) AS d WHERE d IS NOT NULL
    ON CONFLICT ON CONSTRAINT figures_state_pkey DO UPDATE SET complete = true, refreshed_at = EXCLUDED.refreshed_at;
    PERFORM @extschema@.analyse_figures();
    RETURN QUERY SELECT (SELECT count(*) FROM @extschema@.contract_figures AS c WHERE c.as_of = refresh_figures.as_of),
                        (SELECT count(*) FROM @extschema@.quarter_figures AS q WHERE q.as_of = refresh_figures.as_of),
                        (SELECT count(*) FROM @extschema@.municipality_figures AS m
                          WHERE m.quarter IS NULL AND m.as_of = refresh_figures.as_of);
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.refresh_figures(date) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.refresh_figures(date) TO sroi_coordinator;

COMMENT ON FUNCTION @extschema@.refresh_figures(date) IS
    'stores the value figures of every contract as of a date (default today), and completes those of the last quarter end before it, so that the reports of those dates read them instead of computing them; run it daily and after a bulk load; returns the rows stored for the date (SR coordinator; SECURITY DEFINER)';

-- A change to what the figures rest on deletes the stored figures of the contracts it
-- touches (quarter_figures with them): TG_ARGV[0] says what the row names, a contract
-- (activity, contract), a contract's fact that only its quarterly rows rest on
-- ('progress': plan, targets, reports) or a person (candidate: the contracts that place
-- them), TG_ARGV[1] in which column.  The building blocks of a card in use never change (rate_card_guard).
-- SECURITY DEFINER: the writer may not write the figures.  AFTER row triggers named
-- TABLE_figures_stale.
CREATE FUNCTION @extschema@.figures_stale() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- the row's images: the old one (UPDATE, DELETE) and the new one (INSERT, UPDATE)
    images jsonb[] := CASE TG_OP WHEN 'INSERT' THEN ARRAY[pg_catalog.to_jsonb(NEW)]
                                 WHEN 'DELETE' THEN ARRAY[pg_catalog.to_jsonb(OLD)]
                                 ELSE ARRAY[pg_catalog.to_jsonb(OLD), pg_catalog.to_jsonb(NEW)] END;
    -- TG_ARGV[1]: the column of the row that names it
    keys text[] := ARRAY(SELECT i OPERATOR(pg_catalog.->>) TG_ARGV[1] FROM unnest(images) AS i);
    -- the municipalities the row names (activity and contract carry the contract's)
    municipalities text[] := ARRAY(SELECT i OPERATOR(pg_catalog.->>) 'municipality' FROM unnest(images) AS i);
BEGIN
    UPDATE @extschema@.figures_state SET complete = false WHERE complete;
    IF TG_ARGV[0] = 'candidate' THEN
        -- a person: the contracts and municipalities that place them
        SELECT coalesce(array_agg(DISTINCT a.contract_id), '{}'), coalesce(array_agg(DISTINCT a.municipality), '{}')
          INTO keys, municipalities
          FROM @extschema@.activity AS a WHERE a.candidate_id = ANY (keys);
    ELSIF TG_ARGV[0] NOT IN ('contract', 'progress') THEN
        RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = format('sroi.figures_stale: unknown argument %s', TG_ARGV[0]);
    END IF;
    DELETE FROM @extschema@.quarter_figures AS f WHERE f.contract_id = ANY (keys);
    DELETE FROM @extschema@.contract_figures AS f WHERE f.contract_id = ANY (keys);
    -- 'progress': a fact of the quarterly rows only (plan, turnover, reports), not of
    -- the persons, fte and hours a municipality counts
    IF TG_ARGV[0] <> 'progress' THEN
        DELETE FROM @extschema@.municipality_figures AS m WHERE m.municipality = ANY (municipalities);
        DELETE FROM @extschema@.outcome_figures AS o WHERE o.municipality = ANY (municipalities);
    END IF;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.figures_stale() FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.figures_stale() IS
    'trigger: deletes the stored figures (contract_figures, quarter_figures, municipality_figures, outcome_figures) of the contracts and municipalities a change touches (internal)';

CREATE TRIGGER activity_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('contract', 'contract_id');

COMMENT ON TRIGGER activity_figures_stale ON @extschema@.activity IS 'an activity changed: its contract''s stored figures are deleted';

CREATE TRIGGER contract_figures_stale AFTER UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('contract', 'id');

COMMENT ON TRIGGER contract_figures_stale ON @extschema@.contract IS 'a contract changed (term, scope, card): its stored figures are deleted (a deleted contract takes them along)';

CREATE TRIGGER candidate_figures_stale AFTER UPDATE OF indication_until, benefit OR DELETE ON @extschema@.candidate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('candidate', 'id');

COMMENT ON TRIGGER candidate_figures_stale ON @extschema@.candidate IS 'a person''s indication or benefit (target group) changed: the stored figures of the contracts and municipalities that place them are deleted';

-- what the quarterly rows (quarterly_base) read beside the value lines: the plan and its
-- versions, the turnover and phasing of the targets, the reports and reporting frequency
CREATE TRIGGER plan_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER plan_figures_stale ON @extschema@.plan IS 'a plan line changed: the contract''s stored quarterly rows are deleted';

CREATE TRIGGER plan_version_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.plan_version
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER plan_version_figures_stale ON @extschema@.plan_version IS 'a plan version was proposed, accorded or refused: the contract''s stored figures are deleted';

CREATE TRIGGER turnover_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER turnover_figures_stale ON @extschema@.turnover IS 'reported turnover changed the obligation: the contract''s stored figures are deleted';

CREATE TRIGGER phasing_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER phasing_figures_stale ON @extschema@.phasing IS 'the phasing schedule changed the expected value: the contract''s stored figures are deleted';

CREATE TRIGGER quarter_report_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER quarter_report_figures_stale ON @extschema@.quarter_report IS 'a quarterly report came in or changed: the contract''s stored figures are deleted';

CREATE TRIGGER reporting_frequency_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.reporting_frequency
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER reporting_frequency_figures_stale ON @extschema@.reporting_frequency IS 'the reporting frequency changed: the contract''s stored figures are deleted';

CREATE TRIGGER period_report_figures_stale AFTER INSERT OR UPDATE OR DELETE ON @extschema@.period_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.figures_stale('progress', 'contract_id');

COMMENT ON TRIGGER period_report_figures_stale ON @extschema@.period_report IS 'a monthly report came in or changed: the contract''s stored figures are deleted';

CREATE VIEW @extschema@.quarterly_progress WITH (security_barrier) AS
SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       (SELECT @extschema@.today()) AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, (SELECT @extschema@.today()) FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), (SELECT @extschema@.today())) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT @extschema@.today())), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= (SELECT @extschema@.today())
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, (SELECT @extschema@.today()))))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = (SELECT @extschema@.today())

 -- by contract and quarter (the quarter as stored, not its text: the same order, and a
 -- cheaper comparison than that of text under a locale)
 ORDER BY j.contract_id, j.quarter;

CREATE FUNCTION @extschema@.quarterly_progress_for(as_of date, caller name)
    RETURNS SETOF @extschema@.quarterly_progress LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       quarterly_progress_for.as_of AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, quarterly_progress_for.as_of FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), quarterly_progress_for.as_of) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(quarterly_progress_for.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= quarterly_progress_for.as_of
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = quarterly_progress_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = quarterly_progress_for.as_of)

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, quarterly_progress_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= quarterly_progress_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = quarterly_progress_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = quarterly_progress_for.as_of)
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, quarterly_progress_for.as_of)))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, quarterly_progress_for.as_of)
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, quarterly_progress_for.as_of)) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(quarterly_progress_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', quarterly_progress_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = quarterly_progress_for.as_of

 -- by contract and quarter (the quarter as stored, not its text: the same order, and a
 -- cheaper comparison than that of text under a locale)
 ORDER BY j.contract_id, j.quarter;
END;

COMMENT ON FUNCTION @extschema@.quarterly_progress_for(date, name) IS
    'the rows of the view quarterly_progress as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.quarterly_progress(as_of date)
    RETURNS SETOF @extschema@.quarterly_progress LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.quarterly_progress_for(quarterly_progress.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.quarterly_progress(date) IS
    'the rows of the view quarterly_progress as of any date that the caller may read (its row-level security applies; readers use report_quarterly_progress)';

CREATE FUNCTION @extschema@.report_quarterly_progress(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.quarterly_progress LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.quarterly_progress_for(@extschema@.report_as_of(report_quarterly_progress.as_of,
        @extschema@.report_caller(report_quarterly_progress.caller)), report_quarterly_progress.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_quarterly_progress(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_quarterly_progress(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_quarterly_progress(date, name) IS
    'the rows of the view quarterly_progress as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_quarterly_progress(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.quarterly_progress LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_quarterly_progress.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_quarterly_progress.municipality);
    END IF;
    IF report_quarterly_progress.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_quarterly_progress.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.quarterly_progress_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_quarterly_progress.as_of, @extschema@.report_caller(report_quarterly_progress.caller)), report_quarterly_progress.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_quarterly_progress(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_quarterly_progress(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_quarterly_progress(date, name, text, text) IS
    'report_quarterly_progress(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.quarterly_progress IS 'SROI progress per contract and quarter, up to today''s quarter; sroi.quarterly_progress(as_of) gives it for any date (the caller''s rows), sroi.report_quarterly_progress(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.quarterly_progress.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.quarterly_progress.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.quarterly_progress.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.quarterly_progress.quarter IS 'calendar quarter, e.g. 2025-Q3';

COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_start IS 'first day of the quarter';

COMMENT ON COLUMN @extschema@.quarterly_progress.quarter_end IS 'last day of the quarter';

COMMENT ON COLUMN @extschema@.quarterly_progress.planned IS 'value planned for the quarter in the latest accorded version of the Plan van Aanpak, euros';

COMMENT ON COLUMN @extschema@.quarterly_progress.realised IS 'value realised in the quarter (to the as-of date in the current one), euros';

COMMENT ON COLUMN @extschema@.quarterly_progress.realised_cum IS 'value realised from the start to the end of the quarter, euros; cumulative: do not sum over quarters';

COMMENT ON COLUMN @extschema@.quarterly_progress.expected_cum IS 'value expected by the end of the quarter (the as-of date in the current one), euros; cumulative: do not sum over quarters';

COMMENT ON COLUMN @extschema@.quarterly_progress.deviation IS 'realised - planned in the quarter, euros';

COMMENT ON COLUMN @extschema@.quarterly_progress.deviation_cum IS 'realised_cum - planned_cum, euros; cumulative: do not sum over quarters';

COMMENT ON COLUMN @extschema@.quarterly_progress.status IS 'status at the end of the quarter (the as-of date in the current one)';

COMMENT ON COLUMN @extschema@.quarterly_progress.intensify IS 'behind at this and the previous quarter end: intensify monitoring (guideline 6.4)';

COMMENT ON COLUMN @extschema@.quarterly_progress.report_status IS 'quarterly report: submitted, late, overdue (due and missing) or not_due; a quarter reported per month (domain.md 6.3): the worst of its reports in the order overdue, not_due, late, submitted (sroi.report_periods lists them)';

COMMENT ON COLUMN @extschema@.quarterly_progress.pending IS 'value awaiting approval accrued in the quarter, euros';

COMMENT ON COLUMN @extschema@.quarterly_progress.planned_cum IS 'value planned from the start to the end of the quarter, euros; cumulative: do not sum over quarters';

COMMENT ON COLUMN @extschema@.quarterly_progress.obligation IS 'obligation at the end of the quarter, euros; a contract''s figure: do not sum over quarters';

COMMENT ON COLUMN @extschema@.quarterly_progress.measured_on IS 'the day the cumulative figures are measured: the quarter end, or the as-of date';

COMMENT ON COLUMN @extschema@.quarterly_progress.trend IS 'improving, worsening or steady: realised_cum - expected_cum against the previous quarter';

COMMENT ON COLUMN @extschema@.quarterly_progress.report_submitted_on IS 'date the quarterly report was received; reported per month: the date the last of its reports was received, once all are in';

COMMENT ON COLUMN @extschema@.quarterly_progress.as_of IS 'the date the figures are for';

COMMENT ON COLUMN @extschema@.quarterly_progress.persons IS 'distinct persons with a counted activity (as realised counts it: approved or not needing approval, not rejected; pending ones do not) on a day of the quarter inside the contract term (to the as-of date in the current one); not additive: a person counts in every quarter placed, so do not sum over quarters (nor over contracts: a person may count on two); NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.quarterly_progress.new_persons IS 'persons whose first counted day on this contract lies in the quarter (one returning in a later quarter is not new); these add up over quarters to the distinct persons placed; NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.quarterly_progress.fte IS 'sum over counted fte_period activities of fte x their counted days in the quarter / days of the quarter, rounded half away from zero to 2 decimals once for the total (in the current quarter the days to the as-of date, over the whole quarter''s days); adds up over contracts; over quarters its sum is in fte-quarters (average it for the fte of a longer period); NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.quarterly_progress.hours IS 'counted hours of hour blocks (C10) dated in the quarter; additive over quarters and contracts';

COMMENT ON COLUMN @extschema@.quarterly_progress.planned_persons IS 'persons planned for the quarter: the sum of planned_persons of the quarter''s plan lines; NULL when no line plans persons';

COMMENT ON COLUMN @extschema@.quarterly_progress.deviation_persons IS 'persons - planned_persons in the quarter, beside the deviation in euros; NULL when no persons are planned or persons_suppressed';

COMMENT ON COLUMN @extschema@.quarterly_progress.persons_suppressed IS 'true when figures on persons are NULL for you (not a coordinator nor a manager of the municipality): persons, fte and deviation_persons when the quarter rests on 1 to 4 persons, new_persons also in every quarter of a contract with a quarter of 1 to 4 new persons';

-- sroi install script, part 8: the reports built on the figures of part 7, each written
-- once as its view (src/tools/expand.awk derives the as-of functions).

-- The quantities (domain.md 6.4) per municipality count each person once, whatever
-- the contracts (persons, new_persons: first counted day on any of the municipality's
-- contracts), and round the fte once for the municipality's total.  Small cells as in
-- target_group_outcomes: for a caller who may not read the municipality's persons,
-- persons and fte are NULL when the quarter rests on 1 to 4 persons, new_persons when
-- it is 1 to 4 (target_group_outcomes suppresses its cells so that none follows from
-- this total).
CREATE VIEW @extschema@.municipality_quarter WITH (security_barrier) AS
SELECT m.municipality, m.quarter, m.quarter_start, m.quarter_end, m.contracts, m.obligation, m.realised,
       m.pending, m.contracts_behind, m.as_of,
       CASE WHEN NOT h.persons THEN q.persons END::integer AS persons,
       CASE WHEN NOT h.new_persons THEN q.new_persons END::integer AS new_persons,
       CASE WHEN NOT h.persons THEN q.fte END::numeric(12,2) AS fte,
       q.hours::numeric(15,4) AS hours,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT p.municipality, p.quarter,
               @extschema@.quarter_start(p.quarter::@extschema@.quarter) AS quarter_start,
               @extschema@.quarter_end(p.quarter::@extschema@.quarter) AS quarter_end,
               count(*)::integer AS contracts, sum(c.obligation)::numeric(15,2) AS obligation,
               sum(p.realised)::numeric(15,2) AS realised, sum(p.pending)::numeric(15,2) AS pending,
               (count(*) FILTER (WHERE p.status = 'behind'))::integer AS contracts_behind,
               (SELECT @extschema@.today()) AS as_of
          FROM (SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       (SELECT @extschema@.today()) AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, (SELECT @extschema@.today()) FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), (SELECT @extschema@.today())) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT @extschema@.today())), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= (SELECT @extschema@.today())
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, (SELECT @extschema@.today()))))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = (SELECT @extschema@.today())
) AS p
          -- the municipality in the join too, so a filter on it reaches both sides
          JOIN (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT (SELECT @extschema@.today()) AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = (SELECT @extschema@.today())
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS c ON c.contract_id = p.contract_id AND c.municipality = p.municipality
         GROUP BY p.municipality, p.quarter) AS m
  -- the stored quantities of the date, or computed (the figures cache, 07_monitoring.sql)
  LEFT JOIN (
        SELECT f.municipality, f.quarter::text AS quarter, f.persons, f.new_persons, f.fte_days, f.hours
          FROM @extschema@.municipality_figures AS f
         WHERE f.as_of = (SELECT @extschema@.today()) AND f.quarter IS NOT NULL
        UNION ALL
        SELECT s.municipality, s.quarter::text, s.persons, s.new_persons, s.fte_days, s.hours
          FROM (SELECT r.municipality, r.quarter, @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         -- the lines that count a person or hours
         WHERE l.counted AND l.starts_on <= (SELECT @extschema@.today()) AND (l.candidate_id IS NOT NULL OR l.unit = 'hour')
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = (SELECT @extschema@.today()))
) AS r
 GROUP BY r.municipality, r.quarter
) AS s
  ) AS x ON x.municipality = m.municipality AND x.quarter = m.quarter
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(x.persons, 0) AS persons, coalesce(x.new_persons, 0) AS new_persons,
             @extschema@.quarter_fte(x.fte_days, m.quarter::@extschema@.quarter) AS fte,
             coalesce(x.hours, 0) AS hours
  ) AS q
  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(q.persons) AND NOT mine.persons AS persons,
             @extschema@.small_cell(q.new_persons) AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR m.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 ORDER BY 1, 2;

CREATE FUNCTION @extschema@.municipality_quarter_for(as_of date, caller name)
    RETURNS SETOF @extschema@.municipality_quarter LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT m.municipality, m.quarter, m.quarter_start, m.quarter_end, m.contracts, m.obligation, m.realised,
       m.pending, m.contracts_behind, m.as_of,
       CASE WHEN NOT h.persons THEN q.persons END::integer AS persons,
       CASE WHEN NOT h.new_persons THEN q.new_persons END::integer AS new_persons,
       CASE WHEN NOT h.persons THEN q.fte END::numeric(12,2) AS fte,
       q.hours::numeric(15,4) AS hours,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT p.municipality, p.quarter,
               @extschema@.quarter_start(p.quarter::@extschema@.quarter) AS quarter_start,
               @extschema@.quarter_end(p.quarter::@extschema@.quarter) AS quarter_end,
               count(*)::integer AS contracts, sum(c.obligation)::numeric(15,2) AS obligation,
               sum(p.realised)::numeric(15,2) AS realised, sum(p.pending)::numeric(15,2) AS pending,
               (count(*) FILTER (WHERE p.status = 'behind'))::integer AS contracts_behind,
               municipality_quarter_for.as_of AS as_of
          FROM (SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       municipality_quarter_for.as_of AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, municipality_quarter_for.as_of FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), municipality_quarter_for.as_of) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(municipality_quarter_for.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= municipality_quarter_for.as_of
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = municipality_quarter_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = municipality_quarter_for.as_of)

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= municipality_quarter_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = municipality_quarter_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = municipality_quarter_for.as_of)
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, municipality_quarter_for.as_of)))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, municipality_quarter_for.as_of)
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, municipality_quarter_for.as_of)) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(municipality_quarter_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', municipality_quarter_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = municipality_quarter_for.as_of
) AS p
          -- the municipality in the join too, so a filter on it reaches both sides
          JOIN (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT municipality_quarter_for.as_of AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = municipality_quarter_for.as_of
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= municipality_quarter_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = municipality_quarter_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = municipality_quarter_for.as_of)

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(municipality_quarter_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', municipality_quarter_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS c ON c.contract_id = p.contract_id AND c.municipality = p.municipality
         GROUP BY p.municipality, p.quarter) AS m
  -- the stored quantities of the date, or computed (the figures cache, 07_monitoring.sql)
  LEFT JOIN (
        SELECT f.municipality, f.quarter::text AS quarter, f.persons, f.new_persons, f.fte_days, f.hours
          FROM @extschema@.municipality_figures AS f
         WHERE f.as_of = municipality_quarter_for.as_of AND f.quarter IS NOT NULL
        UNION ALL
        SELECT s.municipality, s.quarter::text, s.persons, s.new_persons, s.fte_days, s.hours
          FROM (SELECT r.municipality, r.quarter, @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, municipality_quarter_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         -- the lines that count a person or hours
         WHERE l.counted AND l.starts_on <= municipality_quarter_for.as_of AND (l.candidate_id IS NOT NULL OR l.unit = 'hour')
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = municipality_quarter_for.as_of)
) AS r
 GROUP BY r.municipality, r.quarter
) AS s
  ) AS x ON x.municipality = m.municipality AND x.quarter = m.quarter
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(municipality_quarter_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', municipality_quarter_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(x.persons, 0) AS persons, coalesce(x.new_persons, 0) AS new_persons,
             @extschema@.quarter_fte(x.fte_days, m.quarter::@extschema@.quarter) AS fte,
             coalesce(x.hours, 0) AS hours
  ) AS q
  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(q.persons) AND NOT mine.persons AS persons,
             @extschema@.small_cell(q.new_persons) AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR m.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 ORDER BY 1, 2;
END;

COMMENT ON FUNCTION @extschema@.municipality_quarter_for(date, name) IS
    'the rows of the view municipality_quarter as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.municipality_quarter(as_of date)
    RETURNS SETOF @extschema@.municipality_quarter LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.municipality_quarter_for(municipality_quarter.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.municipality_quarter(date) IS
    'the rows of the view municipality_quarter as of any date that the caller may read (its row-level security applies; readers use report_municipality_quarter)';

CREATE FUNCTION @extschema@.report_municipality_quarter(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.municipality_quarter LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.municipality_quarter_for(@extschema@.report_as_of(report_municipality_quarter.as_of,
        @extschema@.report_caller(report_municipality_quarter.caller)), report_municipality_quarter.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_municipality_quarter(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_municipality_quarter(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_municipality_quarter(date, name) IS
    'the rows of the view municipality_quarter as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_municipality_quarter(as_of date, caller name, municipality text, quarter text DEFAULT NULL)
    RETURNS SETOF @extschema@.municipality_quarter LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_municipality_quarter.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_municipality_quarter.municipality);
    END IF;
    IF report_municipality_quarter.quarter IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.quarter = %L', report_municipality_quarter.quarter);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.municipality_quarter_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_municipality_quarter.as_of, @extschema@.report_caller(report_municipality_quarter.caller)), report_municipality_quarter.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_municipality_quarter(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_municipality_quarter(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_municipality_quarter(date, name, text, text) IS
    'report_municipality_quarter(as_of, caller) for one municipality and quarter (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.municipality_quarter IS 'SROI per municipality and quarter, up to today; sroi.municipality_quarter(as_of) gives it for any date (the caller''s contracts), sroi.report_municipality_quarter(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.municipality_quarter.municipality IS 'municipality';

COMMENT ON COLUMN @extschema@.municipality_quarter.quarter IS 'calendar quarter, e.g. 2025-Q3';

COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_start IS 'first day of the quarter';

COMMENT ON COLUMN @extschema@.municipality_quarter.quarter_end IS 'last day of the quarter';

COMMENT ON COLUMN @extschema@.municipality_quarter.contracts IS 'contracts running in the quarter';

COMMENT ON COLUMN @extschema@.municipality_quarter.obligation IS 'sum of the full obligations (as of the as-of date) of the contracts running in the quarter, euros; the same contracts recur in every quarter they run: do not sum over quarters';

COMMENT ON COLUMN @extschema@.municipality_quarter.realised IS 'value realised in the quarter, euros';

COMMENT ON COLUMN @extschema@.municipality_quarter.pending IS 'value awaiting approval accrued in the quarter, euros';

COMMENT ON COLUMN @extschema@.municipality_quarter.contracts_behind IS 'contracts behind at the end of the quarter';

COMMENT ON COLUMN @extschema@.municipality_quarter.as_of IS 'the date the figures are for';

COMMENT ON COLUMN @extschema@.municipality_quarter.persons IS 'distinct persons with a counted activity (as realised counts it; pending ones do not) on a day of the quarter on any of the municipality''s contracts, each person once; not additive: do not sum over quarters (nor over municipalities); NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.municipality_quarter.new_persons IS 'persons whose first counted day on any of the municipality''s contracts lies in the quarter (a person placed before on another of its contracts is not new); these add up over quarters to the distinct persons placed; NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.municipality_quarter.fte IS 'sum over the counted fte_period activities of fte x their counted days in the quarter / days of the quarter, rounded to 2 decimals once for the municipality (so it may differ by 0.01 from the sum of the contracts'' fte in quarterly_progress); over quarters its sum is in fte-quarters; NULL when persons_suppressed';

COMMENT ON COLUMN @extschema@.municipality_quarter.hours IS 'counted hours of hour blocks (C10) dated in the quarter; additive over quarters';

COMMENT ON COLUMN @extschema@.municipality_quarter.persons_suppressed IS 'true when figures on persons are NULL for you (not a coordinator nor a manager of the municipality): persons and fte when the quarter rests on 1 to 4 persons, new_persons when it is 1 to 4';

CREATE VIEW @extschema@.category_mix WITH (security_barrier) AS
SELECT c.contract_id, m.category, m.realised,
       CASE WHEN c.realised > 0 THEN @extschema@.div_round(m.realised, c.realised, 4) END::numeric(5,4) AS share,
       c.categories_suppressed AS suppressed, c.as_of
  FROM (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT (SELECT @extschema@.today()) AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = (SELECT @extschema@.today())
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS c
  CROSS JOIN LATERAL (VALUES ('A', c.realised_a), ('B', c.realised_b), ('C', c.realised_c),
                             ('bonus', c.realised_bonus)) AS m (category, realised)
 ORDER BY 1, 2;

CREATE FUNCTION @extschema@.category_mix_for(as_of date, caller name)
    RETURNS SETOF @extschema@.category_mix LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT c.contract_id, m.category, m.realised,
       CASE WHEN c.realised > 0 THEN @extschema@.div_round(m.realised, c.realised, 4) END::numeric(5,4) AS share,
       c.categories_suppressed AS suppressed, c.as_of
  FROM (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT category_mix_for.as_of AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = category_mix_for.as_of
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, category_mix_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, category_mix_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, category_mix_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, category_mix_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, category_mix_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= category_mix_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = category_mix_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = category_mix_for.as_of)

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(category_mix_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', category_mix_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS c
  CROSS JOIN LATERAL (VALUES ('A', c.realised_a), ('B', c.realised_b), ('C', c.realised_c),
                             ('bonus', c.realised_bonus)) AS m (category, realised)
 ORDER BY 1, 2;
END;

COMMENT ON FUNCTION @extschema@.category_mix_for(date, name) IS
    'the rows of the view category_mix as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.category_mix(as_of date)
    RETURNS SETOF @extschema@.category_mix LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.category_mix_for(category_mix.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.category_mix(date) IS
    'the rows of the view category_mix as of any date that the caller may read (its row-level security applies; readers use report_category_mix)';

CREATE FUNCTION @extschema@.report_category_mix(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.category_mix LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.category_mix_for(@extschema@.report_as_of(report_category_mix.as_of,
        @extschema@.report_caller(report_category_mix.caller)), report_category_mix.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_category_mix(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_category_mix(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_category_mix(date, name) IS
    'the rows of the view category_mix as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_category_mix(as_of date, caller name, contract_id text)
    RETURNS SETOF @extschema@.category_mix LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_category_mix.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_category_mix.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.category_mix_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_category_mix.as_of, @extschema@.report_caller(report_category_mix.caller)), report_category_mix.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_category_mix(date, name, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_category_mix(date, name, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_category_mix(date, name, text) IS
    'report_category_mix(as_of, caller) for one contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.category_mix IS 'realised value per contract and category today; sroi.category_mix(as_of) for any date (the caller''s contracts), sroi.report_category_mix(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.category_mix.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.category_mix.category IS 'A, B, C or bonus';

COMMENT ON COLUMN @extschema@.category_mix.realised IS 'value realised in the category, euros; NULL when suppressed';

COMMENT ON COLUMN @extschema@.category_mix.share IS 'share of the contract''s realised value, 0 to 1, 4 decimals; NULL when nothing is realised or suppressed';

COMMENT ON COLUMN @extschema@.category_mix.suppressed IS 'true when realised and share are NULL for you: the contract''s value rests on 1 to 4 persons';

COMMENT ON COLUMN @extschema@.category_mix.as_of IS 'the date the figures are for';

-- Persons placed, their average fte and value per municipality, quarter and benefit
-- (no personal data).  Small cells: fewer than 5 persons could point at a person, so
-- persons, fte and realised are NULL there; the row stays, flagged, so that totals show
-- a cell is hidden.  Complementary suppression (as CBS does): where a municipality's
-- quarter has exactly one such cell, its next smallest cell is hidden too, so the
-- hidden one does not follow from a total.  Not for a caller who may read the
-- municipality's persons anyway (a coordinator, its contract managers).
CREATE VIEW @extschema@.target_group_outcomes WITH (security_barrier) AS
WITH cell AS (
    -- the stored cells of the date, or computed (the figures cache, 07_monitoring.sql)
    SELECT o.municipality, o.quarter, o.benefit, o.persons, o.fte, o.realised
      FROM @extschema@.outcome_figures AS o
     WHERE o.as_of = (SELECT @extschema@.today())
    UNION ALL
    SELECT e.municipality, e.quarter, e.benefit, @extschema@.persons(e.candidate_id) AS persons,
       round(coalesce(sum(e.fte * (least(coalesce(e.ends_on, e.measured_on), e.term_ends_on, e.measured_on)
                                   - greatest(e.starts_on, e.term_starts_on, @extschema@.quarter_start(e.quarter)) + 1)
                          / (e.measured_on - @extschema@.quarter_start(e.quarter) + 1))
                      FILTER (WHERE e.unit = 'fte_period' AND e.category <> 'bonus'), 0), 4) AS fte,
       sum(e.value) AS realised
  FROM (SELECT l.*, v.quarter, v.value, least(@extschema@.quarter_end(v.quarter), (SELECT @extschema@.today())) AS measured_on
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v
         WHERE l.counted AND l.candidate_id IS NOT NULL AND l.starts_on <= (SELECT @extschema@.today())
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = (SELECT @extschema@.today()))
) AS e
 GROUP BY e.municipality, e.quarter, e.benefit

), ranked AS (
    SELECT c.*, c.persons < @extschema@.small_cell_persons() AS small,
           count(*) FILTER (WHERE c.persons < @extschema@.small_cell_persons())
               OVER (PARTITION BY c.municipality, c.quarter) AS small_cells,
           row_number() OVER (PARTITION BY c.municipality, c.quarter, c.persons < @extschema@.small_cell_persons()
                              ORDER BY c.persons, c.benefit) AS rank
      FROM cell AS c
), judged AS (
    SELECT r.*, (r.small OR (r.small_cells = 1 AND r.rank = 1))
                AND NOT (who.coordinator OR r.municipality = ANY (who.municipalities)) AS hidden
      FROM ranked AS r
      CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

)
SELECT j.municipality, j.quarter::text AS quarter, @extschema@.quarter_start(j.quarter) AS quarter_start,
       @extschema@.quarter_end(j.quarter) AS quarter_end, j.benefit,
       CASE WHEN NOT j.hidden THEN j.persons END AS persons,
       CASE WHEN NOT j.hidden THEN j.fte END::numeric(12,4) AS fte,
       CASE WHEN NOT j.hidden THEN j.realised END::numeric(15,2) AS realised,
       j.hidden AS suppressed, (SELECT @extschema@.today()) AS as_of
  FROM judged AS j
 ORDER BY 1, 2, 5;

CREATE FUNCTION @extschema@.target_group_outcomes_for(as_of date, caller name)
    RETURNS SETOF @extschema@.target_group_outcomes LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH cell AS (
    -- the stored cells of the date, or computed (the figures cache, 07_monitoring.sql)
    SELECT o.municipality, o.quarter, o.benefit, o.persons, o.fte, o.realised
      FROM @extschema@.outcome_figures AS o
     WHERE o.as_of = target_group_outcomes_for.as_of
    UNION ALL
    SELECT e.municipality, e.quarter, e.benefit, @extschema@.persons(e.candidate_id) AS persons,
       round(coalesce(sum(e.fte * (least(coalesce(e.ends_on, e.measured_on), e.term_ends_on, e.measured_on)
                                   - greatest(e.starts_on, e.term_starts_on, @extschema@.quarter_start(e.quarter)) + 1)
                          / (e.measured_on - @extschema@.quarter_start(e.quarter) + 1))
                      FILTER (WHERE e.unit = 'fte_period' AND e.category <> 'bonus'), 0), 4) AS fte,
       sum(e.value) AS realised
  FROM (SELECT l.*, v.quarter, v.value, least(@extschema@.quarter_end(v.quarter), target_group_outcomes_for.as_of) AS measured_on
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, target_group_outcomes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v
         WHERE l.counted AND l.candidate_id IS NOT NULL AND l.starts_on <= target_group_outcomes_for.as_of
           AND NOT EXISTS (SELECT 1 FROM @extschema@.municipality_figures AS mf
             WHERE mf.municipality = l.municipality AND mf.as_of = target_group_outcomes_for.as_of)
) AS e
 GROUP BY e.municipality, e.quarter, e.benefit

), ranked AS (
    SELECT c.*, c.persons < @extschema@.small_cell_persons() AS small,
           count(*) FILTER (WHERE c.persons < @extschema@.small_cell_persons())
               OVER (PARTITION BY c.municipality, c.quarter) AS small_cells,
           row_number() OVER (PARTITION BY c.municipality, c.quarter, c.persons < @extschema@.small_cell_persons()
                              ORDER BY c.persons, c.benefit) AS rank
      FROM cell AS c
), judged AS (
    SELECT r.*, (r.small OR (r.small_cells = 1 AND r.rank = 1))
                AND NOT (who.coordinator OR r.municipality = ANY (who.municipalities)) AS hidden
      FROM ranked AS r
      CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(target_group_outcomes_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', target_group_outcomes_for.caller)) AS municipalities) AS who

)
SELECT j.municipality, j.quarter::text AS quarter, @extschema@.quarter_start(j.quarter) AS quarter_start,
       @extschema@.quarter_end(j.quarter) AS quarter_end, j.benefit,
       CASE WHEN NOT j.hidden THEN j.persons END AS persons,
       CASE WHEN NOT j.hidden THEN j.fte END::numeric(12,4) AS fte,
       CASE WHEN NOT j.hidden THEN j.realised END::numeric(15,2) AS realised,
       j.hidden AS suppressed, target_group_outcomes_for.as_of AS as_of
  FROM judged AS j
 ORDER BY 1, 2, 5;
END;

COMMENT ON FUNCTION @extschema@.target_group_outcomes_for(date, name) IS
    'the rows of the view target_group_outcomes as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.target_group_outcomes(as_of date)
    RETURNS SETOF @extschema@.target_group_outcomes LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.target_group_outcomes_for(target_group_outcomes.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.target_group_outcomes(date) IS
    'the rows of the view target_group_outcomes as of any date that the caller may read (its row-level security applies; readers use report_target_group_outcomes)';

CREATE FUNCTION @extschema@.report_target_group_outcomes(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.target_group_outcomes LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.target_group_outcomes_for(@extschema@.report_as_of(report_target_group_outcomes.as_of,
        @extschema@.report_caller(report_target_group_outcomes.caller)), report_target_group_outcomes.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_target_group_outcomes(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_target_group_outcomes(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_target_group_outcomes(date, name) IS
    'the rows of the view target_group_outcomes as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_target_group_outcomes(as_of date, caller name, municipality text)
    RETURNS SETOF @extschema@.target_group_outcomes LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_target_group_outcomes.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_target_group_outcomes.municipality);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.target_group_outcomes_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_target_group_outcomes.as_of, @extschema@.report_caller(report_target_group_outcomes.caller)), report_target_group_outcomes.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_target_group_outcomes(date, name, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_target_group_outcomes(date, name, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_target_group_outcomes(date, name, text) IS
    'report_target_group_outcomes(as_of, caller) for one municipality (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.target_group_outcomes IS 'persons placed and value realised per municipality, quarter and benefit; counts and sums only, no personal data: small cells are suppressed (see suppressed)';

COMMENT ON COLUMN @extschema@.target_group_outcomes.municipality IS 'municipality';

COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter IS 'calendar quarter, e.g. 2025-Q3';

COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_start IS 'first day of the quarter';

COMMENT ON COLUMN @extschema@.target_group_outcomes.quarter_end IS 'last day of the quarter';

COMMENT ON COLUMN @extschema@.target_group_outcomes.benefit IS 'benefit of the persons: participatiewet, ww, wia, wao, wajong or none';

COMMENT ON COLUMN @extschema@.target_group_outcomes.persons IS 'distinct persons with counted value in the quarter; NULL when suppressed (fewer than 5, or complementary)';

COMMENT ON COLUMN @extschema@.target_group_outcomes.fte IS 'average fte placed over the quarter, 4 decimals; NULL when suppressed';

COMMENT ON COLUMN @extschema@.target_group_outcomes.realised IS 'value realised in the quarter, euros, bonuses included; NULL when suppressed';

COMMENT ON COLUMN @extschema@.target_group_outcomes.suppressed IS 'true when persons, fte and realised are NULL for you: fewer than 5 persons, or hidden so that a single small cell does not follow from a total; a SUM over this view is low by these cells';

COMMENT ON COLUMN @extschema@.target_group_outcomes.as_of IS 'the date the figures are for';

-- Items for the contract manager.  Kick-offs, reports and intensification concern
-- contracts with an SROI obligation (decision): not those under the threshold or exempted.
CREATE VIEW @extschema@.overdue_items WITH (security_barrier) AS
WITH obliged AS NOT MATERIALIZED (
    SELECT k.*, card.kickoff_days, card.report_due_days, card.plan_accord_days, card.action_plan_days,
           card.settlement_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
     WHERE CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount > 0
                ELSE @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                card.default_pct) > 0 END
), progress AS NOT MATERIALIZED (
    SELECT p.*, max(p.quarter) FILTER (WHERE p.measured_on = p.quarter_end)
                    OVER (PARTITION BY p.contract_id, p.municipality, p.supplier) AS last_ended
      FROM (SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       (SELECT @extschema@.today()) AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, (SELECT @extschema@.today()) FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), (SELECT @extschema@.today())) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT @extschema@.today())), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= (SELECT @extschema@.today())
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, (SELECT @extschema@.today()))))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, (SELECT @extschema@.today()))) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = (SELECT @extschema@.today())
) AS p
)
-- domain.md 5 (guideline 6.1): the kick-off meeting within the card's kickoff_days after award.
-- A meeting held after the as-of date was still missing on it.
SELECT CASE WHEN held.on_date IS NULL THEN 'kickoff_missing' ELSE 'kickoff_late' END AS kind,
       k.id AS contract_id, k.municipality, k.supplier, NULL::text AS quarter, k.awarded_on + k.kickoff_days AS due_on,
       CASE WHEN held.on_date IS NULL
            THEN format('no kick-off meeting recorded; due %s days after award on %s', k.kickoff_days, k.awarded_on)
            ELSE format('kick-off meeting on %s, %s days after award on %s', k.kickoff_on,
                        k.kickoff_on - k.awarded_on, k.awarded_on) END AS detail,
       (SELECT @extschema@.today()) AS as_of
  FROM obliged AS k
  CROSS JOIN LATERAL (SELECT CASE WHEN k.kickoff_on <= (SELECT @extschema@.today()) THEN k.kickoff_on END AS on_date) AS held
 WHERE (held.on_date IS NULL AND (SELECT @extschema@.today()) > k.awarded_on + k.kickoff_days)
    OR held.on_date > k.awarded_on + k.kickoff_days
UNION ALL
-- Reports, per reporting period: a quarter, or a month under monthly reporting
-- (domain.md 6.3), due report_due_days after its end.
SELECT 'report_' || p.report_status, p.contract_id, p.municipality, p.supplier, p.quarter::text, p.due_on,
       CASE WHEN p.frequency = 'monthly' AND p.report_status = 'late'
            THEN format('monthly report for %s received on %s', to_char(p.period_start, 'YYYY-MM'), p.submitted_on)
            WHEN p.frequency = 'monthly'
            THEN format('monthly report for %s not received', to_char(p.period_start, 'YYYY-MM'))
            WHEN p.report_status = 'late'
            THEN format('report for %s received on %s', p.quarter, p.submitted_on)
            ELSE format('report for %s not received', p.quarter) END,
       (SELECT @extschema@.today())
  FROM (SELECT x.*, @extschema@.period_report_status(x.due_on, x.submitted_on, (SELECT @extschema@.today())) AS report_status
          FROM (SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.quarter_end(q.q) + card.report_due_days AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT @extschema@.today())), @extschema@.quarter(k.ends_on)))
 AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= (SELECT @extschema@.today())
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
 WHERE m.period_start <= (SELECT @extschema@.today())
) AS x) AS p
  JOIN obliged AS k ON k.id = p.contract_id
 WHERE p.report_status IN ('overdue', 'late')
UNION ALL
SELECT 'pso_expired', k.id, k.municipality, k.supplier, NULL, k.pso_valid_until,
       format('PSO discount (rung %s) approved, certificate valid until %s: the coordinator may withdraw it',
              k.pso_rung, k.pso_valid_until),
       (SELECT @extschema@.today())
  FROM @extschema@.contract AS k
 WHERE k.pso_approved AND k.pso_valid_until < (SELECT @extschema@.today())
UNION ALL
-- The quarters at whose end intensify was flagged (guideline 6.4), of contracts still
-- running on the as-of date, read once for the two kinds of item they give.
-- intensify: monitoring is to be intensified when behind at two consecutive quarter ends
-- (the flag of the last ended quarter).
-- action_plan_missing (domain.md 6.2, guideline 6.4): an action item within
-- action_plan_days after each quarter end at which intensify was flagged.  Decision: an
-- item recorded on the quarter end itself or later counts (one recorded before it
-- belongs to an earlier flag), missing from the day after the due date until an item is
-- recorded, also a late one (an item recorded after the as-of date was still missing on it).
SELECT i.kind, p.contract_id, p.municipality, p.supplier, p.quarter, i.due_on, i.detail, (SELECT @extschema@.today())
  FROM progress AS p
  -- the municipality in the join too, so that a filter on it reaches the contracts' scan
  JOIN obliged AS k ON k.id = p.contract_id AND k.municipality = p.municipality
  CROSS JOIN LATERAL (
      SELECT 'intensify' AS kind, p.quarter_end AS due_on,
             format('behind at the end of %s and %s: realised %s of %s expected', p.quarter::@extschema@.quarter - 1,
                    p.quarter, p.realised_cum, p.expected_cum) AS detail
       WHERE p.quarter = p.last_ended
      UNION ALL
      SELECT 'action_plan_missing', p.quarter_end + k.action_plan_days,
             format('intensify flagged at the end of %s: no action item recorded within %s days after it', p.quarter,
                    k.action_plan_days)
       WHERE (SELECT @extschema@.today()) > p.quarter_end + k.action_plan_days
         AND NOT EXISTS (SELECT 1 FROM @extschema@.action_item AS a
                          WHERE a.contract_id = p.contract_id AND a.created_on >= p.quarter_end AND a.created_on <= (SELECT @extschema@.today()))
  ) AS i
 WHERE p.intensify AND k.ends_on >= (SELECT @extschema@.today())
UNION ALL
-- domain.md 6.1 (guideline 6.1, 6.2): an accorded Plan van Aanpak within plan_accord_days
-- after award, due on that day and missing from the next day (as the kick-off and the
-- reports, domain.md 7.7); an accord after the as-of date was still missing on it.  Any
-- accorded version counts, also one entered directly (accorded on the day it was entered).
SELECT 'plan_missing', k.id, k.municipality, k.supplier, NULL, k.awarded_on + k.plan_accord_days,
       format('no accorded Plan van Aanpak; due %s days after award on %s', k.plan_accord_days, k.awarded_on),
       (SELECT @extschema@.today())
  FROM obliged AS k
 WHERE (SELECT @extschema@.today()) > k.awarded_on + k.plan_accord_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.plan_version AS v
                    WHERE v.contract_id = k.id AND v.status = 'accorded' AND v.decided_on <= (SELECT @extschema@.today()))
UNION ALL
-- domain.md 6.2: an action item open past its due date (overdue from the next day); one
-- closed after the as-of date was still open on it.
SELECT 'action_overdue', a.contract_id, k.municipality, k.supplier, NULL, a.due_on,
       format('action item %s is open past its due date: %s', a.id, a.what),
       (SELECT @extschema@.today())
  FROM @extschema@.action_item AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
 WHERE a.due_on < (SELECT @extschema@.today()) AND a.created_on <= (SELECT @extschema@.today()) AND (a.status = 'open' OR a.closed_on > (SELECT @extschema@.today()))
UNION ALL
-- Guideline 5.3, 6.7 (domain.md 6.5): an ended contract is settled within
-- settlement_due_days after its end date; due on that day, overdue from the next.
SELECT 'settlement_due', k.id, k.municipality, k.supplier, NULL, k.ends_on + k.settlement_due_days,
       format('ended on %s and not settled: settlement was due %s days after the end date', k.ends_on,
              k.settlement_due_days),
       (SELECT @extschema@.today())
  FROM obliged AS k
 WHERE (SELECT @extschema@.today()) > k.ends_on + k.settlement_due_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.settlement AS s WHERE s.contract_id = k.id AND s.settled_on <= (SELECT @extschema@.today()));

CREATE FUNCTION @extschema@.overdue_items_for(as_of date, caller name)
    RETURNS SETOF @extschema@.overdue_items LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
WITH obliged AS NOT MATERIALIZED (
    SELECT k.*, card.kickoff_days, card.report_due_days, card.plan_accord_days, card.action_plan_days,
           card.settlement_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
     WHERE CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount > 0
                ELSE @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                card.default_pct) > 0 END
), progress AS NOT MATERIALIZED (
    SELECT p.*, max(p.quarter) FILTER (WHERE p.measured_on = p.quarter_end)
                    OVER (PARTITION BY p.contract_id, p.municipality, p.supplier) AS last_ended
      FROM (SELECT j.contract_id, j.municipality, j.supplier, j.quarter::text AS quarter,
       @extschema@.quarter_start(j.quarter) AS quarter_start, @extschema@.quarter_end(j.quarter) AS quarter_end,
       j.planned, j.realised, j.realised_cum, j.expected_cum, j.deviation, j.deviation_cum, j.status, j.intensify,
       j.report_status, j.pending, j.planned_cum, j.obligation, j.measured_on, j.trend, j.report_submitted_on,
       overdue_items_for.as_of AS as_of,
       CASE WHEN NOT h.persons THEN j.persons END AS persons,
       CASE WHEN NOT (h.persons OR h.new_persons) THEN j.new_persons END AS new_persons,
       CASE WHEN NOT h.persons THEN j.fte END::numeric(12,2) AS fte,
       j.hours, j.planned_persons,
       CASE WHEN NOT h.persons THEN j.persons - j.planned_persons END AS deviation_persons,
       h.persons OR h.new_persons AS persons_suppressed
  FROM (SELECT f.contract_id, f.municipality, f.supplier, f.quarter, f.planned, f.realised, f.realised_cum,
               f.expected_cum, f.deviation, f.deviation_cum, f.status, f.intensify, f.report_status, f.pending,
               f.planned_cum, f.obligation, f.measured_on, f.trend, f.report_submitted_on, f.persons, f.new_persons,
               f.fte, f.hours, f.planned_persons, f.new_persons_small, f.as_of
          FROM @extschema@.quarter_figures AS f
        UNION ALL
        SELECT b.*, overdue_items_for.as_of FROM (WITH grid AS (
    SELECT k.*, q.q, least(@extschema@.quarter_end(q.q), overdue_items_for.as_of) AS measured_on,
           card.at_risk_pct, card.report_due_days
      FROM @extschema@.contract AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
      CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(overdue_items_for.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
      -- l: the contract under the name the macro not_stored reads
      CROSS JOIN LATERAL (SELECT k.id AS contract_id) AS l
     WHERE k.starts_on <= overdue_items_for.as_of
       -- the contracts whose rows of the date are not stored (quarterly_rows reads those)
       AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = overdue_items_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = overdue_items_for.as_of)

), earned AS (
    SELECT r.contract_id, r.municipality, r.quarter,
       sum(r.value) FILTER (WHERE r.counted) AS realised,
       sum(r.value) FILTER (WHERE r.pending) AS pending,
       @extschema@.persons(r.candidate_id) FILTER (WHERE r.counted) AS persons,
@extschema@.persons(r.candidate_id) FILTER (WHERE r.counted AND r.quarter = r.first_quarter) AS new_persons,
sum(r.quantity * r.days) FILTER (WHERE r.counted AND r.unit = 'fte_period' AND r.category <> 'bonus') AS fte_days,
sum(r.quantity) FILTER (WHERE r.counted AND r.unit = 'hour') AS hours

  FROM (SELECT l.contract_id, l.municipality, l.candidate_id, l.counted, l.pending, l.unit, l.category, l.quantity, v.quarter, v.value, v.days
,
               @extschema@.min(v.quarter) FILTER (WHERE l.counted)
 OVER (PARTITION BY l.contract_id, l.municipality, l.candidate_id) AS first_quarter
          FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
          CROSS JOIN LATERAL @extschema@.accrual_days_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, overdue_items_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v

         WHERE (l.counted OR l.pending) AND l.starts_on <= overdue_items_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = overdue_items_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = overdue_items_for.as_of)
) AS r
 GROUP BY r.contract_id, r.municipality, r.quarter

), planned AS (
    -- only the latest accorded version of the plan (domain.md 6.1); a proposed or
    -- refused one is in no figure; planned_persons over the same lines as planned_value
    SELECT p.contract_id, p.municipality, p.quarter, sum(p.planned_value) AS planned,
           sum(p.planned_persons) AS planned_persons
      FROM @extschema@.plan AS p
      JOIN (SELECT v.contract_id, v.municipality, max(v.version) AS version
   FROM @extschema@.plan_version AS v
  WHERE v.status = 'accorded'
  -- the municipality (the contract's, fixed per contract) so that a filter on it reaches the scan
  GROUP BY v.contract_id, v.municipality)
 AS cur ON cur.contract_id = p.contract_id AND cur.municipality = p.municipality
                                AND cur.version = p.version
     -- the scope column municipality (the contract's) so that a filter on it reaches the scans
     GROUP BY p.contract_id, p.municipality, p.quarter
), monthly AS (
    -- the quarters reported per month, wholly or partly (domain.md 6.3): how many months,
    -- the worst status of their reports (report_status_rank) and the last received
    SELECT m.contract_id, m.quarter, count(*) AS months, count(m.submitted_on) AS received,
           max(@extschema@.report_status_rank(@extschema@.period_report_status(m.due_on, m.submitted_on, overdue_items_for.as_of)))
               AS worst, max(m.submitted_on) AS last_submitted_on
      FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
     GROUP BY m.contract_id, m.quarter
), cumulative AS (
    SELECT k.id, k.municipality, k.supplier, k.q, k.measured_on, k.basis, k.ends_on, k.at_risk_pct,
           k.report_due_days, t.obligation, t.expected,
           coalesce(e.realised, 0.00) AS realised, coalesce(e.pending, 0.00) AS pending,
           round(coalesce(p.planned, 0), 2) AS planned,
           sum(coalesce(e.realised, 0.00)) OVER w AS realised_cum,
           round(sum(coalesce(p.planned, 0)) OVER w, 2) AS planned_cum,
           r.submitted_on, mq.months AS monthly_months, mq.received AS monthly_received, mq.worst AS monthly_worst,
           mq.last_submitted_on AS monthly_submitted_on,
           mq.months < @extschema@.term_months_in_quarter(k.q, k.starts_on, k.ends_on) AS quarterly_too,
           coalesce(e.persons, 0) AS persons, coalesce(e.new_persons, 0) AS new_persons,
           @extschema@.quarter_fte(e.fte_days, k.q) AS fte,
           coalesce(e.hours, 0) AS hours, p.planned_persons,
           -- new persons add up over the quarters to the contract's persons
           -- (contract_compliance): a single hidden quarter would follow from the others,
           -- so quarterly_rows hides them in all the contract's quarters when any has 1 to 4
           bool_or(@extschema@.small_cell(coalesce(e.new_persons, 0)))
               OVER (PARTITION BY k.id, k.municipality, k.supplier) AS new_persons_small
      FROM grid AS k
      JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

      CROSS JOIN LATERAL (SELECT k.measured_on AS on_date) AS target_on
      CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
      LEFT JOIN earned AS e ON e.contract_id = k.id AND e.municipality = k.municipality AND e.quarter = k.q
      LEFT JOIN planned AS p ON p.contract_id = k.id AND p.municipality = k.municipality AND p.quarter = k.q
      LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = k.q AND r.municipality = k.municipality
      LEFT JOIN monthly AS mq ON mq.contract_id = k.id AND mq.quarter = k.q
    -- municipality and supplier (fixed per contract) let a filter on them pass the windows
    WINDOW w AS (PARTITION BY k.id, k.municipality, k.supplier ORDER BY k.q)
), judged AS (
    SELECT c.*,
           @extschema@.monitoring_status(c.obligation, c.realised_cum, c.expected, c.at_risk_pct,
                                         @extschema@.obligation_final(c.basis, c.measured_on, c.ends_on)) AS status,
           c.realised_cum - c.expected AS ahead
      FROM cumulative AS c
)
SELECT j.id AS contract_id, j.municipality, j.supplier, j.q AS quarter,
       j.planned::numeric(15,2) AS planned, j.realised::numeric(15,2) AS realised,
       j.realised_cum::numeric(15,2) AS realised_cum, j.expected::numeric(15,2) AS expected_cum,
       (j.realised - j.planned)::numeric(15,2) AS deviation,
       (j.realised_cum - j.planned_cum)::numeric(15,2) AS deviation_cum,
       j.status,
       -- 6.4 intensivering: behind at two consecutive quarter ends (a quarter not
       -- yet ended on the as-of date has no end status yet)
       j.status = 'behind' AND j.measured_on = @extschema@.quarter_end(j.q)
           AND lag(j.status) OVER w IS NOT DISTINCT FROM 'behind' AS intensify,
       -- a quarter reported per month: its reports together (report_status_rank, above)
       CASE WHEN j.monthly_months IS NULL
            THEN @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, overdue_items_for.as_of)
            ELSE @extschema@.report_status_of_rank(greatest(
                     j.monthly_worst,
                     CASE WHEN j.quarterly_too THEN @extschema@.report_status_rank(
                              @extschema@.report_status(j.q, j.submitted_on, j.report_due_days, overdue_items_for.as_of)) END)) END
           AS report_status,
       j.pending::numeric(15,2) AS pending, j.planned_cum::numeric(15,2) AS planned_cum,
       j.obligation::numeric(15,2) AS obligation, j.measured_on,
       CASE WHEN lag(j.ahead) OVER w IS NULL THEN NULL
            WHEN j.ahead > lag(j.ahead) OVER w THEN 'improving'
            WHEN j.ahead < lag(j.ahead) OVER w THEN 'worsening'
            ELSE 'steady' END AS trend,
       -- reported per month: the day the last of its reports came in, once all are in
       CASE WHEN j.monthly_months IS NULL THEN j.submitted_on
            WHEN j.monthly_received = j.monthly_months AND (NOT j.quarterly_too OR j.submitted_on IS NOT NULL)
            THEN greatest(j.monthly_submitted_on, CASE WHEN j.quarterly_too THEN j.submitted_on END) END
           AS report_submitted_on,
       j.persons::integer AS persons, j.new_persons::integer AS new_persons, j.fte::numeric(12,2) AS fte,
       j.hours::numeric(15,4) AS hours, j.planned_persons::integer AS planned_persons, j.new_persons_small
  FROM judged AS j
WINDOW w AS (PARTITION BY j.id, j.municipality, j.supplier ORDER BY j.q)
) AS b) AS j
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(overdue_items_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', overdue_items_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(j.persons) AND NOT mine.persons AS persons,
             j.new_persons_small AND NOT mine.persons AS new_persons
        FROM (SELECT who.coordinator OR j.municipality = ANY (who.municipalities) AS persons) AS mine
  ) AS h
 -- the date filters the stored rows here, not in their branch: a branch without a WHERE
 -- is scanned as a member of the UNION ALL, so that its index (contract_id, quarter)
 -- gives the view's order without sorting every row (a branch with one is planned apart)
 WHERE j.as_of = overdue_items_for.as_of
) AS p
)
-- domain.md 5 (guideline 6.1): the kick-off meeting within the card's kickoff_days after award.
-- A meeting held after the as-of date was still missing on it.
SELECT CASE WHEN held.on_date IS NULL THEN 'kickoff_missing' ELSE 'kickoff_late' END AS kind,
       k.id AS contract_id, k.municipality, k.supplier, NULL::text AS quarter, k.awarded_on + k.kickoff_days AS due_on,
       CASE WHEN held.on_date IS NULL
            THEN format('no kick-off meeting recorded; due %s days after award on %s', k.kickoff_days, k.awarded_on)
            ELSE format('kick-off meeting on %s, %s days after award on %s', k.kickoff_on,
                        k.kickoff_on - k.awarded_on, k.awarded_on) END AS detail,
       overdue_items_for.as_of AS as_of
  FROM obliged AS k
  CROSS JOIN LATERAL (SELECT CASE WHEN k.kickoff_on <= overdue_items_for.as_of THEN k.kickoff_on END AS on_date) AS held
 WHERE (held.on_date IS NULL AND overdue_items_for.as_of > k.awarded_on + k.kickoff_days)
    OR held.on_date > k.awarded_on + k.kickoff_days
UNION ALL
-- Reports, per reporting period: a quarter, or a month under monthly reporting
-- (domain.md 6.3), due report_due_days after its end.
SELECT 'report_' || p.report_status, p.contract_id, p.municipality, p.supplier, p.quarter::text, p.due_on,
       CASE WHEN p.frequency = 'monthly' AND p.report_status = 'late'
            THEN format('monthly report for %s received on %s', to_char(p.period_start, 'YYYY-MM'), p.submitted_on)
            WHEN p.frequency = 'monthly'
            THEN format('monthly report for %s not received', to_char(p.period_start, 'YYYY-MM'))
            WHEN p.report_status = 'late'
            THEN format('report for %s received on %s', p.quarter, p.submitted_on)
            ELSE format('report for %s not received', p.quarter) END,
       overdue_items_for.as_of
  FROM (SELECT x.*, @extschema@.period_report_status(x.due_on, x.submitted_on, overdue_items_for.as_of) AS report_status
          FROM (SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.quarter_end(q.q) + card.report_due_days AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(overdue_items_for.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= overdue_items_for.as_of
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
 WHERE m.period_start <= overdue_items_for.as_of
) AS x) AS p
  JOIN obliged AS k ON k.id = p.contract_id
 WHERE p.report_status IN ('overdue', 'late')
UNION ALL
SELECT 'pso_expired', k.id, k.municipality, k.supplier, NULL, k.pso_valid_until,
       format('PSO discount (rung %s) approved, certificate valid until %s: the coordinator may withdraw it',
              k.pso_rung, k.pso_valid_until),
       overdue_items_for.as_of
  FROM @extschema@.contract AS k
 WHERE k.pso_approved AND k.pso_valid_until < overdue_items_for.as_of
UNION ALL
-- The quarters at whose end intensify was flagged (guideline 6.4), of contracts still
-- running on the as-of date, read once for the two kinds of item they give.
-- intensify: monitoring is to be intensified when behind at two consecutive quarter ends
-- (the flag of the last ended quarter).
-- action_plan_missing (domain.md 6.2, guideline 6.4): an action item within
-- action_plan_days after each quarter end at which intensify was flagged.  Decision: an
-- item recorded on the quarter end itself or later counts (one recorded before it
-- belongs to an earlier flag), missing from the day after the due date until an item is
-- recorded, also a late one (an item recorded after the as-of date was still missing on it).
SELECT i.kind, p.contract_id, p.municipality, p.supplier, p.quarter, i.due_on, i.detail, overdue_items_for.as_of
  FROM progress AS p
  -- the municipality in the join too, so that a filter on it reaches the contracts' scan
  JOIN obliged AS k ON k.id = p.contract_id AND k.municipality = p.municipality
  CROSS JOIN LATERAL (
      SELECT 'intensify' AS kind, p.quarter_end AS due_on,
             format('behind at the end of %s and %s: realised %s of %s expected', p.quarter::@extschema@.quarter - 1,
                    p.quarter, p.realised_cum, p.expected_cum) AS detail
       WHERE p.quarter = p.last_ended
      UNION ALL
      SELECT 'action_plan_missing', p.quarter_end + k.action_plan_days,
             format('intensify flagged at the end of %s: no action item recorded within %s days after it', p.quarter,
                    k.action_plan_days)
       WHERE overdue_items_for.as_of > p.quarter_end + k.action_plan_days
         AND NOT EXISTS (SELECT 1 FROM @extschema@.action_item AS a
                          WHERE a.contract_id = p.contract_id AND a.created_on >= p.quarter_end AND a.created_on <= overdue_items_for.as_of)
  ) AS i
 WHERE p.intensify AND k.ends_on >= overdue_items_for.as_of
UNION ALL
-- domain.md 6.1 (guideline 6.1, 6.2): an accorded Plan van Aanpak within plan_accord_days
-- after award, due on that day and missing from the next day (as the kick-off and the
-- reports, domain.md 7.7); an accord after the as-of date was still missing on it.  Any
-- accorded version counts, also one entered directly (accorded on the day it was entered).
SELECT 'plan_missing', k.id, k.municipality, k.supplier, NULL, k.awarded_on + k.plan_accord_days,
       format('no accorded Plan van Aanpak; due %s days after award on %s', k.plan_accord_days, k.awarded_on),
       overdue_items_for.as_of
  FROM obliged AS k
 WHERE overdue_items_for.as_of > k.awarded_on + k.plan_accord_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.plan_version AS v
                    WHERE v.contract_id = k.id AND v.status = 'accorded' AND v.decided_on <= overdue_items_for.as_of)
UNION ALL
-- domain.md 6.2: an action item open past its due date (overdue from the next day); one
-- closed after the as-of date was still open on it.
SELECT 'action_overdue', a.contract_id, k.municipality, k.supplier, NULL, a.due_on,
       format('action item %s is open past its due date: %s', a.id, a.what),
       overdue_items_for.as_of
  FROM @extschema@.action_item AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
 WHERE a.due_on < overdue_items_for.as_of AND a.created_on <= overdue_items_for.as_of AND (a.status = 'open' OR a.closed_on > overdue_items_for.as_of)
UNION ALL
-- Guideline 5.3, 6.7 (domain.md 6.5): an ended contract is settled within
-- settlement_due_days after its end date; due on that day, overdue from the next.
SELECT 'settlement_due', k.id, k.municipality, k.supplier, NULL, k.ends_on + k.settlement_due_days,
       format('ended on %s and not settled: settlement was due %s days after the end date', k.ends_on,
              k.settlement_due_days),
       overdue_items_for.as_of
  FROM obliged AS k
 WHERE overdue_items_for.as_of > k.ends_on + k.settlement_due_days
   AND NOT EXISTS (SELECT 1 FROM @extschema@.settlement AS s WHERE s.contract_id = k.id AND s.settled_on <= overdue_items_for.as_of);
END;

COMMENT ON FUNCTION @extschema@.overdue_items_for(date, name) IS
    'the rows of the view overdue_items as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.overdue_items(as_of date)
    RETURNS SETOF @extschema@.overdue_items LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.overdue_items_for(overdue_items.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.overdue_items(date) IS
    'the rows of the view overdue_items as of any date that the caller may read (its row-level security applies; readers use report_overdue_items)';

CREATE FUNCTION @extschema@.report_overdue_items(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.overdue_items LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.overdue_items_for(@extschema@.report_as_of(report_overdue_items.as_of,
        @extschema@.report_caller(report_overdue_items.caller)), report_overdue_items.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_overdue_items(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_overdue_items(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_overdue_items(date, name) IS
    'the rows of the view overdue_items as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_overdue_items(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.overdue_items LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_overdue_items.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_overdue_items.municipality);
    END IF;
    IF report_overdue_items.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_overdue_items.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.overdue_items_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_overdue_items.as_of, @extschema@.report_caller(report_overdue_items.caller)), report_overdue_items.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_overdue_items(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_overdue_items(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_overdue_items(date, name, text, text) IS
    'report_overdue_items(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.overdue_items IS 'what needs the contract manager today: kick-offs, reports (quarterly or monthly), expired PSO certificates, contracts to intensify, missing plans and action plans, overdue action items, ended contracts to settle; sroi.overdue_items(as_of) for any date';

COMMENT ON COLUMN @extschema@.overdue_items.kind IS 'kickoff_missing, kickoff_late, report_overdue, report_late, pso_expired, intensify, plan_missing, action_plan_missing, action_overdue or settlement_due';

COMMENT ON COLUMN @extschema@.overdue_items.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.overdue_items.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.overdue_items.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.overdue_items.quarter IS 'the quarter concerned, e.g. 2025-Q3 (of the month, for a monthly report); NULL for kick-off, PSO, plan, action and settlement items';

COMMENT ON COLUMN @extschema@.overdue_items.due_on IS 'the date it was due (or the certificate expired, or the action item was to be done; for settlement_due the end date + settlement_due_days)';

COMMENT ON COLUMN @extschema@.overdue_items.detail IS 'what is the matter, in words';

COMMENT ON COLUMN @extschema@.overdue_items.as_of IS 'the date the items are for';

-- domain.md 5, chain responsibility (ketenverantwoordelijkheid, guideline 4.3): value per contract and deliverer, the
-- main supplier and each subcontractor.
CREATE VIEW @extschema@.chain_delivery WITH (security_barrier) AS
SELECT l.contract_id, l.delivered_by, l.delivered_by = l.supplier AS is_main_supplier,
       coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted), 0.00)::numeric(15,2)
           AS realised,
       coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending), 0.00)::numeric(15,2)
           AS pending,
       (SELECT @extschema@.today()) AS as_of
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today())
 GROUP BY l.contract_id, l.delivered_by, l.supplier
 ORDER BY 1, 2;

CREATE FUNCTION @extschema@.chain_delivery_for(as_of date, caller name)
    RETURNS SETOF @extschema@.chain_delivery LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT l.contract_id, l.delivered_by, l.delivered_by = l.supplier AS is_main_supplier,
       coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, chain_delivery_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted), 0.00)::numeric(15,2)
           AS realised,
       coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, chain_delivery_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending), 0.00)::numeric(15,2)
           AS pending,
       chain_delivery_for.as_of AS as_of
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= chain_delivery_for.as_of
 GROUP BY l.contract_id, l.delivered_by, l.supplier
 ORDER BY 1, 2;
END;

COMMENT ON FUNCTION @extschema@.chain_delivery_for(date, name) IS
    'the rows of the view chain_delivery as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.chain_delivery(as_of date)
    RETURNS SETOF @extschema@.chain_delivery LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.chain_delivery_for(chain_delivery.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.chain_delivery(date) IS
    'the rows of the view chain_delivery as of any date that the caller may read (its row-level security applies; readers use report_chain_delivery)';

CREATE FUNCTION @extschema@.report_chain_delivery(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.chain_delivery LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.chain_delivery_for(@extschema@.report_as_of(report_chain_delivery.as_of,
        @extschema@.report_caller(report_chain_delivery.caller)), report_chain_delivery.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_chain_delivery(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_chain_delivery(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_chain_delivery(date, name) IS
    'the rows of the view chain_delivery as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_chain_delivery(as_of date, caller name, contract_id text)
    RETURNS SETOF @extschema@.chain_delivery LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_chain_delivery.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_chain_delivery.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.chain_delivery_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_chain_delivery.as_of, @extschema@.report_caller(report_chain_delivery.caller)), report_chain_delivery.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_chain_delivery(date, name, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_chain_delivery(date, name, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_chain_delivery(date, name, text) IS
    'report_chain_delivery(as_of, caller) for one contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.chain_delivery IS 'value per contract and deliverer today (ketenverantwoordelijkheid); sroi.chain_delivery(as_of) for any date';

COMMENT ON COLUMN @extschema@.chain_delivery.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.chain_delivery.delivered_by IS 'who delivered: the main supplier or a subcontractor';

COMMENT ON COLUMN @extschema@.chain_delivery.is_main_supplier IS 'true for the contract''s own supplier';

COMMENT ON COLUMN @extschema@.chain_delivery.realised IS 'value realised by this deliverer, euros';

COMMENT ON COLUMN @extschema@.chain_delivery.pending IS 'value awaiting approval, euros';

COMMENT ON COLUMN @extschema@.chain_delivery.as_of IS 'the date the figures are for';

-- The reporting periods of every contract with their report status (domain.md 6.3): the
-- quarters it reports quarterly and the months it reports monthly (macro
-- report_period_rows, 07_monitoring.sql).
CREATE VIEW @extschema@.report_periods WITH (security_barrier) AS
SELECT p.contract_id, p.municipality, p.supplier, p.frequency, p.period_start, p.period_end, p.due_on,
       p.submitted_on, @extschema@.period_report_status(p.due_on, p.submitted_on, (SELECT @extschema@.today())) AS report_status,
       p.quarter::text AS quarter, (SELECT @extschema@.today()) AS as_of
  FROM (SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.quarter_end(q.q) + card.report_due_days AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT @extschema@.today())), @extschema@.quarter(k.ends_on)))
 AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= (SELECT @extschema@.today())
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
 WHERE m.period_start <= (SELECT @extschema@.today())
) AS p
 ORDER BY 1, 5, 6;

CREATE FUNCTION @extschema@.report_periods_for(as_of date, caller name)
    RETURNS SETOF @extschema@.report_periods LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT p.contract_id, p.municipality, p.supplier, p.frequency, p.period_start, p.period_end, p.due_on,
       p.submitted_on, @extschema@.period_report_status(p.due_on, p.submitted_on, report_periods_for.as_of) AS report_status,
       p.quarter::text AS quarter, report_periods_for.as_of AS as_of
  FROM (SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.quarter_end(q.q) + card.report_due_days AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter(report_periods_for.as_of), @extschema@.quarter(k.ends_on)))
 AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= report_periods_for.as_of
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
 WHERE m.period_start <= report_periods_for.as_of
) AS p
 ORDER BY 1, 5, 6;
END;

COMMENT ON FUNCTION @extschema@.report_periods_for(date, name) IS
    'the rows of the view report_periods as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.report_periods(as_of date)
    RETURNS SETOF @extschema@.report_periods LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.report_periods_for(report_periods.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.report_periods(date) IS
    'the rows of the view report_periods as of any date that the caller may read (its row-level security applies; readers use report_report_periods)';

CREATE FUNCTION @extschema@.report_report_periods(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.report_periods LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.report_periods_for(@extschema@.report_as_of(report_report_periods.as_of,
        @extschema@.report_caller(report_report_periods.caller)), report_report_periods.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_report_periods(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_report_periods(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_report_periods(date, name) IS
    'the rows of the view report_periods as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_report_periods(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.report_periods LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_report_periods.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_report_periods.municipality);
    END IF;
    IF report_report_periods.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_report_periods.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.report_periods_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_report_periods.as_of, @extschema@.report_caller(report_report_periods.caller)), report_report_periods.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_report_periods(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_report_periods(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_report_periods(date, name, text, text) IS
    'report_report_periods(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.report_periods IS 'the reporting periods of every contract up to today: each quarter it reports quarterly, each month it reports monthly (domain.md 6.3), with the report status; sroi.report_periods(as_of) for any date';

COMMENT ON COLUMN @extschema@.report_periods.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.report_periods.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.report_periods.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.report_periods.frequency IS 'quarterly (reported in quarter_report) or monthly (in period_report)';

COMMENT ON COLUMN @extschema@.report_periods.period_start IS 'first day of the period: of the quarter, or of the month';

COMMENT ON COLUMN @extschema@.report_periods.period_end IS 'last day of the period';

COMMENT ON COLUMN @extschema@.report_periods.due_on IS 'the day the report is due: report_due_days (rate card, 30) after the period end';

COMMENT ON COLUMN @extschema@.report_periods.submitted_on IS 'the day the report was received; NULL: not received';

COMMENT ON COLUMN @extschema@.report_periods.report_status IS 'submitted (by the due date), late (after it), overdue (due and missing; from the day after the due date) or not_due';

COMMENT ON COLUMN @extschema@.report_periods.quarter IS 'the quarter of the period, e.g. 2025-Q3';

COMMENT ON COLUMN @extschema@.report_periods.as_of IS 'the date the statuses are for';

GRANT SELECT ON @extschema@.report_periods TO sroi_reader, sroi_coordinator, sroi_contract_manager;

-- sroi install script, part 8a: the reports of closing (domain.md 6.5, 6.6), each
-- written once as its view (src/tools/expand.awk derives the as-of functions).

-- The reports a contract's settlement waits for (domain.md 6.5: "once a contract has
-- ended and its last report is due or submitted"): those of the reporting periods of
-- its last quarter, the quarter of its end date, each with the frequency in force in it
-- (domain.md 6.3: a month reported monthly has its own report, due report_due_days
-- after the month's end; macro report_period_rows, 07_monitoring.sql, the one source of
-- the due dates).  Every report of that quarter, so that the settlement's final figures
-- rest on all of its reports.
CREATE FUNCTION @extschema@.settlement_reports(contract_id text)
    RETURNS TABLE (period_start date, period_end date, frequency text, due_on date, submitted_on date)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.period_start, p.period_end, p.frequency, p.due_on, p.submitted_on
      FROM (SELECT k.id AS contract_id, k.municipality, k.supplier, q.q AS quarter, @extschema@.quarter_start(q.q) AS period_start,
       @extschema@.quarter_end(q.q) AS period_end, 'quarterly'::text AS frequency,
       @extschema@.quarter_end(q.q) + card.report_due_days AS due_on, r.submitted_on
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
  CROSS JOIN LATERAL @extschema@.quarters(@extschema@.quarter(k.starts_on), least(@extschema@.quarter((SELECT e.ends_on FROM @extschema@.contract AS e WHERE e.id = settlement_reports.contract_id)), @extschema@.quarter(k.ends_on)))
 AS q (q)
  -- the municipality too (the report's scope column, the contract's): a filter on it
  -- then reaches the reports' scan instead of a hash of every report
  LEFT JOIN @extschema@.quarter_report AS r ON r.contract_id = k.id AND r.quarter = q.q AND r.municipality = k.municipality
  LEFT JOIN (SELECT m.contract_id, m.quarter, count(*) AS months
               FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
              GROUP BY m.contract_id, m.quarter) AS mq ON mq.contract_id = k.id AND mq.quarter = q.q
 WHERE k.starts_on <= (SELECT e.ends_on FROM @extschema@.contract AS e WHERE e.id = settlement_reports.contract_id)
   AND (mq.months IS NULL OR mq.months < @extschema@.term_months_in_quarter(q.q, k.starts_on, k.ends_on))
UNION ALL
SELECT m.contract_id, m.municipality, m.supplier, m.quarter, m.period_start, m.period_end, 'monthly'::text,
       m.due_on, m.submitted_on
  FROM (SELECT f.contract_id, k.municipality, k.supplier, @extschema@.quarter(m.month::date) AS quarter,
       m.month::date AS period_start, (m.month + interval '1 month')::date - 1 AS period_end,
       (m.month + interval '1 month')::date - 1 + card.report_due_days AS due_on, r.submitted_on
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
) AS m
 WHERE m.period_start <= (SELECT e.ends_on FROM @extschema@.contract AS e WHERE e.id = settlement_reports.contract_id)
) AS p
     WHERE p.contract_id = settlement_reports.contract_id
       AND p.quarter = @extschema@.quarter((SELECT e.ends_on FROM @extschema@.contract AS e WHERE e.id = settlement_reports.contract_id));
END;

COMMENT ON FUNCTION @extschema@.settlement_reports(text) IS
    'the reporting periods of a contract''s last quarter (quarterly, or monthly where it reports monthly) with their due and submitted dates: the reports its settlement waits for (domain.md 6.5, 6.3); reads with the caller''s privileges';

-- The first day a contract can be settled (domain.md 6.5): once it has ended (the day
-- after its end date) and each of those reports is due or submitted: due on its
-- period's end + report_due_days, the day its status says it is due (domain.md 7.7:
-- not_due on it, overdue from the next day) (decision), or submitted earlier.
CREATE FUNCTION @extschema@.settlement_possible_from(contract_id text) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT GREATEST(k.ends_on + 1,
                    (SELECT max(LEAST(r.due_on, r.submitted_on)) FROM @extschema@.settlement_reports(k.id) AS r))
      FROM @extschema@.contract AS k
     WHERE k.id = settlement_possible_from.contract_id;
END;

COMMENT ON FUNCTION @extschema@.settlement_possible_from(text) IS
    'the first day a contract can be settled: after its end date, once each report of its last quarter (sroi.settlement_reports) is due or submitted (domain.md 6.5); reads with the caller''s privileges';

-- The settlements (06_settlement.sql) by the as-of date, with the contract's
-- municipality, supplier and end date.  The category split of a contract whose value
-- rests on 1 to 4 persons is suppressed as in contract_compliance, for a caller who may
-- not read its municipality's persons.
CREATE VIEW @extschema@.settlements WITH (security_barrier) AS
SELECT s.contract_id, k.municipality, k.supplier, k.ends_on,
       s.obligation, s.realised,
       CASE WHEN NOT x.hidden THEN s.realised_a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT x.hidden THEN s.realised_b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT x.hidden THEN s.realised_c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT x.hidden THEN s.realised_bonus END::numeric(15,2) AS realised_bonus,
       s.gap, s.penalty_due, s.penalty_waived, s.settled_on, s.settled_by, s.evaluation,
       @extschema@.pct_realised(s.realised, s.obligation)::numeric(20,1)
           AS pct_realised,
       s.pending, s.persons, x.hidden AS categories_suppressed, (SELECT @extschema@.today()) AS as_of
  FROM @extschema@.settlement AS s
  JOIN @extschema@.contract AS k ON k.id = s.contract_id
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(s.persons)
             AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS x
 WHERE s.settled_on <= (SELECT @extschema@.today())
 ORDER BY 1;

CREATE FUNCTION @extschema@.settlements_for(as_of date, caller name)
    RETURNS SETOF @extschema@.settlements LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT s.contract_id, k.municipality, k.supplier, k.ends_on,
       s.obligation, s.realised,
       CASE WHEN NOT x.hidden THEN s.realised_a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT x.hidden THEN s.realised_b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT x.hidden THEN s.realised_c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT x.hidden THEN s.realised_bonus END::numeric(15,2) AS realised_bonus,
       s.gap, s.penalty_due, s.penalty_waived, s.settled_on, s.settled_by, s.evaluation,
       @extschema@.pct_realised(s.realised, s.obligation)::numeric(20,1)
           AS pct_realised,
       s.pending, s.persons, x.hidden AS categories_suppressed, settlements_for.as_of AS as_of
  FROM @extschema@.settlement AS s
  JOIN @extschema@.contract AS k ON k.id = s.contract_id
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(settlements_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', settlements_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT @extschema@.small_cell(s.persons)
             AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS x
 WHERE s.settled_on <= settlements_for.as_of
 ORDER BY 1;
END;

COMMENT ON FUNCTION @extschema@.settlements_for(date, name) IS
    'the rows of the view settlements as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.settlements(as_of date)
    RETURNS SETOF @extschema@.settlements LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.settlements_for(settlements.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.settlements(date) IS
    'the rows of the view settlements as of any date that the caller may read (its row-level security applies; readers use report_settlements)';

CREATE FUNCTION @extschema@.report_settlements(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.settlements LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.settlements_for(@extschema@.report_as_of(report_settlements.as_of,
        @extschema@.report_caller(report_settlements.caller)), report_settlements.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_settlements(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_settlements(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_settlements(date, name) IS
    'the rows of the view settlements as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_settlements(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.settlements LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_settlements.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_settlements.municipality);
    END IF;
    IF report_settlements.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_settlements.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.settlements_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_settlements.as_of, @extschema@.report_caller(report_settlements.caller)), report_settlements.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_settlements(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_settlements(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_settlements(date, name, text, text) IS
    'report_settlements(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.settlements IS 'settled contracts and their final figures as of the end date (domain.md 6.5; guideline 5.3, 6.7); sroi.settlements(as_of) gives those settled by a date (the caller''s rows), sroi.report_settlements(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.settlements.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.settlements.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.settlements.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.settlements.ends_on IS 'last day of the contract term: the date the figures are for';

COMMENT ON COLUMN @extschema@.settlements.obligation IS 'SROI obligation after the PSO discount as of the end date, euros';

COMMENT ON COLUMN @extschema@.settlements.realised IS 'value realised by the end date, euros: realised_a + realised_b + realised_c + realised_bonus';

COMMENT ON COLUMN @extschema@.settlements.realised_a IS 'realised in category A (employment), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.settlements.realised_b IS 'realised in category B (learning, work experience), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.settlements.realised_c IS 'realised in category C (other social activity), euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.settlements.realised_bonus IS 'realised in bonuses 12 and 13, euros; NULL when categories_suppressed';

COMMENT ON COLUMN @extschema@.settlements.gap IS 'obligation not realised by the end date, never below 0, euros';

COMMENT ON COLUMN @extschema@.settlements.penalty_due IS 'the penalty (boete, guideline 5.3): the penalty exposure at the end date, gap x penalty percentage, 0 when waived, euros';

COMMENT ON COLUMN @extschema@.settlements.penalty_waived IS 'the SR coordinator had waived the penalty (force majeure, best efforts shown) when the contract was settled';

COMMENT ON COLUMN @extschema@.settlements.settled_on IS 'the day the contract was settled; its data are frozen from then on until it is reopened';

COMMENT ON COLUMN @extschema@.settlements.settled_by IS 'who settled it (the SR coordinator named in sroi.settle)';

COMMENT ON COLUMN @extschema@.settlements.evaluation IS 'the final evaluation (eindevaluatie, guideline 6.7)';

COMMENT ON COLUMN @extschema@.settlements.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal); NULL when the obligation is 0';

COMMENT ON COLUMN @extschema@.settlements.pending IS 'value that still awaited the coordinator''s approval when settled, euros; not in realised';

COMMENT ON COLUMN @extschema@.settlements.persons IS 'distinct persons with counted value by the end date; do not sum over contracts (a person may count on two)';

COMMENT ON COLUMN @extschema@.settlements.categories_suppressed IS 'true when realised_a, realised_b, realised_c and realised_bonus are NULL for you: 1 to 4 persons, whose earnings the split would show';

COMMENT ON COLUMN @extschema@.settlements.as_of IS 'the date the rows are for: the contracts settled by then';

-- Successes (successen vieren, guideline 6.6; domain.md 6.6), one row per contract with
-- an obligation that
--   early:    fulfilled its obligation before its end date: realised reached the
--             obligation by the day before the end date (by the as-of date, when that
--             is earlier).  Not on the turnover basis, whose obligation is final only
--             at the end date (domain.md 7.6) (decision);
--   exceeded: ended (the as-of date lies after its end date), or was settled, with
--             realised at least success_pct (rate card, 110) % of its obligation.
-- Both: reason early (decision: the more specific one; fulfilled_in shows when).
-- Figures: those of the settlement when the contract was settled by the as-of date,
-- else contract_compliance's.  fulfilled_in: the first quarter at whose end (or at the
-- as-of date, in the current one) cumulative realised reached the obligation.
-- Cheap: the accrual per quarter and the day before the end are computed only for the
-- contracts whose realised reached the obligation (LATERAL, after that filter).
CREATE VIEW @extschema@.successes WITH (security_barrier) AS
SELECT c.contract_id, c.municipality, c.supplier, c.obligation::numeric(15,2) AS obligation,
       c.realised::numeric(15,2) AS realised,
       @extschema@.pct_realised(c.realised, c.obligation)::numeric(20,1) AS pct_realised,
       fq.fulfilled_in::text AS fulfilled_in, c.ends_on,
       CASE WHEN j.early THEN 'early' ELSE 'exceeded' END AS reason,
       c.settled, (SELECT @extschema@.today()) AS as_of
  FROM (SELECT r.contract_id, r.municipality, r.supplier, k.ends_on, k.basis, card.success_pct,
               s.contract_id IS NOT NULL AS settled,
               coalesce(s.obligation, r.obligation) AS obligation, coalesce(s.realised, r.realised) AS realised
          FROM (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT (SELECT @extschema@.today()) AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = (SELECT @extschema@.today())
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= (SELECT @extschema@.today()) AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = (SELECT @extschema@.today())) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = (SELECT @extschema@.today()))

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(CURRENT_USER)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', CURRENT_USER)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS r
          JOIN @extschema@.contract AS k ON k.id = r.contract_id AND k.municipality = r.municipality
          JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
          LEFT JOIN @extschema@.settlement AS s ON s.contract_id = r.contract_id AND s.settled_on <= (SELECT @extschema@.today())
       ) AS c
  CROSS JOIN LATERAL (
      -- the first quarter in which cumulative realised reached the obligation: from the
      -- contract's stored quarterly rows of the date (realised_cum, the same sums), else
      -- from its value lines (the second is evaluated only when the first finds none)
      SELECT coalesce(
          (SELECT @extschema@.min(f.quarter) FROM @extschema@.quarter_figures AS f
            WHERE f.contract_id = c.contract_id AND f.as_of = (SELECT @extschema@.today()) AND f.realised_cum >= c.obligation),
          (SELECT @extschema@.min(x.quarter)
             FROM (SELECT v.quarter, sum(sum(v.value)) OVER (ORDER BY v.quarter) AS cum
                     FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
                     CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, (SELECT @extschema@.today()), l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v
                    WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on <= (SELECT @extschema@.today())
                    GROUP BY v.quarter) AS x
            WHERE x.cum >= c.obligation)) AS fulfilled_in
  ) AS fq
  CROSS JOIN LATERAL (
      SELECT c.basis <> 'turnover'
             AND ((SELECT @extschema@.today()) < c.ends_on      -- reached by the as-of date, before the end date
                  OR fq.fulfilled_in < @extschema@.quarter(c.ends_on)
                  -- reached in the end quarter: by the day before the end date?
                  OR (fq.fulfilled_in = @extschema@.quarter(c.ends_on)
                      AND (SELECT coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, c.ends_on - 1, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
), 0)
                             FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
                            WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on < c.ends_on)
                          >= c.obligation)) AS early,
             (SELECT @extschema@.today()) > c.ends_on AND c.realised * 100 >= c.obligation * c.success_pct AS exceeded
  ) AS j
 WHERE c.obligation > 0 AND c.realised >= c.obligation AND (j.early OR j.exceeded)
 ORDER BY 1;

CREATE FUNCTION @extschema@.successes_for(as_of date, caller name)
    RETURNS SETOF @extschema@.successes LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
SELECT c.contract_id, c.municipality, c.supplier, c.obligation::numeric(15,2) AS obligation,
       c.realised::numeric(15,2) AS realised,
       @extschema@.pct_realised(c.realised, c.obligation)::numeric(20,1) AS pct_realised,
       fq.fulfilled_in::text AS fulfilled_in, c.ends_on,
       CASE WHEN j.early THEN 'early' ELSE 'exceeded' END AS reason,
       c.settled, successes_for.as_of AS as_of
  FROM (SELECT r.contract_id, r.municipality, r.supplier, k.ends_on, k.basis, card.success_pct,
               s.contract_id IS NOT NULL AS settled,
               coalesce(s.obligation, r.obligation) AS obligation, coalesce(s.realised, r.realised) AS realised
          FROM (SELECT k.id AS contract_id, k.municipality, k.supplier,
       k.contract_value::numeric(15,2) AS contract_value,
       t.obligation_gross::numeric(15,2) AS obligation_gross, t.pso_discount::numeric(15,2) AS pso_discount,
       t.obligation::numeric(15,2) AS obligation, f.realised::numeric(15,2) AS realised,
       CASE WHEN NOT f.hidden THEN f.a END::numeric(15,2) AS realised_a,
       CASE WHEN NOT f.hidden THEN f.b END::numeric(15,2) AS realised_b,
       CASE WHEN NOT f.hidden THEN f.c END::numeric(15,2) AS realised_c,
       CASE WHEN NOT f.hidden THEN f.bonus END::numeric(15,2) AS realised_bonus,
       f.pending::numeric(15,2) AS pending, t.expected::numeric(15,2) AS expected_to_date,
       greatest(t.obligation - f.realised, 0.00)::numeric(15,2) AS gap,
       @extschema@.pct_realised(f.realised, t.obligation)::numeric(20,1) AS pct_realised,
       @extschema@.monitoring_status(t.obligation, f.realised, t.expected, card.at_risk_pct,
                                     @extschema@.obligation_final(k.basis, target_on.on_date, k.ends_on)) AS status,
       -- realised / elapsed share of the term, once projection_min_pct of it has passed
       CASE WHEN f.elapsed_days > 0 AND f.elapsed_days * 100 >= card.projection_min_pct * f.term_days
            THEN @extschema@.div_round(f.realised * f.term_days, f.elapsed_days, 2) END::numeric(15,2)
           AS projected_at_end,
       CASE WHEN k.penalty_waived_reason IS NOT NULL THEN 0.00
            ELSE round(greatest(t.obligation - f.realised, 0) * k.penalty_pct * 0.01, 2) END::numeric(15,2)
           AS penalty_exposure,
       k.pso_approved AND k.pso_valid_until < target_on.on_date AS pso_expired,
       k.rate_card, k.basis, target_on.on_date AS as_of, f.persons, f.hidden AS categories_suppressed,
       -- domain.md 6.5: settled by the as-of date (06_settlement.sql)
       settlement.contract_id IS NOT NULL AS settled
  FROM @extschema@.contract AS k
  JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
LEFT JOIN @extschema@.pso_discount_rate AS rate ON rate.rate_card = k.rate_card AND rate.rung = k.pso_rung

  CROSS JOIN (SELECT successes_for.as_of AS on_date) AS target_on
  CROSS JOIN LATERAL (    SELECT g.gross AS obligation_gross, x.discount AS pso_discount, g.gross - x.discount AS obligation,
           -- never more than the obligation (domain.md 7.5)
           least(g.gross - x.discount,
           CASE WHEN k.basis = 'turnover' THEN g.gross - x.discount
                -- from the end date on, the whole obligation (domain.md 7.5)
                WHEN target_on.on_date >= k.ends_on THEN g.gross - x.discount
                -- domain.md 5 (guideline 4.3 fasering): an own phasing schedule, stepwise
                -- (IN, not a correlated EXISTS: one hashed look-up, not a scan per row)
                WHEN k.id IN (SELECT p.contract_id FROM @extschema@.phasing AS p) THEN
                    round((g.gross - x.discount)
                          * coalesce((SELECT p.cumulative_share FROM @extschema@.phasing AS p
                                       WHERE p.contract_id = k.id AND p.from_date <= target_on.on_date
                                       ORDER BY p.from_date DESC LIMIT 1), 0), 2)
                WHEN target_on.on_date < k.starts_on THEN 0.00
                ELSE @extschema@.div_round((g.gross - x.discount) * (target_on.on_date - k.starts_on + 1),
                                           k.ends_on - k.starts_on + 1, 2)
           END) AS expected
      FROM (
          -- domain.md 1.2: the euro amount agreed, when recorded, is the gross obligation
          SELECT CASE WHEN k.obligation_amount IS NOT NULL THEN k.obligation_amount
                      -- domain.md 1.4 (guideline 5.2): the percentage that applies to the
                      -- contract value (1.1, 1.2), of the turnover reported for the quarters
                      -- up to the date, rounded as 1.3 (sroi.obligation, C)
                      WHEN k.basis = 'turnover' THEN
                          @extschema@.obligation((SELECT coalesce(sum(t.amount), 0) FROM @extschema@.turnover AS t
                                                   WHERE t.contract_id = k.id AND t.quarter <= @extschema@.quarter(target_on.on_date)),
                                                 @extschema@.applicable_pct(k.contract_value, k.obligation_pct, card.threshold,
                                                                            card.default_pct))
                      -- domain.md 1.1-1.3
                      ELSE @extschema@.obligation(k.contract_value, k.obligation_pct, card.threshold, card.default_pct)
                 END AS gross
          -- once per row (a pulled-up subquery would repeat the expression in every use)
          OFFSET 0) AS g
      CROSS JOIN LATERAL (
          SELECT CASE WHEN k.pso_approved
                      THEN @extschema@.labour_discount(g.gross, coalesce(rate.discount_pct, 0), k.labour_share)
                      ELSE 0.00 END AS discount) AS x
    -- its columns are plain values to the query above (which then inlines the SQL
    -- functions it passes them to, such as monitoring_status)
    OFFSET 0
) AS t
  LEFT JOIN @extschema@.settlement ON settlement.contract_id = k.id AND settlement.settled_on <= target_on.on_date
  -- the stored figures of the date, or computed (the figures cache, above)
  LEFT JOIN (
        SELECT f.contract_id, f.municipality, f.realised_a AS a, f.realised_b AS b, f.realised_c AS c,
               f.realised_bonus AS bonus, f.pending, f.persons
          FROM @extschema@.contract_figures AS f
         WHERE f.as_of = successes_for.as_of
        UNION ALL
        SELECT l.contract_id, l.municipality,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'A') AS a,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'B') AS b,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'C') AS c,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.counted AND l.category = 'bonus') AS bonus,
       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) FILTER (WHERE l.pending) AS pending,
       @extschema@.persons(l.candidate_id) FILTER (WHERE l.counted) AS persons
  FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
 WHERE (l.counted OR l.pending) AND l.starts_on <= successes_for.as_of AND NOT (SELECT s.complete FROM @extschema@.figures_state AS s WHERE s.as_of = successes_for.as_of) IS TRUE

AND NOT EXISTS (SELECT 1 FROM @extschema@.contract_figures AS f WHERE f.contract_id = l.contract_id AND f.as_of = successes_for.as_of)

 -- the municipality (fixed per contract) in the key, so a filter on it reaches the scan
 GROUP BY l.contract_id, l.municipality

  ) AS v ON v.contract_id = k.id AND v.municipality = k.municipality
  CROSS JOIN (SELECT (SELECT @extschema@.is_coordinator(successes_for.caller)) AS coordinator,
        (SELECT @extschema@.scopes('municipality', successes_for.caller)) AS municipalities) AS who

  CROSS JOIN LATERAL (
      SELECT coalesce(v.a, 0.00) AS a, coalesce(v.b, 0.00) AS b, coalesce(v.c, 0.00) AS c,
             coalesce(v.bonus, 0.00) AS bonus, coalesce(v.pending, 0.00) AS pending,
             coalesce(v.persons, 0) AS persons,
             coalesce(v.a, 0.00) + coalesce(v.b, 0.00) + coalesce(v.c, 0.00) + coalesce(v.bonus, 0.00) AS realised,
             least(target_on.on_date, k.ends_on) - k.starts_on + 1 AS elapsed_days,
             k.ends_on - k.starts_on + 1 AS term_days,
             -- 1 to 4 persons: the split over the categories would show what they earn
             @extschema@.small_cell(coalesce(v.persons, 0))
                 AND NOT (who.coordinator OR k.municipality = ANY (who.municipalities)) AS hidden
  ) AS f
) AS r
          JOIN @extschema@.contract AS k ON k.id = r.contract_id AND k.municipality = r.municipality
          JOIN @extschema@.rate_card AS card ON card.code = k.rate_card
          LEFT JOIN @extschema@.settlement AS s ON s.contract_id = r.contract_id AND s.settled_on <= successes_for.as_of
       ) AS c
  CROSS JOIN LATERAL (
      -- the first quarter in which cumulative realised reached the obligation: from the
      -- contract's stored quarterly rows of the date (realised_cum, the same sums), else
      -- from its value lines (the second is evaluated only when the first finds none)
      SELECT coalesce(
          (SELECT @extschema@.min(f.quarter) FROM @extschema@.quarter_figures AS f
            WHERE f.contract_id = c.contract_id AND f.as_of = successes_for.as_of AND f.realised_cum >= c.obligation),
          (SELECT @extschema@.min(x.quarter)
             FROM (SELECT v.quarter, sum(sum(v.value)) OVER (ORDER BY v.quarter) AS cum
                     FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
                     CROSS JOIN LATERAL @extschema@.accrual_by_quarter(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, successes_for.as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS v
                    WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on <= successes_for.as_of
                    GROUP BY v.quarter) AS x
            WHERE x.cum >= c.obligation)) AS fulfilled_in
  ) AS fq
  CROSS JOIN LATERAL (
      SELECT c.basis <> 'turnover'
             AND (successes_for.as_of < c.ends_on      -- reached by the as-of date, before the end date
                  OR fq.fulfilled_in < @extschema@.quarter(c.ends_on)
                  -- reached in the end quarter: by the day before the end date?
                  OR (fq.fulfilled_in = @extschema@.quarter(c.ends_on)
                      AND (SELECT coalesce(@extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, c.ends_on - 1, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
), 0)
                             FROM (SELECT a.id AS activity_id,
       k.id AS contract_id,
       k.municipality,
       k.supplier,
       coalesce(a.delivered_by, k.supplier) AS delivered_by,
       a.candidate_id,
       c.benefit,
       coalesce(bonus.category, b.category) AS category,
       coalesce(bonus.code, b.code) AS block,
       a.status,
       a.status <> 'rejected' AND (NOT b.requires_approval OR a.status = 'approved')
           AND NOT indication.ended_before_start AS counted,
       b.requires_approval AND a.status = 'reported'
           AND NOT indication.ended_before_start AS pending,
       coalesce(bonus.unit, b.unit) AS unit,
       CASE WHEN b.unit IN ('invoice', 'negotiated') THEN a.amount ELSE coalesce(bonus.amount, b.amount) END AS amount,
       coalesce(bonus.reference_months, b.reference_months) AS reference_months,
       CASE coalesce(bonus.unit, b.unit) WHEN 'fte_period' THEN a.fte WHEN 'hour' THEN a.hours END AS quantity,
       -- a bonus line is capped like its base (domain.md 7.9)
       b.max_months AS max_months,
       a.starts_on,
       -- A4 and A4B count while the indication lasts (domain.md 2, 4); an
       -- open-ended indication leaves an ongoing activity ongoing.
       CASE WHEN indication.applies AND c.indication_until IS NOT NULL
            THEN greatest(least(a.ends_on, c.indication_until), a.starts_on)
            ELSE a.ends_on END AS ends_on,
       a.planned_ends_on,
       k.starts_on AS term_starts_on,
       k.ends_on AS term_ends_on,
       a.fte
  FROM @extschema@.activity AS a
  JOIN @extschema@.contract AS k ON k.id = a.contract_id
  -- the activity carries its contract's card (the key activity_block_fkey): the block joins without the contract
  JOIN @extschema@.building_block AS b ON b.rate_card = a.rate_card AND b.code = a.block
  LEFT JOIN @extschema@.candidate AS c ON c.id = a.candidate_id
  CROSS JOIN LATERAL (
      SELECT b.eligibility IN ('doelgroepregister', 'beschut_werk') AS applies,
             coalesce(b.eligibility IN ('doelgroepregister', 'beschut_werk')
                      AND c.indication_until < a.starts_on, false) AS ended_before_start
  ) AS indication
  -- the activity's line (n = 1) and one per bonus it claims: a VALUES list, not a UNION
  -- (a UNION per activity keeps the plan above Gather; this one runs in the workers)
  JOIN LATERAL (VALUES (1, NULL::text), (2, CASE WHEN a.bonus_56plus THEN 'BONUS12' END),
                       (3, CASE WHEN a.bonus_special THEN 'BONUS13' END)) AS line (n, code)
    ON line.n = 1 OR line.code IS NOT NULL
  LEFT JOIN @extschema@.building_block AS bonus ON bonus.rate_card = a.rate_card AND bonus.code = line.code
) AS l
                            WHERE l.contract_id = c.contract_id AND l.counted AND l.starts_on < c.ends_on)
                          >= c.obligation)) AS early,
             successes_for.as_of > c.ends_on AND c.realised * 100 >= c.obligation * c.success_pct AS exceeded
  ) AS j
 WHERE c.obligation > 0 AND c.realised >= c.obligation AND (j.early OR j.exceeded)
 ORDER BY 1;
END;

COMMENT ON FUNCTION @extschema@.successes_for(date, name) IS
    'the rows of the view successes as of a date, with what the caller may not read suppressed as in the view; reads the tables with the privileges and row-level security of whoever calls it (generated from the view by src/tools/expand.awk)';

CREATE FUNCTION @extschema@.successes(as_of date)
    RETURNS SETOF @extschema@.successes LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT * FROM @extschema@.successes_for(successes.as_of, CURRENT_USER);
END;

COMMENT ON FUNCTION @extschema@.successes(date) IS
    'the rows of the view successes as of any date that the caller may read (its row-level security applies; readers use report_successes)';

CREATE FUNCTION @extschema@.report_successes(as_of date, caller name DEFAULT CURRENT_USER)
    RETURNS SETOF @extschema@.successes LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM @extschema@.successes_for(@extschema@.report_as_of(report_successes.as_of,
        @extschema@.report_caller(report_successes.caller)), report_successes.caller);
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_successes(date, name) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_successes(date, name) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_successes(date, name) IS
    'the rows of the view successes as of a date, every contract, for the roles that read the views (SECURITY DEFINER); a reader gets today and the last days of ended quarters, and the small cells it may not read suppressed';

CREATE FUNCTION @extschema@.report_successes(as_of date, caller name, municipality text, contract_id text DEFAULT NULL)
    RETURNS SETOF @extschema@.successes LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w text := '';
BEGIN
    IF report_successes.municipality IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.municipality = %L', report_successes.municipality);
    END IF;
    IF report_successes.contract_id IS NOT NULL THEN
        w := w || pg_catalog.format(' AND r.contract_id = %L', report_successes.contract_id);
    END IF;
    RETURN QUERY EXECUTE pg_catalog.format('SELECT * FROM @extschema@.successes_for(%L::date, %L::name) AS r WHERE true',
        @extschema@.report_as_of(report_successes.as_of, @extschema@.report_caller(report_successes.caller)), report_successes.caller) || w;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.report_successes(date, name, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_successes(date, name, text, text) TO sroi_reader, sroi_coordinator, sroi_contract_manager;

COMMENT ON FUNCTION @extschema@.report_successes(date, name, text, text) IS
    'report_successes(as_of, caller) for one municipality and contract_id (NULL: any): the filter reaches the scans, so one municipality or contract costs what its rows cost (SECURITY DEFINER, generated by src/tools/expand.awk)';

COMMENT ON VIEW @extschema@.successes IS 'contracts to celebrate (successen vieren, guideline 6.6): obligation fulfilled before the end date (early), or ended or settled with realised at least success_pct (110) % of it (exceeded); sroi.successes(as_of) for any date (the caller''s rows), sroi.report_successes(as_of) for the roles that read the views';

COMMENT ON COLUMN @extschema@.successes.contract_id IS 'contract number';

COMMENT ON COLUMN @extschema@.successes.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.successes.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.successes.obligation IS 'SROI obligation after the PSO discount, euros (the settlement''s when settled)';

COMMENT ON COLUMN @extschema@.successes.realised IS 'value realised to date (by the end date, once ended), euros (the settlement''s when settled)';

COMMENT ON COLUMN @extschema@.successes.pct_realised IS 'realised as a percentage of the obligation (percent, 1 decimal)';

COMMENT ON COLUMN @extschema@.successes.fulfilled_in IS 'the quarter in which cumulative realised first reached the obligation, e.g. 2025-Q3';

COMMENT ON COLUMN @extschema@.successes.ends_on IS 'last day of the contract term';

COMMENT ON COLUMN @extschema@.successes.reason IS 'early (obligation fulfilled before the end date) or exceeded (ended or settled with realised at least 110 % of the obligation); early when both';

COMMENT ON COLUMN @extschema@.successes.settled IS 'the contract was settled by the as-of date: obligation and realised are the settlement''s';

COMMENT ON COLUMN @extschema@.successes.as_of IS 'the date the figures are for';

GRANT SELECT ON @extschema@.settlements, @extschema@.successes
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;

-- sroi install script, part 9: what the views BI tools read have in common.
--
-- The views themselves stand beside their queries in 07_monitoring.sql and
-- 08_reports.sql, written once: src/tools/expand.awk writes each as its view (today,
-- sroi.today(), in built-in types: a quarter is text such as 2025-Q3, beside its first
-- and last day) and derives from the same text FN_for(as_of, caller), FN(as_of) and
-- report_FN(as_of, caller).
--
-- A view reads its tables with its owner's privileges: a BI reader (sroi_reader,
-- 00_roles.sql) reads the views and no table.  Every view is a security_barrier,
-- so a function a reader puts in its WHERE sees only the rows and values the view
-- shows (the suppressed cells as NULL).  Filters on contract_id, municipality and
-- quarter reach the table scans (leakproof equality).
--
-- The views show every contract to the roles granted them (aggregates only, small
-- cells suppressed for those who may not read the persons); FN(as_of) shows a caller
-- the rows its row-level security lets it read; report_FN(as_of) is the as-of path for
-- the roles that read the views (readers: today and ended quarters).

GRANT SELECT ON @extschema@.contract_compliance, @extschema@.quarterly_progress, @extschema@.municipality_quarter,
                @extschema@.category_mix, @extschema@.target_group_outcomes, @extschema@.overdue_items,
                @extschema@.chain_delivery
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;

-- sroi install script, part 11: the BI dimensions and labels.  Beside the monitoring
-- views (09_views.sql) a BI model needs a contract dimension to slice by, a calendar of
-- quarters to join on, and the words and colours for the codes the views show.  Built-in
-- types only, a COMMENT on every view and column, no personal data.
--
-- Plain views (not security_invoker): the contract table is read with the privileges
-- of the view's owner, the extension's owner, so a reader needs no table right and no
-- row-level security applies; every contract is shown, as in contract_compliance.  They
-- filter no rows, so a reader's function in a WHERE clause can see nothing it could not
-- select anyway: security_barrier is not needed.  The functions they call (today(),
-- quarter()) run as the reader and are open to everyone.

CREATE VIEW @extschema@.contract_dimension AS
SELECT k.id AS contract_id, k.municipality, k.supplier, k.title,
       k.contract_value::numeric(15,2) AS contract_value,
       k.tendered_on, k.awarded_on, k.starts_on, k.ends_on, k.basis, k.rate_card,
       k.obligation_pct::numeric(5,2) AS obligation_pct,
       @extschema@.quarter(k.starts_on)::text AS start_quarter,
       @extschema@.quarter(k.ends_on)::text AS end_quarter,
       @extschema@.today() AS as_of
  FROM @extschema@.contract AS k;

COMMENT ON VIEW @extschema@.contract_dimension IS
    'one row per contract: the terms a BI model slices the monitoring views by (join on contract_id); no personal data';

COMMENT ON COLUMN @extschema@.contract_dimension.contract_id IS 'contract number, as in the monitoring views';

COMMENT ON COLUMN @extschema@.contract_dimension.municipality IS 'contracting municipality';

COMMENT ON COLUMN @extschema@.contract_dimension.supplier IS 'main contractor';

COMMENT ON COLUMN @extschema@.contract_dimension.title IS 'what the contract is for';

COMMENT ON COLUMN @extschema@.contract_dimension.contract_value IS 'contract value in euros, excl. VAT, whole term';

COMMENT ON COLUMN @extschema@.contract_dimension.tendered_on IS 'publication date of the tender; NULL when not recorded';

COMMENT ON COLUMN @extschema@.contract_dimension.awarded_on IS 'award date (gunning)';

COMMENT ON COLUMN @extschema@.contract_dimension.starts_on IS 'first day of the contract term';

COMMENT ON COLUMN @extschema@.contract_dimension.ends_on IS 'last day of the contract term';

COMMENT ON COLUMN @extschema@.contract_dimension.basis IS 'contract_value or turnover: what the obligation accrues from (labels: field basis)';

COMMENT ON COLUMN @extschema@.contract_dimension.rate_card IS 'the rate card the contract is pinned to';

COMMENT ON COLUMN @extschema@.contract_dimension.obligation_pct IS 'obligation percentage as agreed in the contract, 0 to 100; NULL: the rate card''s default (5 % above its threshold, else 0)';

COMMENT ON COLUMN @extschema@.contract_dimension.start_quarter IS 'quarter of the first day of the term, e.g. 2025-Q3 (joins quarter_dimension.quarter)';

COMMENT ON COLUMN @extschema@.contract_dimension.end_quarter IS 'quarter of the last day of the term, e.g. 2027-Q2 (joins quarter_dimension.quarter)';

COMMENT ON COLUMN @extschema@.contract_dimension.as_of IS 'the date the row is for: today (sroi.today(), Europe/Amsterdam)';

-- The quarters from the earliest contract start to the latest contract end, and today's
-- quarter always; without contracts, last year to next year.
CREATE VIEW @extschema@.quarter_dimension AS
SELECT q::text AS quarter,
       @extschema@.quarter_year(q) AS year,
       @extschema@.quarter_number(q) AS quarter_number,
       @extschema@.quarter_start(q) AS quarter_start,
       @extschema@.quarter_end(q) AS quarter_end,
       pg_catalog.format('%s-K%s', @extschema@.quarter_year(q), @extschema@.quarter_number(q)) AS label_nl,
       pg_catalog.format('%s Q%s', @extschema@.quarter_year(q), @extschema@.quarter_number(q)) AS label_en,
       @extschema@.quarter_start(q) OPERATOR(pg_catalog.<=) r.today
           AND r.today OPERATOR(pg_catalog.<=) @extschema@.quarter_end(q) AS is_current,
       @extschema@.quarter_end(q) OPERATOR(pg_catalog.<) r.today AS is_ended,
       q OPERATOR(@extschema@.-) @extschema@.quarter(r.today) AS relative_quarter
  FROM (SELECT d.today,
               @extschema@.quarter(LEAST(coalesce(pg_catalog.min(k.starts_on),
                                                  pg_catalog.make_date(pg_catalog.date_part('year', d.today)::integer OPERATOR(pg_catalog.-) 1, 1, 1)),
                                         d.today)) AS first_quarter,
               @extschema@.quarter(GREATEST(coalesce(pg_catalog.max(k.ends_on),
                                                     pg_catalog.make_date(pg_catalog.date_part('year', d.today)::integer OPERATOR(pg_catalog.+) 1, 12, 31)),
                                            d.today)) AS last_quarter
          FROM (SELECT @extschema@.today() AS today) AS d
          LEFT JOIN @extschema@.contract AS k ON true
         GROUP BY d.today) AS r
  CROSS JOIN LATERAL @extschema@.quarters(r.first_quarter, r.last_quarter) AS q;

COMMENT ON VIEW @extschema@.quarter_dimension IS
    'one row per calendar quarter from the earliest contract start to the latest contract end (today''s quarter always included; last year to next year when there are no contracts): the calendar the monitoring views join on by quarter';

COMMENT ON COLUMN @extschema@.quarter_dimension.quarter IS 'calendar quarter, e.g. 2025-Q3, as in the monitoring views';

COMMENT ON COLUMN @extschema@.quarter_dimension.year IS 'the year, e.g. 2025';

COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_number IS 'the number of the quarter in its year, 1 to 4';

COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_start IS 'first day of the quarter';

COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_end IS 'last day of the quarter';

COMMENT ON COLUMN @extschema@.quarter_dimension.label_nl IS 'Dutch label, e.g. 2025-K3 (kwartaal)';

COMMENT ON COLUMN @extschema@.quarter_dimension.label_en IS 'English label, e.g. 2025 Q3';

COMMENT ON COLUMN @extschema@.quarter_dimension.is_current IS 'true for the quarter of today (sroi.today())';

COMMENT ON COLUMN @extschema@.quarter_dimension.is_ended IS 'true when the quarter''s last day is before today: its figures are final';

COMMENT ON COLUMN @extschema@.quarter_dimension.relative_quarter IS 'quarters from today''s quarter: 0 this quarter, -1 the previous one, 1 the next';

-- The words and colours for every code a view shows, one row per (field, code); field
-- is the name of the view column that holds the code.  test/pgtap/bi_labels.sql checks
-- that every code the constraints, validation and monitoring functions can produce is
-- here.  The overdue item kinds plan_missing to settlement_due are those api.md names
-- for the steering and closing rules.
CREATE VIEW @extschema@.labels AS
SELECT l.field, l.code, l.label_nl, l.label_en, l.sort_order, l.colour
  FROM (VALUES
    ('status', 'not_applicable', 'Niet van toepassing', 'Not applicable', 1, '#9E9E9E'),
    ('status', 'fulfilled', 'Voldaan', 'Fulfilled', 2, '#1A9850'),
    ('status', 'on_track', 'Op koers', 'On track', 3, '#91CF60'),
    ('status', 'at_risk', 'Risico', 'At risk', 4, '#FC8D59'),
    ('status', 'behind', 'Achter', 'Behind', 5, '#D73027'),
    ('report_status', 'submitted', 'Ingediend', 'Submitted', 1, '#1A9850'),
    ('report_status', 'late', 'Te laat ingediend', 'Submitted late', 2, '#FC8D59'),
    ('report_status', 'overdue', 'Ontbreekt', 'Overdue', 3, '#D73027'),
    ('report_status', 'not_due', 'Nog niet verschuldigd', 'Not yet due', 4, '#BDBDBD'),
    ('trend', 'improving', 'Verbetert', 'Improving', 1, '#1A9850'),
    ('trend', 'steady', 'Stabiel', 'Steady', 2, '#9E9E9E'),
    ('trend', 'worsening', 'Verslechtert', 'Worsening', 3, '#D73027'),
    ('kind', 'kickoff_missing', 'Startgesprek ontbreekt', 'Kick-off meeting missing', 1, '#D73027'),
    ('kind', 'kickoff_late', 'Startgesprek te laat', 'Kick-off meeting late', 2, '#FC8D59'),
    ('kind', 'report_overdue', 'Rapportage ontbreekt', 'Report overdue', 3, '#D73027'),
    ('kind', 'report_late', 'Rapportage te laat', 'Report late', 4, '#FC8D59'),
    ('kind', 'pso_expired', 'PSO-certificaat verlopen', 'PSO certificate expired', 5, '#8073AC'),
    ('kind', 'intensify', 'Monitoring intensiveren', 'Intensify monitoring', 6, '#B2182B'),
    ('kind', 'plan_missing', 'Plan van aanpak ontbreekt', 'Plan missing', 7, '#D73027'),
    ('kind', 'action_plan_missing', 'Verbeterplan ontbreekt', 'Action plan missing', 8, '#D73027'),
    ('kind', 'action_overdue', 'Actiepunt over tijd', 'Action item overdue', 9, '#FC8D59'),
    ('kind', 'settlement_due', 'Afrekening nodig', 'Settlement due', 10, '#4575B4'),
    ('category', 'A', 'A: werk', 'A: employment', 1, '#4575B4'),
    ('category', 'B', 'B: leren en werkervaring', 'B: learning and work experience', 2, '#74ADD1'),
    ('category', 'C', 'C: overige sociale activiteiten', 'C: other social activity', 3, '#ABD9E9'),
    ('category', 'bonus', 'Bonus', 'Bonus', 4, '#FDAE61'),
    ('benefit', 'participatiewet', 'Participatiewet', 'Social assistance (Participatiewet)', 1, '#4575B4'),
    ('benefit', 'ww', 'WW', 'Unemployment benefit (WW)', 2, '#74ADD1'),
    ('benefit', 'wia', 'WIA', 'Disability benefit (WIA)', 3, '#ABD9E9'),
    ('benefit', 'wao', 'WAO', 'Disability benefit (WAO)', 4, '#E0F3F8'),
    ('benefit', 'wajong', 'Wajong', 'Young disabled benefit (Wajong)', 5, '#FEE090'),
    ('benefit', 'none', 'Geen uitkering', 'No benefit', 6, '#BDBDBD'),
    ('basis', 'contract_value', 'Opdrachtwaarde', 'Contract value', 1, '#4575B4'),
    ('basis', 'turnover', 'Omzet', 'Turnover', 2, '#FDAE61'),
    ('reason', 'early', 'Vroegtijdig voldaan', 'Fulfilled early', 1, '#1A9850'),
    ('reason', 'exceeded', 'Ruim overtroffen', 'Exceeded', 2, '#91CF60')
  ) AS l (field, code, label_nl, label_en, sort_order, colour);

COMMENT ON VIEW @extschema@.labels IS
    'Dutch and English labels, order and colour of every code the views show, one row per field and code: join on field = the column name and code = its value';

COMMENT ON COLUMN @extschema@.labels.field IS 'the view column the code appears in: status, report_status, trend, kind, category, benefit, basis or reason (successes)';

COMMENT ON COLUMN @extschema@.labels.code IS 'the value as the views show it, e.g. on_track';

COMMENT ON COLUMN @extschema@.labels.label_nl IS 'Dutch label, for reports to the municipalities';

COMMENT ON COLUMN @extschema@.labels.label_en IS 'English label';

COMMENT ON COLUMN @extschema@.labels.sort_order IS 'order of the codes within the field, from 1: for legends and sorted axes';

COMMENT ON COLUMN @extschema@.labels.colour IS 'suggested colour, hex #RRGGBB (colour-blind safe diverging scale: green good, red bad, grey neutral)';

GRANT SELECT ON @extschema@.contract_dimension, @extschema@.quarter_dimension, @extschema@.labels
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;

-- sroi install script, part 11: the quarterly report a person reads (issue #12).
--
-- sroi.report_html(municipality, quarter, as_of) and sroi.contract_report_html(contract_id,
-- as_of): one self-contained HTML page each (inline CSS and SVG; no script, no external
-- font, image or style sheet; A4 print), in Dutch, or with lang => 'en' in English.
-- Leidraad 6.3 (kwartaalrapportages monitoren): progress against the plan per quarter,
-- deviations between planned and realised, the trend over several quarters; 6.4
-- (bijsturing): the contracts to intensify and the overdue items.
--
-- What the caller may read: the pages are built on the report_* functions the views use
-- (09_views.sql), called with CURRENT_USER from these SECURITY INVOKER functions, so a
-- page shows exactly what the views show the caller (suppressed small cells, the reader's
-- as-of rule: today or the last day of an ended quarter), and a supplier, who has no
-- EXECUTE on them, gets 42501.  Texts only some roles may read (contract titles, the
-- activities awaiting approval) are read as the caller, under its row-level security.
--
-- Conventions (documented in README.md): money '€ 1.234.567,89' (exact: numeric to text,
-- no floating point), dates '15 oktober 2026', quarters '2025-K3' (K for kwartaal; it
-- sorts and fits a chart axis), percentages '87,5 %'.  English: '€ 1,234,567.89',
-- '15 October 2026', '2025-Q3', '87.5 %'.

-- ---------------------------------------------------------------------------
-- Formatting helpers (pure)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.report_lang(lang text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF lang IS NULL OR lang NOT IN ('nl', 'en') THEN
        PERFORM @extschema@.raise_invalid('22023', format('lang must be nl or en, got %s', coalesce(quote_literal(lang), 'NULL')));
    END IF;
    RETURN lang;
END
$$;

COMMENT ON FUNCTION @extschema@.report_lang(text) IS
    'the language of a report page: nl or en; 22023 otherwise (internal)';

CREATE FUNCTION @extschema@.format_number(x numeric, decimals integer DEFAULT 0, lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    -- One expression, inlined where it is called (a page formats some 20,000 amounts):
    -- round() half away from zero to exactly `decimals` digits, whose text is exact,
    -- thousands grouped from the right, NULL stays NULL.
    RETURN CASE WHEN pg_catalog.round(x, decimals) < 0 THEN '-' ELSE '' END
        || pg_catalog.regexp_replace(pg_catalog.split_part(pg_catalog.abs(pg_catalog.round(x, decimals))::text, '.', 1),
                                     '(\d)(?=(\d{3})+$)', '\1' || CASE WHEN lang = 'en' THEN ',' ELSE '.' END, 'g')
        || CASE WHEN decimals > 0
                THEN CASE WHEN lang = 'en' THEN '.' ELSE ',' END
                     || pg_catalog.split_part(pg_catalog.abs(pg_catalog.round(x, decimals))::text, '.', 2)
                ELSE '' END;

COMMENT ON FUNCTION @extschema@.format_number(numeric, integer, text) IS
    'a number rounded half away from zero to the given decimals, with Dutch separators (1.234.567,89) or with lang en (1,234,567.89); exact';

CREATE FUNCTION @extschema@.format_eur(amount numeric, lang text DEFAULT 'nl', decimals integer DEFAULT 2)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '€ ' || @extschema@.format_number(amount, decimals, lang);

COMMENT ON FUNCTION @extschema@.format_eur(numeric, text, integer) IS
    'an amount of money as on a Dutch page: € 1.234.567,89 (€ -12,50 when negative), exact to the cent; lang en: € 1,234,567.89; NULL stays NULL';

CREATE FUNCTION @extschema@.format_pct(pct numeric, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.format_number(pct, 1, lang) || ' %';

COMMENT ON FUNCTION @extschema@.format_pct(numeric, text) IS
    'a percentage with one decimal: 87,5 % (lang en: 87.5 %)';

CREATE FUNCTION @extschema@.format_date(d date, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN EXTRACT(day FROM d)::integer::text || ' '
        || (CASE WHEN lang = 'en'
                 THEN ARRAY['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                            'September', 'October', 'November', 'December']
                 ELSE ARRAY['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
                            'september', 'oktober', 'november', 'december'] END)[EXTRACT(month FROM d)::integer]
        || ' ' || EXTRACT(year FROM d)::integer::text;

COMMENT ON FUNCTION @extschema@.format_date(date, text) IS
    'a date as Dutch prose: 15 oktober 2026 (lang en: 15 October 2026)';

CREATE FUNCTION @extschema@.format_quarter(q @extschema@.quarter, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN EXTRACT(year FROM @extschema@.quarter_start(q))::integer::text
        || CASE WHEN lang = 'en' THEN '-Q' ELSE '-K' END
        || EXTRACT(quarter FROM @extschema@.quarter_start(q))::integer::text;

COMMENT ON FUNCTION @extschema@.format_quarter(@extschema@.quarter, text) IS
    'a quarter as on a Dutch page: 2025-K3 (K for kwartaal); lang en: 2025-Q3';

CREATE FUNCTION @extschema@.html_escape(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
               t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');

COMMENT ON FUNCTION @extschema@.html_escape(text) IS
    'text made safe for HTML content and attribute values: & < > " and '' as character references';

-- A label in the page's language.
CREATE FUNCTION @extschema@.report_word(lang text, nl text, en text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN lang = 'en' THEN en ELSE nl END;

COMMENT ON FUNCTION @extschema@.report_word(text, text, text) IS
    'the Dutch or (lang en) English label (internal)';

-- A status shown as colour, symbol and word together (never colour alone).
CREATE FUNCTION @extschema@.report_status_badge(status text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<span class="st st-' || coalesce(status, 'none') || '">'
        || CASE status WHEN 'fulfilled' THEN '&#10003; ' || @extschema@.report_word(lang, 'voldaan', 'fulfilled')
                       WHEN 'on_track' THEN '&#9679; ' || @extschema@.report_word(lang, 'op koers', 'on track')
                       WHEN 'at_risk' THEN '&#9650; ' || @extschema@.report_word(lang, 'risico', 'at risk')
                       WHEN 'behind' THEN '&#10005; ' || @extschema@.report_word(lang, 'achter', 'behind')
                       WHEN 'not_applicable' THEN '&#8211; ' || @extschema@.report_word(lang, 'geen verplichting', 'no obligation')
                       ELSE coalesce(@extschema@.html_escape(status), '') END
        || '</span>';

COMMENT ON FUNCTION @extschema@.report_status_badge(text, text) IS
    'a monitoring status as a coloured badge with a symbol and a word (internal)';

CREATE FUNCTION @extschema@.report_status_colour(status text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE status WHEN 'fulfilled' THEN '#1a7f37' WHEN 'on_track' THEN '#2563a8' WHEN 'at_risk' THEN '#b26a00'
                       WHEN 'behind' THEN '#c0392b' ELSE '#777777' END;

COMMENT ON FUNCTION @extschema@.report_status_colour(text) IS 'the colour of a monitoring status on the pages (internal)';

CREATE FUNCTION @extschema@.report_trend_word(trend text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE trend WHEN 'improving' THEN '&#8599; ' || @extschema@.report_word(lang, 'verbetert', 'improving')
                      WHEN 'worsening' THEN '&#8600; ' || @extschema@.report_word(lang, 'verslechtert', 'worsening')
                      WHEN 'steady' THEN '&#8594; ' || @extschema@.report_word(lang, 'gelijk', 'steady')
                      ELSE '' END;

COMMENT ON FUNCTION @extschema@.report_trend_word(text, text) IS 'a trend (leidraad 6.3 trendanalyse) as arrow and word (internal)';

CREATE FUNCTION @extschema@.report_report_word(report_status text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE report_status WHEN 'submitted' THEN @extschema@.report_word(lang, 'ingediend', 'submitted')
                              WHEN 'late' THEN @extschema@.report_word(lang, 'te laat ingediend', 'submitted late')
                              WHEN 'overdue' THEN @extschema@.report_word(lang, 'ontbreekt', 'missing')
                              WHEN 'not_due' THEN @extschema@.report_word(lang, 'nog niet verschuldigd', 'not yet due')
                              ELSE coalesce(@extschema@.html_escape(report_status), '') END;

COMMENT ON FUNCTION @extschema@.report_report_word(text, text) IS 'a quarterly report status in words (internal)';

CREATE FUNCTION @extschema@.report_kind_word(kind text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE kind WHEN 'kickoff_missing' THEN @extschema@.report_word(lang, 'startgesprek ontbreekt', 'kick-off missing')
                     WHEN 'kickoff_late' THEN @extschema@.report_word(lang, 'startgesprek te laat', 'kick-off late')
                     WHEN 'report_overdue' THEN @extschema@.report_word(lang, 'kwartaalrapportage ontbreekt', 'quarterly report missing')
                     WHEN 'report_late' THEN @extschema@.report_word(lang, 'kwartaalrapportage te laat', 'quarterly report late')
                     WHEN 'pso_expired' THEN @extschema@.report_word(lang, 'PSO-certificaat verlopen', 'PSO certificate expired')
                     WHEN 'intensify' THEN @extschema@.report_word(lang, 'monitoring intensiveren', 'intensify monitoring')
                     WHEN 'plan_missing' THEN @extschema@.report_word(lang, 'Plan van Aanpak niet geaccordeerd', 'plan of approach not accorded')
                     WHEN 'action_plan_missing' THEN @extschema@.report_word(lang, 'actieplan ontbreekt', 'action plan missing')
                     WHEN 'action_overdue' THEN @extschema@.report_word(lang, 'actiepunt over tijd', 'action item overdue')
                     WHEN 'settlement_due' THEN @extschema@.report_word(lang, 'eindafrekening ontbreekt', 'final settlement due')
                     ELSE coalesce(@extschema@.html_escape(kind), '') END;

COMMENT ON FUNCTION @extschema@.report_kind_word(text, text) IS 'an overdue item kind in words (internal)';

CREATE FUNCTION @extschema@.report_benefit_word(benefit text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE benefit WHEN 'participatiewet' THEN 'Participatiewet' WHEN 'ww' THEN 'WW' WHEN 'wia' THEN 'WIA'
                        WHEN 'wao' THEN 'WAO' WHEN 'wajong' THEN 'Wajong'
                        WHEN 'none' THEN @extschema@.report_word(lang, 'geen uitkering', 'no benefit')
                        ELSE coalesce(@extschema@.html_escape(benefit), '-') END;

COMMENT ON FUNCTION @extschema@.report_benefit_word(text, text) IS 'a benefit (target group) in words (internal)';

-- A column header of the pages' tables, in the page's language (num: right-aligned, a number).
CREATE FUNCTION @extschema@.report_th(lang text, nl text, en text, num boolean DEFAULT false) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN num THEN '<th class="num">' ELSE '<th>' END || @extschema@.report_word(lang, nl, en) || '</th>';

COMMENT ON FUNCTION @extschema@.report_th(text, text, text, boolean) IS 'a column header of a report page''s table in its language (internal)';

CREATE FUNCTION @extschema@.report_success_word(reason text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE reason WHEN 'early' THEN @extschema@.report_word(lang, 'voor het einde voldaan', 'fulfilled before the end')
                       WHEN 'exceeded' THEN @extschema@.report_word(lang, 'ruim overtroffen', 'well exceeded')
                       ELSE @extschema@.html_escape(reason) END;

COMMENT ON FUNCTION @extschema@.report_success_word(text, text) IS 'why a contract is a success (domain.md 6.6: early or exceeded) in words (internal)';

-- The page around a body: inline CSS only, A4 print.
CREATE FUNCTION @extschema@.report_page(lang text, title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<!DOCTYPE html>' || E'\n'
        || '<html lang="' || lang || '" xmlns="http://www.w3.org/1999/xhtml">' || E'\n'
        || '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>'
        || '<title>' || title || '</title>' || E'\n' || '<style>' || $css$
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1b1b1b;
       margin: 0 auto; max-width: 186mm; padding: 6mm 0; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; color: #12355b; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt 0; color: #12355b; border-bottom: 1.5pt solid #12355b; padding-bottom: 2pt;
     break-after: avoid; page-break-after: avoid; }
p.sub { margin: 0 0 8pt 0; color: #444; }
p.note { font-size: 8.5pt; color: #555; margin: 4pt 0; }
.kpis { display: flex; flex-wrap: wrap; gap: 5pt; margin: 6pt 0; }
.kpi { flex: 1 1 28%; border: 1pt solid #c9d3df; border-radius: 3pt; padding: 5pt 7pt; background: #f5f8fb;
       break-inside: avoid; }
.kpi .k { font-size: 8.5pt; color: #4a5a6a; }
.kpi .v { font-size: 13pt; font-weight: bold; white-space: nowrap; }
ul.statuses { list-style: none; padding: 0; margin: 6pt 0; display: flex; flex-wrap: wrap; gap: 6pt; }
ul.statuses li { border: 1pt solid #ccc; border-radius: 3pt; padding: 3pt 7pt; }
.st { font-weight: bold; white-space: nowrap; }
.st-fulfilled { color: #1a7f37; } .st-on_track { color: #2563a8; } .st-at_risk { color: #b26a00; }
.st-behind { color: #c0392b; } .st-not_applicable, .st-none { color: #666; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; font-size: 8pt; }
#contract-table { font-size: 7.3pt; }
#contract-table th, #contract-table td { padding: 2pt 2.5pt; }
.c-title, .c-supplier { color: #444; }
th, td { border-bottom: 0.6pt solid #d5dbe1; padding: 2.5pt 4pt; text-align: left; vertical-align: top; }
th { background: #e8eef4; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
#quarter-table { font-size: 7.5pt; }
#quarter-table th, #quarter-table td { padding: 2pt 2.5pt; }
tr.total td { font-weight: bold; border-top: 1pt solid #888; }
svg { display: block; width: 100%; height: auto; margin: 4pt 0; break-inside: avoid; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #555; }
footer { margin-top: 14pt; font-size: 8pt; color: #666; border-top: 0.6pt solid #ccc; padding-top: 4pt; }
$css$ || '</style>' || E'\n' || '</head>' || E'\n' || '<body>' || E'\n' || body || (E'\n' || '</body>' || E'\n' || '</html>' || E'\n');

COMMENT ON FUNCTION @extschema@.report_page(text, text, text) IS
    'a self-contained HTML page around an escaped title and a body: inline CSS, A4 print (internal)';

-- One tile of a page's headline figures (section 1 of both pages): its words and its
-- value, formatted and escaped by the caller.
CREATE FUNCTION @extschema@.report_kpi(lang text, id text, nl text, en text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<div class="kpi" id="kpi-' || id || '"><div class="k">' || @extschema@.report_word(lang, nl, en)
        || '</div><div class="v">' || value || '</div></div>';

COMMENT ON FUNCTION @extschema@.report_kpi(text, text, text, text, text) IS
    'a headline figure of a report page: the tile kpi-<id> with its Dutch or English words and its formatted value (internal)';

-- The footer of both pages: sroi's version and the sections of the guideline the page follows.
CREATE FUNCTION @extschema@.report_footer(lang text, sections_nl text, sections_en text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN '<footer>' || @extschema@.report_word(lang, 'Gemaakt met sroi ', 'Made with sroi ')
        || @extschema@.html_escape((SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname OPERATOR(pg_catalog.=) 'sroi'))
        || @extschema@.report_word(lang, ' volgens de leidraad social return DUOplus (' || sections_nl || '). Bedragen in euro, exclusief btw.',
                                   ' after the DUOplus social return guideline (' || sections_en || '). Amounts in euros, excluding VAT.')
        || '</footer>';

COMMENT ON FUNCTION @extschema@.report_footer(text, text, text) IS
    'the footer of a report page: sroi''s version and the sections of the DUOplus guideline it follows (internal)';

-- The numbers of a rate card that the pages' notes print (domain.md 5: reports due
-- report_due_days after the quarter; a projection once projection_min_pct of the term
-- has passed): of the card named, else of the card in force on the date (rate_card_on),
-- else (a date before every card) of the first card.  The pages run as the caller, and a
-- BI reader (sroi_reader) may not read sroi.rate_card: so this runs as the owner and
-- returns only these two public numbers.
CREATE FUNCTION @extschema@.report_card_numbers(card text, on_date date,
                                                OUT report_due_days integer, OUT projection_min_pct numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT r.report_due_days, r.projection_min_pct
      FROM @extschema@.rate_card AS r
     WHERE r.code OPERATOR(pg_catalog.=) coalesce(card, @extschema@.rate_card_on(on_date),
                                                  (SELECT f.code FROM @extschema@.rate_card AS f ORDER BY f.valid_from LIMIT 1));
END;

REVOKE EXECUTE ON FUNCTION @extschema@.report_card_numbers(text, date) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION @extschema@.report_card_numbers(text, date)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;

COMMENT ON FUNCTION @extschema@.report_card_numbers(text, date) IS
    'report_due_days and projection_min_pct of a rate card (the one named, else the one in force on the date), for the notes of the report pages; runs as the owner, as readers may not read sroi.rate_card (internal)';

-- SVG: cumulative realised, expected and planned value per quarter (leidraad 6.3:
-- voortgangsanalyse against the Plan van Aanpak).  Coordinates are drawing positions;
-- the amounts on the axis are whole euros.
CREATE FUNCTION @extschema@.report_svg_progress(labels text[], realised numeric[], expected numeric[],
                                                planned numeric[], lang text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w constant integer := 720;
    h constant integer := 290;
    ml constant integer := 92;
    mr constant integer := 16;
    mt constant integer := 14;
    mb constant integer := 70;
    pw constant numeric := w - ml - mr;
    ph constant numeric := h - mt - mb;
    n integer := coalesce(array_length(labels, 1), 0);
    top numeric;
    raw numeric;
    mag numeric;
    step numeric;
    every integer;
    svg text;
    i integer;
    k integer;
    y numeric;
    has_plan boolean;
    pts text;
    series record;
BEGIN
    IF n = 0 THEN
        RETURN '';
    END IF;
    SELECT max(v) INTO top FROM unnest(realised || expected || planned) AS v;
    IF top IS NULL OR top <= 0 THEN
        top := 1;
    END IF;
    has_plan := EXISTS (SELECT FROM unnest(planned) AS v WHERE v <> 0);
    raw := top / 4;
    mag := 10::numeric ^ floor(log(10, raw));
    step := CASE WHEN raw <= mag THEN mag WHEN raw <= 2 * mag THEN 2 * mag WHEN raw <= 5 * mag THEN 5 * mag ELSE 10 * mag END;
    top := ceil(top / step) * step;
    svg := format('<svg class="chart chart-progress" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">',
                  w, h, w, h, @extschema@.report_word(lang, 'Cumulatief gerealiseerd, verwacht en gepland per kwartaal',
                                                      'Cumulative realised, expected and planned per quarter'))
        || '<title>' || @extschema@.report_word(lang, 'Cumulatief gerealiseerd, verwacht en gepland per kwartaal',
                                                'Cumulative realised, expected and planned per quarter') || '</title>';
    -- grid and amounts
    FOR k IN 0 .. (top / step)::integer LOOP
        y := round(mt + ph - k * step / top * ph, 1);
        svg := svg || (format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dde3ea" stroke-width="1"/>', ml, y, w - mr, y)
            || format('<text x="%s" y="%s" font-size="10" text-anchor="end" fill="#444">%s</text>', ml - 6, y + 3,
                      @extschema@.format_eur(k * step, lang, 0)));
    END LOOP;
    svg := svg || (format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555" stroke-width="1"/>', ml, mt + ph, w - mr, mt + ph));
    -- quarters on the axis (at most about 12 labels)
    every := greatest(1, ceil(n / 12.0)::integer);
    FOR i IN 1 .. n LOOP
        IF (n - i) % every = 0 THEN
            svg := svg || (format('<text x="%s" y="%s" font-size="10" text-anchor="%s" fill="#444">%s</text>',
                                 round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (i - 1) * pw / (n - 1) END, 1), mt + ph + 14,
                                 CASE WHEN n > 1 AND i = n THEN 'end' ELSE 'middle' END,
                                 @extschema@.html_escape(labels[i])));
        END IF;
    END LOOP;
    -- the lines: realised solid with points, expected dashed, planned dotted
    FOR series IN
        SELECT * FROM (VALUES (1, expected, '#555555', '6 4', 2, true), (2, planned, '#1a7f37', '2 3', 2, has_plan),
                              (3, realised, '#2563a8', '', 3, true)) AS s (nr, vals, colour, dash, width, shown)
         ORDER BY nr
    LOOP
        CONTINUE WHEN NOT series.shown;
        SELECT string_agg(round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (o - 1) * pw / (n - 1) END, 1)::text || ','
                          || round(mt + ph - v / top * ph, 1)::text, ' ' ORDER BY o)
          INTO pts
          FROM unnest(series.vals) WITH ORDINALITY AS u (v, o)
         WHERE v IS NOT NULL;
        CONTINUE WHEN pts IS NULL;
        svg := svg || (format('<polyline class="series-%s" fill="none" stroke="%s" stroke-width="%s"%s points="%s"/>',
                             series.nr, series.colour, series.width,
                             CASE WHEN series.dash <> '' THEN format(' stroke-dasharray="%s"', series.dash) ELSE '' END, pts));
        IF series.nr = 3 THEN
            svg := svg || ((SELECT string_agg(format('<circle cx="%s" cy="%s" r="3" fill="%s"/>',
                                                    round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (o - 1) * pw / (n - 1) END, 1),
                                                    round(mt + ph - v / top * ph, 1), series.colour), '' ORDER BY o)
                             FROM unnest(series.vals) WITH ORDINALITY AS u (v, o) WHERE v IS NOT NULL));
        END IF;
    END LOOP;
    -- legend: line style and word, not colour alone
    y := h - 18;
    svg := svg
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2563a8" stroke-width="3"/>', ml, y, ml + 28, y)
        || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 34, y + 4,
                  @extschema@.report_word(lang, 'gerealiseerd (cumulatief)', 'realised (cumulative)'))
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555555" stroke-width="2" stroke-dasharray="6 4"/>', ml + 200, y, ml + 228, y)
        || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 234, y + 4,
                  @extschema@.report_word(lang, 'verwacht (naar rato van de looptijd)', 'expected (pro rata over the term)'))
        || CASE WHEN has_plan THEN
               format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1a7f37" stroke-width="2" stroke-dasharray="2 3"/>', ml + 440, y, ml + 468, y)
               || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 474, y + 4,
                         @extschema@.report_word(lang, 'gepland (Plan van Aanpak)', 'planned (plan of approach)'))
           ELSE '' END
        || '</svg>';
    RETURN svg;
END
$$;

COMMENT ON FUNCTION @extschema@.report_svg_progress(text[], numeric[], numeric[], numeric[], text) IS
    'an inline SVG line chart of cumulative realised, expected and planned value per quarter (labels already escaped or safe; internal)';

-- SVG: one bar per contract, realised as a share of its obligation, a mark where the
-- expected value stands, colour plus the status word and the percentage.
CREATE FUNCTION @extschema@.report_svg_bars(labels text[], realised numeric[], obligation numeric[],
                                            expected numeric[], status text[], lang text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w constant integer := 720;
    row_h constant integer := 22;
    ml constant integer := 110;
    bw constant integer := 400;
    n integer := coalesce(array_length(labels, 1), 0);
    h integer;
    svg text;
    y integer;
BEGIN
    IF n = 0 THEN
        RETURN '';
    END IF;
    h := n * row_h + 34;
    svg := format('<svg class="chart chart-bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">',
                  w, h, w, h, @extschema@.report_word(lang, 'Gerealiseerd ten opzichte van de verplichting per contract',
                                                      'Realised against the obligation per contract'))
        || '<title>' || @extschema@.report_word(lang, 'Gerealiseerd ten opzichte van de verplichting per contract',
                                                'Realised against the obligation per contract') || '</title>';
    -- the bars in one aggregate over the arrays unnested side by side (not a string grown
    -- bar by bar, nor arr[i] per bar: each is linear in the bars, so quadratic in all)
    svg := svg || ((
        SELECT string_agg(
                   format('<text x="%s" y="%s" font-size="10" text-anchor="end">%s</text>', ml - 6, b.top + 13,
                          @extschema@.html_escape(b.label))
                   || format('<rect x="%s" y="%s" width="%s" height="14" fill="#f1f3f5" stroke="#9aa5b1" stroke-width="0.8"/>',
                             ml, b.top + 2, bw)
                   || format('<rect x="%s" y="%s" width="%s" height="14" fill="%s"/>', ml, b.top + 2, round(b.share * bw, 1),
                             @extschema@.report_status_colour(b.status))
                   || CASE WHEN b.mark IS NOT NULL
                           THEN format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#111" stroke-width="2"/>',
                                       round(ml + b.mark * bw, 1), b.top, round(ml + b.mark * bw, 1), b.top + 18) ELSE '' END
                   || format('<text x="%s" y="%s" font-size="10" fill="%s">%s %s</text>', ml + bw + 8, b.top + 13,
                             @extschema@.report_status_colour(b.status),
                             coalesce(@extschema@.format_pct(@extschema@.pct_realised(b.realised, b.obligation), lang), ''),
                             regexp_replace(@extschema@.report_status_badge(b.status, lang), '<[^>]*>', '', 'g')),
                   '' ORDER BY b.nr)
          FROM (SELECT u.nr, u.label, u.status, u.realised, u.obligation, 4 + (u.nr - 1) * row_h AS top,
                       CASE WHEN u.obligation > 0 THEN least(u.realised / u.obligation, 1) ELSE 0 END AS share,
                       CASE WHEN u.obligation > 0 THEN least(coalesce(u.expected, 0) / u.obligation, 1) END AS mark
                  FROM unnest(labels, realised, obligation, expected, status)
                       WITH ORDINALITY AS u (label, realised, obligation, expected, status, nr)) AS b));
    y := n * row_h + 18;
    svg := svg
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#111" stroke-width="2"/>', ml, y - 6, ml, y + 6)
        || format('<text x="%s" y="%s" font-size="9.5" fill="#444">%s</text>', ml + 6, y + 4,
                  @extschema@.report_word(lang, 'streep: verwacht tot nu toe; volle balk: 100 % van de verplichting',
                                          'mark: expected to date; full bar: 100 % of the obligation'))
        || '</svg>';
    RETURN svg;
END
$$;

COMMENT ON FUNCTION @extschema@.report_svg_bars(text[], numeric[], numeric[], numeric[], text[], text) IS
    'an inline SVG bar chart: per contract realised as a share of the obligation, the expected value marked (internal)';

-- ---------------------------------------------------------------------------
-- The municipality's quarterly report
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.report_html(municipality text, quarter text, as_of date DEFAULT @extschema@.today(),
                                        lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- no JIT for the page's queries: each reads one municipality's or contract's rows,
    -- but the plans of the reports count every contract whose figures may have to be
    -- computed, so their cost passes jit_above_cost, and compiling them took 1.2 to 1.4 s
    -- of a 3.4 s page (make bench, Groningen, jit on as in PostgreSQL's defaults)
    SET jit = off
    -- the sorts of one municipality's quarterly rows and overdue items in memory: at the
    -- default 4MB they wrote 10 MB to temporary files (Groningen's page, bench data)
    SET work_mem = '32MB'
    -- a municipality's stored figures are read in the reports' order from their index
    -- (municipality, as_of, contract_id, quarter): at the default random_page_cost (4, a
    -- spinning disk) the planner read them with a bitmap scan and sorted them again
    -- (Groningen's 27,753 quarterly rows: 72 ms, by the index 27 ms); a server that
    -- draws up these pages holds its figures in memory
    SET random_page_cost = 1.1
    -- serial: with the figures stored, the parallel plans of the reports' computed parts
    -- started two workers each for a part that a one-time filter then skipped (about
    -- 30 ms a report); serially Groningen's page took as long or less, on one core
    SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    caller name := CURRENT_USER;
    q @extschema@.quarter;
    measured date;
    -- the contracts' rows of contract_compliance, read once (an array of the view's rows:
    -- cheaper to build and read again than jsonb)
    comp @extschema@.contract_compliance[];
    prog jsonb;
    series jsonb;
    overdue_shown constant integer := 100;
    overdue_total bigint;
    overdue_kinds jsonb;
    titles jsonb := '{}';
    groups jsonb;
    counts record;
    overdue jsonb;
    -- the page; each section is built apart and appended once (body || (...)): in
    -- body || a || b || ... every || copies the whole page so far (Groningen: 2.7 MB, a
    -- fifth of the page's time went to those copies and the memory they took)
    body text;
    part text;
    total text;
    head record;
    chart record;
    m text := municipality;
    qtext text;
BEGIN
    lang := @extschema@.report_lang(lang);
    IF municipality IS NULL OR quarter IS NULL OR as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'municipality, quarter and as_of must not be NULL');
    END IF;
    -- 2025-Q3 or 2025-K3, as written on the page
    q := regexp_replace(btrim(quarter), '[Kk]', 'Q')::@extschema@.quarter;
    IF @extschema@.quarter_start(q) > as_of THEN
        PERFORM @extschema@.raise_invalid('22023',
            format('quarter %s has not started on as_of %s', q, as_of),
            'The report of a quarter is drawn up during or after it.');
    END IF;
    -- The figures are those at the end of the quarter, or on as_of within it; the
    -- overdue items those on as_of (the day the report is drawn up).
    measured := least(as_of, @extschema@.quarter_end(q));
    qtext := @extschema@.format_quarter(q, lang);

    SELECT coalesce(array_agg(c ORDER BY c.contract_id), '{}') INTO comp
      FROM @extschema@.report_compliance(measured, caller, m) AS c;
    -- The quarterly rows, read once and reduced in SQL to what the page shows of them:
    -- per quarter the municipality's sums for the chart (the expected value as the sum of
    -- each contract's increments, so that a contract that has ended still counts in the
    -- later quarters), per contract the trend of its last quarter and its last report due
    -- (the latest quarter whose report is no longer not_due).
    WITH p AS MATERIALIZED (
        SELECT p.contract_id, p.quarter, p.realised, p.planned, p.trend, p.report_status,
               p.expected_cum - coalesce(lag(p.expected_cum) OVER (PARTITION BY p.contract_id ORDER BY p.quarter), 0)
                   AS expected_inc
          FROM @extschema@.report_quarterly_progress(measured, caller, m) AS p
    ), per_quarter AS (
        SELECT p.quarter, sum(p.realised) AS realised, sum(p.planned) AS planned, sum(p.expected_inc) AS expected
          FROM p GROUP BY p.quarter
    ), per_contract AS (
        SELECT p.contract_id, (array_agg(p.trend ORDER BY p.quarter DESC))[1] AS trend,
               (array_agg(p.quarter ORDER BY p.quarter DESC) FILTER (WHERE p.report_status <> 'not_due'))[1] AS report_quarter,
               (array_agg(p.report_status ORDER BY p.quarter DESC) FILTER (WHERE p.report_status <> 'not_due'))[1] AS report_status
          FROM p GROUP BY p.contract_id
    )
    SELECT (SELECT jsonb_build_object(
                'labels', coalesce(jsonb_agg(@extschema@.format_quarter(s.quarter::@extschema@.quarter, lang) ORDER BY s.quarter), '[]'),
                'realised', coalesce(jsonb_agg(s.realised ORDER BY s.quarter), '[]'),
                'expected', coalesce(jsonb_agg(s.expected ORDER BY s.quarter), '[]'),
                'planned', coalesce(jsonb_agg(s.planned ORDER BY s.quarter), '[]'))
              FROM (SELECT q.quarter, sum(q.realised) OVER w AS realised, sum(q.expected) OVER w AS expected,
                           sum(q.planned) OVER w AS planned
                      FROM per_quarter AS q WINDOW w AS (ORDER BY q.quarter)) AS s),
           (SELECT coalesce(jsonb_object_agg(c.contract_id, jsonb_build_object(
                       'trend', c.trend, 'report_status', c.report_status,
                       'label', @extschema@.format_quarter(c.report_quarter::@extschema@.quarter, lang))), '{}')
              FROM per_contract AS c)
      INTO series, prog
      FROM (SELECT 1) AS one;
    SELECT coalesce(jsonb_agg(jsonb_build_object('benefit', t.benefit, 'persons', t.persons, 'fte', t.fte,
                                                 'realised', t.realised, 'suppressed', t.suppressed)
                              ORDER BY t.benefit), '[]') INTO groups
      FROM @extschema@.report_target_group_outcomes(measured, caller, m) AS t
     WHERE t.quarter::text = q::text;
    -- the overdue items: how many of each kind, and the overdue_shown longest overdue
    -- (a page to read and print, not the whole list: that is the view overdue_items)
    WITH o AS MATERIALIZED (
        SELECT o.* FROM @extschema@.report_overdue_items(as_of, caller, m) AS o
    )
    SELECT (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', t.kind, 'contract_id', t.contract_id, 'supplier', t.supplier,
                                                         'quarter', @extschema@.format_quarter(t.quarter::@extschema@.quarter, lang),
                                                         'due_on', t.due_on, 'detail', t.detail)
                                      ORDER BY t.due_on, t.contract_id, t.kind), '[]')
              -- the first overdue_shown (a top-N sort, not a sort of every item)
              FROM (SELECT o.* FROM o ORDER BY o.due_on, o.contract_id, o.kind LIMIT overdue_shown) AS t),
           (SELECT count(*) FROM o),
           (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', x.kind, 'n', x.n) ORDER BY x.n DESC, x.kind), '[]')
              FROM (SELECT o.kind, count(*) AS n FROM o GROUP BY o.kind) AS x)
      INTO overdue, overdue_total, overdue_kinds;
    -- Titles for those who may read the contracts (row-level security decides which).
    IF has_table_privilege('@extschema@.contract', 'SELECT') THEN
        SELECT coalesce(jsonb_object_agg(k.id, k.title), '{}') INTO titles
          FROM @extschema@.contract AS k WHERE k.municipality = m;
    END IF;

    body := '<header><h1>' || @extschema@.report_word(lang, 'Kwartaalrapportage social return', 'Quarterly social return report')
        || ' ' || qtext || ' &#8211; ' || @extschema@.html_escape(m) || '</h1>'
        || '<p class="sub">' || @extschema@.report_word(lang, 'Cijfers per ', 'Figures as of ')
        || @extschema@.format_date(measured, lang)
        || @extschema@.report_word(lang, '; opgesteld op ', '; drawn up on ') || @extschema@.format_date(as_of, lang)
        || '.</p></header>' || E'\n';

    -- 1. Headline figures (leidraad 6.3: ontvangst en beoordeling)
    SELECT count(*) FILTER (WHERE c.obligation > 0) AS obliged, coalesce(sum(c.obligation), 0) AS obligation,
           coalesce(sum(c.realised), 0) AS realised, coalesce(sum(c.pending), 0) AS pending,
           coalesce(sum(c.expected_to_date), 0) AS expected, coalesce(sum(c.gap), 0) AS gap,
           count(*) FILTER (WHERE c.status = 'fulfilled') AS fulfilled,
           count(*) FILTER (WHERE c.status = 'on_track') AS on_track,
           count(*) FILTER (WHERE c.status = 'at_risk') AS at_risk,
           count(*) FILTER (WHERE c.status = 'behind') AS behind,
           count(*) FILTER (WHERE c.status = 'not_applicable') AS not_applicable
      INTO head
      FROM unnest(comp) AS c;
    body := body || ('<section id="headline"><h2>' || @extschema@.report_word(lang, '1. Kerncijfers', '1. Headline figures') || '</h2>'
        || '<div class="kpis">'
        || @extschema@.report_kpi(lang, 'contracts', 'Contracten met SROI-verplichting', 'Contracts with an SROI obligation',
                                  head.obliged::text)
        || @extschema@.report_kpi(lang, 'obligation', 'Totale verplichting', 'Total obligation',
                                  @extschema@.format_eur(head.obligation, lang))
        || @extschema@.report_kpi(lang, 'realised', 'Gerealiseerd tot nu toe', 'Realised to date',
                                  @extschema@.format_eur(head.realised, lang))
        || @extschema@.report_kpi(lang, 'pct', 'Gerealiseerd van de verplichting', 'Realised of the obligation',
                                  coalesce(@extschema@.format_pct(@extschema@.pct_realised(head.realised, head.obligation), lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'expected', 'Verwacht tot nu toe', 'Expected to date',
                                  @extschema@.format_eur(head.expected, lang))
        || @extschema@.report_kpi(lang, 'pending', 'Wacht op goedkeuring', 'Pending approval',
                                  @extschema@.format_eur(head.pending, lang))
        || '</div>'
        || '<ul class="statuses" id="statuses">'
        || (SELECT string_agg('<li data-status="' || s || '">' || @extschema@.report_status_badge(s, lang) || ': <b>' || cnt || '</b></li>', '' ORDER BY nr)
              FROM (VALUES (1, 'behind', head.behind), (2, 'at_risk', head.at_risk), (3, 'on_track', head.on_track),
                           (4, 'fulfilled', head.fulfilled), (5, 'not_applicable', head.not_applicable)) AS v (nr, s, cnt))
        || '</ul>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Alle contracten van de gemeente, ook lopende en afgeronde. Gerealiseerd telt goedgekeurde en niet-goedkeuringsplichtige activiteiten; wat op goedkeuring van de SR-coördinator wacht, telt nog niet mee.',
               'Every contract of the municipality, running and ended. Realised counts approved activities and those that need no approval; what awaits the SR coordinator''s approval does not count yet.')
        || '</p></section>' || E'\n');

    -- 2. Charts
    SELECT ARRAY(SELECT jsonb_array_elements_text(series -> 'labels')) AS labels,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'realised'))::numeric[] AS realised,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'expected'))::numeric[] AS expected,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'planned'))::numeric[] AS planned
      INTO chart;
    body := body || ('<section id="charts"><h2>' || @extschema@.report_word(lang, '2. Voortgang', '2. Progress') || '</h2>'
        || '<figure>' || coalesce(@extschema@.report_svg_progress(chart.labels, chart.realised, chart.expected, chart.planned, lang), '')
        || '<figcaption>' || @extschema@.report_word(lang, 'Cumulatief per kwartaal, alle contracten van ', 'Cumulative per quarter, every contract of ')
        || @extschema@.html_escape(m) || @extschema@.report_word(lang, ' (leidraad 6.3: voortgangsanalyse en trendanalyse).', ' (guideline 6.3: progress and trend analysis).')
        || '</figcaption></figure>'
        || '<figure>'
        || coalesce((SELECT @extschema@.report_svg_bars(array_agg(c.contract_id ORDER BY o.nr), array_agg(c.realised ORDER BY o.nr),
                                                        array_agg(c.obligation ORDER BY o.nr), array_agg(c.expected_to_date ORDER BY o.nr),
                                                        array_agg(c.status ORDER BY o.nr), lang)
                       FROM unnest(comp) AS c
                       CROSS JOIN LATERAL (SELECT array_position(ARRAY['behind', 'at_risk', 'on_track', 'fulfilled'], c.status) * 100000.0
                                                  + coalesce(c.pct_realised, 0) AS nr) AS o
                      WHERE c.obligation > 0), '')
        || '<figcaption>' || @extschema@.report_word(lang, 'Per contract met een verplichting, slechtste eerst.', 'Per contract with an obligation, worst first.')
        || '</figcaption></figure></section>' || E'\n');

    -- 3. The contracts table
    SELECT string_agg('<tr data-contract="' || @extschema@.html_escape(c.contract_id) || '">'
                      || '<td><b class="c-contract">' || @extschema@.html_escape(c.contract_id) || '</b>'
                      || coalesce('<br/><span class="c-title">' || @extschema@.html_escape(titles ->> c.contract_id) || '</span>', '')
                      || '<br/><span class="c-supplier">' || @extschema@.html_escape(c.supplier) || '</span></td>'
                      || '<td class="c-status">' || @extschema@.report_status_badge(c.status, lang) || '</td>'
                      || '<td class="num c-obligation">' || @extschema@.format_eur(c.obligation, lang) || '</td>'
                      || '<td class="num c-realised">' || @extschema@.format_eur(c.realised, lang) || '</td>'
                      || '<td class="num c-pct">' || coalesce(@extschema@.format_pct(c.pct_realised, lang), '&#8211;') || '</td>'
                      || '<td class="num c-gap">' || @extschema@.format_eur(c.gap, lang) || '</td>'
                      || '<td class="num c-projection">' || coalesce(@extschema@.format_eur(c.projected_at_end, lang), '&#8211;') || '</td>'
                      || '<td class="num c-penalty">' || @extschema@.format_eur(c.penalty_exposure, lang) || '</td>'
                      || '<td><span class="c-trend">' || coalesce(@extschema@.report_trend_word(t.trend, lang), '') || '</span><br/>'
                      || '<span class="c-report">' || coalesce(r.label || ': ' || @extschema@.report_report_word(r.report_status, lang), '&#8211;') || '</span></td>'
                      || '</tr>', E'\n' ORDER BY c.contract_id)
      INTO part
      FROM unnest(comp) AS c
      -- per contract: the trend of the last quarter and the last report due (prog, above)
      CROSS JOIN LATERAL (SELECT prog -> c.contract_id ->> 'trend' AS trend) AS t
      CROSS JOIN LATERAL (SELECT prog -> c.contract_id ->> 'label' AS label,
                                 prog -> c.contract_id ->> 'report_status' AS report_status) AS r;
    body := body || ('<section id="contracts"><h2>' || @extschema@.report_word(lang, '3. Contracten', '3. Contracts') || '</h2>'
        || '<table id="contract-table"><thead><tr>'
        || @extschema@.report_th(lang, 'Contract, omschrijving, opdrachtnemer', 'Contract, title, supplier')
        || @extschema@.report_th(lang, 'Status', 'Status')
        || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true)
        || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true)
        || '<th class="num">%</th>'
        || @extschema@.report_th(lang, 'Tekort', 'Gap', true)
        || @extschema@.report_th(lang, 'Prognose einde', 'Projection at end', true)
        || @extschema@.report_th(lang, 'Boeterisico', 'Penalty exposure', true)
        || @extschema@.report_th(lang, 'Trend; rapportage', 'Trend; report')
        || '</tr></thead><tbody>' || E'\n' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Rapportage: de laatste verschuldigde kwartaalrapportage. Prognose einde: gerealiseerd gedeeld door het verstreken deel van de looptijd (vanaf ',
               'Report: the last quarterly report due. Projection at end: realised divided by the elapsed share of the term (from ')
        -- projection_min_pct of the rate card in force on the page's date
        || (SELECT @extschema@.format_number(n.projection_min_pct, pg_catalog.scale(pg_catalog.trim_scale(n.projection_min_pct)), lang)
              FROM @extschema@.report_card_numbers(NULL, measured) AS n)
        || @extschema@.report_word(lang,
               ' % ervan). Boeterisico: het tekort maal het boetepercentage, als er niets meer bij zou komen. Trend: gerealiseerd min verwacht, vergeleken met het vorige kwartaal.',
               ' % of it on). Penalty exposure: the gap times the penalty percentage, if nothing more were delivered. Trend: realised minus expected, against the previous quarter.')
        || '</p></section>' || E'\n');

    -- Overdue items (leidraad 6.4: bijsturing, intensivering van de monitoring)
    SELECT string_agg('<tr><td class="o-kind">' || @extschema@.report_kind_word(o.kind, lang) || '</td>'
                      || '<td class="o-contract">' || @extschema@.html_escape(o.contract_id) || '</td>'
                      || '<td>' || @extschema@.html_escape(o.supplier) || '</td>'
                      || '<td>' || coalesce(@extschema@.html_escape(o.quarter), '&#8211;') || '</td>'
                      || '<td class="num">' || coalesce(@extschema@.format_date(o.due_on, lang), '') || '</td>'
                      || CASE WHEN lang = 'en' THEN '<td>' || coalesce(@extschema@.html_escape(o.detail), '') || '</td>' ELSE '' END
                      || '</tr>', E'\n' ORDER BY o.due_on, o.contract_id, o.kind)
      INTO part
      FROM jsonb_to_recordset(overdue) AS o (kind text, contract_id text, supplier text, quarter text, due_on date, detail text);
    body := body || ('<section id="overdue"><h2>' || @extschema@.report_word(lang, '4. Openstaande punten', '4. Overdue items') || '</h2>'
        || CASE WHEN part IS NULL
                THEN '<p>' || @extschema@.report_word(lang, 'Geen openstaande punten op ', 'No overdue items on ') || @extschema@.format_date(as_of, lang) || '.</p>'
                ELSE '<ul class="statuses" id="overdue-kinds">'
                     || (SELECT string_agg('<li data-kind="' || @extschema@.html_escape(x.e ->> 'kind') || '">'
                                           || @extschema@.report_kind_word(x.e ->> 'kind', lang)
                                           || ': <b>' || (x.e ->> 'n') || '</b></li>', '' ORDER BY x.nr)
                           FROM jsonb_array_elements(overdue_kinds) WITH ORDINALITY AS x (e, nr))
                     || '</ul>'
                     || '<table id="overdue-table"><thead><tr>' || @extschema@.report_th(lang, 'Wat', 'What') || '<th>Contract</th>'
                     || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier') || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
                     || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true)
                     || CASE WHEN lang = 'en' THEN '<th>Detail</th>' ELSE '' END || '</tr></thead><tbody>' || part || '</tbody></table>'
                     || CASE WHEN overdue_total > overdue_shown
                             THEN '<p class="note" id="overdue-more">' || @extschema@.report_word(lang, 'De ', 'The ') || overdue_shown
                                  || @extschema@.report_word(lang, ' langst openstaande van ', ' longest overdue of ') || overdue_total
                                  || @extschema@.report_word(lang, ' punten; de hele lijst staat in de view sroi.overdue_items.',
                                                             ' items; the whole list is in the view sroi.overdue_items.') || '</p>'
                             ELSE '' END
                     || '<p class="note">' || @extschema@.report_word(lang, 'Stand op ', 'As on ') || @extschema@.format_date(as_of, lang)
                     || @extschema@.report_word(lang, '. Monitoring intensiveren: twee kwartaaleinden op rij achter (leidraad 6.4).',
                                                '. Intensify monitoring: behind at two consecutive quarter ends (guideline 6.4).') || '</p>' END
        || '</section>' || E'\n');

    -- Placements and target groups, small cells suppressed as in the view
    SELECT string_agg('<tr' || CASE WHEN g.suppressed THEN ' class="suppressed"' ELSE '' END || '><td>'
                      || @extschema@.report_benefit_word(g.benefit, lang) || '</td>'
                      || CASE WHEN g.suppressed
                              THEN '<td class="num" colspan="3">' || @extschema@.report_word(lang, 'onderdrukt (kleine aantallen)', 'suppressed (small numbers)') || '</td>'
                              ELSE '<td class="num g-persons">' || g.persons || '</td><td class="num g-fte">' || @extschema@.format_number(g.fte, 2, lang)
                                   || '</td><td class="num g-realised">' || @extschema@.format_eur(g.realised, lang) || '</td>' END
                      || '</tr>', E'\n' ORDER BY g.benefit),
           '<tr class="total"><td>' || @extschema@.report_word(lang, 'Totaal getoonde cellen', 'Total of the cells shown') || '</td><td class="num">'
           || coalesce(sum(g.persons), 0) || '</td><td class="num">' || @extschema@.format_number(coalesce(sum(g.fte), 0), 2, lang)
           || '</td><td class="num">' || @extschema@.format_eur(coalesce(sum(g.realised), 0), lang) || '</td></tr>'
      INTO part, total
      FROM jsonb_to_recordset(groups) AS g (benefit text, persons integer, fte numeric, realised numeric, suppressed boolean);
    body := body || ('<section id="placements"><h2>' || @extschema@.report_word(lang, '5. Plaatsingen en doelgroepen in ', '5. Placements and target groups in ')
        || qtext || '</h2>'
        || CASE WHEN part IS NULL
                THEN '<p>' || @extschema@.report_word(lang, 'Geen plaatsingen in dit kwartaal.', 'No placements in this quarter.') || '</p>'
                ELSE '<table id="groups-table"><thead><tr>' || @extschema@.report_th(lang, 'Doelgroep (uitkering)', 'Target group (benefit)')
                     || @extschema@.report_th(lang, 'Personen', 'Persons', true) || @extschema@.report_th(lang, 'Gemiddeld fte', 'Average fte', true) || @extschema@.report_th(lang, 'Gerealiseerd in kwartaal', 'Realised in quarter', true) || '</tr></thead><tbody>'
                     || part || total || '</tbody></table>' END
        || '<p class="note">' || @extschema@.report_word(lang,
               'Alleen aantallen en sommen, geen persoonsgegevens. Cellen van minder dan ',
               'Counts and sums only, no personal data. Cells of fewer than ')
        || @extschema@.small_cell_persons()
        || @extschema@.report_word(lang,
               ' personen (en zo nodig de kleinste cel ernaast) zijn onderdrukt voor wie de personen van deze gemeente niet mag inzien; een totaal is dan te laag.',
               ' persons (and where needed the next smallest) are suppressed for those who may not read this municipality''s persons; a total is then low.')
        || '</p></section>' || E'\n');

    -- Placements counted in the quarter (domain.md 6.4, leidraad 6.3 "het aantal
    -- gerealiseerde plaatsingen"), as the view municipality_quarter shows them to the caller.
    SELECT mq.persons, mq.new_persons, mq.fte, mq.hours INTO counts
      FROM @extschema@.report_municipality_quarter(measured, caller, m, q::text) AS mq;
    body := body || ('<section id="quantities"><h2>' || @extschema@.report_word(lang, '6. Plaatsingen geteld in ', '6. Placements counted in ')
        || qtext || '</h2>'
        || '<table id="quantities-table"><thead><tr>' || @extschema@.report_th(lang, 'Personen', 'Persons', true)
        || @extschema@.report_th(lang, 'Nieuw geplaatst', 'Newly placed', true)
        || @extschema@.report_th(lang, 'Fte (gemiddeld over het kwartaal)', 'Fte (average over the quarter)', true)
        || @extschema@.report_th(lang, 'Uren', 'Hours', true) || '</tr></thead><tbody><tr>'
        || '<td class="num n-persons">' || coalesce(counts.persons::text, '&#8211;') || '</td>'
        || '<td class="num n-new">' || coalesce(counts.new_persons::text, '&#8211;') || '</td>'
        || '<td class="num n-fte">' || coalesce(@extschema@.format_number(counts.fte, 2, lang), '&#8211;') || '</td>'
        || '<td class="num n-hours">' || coalesce(@extschema@.format_number(counts.hours, 2, lang), '&#8211;') || '</td>'
        || '</tr></tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Personen met een getelde activiteit in het kwartaal; een streepje: verborgen omdat het om 1 tot ',
               'Persons with a counted activity in the quarter; a dash: hidden as it concerns 1 to ')
        || @extschema@.small_cell_persons() - 1
        || @extschema@.report_word(lang, ' personen gaat, of niets geteld.', ' persons, or nothing counted.')
        || '</p></section>' || E'\n');

    -- Successes (leidraad 6.6 "successen vieren") and settled contracts (5.3, 6.7), as the
    -- caller reads the views.
    part := NULL;
    IF has_table_privilege('@extschema@.successes', 'SELECT') THEN
        SELECT string_agg('<tr><td class="s-contract">' || @extschema@.html_escape(x.contract_id) || '</td><td>'
                          || @extschema@.html_escape(x.supplier) || '</td><td class="num">' || @extschema@.format_eur(x.obligation, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.realised, lang) || '</td><td class="num">'
                          || coalesce(@extschema@.format_pct(x.pct_realised, lang), '&#8211;') || '</td><td>'
                          || coalesce(@extschema@.format_quarter(x.fulfilled_in::@extschema@.quarter, lang), '&#8211;') || '</td><td>'
                          || @extschema@.report_success_word(x.reason, lang) || '</td></tr>', E'\n' ORDER BY x.contract_id)
          INTO part
          FROM @extschema@.successes AS x
         WHERE x.municipality = m;
    END IF;
    body := body || ('<section id="successes"><h2>' || @extschema@.report_word(lang, '7. Successen', '7. Successes') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Nog geen successen.', 'No successes yet.') || '</p>'
                ELSE '<table id="successes-table"><thead><tr><th>Contract</th>' || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier')
                     || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true) || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || '<th class="num">%</th>'
                     || @extschema@.report_th(lang, 'Voldaan in', 'Fulfilled in') || @extschema@.report_th(lang, 'Waarom', 'Why') || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '</section>' || E'\n');
    part := NULL;
    IF has_table_privilege('@extschema@.settlements', 'SELECT') THEN
        SELECT string_agg('<tr><td class="st-contract">' || @extschema@.html_escape(x.contract_id) || '</td><td>'
                          || @extschema@.html_escape(x.supplier) || '</td><td class="num">' || @extschema@.format_date(x.settled_on, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.obligation, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.realised, lang)
                          || '</td><td class="num st-penalty">' || @extschema@.format_eur(x.penalty_due, lang)
                          || CASE WHEN x.penalty_waived THEN ' (' || @extschema@.report_word(lang, 'kwijtgescholden', 'waived') || ')' ELSE '' END
                          || '</td></tr>', E'\n' ORDER BY x.settled_on, x.contract_id)
          INTO part
          FROM @extschema@.settlements AS x
         WHERE x.municipality = m AND x.settled_on <= report_html.as_of;
    END IF;
    body := body || ('<section id="settlements"><h2>' || @extschema@.report_word(lang, '8. Afgerekende contracten', '8. Settled contracts') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen afgerekende contracten.', 'No settled contracts.') || '</p>'
                ELSE '<table id="settlements-table"><thead><tr><th>Contract</th>' || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier')
                     || @extschema@.report_th(lang, 'Afgerekend op', 'Settled on', true) || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true) || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || @extschema@.report_th(lang, 'Boete', 'Penalty', true) || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '</section>' || E'\n');

    body := body || @extschema@.report_footer(lang, '6.3 kwartaalrapportages, 6.4 bijsturing', '6.3 quarterly reports, 6.4 steering');

    RETURN @extschema@.report_page(lang,
        @extschema@.report_word(lang, 'Kwartaalrapportage SROI ', 'SROI quarterly report ') || qtext || ' &#8211; ' || @extschema@.html_escape(m),
        body);
END
$$;

COMMENT ON FUNCTION @extschema@.report_html(text, text, date, text) IS
    'the quarterly SROI report of a municipality as one self-contained HTML page (Dutch; lang en: English): headline figures, charts, contracts, overdue items and target groups, at the end of the quarter (or as_of within it), showing only what the views show the caller';

-- ---------------------------------------------------------------------------
-- The contract's page for the quarterly conversation with the supplier
-- (leidraad 6.3: kwartaalrapportage bespreken; 6.4: overleg met opdrachtnemer)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.contract_report_html(contract_id text, as_of date DEFAULT @extschema@.today(),
                                                 lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- no JIT, as report_html above
    SET jit = off
AS $$
DECLARE
    caller name := CURRENT_USER;
    cid text := contract_id;
    c record;
    t_title text;
    t_starts date;
    t_ends date;
    t_kickoff date;
    readable boolean := false;
    chart record;
    prog jsonb;
    mix jsonb;
    overdue jsonb;
    pending jsonb;
    may_see_activities boolean;
    body text;  -- appended a section at a time, as in report_html
    part text;
BEGIN
    lang := @extschema@.report_lang(lang);
    IF contract_id IS NULL OR as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'contract_id and as_of must not be NULL');
    END IF;
    SELECT r.* INTO c FROM @extschema@.report_compliance(as_of, caller, NULL, cid) AS r;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('22023', format('contract_id %L is not a contract', cid));
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('quarter', p.quarter::text, 'label', @extschema@.format_quarter(p.quarter::@extschema@.quarter, lang),
                                                 'planned', p.planned, 'realised', p.realised, 'realised_cum', p.realised_cum,
                                                 'expected_cum', p.expected_cum, 'planned_cum', p.planned_cum,
                                                 'deviation', p.deviation, 'deviation_cum', p.deviation_cum,
                                                 'pending', p.pending, 'status', p.status, 'trend', p.trend,
                                                 'intensify', p.intensify, 'report_status', p.report_status,
                                                 'submitted_on', p.report_submitted_on, 'planned_persons', p.planned_persons,
                                                 'persons', p.persons, 'new_persons', p.new_persons, 'fte', p.fte, 'hours', p.hours,
                                                 'deviation_persons', p.deviation_persons)
                              ORDER BY p.quarter), '[]') INTO prog
      FROM @extschema@.report_quarterly_progress(as_of, caller, NULL, cid) AS p;
    SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.category), '[]') INTO mix
      FROM @extschema@.report_category_mix(as_of, caller, cid) AS x;
    SELECT coalesce(jsonb_agg(jsonb_build_object('kind', o.kind, 'quarter', @extschema@.format_quarter(o.quarter::@extschema@.quarter, lang),
                                                 'due_on', o.due_on, 'detail', o.detail) ORDER BY o.due_on, o.kind), '[]') INTO overdue
      FROM @extschema@.report_overdue_items(as_of, caller, NULL, cid) AS o;
    -- The contract's own row (title, kick-off) as the caller: row-level security decides.
    IF has_table_privilege('@extschema@.contract', 'SELECT') THEN
        SELECT x.title, x.starts_on, x.ends_on, x.kickoff_on, true INTO t_title, t_starts, t_ends, t_kickoff, readable
          FROM @extschema@.contract AS x WHERE x.id = cid;
        readable := coalesce(readable, false);
    END IF;
    -- Activities awaiting approval: block, date and value only (no person), and only for
    -- those who may read the municipality's person-level data, read as the caller
    -- (value_line is security_invoker, under the policies of the tables).
    -- (nested: a reader may not even read role_scope, which may_read_persons reads)
    may_see_activities := false;
    IF has_table_privilege('@extschema@.value_line', 'SELECT') THEN
        may_see_activities := @extschema@.may_read_persons(caller, c.municipality);
    END IF;
    IF may_see_activities THEN
        SELECT coalesce(jsonb_agg(jsonb_build_object('block', a.block, 'starts_on', a.starts_on, 'value', a.value)
                                  ORDER BY a.starts_on, a.block, a.value), '[]') INTO pending
          FROM (SELECT min(l.block) FILTER (WHERE l.category <> 'bonus') AS block, min(l.starts_on) AS starts_on,
                       @extschema@.accrued_sum(l.unit, l.amount, l.reference_months, l.quantity, l.starts_on, l.ends_on
, as_of, l.planned_ends_on, l.max_months, l.term_starts_on, l.term_ends_on
) AS value
                  FROM @extschema@.value_line AS l
                 WHERE l.contract_id = cid AND l.pending AND l.starts_on <= as_of
                 GROUP BY l.activity_id) AS a;
    END IF;

    body := '<header><h1>' || @extschema@.report_word(lang, 'Voortgangsgesprek social return ', 'Social return progress meeting ')
        || @extschema@.html_escape(cid) || '</h1>'
        || '<p class="sub">' || coalesce(@extschema@.html_escape(t_title) || ' &#8211; ', '')
        || @extschema@.html_escape(c.supplier) || ', ' || @extschema@.html_escape(c.municipality)
        || coalesce(@extschema@.report_word(lang, '; looptijd ', '; term ') || @extschema@.format_date(t_starts, lang) || ' &#8211; '
                    || @extschema@.format_date(t_ends, lang), '')
        || '. ' || @extschema@.report_word(lang, 'Cijfers per ', 'Figures as of ') || @extschema@.format_date(as_of, lang)
        || '.</p></header>' || E'\n';

    body := body || ('<section id="headline"><h2>' || @extschema@.report_word(lang, '1. Stand van zaken', '1. Where it stands') || '</h2>'
        || '<ul class="statuses" id="statuses"><li data-status="' || @extschema@.html_escape(c.status) || '">'
        || @extschema@.report_status_badge(c.status, lang) || '</li></ul>'
        || '<div class="kpis">'
        || @extschema@.report_kpi(lang, 'obligation', 'Verplichting', 'Obligation',
                                  @extschema@.format_eur(c.obligation, lang))
        || @extschema@.report_kpi(lang, 'realised', 'Gerealiseerd', 'Realised',
                                  @extschema@.format_eur(c.realised, lang))
        || @extschema@.report_kpi(lang, 'pct', 'Gerealiseerd van de verplichting', 'Realised of the obligation',
                                  coalesce(@extschema@.format_pct(c.pct_realised, lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'expected', 'Verwacht tot nu toe', 'Expected to date',
                                  @extschema@.format_eur(c.expected_to_date, lang))
        || @extschema@.report_kpi(lang, 'pending', 'Wacht op goedkeuring', 'Pending approval',
                                  @extschema@.format_eur(c.pending, lang))
        || @extschema@.report_kpi(lang, 'gap', 'Tekort', 'Gap',
                                  @extschema@.format_eur(c.gap, lang))
        || @extschema@.report_kpi(lang, 'projection', 'Prognose einde looptijd', 'Projection at end',
                                  coalesce(@extschema@.format_eur(c.projected_at_end, lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'penalty', 'Boeterisico', 'Penalty exposure',
                                  @extschema@.format_eur(c.penalty_exposure, lang))
        || '</div></section>' || E'\n');

    -- 2. Progress per quarter: chart and table (leidraad 6.3: afwijkingen en trends)
    SELECT array_agg(p.label ORDER BY p.quarter) AS labels, array_agg(p.realised_cum ORDER BY p.quarter) AS realised,
           array_agg(p.expected_cum ORDER BY p.quarter) AS expected, array_agg(p.planned_cum ORDER BY p.quarter) AS planned
      INTO chart
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, realised_cum numeric, expected_cum numeric, planned_cum numeric);
    SELECT string_agg('<tr data-quarter="' || p.quarter || '"><td>' || p.label || '</td>'
                      || '<td class="num q-planned">' || @extschema@.format_eur(p.planned, lang) || '</td>'
                      || '<td class="num q-realised">' || @extschema@.format_eur(p.realised, lang) || '</td>'
                      || '<td class="num q-deviation">' || @extschema@.format_eur(p.deviation, lang) || '</td>'
                      || '<td class="num q-realised-cum">' || @extschema@.format_eur(p.realised_cum, lang) || '</td>'
                      || '<td class="num q-expected-cum">' || @extschema@.format_eur(p.expected_cum, lang) || '</td>'
                      || '<td class="num q-deviation-cum">' || @extschema@.format_eur(p.deviation_cum, lang) || '</td>'
                      || '<td>' || @extschema@.report_status_badge(p.status, lang)
                      || CASE WHEN p.intensify THEN ' (' || @extschema@.report_word(lang, 'intensiveren', 'intensify') || ')' ELSE '' END || '</td>'
                      || '<td>' || @extschema@.report_trend_word(p.trend, lang) || '</td>'
                      || '<td>' || @extschema@.report_report_word(p.report_status, lang)
                      || coalesce(' (' || @extschema@.format_date(p.submitted_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY p.quarter)
      INTO part
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, planned numeric, realised numeric, deviation numeric,
                                          realised_cum numeric, expected_cum numeric, deviation_cum numeric, status text,
                                          trend text, intensify boolean, report_status text, submitted_on date);
    body := body || ('<section id="progress"><h2>' || @extschema@.report_word(lang, '2. Voortgang per kwartaal', '2. Progress per quarter') || '</h2>'
        || '<figure>' || coalesce(@extschema@.report_svg_progress(chart.labels, chart.realised, chart.expected, chart.planned, lang), '')
        || '</figure>'
        || '<table id="quarter-table"><thead><tr>' || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
        || @extschema@.report_th(lang, 'Gepland', 'Planned', true)
        || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true)
        || @extschema@.report_th(lang, 'Afwijking', 'Deviation', true)
        || @extschema@.report_th(lang, 'Cum. gerealiseerd', 'Cum. realised', true)
        || @extschema@.report_th(lang, 'Cum. verwacht', 'Cum. expected', true)
        || @extschema@.report_th(lang, 'Cum. afwijking', 'Cum. deviation', true)
        || '<th>Status</th><th>Trend</th>' || @extschema@.report_th(lang, 'Rapportage', 'Report')
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Afwijking: gerealiseerd min gepland (Plan van Aanpak). Status aan het eind van elk kwartaal, in het lopende kwartaal tot nu toe. Rapportages zijn ',
               'Deviation: realised minus planned (plan of approach). Status at the end of each quarter, in the current one to date. Reports are due ')
        -- report_due_days of the contract's rate card
        || (SELECT n.report_due_days FROM @extschema@.report_card_numbers(c.rate_card, NULL) AS n)
        || @extschema@.report_word(lang, ' dagen na het kwartaal verschuldigd.', ' days after the quarter.')
        || '</p></section>' || E'\n');

    -- 3. Category mix (suppressed like the view category_mix)
    SELECT string_agg('<tr><td>' || CASE x.category WHEN 'A' THEN @extschema@.report_word(lang, 'A: arbeidsparticipatie', 'A: employment')
                                                   WHEN 'B' THEN @extschema@.report_word(lang, 'B: leerwerkplekken en opleiding', 'B: learning and work experience')
                                                   WHEN 'C' THEN @extschema@.report_word(lang, 'C: overige sociale activiteiten', 'C: other social activity')
                                                   WHEN 'bonus' THEN @extschema@.report_word(lang, 'bonussen', 'bonuses')
                                                   ELSE @extschema@.html_escape(x.category) END || '</td>'
                      || CASE WHEN x.suppressed
                              THEN '<td class="num" colspan="2">' || @extschema@.report_word(lang, 'onderdrukt (1 tot ', 'suppressed (1 to ')
                                   || @extschema@.small_cell_persons() - 1 || @extschema@.report_word(lang, ' personen)', ' persons)') || '</td>'
                              ELSE '<td class="num">' || @extschema@.format_eur(x.realised, lang) || '</td><td class="num">'
                                   || coalesce(@extschema@.format_pct(100 * x.share, lang), '&#8211;') || '</td>' END
                      || '</tr>', '' ORDER BY x.category)
      INTO part
      FROM jsonb_to_recordset(mix) AS x (category text, realised numeric, share numeric, suppressed boolean);
    body := body || ('<section id="mix"><h2>' || @extschema@.report_word(lang, '3. Invulling per categorie', '3. Category mix') || '</h2>'
        || '<table id="mix-table"><thead><tr>' || @extschema@.report_th(lang, 'Categorie', 'Category') || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || @extschema@.report_th(lang, 'Aandeel', 'Share', true)
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table></section>' || E'\n');

    -- 4. Awaiting approval
    IF may_see_activities THEN
        SELECT string_agg('<tr><td>' || @extschema@.html_escape(a.block) || '</td><td class="num">' || @extschema@.format_date(a.starts_on, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(a.value, lang) || '</td></tr>', '' ORDER BY a.starts_on, a.block)
          INTO part
          FROM jsonb_to_recordset(pending) AS a (block text, starts_on date, value numeric);
        part := CASE WHEN part IS NULL
                     THEN '<p>' || @extschema@.report_word(lang, 'Niets wacht op goedkeuring.', 'Nothing awaits approval.') || '</p>'
                     ELSE '<table id="pending-table"><thead><tr>' || @extschema@.report_th(lang, 'Bouwblok', 'Block') || @extschema@.report_th(lang, 'Vanaf', 'From', true) || @extschema@.report_th(lang, 'Waarde tot nu toe', 'Value to date', true)
                          || '</tr></thead><tbody>' || part || '</tbody></table>' END;
    ELSE
        part := '<p>' || @extschema@.report_word(lang, 'Totaal ', 'Total ') || @extschema@.format_eur(c.pending, lang)
            || @extschema@.report_word(lang, '; de afzonderlijke activiteiten zijn alleen zichtbaar voor de SR-coördinator en de contractmanager van de gemeente.',
                                       '; the single activities are shown to the SR coordinator and the municipality''s contract managers only.') || '</p>';
    END IF;
    body := body || ('<section id="pending"><h2>' || @extschema@.report_word(lang, '4. Wacht op goedkeuring', '4. Awaiting approval') || '</h2>'
        || part || '</section>' || E'\n');

    -- 5. Reports and kick-off (leidraad 6.1 startgesprek, 6.3 kwartaalrapportages, 6.4)
    SELECT string_agg('<li>' || @extschema@.report_kind_word(o.kind, lang) || coalesce(' ' || @extschema@.html_escape(o.quarter), '')
                      || ' &#8211; ' || @extschema@.report_word(lang, 'uiterlijk ', 'due ') || @extschema@.format_date(o.due_on, lang)
                      || CASE WHEN lang = 'en' THEN coalesce(': ' || @extschema@.html_escape(o.detail), '') ELSE '' END || '</li>', '' ORDER BY o.due_on, o.kind)
      INTO part
      FROM jsonb_to_recordset(overdue) AS o (kind text, quarter text, due_on date, detail text);
    body := body || ('<section id="reports"><h2>' || @extschema@.report_word(lang, '5. Rapportages en startgesprek', '5. Reports and kick-off') || '</h2>'
        || '<p>' || @extschema@.report_word(lang, 'Startgesprek: ', 'Kick-off meeting: ')
        || CASE WHEN NOT readable THEN '&#8211;'
                WHEN t_kickoff <= as_of THEN @extschema@.format_date(t_kickoff, lang)
                ELSE @extschema@.report_word(lang, 'niet vastgelegd', 'not recorded') END
        || '. ' || @extschema@.report_word(lang, 'Ingediende rapportages: ', 'Reports submitted: ')
        || (SELECT count(*) FROM jsonb_to_recordset(prog) AS p (report_status text) WHERE p.report_status IN ('submitted', 'late'))
        || @extschema@.report_word(lang, ' van ', ' of ')
        || (SELECT count(*) FROM jsonb_to_recordset(prog) AS p (report_status text) WHERE p.report_status <> 'not_due')
        || @extschema@.report_word(lang, ' verschuldigd.', ' due.') || '</p>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen openstaande punten.', 'No overdue items.') || '</p>'
                ELSE '<ul id="overdue-list">' || part || '</ul>' END
        || '</section>' || E'\n');

    -- 6. Placements per quarter (domain.md 6.4): persons beside euros
    SELECT string_agg('<tr data-quantities="' || p.quarter || '"><td>' || p.label || '</td>'
                      || '<td class="num p-planned">' || coalesce(p.planned_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-persons">' || coalesce(p.persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-deviation">' || coalesce(p.deviation_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-new">' || coalesce(p.new_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-fte">' || coalesce(@extschema@.format_number(p.fte, 2, lang), '&#8211;') || '</td>'
                      || '<td class="num p-hours">' || coalesce(@extschema@.format_number(p.hours, 2, lang), '&#8211;') || '</td></tr>',
                      E'\n' ORDER BY p.quarter)
      INTO part
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, planned_persons integer, persons integer, new_persons integer,
                                          fte numeric, hours numeric, deviation_persons integer);
    body := body || ('<section id="quantities"><h2>' || @extschema@.report_word(lang, '6. Plaatsingen per kwartaal', '6. Placements per quarter') || '</h2>'
        || '<table id="quantities-table"><thead><tr>' || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
        || @extschema@.report_th(lang, 'Personen gepland', 'Persons planned', true)
        || @extschema@.report_th(lang, 'Personen', 'Persons', true)
        || @extschema@.report_th(lang, 'Afwijking personen', 'Deviation in persons', true)
        || @extschema@.report_th(lang, 'Nieuw', 'New', true)
        || '<th class="num">Fte</th>' || @extschema@.report_th(lang, 'Uren', 'Hours', true)
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Afwijking personen: personen min gepland in het Plan van Aanpak, naast de afwijking in euro (leidraad 6.3, 6.4).',
               'Deviation in persons: persons minus planned in the plan of approach, beside the deviation in euros (guideline 6.3, 6.4).')
        || '</p></section>' || E'\n');

    -- 7. Plan van Aanpak: versions, accord and amendments (domain.md 6.1, leidraad 6.2, 6.4)
    part := NULL;
    IF has_table_privilege('@extschema@.plan_versions', 'SELECT') THEN
        SELECT string_agg('<tr data-version="' || v.version || '"><td>' || v.version || '</td><td class="v-status">'
                          || CASE v.status WHEN 'proposed' THEN @extschema@.report_word(lang, 'voorgesteld', 'proposed')
                                           WHEN 'accorded' THEN @extschema@.report_word(lang, 'geaccordeerd', 'accorded')
                                           WHEN 'refused' THEN @extschema@.report_word(lang, 'afgewezen', 'refused')
                                           WHEN 'superseded' THEN @extschema@.report_word(lang, 'vervangen', 'superseded')
                                           ELSE @extschema@.html_escape(v.status) END || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.proposed_by), '') || coalesce(', ' || @extschema@.format_date(v.proposed_on, lang), '') || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.decided_by), '') || coalesce(', ' || @extschema@.format_date(v.decided_on, lang), '') || '</td>'
                          || '<td class="num">' || coalesce(@extschema@.format_eur(v.planned_total, lang), '&#8211;') || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.reason), '') || '</td></tr>', E'\n' ORDER BY v.version)
          INTO part
          FROM @extschema@.plan_versions AS v
         WHERE v.contract_id = cid AND v.proposed_on <= contract_report_html.as_of;
    END IF;
    body := body || ('<section id="plan"><h2>' || @extschema@.report_word(lang, '7. Plan van Aanpak', '7. Plan of approach') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen versies zichtbaar.', 'No versions to show.') || '</p>'
                ELSE '<table id="plan-table"><thead><tr>' || @extschema@.report_th(lang, 'Versie', 'Version') || '<th>Status</th>'
                     || @extschema@.report_th(lang, 'Voorgesteld', 'Proposed') || @extschema@.report_th(lang, 'Besloten', 'Decided')
                     || @extschema@.report_th(lang, 'Gepland totaal', 'Planned total', true) || @extschema@.report_th(lang, 'Reden', 'Reason') || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '<p class="note">' || @extschema@.report_word(lang, 'De cijfers volgen de laatste geaccordeerde versie.',
                                                          'The figures follow the latest accorded version.') || '</p></section>' || E'\n');

    -- 8. Action plan (domain.md 6.2, leidraad 6.4 actieplan)
    part := NULL;
    IF has_table_privilege('@extschema@.action_item', 'SELECT') THEN
        SELECT string_agg('<tr><td>' || @extschema@.html_escape(x.what) || '</td><td>' || @extschema@.html_escape(x.owner) || '</td>'
                          || '<td class="num">' || @extschema@.format_date(x.due_on, lang) || '</td>'
                          || '<td class="num">' || CASE x.target_unit WHEN 'euro' THEN @extschema@.format_eur(x.target_value, lang)
                                                                      ELSE @extschema@.format_number(x.target_value, 0, lang) || ' '
                                                                           || CASE x.target_unit WHEN 'persons' THEN @extschema@.report_word(lang, 'personen', 'persons')
                                                                                                 ELSE @extschema@.report_word(lang, 'uren', 'hours') END END || '</td>'
                          || '<td class="a-status">' || CASE x.status WHEN 'open' THEN CASE WHEN x.due_on < as_of THEN @extschema@.report_word(lang, 'open, over tijd', 'open, overdue')
                                                                                          ELSE @extschema@.report_word(lang, 'open', 'open') END
                                                                    WHEN 'done' THEN @extschema@.report_word(lang, 'gedaan', 'done')
                                                                    ELSE @extschema@.report_word(lang, 'vervallen', 'dropped') END
                          || coalesce(' (' || @extschema@.format_date(x.closed_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY x.due_on, x.id)
          INTO part
          FROM @extschema@.action_item AS x
         WHERE x.contract_id = cid AND x.created_on <= as_of;
    END IF;
    body := body || ('<section id="actions"><h2>' || @extschema@.report_word(lang, '8. Actieplan', '8. Action plan') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen actiepunten.', 'No action items.') || '</p>'
                ELSE '<table id="actions-table"><thead><tr>' || @extschema@.report_th(lang, 'Wat', 'What') || @extschema@.report_th(lang, 'Wie', 'Owner') || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true)
                     || @extschema@.report_th(lang, 'Doel', 'Target', true) || '<th>Status</th></tr></thead><tbody>'
                     || part || '</tbody></table>' END
        || '</section>' || E'\n');

    -- 9. Monthly reports, when monitoring was intensified (domain.md 6.3)
    part := NULL;
    IF has_table_privilege('@extschema@.report_periods', 'SELECT') THEN
        SELECT string_agg('<tr><td>' || @extschema@.format_date(r.period_start, lang) || ' &#8211; ' || @extschema@.format_date(r.period_end, lang)
                          || '</td><td class="num">' || @extschema@.format_date(r.due_on, lang) || '</td><td class="m-status">'
                          || @extschema@.report_report_word(r.report_status, lang)
                          || coalesce(' (' || @extschema@.format_date(r.submitted_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY r.period_start)
          INTO part
          FROM @extschema@.report_periods AS r
         WHERE r.contract_id = cid AND r.frequency = 'monthly' AND r.period_start <= contract_report_html.as_of;
    END IF;
    IF part IS NOT NULL THEN
        body := body || ('<section id="monthly"><h2>' || @extschema@.report_word(lang, '9. Maandrapportages', '9. Monthly reports') || '</h2>'
            || '<table id="monthly-table"><thead><tr>' || @extschema@.report_th(lang, 'Maand', 'Month') || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true) || '<th>Status</th></tr></thead><tbody>' || part || '</tbody></table></section>' || E'\n');
    END IF;

    -- 10. Settlement and evaluation (domain.md 6.5, leidraad 5.3, 6.7)
    part := NULL;
    IF has_table_privilege('@extschema@.settlements', 'SELECT') THEN
        SELECT '<p id="settled">' || @extschema@.report_word(lang, 'Afgerekend op ', 'Settled on ') || @extschema@.format_date(x.settled_on, lang)
               || @extschema@.report_word(lang, ' door ', ' by ') || @extschema@.html_escape(x.settled_by) || '. '
               || @extschema@.report_word(lang, 'Verplichting ', 'Obligation ') || @extschema@.format_eur(x.obligation, lang) || ', '
               || @extschema@.report_word(lang, 'gerealiseerd ', 'realised ') || @extschema@.format_eur(x.realised, lang) || ', '
               || @extschema@.report_word(lang, 'boete ', 'penalty ') || '<span class="st-penalty">' || @extschema@.format_eur(x.penalty_due, lang) || '</span>'
               || CASE WHEN x.penalty_waived THEN ' (' || @extschema@.report_word(lang, 'kwijtgescholden', 'waived') || ')' ELSE '' END
               || '.</p><blockquote>' || coalesce(@extschema@.html_escape(x.evaluation), '') || '</blockquote>'
          INTO part
          FROM @extschema@.settlements AS x
         WHERE x.contract_id = cid AND x.settled_on <= contract_report_html.as_of;
    END IF;
    body := body || ('<section id="settlement"><h2>' || @extschema@.report_word(lang, '10. Eindafrekening en evaluatie', '10. Settlement and evaluation') || '</h2>'
        || coalesce(part, '<p>' || @extschema@.report_word(lang, 'Nog niet afgerekend.', 'Not settled yet.') || '</p>')
        || '</section>' || E'\n');

    -- 11. Success (domain.md 6.6, leidraad 6.6 "successen vieren"), once there is one, as
    -- the view successes shows it to the caller
    SELECT '<p id="success">' || @extschema@.report_word(lang, 'Verplichting voldaan in ', 'Obligation fulfilled in ')
           || coalesce(@extschema@.format_quarter(x.fulfilled_in::@extschema@.quarter, lang), '&#8211;') || ': '
           || @extschema@.report_success_word(x.reason, lang) || ', '
           || coalesce(@extschema@.format_pct(x.pct_realised, lang), '&#8211;')
           || @extschema@.report_word(lang, ' gerealiseerd (', ' realised (') || @extschema@.format_eur(x.realised, lang)
           || @extschema@.report_word(lang, ' van ', ' of ') || @extschema@.format_eur(x.obligation, lang) || ').</p>'
      INTO part
      FROM @extschema@.report_successes(as_of, caller, NULL, cid) AS x;
    IF part IS NOT NULL THEN
        body := body || ('<section id="success"><h2>' || @extschema@.report_word(lang, '11. Succes', '11. Success') || '</h2>'
            || part || '</section>' || E'\n');
    END IF;

    body := body || @extschema@.report_footer(lang, '6.3, 6.4', '6.3, 6.4');
    RETURN @extschema@.report_page(lang,
        @extschema@.report_word(lang, 'Voortgangsgesprek SROI ', 'SROI progress meeting ') || @extschema@.html_escape(cid), body);
END
$$;

COMMENT ON FUNCTION @extschema@.contract_report_html(text, date, text) IS
    'the page for the quarterly conversation with the supplier of a contract as self-contained HTML (Dutch; lang en: English): progress per quarter (chart and table), category mix, activities awaiting approval, report and kick-off status, placements and the deviation in persons, the Plan van Aanpak, action plan, monthly reports, settlement and, once there is one, the success (domain.md 6); only what the caller may read';

-- sroi install script, part 12: past one server, on a Citus cluster (README "Citus").
--
-- sroi.distribute() lays sroi's tables out over a Citus cluster: every contract-keyed
-- table (a column contract_id) distributed by its contract and colocated with
-- sroi.contract (distributed by id), so that everything about one contract is on one
-- shard; every other table (the rate card catalogue, candidates, role scopes) a
-- reference table, copied to every node.  Data-driven: every table of the extension,
-- also those added later.  What sroi needs on the cluster (test/citus/README.md):
--  - triggers on distributed tables (citus.enable_unsafe_triggers, for the call); they are
--    disabled while Citus copies the rows into the shards (the guards would refuse the
--    shipped catalogue rows as new ones) and enabled again;
--  - the foreign keys between sroi's tables dropped around the conversion and added again
--    (Citus would otherwise convert the whole local foreign-key graph at the first
--    reference table, which drops and re-creates the extension's views);
--  - policies without subqueries: on one server the scoped policies read the scope in a
--    scalar subquery (an InitPlan, once per query: the macros of_managed_contract and
--    of_supplied_contract, 04_scope.sql) and the candidate SELECT policies look the
--    candidates up in the activities; Citus refuses both on distributed and reference
--    tables, so every policy of sroi's tables with a subquery is rewritten (ALTER POLICY,
--    on the coordinator and the workers) from its deparsed expression: the scope
--    subquery into the plain call, the candidate look-up into sroi.candidate_placed;
--    a policy that still has a subquery afterwards stops the call (55000);
--  - citus.allow_nested_distributed_execution on the functions that, from a shard, read
--    other shards or a reference table: the trigger functions, the scope look-ups of the
--    policies, the no-double-counting check;
--  - the column privileges of the roles on every shard (an event trigger on every node),
--    and on the workers' copies of the reference tables as table privileges;
--  - each worker's identity sequences in a range of their own.
-- Single-node users never call it; nothing else in sroi depends on Citus.
-- The column privileges of one of sroi's tables, as GRANT commands with %s for the table
-- or shard they are to be granted on, one per grantee.  For a shard (shard true) an
-- INSERT privilege also covers the columns that have a default: Citus names every column
-- of the coordinator's INSERT in the one it sends to the shard, the defaults filled in
-- (`INSERT INTO sroi.activity_102081 (id, contract_id, ..., status, created_at)`), so a
-- supplier's INSERT would be refused on the shard for status and created_at.  What
-- the caller may write is checked on the coordinator against the table's own column
-- privileges; on the shard the row-level security (status 'reported', no override)
-- and the triggers hold as on one server.
CREATE FUNCTION @extschema@.column_privileges(rel regclass, shard boolean) RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT format('GRANT %s ON %%s TO %s', string_agg(format('%s (%s)', g.priv, g.cols), ', ' ORDER BY g.priv), g.grantee)
      FROM (SELECT p.priv, p.grantee, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
              FROM (SELECT DISTINCT x.privilege_type AS priv,
                           CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
                      FROM pg_attribute AS a
                      CROSS JOIN LATERAL aclexplode(a.attacl) AS x
                      LEFT JOIN pg_roles AS r ON r.oid = x.grantee
                     WHERE a.attrelid = column_privileges.rel AND a.attnum > 0 AND NOT a.attisdropped
                       AND a.attacl IS NOT NULL) AS p
              JOIN pg_attribute AS a ON a.attrelid = column_privileges.rel AND a.attnum > 0 AND NOT a.attisdropped
             WHERE EXISTS (SELECT 1 FROM aclexplode(a.attacl) AS x LEFT JOIN pg_roles AS r ON r.oid = x.grantee
                            WHERE x.privilege_type = p.priv
                              AND CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END = p.grantee)
                OR (column_privileges.shard AND p.priv = 'INSERT' AND (a.atthasdef OR a.attidentity <> ''))
             GROUP BY p.priv, p.grantee) AS g
     GROUP BY g.grantee
     ORDER BY g.grantee;
END;

REVOKE EXECUTE ON FUNCTION @extschema@.column_privileges(regclass, boolean) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.column_privileges(regclass, boolean) IS
    'the column privileges of a table as GRANT commands, one per grantee, with %s for the table or shard to grant them on; for a shard INSERT also on the columns with a default (internal, Citus)';

-- Event trigger (created by sroi.distribute() on every node): a new table in sroi's
-- schema named like one of sroi's tables with a shard number (activity_102090) is a
-- Citus shard of it and gets that table's column privileges.  Only a role with CREATE
-- on sroi's schema (none but the owner) can make such a table.
CREATE FUNCTION @extschema@.shard_column_privileges() RETURNS event_trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
    g text;
BEGIN
    FOR c IN
        SELECT DISTINCT s.oid::regclass AS shard, t.oid::regclass AS rel
          FROM pg_event_trigger_ddl_commands() AS e
          JOIN pg_class AS s ON s.oid = e.objid
          JOIN pg_class AS t ON t.relnamespace = s.relnamespace AND t.relname = regexp_replace(s.relname, '_[0-9]+$', '')
          JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = t.oid
                             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
          JOIN pg_extension AS x ON x.oid = d.refobjid AND x.extname = 'sroi'
         WHERE e.classid = 'pg_class'::regclass AND e.object_type = 'table' AND s.relname ~ '_[0-9]+$'
    LOOP
        FOR g IN SELECT @extschema@.column_privileges(c.rel, true)
        LOOP
            EXECUTE format(g, c.shard);
        END LOOP;
    END LOOP;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.shard_column_privileges() FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.shard_column_privileges() IS
    'event trigger function (sroi.distribute() attaches it on every Citus node): gives a new Citus shard of sroi''s tables the column privileges of its table (internal, Citus)';

-- A command run on every Citus worker through run_command_on_workers, which reports a
-- worker's failure as a row (success false) instead of raising it: raises 55000 with
-- failure and the failing nodes and their errors ('host:port: error', '; ' between).
-- The Citus function is looked up when this runs: the install script loads without Citus.
CREATE FUNCTION @extschema@.run_on_workers(command text, failure text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.format('%s:%s: %s', w.nodename, w.nodeport, w.result), '; ') INTO bad
      FROM pg_catalog.run_command_on_workers(run_on_workers.command) AS w WHERE NOT w.success;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('%s: %s', run_on_workers.failure, bad);
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.run_on_workers(text, text) FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.run_on_workers(text, text) IS
    'runs a command on every Citus worker (run_command_on_workers) and raises 55000 with the given failure text and the failing nodes'' errors if it fails on any (internal, Citus)';

CREATE FUNCTION @extschema@.distribute()
    RETURNS TABLE (table_name regclass, layout text, done text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ext oid := (SELECT e.oid FROM pg_extension AS e WHERE e.extname = 'sroi');
    t record;
    f regprocedure;
    fks text[] := '{}';
    fk text;
    already regclass[];
    sch text := (SELECT quote_ident(n.nspname) FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
                  WHERE e.extname = 'sroi');
    re text;
    pol record;
    q text;
    wc text;
    ddl text;
    bad text;
    cmds text[];
    placements bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension AS e WHERE e.extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = 'sroi.distribute() needs Citus: the extension citus is not installed in this database',
            HINT = 'Load Citus (shared_preload_libraries = ''citus''), CREATE EXTENSION citus on every node, add the workers (citus_add_node), then call sroi.distribute() on the coordinator.';
    END IF;
    EXECUTE 'SELECT coalesce(array_agg(logicalrelid), ''{}'') FROM pg_dist_partition' INTO already;

    -- the tables: contract, then the contract-keyed ones, then the reference tables
    CREATE TEMP TABLE IF NOT EXISTS sroi_distribute_plan (rel regclass, how text, ord int) ON COMMIT DROP;
    TRUNCATE sroi_distribute_plan;
    INSERT INTO sroi_distribute_plan
    SELECT c.oid::regclass,
           CASE WHEN c.relname = 'contract' THEN 'distributed by id'
                WHEN EXISTS (SELECT 1 FROM pg_attribute AS a
                              WHERE a.attrelid = c.oid AND a.attname = 'contract_id' AND NOT a.attisdropped)
                THEN 'distributed by contract_id, colocated with contract'
                ELSE 'reference' END,
           CASE WHEN c.relname = 'contract' THEN 1
                WHEN EXISTS (SELECT 1 FROM pg_attribute AS a
                              WHERE a.attrelid = c.oid AND a.attname = 'contract_id' AND NOT a.attisdropped) THEN 2
                ELSE 0 END
      FROM pg_class AS c
      JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                         AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e'
     WHERE c.relkind IN ('r', 'p');

    <<convert>>
    BEGIN
    IF NOT EXISTS (SELECT 1 FROM sroi_distribute_plan AS p WHERE p.rel <> ALL (already)) THEN
        RETURN QUERY SELECT p.rel, p.how, 'already distributed'::text FROM sroi_distribute_plan AS p
                      ORDER BY p.ord, p.rel::text;
        EXIT convert;
    END IF;

    -- The figures cache (07_monitoring.sql) is not for the cluster yet: its triggers would
    -- write across shards and to a reference table from a shard, and its refresh reads
    -- every value line.  Its triggers go (on every node, while the tables are local), its
    -- rows are emptied, and sroi.refresh_figures() then refuses; the reports compute.
    -- (the triggers that call sroi.figures_stale, whatever their names)  The workers' own
    -- copies only while a table is local: a distributed table's statement here reaches its
    -- shards and the workers (and a worker refuses DDL on it: EnsureCoordinator).
    FOR t IN SELECT trg.tgrelid::regclass AS rel, format('DROP TRIGGER IF EXISTS %I ON %s', trg.tgname, trg.tgrelid::regclass) AS cmd
               FROM pg_trigger AS trg
              WHERE trg.tgfoid = '@extschema@.figures_stale()'::regprocedure
             UNION ALL
             SELECT f.rel, format('DELETE FROM %s', f.rel)
               FROM unnest(ARRAY[format('%s.quarter_figures', sch)::regclass,
                                 format('%s.contract_figures', sch)::regclass,
                                 format('%s.municipality_figures', sch)::regclass,
                                 format('%s.outcome_figures', sch)::regclass,
                                 format('%s.figures_state', sch)::regclass]) AS f (rel)
    LOOP
        EXECUTE t.cmd;
        IF t.rel <> ALL (already) THEN
            PERFORM @extschema@.run_on_workers(t.cmd, format('sroi.distribute(): %s failed on a worker', t.cmd));
        END IF;
    END LOOP;
    table_name := format('%s.contract_figures', sch)::regclass; layout := NULL;
    done := 'figures cache off on Citus: triggers *_figures_stale dropped, sroi.refresh_figures() refuses';
    RETURN NEXT;

    -- Column privileges (04_tables.sql: the INSERT and UPDATE column lists of suppliers,
    -- contract managers and coordinators).  Citus copies a table's privileges to its
    -- shards but not those of its columns, and refuses a column GRANT on a distributed
    -- table (`grant/revoke on column list is currently unsupported`); without them every
    -- write of those roles is refused on a shard (`permission denied for table
    -- activity_102090`).  An event trigger on every node (a member of sroi, dropped with
    -- it) gives each new shard of sroi's tables its table's column privileges as Citus
    -- creates it, now and when the rebalancer moves or copies one later.  The workers'
    -- copy is committed by run_command_on_workers before this transaction makes the shards.
    ddl := format('CREATE EVENT TRIGGER sroi_shard_column_privileges ON ddl_command_end WHEN TAG IN (''CREATE TABLE'')'
                  ' EXECUTE FUNCTION %s.shard_column_privileges()', sch);
    ddl := format('DO $do$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = %L) THEN %s;'
                  ' ALTER EXTENSION sroi ADD EVENT TRIGGER sroi_shard_column_privileges; END IF; END$do$',
                  'sroi_shard_column_privileges', ddl);
    EXECUTE ddl;
    PERFORM @extschema@.run_on_workers(ddl,
        'sroi.distribute(): the event trigger for the shards'' column privileges could not be created on a worker');
    table_name := NULL; layout := NULL;
    done := 'event trigger sroi_shard_column_privileges on every node: each new shard gets its table''s column privileges';
    RETURN NEXT;
    -- A write to a reference table first locks its shard on a worker with
    -- lock_shard_resources(), which checks a table-level INSERT, UPDATE or DELETE privilege
    -- on the worker's copy of the table (`permission denied for table candidate`): a column
    -- privilege does not count.  On the workers' copies (through which no row is read or
    -- written: a query there goes to the shards, whose column privileges hold) each
    -- column privilege of a reference table is granted on the whole table.
    FOR t IN
        SELECT p.rel, format('GRANT %s ON %s TO %s', string_agg(DISTINCT x.privilege_type, ', '), p.rel,
                             CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END) AS cmd
          FROM sroi_distribute_plan AS p
          JOIN pg_attribute AS a ON a.attrelid = p.rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
          CROSS JOIN LATERAL aclexplode(a.attacl) AS x
          LEFT JOIN pg_roles AS r ON r.oid = x.grantee
         WHERE p.how = 'reference' AND x.privilege_type IN ('INSERT', 'UPDATE')
         GROUP BY p.rel, x.grantee, r.rolname
         ORDER BY p.rel::text, cmd
    LOOP
        PERFORM @extschema@.run_on_workers(t.cmd, format('sroi.distribute(): %s failed on a worker', t.cmd));
        table_name := t.rel; layout := NULL;
        done := format('on the workers'' copy (for lock_shard_resources): %s', t.cmd);
        RETURN NEXT;
    END LOOP;

    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    -- DDL and the copies one connection per node, in this transaction
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);

    -- the policies with subqueries, rewritten for Citus (see above); the workers' own
    -- copies of the tables have the same policies
    re := regexp_replace(sch, '([^A-Za-z0-9_])', '\\\1', 'g');  -- the schema's name, as a regular expression
    FOR pol IN
        SELECT po.polname, po.polrelid::regclass AS rel,
               pg_get_expr(po.polqual, po.polrelid) AS qual, pg_get_expr(po.polwithcheck, po.polrelid) AS wcheck
          FROM pg_policy AS po
          JOIN sroi_distribute_plan AS p ON p.rel = po.polrelid
         WHERE po.polqual::text LIKE '%{SUBLINK%' OR po.polwithcheck::text LIKE '%{SUBLINK%'
         ORDER BY po.polrelid::regclass::text, po.polname
    LOOP
        q := pol.qual;
        wc := pol.wcheck;
        -- (SELECT sroi.scope_x() AS scope_x)::text[]  ->  sroi.scope_x()
        q := regexp_replace(q, '\(\s*SELECT (' || re || '\.scope_(municipalities|suppliers)\(\)) AS scope_\w+\)::text\[\]', '\1', 'g');
        wc := regexp_replace(wc, '\(\s*SELECT (' || re || '\.scope_(municipalities|suppliers)\(\)) AS scope_\w+\)::text\[\]', '\1', 'g');
        -- id IN (SELECT a.candidate_id FROM (sroi.contract k JOIN sroi.activity a ON ((a.contract_id = k.id)))
        --        WHERE (k.K = ANY (sroi.scope_x())))  ->  sroi.candidate_placed(id, 'K', CURRENT_USER)
        q := regexp_replace(q, 'id IN \(\s*SELECT a\.candidate_id\s+FROM \(' || re || '\.contract k\s+JOIN ' || re
                               || '\.activity a ON \(\(a\.contract_id = k\.id\)\)\)\s+WHERE \(k\.(municipality|supplier) = ANY \('
                               || re || '\.scope_\w+\(\)\)\)\)', sch || '.candidate_placed(id, ''\1'', CURRENT_USER)', 'g');
        ddl := format('ALTER POLICY %I ON %s', pol.polname, pol.rel)
               || CASE WHEN q IS NOT NULL THEN format(' USING (%s)', q) ELSE '' END
               || CASE WHEN wc IS NOT NULL THEN format(' WITH CHECK (%s)', wc) ELSE '' END;
        EXECUTE ddl;
        PERFORM @extschema@.run_on_workers(ddl,
            format('sroi.distribute(): policy %s on %s could not be rewritten on a worker', pol.polname, pol.rel));
        table_name := pol.rel; layout := NULL;
        done := format('policy %s: subqueries rewritten as function calls for Citus', pol.polname);
        RETURN NEXT;
    END LOOP;
    SELECT string_agg(format('%s on %s', po.polname, po.polrelid::regclass), ', ') INTO bad
      FROM pg_policy AS po
      JOIN sroi_distribute_plan AS p ON p.rel = po.polrelid
     WHERE po.polqual::text LIKE '%{SUBLINK%' OR po.polwithcheck::text LIKE '%{SUBLINK%';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('sroi.distribute(): policies with a subquery Citus refuses are left: %s', bad),
            HINT = 'Write the policy so that sroi.distribute() can rewrite it (12_citus.sql).';
    END IF;

    -- the foreign keys between sroi's tables, dropped until every table is converted
    FOR t IN
        SELECT con.conname, con.conrelid::regclass AS rel, pg_get_constraintdef(con.oid) AS def
          FROM pg_constraint AS con
          JOIN sroi_distribute_plan AS p ON p.rel = con.conrelid
         WHERE con.contype = 'f' AND NOT (con.conrelid = ANY (already) AND con.confrelid = ANY (already))
         ORDER BY con.conrelid::regclass::text, con.conname
    LOOP
        fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', t.rel, t.conname, t.def);
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t.rel, t.conname);
        -- the workers' own copies of the tables (CREATE EXTENSION ran there too) have it as
        -- well; adding it back on the coordinator adds it there and on every shard.  A table
        -- already distributed (a later call, a table added since) has it dropped on the
        -- workers by the statement above, and a worker refuses DDL on it (EnsureCoordinator).
        IF t.rel <> ALL (already) THEN
            q := format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', t.rel, t.conname);
            PERFORM @extschema@.run_on_workers(q, format('sroi.distribute(): %s failed on a worker', q));
        END IF;
    END LOOP;

    FOR t IN SELECT p.rel, p.how FROM sroi_distribute_plan AS p ORDER BY p.ord, p.rel::text
    LOOP
        IF t.rel = ANY (already) THEN
            table_name := t.rel; layout := t.how; done := 'already distributed';
            RETURN NEXT;
            CONTINUE;
        END IF;
        EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', t.rel);
        IF t.how = 'reference' THEN
            PERFORM create_reference_table(t.rel);
        ELSIF t.how = 'distributed by id' THEN
            PERFORM create_distributed_table(t.rel, 'id');
        ELSE
            PERFORM create_distributed_table(t.rel, 'contract_id', colocate_with => '@extschema@.contract');
        END IF;
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', t.rel);
        -- the coordinator's own placements (of a reference table) are made without the
        -- event trigger firing: their column privileges here
        FOR q IN EXECUTE 'SELECT shard_name(s.logicalrelid, s.shardid) FROM pg_dist_shard AS s
                            JOIN pg_dist_placement AS pl ON pl.shardid = s.shardid
                           WHERE s.logicalrelid = $1 AND pl.groupid = (SELECT groupid FROM pg_dist_local_group)'
                     USING t.rel
        LOOP
            FOR ddl IN SELECT @extschema@.column_privileges(t.rel, true)
            LOOP
                EXECUTE format(ddl, q);
            END LOOP;
        END LOOP;
        table_name := t.rel; layout := t.how; done := 'converted, triggers kept';
        RETURN NEXT;
    END LOOP;
    FOREACH fk IN ARRAY fks
    LOOP
        BEGIN
            EXECUTE fk;
        EXCEPTION WHEN feature_not_supported OR invalid_foreign_key OR object_not_in_prerequisite_state OR invalid_table_definition THEN
            -- Citus takes no ON DELETE SET NULL (or SET DEFAULT) on a key that includes the
            -- distribution column (action_item.activity_id): the key is kept without it, so
            -- deleting an activity an action item names is refused instead of unlinking it
            EXECUTE regexp_replace(fk, ' ON DELETE SET (NULL|DEFAULT)( \([^)]*\))?', '');
            table_name := substring(fk FROM '^ALTER TABLE (\S+)')::regclass;
            layout := NULL;
            done := format('foreign key %s kept without its ON DELETE action (Citus: %s)',
                           substring(fk FROM 'ADD CONSTRAINT (\S+)'), SQLERRM);
            RETURN NEXT;
        END;
    END LOOP;

    -- the functions that read other shards or reference tables from a shard, on every
    -- node (an extension's functions are not propagated by Citus)
    FOR f IN
        SELECT p.oid::regprocedure
          FROM pg_proc AS p
          JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                             AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e'
         WHERE (p.prorettype = 'trigger'::regtype AND p.prolang = (SELECT l.oid FROM pg_language AS l WHERE l.lanname = 'plpgsql'))
            OR p.oid = ANY (ARRAY['@extschema@.scopes(text, name)'::regprocedure,
                                  '@extschema@.check_fte_overlap(bigint, text, numeric, date, date)'::regprocedure,
                                  '@extschema@.candidate_placed(text, text, name)'::regprocedure,
                                  '@extschema@.plan_version_proposed(text, integer)'::regprocedure])
         ORDER BY p.oid::regprocedure::text
    LOOP
        fk := format('ALTER FUNCTION %s SET citus.allow_nested_distributed_execution = on', f);
        EXECUTE fk;
        PERFORM @extschema@.run_on_workers(fk, format('sroi.distribute(): %s failed on a worker', fk));
    END LOOP;
    END convert;

    -- The identity sequences of the distributed tables on the workers: a row that a
    -- trigger on a shard adds (the decision log of a reset, a change of terms) takes its
    -- id from the worker's sequence, a row added through the coordinator from the
    -- coordinator's; both from 1 they collide (`duplicate key value violates unique
    -- constraint "decision_pkey_102140"`).  Each worker draws from its own range, as Citus
    -- does for the sequences it creates: from (group id << 48) + 1.
    ddl := format($q$DO $do$DECLARE s record; g bigint := (SELECT groupid FROM pg_dist_local_group); BEGIN
        FOR s IN SELECT d.objid::regclass AS seq FROM pg_depend AS d
                   JOIN pg_class AS c ON c.oid = d.objid AND c.relkind = 'S'
                   JOIN pg_depend AS e ON e.classid = 'pg_class'::regclass AND e.objid = d.refobjid
                                      AND e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
                                      AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sroi')
                  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        LOOP
            IF (SELECT sq.seqmin FROM pg_sequence AS sq WHERE sq.seqrelid = s.seq) < (g << 48) + 1 THEN
                EXECUTE format('ALTER SEQUENCE %%s MINVALUE %%s MAXVALUE %%s START WITH %%s RESTART WITH %%s', s.seq, (g << 48) + 1, ((g + 1) << 48) - 1, (g << 48) + 1, (g << 48) + 1);
            END IF;
        END LOOP;
    END$do$ $q$);
    PERFORM @extschema@.run_on_workers(ddl, 'sroi.distribute(): the workers'' sequences could not be given their ranges');

    -- Column privileges of the shards made before (another call, or a rebalancer without
    -- the event trigger): granted on every placement.  (Shards made in this call have
    -- them from the event trigger; this transaction's new shards are not visible to the
    -- connections of run_command_on_placements.)
    FOR t IN
        SELECT p.rel, array_agg(g.cmd ORDER BY g.cmd) AS cmds
          FROM sroi_distribute_plan AS p
          CROSS JOIN LATERAL @extschema@.column_privileges(p.rel, true) AS g (cmd)
         WHERE p.rel = ANY (already)
         GROUP BY p.rel
         ORDER BY p.rel::text
    LOOP
        FOREACH ddl IN ARRAY t.cmds
        LOOP
            SELECT count(*), string_agg(format('%s:%s shard %s: %s', w.nodename, w.nodeport, w.shardid, w.result), '; ')
                             FILTER (WHERE NOT w.success)
              INTO placements, bad
              FROM run_command_on_placements(t.rel, ddl) AS w;
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = format('sroi.distribute(): column privileges of %s could not be granted on a placement: %s', t.rel, bad);
            END IF;
        END LOOP;
        table_name := t.rel; layout := NULL;
        done := format('column privileges granted again on its %s placements', placements);
        RETURN NEXT;
    END LOOP;
    RETURN;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@.distribute() FROM PUBLIC;

COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes every contract-keyed table of sroi distributed by contract (contract by id, the others by contract_id, colocated) and every other table a reference table, keeping triggers, foreign keys, policies (those with subqueries rewritten into function calls, which Citus takes) and column privileges (on every shard, by an event trigger); returns what it did per table and policy; a second call changes nothing (already distributed); without Citus raises 55000';
