-- The threshold rule of domain.md 1.1-1.2 in one place (src/obligation.c): the
-- applicable percentage, and the same rule in sroi.obligation, the turnover basis
-- and the overdue items.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(10);

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

-- The guideline's numbers live on the rate card (03_catalogue.sql: the columns' defaults,
-- which the shipped card duoplus-2024 takes).  api.md fixes sroi.obligation's argument
-- defaults as literals (threshold 200000) and an argument default cannot read a table, so
-- these two tests hold them equal to the shipped card: a change on one side fails here.
SELECT is((SELECT pg_catalog.pg_get_function_arguments('sroi.obligation(numeric, numeric, numeric, numeric)'::regprocedure)),
          format('contract_value numeric, pct numeric DEFAULT NULL::numeric, threshold numeric DEFAULT %s, default_pct numeric DEFAULT %s',
                 (SELECT threshold::integer FROM sroi.rate_card WHERE code = 'duoplus-2024'),
                 (SELECT default_pct::integer FROM sroi.rate_card WHERE code = 'duoplus-2024')),
          'sroi.obligation''s defaults are the shipped card''s threshold and default_pct');
-- and the card holds the guideline 2.3 numbers: 200,000 euros and 5 %
SELECT is((SELECT (threshold, default_pct)::text FROM sroi.rate_card WHERE code = 'duoplus-2024'),
          '(200000.00,5.00)', 'the shipped card: threshold 200000.00, default_pct 5.00 (guideline 2.3)');

SELECT * FROM finish();
ROLLBACK;
