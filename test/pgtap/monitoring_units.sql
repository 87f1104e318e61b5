-- Monitoring, part 1: every block unit, the A4 indication end, bonuses, approvals and
-- a rejection, chain delivery, category mix, target-group outcomes, and quarters that
-- tie out to the total to the cent.  All figures come from the functions with a fixed
-- as-of date; every expected number is computed by hand in the comment beside it.
-- Rate card duoplus-2024 (03_catalogue.sql): A2 40000, A3 15000, A4 30000, B5 10000 per
-- 24 months, B6 15000, B7 10000, B8 6000, A1 30000, C10 100 per hour, bonuses 5000.
-- M(s, e) is domain.md 3's months; days(a, b) = b - a + 1.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(22);

-- ---------------------------------------------------------------------------------
-- Contract U1: Diemen, Bouw BV, EUR 2,000,000.00, term 2025-01-01..2026-12-31
-- (730 days); gross obligation 2000000 x 5 / 100 = 100000.00 (no PSO discount).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('U1', 'Diemen', 'Bouw BV', 'Renovatie scholen', 2000000.00,
        '2024-12-01', '2025-01-01', '2026-12-31', '2024-12-10');

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister,
                            indication_until, education, special_group) VALUES
    -- A2: Participatiewet since 2024-06-01, 7 months at the start 2025-01-01 (< 24)
    ('P1', '1990-05-05', 'participatiewet', '2024-06-01', false, NULL, NULL, false),
    -- B5: WIA
    ('P2', '1970-03-03', 'wia', '2020-01-01', false, NULL, NULL, false),
    -- B7: MBO 2 student, 19 at the start 2024-12-01
    ('P3', '2005-09-01', 'none', NULL, false, NULL, 'mbo2', false),
    -- A4: Wajong, doelgroepregister, indication valid until 2025-08-31
    ('P4', '1985-07-07', 'wajong', '2010-01-01', true, '2025-08-31', NULL, false),
    -- A2 + BONUS12 (60 at the start, Participatiewet) + BONUS13 (special group)
    ('P5', '1965-01-01', 'participatiewet', '2025-01-01', false, NULL, NULL, true),
    -- A3: WW since 2024-01-01, 13 months at the start 2025-02-01 (> 6); + BONUS13
    ('P6', '1960-06-06', 'ww', '2024-01-01', false, NULL, NULL, true),
    -- B7: MBO 1 student, 18 at the start 2025-02-01
    ('P7', '2006-02-02', 'none', NULL, false, NULL, 'mbo1', false);

INSERT INTO sroi.activity (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on,
                           bonus_56plus, bonus_special, evidence_ref) VALUES
    ('U1', NULL,     'A2', 'P1', 0.5, '2025-01-01', '2025-06-30', false, false, 'u1-a2'),
    ('U1', 'Sub BV', 'B5', 'P2', 1,   '2025-01-01', '2025-12-31', false, false, 'u1-b5'),
    ('U1', NULL,     'A4', 'P4', 1,   '2025-03-01', NULL,         false, false, 'u1-a4'),
    ('U1', NULL,     'A2', 'P5', 0.8, '2025-04-01', '2025-09-30', true,  true,  'u1-a2-bonus'),
    ('U1', NULL,     'A3', 'P6', 1,   '2025-02-01', '2025-04-30', false, true,  'u1-a3-rejected');
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, evidence_ref) VALUES
    -- starts a month before the contract (allowed: at most 12 months before)
    ('U1', 'B7', 'P3', NULL, '2024-12-01', '2025-05-31', '2025-05-31', 'u1-b7-early'),
    -- ongoing, planned to end 2025-07-31
    ('U1', 'B7', 'P7', NULL, '2025-02-01', NULL, '2025-07-31', 'u1-b7');
INSERT INTO sroi.activity (contract_id, delivered_by, block, fte, starts_on, hours, amount, evidence_ref) VALUES
    ('U1', 'Sub BV',  'C10', NULL, '2025-02-10', 12.5, NULL,    'u1-c10'),
    ('U1', 'Sub BV',  'C11', NULL, '2025-03-15', NULL, 3456.78, 'u1-c11'),
    ('U1', 'Bouw BV', 'M',   NULL, '2025-04-01', NULL, 7500.00, 'u1-m');

