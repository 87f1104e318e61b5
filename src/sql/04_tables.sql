-- sroi install script, part 4: the tables users write (api.md "Tables users write").
-- Validation beyond simple CHECKs lives in 05_validation.sql, so that every
-- error names the field, the value and the rule.

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
    'database role that registered the candidate; a supplier sees and corrects the candidates it registered (10_security.sql)';

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
    -- the contract's scope, kept by the triggers <table>_scope and contract_rescope (10_security.sql)
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
COMMENT ON COLUMN @extschema@.activity.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger activity_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.activity.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger activity_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
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
COMMENT ON COLUMN @extschema@.plan.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger plan_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger plan_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.plan.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.plan.block IS 'building block code on the contract''s rate card';
COMMENT ON COLUMN @extschema@.plan.planned_value IS 'planned value in euros';
COMMENT ON COLUMN @extschema@.plan.version IS 'the plan version the line belongs to (domain.md 6.1); lines entered without one are version 1';
COMMENT ON COLUMN @extschema@.plan.planned_persons IS 'persons the supplier plans to place in the quarter with this block (domain.md 6.4), or null when the line plans euros only';

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
COMMENT ON COLUMN @extschema@.turnover.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger turnover_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger turnover_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.turnover.quarter IS 'the quarter';
COMMENT ON COLUMN @extschema@.turnover.amount IS 'turnover in euros, excl. VAT';

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
COMMENT ON COLUMN @extschema@.quarter_report.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger quarter_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger quarter_report_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.quarter_report.quarter IS 'the quarter reported on';
COMMENT ON COLUMN @extschema@.quarter_report.submitted_on IS 'date the report was received';
-- the reports of one municipality (a report or page filtered on it reads these, not all)
CREATE INDEX quarter_report_municipality_idx ON @extschema@.quarter_report (municipality);

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
COMMENT ON COLUMN @extschema@.phasing.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger phasing_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger phasing_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.phasing.from_date IS 'the date from which the share is expected';
COMMENT ON COLUMN @extschema@.phasing.cumulative_share IS 'cumulative share of the obligation expected, 0 to 1, non-decreasing over the dates';

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
COMMENT ON COLUMN @extschema@.decision.kind IS 'approve, reject, override_eligibility, reset (an activity back to reported, or its override withdrawn), pso_approve, pso_withdraw, exemption, penalty_waiver contract_change (terms, supplier or municipality; the reason lists old -> new), plan_accord, plan_refusal (a Plan van Aanpak version), reporting_frequency (quarterly or monthly from a month), settlement or reopen (domain.md 6)';
COMMENT ON COLUMN @extschema@.decision.activity_id IS 'the activity decided on (approve, reject, override_eligibility, reset)';
COMMENT ON COLUMN @extschema@.decision.contract_id IS 'the contract';
COMMENT ON COLUMN @extschema@.decision.municipality IS 'the contract''s municipality, copied from sroi.contract by the trigger decision_scope and kept in step when the contract moves (contract_rescope); what the row-level security of contract managers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.supplier IS 'the contract''s supplier, copied from sroi.contract by the trigger decision_scope and kept in step when the contract moves (contract_rescope); what the row-level security of suppliers reads; never written by users';
COMMENT ON COLUMN @extschema@.decision.reason IS 'why';

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
