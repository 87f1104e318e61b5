-- sroi install script, part 3: the rate card catalogue (domain.md 2).
--
-- A rate card (bouwblokkenmodel) is a dated version of the building blocks and
-- the money rules around them.  Amounts change by political decision but "never
-- for running agreements" (guideline 7): a contract is pinned to one card for
-- its whole life, and a card in use cannot change; a change is a new card.
-- Rows shipped with the extension have shipped = true; pg_dump keeps the rest.

CREATE TABLE @extschema@.rate_card (
    code                 text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    valid_from           date NOT NULL UNIQUE,
    description          text NOT NULL,
    threshold            numeric(14,2) NOT NULL DEFAULT 200000 CHECK (threshold >= 0),
    default_pct          numeric(5,2) NOT NULL DEFAULT 5 CHECK (default_pct BETWEEN 0 AND 100),
    reduced_pct          numeric(5,2) NOT NULL DEFAULT 2 CHECK (reduced_pct BETWEEN 0 AND 100),
    report_due_days      integer NOT NULL DEFAULT 30 CHECK (report_due_days >= 0),
    kickoff_days         integer NOT NULL DEFAULT 14 CHECK (kickoff_days >= 0),
    at_risk_pct          numeric(5,2) NOT NULL DEFAULT 75 CHECK (at_risk_pct BETWEEN 0 AND 100),
    projection_min_pct   numeric(5,2) NOT NULL DEFAULT 10 CHECK (projection_min_pct BETWEEN 0 AND 100),
    hire_before_start_months integer NOT NULL DEFAULT 12 CHECK (hire_before_start_months >= 0),
    shipped              boolean NOT NULL DEFAULT false,
    plan_accord_days     integer NOT NULL DEFAULT 28 CHECK (plan_accord_days >= 0),
    action_plan_days     integer NOT NULL DEFAULT 30 CHECK (action_plan_days >= 0),
    settlement_due_days  integer NOT NULL DEFAULT 90 CHECK (settlement_due_days >= 0),
    success_pct          numeric(5,2) NOT NULL DEFAULT 110 CHECK (success_pct >= 100)
);
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

CREATE TABLE @extschema@.building_block (
    rate_card          text NOT NULL REFERENCES @extschema@.rate_card (code),
    code               text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    category           text NOT NULL CHECK (category IN ('A', 'B', 'C', 'bonus')),
    name               text NOT NULL,
    unit               text NOT NULL CHECK (unit IN ('fte_period', 'agreement', 'hour', 'invoice', 'negotiated')),
    amount             numeric(14,2) CHECK (amount > 0),
    reference_months   integer CHECK (reference_months BETWEEN 1 AND 1200),
    max_months         integer CHECK (max_months BETWEEN 1 AND 1200),
    requires_approval  boolean NOT NULL DEFAULT false,
    eligibility        text NOT NULL CHECK (eligibility IN (
                           'none', 'target_group', 'participatiewet_24m_plus', 'participatiewet_under_24m',
                           'ww_over_6m', 'doelgroepregister', 'beschut_werk', 'wia_wao', 'mbo_under_23',
                           'participatiewet_or_ww', 'vso_pro', 'bonus_56plus', 'bonus_special')),
    guideline_ref      text,
    shipped            boolean NOT NULL DEFAULT false,
    PRIMARY KEY (rate_card, code),
    CONSTRAINT building_block_amount_by_unit
        CHECK ((unit IN ('invoice', 'negotiated')) = (amount IS NULL)),
    CONSTRAINT building_block_months_by_unit
        CHECK ((unit = 'fte_period') = (reference_months IS NOT NULL)
               AND (max_months IS NULL OR unit = 'fte_period')),
    CONSTRAINT building_block_bonus_is_fte_period
        CHECK (category <> 'bonus' OR unit = 'fte_period')
);
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

CREATE TABLE @extschema@.pso_discount_rate (
    rate_card     text NOT NULL REFERENCES @extschema@.rate_card (code),
    rung          @extschema@.pso_rung NOT NULL,
    discount_pct  numeric(5,2) NOT NULL CHECK (discount_pct BETWEEN 0 AND 100),
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (rate_card, rung)
);
COMMENT ON TABLE @extschema@.pso_discount_rate IS
    'discount on the labour component of the obligation per PSO rung, per rate card (guideline 7 rows 14-15, domain.md 1.5)';
COMMENT ON COLUMN @extschema@.pso_discount_rate.rate_card IS 'the card the rate belongs to';
COMMENT ON COLUMN @extschema@.pso_discount_rate.rung IS 'rung of the Prestatieladder Socialer Ondernemen';
COMMENT ON COLUMN @extschema@.pso_discount_rate.discount_pct IS 'discount in percent of the labour component';
COMMENT ON COLUMN @extschema@.pso_discount_rate.shipped IS 'true for rows shipped with the extension; pg_dump keeps only the others';

-- The card of the DUOplus guideline, section 7, as domain.md 2 reads it.
INSERT INTO @extschema@.rate_card (code, valid_from, description, shipped) VALUES
    ('duoplus-2024', '2024-01-01',
     'Leidraad Social Return DUOplus (Diemen, Uithoorn, Ouder-Amstel), bouwblokkenmodel section 7', true);

