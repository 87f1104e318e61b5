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
--  - citus.allow_nested_distributed_execution on the functions that, from a shard, read
--    other shards or a reference table: the trigger functions, the scope look-ups of the
--    policies, the no-double-counting check.
-- Single-node users never call it; nothing else in sroi depends on Citus.
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

    IF NOT EXISTS (SELECT 1 FROM sroi_distribute_plan AS p WHERE p.rel <> ALL (already)) THEN
        RETURN QUERY SELECT p.rel, p.how, 'already distributed'::text FROM sroi_distribute_plan AS p
                      ORDER BY p.ord, p.rel::text;
        RETURN;
    END IF;

    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    -- DDL and the copies one connection per node, in this transaction
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);

    -- the foreign keys between sroi's tables, dropped until every table is converted
    FOR t IN
        SELECT con.conname, con.conrelid::regclass AS rel, pg_get_constraintdef(con.oid) AS def
          FROM pg_constraint AS con
          JOIN sroi_distribute_plan AS p ON p.rel = con.conrelid
         WHERE con.contype = 'f' AND NOT (con.conrelid = ANY (already) AND con.confrelid = ANY (already))
         ORDER BY 2::text, 1
    LOOP
        fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', t.rel, t.conname, t.def);
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t.rel, t.conname);
        -- the workers' own copies of the tables (CREATE EXTENSION ran there too) have it as
        -- well; adding it back on the coordinator adds it there and on every shard
        PERFORM run_command_on_workers(format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', t.rel, t.conname));
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
         ORDER BY 1::text
    LOOP
        fk := format('ALTER FUNCTION %s SET citus.allow_nested_distributed_execution = on', f);
        EXECUTE fk;
        PERFORM run_command_on_workers(fk);
    END LOOP;
    RETURN;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.distribute() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes every contract-keyed table of sroi distributed by contract (contract by id, the others by contract_id, colocated) and every other table a reference table, keeping triggers, foreign keys and policies; returns what it did per table; a second call changes nothing (already distributed); without Citus raises 55000';