-- Value of each U1 activity (V as of 2025-12-31, and at the quarter ends where it changes):
--  A2 P1 0.5 fte 2025-01-01..06-30: 40000 x 0.5 x 6/12 = 10000.00
--        V(03-31) = 40000 x 0.5 x 3/12 = 5000.00
--  B5 P2 1 fte 2025-01-01..12-31, reference 24: 10000 x 1 x 12/24 = 5000.00
--        V(03-31) = 10000 x 3/24 = 1250.00, V(06-30) = 2500.00, V(09-30) = 3750.00
--  A4 P4 1 fte from 2025-03-01, ongoing, stops at the indication end 2025-08-31:
--        30000 x M(03-01, 08-31)/12 = 30000 x 6/12 = 15000.00
--        V(03-31) = 30000 x 1/12 = 2500.00, V(06-30) = 30000 x 4/12 = 10000.00
--  A2 P5 0.8 fte 2025-04-01..09-30: 40000 x 0.8 x 6/12 = 16000.00, V(06-30) = 8000.00
--     BONUS12 and BONUS13 each: 5000 x 0.8 x 6/12 = 2000.00, V(06-30) = 1000.00
--  A3 P6 1 fte 2025-02-01..04-30 (M = 3): 15000 x 3/12 = 3750.00, BONUS13 5000 x 3/12 = 1250.00
--        (Q1: 15000 x 2/12 = 2500.00 + bonus 5000 x 2/12 = 833.33; until it is rejected)
--  B7 P3 agreement 2024-12-01..2025-05-31 = 182 planned days; inside the term
--        2025-01-01..05-31 = 151 days: 10000 x 151/182 = 8296.7032 -> 8296.70
--        V(03-31): 2025-01-01..03-31 = 90 days: 10000 x 90/182 = 4945.0549 -> 4945.05
--  B7 P7 agreement 2025-02-01..planned 07-31 = 28+31+30+31+30+31 = 181 days:
--        V(03-31): 59 days: 10000 x 59/181 = 3259.6685 -> 3259.67
--        V(06-30): 150 days: 10000 x 150/181 = 8287.2928 -> 8287.29
--        V(12-31): 334 days >= 181: at most the amount, 10000.00
--  C10 12.5 hours on 2025-02-10: 100 x 12.5 = 1250.00
--  C11 invoice 3456.78 on 2025-03-15 (needs approval)
--  M negotiated 7500.00 on 2025-04-01 (needs approval)

-- 1. Before any decision: C11 and M pending, P6 (A3 + BONUS13) counted.
SELECT results_eq(
    $$SELECT obligation_gross, pso_discount, obligation, realised_a, realised_b, realised_c,
             realised_bonus, realised, pending
        FROM sroi.compliance('2025-12-31') WHERE contract_id = 'U1'$$,
    $$VALUES (100000.00,  -- 2000000 x 5/100
              0.00,       -- no PSO
              100000.00,  -- 100000.00 - 0
              44750.00,   -- A: 10000.00 (A2 P1) + 15000.00 (A4) + 16000.00 (A2 P5) + 3750.00 (A3 P6)
              23296.70,   -- B: 5000.00 (B5) + 8296.70 (B7 P3) + 10000.00 (B7 P7)
              1250.00,    -- C: C10 1250.00; C11 and M not approved
              5250.00,    -- bonus: 2000.00 + 2000.00 (P5) + 1250.00 (P6)
              74546.70,   -- 44750.00 + 23296.70 + 1250.00 + 5250.00
              10956.78)   -- pending: C11 3456.78 + M 7500.00
    $$,
    'U1 before decisions: C11 and M pending, not realised');

-- 2. Quarterly before any decision: the C11 invoice is pending in Q1, M in Q2.
SELECT results_eq(
    $$SELECT quarter::text, realised, pending FROM sroi.quarterly_progress('2025-06-30')
       WHERE contract_id = 'U1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 21538.05, 3456.78),
             -- Q1 realised: 5000.00 (A2 P1) + 1250.00 (B5) + 4945.05 (B7 P3) + 3259.67 (B7 P7)
             --   + 1250.00 (C10) + 2500.00 (A4) + 2500.00 (A3 P6: 15000 x M(02-01, 03-31) = 2 / 12)
             --   + 833.33 (BONUS13 P6: 5000 x 2/12 = 833.333) = 21538.05; pending: C11 3456.78
             ('2025-Q2', 33795.94, 7500.00)
             -- Q2 realised: 5000.00 (A2 P1) + 1250.00 (B5) + 3351.65 (B7 P3: 8296.70 - 4945.05)
             --   + 5027.62 (B7 P7: 8287.29 - 3259.67) + 7500.00 (A4: 10000.00 - 2500.00)
             --   + 8000.00 (A2 P5) + 1000.00 + 1000.00 (its bonuses) + 1250.00 (A3 P6: 3750.00 - 2500.00)
             --   + 416.67 (BONUS13 P6: 1250.00 - 833.33) = 33795.94; pending: M 7500.00
    $$,
    'U1 quarters before decisions: C11 pending in Q1, M pending in Q2');

