#!/usr/bin/env python3
"""Writes the upgrade script from one version to the next.  The Makefile runs it for the
version under work (upgrade/sroi--OLD--NEW.sql is built, not kept in git, until the
release commits and freezes it), and test/tools/upgrade.sh proves its result equals a
fresh install.

Usage: src/tools/upgrade-script.py OLD_INSTALL_SQL NEW_INSTALL_SQL TABLES_SQL > upgrade/sroi--OLD--NEW.sql
(NEW_INSTALL_SQL: the built sroi--NEW.sql, whose '-- @file' lines mark the source files)

The access and reporting layer (SQL and PL/pgSQL functions, views, triggers, policies)
is replaced whole: the script drops every such object of the old version and replays
the new version's statements that create them, with their comments and grants, in the
order of the install script (and the install script's calls of its own functions,
SELECT @extschema@.f(...), which create policies).  The tables keep their rows: what changes in the tables of
the old version is written by hand in TABLES_SQL (run after the drops, so no trigger
fires, and before the replay).  A table new in NEW_INSTALL_SQL (no CREATE TABLE of its
name in OLD_INSTALL_SQL) is created by replaying, in the order of the install script,
its CREATE TABLE, its indexes, its ALTER TABLE statements (row-level security), its
COMMENTs and its pg_extension_config_dump calls (its own and its sequences'); they
stand where TABLES_SQL has the line '-- @new-tables' (so that the hand-written part can
change the old tables first and fill the new ones after), or after TABLES_SQL when it
has none.  A constraint that an old table gains towards a new table is a change of the
old table: TABLES_SQL adds it (after filling the new table).  Functions of the type and catalogue files (01_ to 03_) whose text did not
change are kept, as operators, casts and aggregates depend on them.  An aggregate whose
CREATE AGGREGATE changed is replayed: TABLES_SQL drops the old one and its C functions.
"""
import re
import sys


def statements(text):
    """Splits an install script into top-level statements (with their comments)."""
    out, cur, i, n = [], [], 0, len(text)
    quote = None        # a $tag$ or "'" we are inside
    atomic = False      # inside BEGIN ATOMIC ... END;
    while i < n:
        c = text[i]
        if quote:
            if quote == "'":
                if c == "'":
                    quote = None
                cur.append(c); i += 1; continue
            if text.startswith(quote, i):
                cur.append(quote); i += len(quote); quote = None; continue
            cur.append(c); i += 1; continue
        if text.startswith('--', i):
            j = text.find('\n', i)
            j = n if j < 0 else j + 1
            cur.append(text[i:j]); i = j; continue
        if c == "'":
            quote = "'"; cur.append(c); i += 1; continue
        if c == '$':
            m = re.match(r'\$[A-Za-z_]*\$', text[i:])
            if m:
                quote = m.group(0); cur.append(quote); i += len(quote); continue
        if not atomic and re.match(r'BEGIN ATOMIC\b', text[i:i + 12]):
            atomic = True
        if c == ';':
            cur.append(c); i += 1
            stmt = ''.join(cur)
            if atomic:
                if re.search(r'\n\s*END\s*;$', stmt):
                    atomic = False
                else:
                    continue
            out.append(stmt.strip('\n'))
            cur = []
            continue
        cur.append(c); i += 1
    rest = ''.join(cur).strip()
    if rest and not all(l.strip().startswith('--') or not l.strip() for l in rest.splitlines()):
        out.append(rest)
    return out


def body(stmt):
    """The statement without its leading comment lines."""
    lines = stmt.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith('--')):
        lines.pop(0)
    return '\n'.join(lines)


def kind(stmt):
    s = body(stmt)
    m = re.match(r'(CREATE (?:OR REPLACE )?(?:FUNCTION|VIEW|TRIGGER|POLICY|TABLE|INDEX|TYPE|OPERATOR CLASS|OPERATOR|AGGREGATE|CAST)'
                 r'|COMMENT ON|GRANT|REVOKE|ALTER VIEW|ALTER FUNCTION|ALTER TABLE|SELECT|DO|INSERT)', s)
    return m.group(1) if m else s.split(None, 2)[0:2]


def function_name(stmt):
    m = re.match(r'CREATE FUNCTION @extschema@\.(\w+)\(', body(stmt))
    return m.group(1) if m else None


TABLE_OF = [  # the statements about one table, and the table's name
    r'CREATE TABLE @extschema@\.(\w+)',
    r'CREATE (?:UNIQUE )?INDEX \w+ ON @extschema@\.(\w+)',
    r'ALTER TABLE @extschema@\.(\w+)',
    r'COMMENT ON TABLE @extschema@\.(\w+)',
    r'COMMENT ON COLUMN @extschema@\.(\w+)\.',
    r'COMMENT ON CONSTRAINT \w+ ON @extschema@\.(\w+)',
    r"SELECT pg_catalog\.pg_extension_config_dump\('@extschema@\.(\w+)'",
    r'INSERT INTO @extschema@\.(\w+)',  # the rows a new table ships with (person_lock's slots)
]


def created_tables(stmts):
    return {m.group(1) for m in (re.match(TABLE_OF[0], body(s)) for s in stmts) if m}


