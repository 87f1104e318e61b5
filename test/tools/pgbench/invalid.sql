-- A supplier tries an activity that validation must refuse (load_try_invalid of
-- test/tools/load-test.sh catches the expected 22003 / 23514 and raises anything else,
-- also when the row is accepted, which aborts this client):
--   1: fte 1.5 (22003); 2: a person without a benefit on A2 (23514, eligibility);
--   3: 0.1 fte more for the person placed full time (23514, no double fte).
\set kind random(1, 3)
\set contract random(1, 20)
SELECT load_try_invalid(:kind, :contract);