INSERT INTO @extschema@.building_block
    (rate_card, code, category, name, unit, amount, reference_months, requires_approval, eligibility, guideline_ref, shipped)
VALUES
    ('duoplus-2024', 'A1', 'A', 'Participatiewet, on benefit 24 months or more', 'fte_period', 30000, 12, false, 'participatiewet_24m_plus', '7 row 1', true),
    ('duoplus-2024', 'A2', 'A', 'Participatiewet, on benefit under 24 months', 'fte_period', 40000, 12, false, 'participatiewet_under_24m', '7 row 2', true),
    ('duoplus-2024', 'A3', 'A', 'WW, on benefit more than 6 months', 'fte_period', 15000, 12, false, 'ww_over_6m', '7 row 3', true),
    ('duoplus-2024', 'A4', 'A', 'Banenafspraak (doelgroepregister), counted while the indication lasts', 'fte_period', 30000, 12, false, 'doelgroepregister', '7 row 4', true),
    ('duoplus-2024', 'A4B', 'A', 'Beschut werk, counted while the indication lasts', 'fte_period', 30000, 12, false, 'beschut_werk', '7 row 4', true),
    ('duoplus-2024', 'B5', 'B', 'WIA / WAO', 'fte_period', 10000, 24, false, 'wia_wao', '7 row 5', true),
    ('duoplus-2024', 'B6', 'B', 'BBL (leerbaan), per practice agreement', 'agreement', 15000, NULL, false, 'target_group', '7 row 6', true),
    ('duoplus-2024', 'B7', 'B', 'BOL stage, student under 23, incl. supervision', 'agreement', 10000, NULL, false, 'mbo_under_23', '7 row 7', true),
    ('duoplus-2024', 'B7P', 'B', 'Praktijkleren (leerbaan or stage, 3rd route), per practice agreement', 'agreement', 10000, NULL, false, 'target_group', '7 row 7', true),
    ('duoplus-2024', 'B8', 'B', 'Werkervaringsbaan, pro rata', 'fte_period', 6000, 12, false, 'participatiewet_or_ww', '7 row 8', true),
    ('duoplus-2024', 'B8V', 'B', 'VSO / PRO stage in the last school year, per stage agreement (at most 1 year)', 'agreement', 6000, NULL, false, 'vso_pro', '7 row 8', true),
    ('duoplus-2024', 'C9', 'C', 'Sponsoring the SR fund', 'invoice', NULL, NULL, true, 'none', '7 row 9', true),
    ('duoplus-2024', 'C10', 'C', 'MVO activities (services, knowledge, guest lessons, company visits for PO-VO-MBO), preparation included, travel excluded', 'hour', 100, NULL, false, 'none', '7 row 10', true),
    ('duoplus-2024', 'C11', 'C', 'Purchasing from a sheltered workshop (SW-bedrijf)', 'invoice', NULL, NULL, true, 'none', '7 row 11', true),
    ('duoplus-2024', 'M', 'C', 'Custom social project (maatwerk), value agreed with the municipality', 'negotiated', NULL, NULL, true, 'none', '4.1', true),
    ('duoplus-2024', 'BONUS12', 'bonus', '56+ and in Participatiewet or doelgroepregister, on top of category A', 'fte_period', 5000, 12, false, 'bonus_56plus', '7 row 12', true),
    ('duoplus-2024', 'BONUS13', 'bonus', 'Special target group (bijzondere doelgroep), on top of category A', 'fte_period', 5000, 12, false, 'bonus_special', '7 row 13', true);

-- the guideline's rung discounts (sroi.pso_rung_pct, 02_functions.sql)
INSERT INTO @extschema@.pso_discount_rate (rate_card, rung, discount_pct, shipped)
SELECT 'duoplus-2024', r.rung, @extschema@.pso_rung_pct(r.rung), true
  FROM pg_catalog.unnest(pg_catalog.enum_range(NULL::@extschema@.pso_rung)) AS r (rung);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.rate_card', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.building_block', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pso_discount_rate', 'WHERE NOT shipped');

-- The rate card catalogue: read by everyone who enters data, managed by coordinators
-- (rate_card_guard, below, keeps a card in use from changing).
GRANT SELECT ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier;
GRANT INSERT, UPDATE, DELETE ON @extschema@.rate_card, @extschema@.building_block, @extschema@.pso_discount_rate
    TO sroi_coordinator;

CREATE FUNCTION @extschema@.rate_card_on(on_date date) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT card.code FROM @extschema@.rate_card AS card
     WHERE card.valid_from OPERATOR(pg_catalog.<=) on_date
     ORDER BY card.valid_from DESC
     LIMIT 1;
END;
COMMENT ON FUNCTION @extschema@.rate_card_on(date) IS
    'the code of the rate card in force on a date: the one with the latest valid_from on or before it; NULL before the first card';

-- Rate cards: shipped rows are read-only, and a card a contract uses cannot change
-- (domain.md 2).
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
