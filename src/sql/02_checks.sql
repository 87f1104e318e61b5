-- sroi install script, part 2a: the checks every validation uses (the validation of each
-- table stands beside it, 03_catalogue.sql, 04_tables.sql and the 06_ files).
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
