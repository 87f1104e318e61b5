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
--  - policies without subqueries: on one server the scoped policies read the scope in a
--    scalar subquery (an InitPlan, once per query: the macros of_managed_contract and
--    of_supplied_contract, 04_scope.sql) and the candidate SELECT policies look the
--    candidates up in the activities; Citus refuses both on distributed and reference
--    tables, so every policy of sroi's tables with a subquery is rewritten (ALTER POLICY,
--    on the coordinator and the workers) from its deparsed expression: the scope
--    subquery into the plain call, the candidate look-up into sroi.candidate_placed;
--    a policy that still has a subquery afterwards stops the call (55000);
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
    sch text := (SELECT quote_ident(n.nspname) FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace
                  WHERE e.extname = 'sroi');
    re text;
    pol record;
    q text;
    wc text;
    ddl text;
    bad text;
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

    -- the policies with subqueries, rewritten for Citus (see above); the workers' own
    -- copies of the tables have the same policies
    re := regexp_replace(sch, '([^A-Za-z0-9_])', '\\\1', 'g');  -- the schema's name, as a regular expression
    FOR pol IN
        SELECT po.polname, po.polrelid::regclass AS rel,
               pg_get_expr(po.polqual, po.polrelid) AS qual, pg_get_expr(po.polwithcheck, po.polrelid) AS wcheck
          FROM pg_policy AS po
          JOIN sroi_distribute_plan AS p ON p.rel = po.polrelid
         WHERE po.polqual::text LIKE '%{SUBLINK%' OR po.polwithcheck::text LIKE '%{SUBLINK%'
         ORDER BY po.polrelid::regclass::text, po.polname
    LOOP
        q := pol.qual;
        wc := pol.wcheck;
        -- (SELECT sroi.scope_x() AS scope_x)::text[]  ->  sroi.scope_x()
        q := regexp_replace(q, '\(\s*SELECT (' || re || '\.scope_(municipalities|suppliers)\(\)) AS scope_\w+\)::text\[\]', '\1', 'g');
        wc := regexp_replace(wc, '\(\s*SELECT (' || re || '\.scope_(municipalities|suppliers)\(\)) AS scope_\w+\)::text\[\]', '\1', 'g');
        -- id IN (SELECT a.candidate_id FROM (sroi.contract k JOIN sroi.activity a ON ((a.contract_id = k.id)))
        --        WHERE (k.K = ANY (sroi.scope_x())))  ->  sroi.candidate_placed(id, 'K', CURRENT_USER)
        q := regexp_replace(q, 'id IN \(\s*SELECT a\.candidate_id\s+FROM \(' || re || '\.contract k\s+JOIN ' || re
                               || '\.activity a ON \(\(a\.contract_id = k\.id\)\)\)\s+WHERE \(k\.(municipality|supplier) = ANY \('
                               || re || '\.scope_\w+\(\)\)\)\)', sch || '.candidate_placed(id, ''\1'', CURRENT_USER)', 'g');
        ddl := format('ALTER POLICY %I ON %s', pol.polname, pol.rel)
               || CASE WHEN q IS NOT NULL THEN format(' USING (%s)', q) ELSE '' END
               || CASE WHEN wc IS NOT NULL THEN format(' WITH CHECK (%s)', wc) ELSE '' END;
        EXECUTE ddl;
        SELECT string_agg(format('%s:%s: %s', w.nodename, w.nodeport, w.result), '; ') INTO bad
          FROM run_command_on_workers(ddl) AS w WHERE NOT w.success;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = format('sroi.distribute(): policy %s on %s could not be rewritten on a worker: %s', pol.polname, pol.rel, bad);
        END IF;
        table_name := pol.rel; layout := NULL;
        done := format('policy %s: subqueries rewritten as function calls for Citus', pol.polname);
        RETURN NEXT;
    END LOOP;
    SELECT string_agg(format('%s on %s', po.polname, po.polrelid::regclass), ', ') INTO bad
      FROM pg_policy AS po
      JOIN sroi_distribute_plan AS p ON p.rel = po.polrelid
     WHERE po.polqual::text LIKE '%{SUBLINK%' OR po.polwithcheck::text LIKE '%{SUBLINK%';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('sroi.distribute(): policies with a subquery Citus refuses are left: %s', bad),
            HINT = 'Write the policy so that sroi.distribute() can rewrite it (12_citus.sql).';
    END IF;

    -- the foreign keys between sroi's tables, dropped until every table is converted
    FOR t IN
        SELECT con.conname, con.conrelid::regclass AS rel, pg_get_constraintdef(con.oid) AS def
          FROM pg_constraint AS con
          JOIN sroi_distribute_plan AS p ON p.rel = con.conrelid
         WHERE con.contype = 'f' AND NOT (con.conrelid = ANY (already) AND con.confrelid = ANY (already))
         ORDER BY con.conrelid::regclass::text, con.conname
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
         ORDER BY p.oid::regprocedure::text
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
    'on a Citus coordinator: makes every contract-keyed table of sroi distributed by contract (contract by id, the others by contract_id, colocated) and every other table a reference table, keeping triggers, foreign keys and policies (policies with subqueries rewritten into function calls, which Citus takes); returns what it did per table and policy; a second call changes nothing (already distributed); without Citus raises 55000';
