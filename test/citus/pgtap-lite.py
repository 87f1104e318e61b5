#!/usr/bin/env python3
"""Rewrites a pgTAP validation suite (test/pgtap/validation_*.sql) for the Citus cluster:
statement by statement in autocommit, with the stand-ins of pgtap-lite.sql for throws_ok,
lives_ok, is and ok.  Drops BEGIN, ROLLBACK, plan(), finish() and CREATE EXTENSION sroi.  An
is() reads FROM a local temporary table (pg_temp.dual), so that Citus plans its subqueries
on the coordinator instead of sending the whole call to a worker.  Prints the script.

With --split-lives (validation_eligibility), a lives_ok of several statements runs them
one by one, each its own transaction, the last inside the lives_ok: on the cluster one
transaction that places one person on contracts on two nodes is refused by design (0A000,
take_person_lock in 04_tables.sql; 06_sroi_person_lock.sh tests that refusal), so the suite
checks the same sums in transactions of their own.  A statement before the last that fails
prints an ERROR line, which 03 counts as a failure.
Usage: pgtap-lite.py SUITE.sql [--split-lives]"""
import re
import sys

import os

split_lives = '--split-lives' in sys.argv[2:]
text = open(sys.argv[1]).read()
# psql's \ir FILE (helpers shared by the suites): the file's text in its place
text = re.sub(r'^\\ir\s+(\S+)\s*$',
              lambda m: open(os.path.join(os.path.dirname(sys.argv[1]), m.group(1))).read(),
              text, flags=re.M)
# split into statements at ';' outside quotes, dollar quotes and comments
stmts, cur, i, n = [], [], 0, len(text)
quote = None
while i < n:
    c = text[i]
    if quote is None:
        if text.startswith('--', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            cur.append(text[i:j])
            i = j
            continue
        m = re.match(r'\$[A-Za-z_]*\$', text[i:])
        if m:
            quote = m.group(0)
            cur.append(quote)
            i += len(quote)
            continue
        if c == "'":
            quote = "'"
        elif c == ';':
            stmts.append(''.join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    else:
        if text.startswith(quote, i):
            cur.append(quote)
            i += len(quote)
            quote = None
            continue
        cur.append(c)
        i += 1
if ''.join(cur).strip():
    stmts.append(''.join(cur).strip())

out = []
for s in stmts:
    body = '\n'.join(l for l in s.splitlines() if not l.lstrip().startswith('--')).strip()
    if not body:
        continue
    if re.match(r'(BEGIN|ROLLBACK|CREATE EXTENSION sroi)\s*$', body) or \
       re.match(r'SELECT (plan\(|\* FROM finish\()', body):
        continue
    top_is = re.match(r'^SELECT (is|ok)\(', body)
    m = re.match(r'^SELECT lives_ok\(\s*\$\$(.*)\$\$\s*,(.*)\)$', body, re.S)
    if split_lives and m:
        parts = [p.strip() for p in m.group(1).split(';') if p.strip()]
        if len(parts) > 1:
            out.extend(p + ';' for p in parts[:-1])
            body = 'SELECT lives_ok($$' + parts[-1] + '$$,' + m.group(2) + ')'
    # every call, also inside a statement (the table-driven cases)
    body = re.sub(r'(?<![.\w])throws_ok\(', 'pg_temp.throws(', body)
    body = re.sub(r'(?<![.\w])lives_ok\(', 'pg_temp.lives(', body)
    body = re.sub(r'(?<![.\w])is\(', 'pg_temp.is_(', body)
    body = re.sub(r'(?<![.\w])ok\(', 'pg_temp.ok_(', body)
    if top_is:
        body += ' FROM pg_temp.dual'
    out.append(body + ';')
print('\n'.join(out))
