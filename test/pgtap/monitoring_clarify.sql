-- The clarifications of domain.md 7 on monitoring: an ongoing A4 with an
-- open-ended indication stays ongoing, expected never exceeds the obligation (7.5),
-- the turnover basis is fulfilled only from the end date (7.6), and a bonus line is
-- capped like its base (7.9).  Every expected number is computed by hand beside it.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(9);

-- Rate card cap-2001: duoplus-2024 with A2 capped at 6 months, BONUS12 uncapped.
INSERT INTO sroi.rate_card (code, valid_from, description) VALUES ('cap-2001', '2001-01-01', 'A2 capped');
INSERT INTO sroi.building_block
       (rate_card, code, category, name, unit, amount, reference_months, max_months, requires_approval, eligibility)
SELECT 'cap-2001', code, category, name, unit, amount, reference_months,
       CASE code WHEN 'A2' THEN 6 WHEN 'BONUS12' THEN NULL ELSE max_months END, requires_approval, eligibility
  FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct)
SELECT 'cap-2001', rung, discount_pct FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024';

INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, rate_card, basis,
                           obligation_amount, awarded_on, starts_on, ends_on) VALUES
    -- M1: A4 ongoing.  M2: A2 + BONUS12 on cap-2001.  M3: own phasing that never reaches 1.
    ('M1', 'Diemen', 'Bouw BV', 'a4', 1000000, 'duoplus-2024', 'contract_value', NULL, '2024-12-01', '2025-01-01', '2026-12-31'),
    ('M2', 'Diemen', 'Bouw BV', 'cap', 1000000, 'cap-2001', 'contract_value', NULL, '2024-12-01', '2025-01-01', '2026-12-31'),
    ('M3', 'Diemen', 'Bouw BV', 'phasing', 1000000, 'duoplus-2024', 'contract_value', 10000, '2024-12-01', '2025-01-01', '2025-12-31'),
    -- M4: turnover basis, 5 % (1,000,000 > 200,000), term 2025-01-01..2025-06-30
    ('M4', 'Diemen', 'Bouw BV', 'turnover', 1000000, 'duoplus-2024', 'turnover', NULL, '2024-12-01', '2025-01-01', '2025-06-30');
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('M3', '2025-07-01', 0.5);
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('M4', '2025-Q1', 100000), ('M4', '2025-Q2', 20000);

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister, indication_until) VALUES
    ('Q-A4', '1990-01-01', 'none', NULL, true, NULL),                        -- register, open-ended indication
    ('Q-56', '1960-01-01', 'participatiewet', '2024-06-01', false, NULL);    -- 65, A2 (7 months at start)
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, bonus_56plus, hours, evidence_ref) VALUES
    ('M1', 'A4', 'Q-A4', 1, '2025-01-01', NULL, false, NULL, 'm1-a4'),
    ('M2', 'A2', 'Q-56', 1, '2025-01-01', '2025-12-31', true, NULL, 'm2-a2');
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES
    ('M4', 'C10', '2025-02-03', 60, 'm4-c10');   -- 60 h x 100 = 6000.00

-- An ongoing A4 with indication_until NULL counts every day, not its first day only.
SELECT results_eq(
    $$SELECT realised_a FROM sroi.compliance('2025-06-30') WHERE contract_id = 'M1'$$,
    $$VALUES (15000.00)$$,   -- 30000 x 1 fte x M(2025-01-01, 2025-06-30) / 12 = 30000 x 6/12
    'M1: ongoing A4, open-ended indication, as of 2025-06-30: 15000.00');
SELECT results_eq(
    $$SELECT ends_on FROM sroi.value_line WHERE contract_id = 'M1'$$,
    $$VALUES (NULL::date)$$,
    'M1: the value line stays ongoing (ends_on NULL)');

-- 7.9: the bonus line is capped by the base block's max_months (6), not its own (none).
SELECT results_eq(
    $$SELECT realised_a, realised_bonus FROM sroi.compliance('2025-12-31') WHERE contract_id = 'M2'$$,
    $$VALUES (20000.00,    -- A2: 40000 x 1 x min(12, 6) / 12
              2500.00)     -- BONUS12: 5000 x 1 x min(12, 6) / 12, not 5000 x 12/12 = 5000.00
    $$,
    'M2: A2 capped at 6 months, and its bonus line capped like it');

-- 7.5: expected never exceeds the obligation; from the end date on it is the obligation.
SELECT results_eq(
    $$SELECT d, (SELECT expected_to_date FROM sroi.compliance(d) WHERE contract_id = 'M3')
        FROM unnest(ARRAY[date '2025-12-30', '2025-12-31', '2026-01-01']) AS d$$,
    $$VALUES ('2025-12-30'::date, 5000.00),   -- phasing 0.5 from 2025-07-01: 10000 x 0.5
             ('2025-12-31', 10000.00),         -- the end date: the whole obligation
             ('2026-01-01', 10000.00)$$,       -- after it: the obligation, never more
    'M3: phasing up to the day before the end, the obligation from the end date on');
SELECT is((SELECT count(*) FROM sroi.compliance('2030-01-01') WHERE expected_to_date > obligation), 0::bigint,
    'no contract expects more than its obligation, even years after its end');

-- 7.6: turnover basis.  Obligation to date 5 % of turnover up to the date's quarter:
-- Q1 100000 -> 5000.00; Q1 + Q2 120000 -> 6000.00.  Realised: C10 6000.00.
SELECT results_eq(
    $$SELECT obligation, realised, status FROM sroi.compliance('2025-06-29') WHERE contract_id = 'M4'$$,
    $$VALUES (6000.00, 6000.00, 'on_track'::text)$$,   -- 6000 >= 6000, but the day before the end: at best on_track
    'M4 the day before its end: on_track, not fulfilled');
SELECT results_eq(
    $$SELECT obligation, realised, status FROM sroi.compliance('2025-06-30') WHERE contract_id = 'M4'$$,
    $$VALUES (6000.00, 6000.00, 'fulfilled'::text)$$,  -- on the end date: realised 6000 >= obligation 6000
    'M4 on its end date: fulfilled');
SELECT results_eq(
    $$SELECT obligation, realised, status FROM sroi.compliance('2025-07-01') WHERE contract_id = 'M4'$$,
    $$VALUES (6000.00, 6000.00, 'fulfilled'::text)$$,  -- the day after: still 6000 >= 6000
    'M4 the day after its end: fulfilled');
SELECT results_eq(
    $$SELECT quarter::text, obligation, realised_cum, status FROM sroi.quarterly_progress('2025-07-01')
       WHERE contract_id = 'M4' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 5000.00, 6000.00, 'on_track'::text),   -- 5 % of 100000; 6000 >= 5000 before the end
             ('2025-Q2', 6000.00, 6000.00, 'fulfilled')$$,      -- measured on 06-30, the end date
    'M4 quarters: Q1 on_track before the end, Q2 fulfilled at the end');

SELECT * FROM finish();
ROLLBACK;
