-- Validation of contracts and rate cards (domain.md 1, 2; api.md "Errors").
-- One test per rule: the SQLSTATE (class 22 or 23) and the exact message, then
-- that the row was not stored (or not changed).
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(63);

-- Fixture -------------------------------------------------------------------
-- K1: Diemen, term 2025-01-01..2026-12-31, value EUR 1,000,000, tendered
-- 2024-10-01, awarded 2024-12-01: pinned to the shipped card duoplus-2024.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           tendered_on, awarded_on, starts_on, ends_on)
VALUES ('K1', 'Diemen', 'Bouwbedrijf Amstel BV', 'Renovatie gemeentehuis', 1000000,
        '2024-10-01', '2024-12-01', '2025-01-01', '2026-12-31');

-- Every contract test below inserts contract KX (not stored when refused); the
-- values other than the one under test are those of K1.

-- Contract fields ------------------------------------------------------------
-- One row a case: the columns after contract_value and the values of KX after its
-- title, the SQLSTATE and message expected, what the case is; each case is refused and
-- KX is not stored (read by a volatile function: a fresh snapshot after the INSERT).
CREATE FUNCTION pg_temp.kx_stored() RETURNS bigint LANGUAGE plpgsql VOLATILE
    AS $f$BEGIN RETURN (SELECT count(*) FROM sroi.contract WHERE id = 'KX'); END$f$;
SELECT t FROM (VALUES
    (1, 'awarded_on, starts_on, ends_on',
     $v$-1, '2024-12-01', '2025-01-01', '2026-12-31'$v$,
     '22003', 'contract_value must be at least 0, got -1',
     'negative contract_value is refused', 'negative contract_value: not stored'),
    (2, 'awarded_on, starts_on, ends_on',
     $v$1000000.123, '2024-12-01', '2025-01-01', '2026-12-31'$v$,
     '22003', 'contract_value must have at most 2 decimals, got 1000000.123',
     'contract_value with 3 decimals is refused', 'contract_value with 3 decimals: not stored'),
    (3, 'awarded_on, starts_on, ends_on',
     $v$'Infinity', '2024-12-01', '2025-01-01', '2026-12-31'$v$,
     '22003', 'contract_value must be at least 0, got Infinity',
     'contract_value Infinity is refused', 'contract_value Infinity: not stored'),
    -- An infinite date would break every report that counts days with it.
    (4, 'awarded_on, starts_on, ends_on',
     $v$1000000, '2024-12-01', '2025-01-01', 'infinity'$v$,
     '22008', 'ends_on must be a date in the years 1 to 9999, got infinity',
     'an infinite contract ends_on is refused', 'infinite ends_on: not stored'),
    (5, 'awarded_on, starts_on, ends_on',
     $v$1000000, '2024-12-01', '2025-01-01', '2024-12-31'$v$,
     '23514', 'ends_on must not be before starts_on, got starts_on 2025-01-01 and ends_on 2024-12-31',
     'ends_on before starts_on is refused', 'ends_on before starts_on: not stored'),
    (6, 'tendered_on, awarded_on, starts_on, ends_on',
     $v$1000000, '2024-12-01', '2024-11-30', '2025-01-01', '2026-12-31'$v$,
     '23514', 'awarded_on must not be before tendered_on, got tendered_on 2024-12-01 and awarded_on 2024-11-30',
     'awarded_on before tendered_on is refused', 'awarded_on before tendered_on: not stored'),
    (7, 'awarded_on, starts_on, ends_on, obligation_pct',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', -1$v$,
     '22003', 'obligation_pct must be from 0 to 100, got -1',
     'obligation_pct -1 is refused', 'obligation_pct -1: not stored'),
    (8, 'awarded_on, starts_on, ends_on, obligation_pct',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 101$v$,
     '22003', 'obligation_pct must be from 0 to 100, got 101',
     'obligation_pct 101 is refused', 'obligation_pct 101: not stored'),
    (9, 'awarded_on, starts_on, ends_on, obligation_pct',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 0$v$,
     '23514', 'exemption_reason is required when the obligation is 0 (obligation_pct 0, obligation_amount NULL)',
     'obligation_pct 0 without exemption_reason is refused', 'obligation_pct 0 without exemption_reason: not stored'),
    (10, 'awarded_on, starts_on, ends_on, obligation_amount',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', -5$v$,
     '22003', 'obligation_amount must be at least 0, got -5',
     'negative obligation_amount is refused', 'negative obligation_amount: not stored'),
    (11, 'awarded_on, starts_on, ends_on, labour_share',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 1.5$v$,
     '22003', 'labour_share must be from 0 to 1, got 1.5',
     'labour_share above 1 is refused', 'labour_share above 1: not stored'),
    (12, 'awarded_on, starts_on, ends_on, penalty_pct',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 150$v$,
     '22003', 'penalty_pct must be from 0 to 100, got 150',
     'penalty_pct above 100 is refused', 'penalty_pct above 100: not stored'),
    (13, 'awarded_on, starts_on, ends_on, basis',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 'revenue'$v$,
     '22023', 'basis must be one of contract_value, turnover, got ''revenue''',
     'unknown basis is refused', 'unknown basis: not stored'),
    (14, 'awarded_on, starts_on, ends_on, basis, obligation_amount',
     $v$1000000, '2024-12-01', '2025-01-01', '2026-12-31', 'turnover', 50000$v$,
     '23514', 'obligation_amount 50000 cannot be combined with basis turnover',
     'turnover basis with an obligation_amount is refused', 'turnover basis with obligation_amount: not stored'),
    -- Awarded in 2023, no tender date: no card is in force (duoplus-2024 starts 2024-01-01).
    (15, 'awarded_on, starts_on, ends_on',
     $v$1000000, '2023-06-01', '2023-07-01', '2024-12-31'$v$,
     '23503', 'no rate card is in force on 2023-06-01 (awarded_on of contract KX)',
     'a contract awarded before any rate card is refused', 'no rate card in force: not stored')
) AS c (n, cols, vals, code, message, refused, not_stored)
CROSS JOIN LATERAL (VALUES
    (1, throws_ok(format('INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, %s) VALUES (''KX'', ''Diemen'', ''S'', ''t'', %s)',
                         c.cols, c.vals), c.code, c.message, c.refused)),
    (2, is(pg_temp.kx_stored(), 0::bigint, c.not_stored))) AS x (k, t)
