-- Suppliers placing the same person at once: load_try_place of test/tools/load-test.sh
-- places a hot person at 0.6 fte for one day; all clients that call it within the same
-- 20 ms pick the same person and day.  The first placement goes in, the others
-- must wait on the candidate lock and be refused with 23514 (caught by load_try_place).
\set contract random(1, 20)
SELECT load_try_place(:contract);
