-- The SR coordinator decides on one reported activity, picked at random (the first
-- reported one at or after a random id, else the first reported one): four in five
-- approved, one rejected.  Every transaction makes exactly one decision while reported
-- activities remain (test/tools/load-test.sh seeds a backlog, the suppliers add more).
-- The reason carries the client's count of transactions (seq, start it with -D seq=0).
\set seq :seq + 1
\set decision random(1, 5)
SELECT max(id) AS top FROM sroi.activity \gset
\set from random(1, :top)
\if :decision = 1
SELECT sroi.reject(p.id, 'coordinator load-test', 'no timesheet ' || :seq)
  FROM ((SELECT id FROM sroi.activity WHERE status = 'reported' AND id >= :from ORDER BY id LIMIT 1)
        UNION ALL
        (SELECT id FROM sroi.activity WHERE status = 'reported' ORDER BY id LIMIT 1) LIMIT 1) AS p;
\else
SELECT sroi.approve(p.id, 'coordinator load-test', 'evidence seen ' || :seq)
  FROM ((SELECT id FROM sroi.activity WHERE status = 'reported' AND id >= :from ORDER BY id LIMIT 1)
        UNION ALL
        (SELECT id FROM sroi.activity WHERE status = 'reported' ORDER BY id LIMIT 1) LIMIT 1) AS p;
\endif
