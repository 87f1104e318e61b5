-- sroi install script, part 0: the four group roles (the grants and row-level
-- security stand beside the objects they concern).
--
-- Four NOLOGIN group roles; installers grant them to login roles:
--   sroi_coordinator       the SR coordinator: sees and changes everything, decides
--                          (approve, reject, override, PSO), manages rate cards;
--   sroi_contract_manager  reads and edits the contracts of its municipalities, and
--                          their plans, turnover, reports and phasing;
--   sroi_supplier          reads its own contracts, enters their activities, reports
--                          and the candidates it places;
--   sroi_reader            BI: reads the nine monitoring views only (aggregates, small
--                          cells suppressed), no table, no person.
-- sroi.role_scope maps a database role to the municipalities or suppliers it acts
-- for; the policies read it for the current user.  The extension's owner (a
-- superuser) bypasses row-level security; so do the report functions behind the
-- views, which are SECURITY DEFINER.  Everything is schema-qualified, so no
-- search_path can redirect a name.
--
-- Roles are cluster-wide, and not members of the extension: a second database's
-- CREATE EXTENSION finds them, and DROP EXTENSION leaves them (and the grants of
-- every other database) alone.  Only a role this block creates gets a comment.
DO $roles$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('sroi_coordinator', 'sroi: SR coordinator; sees and changes all SROI data, approves, rejects and overrides, manages rate cards'),
        ('sroi_contract_manager', 'sroi: contract manager; reads and edits the contracts of the municipalities in sroi.role_scope'),
        ('sroi_supplier', 'sroi: supplier; reads its own contracts (sroi.role_scope) and enters their activities, candidates and reports'),
        ('sroi_reader', 'sroi: BI reader; reads the aggregate monitoring views of schema sroi only')
      ) AS v (name, description)
    LOOP
        CONTINUE WHEN EXISTS (SELECT FROM pg_catalog.pg_roles AS x WHERE x.rolname OPERATOR(pg_catalog.=) r.name);
        BEGIN
            EXECUTE pg_catalog.format(
                'CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r.name);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.description);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created meanwhile by CREATE EXTENSION in another database
        END;
    END LOOP;
END
$roles$;
