-- sroi install script, part 5: validation on every insert and update.
-- Each rejected row raises an error of SQLSTATE class 22 or 23 whose message
-- names the field, the value and the rule; the row is not stored.

-- Raises errcode with message; a helper so that every check stays one line.
CREATE FUNCTION @extschema@.raise_invalid(errcode text, message text, hint text DEFAULT NULL)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF hint IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = errcode, MESSAGE = message;
    END IF;
    RAISE EXCEPTION USING ERRCODE = errcode, MESSAGE = message, HINT = hint;
END
$$;
COMMENT ON FUNCTION @extschema@.raise_invalid(text, text, text) IS 'raises an error with the given SQLSTATE, message and hint (internal)';

-- A number within [lo, hi] with at most max_decimals decimals, else 22003.
CREATE FUNCTION @extschema@.check_number(field text, value numeric, lo numeric, hi numeric,
                                         max_decimals integer, rule text)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value IS NULL THEN
        RETURN;
    END IF;
    IF value = 'NaN'::numeric OR value < lo OR (hi IS NOT NULL AND value > hi) OR value = 'Infinity'::numeric THEN
        PERFORM @extschema@.raise_invalid('22003', format('%s must be %s, got %s', field, rule, value));
    END IF;
    IF max_decimals IS NOT NULL AND value <> round(value, max_decimals) THEN
        PERFORM @extschema@.raise_invalid('22003',
            format('%s must have at most %s decimals, got %s', field, max_decimals, value));
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_number(text, numeric, numeric, numeric, integer, text) IS
    'raises 22003 naming field, value and rule when a number is out of range or too precise (internal)';

-- A euro amount (or a count) a person enters: from 0 to the largest amount sroi accepts
-- (MAX_CENTS in src/sroi.h, the bound of the C readers), with at most decimals decimals.
CREATE FUNCTION @extschema@.check_amount(field text, value numeric, decimals integer DEFAULT 2)
    RETURNS void LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.check_number(field, value, 0, 999999999999.99, decimals, 'from 0 to 999999999999.99');
COMMENT ON FUNCTION @extschema@.check_amount(text, numeric, integer) IS
    'raises 22003 naming field, value and rule when an amount is below 0, above 999999999999.99 (the largest amount sroi accepts) or has more decimals than given (internal)';

CREATE FUNCTION @extschema@.check_one_of(field text, value text, allowed text[])
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value IS NOT NULL AND NOT value = ANY (allowed) THEN
        PERFORM @extschema@.raise_invalid('22023',
            format('%s must be one of %s, got %L', field, array_to_string(allowed, ', '), value));
    END IF;
END
$$;
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

-- A row's contract, else 23503 (the one wording of a missing contract).  With the
-- caller's privileges: under row-level security a contract the caller may not read does
-- not exist for it (the *_access triggers refuse those first, with 42501).
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

-- A date the C code can count with (no infinity, years 1 to 9999), else 22008.
CREATE FUNCTION @extschema@.check_day(field text, value date)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value < date '0001-01-01' OR value > date '9999-12-31' THEN
        PERFORM @extschema@.raise_invalid('22008',
            format('%s must be a date in the years 1 to 9999, got %s', field, value));
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_day(text, date) IS
    'raises 22008 when a date is infinite or outside the years 1 to 9999 (internal)';

CREATE FUNCTION @extschema@.check_dates(later_field text, later date, earlier_field text, earlier date)
    RETURNS void LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.check_day(earlier_field, earlier);
    PERFORM @extschema@.check_day(later_field, later);
    IF later < earlier THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('%s must not be before %s, got %s %s and %s %s',
                   later_field, earlier_field, earlier_field, earlier, later_field, later));
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_dates(text, date, text, date) IS
    'raises 23514 when a date lies before the date it must follow (internal)';

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
    -- Guideline 5.1: deviating to 0 needs "gegronde redenen".
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
CREATE TRIGGER contract_validate BEFORE INSERT OR UPDATE ON @extschema@.contract
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_validate();

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
CREATE TRIGGER candidate_validate BEFORE INSERT OR UPDATE ON @extschema@.candidate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.candidate_validate();

-- Age in whole years on a date.
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