-- 3. Chain delivery before any decision: Sub BV delivered B5, C10 and C11.
SELECT results_eq(
    $$SELECT delivered_by, is_main_supplier, realised, pending FROM sroi.chain_delivery('2025-12-31')
       WHERE contract_id = 'U1' ORDER BY delivered_by$$,
    $$VALUES ('Bouw BV', true, 68296.70, 7500.00),
             -- 10000.00 (A2 P1) + 15000.00 (A4) + 16000.00 + 4000.00 (A2 P5 + bonuses) + 8296.70 (B7 P3)
             --   + 10000.00 (B7 P7) + 3750.00 + 1250.00 (A3 P6 + BONUS13) = 68296.70; pending M 7500.00
             --   (M was recorded with delivered_by = the supplier itself: same row as NULL)
             ('Sub BV', false, 6250.00, 3456.78)
             -- 5000.00 (B5) + 1250.00 (C10) = 6250.00; pending C11 3456.78
    $$,
    'U1 chain delivery before decisions: the subcontractor''s activities count for U1');

-- 4. The coordinator approves the C11 invoice: its value moves from pending to realised.
SELECT lives_ok(
    $$SELECT sroi.approve((SELECT id FROM sroi.activity WHERE evidence_ref = 'u1-c11'), 'coordinator', 'invoice checked')$$,
    'approve the C11 invoice');

SELECT results_eq(
    $$SELECT realised_c, realised, pending FROM sroi.compliance('2025-12-31') WHERE contract_id = 'U1'$$,
    $$VALUES (4706.78,    -- C10 1250.00 + C11 3456.78
              78003.48,   -- 74546.70 + 3456.78
              7500.00)    -- 10956.78 - 3456.78: only M still pending
    $$,
    'U1 after approving C11: 3456.78 moves from pending to realised');

SELECT results_eq(
    $$SELECT quarter::text, realised, pending FROM sroi.quarterly_progress('2025-06-30')
       WHERE contract_id = 'U1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 24994.83, 0.00),   -- 21538.05 + 3456.78; nothing pending
             ('2025-Q2', 33795.94, 7500.00) -- unchanged
    $$,
    'U1 quarters after approving C11: Q1 realised includes the invoice, nothing pending in Q1');

-- 5. M approved; the A3 placement of P6 rejected: its BONUS13 goes with it.
SELECT lives_ok(
    $$SELECT sroi.approve((SELECT id FROM sroi.activity WHERE evidence_ref = 'u1-m'), 'coordinator')$$,
    'approve the negotiated M project');
SELECT lives_ok(
    $$SELECT sroi.reject((SELECT id FROM sroi.activity WHERE evidence_ref = 'u1-a3-rejected'), 'coordinator',
                         'no employment contract shown')$$,
    'reject the A3 placement of P6');

SELECT results_eq(
    $$SELECT obligation, realised_a, realised_b, realised_c, realised_bonus, realised, pending,
             expected_to_date, gap, pct_realised, status, projected_at_end, penalty_exposure, pso_expired
        FROM sroi.compliance('2025-12-31') WHERE contract_id = 'U1'$$,
    $$VALUES (100000.00,
              41000.00,   -- 44750.00 - 3750.00 (A3 P6 rejected) = 10000.00 + 15000.00 + 16000.00
              23296.70,   -- 5000.00 + 8296.70 + 10000.00
              12206.78,   -- 1250.00 + 3456.78 + 7500.00 (M approved)
              4000.00,    -- 5250.00 - 1250.00 (BONUS13 P6 shares the rejection) = 2000.00 + 2000.00
              80503.48,   -- 41000.00 + 23296.70 + 12206.78 + 4000.00
              0.00,       -- nothing awaits approval
              50000.00,   -- 100000.00 x days(2025-01-01, 2025-12-31) / days(term) = 100000 x 365/730
              19496.52,   -- 100000.00 - 80503.48
              80.5,       -- 100 x 80503.48 / 100000.00 = 80.50348 -> 80.5
              'on_track', -- 80503.48 >= 50000.00 expected, < 100000.00
              161006.96,  -- 80503.48 x 730 / 365 (365 of 730 days passed, >= 10 %)
              19496.52,   -- gap 19496.52 x 100 / 100 (default penalty 100 %)
              false)      -- no PSO
    $$,
    'U1 after all decisions: every figure of compliance');

