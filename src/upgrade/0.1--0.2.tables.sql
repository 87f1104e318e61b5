-- The changes of 0.1 -> 0.2 to the tables of 0.1, for src/tools/upgrade-script.py (run
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

-- sroi.accrued_sum and sroi.persons keep their state in a bytea instead of internal,
-- so that Citus combines them across its workers (02_functions.sql): the aggregates and
-- the C functions whose signatures change go; the replay makes them again.
DROP AGGREGATE @extschema@.accrued_sum(text, numeric, integer, numeric, date, date, date, date, integer, date, date);
DROP AGGREGATE @extschema@.persons(text);
DROP FUNCTION @extschema@.accrued_sum_step(internal, text, numeric, integer, numeric, date, date, date, date, integer, date, date),
              @extschema@.accrued_sum_combine(internal, internal), @extschema@.accrued_sum_final(internal),
              @extschema@.accrued_sum_serialize(internal), @extschema@.accrued_sum_deserialize(bytea, internal),
              @extschema@.persons_step(internal, text), @extschema@.persons_combine(internal, internal),
              @extschema@.persons_final(internal), @extschema@.persons_serialize(internal),
              @extschema@.persons_deserialize(bytea, internal);

-- Here src/tools/upgrade-script.py creates the tables new in 0.2 as the install script
-- does (06_plan.sql, 06_settlement.sql, 06_steering.sql).
-- One municipality's contracts by index (04_tables.sql).
CREATE INDEX contract_municipality_idx ON @extschema@.contract (municipality);

-- @new-tables

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
