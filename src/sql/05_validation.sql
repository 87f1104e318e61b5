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

-- Contracts: domain.md 1, and the pinning of the rate card (domain.md 2).
CREATE FUNCTION @extschema@.contract_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.check_number('contract_value', NEW.contract_value, 0, NULL, 2, 'at least 0');
    PERFORM @extschema@.check_dates('ends_on', NEW.ends_on, 'starts_on', NEW.starts_on);
    PERFORM @extschema@.check_dates('awarded_on', NEW.awarded_on, 'tendered_on', NEW.tendered_on);
    PERFORM @extschema@.check_day('kickoff_on', NEW.kickoff_on);
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

-- Guideline 3: the target group, at the activity's start (domain.md 4).
CREATE FUNCTION @extschema@.in_target_group(c @extschema@.candidate, on_date date) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(c.benefit OPERATOR(pg_catalog.=) 'participatiewet'
        OR (c.benefit OPERATOR(pg_catalog.=) 'ww'
            AND c.benefit_since OPERATOR(pg_catalog.+) interval '6 months' OPERATOR(pg_catalog.<) on_date)
        OR c.benefit OPERATOR(pg_catalog.=) ANY (ARRAY['wia', 'wao', 'wajong'])
        OR c.doelgroepregister
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
    on_benefit_24m boolean := c.benefit_since + interval '24 months' <= on_date;
    age integer := @extschema@.age_on(c.birth_date, on_date);
    indication_valid boolean := c.indication_until IS NULL OR c.indication_until >= on_date;
BEGIN
    IF rule IN ('none', 'bonus_56plus', 'bonus_special') THEN
        -- bonuses are a property of the person, whatever the block (checked below)
        RETURN NULL;
    END IF;
    IF NOT @extschema@.in_target_group(c, on_date) THEN
        RETURN 'is not in the target group of guideline 3 at the start';
    END IF;
    IF rule IN ('participatiewet_24m_plus', 'participatiewet_under_24m') THEN
        IF c.benefit <> 'participatiewet' THEN
            RETURN format('needs a Participatiewet benefit, has %s', c.benefit);
        ELSIF c.benefit_since IS NULL THEN
            RETURN 'needs benefit_since to tell 24 months or more (A1) from under 24 months (A2)';
        ELSIF rule = 'participatiewet_24m_plus' AND NOT on_benefit_24m THEN
            RETURN format('is on benefit since %s, under 24 months at the start (block A2 applies)', c.benefit_since);
        ELSIF rule = 'participatiewet_under_24m' AND on_benefit_24m THEN
            RETURN format('is on benefit since %s, 24 months or more at the start (block A1 applies)', c.benefit_since);
        END IF;
    ELSIF rule = 'ww_over_6m' THEN
        IF c.benefit <> 'ww' OR c.benefit_since IS NULL
           OR NOT c.benefit_since + interval '6 months' < on_date THEN
            RETURN format('needs WW for more than 6 months at the start, has %s since %s',
                          c.benefit, coalesce(c.benefit_since::text, 'an unknown date'));
        END IF;
    ELSIF rule = 'doelgroepregister' THEN
        IF NOT c.doelgroepregister OR NOT indication_valid THEN
            RETURN format('needs a doelgroepregister indication valid at the start (doelgroepregister %s, indication_until %s)',
                          c.doelgroepregister::text, coalesce(c.indication_until::text, 'NULL'));
        END IF;
    ELSIF rule = 'beschut_werk' THEN
        IF NOT c.beschut_werk OR NOT indication_valid THEN
            RETURN format('needs a beschut werk indication valid at the start (beschut_werk %s, indication_until %s)',
                          c.beschut_werk::text, coalesce(c.indication_until::text, 'NULL'));
        END IF;
    ELSIF rule = 'wia_wao' THEN
        IF c.benefit NOT IN ('wia', 'wao') THEN
            RETURN format('needs a WIA or WAO benefit, has %s', c.benefit);
        END IF;
    ELSIF rule = 'mbo_under_23' THEN
        IF coalesce(c.education, '') NOT IN ('mbo1', 'mbo2') OR age >= 23 THEN
            RETURN format('needs an MBO student under 23 at the start, has education %s at age %s',
                          coalesce(c.education, 'NULL'), age);
        END IF;
    ELSIF rule = 'participatiewet_or_ww' THEN
        IF c.benefit NOT IN ('participatiewet', 'ww') THEN
            RETURN format('needs a Participatiewet or WW benefit, has %s', c.benefit);
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
BEGIN
    IF bonus = 'bonus_56plus' AND NOT (age >= 56 AND (c.benefit = 'participatiewet' OR c.doelgroepregister)) THEN
        RETURN format('needs a person of 56 or older at the start in Participatiewet or the doelgroepregister, has age %s, benefit %s, doelgroepregister %s',
                      age, c.benefit, c.doelgroepregister::text);
    ELSIF bonus = 'bonus_special' AND NOT c.special_group THEN
        RETURN 'needs a person the SR coordinator recognises as a special group (special_group is false)';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.bonus_failure(text, @extschema@.candidate, date) IS
    'NULL when a candidate qualifies for bonus 12 or 13 on a date, else why not (domain.md 4)';

-- Activities: the per-unit fields, the contract term (domain.md 3), the rules of
-- domain.md 4, and no double counting of one person's fte.
CREATE FUNCTION @extschema@.activity_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
    card @extschema@.rate_card;
    b @extschema@.building_block;
    c @extschema@.candidate;
    failure text;
BEGIN
    SELECT * INTO k FROM @extschema@.contract WHERE id = NEW.contract_id;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('23503', format('contract_id %L does not exist', NEW.contract_id));
    END IF;
    NEW.rate_card := k.rate_card;
    SELECT * INTO card FROM @extschema@.rate_card WHERE code = k.rate_card;
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
    IF b.unit = 'fte_period' THEN
        IF NEW.fte IS NULL THEN
            PERFORM @extschema@.raise_invalid('23502', format('fte is required for block %s', b.code));
        END IF;
        IF NEW.fte <= 0 OR NEW.fte > 1 OR NEW.fte = 'NaN' THEN
            PERFORM @extschema@.raise_invalid('22003',
                format('fte must be greater than 0 and at most 1, got %s', NEW.fte));
        END IF;
        PERFORM @extschema@.check_number('fte', NEW.fte, 0, 1, 4, 'greater than 0 and at most 1');
    ELSIF b.unit = 'agreement' AND NEW.planned_ends_on IS NULL AND NEW.ends_on IS NULL THEN
        PERFORM @extschema@.raise_invalid('23502',
            format('planned_ends_on or ends_on is required for block %s: its value accrues over the planned days of the agreement', b.code));
    END IF;
    IF b.unit = 'hour' THEN
        IF NEW.hours IS NULL OR NEW.hours <= 0 OR NEW.hours = 'NaN' THEN
            PERFORM @extschema@.raise_invalid(CASE WHEN NEW.hours IS NULL THEN '23502' ELSE '22003' END,
                format('hours must be greater than 0 for block %s, got %s', b.code, coalesce(NEW.hours::text, 'NULL')));
        END IF;
        PERFORM @extschema@.check_number('hours', NEW.hours, 0, 1000000, 4, 'greater than 0 and at most 1000000');
    ELSIF NEW.hours IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('hours are only recorded for hour blocks, got %s for block %s', NEW.hours, b.code));
    END IF;
    IF b.unit IN ('invoice', 'negotiated') THEN
        IF NEW.amount IS NULL OR NEW.amount <= 0 OR NEW.amount = 'NaN' THEN
            PERFORM @extschema@.raise_invalid(CASE WHEN NEW.amount IS NULL THEN '23502' ELSE '22003' END,
                format('amount must be greater than 0 for block %s, got %s', b.code, coalesce(NEW.amount::text, 'NULL')));
        END IF;
        PERFORM @extschema@.check_number('amount', NEW.amount, 0, 999999999999.99, 2, 'greater than 0 and at most 999999999999.99');
    ELSIF NEW.amount IS NOT NULL THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('amount is only recorded for invoice and negotiated blocks, got %s for block %s', NEW.amount, b.code));
    END IF;

    -- The contract term (domain.md 3).
    IF NEW.starts_on > k.ends_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('starts_on %s lies after the end of contract %s (%s)', NEW.starts_on, k.id, k.ends_on));
    END IF;
    IF b.unit IN ('fte_period', 'agreement')
       AND NEW.starts_on < k.starts_on - make_interval(months => card.hire_before_start_months) THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('starts_on %s lies more than %s months before the start of contract %s (%s)',
                   NEW.starts_on, card.hire_before_start_months, k.id, k.starts_on),
            'A person hired at most 12 months before the contract start counts from the start; earlier hires do not count.');
    ELSIF b.unit NOT IN ('fte_period', 'agreement') AND NEW.starts_on < k.starts_on THEN
        PERFORM @extschema@.raise_invalid('23514',
            format('starts_on %s lies before the start of contract %s (%s)', NEW.starts_on, k.id, k.starts_on));
    END IF;

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
        -- a rejected row never counts: the coordinator may reject it even when it no longer fits
        IF NEW.eligibility_override IS NULL AND NEW.status <> 'rejected' THEN
            failure := coalesce(@extschema@.eligibility_failure(b.eligibility, c, NEW.starts_on),
                                CASE WHEN NEW.bonus_56plus THEN @extschema@.bonus_failure('bonus_56plus', c, NEW.starts_on) END,
                                CASE WHEN NEW.bonus_special THEN @extschema@.bonus_failure('bonus_special', c, NEW.starts_on) END);
            IF failure IS NOT NULL THEN
                PERFORM @extschema@.raise_invalid('23514',
                    format('candidate %s is not eligible for block %s%s: %s', c.id, b.code,
                           CASE WHEN NEW.bonus_56plus OR NEW.bonus_special THEN ' with its bonus' ELSE '' END, failure),
                    'Only the SR coordinator can count it anyway, with a reason in eligibility_override (domain.md 4).');
            END IF;
        END IF;
        IF b.unit = 'fte_period' AND NEW.status <> 'rejected' THEN
            PERFORM @extschema@.check_fte_overlap(NEW.id, NEW.candidate_id, NEW.fte, NEW.starts_on, NEW.ends_on);
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.activity_validate() IS 'validates an activity row against its block, contract and candidate (trigger)';

