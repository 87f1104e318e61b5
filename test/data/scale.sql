-- Scale generator for the benchmark (test/bench/bench.sh).
--   psql -v activities=1000000 -v contracts=100000 -f test/data/scale.sql
--
-- Deterministic (setseed), the mix of the demo at national scale: contracts of
-- all sizes over ten years (40 quarters, 2016-Q1..2025-Q4) in 40 municipalities,
-- people on every kind of benefit, placements of every block.  Rows go in with
-- the validation triggers off (session_replication_role = replica): loading 10M
-- rows through row triggers would measure the triggers, not the reports.  So the rows
-- carry their contract's scope columns (municipality, supplier) here, as the trigger
-- <table>_scope would set them.

\set ON_ERROR_STOP 1
SELECT setseed(0.2016);

-- Contracts before 2024 need a card of their own: a copy of duoplus-2024.
INSERT INTO sroi.rate_card (code, valid_from, description)
VALUES ('bench-2015', '2015-01-01', 'benchmark: a copy of duoplus-2024 in force from 2015');
INSERT INTO sroi.building_block (rate_card, code, category, name, unit, amount, reference_months,
                                 max_months, requires_approval, eligibility, guideline_ref)
SELECT 'bench-2015', code, category, name, unit, amount, reference_months, max_months,
       requires_approval, eligibility, guideline_ref
  FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct)
SELECT 'bench-2015', rung, discount_pct FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024';

SET session_replication_role = replica;

CREATE TEMP TABLE municipality_name AS
SELECT (row_number() OVER ())::int - 1 AS n, name
  FROM unnest(ARRAY['Amsterdam', 'Rotterdam', 'Den Haag', 'Utrecht', 'Eindhoven', 'Groningen', 'Tilburg',
                    'Almere', 'Breda', 'Nijmegen', 'Apeldoorn', 'Arnhem', 'Haarlem', 'Enschede', 'Amersfoort',
                    'Zaanstad', 'Den Bosch', 'Haarlemmermeer', 'Zwolle', 'Zoetermeer', 'Leiden', 'Maastricht',
                    'Dordrecht', 'Ede', 'Alphen aan den Rijn', 'Alkmaar', 'Emmen', 'Westland', 'Delft',
                    'Venlo', 'Deventer', 'Leeuwarden', 'Sittard-Geleen', 'Helmond', 'Hilversum', 'Oss',
                    'Amstelveen', 'Diemen', 'Uithoorn', 'Ouder-Amstel']) AS name;

-- Contracts: a fifth at or under the threshold, most at 5 %, some at 2 %;
-- terms of one to four years starting from 2016 to mid 2025.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           obligation_pct, rate_card, pso_rung, pso_approved, pso_valid_until, kickoff_on)
SELECT 'K' || lpad(c.i::text, 7, '0'), m.name, 'Leverancier ' || (c.i % 5000), 'Opdracht ' || c.i,
       c.value, c.start - 45, c.start, c.start + c.term_days - 1,
       CASE WHEN c.r < 0.15 THEN 2 END,
       CASE WHEN c.start - 45 >= date '2024-01-01' THEN 'duoplus-2024' ELSE 'bench-2015' END,
       CASE WHEN c.r2 < 0.05 THEN '1' WHEN c.r2 < 0.08 THEN '2' WHEN c.r2 < 0.10 THEN '3'
            ELSE 'none' END::sroi.pso_rung,
       c.r2 < 0.10, c.start + 1000, c.start - 40
  FROM (SELECT i, random() AS r, random() AS r2,
               CASE WHEN random() < 0.2 THEN round((50000 + random() * 150000)::numeric, 2)
                    ELSE round((200000.01 + random() * random() * 20000000)::numeric, 2) END AS value,
               date '2016-01-01' + (random() * 3466)::int AS start,
               365 * (1 + (random() * 3)::int) AS term_days,
               (random() * 39)::int AS m
          FROM generate_series(1, :contracts) AS i) AS c
  JOIN municipality_name AS m ON m.n = c.m;

-- People: benefits in roughly the shares of the target group.
INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister, indication_until,
                            education, job_seeking, statushouder, special_group)
SELECT 'P' || lpad(p.i::text, 8, '0'), date '1958-01-01' + (random() * 17000)::int,
       b.benefit, CASE WHEN b.benefit <> 'none' THEN date '2012-01-01' + (random() * 4000)::int END,
       p.r < 0.15, CASE WHEN p.r < 0.15 AND random() < 0.5 THEN date '2018-01-01' + (random() * 3000)::int END,
       CASE WHEN p.r > 0.85 THEN (ARRAY['vso', 'pro', 'mbo1', 'mbo2'])[1 + (random() * 3)::int] END,
       random() < 0.3, random() < 0.08, random() < 0.05
  FROM (SELECT i, random() AS r, random() AS rb
          FROM generate_series(1, greatest(:activities / 2, 1)) AS i) AS p
  CROSS JOIN LATERAL (SELECT CASE WHEN p.rb < 0.45 THEN 'participatiewet' WHEN p.rb < 0.60 THEN 'ww'
                                  WHEN p.rb < 0.70 THEN 'wia' WHEN p.rb < 0.73 THEN 'wao'
                                  WHEN p.rb < 0.80 THEN 'wajong' ELSE 'none' END AS benefit) AS b;