ORDER BY c.n, x.k;

-- Shipped rate card rows are read-only -----------------------------------------
SELECT throws_ok(
    $$UPDATE sroi.building_block SET amount = 45000 WHERE rate_card = 'duoplus-2024' AND code = 'A2'$$,
    '23001', 'rate card duoplus-2024 ships with sroi and cannot be changed or deleted',
    'a shipped building block cannot be updated');
SELECT is((SELECT amount FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND code = 'A2'), 40000.00,
    'shipped building block A2: amount unchanged');

SELECT throws_ok(
    $$DELETE FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND code = 'C10'$$,
    '23001', 'rate card duoplus-2024 ships with sroi and cannot be changed or deleted',
    'a shipped building block cannot be deleted');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND code = 'C10'), 1::bigint,
    'shipped building block C10: still there');

SELECT throws_ok(
    $$UPDATE sroi.rate_card SET threshold = 100000 WHERE code = 'duoplus-2024'$$,
    '23001', 'rate card duoplus-2024 ships with sroi and cannot be changed or deleted',
    'the shipped rate card row cannot be updated');
SELECT is((SELECT threshold FROM sroi.rate_card WHERE code = 'duoplus-2024'), 200000.00,
    'shipped rate card: threshold unchanged');

SELECT throws_ok(
    $$DELETE FROM sroi.rate_card WHERE code = 'duoplus-2024'$$,
    '23001', 'rate card duoplus-2024 ships with sroi and cannot be changed or deleted',
    'the shipped rate card row cannot be deleted');
SELECT is((SELECT count(*) FROM sroi.rate_card WHERE code = 'duoplus-2024'), 1::bigint,
    'shipped rate card: still there');

SELECT throws_ok(
    $$UPDATE sroi.pso_discount_rate SET discount_pct = 60 WHERE rate_card = 'duoplus-2024' AND rung = '3'$$,
    '23001', 'rate card duoplus-2024 ships with sroi and cannot be changed or deleted',
    'a shipped PSO discount rate cannot be updated');
SELECT is((SELECT discount_pct FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024' AND rung = '3'), 50.00,
    'shipped PSO rate of rung 3: unchanged');

-- Rows users add must have shipped = false.
SELECT throws_ok(
    $$INSERT INTO sroi.rate_card (code, valid_from, description, shipped) VALUES ('fake-2030', '2030-01-01', 'x', true)$$,
    '23514', 'shipped must be false for rows you add (rate card fake-2030)',
    'inserting a shipped=true rate card is refused');
SELECT is((SELECT count(*) FROM sroi.rate_card WHERE code = 'fake-2030'), 0::bigint, 'shipped=true rate card: not stored');

-- A new card with a later valid_from --------------------------------------------
-- test-2026, valid from 2026-01-01, a copy of the blocks of duoplus-2024.
SELECT lives_ok(
    $$INSERT INTO sroi.rate_card (code, valid_from, description) VALUES ('test-2026', '2026-01-01', 'test card');
      INSERT INTO sroi.building_block (rate_card, code, category, name, unit, amount, reference_months, max_months,
                                       requires_approval, eligibility, guideline_ref, shipped)
      SELECT 'test-2026', code, category, name, unit, amount, reference_months, max_months,
             requires_approval, eligibility, guideline_ref, false
        FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
      INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct)
      SELECT 'test-2026', rung, discount_pct FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024'$$,
    'a new card with a later valid_from and a copy of the blocks and PSO rates can be added');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'test-2026'), 17::bigint,
    'test-2026 has the 17 blocks');
