-- The threshold rule of domain.md 1.1-1.2 in one place (src/obligation.c): the
-- applicable percentage, and the same rule in sroi.obligation, the turnover basis
-- and the overdue items.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(8);

-- applicable_pct(value, pct, threshold, default_pct)
SELECT is(sroi.applicable_pct(200000.00, NULL, 200000, 5), 0::numeric,
          'EUR 200,000.00 exactly, no pct: not strictly above the threshold, 0 %');
SELECT is(sroi.applicable_pct(200000.01, NULL, 200000, 5), 5::numeric,
          'EUR 200,000.01, no pct: strictly above, the default 5 %');
SELECT is(sroi.applicable_pct(100, 2, 200000, 5), 2::numeric,
          'a recorded pct (2) applies whatever the value');
SELECT is(sroi.applicable_pct(NULL, 2, 200000, 5), NULL::numeric, 'NULL value: NULL');
-- sroi.obligation agrees: 200000.01 x 5 / 100 = 10000.0005 -> 10000.00
SELECT is(sroi.obligation(200000.01, NULL, 200000, 5), 10000.00, 'obligation: 200000.01 x 5 % = 10000.00');
SELECT throws_ok($$SELECT sroi.applicable_pct(1000, 101, 200000, 5)$$, '22003',
                 'pct must be from 0 to 100, got 101', 'a pct above 100 is refused, naming field, value and rule');

-- The turnover basis uses it: value 300,000 > 200,000, no pct -> 5 % of the turnover
-- reported up to the date: 5 % x (40,000 + 60,000) = 5,000.00.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, basis, awarded_on, starts_on, ends_on)
VALUES ('OT', 'Diemen', 'T BV', 'turnover', 300000, 'turnover', '2024-12-01', '2025-01-01', '2026-12-31'),
       ('OL', 'Diemen', 'T BV', 'low value, no obligation', 200000, 'contract_value', '2024-12-01', '2025-01-01', '2026-12-31');
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('OT', '2025-Q1', 40000), ('OT', '2025-Q2', 60000);
SELECT is((SELECT obligation FROM sroi.compliance('2025-06-30') WHERE contract_id = 'OT'), 5000.00,
          'turnover basis: 5 % x 100,000 reported = 5,000.00');
-- The overdue items only concern contracts with an obligation: OL (200,000.00, not
-- above the threshold) has no kick-off item although it has no kick-off; OT has one.
SELECT results_eq($$SELECT contract_id FROM sroi.overdue_items('2025-06-30') WHERE kind = 'kickoff_missing' ORDER BY 1$$,
                  $$VALUES ('OT'::text)$$,
                  'kick-off items for OT only: OL is at the threshold, without an obligation');

SELECT * FROM finish();
ROLLBACK;