-- Guideline 3: the target group, at the activity's start (domain.md 4).
CREATE FUNCTION @extschema@.in_target_group(c @extschema@.candidate, on_date date) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(@extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) 'participatiewet'
        OR (@extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) 'ww'
            AND @extschema@.on_benefit_months(c, on_date, 6))
        OR @extschema@.benefit_on(c, on_date) OPERATOR(pg_catalog.=) ANY (ARRAY['wia', 'wao', 'wajong'])
        OR @extschema@.registered_on(c, on_date)
        OR c.education OPERATOR(pg_catalog.=) ANY (ARRAY['vso', 'pro', 'mbo1', 'mbo2'])
        OR (@extschema@.age_on(c.birth_date, on_date) OPERATOR(pg_catalog.>=) 50 AND c.job_seeking)
        OR c.statushouder, false);  -- false, not NULL, when e.g. education is NULL
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
        IF benefit <> 'ww' OR c.benefit_since IS NULL OR NOT @extschema@.on_benefit_months(c, on_date, 6) THEN
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

    -- The contract term (domain.md 3); 7.8: nothing starts after the end.
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
-- owner, so the caller's role is noted just before it (trigger activity_caller,
-- named to fire between activity_access and activity_validate), for
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
CREATE TRIGGER activity_caller BEFORE INSERT OR UPDATE ON @extschema@.activity
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

CREATE TRIGGER activity_validate BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_validate();

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

-- domain.md 7.11: a change to a candidate, or to a contract's term, must leave
-- every stored activity one the rules accept; the same rules as activity_validate
-- (check_activity_rules).  These run as the owner, as activity_validate does, to
-- see every activity of the person on any contract; a trigger function cannot be
-- called directly, and each checks the table it fired for.
CREATE FUNCTION @extschema@.candidate_recheck() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'candidate') OR TG_OP <> 'UPDATE' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('candidate_recheck fires only for each row updated in candidate, not on %s', TG_TABLE_NAME);
    END IF;
    FOR r IN
        SELECT x AS a, y AS k FROM @extschema@.activity AS x JOIN @extschema@.contract AS y ON y.id = x.contract_id
         WHERE x.candidate_id = NEW.id AND x.status <> 'rejected'
         ORDER BY x.id
    LOOP
        -- ROW(NEW.*): on a Citus shard NEW is of the shard's row type
        PERFORM @extschema@.check_activity_rules(r.a, r.k, ROW(NEW.*)::@extschema@.candidate, format('candidate %s', NEW.id));
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.candidate_recheck() IS
    'refuses a change to a candidate that would make one of its counted activities invalid (trigger, domain.md 7.11)';
REVOKE EXECUTE ON FUNCTION @extschema@.candidate_recheck() FROM PUBLIC;
CREATE TRIGGER candidate_recheck AFTER UPDATE ON @extschema@.candidate
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION @extschema@.candidate_recheck();

CREATE FUNCTION @extschema@.contract_recheck() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    IF NOT @extschema@.is_table_or_shard(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'contract') OR TG_OP <> 'UPDATE' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('contract_recheck fires only for each row updated in contract, not on %s', TG_TABLE_NAME);
    END IF;
    FOR r IN
        SELECT x AS a, y AS c FROM @extschema@.activity AS x LEFT JOIN @extschema@.candidate AS y ON y.id = x.candidate_id
         WHERE x.contract_id = NEW.id AND x.status <> 'rejected'
         ORDER BY x.id
    LOOP
        PERFORM @extschema@.check_activity_rules(r.a, ROW(NEW.*)::@extschema@.contract, r.c, format('contract %s', NEW.id));
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_recheck() IS
    'refuses a change to a contract''s term that would make one of its counted activities invalid (trigger, domain.md 7.11)';
REVOKE EXECUTE ON FUNCTION @extschema@.contract_recheck() FROM PUBLIC;
CREATE TRIGGER contract_recheck AFTER UPDATE OF starts_on, ends_on ON @extschema@.contract
    FOR EACH ROW WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on OR OLD.ends_on IS DISTINCT FROM NEW.ends_on)
    EXECUTE FUNCTION @extschema@.contract_recheck();

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
CREATE TRIGGER plan_validate BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('plan');
CREATE TRIGGER turnover_validate BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('turnover');
CREATE TRIGGER quarter_report_validate BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('quarter_report');
CREATE TRIGGER phasing_validate BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate('phasing');

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
CREATE TRIGGER rate_card_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rate_card
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('rate_card');
CREATE TRIGGER building_block_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.building_block
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('building_block');
CREATE TRIGGER pso_discount_rate_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.pso_discount_rate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard('pso_discount_rate');