-- No double counting (domain.md 4): at no day may one person's fte over all
-- fte_period activities that are not rejected, across all contracts, exceed 1.
-- The load is highest on some activity's first day, so only those are tried.
CREATE FUNCTION @extschema@.check_fte_overlap(activity_id bigint, person text, fte numeric,
                                              starts_on date, ends_on date)
    RETURNS void LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    worst record;
BEGIN
    WITH spans AS (
        SELECT a.fte, a.starts_on, coalesce(a.ends_on, 'infinity') AS ends_on
          FROM @extschema@.activity AS a
          JOIN @extschema@.contract AS k ON k.id = a.contract_id
          JOIN @extschema@.building_block AS b ON b.rate_card = k.rate_card AND b.code = a.block
         WHERE a.candidate_id = person AND b.unit = 'fte_period' AND a.status <> 'rejected'
           AND a.id IS DISTINCT FROM activity_id
           AND a.starts_on <= coalesce(check_fte_overlap.ends_on, 'infinity')
           AND coalesce(a.ends_on, 'infinity') >= check_fte_overlap.starts_on
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
        PERFORM @extschema@.raise_invalid('23514',
            format('fte of candidate %s would total %s on %s over overlapping activities, more than 1',
                   person, worst.load, worst.day),
            'One person counts for at most 1 fte at a time, across all contracts (domain.md 4).');
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_fte_overlap(bigint, text, numeric, date, date) IS
    'raises 23514 when a person''s fte over overlapping fte_period activities would exceed 1 on some day (internal)';

CREATE TRIGGER activity_validate BEFORE INSERT OR UPDATE ON @extschema@.activity
    FOR EACH ROW EXECUTE FUNCTION @extschema@.activity_validate();

-- Plans, turnover, reports and phasing.
CREATE FUNCTION @extschema@.contract_fact_validate() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k @extschema@.contract;
BEGIN
    SELECT * INTO k FROM @extschema@.contract WHERE id = NEW.contract_id;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('23503', format('contract_id %L does not exist', NEW.contract_id));
    END IF;
    IF TG_TABLE_NAME = 'plan' THEN
        PERFORM @extschema@.check_number('planned_value', NEW.planned_value, 0, 999999999999.99, 2, 'from 0 to 999999999999.99');
        IF NOT EXISTS (SELECT FROM @extschema@.building_block WHERE rate_card = k.rate_card AND code = NEW.block) THEN
            PERFORM @extschema@.raise_invalid('23503',
                format('block %L is not on rate card %s of contract %s', NEW.block, k.rate_card, k.id));
        END IF;
    ELSIF TG_TABLE_NAME = 'turnover' THEN
        PERFORM @extschema@.check_number('amount', NEW.amount, 0, 999999999999.99, 2, 'from 0 to 999999999999.99');
    ELSIF TG_TABLE_NAME = 'quarter_report' THEN
        PERFORM @extschema@.check_day('submitted_on', NEW.submitted_on);
        IF NEW.submitted_on < @extschema@.quarter_start(NEW.quarter) THEN
            PERFORM @extschema@.raise_invalid('23514',
                format('submitted_on %s lies before quarter %s began', NEW.submitted_on, NEW.quarter));
        END IF;
    ELSIF TG_TABLE_NAME = 'phasing' THEN
        PERFORM @extschema@.check_day('from_date', NEW.from_date);
        PERFORM @extschema@.check_number('cumulative_share', NEW.cumulative_share, 0, 1, NULL, 'from 0 to 1');
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@.contract_fact_validate() IS 'validates plan, turnover, quarter_report and phasing rows (trigger)';
CREATE TRIGGER plan_validate BEFORE INSERT OR UPDATE ON @extschema@.plan
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate();
CREATE TRIGGER turnover_validate BEFORE INSERT OR UPDATE ON @extschema@.turnover
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate();
CREATE TRIGGER quarter_report_validate BEFORE INSERT OR UPDATE ON @extschema@.quarter_report
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate();
CREATE TRIGGER phasing_validate BEFORE INSERT OR UPDATE ON @extschema@.phasing
    FOR EACH ROW EXECUTE FUNCTION @extschema@.contract_fact_validate();

-- Rate cards: shipped rows are read-only, and a card a contract uses cannot change.
CREATE FUNCTION @extschema@.rate_card_guard() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    card_key text := CASE WHEN TG_TABLE_NAME = 'rate_card' THEN 'code' ELSE 'rate_card' END;
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
        IF TG_TABLE_NAME = 'rate_card' THEN
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
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard();
CREATE TRIGGER building_block_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.building_block
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard();
CREATE TRIGGER pso_discount_rate_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.pso_discount_rate
    FOR EACH ROW EXECUTE FUNCTION @extschema@.rate_card_guard();