-- Placements: 60 % category A, 20 % B, 20 % C, each inside its contract's term.
CREATE TEMP TABLE block_mix (lo float8, hi float8, code text);
INSERT INTO block_mix VALUES
    (0.00, 0.15, 'A1'), (0.15, 0.35, 'A2'), (0.35, 0.45, 'A3'), (0.45, 0.55, 'A4'), (0.55, 0.60, 'A4B'),
    (0.60, 0.65, 'B5'), (0.65, 0.69, 'B6'), (0.69, 0.72, 'B7'), (0.72, 0.74, 'B7P'), (0.74, 0.78, 'B8'),
    (0.78, 0.80, 'B8V'), (0.80, 0.83, 'C9'), (0.83, 0.92, 'C10'), (0.92, 0.97, 'C11'), (0.97, 1.01, 'M');

INSERT INTO sroi.activity (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on,
                           planned_ends_on, hours, amount, bonus_56plus, bonus_special, status, rate_card,
                           municipality, supplier)
SELECT k.id, CASE WHEN a.r_sub < 0.1 THEN 'Onderaannemer ' || (a.i % 997) END,
       bm.code,
       CASE WHEN bm.code < 'C' THEN 'P' || lpad((1 + a.i % greatest(:activities / 2, 1))::text, 8, '0') END,
       CASE WHEN bm.code < 'C' THEN round((0.2 + a.r_fte * 0.8)::numeric, 4) ELSE 1 END,
       s.start, CASE WHEN a.r_end < 0.7 THEN least(s.start + a.days, k.ends_on) END,
       CASE WHEN bm.code IN ('B6', 'B7', 'B7P', 'B8V') THEN s.start + 364 END,
       CASE WHEN bm.code = 'C10' THEN round((1 + a.r_fte * 40)::numeric, 1) END,
       CASE WHEN bm.code IN ('C9', 'C11', 'M') THEN round((250 + a.r_fte * 9750)::numeric, 2) END,
       bm.code < 'B' AND a.r_sub > 0.95, bm.code < 'B' AND a.r_sub BETWEEN 0.93 AND 0.95,
       CASE WHEN a.r_status < 0.6 THEN 'approved' WHEN a.r_status < 0.63 THEN 'rejected' ELSE 'reported' END,
       k.rate_card, k.municipality, k.supplier
  FROM (SELECT i, random() AS r_block, random() AS r_sub, random() AS r_fte, random() AS r_end,
               random() AS r_status, random() AS r_start, 30 + (random() * 700)::int AS days,
               'K' || lpad((1 + (random() * (:contracts - 1))::int)::text, 7, '0') AS contract_id
          FROM generate_series(1, :activities) AS i) AS a
  JOIN sroi.contract AS k ON k.id = a.contract_id
  CROSS JOIN LATERAL (SELECT k.starts_on + (a.r_start * (k.ends_on - k.starts_on))::int AS start) AS s
  JOIN block_mix AS bm ON a.r_block >= bm.lo AND a.r_block < bm.hi;

-- Quarterly reports for most quarters, a Plan van Aanpak line per contract year.
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on, municipality, supplier)
SELECT k.id, q.q, sroi.quarter_end(q.q) + (random() * 45)::int, k.municipality, k.supplier
  FROM sroi.contract AS k
  CROSS JOIN LATERAL sroi.quarters(sroi.quarter(k.starts_on),
                                   sroi.quarter(least(k.ends_on, date '2025-12-31'))) AS q (q)
 WHERE random() < 0.8;
-- version 1, entered without a proposal: accorded as entered (domain.md 6.1), as the plan
-- trigger records it
INSERT INTO sroi.plan_version (contract_id, version, status, proposed_by, proposed_on, decided_by, decided_on,
                               reason, entered_directly, municipality, supplier)
SELECT k.id, 1, 'accorded', 'bench', k.awarded_on, 'bench', k.awarded_on,
       'entered without a proposal: counts as accorded when entered (domain.md 6.1)', true,
       k.municipality, k.supplier
  FROM sroi.contract AS k;
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value, municipality, supplier)
SELECT k.id, sroi.quarter(k.starts_on) OPERATOR(sroi.+) (4 * y), 'A2', round(k.contract_value * 0.01, 2),
       k.municipality, k.supplier
  FROM sroi.contract AS k
  CROSS JOIN LATERAL generate_series(0, (k.ends_on - k.starts_on) / 366) AS y;

SET session_replication_role = DEFAULT;
ANALYZE;