-- 6. Quarters after all decisions, as of 2025-12-31; they tie out to the total.
SELECT results_eq(
    $$SELECT quarter::text, realised, realised_cum, expected_cum, status, pending
        FROM sroi.quarterly_progress('2025-12-31') WHERE contract_id = 'U1' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 21661.50, 21661.50, 12328.77, 'on_track', 0.00),
             -- 5000.00 (A2 P1) + 1250.00 (B5) + 4945.05 (B7 P3) + 3259.67 (B7 P7) + 1250.00 (C10)
             --   + 3456.78 (C11) + 2500.00 (A4) = 21661.50
             -- expected: 100000 x 90/730 = 12328.767 -> 12328.77
             ('2025-Q2', 39629.27, 61290.77, 24794.52, 'on_track', 0.00),
             -- 5000.00 (A2 P1) + 1250.00 (B5) + 3351.65 (B7 P3) + 5027.62 (B7 P7) + 7500.00 (A4)
             --   + 8000.00 + 1000.00 + 1000.00 (A2 P5 and bonuses) + 7500.00 (M) = 39629.27
             -- cum 21661.50 + 39629.27 = 61290.77; expected 100000 x 181/730 = 24794.520 -> 24794.52
             ('2025-Q3', 17962.71, 79253.48, 37397.26, 'on_track', 0.00),
             -- 1250.00 (B5: 3750.00 - 2500.00) + 1712.71 (B7 P7: 10000.00 - 8287.29)
             --   + 5000.00 (A4: 15000.00 - 10000.00, stops at 08-31) + 8000.00 + 1000.00 + 1000.00 (A2 P5)
             --   = 17962.71; cum 61290.77 + 17962.71 = 79253.48
             -- expected 100000 x 273/730 = 37397.260 -> 37397.26
             ('2025-Q4', 1250.00, 80503.48, 50000.00, 'on_track', 0.00)
             -- only B5: 5000.00 - 3750.00 = 1250.00 (A4 earns nothing after the indication end)
             -- cum 79253.48 + 1250.00 = 80503.48; expected 100000 x 365/730 = 50000.00
    $$,
    'U1 quarters as of 2025-12-31');

SELECT is(
    (SELECT sum(realised) FROM sroi.quarterly_progress('2025-12-31') WHERE contract_id = 'U1'),
    80503.48,  -- 21661.50 + 39629.27 + 17962.71 + 1250.00
    'U1: the quarters add up to compliance.realised, 80503.48');

-- 7. A4 stops at the indication end: nothing after 2025-08-31, whatever the as-of date.
SELECT results_eq(
    $$SELECT (SELECT realised_a FROM sroi.compliance('2025-08-31') WHERE contract_id = 'U1'),
             (SELECT realised_a FROM sroi.compliance('2026-06-30') WHERE contract_id = 'U1')$$,
    $$VALUES (38333.33,   -- 10000.00 (A2 P1) + 15000.00 (A4: M(03-01, 08-31) = 6) + 13333.33 (A2 P5:
                          --   40000 x 0.8 x M(04-01, 08-31) = 5 / 12 = 13333.333)
              41000.00)   -- 10000.00 + 15000.00 + 16000.00: A4 still 15000.00
    $$,
    'A4 value stops at the end of the indication');

-- 8. Category mix as of 2025-12-31: bonuses are their own category.
SELECT results_eq(
    $$SELECT category, realised, share FROM sroi.category_mix('2025-12-31')
       WHERE contract_id = 'U1' ORDER BY category$$,
    $$VALUES ('A', 41000.00, 0.5093),      -- 41000.00 / 80503.48 = 0.509295 -> 0.5093
             ('B', 23296.70, 0.2894),      -- 23296.70 / 80503.48 = 0.289387 -> 0.2894
             ('C', 12206.78, 0.1516),      -- 12206.78 / 80503.48 = 0.151630 -> 0.1516
             ('bonus', 4000.00, 0.0497)    -- 4000.00 / 80503.48 = 0.049687 -> 0.0497
    $$,
    'U1 category mix, bonus reported as its own category');

