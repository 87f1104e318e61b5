-- The table changes of 0.1 -> 0.2, for test/tools/upgrade-script.py (run after the old
-- triggers are dropped, so no validation or logging fires here).

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

-- Settlement (domain.md 6.5, 06_settlement.sql): a new table, with row-level security
-- and in pg_dump.
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
    persons         integer NOT NULL
);
ALTER TABLE @extschema@.settlement ENABLE ROW LEVEL SECURITY;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.settlement', '');
