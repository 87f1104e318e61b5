-- Stand-ins for the pgTAP functions the validation suites use (throws_ok, lives_ok, is, ok),
-- for running a suite statement by statement in autocommit on the Citus cluster
-- (test/citus/03_sroi_demo.sh): pgTAP's own functions keep their state in the session, and
-- Citus pushes a router query that calls them down to a worker, where that state is
-- missing.  Temporary functions stay on the coordinator.  Each prints one TAP line.
CREATE FUNCTION pg_temp.throws(q text, state text, msg text DEFAULT NULL, descr text DEFAULT NULL)
    RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s text;
    m text;
BEGIN
    BEGIN
        EXECUTE q;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT;
        IF s = state AND (msg IS NULL OR m = msg) THEN
            RETURN 'ok - ' || coalesce(descr, q);
        END IF;
        RETURN format('not ok - %s # got %s: %s; expected %s: %s', coalesce(descr, q), s, m, state, msg);
    END;
    RETURN format('not ok - %s # no error; expected %s: %s', coalesce(descr, q), state, msg);
END $$;
CREATE FUNCTION pg_temp.lives(q text, descr text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s text;
    m text;
BEGIN
    EXECUTE q;
    RETURN 'ok - ' || coalesce(descr, q);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, m = MESSAGE_TEXT;
    RETURN format('not ok - %s # got %s: %s', coalesce(descr, q), s, m);
END $$;
CREATE FUNCTION pg_temp.is_(got anyelement, want anyelement, descr text DEFAULT NULL) RETURNS text
    LANGUAGE sql AS $$
    SELECT CASE WHEN got IS NOT DISTINCT FROM want THEN 'ok - ' || coalesce(descr, '')
                ELSE format('not ok - %s # got %s, expected %s', descr, got, want) END
$$;
CREATE FUNCTION pg_temp.ok_(cond boolean, descr text DEFAULT NULL) RETURNS text
    LANGUAGE sql AS $$
    SELECT CASE WHEN cond THEN 'ok - ' || coalesce(descr, '')
                ELSE format('not ok - %s # got %s', descr, coalesce(cond::text, 'NULL')) END
$$;
CREATE TEMP TABLE dual (x integer);
INSERT INTO pg_temp.dual VALUES (1);