-- 9. Chain delivery after all decisions.
SELECT results_eq(
    $$SELECT delivered_by, is_main_supplier, realised, pending FROM sroi.chain_delivery('2025-12-31')
       WHERE contract_id = 'U1' ORDER BY delivered_by$$,
    $$VALUES ('Bouw BV', true, 70796.70, 0.00),
             -- 10000.00 + 15000.00 + 16000.00 + 4000.00 + 8296.70 + 10000.00 + 7500.00 (M) = 70796.70
             ('Sub BV', false, 9706.78, 0.00)
             -- 5000.00 (B5) + 1250.00 (C10) + 3456.78 (C11) = 9706.78; 70796.70 + 9706.78 = 80503.48
    $$,
    'U1 chain delivery after decisions, split by deliverer');

-- 10. Target-group outcomes in Diemen (only U1), as of 2025-12-31.  fte = sum of fte x days
--     placed in the quarter / days of the quarter, for fte_period activities (not bonuses);
--     agreements count persons and value but no fte.  P6 is rejected: no WW row.
SELECT results_eq(
    $$SELECT quarter::text, benefit, persons, fte, realised FROM sroi.target_group_outcomes('2025-12-31')
       WHERE municipality = 'Diemen' ORDER BY quarter, benefit$$,
    $$VALUES ('2025-Q1', 'none', 2, 0.0000, 8204.72),
             -- P3, P7 (agreements): 4945.05 + 3259.67 = 8204.72
             ('2025-Q1', 'participatiewet', 1, 0.5000, 5000.00),
             -- P1: 0.5 x 90/90 = 0.5000; 5000.00
             ('2025-Q1', 'wajong', 1, 0.3444, 2500.00),
             -- P4: 1 x days(03-01, 03-31) / 90 = 31/90 = 0.34444 -> 0.3444; 2500.00
             ('2025-Q1', 'wia', 1, 1.0000, 1250.00),
             -- P2: 1 x 90/90; 1250.00
             ('2025-Q2', 'none', 2, 0.0000, 8379.27),
             -- 3351.65 + 5027.62 = 8379.27
             ('2025-Q2', 'participatiewet', 2, 1.3000, 15000.00),
             -- P1 0.5 x 91/91 + P5 0.8 x 91/91 = 1.3000; 5000.00 + 8000.00 + 1000.00 + 1000.00 = 15000.00
             ('2025-Q2', 'wajong', 1, 1.0000, 7500.00),
             -- P4: 1 x 91/91; 7500.00
             ('2025-Q2', 'wia', 1, 1.0000, 1250.00),
             ('2025-Q3', 'none', 1, 0.0000, 1712.71),
             -- P7 only (P3 ended 05-31): 1712.71
             ('2025-Q3', 'participatiewet', 1, 0.8000, 10000.00),
             -- P5: 0.8 x 92/92 = 0.8000; 8000.00 + 1000.00 + 1000.00 (P1 ended 06-30)
             ('2025-Q3', 'wajong', 1, 0.6739, 5000.00),
             -- P4 until the indication end: 1 x days(07-01, 08-31) / 92 = 62/92 = 0.67391 -> 0.6739
             ('2025-Q3', 'wia', 1, 1.0000, 1250.00),
             ('2025-Q4', 'none', 1, 0.0000, 0.00),
             -- P7: the agreement goes on past its planned end (07-31) and reached 10000.00 in
             -- Q3; it still counts its days in Q4 (domain.md 6.4: a counted activity
             -- overlapping the quarter), earning nothing (until 4b2bed5 the row was left out)
             ('2025-Q4', 'wia', 1, 1.0000, 1250.00)
             -- P2: 1 x 92/92; 1250.00 (P4 counts no day after its indication's end, 08-31)
    $$,
    'Diemen target-group outcomes per quarter and benefit');
-- Their cells add up to municipality_quarter's persons: Q1 2 + 1 + 1 + 1 = 5, Q2 2 + 2 + 1 + 1
-- = 6, Q3 1 + 1 + 1 + 1 = 4, Q4 P7 + P2 = 2.
SELECT results_eq(
    $$SELECT quarter, persons FROM sroi.municipality_quarter('2025-12-31') WHERE municipality = 'Diemen' ORDER BY 1$$,
    $$VALUES ('2025-Q1', 5), ('2025-Q2', 6), ('2025-Q3', 4), ('2025-Q4', 2)$$,
    'Diemen''s persons per quarter in municipality_quarter: the sums of the outcome cells');

-- ---------------------------------------------------------------------------------
-- Contract U2: Uithoorn, Groen BV, EUR 1,500,000.00, term 2025-01-15..2027-01-14;
-- obligation 1500000 x 5/100 = 75000.00.  Awkward fractions, to tie quarters out.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                           awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('U2', 'Uithoorn', 'Groen BV', 'Groenonderhoud', 1500000.00,
        '2024-12-20', '2025-01-15', '2027-01-14', '2025-01-02');
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, education, statushouder) VALUES
    ('P8',  '1988-08-08', 'participatiewet', '2024-12-01', NULL, false),  -- A2: 2 months at start
    ('P9',  '1975-09-09', 'ww',              '2024-01-01', NULL, false),  -- B8: WW 13 months at start
    ('P10', '1995-10-10', 'none',            NULL,         NULL, true),   -- B6: statushouder
    ('P11', '1980-11-11', 'participatiewet', '2022-01-01', NULL, false);  -- A1: 28 months at start
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, planned_ends_on, hours, evidence_ref) VALUES
    ('U2', 'A2',  'P8',  0.8889, '2025-01-31', NULL, NULL, NULL, 'u2-a2'),
    ('U2', 'B8',  'P9',  0.3333, '2025-02-28', NULL, NULL, NULL, 'u2-b8'),
    ('U2', 'B6',  'P10', NULL,   '2025-03-17', NULL, '2025-12-02', NULL, 'u2-b6'),
    -- hired 2024-05-20, < 12 months before the start: counts from 2025-01-15
    ('U2', 'A1',  'P11', 0.7777, '2024-05-20', NULL, NULL, NULL, 'u2-a1'),
    ('U2', 'C10', NULL,  NULL,   '2025-08-08', NULL, NULL, 3.3333, 'u2-c10');

