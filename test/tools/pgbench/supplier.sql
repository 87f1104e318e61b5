-- A supplier reports one activity: always valid, so that every transaction adds one row.
-- Three in four are A2 placements of a pool person (participatiewet under 24 months in
-- 2026) at 0.01 fte for 1 to 28 days: 101 would have to overlap for one person before
-- the no-double-fte rule bites.  The others are C10 hours.  Contracts L01..L20 and
-- people c0001..c2000 come from test/tools/load-test.sh.  evidence_ref carries the pgbench
-- client and its own count of supplier.sql transactions (seq, start it with -D seq=0), so
-- that the rows can be matched to the transactions pgbench logged.
\set seq :seq + 1
\set contract random(1, 20)
\set person random(1, 2000)
\set day random(0, 364)
\set len random(0, 27)
\set kind random(1, 4)
\if :kind = 1
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
VALUES ('L' || lpad(:contract::text, 2, '0'), 'C10', date '2026-01-01' + :day::integer, 1 + :len::integer % 8,
        'load-supplier ' || :client_id || ' ' || :seq);
\else
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, evidence_ref)
VALUES ('L' || lpad(:contract::text, 2, '0'), 'A2', 'c' || lpad(:person::text, 4, '0'), 0.01,
        date '2026-01-01' + :day::integer, date '2026-01-01' + :day::integer + :len::integer,
        'load-supplier ' || :client_id || ' ' || :seq);
\endif