SELECT is((SELECT count(*) || ' blocks, EUR ' || sum(amount) FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND shipped),
    '17 blocks, EUR 212100.00', 'duoplus-2024 is untouched by the new card');
SELECT is((SELECT rate_card FROM sroi.contract WHERE id = 'K1'), 'duoplus-2024', 'K1 stays on duoplus-2024');

SELECT throws_ok(
    $$INSERT INTO sroi.building_block (rate_card, code, category, name, unit, amount, eligibility, shipped)
      VALUES ('test-2026', 'X1', 'C', 'x', 'hour', 50, 'none', true)$$,
    '23514', 'shipped must be false for rows you add (rate card test-2026)',
    'inserting a shipped=true building block is refused');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'test-2026' AND code = 'X1'), 0::bigint,
    'shipped=true building block: not stored');

-- A card no contract uses yet may still be corrected.
SELECT lives_ok(
    $$UPDATE sroi.building_block SET amount = 41000 WHERE rate_card = 'test-2026' AND code = 'A2'$$,
    'a card that no contract uses can still be changed');

-- ... but its rows cannot be turned into shipped rows (pg_dump would drop them).
SELECT throws_ok(
    $$UPDATE sroi.building_block SET shipped = true WHERE rate_card = 'test-2026' AND code = 'A2'$$,
    '23514', 'shipped must be false for rows you add (rate card test-2026)',
    'a row you added cannot be marked shipped');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'test-2026' AND shipped), 0::bigint,
    'test-2026: no row marked shipped');

-- Pinning: the card in force on tendered_on if recorded, else on awarded_on.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           tendered_on, awarded_on, starts_on, ends_on)
VALUES ('K-TENDERED', 'Diemen', 'S', 'tendered in 2025, awarded in 2026', 500000,
        '2025-12-01', '2026-02-01', '2026-03-01', '2027-02-28');
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           awarded_on, starts_on, ends_on)
VALUES ('K-AWARDED', 'Diemen', 'S', 'awarded in 2026, no tender date', 500000,
        '2026-02-01', '2026-03-01', '2027-02-28');
SELECT is((SELECT rate_card FROM sroi.contract WHERE id = 'K-TENDERED'), 'duoplus-2024',
    'tendered 2025-12-01, awarded 2026-02-01: pinned to the card in force on tendered_on (duoplus-2024)');
SELECT is((SELECT rate_card FROM sroi.contract WHERE id = 'K-AWARDED'), 'test-2026',
    'no tendered_on, awarded 2026-02-01: pinned to the card in force on awarded_on (test-2026)');

-- A card used by a contract can no longer change.
SELECT throws_ok(
    $$UPDATE sroi.building_block SET amount = 45000 WHERE rate_card = 'test-2026' AND code = 'A2'$$,
    '23001', 'rate card test-2026 is used by contract K-AWARDED and cannot be changed or deleted',
    'a block of a card in use cannot be updated');
SELECT is((SELECT amount FROM sroi.building_block WHERE rate_card = 'test-2026' AND code = 'A2'), 41000.00,
    'block A2 of test-2026: amount unchanged');

SELECT throws_ok(
    $$DELETE FROM sroi.building_block WHERE rate_card = 'test-2026' AND code = 'C10'$$,
    '23001', 'rate card test-2026 is used by contract K-AWARDED and cannot be changed or deleted',
    'a block of a card in use cannot be deleted');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'test-2026' AND code = 'C10'), 1::bigint,
    'block C10 of test-2026: still there');

SELECT throws_ok(
    $$INSERT INTO sroi.building_block (rate_card, code, category, name, unit, amount, eligibility)
      VALUES ('test-2026', 'C12', 'C', 'new block', 'hour', 50, 'none')$$,
    '23001', 'rate card test-2026 is used by contract K-AWARDED and cannot be changed or deleted',
    'a block cannot be added to a card in use');
SELECT is((SELECT count(*) FROM sroi.building_block WHERE rate_card = 'test-2026' AND code = 'C12'), 0::bigint,
    'block C12 on test-2026: not stored');

SELECT throws_ok(
    $$UPDATE sroi.rate_card SET threshold = 100000 WHERE code = 'test-2026'$$,
    '23001', 'rate card test-2026 is used by contract K-AWARDED and cannot be changed or deleted',
    'the row of a card in use cannot be updated');
SELECT is((SELECT threshold FROM sroi.rate_card WHERE code = 'test-2026'), 200000.00,
    'test-2026: threshold unchanged');

-- A contract stays on its card.
SELECT throws_ok(
    $$UPDATE sroi.contract SET rate_card = 'test-2026' WHERE id = 'K1'$$,
    '23514', 'rate_card of contract K1 cannot change from duoplus-2024 to test-2026',
    'the rate card of a contract cannot change on update');
SELECT is((SELECT rate_card FROM sroi.contract WHERE id = 'K1'), 'duoplus-2024', 'K1: rate_card unchanged');

SELECT * FROM finish();
ROLLBACK;