-- Values, V(x) rounded to cents before differences are taken:
--  A2 P8 0.8889 fte from 2025-01-31: 40000 x 0.8889 = 35556 per 12 months
--     M(01-31, 03-31) = 2 + 1/30 (01-31 + 2 months = 03-31, r = 1, L = 30): 35556 x 61/360 = 6024.767 -> 6024.77
--     M(01-31, 06-30) = 5 + 1/31: 35556 x (156/31)/12 = 14910.581 -> 14910.58
--     M(01-31, 09-30) = 8 + 1/31: 35556 x (249/31)/12 = 23799.581 -> 23799.58
--     M(01-31, 11-17) = 9 + 18/30 (10-31 + 18 days = 11-18, L = days(10-31 -> 11-30) = 30) = 9.6:
--        35556 x 9.6/12 = 28444.80
--  B8 P9 0.3333 fte from 2025-02-28: 6000 x 0.3333 = 1999.8 per 12 months
--     M(02-28, 03-31) = 1 + 4/31: 1999.8 x (35/31)/12 = 188.153 -> 188.15
--     M(02-28, 06-30) = 4 + 3/30 = 4.1: 1999.8 x 4.1/12 = 683.265 -> 683.27 (half away from zero)
--     M(02-28, 09-30) = 7.1: 1999.8 x 7.1/12 = 1183.215 -> 1183.22
--     M(02-28, 11-17) = 8 + 21/31 (10-28 + 21 days = 11-18, L = 31): 1999.8 x (269/31)/12 = 1446.092 -> 1446.09
--  B6 P10 agreement 2025-03-17..12-02 = 15+30+31+30+31+31+30+31+30+2 = 261 planned days:
--     to 03-31: 15 days: 15000 x 15/261 = 862.069 -> 862.07
--     to 06-30: 106 days: 15000 x 106/261 = 6091.954 -> 6091.95
--     to 09-30: 198 days: 15000 x 198/261 = 11379.310 -> 11379.31
--     to 11-17: 246 days: 15000 x 246/261 = 14137.931 -> 14137.93
--  A1 P11 0.7777 fte counted from the term start 2025-01-15: 30000 x 0.7777 = 23331 per 12 months
--     M(01-15, 03-31) = 2 + 17/31: 23331 x (79/31)/12 = 4954.702 -> 4954.70
--     M(01-15, 06-30) = 5 + 16/30: 23331 x (83/15)/12 = 10758.183 -> 10758.18
--     M(01-15, 09-30) = 8 + 16/30: 23331 x (128/15)/12 = 16590.933 -> 16590.93
--     M(01-15, 11-17) = 10 + 3/30 = 10.1: 23331 x 10.1/12 = 19636.925 -> 19636.93 (half away from zero)
--  C10 3.3333 hours on 2025-08-08: 100 x 3.3333 = 333.33

