-- sroi install script, part 12: past one server, on a Citus cluster (README "Citus").
--
-- sroi.distribute() lays sroi's tables out over a Citus cluster: every contract-keyed
-- table (a column contract_id) distributed by its contract and colocated with
-- sroi.contract (distributed by id), so that everything about one contract is on one
-- shard; the person lock's slots (04_tables.sql) distributed by slot; every other table (the
-- rate card catalogue, candidates, role scopes) a reference table, copied to every node.  Data-driven: every table of the extension,
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
--    policies, the no-double-counting check;
--  - the column privileges of the roles on every shard (an event trigger on every node),
--    and on the workers' copies of the reference tables as table privileges;
--  - each worker's identity sequences in a range of their own;
--  - the report functions (SQL functions that read a distributed table) in PL/pgSQL.
-- Single-node users never call it; nothing else in sroi depends on Citus.
-- The column privileges of one of sroi's tables, as GRANT commands with %s for the table
-- or shard they are to be granted on, one per grantee.  For a shard (shard true) an
-- INSERT privilege also covers the columns that have a default: Citus names every column
-- of the coordinator's INSERT in the one it sends to the shard, the defaults filled in
-- (`INSERT INTO sroi.activity_102081 (id, contract_id, ..., status, created_at)`), so a
-- supplier's INSERT would be refused on the shard for status and created_at.  What
-- the caller may write is checked on the coordinator against the table's own column
-- privileges; on the shard the row-level security (status 'reported', no override)
-- and the triggers hold as on one server.
CREATE FUNCTION @extschema@.column_privileges(rel regclass, shard boolean) RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT format('GRANT %s ON %%s TO %s', string_agg(format('%s (%s)', g.priv, g.cols), ', ' ORDER BY g.priv), g.grantee)
      FROM (SELECT p.priv, p.grantee, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
              FROM (SELECT DISTINCT x.privilege_type AS priv,
                           CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
                      FROM pg_attribute AS a
                      CROSS JOIN LATERAL aclexplode(a.attacl) AS x
                      LEFT JOIN pg_roles AS r ON r.oid = x.grantee
                     WHERE a.attrelid = column_privileges.rel AND a.attnum > 0 AND NOT a.attisdropped
                       AND a.attacl IS NOT NULL) AS p
              JOIN pg_attribute AS a ON a.attrelid = column_privileges.rel AND a.attnum > 0 AND NOT a.attisdropped
             WHERE EXISTS (SELECT 1 FROM aclexplode(a.attacl) AS x LEFT JOIN pg_roles AS r ON r.oid = x.grantee
                            WHERE x.privilege_type = p.priv
                              AND CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END = p.grantee)
                OR (column_privileges.shard AND p.priv = 'INSERT' AND (a.atthasdef OR a.attidentity <> ''))
             GROUP BY p.priv, p.grantee) AS g
     GROUP BY g.grantee
     ORDER BY g.grantee;
END;
REVOKE EXECUTE ON FUNCTION @extschema@.column_privileges(regclass, boolean) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.column_privileges(regclass, boolean) IS
    'the column privileges of a table as GRANT commands, one per grantee, with %s for the table or shard to grant them on; for a shard INSERT also on the columns with a default (internal, Citus)';

-- Event trigger (created by sroi.distribute() on every node): a new table in sroi's
-- schema named like one of sroi's tables with a shard number (activity_102090) is a
-- Citus shard of it and gets that table's column privileges.  Only a role with CREATE
-- on sroi's schema (none but the owner) can make such a table.
CREATE FUNCTION @extschema@.shard_column_privileges() RETURNS event_trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c record;
    g text;
