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

-- Plan van Aanpak versions (domain.md 6.1; 06_plan.sql).  The plan rows of 0.1 were
-- entered without a version: each contract's become version 1, entered directly and
-- accorded on the day of the upgrade (when they were entered is not known), taking lines
-- until a later version is proposed, as rows entered so in 0.2.
CREATE TABLE @extschema@.plan_version (
    contract_id       text NOT NULL REFERENCES @extschema@.contract (id),
    version           integer NOT NULL CHECK (version >= 1),
    status            text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accorded', 'refused')),
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
SELECT pg_catalog.pg_extension_config_dump('@extschema@.plan_version', '');
ALTER TABLE @extschema@.plan_version ENABLE ROW LEVEL SECURITY;
INSERT INTO @extschema@.plan_version (contract_id, version, status, proposed_by, proposed_on, decided_by, decided_on,
                                      reason, entered_directly)
SELECT DISTINCT p.contract_id, 1, 'accorded', SESSION_USER, (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
       SESSION_USER, (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
       'entered without a proposal: counts as accorded when entered (domain.md 6.1)', true
  FROM @extschema@.plan AS p;
ALTER TABLE @extschema@.plan ADD CONSTRAINT plan_version_fkey FOREIGN KEY (contract_id, version)
    REFERENCES @extschema@.plan_version (contract_id, version);

-- Action items, reporting frequency and monthly reports (domain.md 6.2, 6.3; 06_steering.sql).
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
    created_on    date NOT NULL DEFAULT (pg_catalog.now() AT TIME ZONE 'Europe/Amsterdam')::date,
    recorded_by   name NOT NULL DEFAULT SESSION_USER,
    activity_id   bigint,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, id),
    CONSTRAINT action_item_activity_fkey FOREIGN KEY (contract_id, activity_id)
        REFERENCES @extschema@.activity (contract_id, id) ON DELETE SET NULL (activity_id),
    CONSTRAINT action_item_target_unit CHECK (target_unit IN ('euro', 'persons', 'hours')),
    CONSTRAINT action_item_status CHECK (status IN ('open', 'done', 'dropped')),
    CONSTRAINT action_item_closed CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX action_item_id_idx ON @extschema@.action_item (id);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.action_item', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.action_item_id_seq', '');
ALTER TABLE @extschema@.action_item ENABLE ROW LEVEL SECURITY;

CREATE TABLE @extschema@.reporting_frequency (
    contract_id  text NOT NULL REFERENCES @extschema@.contract (id),
    from_month   date NOT NULL,
    frequency    text NOT NULL CHECK (frequency IN ('quarterly', 'monthly')),
    decided_by   text NOT NULL,
    decided_on   date NOT NULL,
    reason       text,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, from_month)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.reporting_frequency', '');
ALTER TABLE @extschema@.reporting_frequency ENABLE ROW LEVEL SECURITY;

CREATE TABLE @extschema@.period_report (
    contract_id   text NOT NULL REFERENCES @extschema@.contract (id),
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    submitted_on  date NOT NULL,
    municipality  text,
    supplier      text,
    PRIMARY KEY (contract_id, period_start)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.period_report', '');
ALTER TABLE @extschema@.period_report ENABLE ROW LEVEL SECURITY;
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
    persons         integer NOT NULL,
    municipality    text,
    supplier        text
);
ALTER TABLE @extschema@.settlement ENABLE ROW LEVEL SECURITY;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.settlement', '');

-- The figures cache (07_monitoring.sql): new tables, empty until sroi.refresh_figures().
CREATE TABLE @extschema@.contract_figures (
    contract_id   text PRIMARY KEY REFERENCES @extschema@.contract (id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    as_of         date NOT NULL,
    realised_a    numeric NOT NULL,
    realised_b    numeric NOT NULL,
    realised_c    numeric NOT NULL,
    realised_bonus numeric NOT NULL,
    pending       numeric NOT NULL,
    persons       integer NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.contract_figures', 'WHERE false');
ALTER TABLE @extschema@.contract_figures ENABLE ROW LEVEL SECURITY;
CREATE TABLE @extschema@.quarter_figures (
    contract_id   text NOT NULL REFERENCES @extschema@.contract_figures (contract_id) ON DELETE CASCADE,
    municipality  text NOT NULL,
    supplier      text NOT NULL,
    quarter       @extschema@.quarter NOT NULL,
    as_of         date NOT NULL,
    realised      numeric,
    pending       numeric,
    persons       integer,
    new_persons   integer,
    fte_days      numeric,
    hours         numeric,
    PRIMARY KEY (contract_id, quarter)
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.quarter_figures', 'WHERE false');
ALTER TABLE @extschema@.quarter_figures ENABLE ROW LEVEL SECURITY;

-- The scope columns of the contract-keyed tables (10_security.sql: the policies read
-- them; no subquery, so that Citus can distribute the tables), filled from the contract;
-- the new tables above have them in their CREATE TABLE.
ALTER TABLE @extschema@.activity ADD COLUMN municipality text, ADD COLUMN supplier text;
ALTER TABLE @extschema@.plan ADD COLUMN municipality text, ADD COLUMN supplier text;
ALTER TABLE @extschema@.turnover ADD COLUMN municipality text, ADD COLUMN supplier text;
ALTER TABLE @extschema@.quarter_report ADD COLUMN municipality text, ADD COLUMN supplier text;
ALTER TABLE @extschema@.phasing ADD COLUMN municipality text, ADD COLUMN supplier text;
ALTER TABLE @extschema@.decision ADD COLUMN municipality text, ADD COLUMN supplier text;
UPDATE @extschema@.activity AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.plan AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.turnover AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.quarter_report AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.phasing AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.decision AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.plan_version AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.action_item AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.reporting_frequency AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.period_report AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
UPDATE @extschema@.settlement AS x SET municipality = k.municipality, supplier = k.supplier
  FROM @extschema@.contract AS k WHERE k.id = x.contract_id;