SELECT results_eq(
    $$SELECT obligation, realised_a, realised_b, realised_c, realised_bonus, realised
        FROM sroi.compliance('2025-11-17') WHERE contract_id = 'U2'$$,
    $$VALUES (75000.00,   -- 1500000 x 5/100
              48081.73,   -- 28444.80 (A2) + 19636.93 (A1)
              15584.02,   -- 1446.09 (B8) + 14137.93 (B6)
              333.33,     -- C10
              0.00,
              63999.08)   -- 48081.73 + 15584.02 + 333.33
    $$,
    'U2 compliance as of 2025-11-17 with awkward fractions');

SELECT results_eq(
    $$SELECT quarter::text, realised, realised_cum FROM sroi.quarterly_progress('2025-11-17')
       WHERE contract_id = 'U2' ORDER BY quarter$$,
    $$VALUES ('2025-Q1', 12029.69, 12029.69),
             -- 6024.77 + 188.15 + 862.07 + 4954.70
             ('2025-Q2', 20414.29, 32443.98),
             -- (14910.58 - 6024.77 = 8885.81) + (683.27 - 188.15 = 495.12)
             --   + (6091.95 - 862.07 = 5229.88) + (10758.18 - 4954.70 = 5803.48) = 20414.29
             ('2025-Q3', 20842.39, 53286.37),
             -- (23799.58 - 14910.58 = 8889.00) + (1183.22 - 683.27 = 499.95)
             --   + (11379.31 - 6091.95 = 5287.36) + (16590.93 - 10758.18 = 5832.75) + 333.33 = 20842.39
             ('2025-Q4', 10712.71, 63999.08)
             -- to 11-17: (28444.80 - 23799.58 = 4645.22) + (1446.09 - 1183.22 = 262.87)
             --   + (14137.93 - 11379.31 = 2758.62) + (19636.93 - 16590.93 = 3046.00) = 10712.71
    $$,
    'U2 quarters as of 2025-11-17');

SELECT is(
    (SELECT sum(realised) FROM sroi.quarterly_progress('2025-11-17') WHERE contract_id = 'U2'),
    (SELECT realised FROM sroi.compliance('2025-11-17') WHERE contract_id = 'U2'),
    'U2: sum of quarterly realised = compliance.realised as of 2025-11-17 (63999.08)');

-- The tie-out holds at any as-of date, for every contract (here at three more dates).
SELECT is_empty(
    $$SELECT c.contract_id, d.as_of
        FROM (VALUES (date '2025-02-28'), (date '2026-05-31'), (date '2027-01-14')) AS d (as_of)
        CROSS JOIN LATERAL sroi.compliance(d.as_of) AS c
       WHERE c.realised IS DISTINCT FROM
             (SELECT coalesce(sum(q.realised), 0) FROM sroi.quarterly_progress(d.as_of) AS q
               WHERE q.contract_id = c.contract_id)$$,
    'the quarters tie out to compliance.realised at other as-of dates');

-- Before any activity of U2 started and before the term: nothing.
SELECT results_eq(
    $$SELECT realised, expected_to_date, status, projected_at_end FROM sroi.compliance('2025-01-10')
       WHERE contract_id = 'U2'$$,
    $$VALUES (0.00, 0.00, 'on_track', NULL::numeric)
             -- before the term: realised 0.00, expected 0.00, 0.00 >= 0.00 on track; no projection
    $$,
    'U2 before its term starts');

SELECT is(
    (SELECT count(*)::integer FROM sroi.quarterly_progress('2025-01-10') WHERE contract_id = 'U2'),
    0,
    'no quarterly rows for a contract that has not started');

SELECT * FROM finish();
ROLLBACK;
