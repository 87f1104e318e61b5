-- sroi install script, part 0: the four group roles (10_security.sql says what each
-- may do; the grants stand beside the objects they concern).
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