BEGIN
    FOR c IN
        SELECT DISTINCT s.oid::regclass AS shard, t.oid::regclass AS rel
          FROM pg_event_trigger_ddl_commands() AS e
          JOIN pg_class AS s ON s.oid = e.objid
          JOIN pg_class AS t ON t.relnamespace = s.relnamespace AND t.relname = regexp_replace(s.relname, '_[0-9]+$', '')
          JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = t.oid
                             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
          JOIN pg_extension AS x ON x.oid = d.refobjid AND x.extname = 'sroi'
         WHERE e.classid = 'pg_class'::regclass AND e.object_type = 'table' AND s.relname ~ '_[0-9]+$'
    LOOP
        FOR g IN SELECT @extschema@.column_privileges(c.rel, true)
        LOOP
            EXECUTE format(g, c.shard);
        END LOOP;
    END LOOP;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.shard_column_privileges() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.shard_column_privileges() IS
    'event trigger function (sroi.distribute() attaches it on every Citus node): gives a new Citus shard of sroi''s tables the column privileges of its table (internal, Citus)';

-- A command run on every Citus worker through run_command_on_workers, which reports a
-- worker's failure as a row (success false) instead of raising it: raises 55000 with
-- failure and the failing nodes and their errors ('host:port: error', '; ' between).
-- The Citus function is looked up when this runs: the install script loads without Citus.
CREATE FUNCTION @extschema@.run_on_workers(command text, failure text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.format('%s:%s: %s', w.nodename, w.nodeport, w.result), '; ') INTO bad
      FROM pg_catalog.run_command_on_workers(run_on_workers.command) AS w WHERE NOT w.success;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('%s: %s', run_on_workers.failure, bad);
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.run_on_workers(text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.run_on_workers(text, text) IS
    'runs a command on every Citus worker (run_command_on_workers) and raises 55000 with the given failure text and the failing nodes'' errors if it fails on any (internal, Citus)';

CREATE FUNCTION @extschema@.distribute()
    RETURNS TABLE (table_name regclass, layout text, done text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ext oid := (SELECT e.oid FROM pg_extension AS e WHERE e.extname = 'sroi');
    t record;
    f regprocedure;
    retset boolean;
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
    cmds text[];
    placements bigint;
    propagate text;
    fn text;
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
                -- the person lock (04_tables.sql): its slots over the nodes
                WHEN c.relname = 'person_lock' THEN 'distributed by slot'
                WHEN EXISTS (SELECT 1 FROM pg_attribute AS a
                              WHERE a.attrelid = c.oid AND a.attname = 'contract_id' AND NOT a.attisdropped)
                THEN 'distributed by contract_id, colocated with contract'
                ELSE 'reference' END,
           CASE WHEN c.relname = 'contract' THEN 1
                WHEN c.relname = 'person_lock' THEN 3
                WHEN EXISTS (SELECT 1 FROM pg_attribute AS a
                              WHERE a.attrelid = c.oid AND a.attname = 'contract_id' AND NOT a.attisdropped) THEN 2
                ELSE 0 END
      FROM pg_class AS c
      JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                         AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e'
     WHERE c.relkind IN ('r', 'p');

    <<convert>>
    BEGIN
    IF NOT EXISTS (SELECT 1 FROM sroi_distribute_plan AS p WHERE p.rel <> ALL (already)) THEN
        RETURN QUERY SELECT p.rel, p.how, 'already distributed'::text FROM sroi_distribute_plan AS p
                      ORDER BY p.ord, p.rel::text;
        EXIT convert;
    END IF;

    -- The figures cache (07_monitoring.sql) is not for the cluster yet: its triggers would
    -- write across shards and to a reference table from a shard, and its refresh reads
    -- every value line.  Its triggers go (on every node, while the tables are local), its
    -- rows are emptied, and sroi.refresh_figures() then refuses; the reports compute.
    -- (the triggers that call sroi.figures_stale, whatever their names)  The workers' own
    -- copies only while a table is local: a distributed table's statement here reaches its
    -- shards and the workers (and a worker refuses DDL on it: EnsureCoordinator).
    FOR t IN SELECT trg.tgrelid::regclass AS rel, format('DROP TRIGGER IF EXISTS %I ON %s', trg.tgname, trg.tgrelid::regclass) AS cmd
               FROM pg_trigger AS trg
              WHERE trg.tgfoid = '@extschema@.figures_stale()'::regprocedure
             UNION ALL
             SELECT f.rel, format('DELETE FROM %s', f.rel)
               FROM unnest(ARRAY[format('%s.quarter_figures', sch)::regclass,
                                 format('%s.contract_figures', sch)::regclass,
                                 format('%s.municipality_figures', sch)::regclass,
                                 format('%s.outcome_figures', sch)::regclass,
                                 format('%s.figures_state', sch)::regclass]) AS f (rel)
    LOOP
        EXECUTE t.cmd;
        IF t.rel <> ALL (already) THEN
            PERFORM @extschema@.run_on_workers(t.cmd, format('sroi.distribute(): %s failed on a worker', t.cmd));
        END IF;
    END LOOP;
    table_name := format('%s.contract_figures', sch)::regclass; layout := NULL;
    done := 'figures cache off on Citus: triggers *_figures_stale dropped, sroi.refresh_figures() refuses';
    RETURN NEXT;

    -- Column privileges (04_tables.sql: the INSERT and UPDATE column lists of suppliers,
    -- contract managers and coordinators).  Citus copies a table's privileges to its
    -- shards but not those of its columns, and refuses a column GRANT on a distributed
    -- table (`grant/revoke on column list is currently unsupported`); without them every
    -- write of those roles is refused on a shard (`permission denied for table
    -- activity_102090`).  An event trigger on every node (a member of sroi, dropped with
    -- it) gives each new shard of sroi's tables its table's column privileges as Citus
    -- creates it, now and when the rebalancer moves or copies one later.  The workers'
    -- copy is committed by run_command_on_workers before this transaction makes the shards.
    ddl := format('CREATE EVENT TRIGGER sroi_shard_column_privileges ON ddl_command_end WHEN TAG IN (''CREATE TABLE'')'
                  ' EXECUTE FUNCTION %s.shard_column_privileges()', sch);
    ddl := format('DO $do$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_event_trigger WHERE evtname = %L) THEN %s;'
                  ' ALTER EXTENSION sroi ADD EVENT TRIGGER sroi_shard_column_privileges; END IF; END$do$',
                  'sroi_shard_column_privileges', ddl);
    EXECUTE ddl;
    PERFORM @extschema@.run_on_workers(ddl,
        'sroi.distribute(): the event trigger for the shards'' column privileges could not be created on a worker');
    table_name := NULL; layout := NULL;
    done := 'event trigger sroi_shard_column_privileges on every node: each new shard gets its table''s column privileges';
    RETURN NEXT;
    -- A write to a reference table first locks its shard on a worker with
    -- lock_shard_resources(), which checks a table-level INSERT, UPDATE or DELETE privilege
    -- on the worker's copy of the table (`permission denied for table candidate`): a column
    -- privilege does not count.  On the workers' copies (through which no row is read or
    -- written: a query there goes to the shards, whose column privileges hold) each
    -- column privilege of a reference table is granted on the whole table.
    FOR t IN
        SELECT p.rel, format('GRANT %s ON %s TO %s', string_agg(DISTINCT x.privilege_type, ', '), p.rel,
                             CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END) AS cmd
          FROM sroi_distribute_plan AS p
          JOIN pg_attribute AS a ON a.attrelid = p.rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
          CROSS JOIN LATERAL aclexplode(a.attacl) AS x
          LEFT JOIN pg_roles AS r ON r.oid = x.grantee
         WHERE p.how = 'reference' AND x.privilege_type IN ('INSERT', 'UPDATE')
         GROUP BY p.rel, x.grantee, r.rolname
         ORDER BY p.rel::text, cmd
    LOOP
        PERFORM @extschema@.run_on_workers(t.cmd, format('sroi.distribute(): %s failed on a worker', t.cmd));
        table_name := t.rel; layout := NULL;
        done := format('on the workers'' copy (for lock_shard_resources): %s', t.cmd);
        RETURN NEXT;
    END LOOP;

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
        PERFORM @extschema@.run_on_workers(ddl,
            format('sroi.distribute(): policy %s on %s could not be rewritten on a worker', pol.polname, pol.rel));
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
        -- well; adding it back on the coordinator adds it there and on every shard.  A table
        -- already distributed (a later call, a table added since) has it dropped on the
        -- workers by the statement above, and a worker refuses DDL on it (EnsureCoordinator).
        IF t.rel <> ALL (already) THEN
            q := format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', t.rel, t.conname);
            PERFORM @extschema@.run_on_workers(q, format('sroi.distribute(): %s failed on a worker', q));
        END IF;
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
        ELSIF t.how = 'distributed by slot' THEN
            PERFORM create_distributed_table(t.rel, 'slot', colocate_with => 'none');
        ELSE
            PERFORM create_distributed_table(t.rel, 'contract_id', colocate_with => '@extschema@.contract');
        END IF;
        EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', t.rel);
        -- the coordinator's own placements (of a reference table) are made without the
        -- event trigger firing: their column privileges here
        FOR q IN EXECUTE 'SELECT shard_name(s.logicalrelid, s.shardid) FROM pg_dist_shard AS s
                            JOIN pg_dist_placement AS pl ON pl.shardid = s.shardid
                           WHERE s.logicalrelid = $1 AND pl.groupid = (SELECT groupid FROM pg_dist_local_group)'
                     USING t.rel
        LOOP
            FOR ddl IN SELECT @extschema@.column_privileges(t.rel, true)
            LOOP
                EXECUTE format(ddl, q);
            END LOOP;
        END LOOP;
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
                                  '@extschema@.check_fte_overlap(bigint, text, numeric, daterange)'::regprocedure,
                                  '@extschema@.lock_person(text, boolean)'::regprocedure,
                                  -- called by settlement_possible_from in a query over the
                                  -- contract, so on its shard: reads that contract's rows
                                  '@extschema@.settlement_reports(text)'::regprocedure,
                                  '@extschema@.candidate_placed(text, text, name)'::regprocedure,
                                  '@extschema@.plan_version_proposed(text, integer)'::regprocedure])
         ORDER BY p.oid::regprocedure::text
    LOOP
        fk := format('ALTER FUNCTION %s SET citus.allow_nested_distributed_execution = on', f);
        EXECUTE fk;
        PERFORM @extschema@.run_on_workers(fk, format('sroi.distribute(): %s failed on a worker', fk));
    END LOOP;

    -- The report functions (the as-of functions FN_for that src/tools/expand.awk derives
    -- from the views, contract_targets, settlement_reports ...): SQL functions whose body
    -- reads a distributed table.  Citus plans such a body with its parameters
    -- (`parameterized queries for SQL functions referencing distributed tables are not
    -- supported`), also when the function is called with constants; a PL/pgSQL function
    -- runs the same query with the values.  Each becomes, on every node, PL/pgSQL with
    -- RETURN QUERY and its deparsed body (deparsed here under search_path pg_catalog, so
    -- every name of sroi's is qualified), the same signature and attributes: one source,
    -- the view's query.  (On one server they stay SQL: inlined into the caller, a BI
    -- tool's filter reaches their scans.)  Functions of one statement (a body of more
    -- would not compile as one RETURN QUERY: the call stops on its error); one returning
    -- a value (settlement_possible_from) RETURNs its query as a scalar subquery, as the
    -- SQL function gives its first row's value (each such query is of one contract: one
    -- row).  A function whose body is an expression over its arguments (RETURN ...)
    -- reads no table and stays.
    FOR f IN
        SELECT p.oid::regprocedure
          FROM pg_proc AS p
          JOIN pg_depend AS d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                             AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e'
         WHERE p.prosqlbody IS NOT NULL AND (p.proretset OR pg_get_functiondef(p.oid) LIKE E'%\nBEGIN ATOMIC\n%')
           AND EXISTS (SELECT 1 FROM pg_depend AS r JOIN sroi_distribute_plan AS pl ON pl.rel = r.refobjid
                        WHERE r.classid = 'pg_proc'::regclass AND r.objid = p.oid AND r.refclassid = 'pg_class'::regclass
                          AND pl.how <> 'reference')
         ORDER BY p.oid::regprocedure::text
    LOOP
        ddl := pg_get_functiondef(f);
        q := substring(ddl FROM '\nBEGIN ATOMIC\n(.*);\s*END\s*$');
        retset := (SELECT p.proretset FROM pg_proc AS p WHERE p.oid = f);
        IF q IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = format('sroi.distribute(): function %s has no SQL-standard body to make PL/pgSQL of', f);
        END IF;
        ddl := regexp_replace(substring(ddl FROM '^(.*)\nBEGIN ATOMIC\n'), '\n LANGUAGE sql\n', E'\n LANGUAGE plpgsql\n')
               || E'\nAS $sroi_citus$\n#variable_conflict use_column\nBEGIN\n'
               || CASE WHEN retset THEN E'RETURN QUERY\n' || q || E';\n' ELSE E'RETURN (\n' || q || E');\n' END
               || E'END\n$sroi_citus$';
        EXECUTE ddl;
        -- (a worker refuses to replace a function with DDL propagation on: "operation is
        -- not allowed on this node"; this is its own copy, nothing to propagate)
        PERFORM @extschema@.run_on_workers('SET citus.enable_ddl_propagation = off; ' || ddl,
                                           format('sroi.distribute(): %s could not become PL/pgSQL on a worker', f));
        table_name := NULL; layout := NULL;
        done := format('function %s: PL/pgSQL on Citus (%s of its body)', f,
                       CASE WHEN retset THEN 'RETURN QUERY' ELSE 'RETURN' END);
        RETURN NEXT;
    END LOOP;

    -- The views (09_views.sql: readers, contract managers and coordinators read the
    -- views, a reader no table).  On one server a view reads its tables with its owner's
    -- privileges and shows the caller's rows (CURRENT_USER in its query: the scope, the
    -- small cells).  Citus sends the shard queries as the user who queries the view, who
    -- may have no privilege on the shards (a reader: `permission denied for table
    -- contract_102016`) or sees them through the tables' policies.  So each view of
    -- sroi's that reads a table (not the security_invoker value_line, which reads under
    -- the caller's policies on one server too) gets a function view_V(caller) of its
    -- query, SECURITY DEFINER (the shard queries run as its owner, as report_FN's do),
    -- PL/pgSQL RETURN QUERY of the view's deparsed query with CURRENT_USER as the caller
    -- (report_caller: a login may name only a role it may act as), granted to the view's
    -- readers, a member of sroi; the view becomes SELECT * FROM view_V(CURRENT_USER):
    -- the same columns, the same rows for every role, on every node.  (On one server the
    -- views stay: a BI tool's filter reaches the table scans.)
    propagate := current_setting('citus.enable_ddl_propagation');
    PERFORM set_config('citus.enable_ddl_propagation', 'off', true);
    FOR t IN
        SELECT c.oid::regclass AS rel, c.relname, c.reloptions,
               (SELECT string_agg(DISTINCT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END, ', ')
                  FROM aclexplode(c.relacl) AS x LEFT JOIN pg_roles AS r ON r.oid = x.grantee
                 WHERE x.privilege_type = 'SELECT' AND x.grantee <> c.relowner) AS readers,
               EXISTS (SELECT 1 FROM pg_rewrite AS rw
                         JOIN pg_depend AS r ON r.classid = 'pg_rewrite'::regclass AND r.objid = rw.oid
                                            AND r.refclassid = 'pg_class'::regclass AND r.refobjid <> c.oid
                         JOIN pg_class AS o ON o.oid = r.refobjid AND o.relkind = 'v'
                        WHERE rw.ev_class = c.oid) AS reads_view
          FROM pg_class AS c
          JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                             AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext AND d.deptype = 'e'
         WHERE c.relkind = 'v' AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
           AND EXISTS (SELECT 1 FROM pg_rewrite AS rw
                         JOIN pg_depend AS r ON r.classid = 'pg_rewrite'::regclass AND r.objid = rw.oid
                                            AND r.refclassid = 'pg_class'::regclass
                         JOIN sroi_distribute_plan AS pl ON pl.rel = r.refobjid
                        WHERE rw.ev_class = c.oid)
         ORDER BY c.relname
    LOOP
        -- (a view over another view would read it as the function's owner: not written so)
        IF t.reads_view THEN
            RAISE EXCEPTION USING ERRCODE = '55000',
                MESSAGE = format('sroi.distribute(): view %s reads another view; its function would read that one as its owner', t.rel);
        END IF;
        q := regexp_replace(rtrim(pg_get_viewdef(t.rel), E'; \n'), '\m(CURRENT_USER|CURRENT_ROLE)\M', 'sroi_view_caller', 'g');
        fn := format('%s.%I', sch, 'view_' || t.relname);
        ddl := format(E'CREATE FUNCTION %1$s(sroi_view_caller name) RETURNS SETOF %2$s\n'
                      || E' LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp\n'
                      || E'AS $sroi_citus$\n#variable_conflict use_column\nBEGIN\n'
                      || E'PERFORM %3$s.report_caller(sroi_view_caller);\nRETURN QUERY\n%4$s;\nEND\n$sroi_citus$;\n'
                      || E'ALTER EXTENSION sroi ADD FUNCTION %1$s(name);\n'
                      || E'REVOKE EXECUTE ON FUNCTION %1$s(name) FROM PUBLIC;\n'
                      || E'%5$s'
                      || E'COMMENT ON FUNCTION %1$s(name) IS %6$L;\n'
                      || E'CREATE OR REPLACE VIEW %2$s%7$s AS SELECT * FROM %1$s(CURRENT_USER)',
                      fn, t.rel, sch, q,
                      CASE WHEN t.readers IS NOT NULL THEN format(E'GRANT EXECUTE ON FUNCTION %s(name) TO %s;\n', fn, t.readers) ELSE '' END,
                      format('the rows of the view %s for the caller, read as the owner (SECURITY DEFINER): the view''s query on Citus, made by sroi.distribute()', t.rel),
                      CASE WHEN t.reloptions IS NOT NULL THEN format(' WITH (%s)', array_to_string(t.reloptions, ', ')) ELSE '' END);
        EXECUTE ddl;
        PERFORM @extschema@.run_on_workers('SET citus.enable_ddl_propagation = off; ' || ddl,
                                           format('sroi.distribute(): view %s could not be made to read through its function on a worker', t.rel));
        table_name := t.rel; layout := NULL;
        done := format('view %s: SELECT * FROM %s(CURRENT_USER) on Citus (its query, SECURITY DEFINER)', t.rel, fn);
        RETURN NEXT;
    END LOOP;

    -- JIT off in this database on every node.  The shard queries of the reports carry
    -- Citus's intermediate results (read_intermediate_result, costed as a function of
    -- 1000 rows), so their estimates pass jit_above_cost and each task was compiled by
    -- LLVM on the worker, 1 to 2 s of CPU per task for a few rows: the full
    -- contract_compliance of the demo's 41 contracts took 13 s warm on the test cluster,
    -- 1.2 s with JIT off (test/citus/README.md).  A database setting: new sessions (and
    -- Citus's new connections) take it; ALTER DATABASE ... RESET jit undoes it.  Only the
    -- database's owner or a superuser may set it; anyone else is told in the result.
    IF (SELECT r.rolsuper FROM pg_roles AS r WHERE r.rolname = CURRENT_USER)
       OR pg_has_role(CURRENT_USER, (SELECT d.datdba FROM pg_database AS d WHERE d.datname = current_database()), 'MEMBER') THEN
        ddl := format('ALTER DATABASE %I SET jit = off', current_database());
        EXECUTE ddl;
        PERFORM @extschema@.run_on_workers('SET citus.enable_ddl_propagation = off; ' || ddl,
                                           'sroi.distribute(): JIT could not be turned off on a worker');
        done := format('%s on every node: Citus''s shard queries of the reports are not JIT-compiled', ddl);
    ELSE
        done := format('jit left as it is: only the owner of database %I may set it off (ALTER DATABASE %I SET jit = off on every node): with JIT each shard query of the reports is compiled for 1 to 2 s',
                       current_database(), current_database());
    END IF;
    table_name := NULL; layout := NULL;
    RETURN NEXT;
    PERFORM set_config('citus.enable_ddl_propagation', propagate, true);
    END convert;

    -- The identity sequences of the distributed tables on the workers: a row that a
    -- trigger on a shard adds (the decision log of a reset, a change of terms) takes its
    -- id from the worker's sequence, a row added through the coordinator from the
    -- coordinator's; both from 1 they collide (`duplicate key value violates unique
    -- constraint "decision_pkey_102140"`).  Each worker draws from its own range, as Citus
    -- does for the sequences it creates: from (group id << 48) + 1.
    ddl := format($q$DO $do$DECLARE s record; g bigint := (SELECT groupid FROM pg_dist_local_group); BEGIN
        FOR s IN SELECT d.objid::regclass AS seq FROM pg_depend AS d
                   JOIN pg_class AS c ON c.oid = d.objid AND c.relkind = 'S'
                   JOIN pg_depend AS e ON e.classid = 'pg_class'::regclass AND e.objid = d.refobjid
                                      AND e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
                                      AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sroi')
                  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        LOOP
            IF (SELECT sq.seqmin FROM pg_sequence AS sq WHERE sq.seqrelid = s.seq) < (g << 48) + 1 THEN
                EXECUTE format('ALTER SEQUENCE %%s MINVALUE %%s MAXVALUE %%s START WITH %%s RESTART WITH %%s', s.seq, (g << 48) + 1, ((g + 1) << 48) - 1, (g << 48) + 1, (g << 48) + 1);
            END IF;
        END LOOP;
    END$do$ $q$);
    PERFORM @extschema@.run_on_workers(ddl, 'sroi.distribute(): the workers'' sequences could not be given their ranges');

    -- Column privileges of the shards made before (another call, or a rebalancer without
    -- the event trigger): granted on every placement.  (Shards made in this call have
    -- them from the event trigger; this transaction's new shards are not visible to the
    -- connections of run_command_on_placements.)
    FOR t IN
        SELECT p.rel, array_agg(g.cmd ORDER BY g.cmd) AS cmds
          FROM sroi_distribute_plan AS p
          CROSS JOIN LATERAL @extschema@.column_privileges(p.rel, true) AS g (cmd)
         WHERE p.rel = ANY (already)
         GROUP BY p.rel
         ORDER BY p.rel::text
    LOOP
        FOREACH ddl IN ARRAY t.cmds
        LOOP
            SELECT count(*), string_agg(format('%s:%s shard %s: %s', w.nodename, w.nodeport, w.shardid, w.result), '; ')
                             FILTER (WHERE NOT w.success)
              INTO placements, bad
              FROM run_command_on_placements(t.rel, ddl) AS w;
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION USING ERRCODE = '55000',
                    MESSAGE = format('sroi.distribute(): column privileges of %s could not be granted on a placement: %s', t.rel, bad);
            END IF;
        END LOOP;
        table_name := t.rel; layout := NULL;
        done := format('column privileges granted again on its %s placements', placements);
        RETURN NEXT;
    END LOOP;
    RETURN;
END
$$;
REVOKE EXECUTE ON FUNCTION @extschema@.distribute() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.distribute() IS
    'on a Citus coordinator: makes every contract-keyed table of sroi distributed by contract (contract by id, the others by contract_id, colocated) and every other table a reference table, keeping triggers, foreign keys, policies (those with subqueries rewritten into function calls, which Citus takes) and column privileges (on every shard, by an event trigger); returns what it did per table and policy; a second call changes nothing (already distributed); without Citus raises 55000';