def about_table(stmt, tables):
    """The table of TABLES that STMT creates, alters, indexes, comments or registers for
    pg_dump (a table's sequence: TABLE_COLUMN_seq), or None."""
    b = body(stmt)
    for pattern in TABLE_OF:
        m = re.match(pattern, b)
        if m:
            name = m.group(1)
            if name in tables:
                return name
            if name.endswith('_seq'):
                owners = [t for t in tables if name.startswith(t + '_')]
                return max(owners, key=len) if owners else None
            return None
    return None


def is_sql_function(stmt):
    return kind(stmt) == 'CREATE FUNCTION' and "'MODULE_PATHNAME'" not in stmt


def main():
    old_sql, new_sql, tables_sql = sys.argv[1:4]
    import os
    old = statements(open(old_sql).read())
    old_bodies = {body(s) for s in old}
    # the built install script, in which src/tools/expand.awk marks each source file
    new = []
    for part in re.split(r'^-- @file ', open(new_sql).read(), flags=re.M)[1:]:
        name, text = part.split('\n', 1)
        early = re.match(r'0[0-3]_', os.path.basename(name)) is not None
        for s in statements(text):
            new.append((early, s))

    new_tables = created_tables(s for early, s in new) - created_tables(old)
    keep = sorted({function_name(s) for early, s in new
                   if early and is_sql_function(s) and body(s) in old_bodies})
    out = []
    out.append('-- sroi upgrade script, written by src/tools/upgrade-script.py: the tables change as\n'
               '-- written by hand below; the access and reporting layer is replaced whole.\n'
               '\\echo Use "ALTER EXTENSION sroi UPDATE" to load this file. \\quit\n')
    out.append('''-- 1. Drop the old layer: policies, triggers, views, then the SQL and PL/pgSQL functions
--    (those of the type and catalogue files that did not change stay).
DO $drop$
DECLARE
    r record;
    keep text[] := ARRAY[%s]::text[];
    left_over integer := -1;
    before integer;
BEGIN
    FOR r IN SELECT p.polname, p.polrelid::regclass AS rel FROM pg_catalog.pg_policy AS p
              JOIN pg_catalog.pg_class AS c ON c.oid = p.polrelid
             WHERE c.relnamespace = '@extschema@'::regnamespace LOOP
        EXECUTE pg_catalog.format('DROP POLICY %%I ON %%s', r.polname, r.rel);
    END LOOP;
    FOR r IN SELECT t.tgname, t.tgrelid::regclass AS rel FROM pg_catalog.pg_trigger AS t
              JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
             WHERE c.relnamespace = '@extschema@'::regnamespace AND NOT t.tgisinternal LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %%I ON %%s', r.tgname, r.rel);
    END LOOP;
    -- views and functions depend on each other: drop what nothing depends on, repeat
    LOOP
        before := left_over;
        left_over := 0;
        FOR r IN SELECT 'VIEW' AS what, c.oid::regclass::text AS name FROM pg_catalog.pg_class AS c
                  WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'v'
                 UNION ALL
                 SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_catalog.pg_proc AS p
                   JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang
                  WHERE p.pronamespace = '@extschema@'::regnamespace AND p.prokind = 'f'
                    AND l.lanname IN ('sql', 'plpgsql') AND NOT p.proname = ANY (keep) LOOP
            BEGIN
                EXECUTE pg_catalog.format('DROP %%s %%s', r.what, r.name);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                left_over := left_over + 1;
            END;
        END LOOP;
        EXIT WHEN left_over = 0;
        IF left_over = before THEN
            RAISE EXCEPTION 'sroi upgrade: %% views or functions cannot be dropped (another object depends on them)', left_over;
        END IF;
    END LOOP;
END
$drop$;
''' % ', '.join("'%s'" % k for k in keep))
    created = ['-- The tables new in this version (%s), replayed from the install script.'
               % ', '.join(sorted(new_tables))]
    created += [body(s).strip('\n') for early, s in new if about_table(s, new_tables)]
    by_hand = open(tables_sql).read().strip('\n') + '\n'
    marker = re.compile(r'^-- @new-tables\n', re.M)
    if marker.search(by_hand):
        by_hand = marker.sub(lambda m: '\n'.join(created) + '\n', by_hand, count=1)
    else:
        by_hand += '\n' + '\n'.join(created) + '\n'
    out.append('-- 2. The tables (by hand, but for the new tables).\n' + by_hand)
    out.append('-- 3. The new layer, as in the install script.\n')
    for early, s in new:
        k = kind(s)
        b = body(s)
        if about_table(s, new_tables):
            continue        # replayed in 2.
        if k == 'CREATE FUNCTION':
            if early and body(s) in old_bodies:
                continue
            if "'MODULE_PATHNAME'" in s and b in old_bodies:
                continue
        elif k == 'CREATE AGGREGATE':
            if b in old_bodies:
                continue    # kept (TABLES_SQL drops an aggregate that changes)
        elif k in ('CREATE VIEW', 'CREATE TRIGGER', 'CREATE POLICY', 'ALTER VIEW', 'ALTER FUNCTION',
                   'COMMENT ON', 'GRANT', 'REVOKE'):
            if k == 'COMMENT ON' and b.startswith('COMMENT ON ROLE'):
                continue
        elif k == 'SELECT' and b.startswith('SELECT @extschema@.'):
            pass            # a call of the layer's own helper (create_scope_policies: policies)
        else:
            continue
        out.append(s.strip('\n') + '\n')
    sys.stdout.write('\n'.join(out))


main()
