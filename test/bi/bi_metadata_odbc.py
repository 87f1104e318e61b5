#!/usr/bin/env python3
"""Syncs the metadata of schema sroi the way an ODBC BI tool (Power BI, Excel) does,
through unixODBC and psqlODBC (the Unicode driver), as the login it is given, and prints
what it learnt for test/bi/bi-clients.sh, in the format of BiMetadata.java:
  T name TABLE|VIEW remarks        SQLTables
  C name column type remarks       SQLColumns (TYPE_NAME, COLUMN_SIZE, DECIMAL_DIGITS, REMARKS)
  S name ok rows | S name error SQLSTATE   SELECT * of every relation listed
  R name column type               SQLDescribeCol of that SELECT (cursor.description)
  QT name remarks, QC name column remarks   the comments read by a query through ODBC:
                                   psqlODBC (13.x) leaves REMARKS of SQLTables and
                                   SQLColumns empty, it does not read pg_description
Usage: bi_metadata_odbc.py CONNECTION_STRING
"""
import sys

import pyodbc

NAMES = {'bool': 'boolean', 'int4': 'integer', 'int8': 'bigint', 'varchar': 'text'}


def type_name(name, size, digits):
    name = NAMES.get(name, name)
    return f'numeric({size},{digits})' if name == 'numeric' else name


def remarks(r):
    return 'yes' if r and r.strip() else 'no'


def main():
    con = pyodbc.connect(sys.argv[1], autocommit=True)
    cur = con.cursor()
    out = []
    tables = [(t.table_name, t.table_type, t.remarks)
              for t in cur.tables(schema='sroi', tableType='TABLE,VIEW')]
    for name, kind, rem in tables:
        out.append(f'T {name} {kind} {remarks(rem)}')
    for name, _, _ in tables:
        for c in cur.columns(schema='sroi', table=name).fetchall():
            out.append(f'C {name} {c.column_name} {type_name(c.type_name, c.column_size, c.decimal_digits)} '
                       f'{remarks(c.remarks)}')
    for name, _, _ in tables:
        try:
            cur.execute(f'SELECT * FROM sroi."{name}"')
            rows = len(cur.fetchall())
            out.append(f'S {name} ok {rows}')
            for d in cur.description:
                # name, type_code (a Python type), display_size, internal_size, precision, scale, null_ok
                kind = {str: 'text', bool: 'boolean', int: 'integer'}.get(d[1], d[1].__name__)
                if d[1].__name__ == 'Decimal':
                    kind = f'numeric({d[4]},{d[5]})'
                elif d[1].__name__ == 'date':
                    kind = 'date'
                out.append(f'R {name} {d[0]} {kind}')
        except pyodbc.Error as e:
            out.append(f'S {name} error {e.args[0]}')
    # the comments, by a query through the same driver
    cur.execute("""SELECT c.relname, a.attname, obj_description(c.oid, 'pg_class'), col_description(c.oid, a.attnum)
                     FROM pg_class AS c LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0
                    WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
                    ORDER BY 1, a.attnum""")
    seen = set()
    for rel, att, rel_comment, att_comment in cur.fetchall():
        if rel not in seen:
            seen.add(rel)
            out.append(f'QT {rel} {remarks(rel_comment)}')
        out.append(f'QC {rel} {att} {remarks(att_comment)}')
    print('\n'.join(out))


main()
