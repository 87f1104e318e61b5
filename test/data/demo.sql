-- Sample data for the three DUOplus municipalities: Diemen, Uithoorn and Ouder-Amstel.
--
-- Deterministic: every "random" choice is a hash of names and indices (pg_temp.rnd),
-- so the data never depends on execution order, the clock or a seed.  All names are
-- fictional; candidates are pseudonymous ids without any personal data.
--
-- How it is built (five sections below, each a few commented statements):
--   1. 36 contracts, hand-written, each with a profile that says where it should stand
--      on the calibration date 2026-10-15: fulfilled, on_track, at_risk, behind or none
--      (no obligation); special terms (2 %, exemption, fixed amount, turnover basis,
--      PSO rungs, phasing, penalty waiver) are set on a few.
--   2. From the obligation and the expected value on that date each contract gets a
--      target value for that date.
--   3. About 65 % of the target is delivered by A and B placements: slots spread over
--      the term, each with a share of that budget, whose fte and end (or agreement
--      start) are chosen so that it earns at most its share.  Every placement gets its
--      own candidate, whose facts are derived from the block and the start date so
--      that the eligibility rules hold (A1: Participatiewet for 24 months or more, A3:
--      WW for more than 6 months, ...).  One person, one fte placement: the
--      no-double-fte rule holds by construction.  A pool of unplaced candidates
--      completes the register.
--   4. About 15 % by invoices (C9, C11, M) that the coordinator approves, the rest by
--      MVO hours (C10) spread over the quarters, computed from sroi.compliance()
--      itself, so that the statuses come out as profiled.  Then pending and rejected
--      invoices, rejected placements, plans per quarter and quarterly reports (some
--      late, some missing).
--   5. Closing: two more contracts that ended in 2025, and three settlements (one
--      with a penalty due, one waived, one a success).
--
-- Every row goes through the extension's validation triggers; nothing is disabled.

SET client_min_messages = warning;
-- sroi on the path for the quarter operators (q - 1); names below stay qualified.
SET search_path = public, sroi;

-- Pseudo-randomness: a number in [0, 1) from the md5 of the key parts.
CREATE FUNCTION pg_temp.rnd(VARIADIC key text[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT
    RETURN ('x' || left(md5(array_to_string(key, '/')), 8))::bit(32)::bigint / 4294967296.0;

-- A whole number from lo to hi, both included.
CREATE FUNCTION pg_temp.rint(lo integer, hi integer, VARIADIC key text[]) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT
    RETURN lo + floor(pg_temp.rnd(VARIADIC key) * (hi - lo + 1))::integer;

-- The date the profiles are calibrated on (the demo report's default as-of date).
CREATE FUNCTION pg_temp.calibrated_on() RETURNS date
    LANGUAGE sql IMMUTABLE
    RETURN date '2026-10-15';

------------------------------------------------------------------------------------
-- 1. Contracts
------------------------------------------------------------------------------------

-- kickoff_after: days from award to the kick-off meeting (NULL: none held yet).
-- profile: where the contract should stand on 2026-10-15.
CREATE TEMP TABLE demo_contract AS
SELECT * FROM (VALUES
    -- Diemen
    ('DIE-2023-07', 'Diemen', 'bouw',       'Bouwbedrijf Amstelland BV',             'Herinrichting Hartveldseweg (wegwerkzaamheden)',     2450000.00, date '2023-06-12', date '2023-07-01', date '2025-12-31',    8, 'fulfilled'),
    ('DIE-2024-02', 'Diemen', 'schoonmaak', 'Schoonmaak Diemen Noord BV',            'Schoonmaak gemeentelijke gebouwen',                  1280000.00, date '2024-02-05', date '2024-04-01', date '2028-03-31',   10, 'on_track'),
    ('DIE-2024-05', 'Diemen', 'groen',      'Groenvoorziening De Ronde Venen BV',    'Onderhoud openbaar groen Diemen-Zuid',                860000.00, date '2024-04-08', date '2024-05-01', date '2027-04-30',   12, 'at_risk'),
    ('DIE-2024-09', 'Diemen', 'bouw',       'Van Dijk Infra Techniek BV',            'Riolering en herbestrating Diemen-Centrum',          3100000.00, date '2024-07-15', date '2024-09-02', date '2026-12-31',   27, 'behind'),
    ('DIE-2024-11', 'Diemen', 'ict',        'ICT Partners Amstel BV',                'Beheer werkplekken en netwerk',                       640000.00, date '2024-10-01', date '2024-11-01', date '2027-10-31',    6, 'on_track'),
    ('DIE-2025-01', 'Diemen', 'catering',   'Cateringgroep Het Zonnehuis BV',        'Catering gemeentehuis en Theater De Omval',           410000.00, date '2024-11-18', date '2025-01-01', date '2027-12-31',    9, 'on_track'),
    ('DIE-2025-03', 'Diemen', 'bouw',       'Bouwcombinatie Diemerpark VOF',         'Renovatie basisschool De Kersenboom',                4750000.00, date '2025-01-20', date '2025-03-01', date '2027-02-28',   13, 'behind'),
    ('DIE-2025-06', 'Diemen', 'diensten',   'Drukkerij Diemerbos BV',                'Drukwerk en communicatiemiddelen',                    185000.00, date '2025-05-12', date '2025-06-01', date '2027-05-31',    5, 'none'),
    ('DIE-2025-08', 'Diemen', 'diensten',   'Verhuisservice Amstelstad BV',          'Verhuizing en archiefopslag',                         200000.00, date '2025-07-07', date '2025-08-01', date '2026-07-31', NULL, 'none'),
    ('DIE-2025-10', 'Diemen', 'diensten',   'Elektrotechniek Holland-Oost BV',       'Onderhoud openbare verlichting',                      720000.00, date '2025-09-22', date '2025-11-01', date '2028-10-31',   11, 'at_risk'),
    ('DIE-2026-03', 'Diemen', 'diensten',   'Beveiliging Nieuwe Amstel BV',          'Beveiliging en toezicht evenementen',                 540000.00, date '2026-02-16', date '2026-04-01', date '2028-03-31',    7, 'on_track'),
    ('DIE-2026-09', 'Diemen', 'bouw',       'Sportvloeren Amstel-Noord BV',          'Vervanging sportvloeren sporthal De Diemen',          380000.00, date '2026-09-21', date '2026-11-02', date '2027-06-30', NULL, 'on_track'),
    -- Uithoorn
    ('UIT-2023-10', 'Uithoorn', 'bouw',       'Wegenbouw De Kwakel BV',              'Reconstructie Laan van Meerwijk',                    1650000.00, date '2023-08-28', date '2023-10-02', date '2025-09-30',   35, 'behind'),
    ('UIT-2024-03', 'Uithoorn', 'groen',      'Groenbeheer Uithoorn-Thamen BV',      'Maaien, bermbeheer en watergangen',                   520000.00, date '2024-01-29', date '2024-03-01', date '2027-02-28',    4, 'on_track'),
    ('UIT-2024-06', 'Uithoorn', 'schoonmaak', 'Schoonmaakbedrijf De Amstelhoek BV',  'Schoonmaak scholen en sporthallen',                   940000.00, date '2024-04-22', date '2024-06-01', date '2027-05-31',   10, 'on_track'),
    ('UIT-2024-07', 'Uithoorn', 'catering',   'Eetcafé & Catering Thamerdal BV',     'Catering raadhuis en bibliotheek',                    260000.00, date '2024-06-03', date '2024-07-01', date '2026-06-30',   14, 'fulfilled'),
    ('UIT-2024-09', 'Uithoorn', 'diensten',   'Installatietechniek Legmeer BV',      'Onderhoud klimaatinstallaties gemeentelijke gebouwen', 780000.00, date '2024-07-29', date '2024-09-01', date '2028-08-31',   19, 'behind'),
    ('UIT-2024-10', 'Uithoorn', 'ict',        'Softwarehuis Zijdelwaard BV',         'Zaaksysteem en applicatiebeheer',                    1200000.00, date '2024-09-09', date '2024-10-01', date '2028-09-30',    8, 'none'),
    ('UIT-2025-03', 'Uithoorn', 'diensten',   'Uitzendbureau Amstelland Flex BV',    'Inhuur tijdelijk personeel (raamovereenkomst)',      1500000.00, date '2025-02-03', date '2025-03-01', date '2027-02-28',   10, 'at_risk'),
    ('UIT-2025-05', 'Uithoorn', 'bouw',       'Bouwbedrijf Zijdelveld BV',           'Nieuwbouw kindcentrum Thamerdal',                    5800000.00, date '2025-03-24', date '2025-05-01', date '2027-10-31',   12, 'on_track'),
    ('UIT-2025-07', 'Uithoorn', 'diensten',   'Adviesbureau Meerwijk BV',            'Verkeersadvies en ontwerp',                           195000.00, date '2025-06-16', date '2025-07-01', date '2026-12-31',    3, 'none'),
    ('UIT-2025-10', 'Uithoorn', 'diensten',   'Afvalinzameling Amstel-Zuid BV',      'Inzameling bedrijfsafval en grof vuil',              1350000.00, date '2025-08-25', date '2025-10-01', date '2028-09-30',   13, 'at_risk'),
    ('UIT-2026-02', 'Uithoorn', 'schoonmaak', 'Glasbewassing Uithoorn BV',           'Glasbewassing en gevelreiniging',                     310000.00, date '2026-01-12', date '2026-02-01', date '2028-01-31',   24, 'behind'),
    ('UIT-2026-06', 'Uithoorn', 'groen',      'Speelwerk Amstel BV',                 'Onderhoud en inspectie speeltoestellen',              450000.00, date '2026-04-27', date '2026-06-01', date '2028-05-31',    9, 'on_track'),
    -- Ouder-Amstel
    ('OAM-2023-09', 'Ouder-Amstel', 'bouw',       'Infra Ouderkerk BV',                    'Herstel kademuren Amstelzijde',                2200000.00, date '2023-07-17', date '2023-09-01', date '2025-08-31',   10, 'fulfilled'),
    ('OAM-2024-03', 'Ouder-Amstel', 'groen',      'Groen & Recreatie Duivendrecht BV',     'Beheer sportparken en openbaar groen',          680000.00, date '2024-01-15', date '2024-03-01', date '2027-02-28',   12, 'behind'),
    ('OAM-2024-04', 'Ouder-Amstel', 'schoonmaak', 'Schoonmaakdiensten Holendrecht BV',     'Schoonmaak gemeentehuis en dorpshuizen',        380000.00, date '2024-02-26', date '2024-04-01', date '2026-03-31',    6, 'at_risk'),
    ('OAM-2024-06', 'Ouder-Amstel', 'bouw',       'Bouwbedrijf Waver & Amstel BV',         'Renovatie Brede School Duivendrecht',          3600000.00, date '2024-04-15', date '2024-06-01', date '2026-11-30',    9, 'on_track'),
    ('OAM-2024-08', 'Ouder-Amstel', 'ict',        'ICT Services Ouderkerk BV',             'Telefonie en mobiele diensten',                 560000.00, date '2024-06-24', date '2024-08-01', date '2027-07-31',   11, 'fulfilled'),
    ('OAM-2024-11', 'Ouder-Amstel', 'catering',   'Catering De Ronde Hoep BV',             'Catering en koffievoorziening',                 240000.00, date '2024-10-07', date '2024-11-01', date '2026-10-31',   48, 'at_risk'),
    ('OAM-2025-02', 'Ouder-Amstel', 'bouw',       'Wegen en Riolering Bullewijk BV',       'Groot onderhoud wegen Duivendrecht',           2750000.00, date '2024-12-09', date '2025-02-01', date '2026-12-31', NULL, 'behind'),
    ('OAM-2025-03', 'Ouder-Amstel', 'diensten',   'Juridisch Adviesbureau Holendrecht',    'Juridisch advies ruimtelijke ordening',         150000.00, date '2025-02-17', date '2025-03-01', date '2027-02-28',   12, 'none'),
    ('OAM-2025-08', 'Ouder-Amstel', 'diensten',   'Vervoersbedrijf Amstelland BV',         'Leerlingenvervoer en aangepast vervoer',       1900000.00, date '2025-06-02', date '2025-08-01', date '2028-07-31',    8, 'on_track'),
    ('OAM-2025-09', 'Ouder-Amstel', 'groen',      'Groenvoorziening De Ronde Venen BV',    'Bomenonderhoud en snoeiwerk',                   420000.00, date '2025-07-21', date '2025-09-01', date '2027-08-31',   10, 'at_risk'),
    ('OAM-2026-03', 'Ouder-Amstel', 'diensten',   'Elektrotechniek Holland-Oost BV',       'Laadpalen openbare ruimte',                     880000.00, date '2026-01-26', date '2026-03-01', date '2027-12-31',    7, 'on_track'),
    ('OAM-2026-05', 'Ouder-Amstel', 'bouw',       'Sloop- en Grondwerk Duivendrecht BV',   'Bouwrijp maken Entrada',                       1100000.00, date '2026-03-30', date '2026-05-01', date '2027-10-31',   16, 'behind')
) AS t (id, municipality, sector, supplier, title, contract_value, awarded_on, starts_on, ends_on,
        kickoff_after, profile);

ALTER TABLE demo_contract
    ADD tendered_on date, ADD rate_card text, ADD obligation_pct numeric, ADD obligation_amount numeric,
    ADD exemption_reason text, ADD basis text NOT NULL DEFAULT 'contract_value',
    ADD pso_rung sroi.pso_rung NOT NULL DEFAULT 'none', ADD pso_valid_until date,
    ADD penalty_waived_reason text;

-- Tender publication recorded for about half: 6 to 16 weeks before the award.
UPDATE demo_contract
   SET tendered_on = awarded_on - pg_temp.rint(42, 112, 'tender', id)
 WHERE pg_temp.rnd('tendered', id) < 0.5 AND awarded_on - 112 >= date '2024-01-01';
-- Awarded in 2023, before the first card: pinned by name to duoplus-2024 (domain.md 2).
UPDATE demo_contract SET rate_card = 'duoplus-2024' WHERE awarded_on < date '2024-01-01';
-- 2 % "indien afgesproken" (guideline 2.3).
UPDATE demo_contract SET obligation_pct = 2 WHERE id IN ('DIE-2024-11', 'OAM-2024-08', 'UIT-2026-02');
-- Exemption with a reason (guideline 5.1).
UPDATE demo_contract
   SET obligation_pct = 0,
       exemption_reason = 'Cloudlicenties van een buitenlandse leverancier zonder arbeidscomponent in Nederland (leidraad 5.1)'
 WHERE id = 'UIT-2024-10';
-- A concrete euro amount agreed in the contract (guideline 5.3).
UPDATE demo_contract SET obligation_amount = 50000 WHERE id = 'UIT-2025-10';
-- Raamovereenkomst: the obligation follows the reported turnover (guideline 5.2).
UPDATE demo_contract SET basis = 'turnover' WHERE id = 'UIT-2025-03';
-- PSO certificates (approved below, except UIT-2024-09's, still under review;
-- OAM-2024-06's expired on 2026-03-31).
UPDATE demo_contract AS k SET pso_rung = p.rung::sroi.pso_rung, pso_valid_until = p.valid_until
  FROM (VALUES ('DIE-2024-02', '2', date '2027-06-30'),
               ('DIE-2025-10', '1', date '2027-12-31'),
               ('UIT-2024-06', '3', date '2028-03-31'),
               ('UIT-2024-09', '2', date '2027-09-30'),
               ('OAM-2024-06', '1', date '2026-03-31'),
               ('OAM-2025-08', '3', date '2028-01-31'),
               ('OAM-2026-03', 'aspirant', NULL)) AS p (id, rung, valid_until)
 WHERE k.id = p.id;
-- Penalty waived: force majeure, best efforts shown (guideline 5.3).
UPDATE demo_contract
   SET penalty_waived_reason = 'Overmacht: faillissement van de hoofdonderaannemer in 2025; inspanningen aantoonbaar geleverd'
 WHERE id = 'DIE-2025-03';

INSERT INTO sroi.contract
    (id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
     obligation_pct, obligation_amount, exemption_reason, basis, rate_card, pso_rung, pso_valid_until,
     penalty_waived_reason, kickoff_on)
SELECT id, municipality, supplier, title, contract_value, tendered_on, awarded_on, starts_on, ends_on,
       obligation_pct, obligation_amount, exemption_reason, basis, rate_card, pso_rung, pso_valid_until,
       penalty_waived_reason, awarded_on + kickoff_after
  FROM demo_contract
 ORDER BY id;

-- The SR coordinator approves the PSO discounts she checked.  (Decisions are made
-- in DO blocks, so that loading the file prints nothing.)
DO $$
BEGIN
    PERFORM sroi.approve_pso(id, 'S. Yilmaz (SR-coördinator)',
                             format('PSO-certificaat trede %s gecontroleerd, geldig tot %s', pso_rung, pso_valid_until))
       FROM demo_contract
      WHERE pso_rung IN ('1', '2', '3') AND id <> 'UIT-2024-09'
      ORDER BY id;
END
$$;

-- Own phasing schedule (fasering, guideline 4.3): a build that peaks late.
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES
    ('UIT-2025-05', date '2025-05-01', 0.00),
    ('UIT-2025-05', date '2025-11-01', 0.10),
    ('UIT-2025-05', date '2026-05-01', 0.30),
    ('UIT-2025-05', date '2026-11-01', 0.60),
    ('UIT-2025-05', date '2027-05-01', 0.85),
    ('UIT-2025-05', date '2027-10-31', 1.00);

-- Turnover of the raamovereenkomst per quarter, up to the last full quarter.
INSERT INTO sroi.turnover (contract_id, quarter, amount)
SELECT k.id, q, round(CASE WHEN q = sroi.quarter(k.starts_on) THEN 55000 ELSE 150000 END
                      * (0.8 + 0.5 * pg_temp.rnd('turnover', k.id, q::text)), 2)
  FROM demo_contract AS k
 CROSS JOIN sroi.quarters(sroi.quarter(k.starts_on), sroi.quarter(pg_temp.calibrated_on()) - 1) AS q
 WHERE k.basis = 'turnover'
 ORDER BY k.id, q;

------------------------------------------------------------------------------------
-- 2. Targets: the value each contract should have realised on the calibration date
------------------------------------------------------------------------------------

CREATE TEMP TABLE demo_target AS
SELECT k.id, k.sector, k.profile, k.starts_on, k.ends_on, t.obligation, t.expected,
       round(CASE k.profile
                 WHEN 'fulfilled' THEN t.obligation * (1.02 + 0.08 * r)
                 WHEN 'on_track'  THEN least(t.expected * (1.08 + 0.25 * r),
                                             t.expected + 0.6 * (t.obligation - t.expected))
                 WHEN 'at_risk'   THEN t.expected * (0.80 + 0.10 * r)
                 WHEN 'behind'    THEN t.expected * (0.25 + 0.35 * r)
                 ELSE 0 END, 2) AS target,
       -- the last day placements may start: a month before the calibration date
       least(pg_temp.calibrated_on(), k.ends_on) - 30 AS last_start
  FROM demo_contract AS k
 CROSS JOIN LATERAL sroi.contract_targets(k.id, pg_temp.calibrated_on()) AS t
 CROSS JOIN LATERAL pg_temp.rnd('target', k.id) AS r;

------------------------------------------------------------------------------------
-- 3. Placements (A and B blocks) and their candidates
------------------------------------------------------------------------------------

-- Which blocks each sector places, and how often (weights per sector).
CREATE TEMP TABLE demo_mix AS
WITH mix (sector, block, weight) AS (VALUES
    ('bouw',       'A1',  25), ('bouw',       'A2',  15), ('bouw',       'A3',  10), ('bouw',       'B5',   5),
    ('bouw',       'B6',  20), ('bouw',       'B7',   5), ('bouw',       'B7P', 10), ('bouw',       'B8',  10),
    ('groen',      'A1',  20), ('groen',      'A4',  20), ('groen',      'A4B', 15), ('groen',      'B6',  15),
    ('groen',      'B8',  20), ('groen',      'B8V', 10),
    ('schoonmaak', 'A1',  25), ('schoonmaak', 'A2',  15), ('schoonmaak', 'A4',  25), ('schoonmaak', 'A4B', 10),
    ('schoonmaak', 'B5',  10), ('schoonmaak', 'B8',  15),
    ('ict',        'A3',  20), ('ict',        'A4',  25), ('ict',        'B6',  15), ('ict',        'B7',  40),
    ('catering',   'A2',  20), ('catering',   'A4',  25), ('catering',   'B7',  15), ('catering',   'B8',  20),
    ('catering',   'B8V', 20),
    ('diensten',   'A1',  20), ('diensten',   'A2',  20), ('diensten',   'A3',  15), ('diensten',   'B5',  10),
    ('diensten',   'B6',  10), ('diensten',   'B7',  10), ('diensten',   'B8',  15)
)
SELECT sector, block,  -- [lo, hi): the block's slice of [0, 1)
       (sum(weight) OVER w - weight)::numeric / sum(weight) OVER (PARTITION BY sector) AS lo,
       sum(weight) OVER w::numeric / sum(weight) OVER (PARTITION BY sector) AS hi
  FROM mix
WINDOW w AS (PARTITION BY sector ORDER BY block);

-- A few slots get a fixed block, so that every kind of block shows up at least once.
CREATE TEMP TABLE demo_showcase (contract_id, j, block) AS VALUES
    ('DIE-2024-02', 1, 'A4B'), ('UIT-2024-06', 2, 'A4B'), ('DIE-2024-02', 2, 'A4'),
    ('UIT-2024-03', 1, 'A4'),  ('DIE-2024-11', 1, 'B7'),  ('OAM-2024-08', 1, 'B7'),
    ('UIT-2024-03', 2, 'B8V'), ('DIE-2025-10', 1, 'B5'),  ('UIT-2025-10', 1, 'A1'),
    ('OAM-2024-03', 1, 'B8');

-- Placement slots: about one per EUR 8,000 of the budget (65 % of the target),
-- 1 to 12 per contract, each with its share of the budget.  A slot delivers at most
-- its share by the calibration date; what is missing is made up with MVO hours.
CREATE TEMP TABLE demo_placement AS
WITH slot AS (
    SELECT t.*, n, j,
           0.65 * t.target * w / sum(w) OVER (PARTITION BY t.id) AS share,
           least(pg_temp.calibrated_on(), t.ends_on) AS until
      FROM demo_target AS t
     CROSS JOIN LATERAL (SELECT greatest(1, least(12, round(0.65 * t.target / 8000)))::integer AS n) AS n
     CROSS JOIN LATERAL generate_series(1, n) AS j
     CROSS JOIN LATERAL (SELECT 0.5 + pg_temp.rnd('weight', t.id, j::text) AS w) AS w
     WHERE t.target > 0
), typed AS (
    -- The block: from the sector mix, or the showcase.
    SELECT s.*, b.code AS block, b.unit, b.amount, b.reference_months,
           -- a start spread over the elapsed term
           s.starts_on + floor((s.j - 1 + pg_temp.rnd('start', s.id, s.j::text)) / s.n
                               * greatest(s.last_start - s.starts_on, 0))::integer AS spread_start,
           -- planned months of an agreement
           CASE b.code WHEN 'B6'  THEN 12 * pg_temp.rint(1, 2, 'months', s.id, s.j::text)
                       WHEN 'B7'  THEN pg_temp.rint(3, 6, 'months', s.id, s.j::text)
                       WHEN 'B7P' THEN pg_temp.rint(6, 12, 'months', s.id, s.j::text)
                       WHEN 'B8V' THEN pg_temp.rint(4, 10, 'months', s.id, s.j::text) END AS months,
           -- hours a week of an fte placement, out of 36
           (ARRAY[16, 20, 24, 28, 32, 32, 36, 36, 36, 36])[pg_temp.rint(1, 10, 'hours', s.id, s.j::text)] AS hours
      FROM slot AS s
      LEFT JOIN demo_showcase AS sc ON sc.contract_id = s.id AND sc.j = s.j
      JOIN demo_mix AS m ON m.sector = s.sector
                        AND pg_temp.rnd('block', s.id, s.j::text) >= m.lo
                        AND pg_temp.rnd('block', s.id, s.j::text) < m.hi
      JOIN sroi.building_block AS b ON b.rate_card = 'duoplus-2024' AND b.code = coalesce(sc.block, m.block)
), fte_slot AS (
    -- need: the months the share needs at the slot's hours.  Half the placements are
    -- still running on the calibration date, begun need months before it; the others
    -- start spread over the term, about 1 in 8 of them hired up to ten months before
    -- the contract started (counts from the start, domain.md 3).
    -- available: months from the (counted) start to the calibration date.
    SELECT n.*, greatest(n.start_on, n.starts_on) AS counted_from,
           sroi.months(greatest(n.start_on, n.starts_on), n.until) AS available
      FROM (SELECT ty.*, need, running,
                   CASE WHEN running
                             THEN greatest(ty.starts_on,
                                           (ty.until + 1 - make_interval(months => floor(need)::integer)
                                                - make_interval(days => round((need - floor(need)) * 30)::integer))::date)
                        WHEN pg_temp.rnd('early', ty.id, ty.j::text) < 0.12
                             THEN ty.starts_on - pg_temp.rint(20, 300, 'early days', ty.id, ty.j::text)
                        ELSE ty.spread_start END AS start_on
              FROM typed AS ty
             CROSS JOIN LATERAL (SELECT ty.share * ty.reference_months / (ty.amount * ty.hours / 36.0) AS need,
                                        pg_temp.rnd('running', ty.id, ty.j::text) < 0.5 AS running) AS x
             WHERE ty.unit = 'fte_period') AS n
), fte_placement AS (
    -- A placement that is not running ends once it delivered its share (after at
    -- least 3 months, at fewer hours if need be).  One that runs on has no end
    -- (permanent) or a planned end; without the time its share needs, it runs at
    -- more hours.
    SELECT f.id, f.j, f.sector, f.block, f.unit, f.start_on AS starts_on,
           CASE WHEN NOT f.running AND f.need <= f.available
                     THEN (f.counted_from + make_interval(months => greatest(3, floor(f.need))::integer)
                           + make_interval(days => CASE WHEN f.need < 3 THEN 0
                                                        ELSE round((f.need - floor(f.need)) * 30)::integer END)
                           - interval '1 day')::date
                WHEN pg_temp.rnd('permanent', f.id, f.j::text) < 0.6 THEN NULL
                ELSE f.until + pg_temp.rint(60, 500, 'planned end', f.id, f.j::text)
           END AS ends_on,
           NULL::date AS planned_ends_on,
           round(greatest(8, least(36, CASE WHEN f.need > f.available
                                            THEN round(36 * f.share * f.reference_months
                                                       / (f.amount * greatest(f.available, 1)))
                                            WHEN f.need < 3 AND NOT f.running
                                            THEN round(36 * f.share * f.reference_months / (f.amount * 3))
                                            ELSE f.hours END))
                 / 36.0, 4) AS fte
      FROM fte_slot AS f
), agreement_slot AS (
    -- An agreement is worth at most its share: a whole one when the share covers it
    -- and it fits in the term before the calibration date, else one begun so that the
    -- part done by then is worth the share.
    SELECT ty.*, planned_days,
           CASE WHEN ty.share >= ty.amount AND ty.spread_start + planned_days - 1 <= ty.until
                THEN ty.spread_start
                ELSE greatest(ty.starts_on, ty.until - ceil(least(1, ty.share / ty.amount) * planned_days)::integer + 1)
           END AS start_on
      FROM typed AS ty
     CROSS JOIN LATERAL (SELECT round(ty.months * 30.44)::integer AS planned_days) AS pd
     WHERE ty.unit = 'agreement'
), agreement_placement AS (
    -- Ended when the planned end has passed; one in ten stops early.
    SELECT a.id, a.j, a.sector, a.block, a.unit, a.start_on AS starts_on,
           CASE WHEN pg_temp.rnd('dropout', a.id, a.j::text) < 0.1
                     THEN a.start_on + a.planned_days * 2 / 5
                WHEN a.start_on + a.planned_days - 1 <= pg_temp.calibrated_on()
                     THEN a.start_on + a.planned_days - 1
           END AS ends_on,
           a.start_on + a.planned_days - 1 AS planned_ends_on,
           NULL::numeric AS fte
      FROM agreement_slot AS a
)
SELECT p.id AS contract_id, p.j, p.sector, p.block, p.unit, p.starts_on, p.ends_on, p.planned_ends_on, p.fte,
       row_number() OVER (ORDER BY p.id, p.j) AS seq
  FROM (SELECT * FROM fte_placement UNION ALL SELECT * FROM agreement_placement) AS p;

-- Decisions to come on a few placements: two rejected, one eligibility override.
ALTER TABLE demo_placement ADD decision text;
UPDATE demo_placement SET decision = 'reject'
 WHERE seq IN (SELECT seq FROM demo_placement WHERE unit = 'fte_period' AND block <> 'A3'
                ORDER BY pg_temp.rnd('reject', contract_id, j::text) LIMIT 2);
UPDATE demo_placement SET decision = 'override'
 WHERE seq = (SELECT seq FROM demo_placement WHERE block = 'A3'
               ORDER BY pg_temp.rnd('override', contract_id, j::text) LIMIT 1);

-- Every placement's candidate, with facts that meet the block's rule at the start.
CREATE TEMP TABLE demo_candidate AS
WITH person AS (
    SELECT p.*,
           pg_temp.rnd('kind', p.contract_id, p.j::text) AS r,
           -- age at the start
           CASE WHEN p.block IN ('A1', 'A2', 'A3', 'A4', 'A4B')
                     THEN CASE WHEN pg_temp.rnd('56+', p.contract_id, p.j::text) < 0.2
                               THEN pg_temp.rint(56, 63, 'age', p.contract_id, p.j::text)
                               ELSE pg_temp.rint(21, 55, 'age', p.contract_id, p.j::text) END
                WHEN p.block = 'B5'  THEN pg_temp.rint(30, 62, 'age', p.contract_id, p.j::text)
                WHEN p.block = 'B6'  THEN pg_temp.rint(18, 27, 'age', p.contract_id, p.j::text)
                WHEN p.block = 'B7'  THEN pg_temp.rint(18, 21, 'age', p.contract_id, p.j::text)
                WHEN p.block = 'B7P' THEN pg_temp.rint(19, 40, 'age', p.contract_id, p.j::text)
                WHEN p.block = 'B8V' THEN pg_temp.rint(18, 19, 'age', p.contract_id, p.j::text)
                ELSE pg_temp.rint(21, 60, 'age', p.contract_id, p.j::text) END AS age
      FROM demo_placement AS p
), born AS (
    SELECT pe.*,
           greatest(date '1960-01-01', least(date '2007-12-31',
               (pe.starts_on - make_interval(years => pe.age))::date
                   - pg_temp.rint(1, 360, 'birthday', pe.contract_id, pe.j::text))) AS birth_date
      FROM person AS pe
), facts AS (
    SELECT b.*,
           CASE WHEN b.block IN ('A1', 'A2', 'A4B') THEN 'participatiewet'
                WHEN b.block = 'A3' THEN 'ww'
                WHEN b.block = 'A4' THEN CASE WHEN b.r < 0.5 THEN 'wajong' WHEN b.r < 0.7 THEN 'participatiewet' ELSE 'none' END
                WHEN b.block = 'B5' THEN CASE WHEN b.r < 0.2 AND b.age >= 50 THEN 'wao' ELSE 'wia' END
                WHEN b.block = 'B6' THEN CASE WHEN b.r < 0.5 THEN 'participatiewet' ELSE 'none' END
                WHEN b.block = 'B7P' THEN 'participatiewet'
                WHEN b.block = 'B8' THEN CASE WHEN b.r < 0.7 THEN 'participatiewet' ELSE 'ww' END
                ELSE 'none' END AS benefit,
           -- days on benefit before the start, by the block's rule
           CASE WHEN b.block = 'A1' THEN NULL   -- 24 months or more: computed below
                WHEN b.block = 'A2' THEN pg_temp.rint(30, 700, 'since', b.contract_id, b.j::text)
                WHEN b.decision = 'override' THEN 150   -- WW for 5 months only
                WHEN b.block = 'A3' OR (b.block = 'B8' AND b.r >= 0.7)
                     THEN pg_temp.rint(200, 600, 'since', b.contract_id, b.j::text)
                ELSE pg_temp.rint(60, 3000, 'since', b.contract_id, b.j::text) END AS days_on_benefit,
           CASE WHEN b.block = 'B6' THEN CASE WHEN b.r >= 0.5 THEN 'mbo2' END
                WHEN b.block = 'B7' THEN CASE WHEN b.r < 0.35 THEN 'mbo1' ELSE 'mbo2' END
                WHEN b.block = 'B8V' THEN CASE WHEN b.r < 0.6 THEN 'vso' ELSE 'pro' END
           END AS education,
           b.block IN ('B6', 'B7P') AND b.r < 0.25
               OR b.block IN ('A1', 'A2') AND pg_temp.rnd('statushouder', b.contract_id, b.j::text) < 0.12 AS statushouder
      FROM born AS b
)
SELECT f.seq, f.contract_id, f.j,
       -- pseudonymous id: municipality and a scrambled number
       upper(left(f.contract_id, 3)) || '-' || lpad(((f.seq * 389 + 17) % 9973)::text, 6, '0') AS id,
       f.birth_date, f.benefit,
       CASE WHEN f.benefit = 'none' THEN NULL
            WHEN f.block = 'A1' THEN greatest(f.birth_date + interval '18 years',
                                              f.starts_on - interval '24 months'
                                                  - make_interval(days => pg_temp.rint(0, 2900, 'since', f.contract_id, f.j::text)))::date
            ELSE greatest(f.birth_date + interval '18 years', f.starts_on - f.days_on_benefit)::date
       END AS benefit_since,
       f.block = 'A4' OR f.benefit = 'wajong' AS doelgroepregister,
       f.block = 'A4B' AS beschut_werk,
       -- indications: mostly open-ended; some end after the placement, one during it
       CASE WHEN f.block NOT IN ('A4', 'A4B') THEN NULL
            WHEN f.seq = (SELECT seq FROM demo_placement WHERE block = 'A4' ORDER BY starts_on, seq LIMIT 1)
                 THEN f.starts_on + (coalesce(f.ends_on, pg_temp.calibrated_on()) - f.starts_on) * 2 / 3
            WHEN f.block = 'A4B' OR pg_temp.rnd('indication', f.contract_id, f.j::text) < 0.3
                 THEN greatest(coalesce(f.ends_on, pg_temp.calibrated_on()), pg_temp.calibrated_on())
                      + pg_temp.rint(90, 900, 'indication days', f.contract_id, f.j::text)
       END AS indication_until,
       f.education,
       f.benefit IN ('participatiewet', 'ww') AS job_seeking,
       f.statushouder,
       f.statushouder AND pg_temp.rnd('special', f.contract_id, f.j::text) < 0.7 AS special_group
  FROM facts AS f;

-- A pool of candidates registered but not (yet) placed, as of the calibration date.
INSERT INTO demo_candidate (seq, id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk,
                            indication_until, education, job_seeking, statushouder, special_group)
WITH pool AS (
    SELECT i, (SELECT max(seq) FROM demo_placement) + i AS seq,
           date '1960-01-01' + floor(pg_temp.rnd('pool birth', i::text) * (date '2007-12-31' - date '1960-01-01'))::integer AS birth_date,
           pg_temp.rnd('pool benefit', i::text) AS r,
           (ARRAY['DIE', 'UIT', 'OAM'])[1 + i % 3] AS prefix
      FROM generate_series(1, 240) AS i
), facts AS (
    SELECT p.*, sroi.age_on(p.birth_date, pg_temp.calibrated_on()) AS age,
           CASE WHEN p.r < 0.40 THEN 'participatiewet' WHEN p.r < 0.58 THEN 'ww'
                WHEN p.r < 0.66 THEN CASE WHEN sroi.age_on(p.birth_date, pg_temp.calibrated_on()) < 25 THEN 'none'
                                          WHEN sroi.age_on(p.birth_date, pg_temp.calibrated_on()) >= 50 AND p.r < 0.62 THEN 'wao'
                                          ELSE 'wia' END
                WHEN p.r < 0.74 THEN 'wajong' ELSE 'none' END AS benefit
      FROM pool AS p
)
SELECT f.seq, f.prefix || '-' || lpad(((f.seq * 389 + 17) % 9973)::text, 6, '0'), f.birth_date, f.benefit,
       CASE f.benefit WHEN 'none' THEN NULL
                      WHEN 'wajong' THEN (f.birth_date + interval '18 years')::date
                      WHEN 'ww' THEN pg_temp.calibrated_on() - pg_temp.rint(20, 700, 'pool since', f.i::text)
                      ELSE greatest(f.birth_date + interval '18 years',
                                    pg_temp.calibrated_on() - pg_temp.rint(30, 4000, 'pool since', f.i::text))::date END,
       f.benefit = 'wajong' OR pg_temp.rnd('pool dgr', f.i::text) < 0.04,
       f.benefit = 'participatiewet' AND pg_temp.rnd('pool beschut', f.i::text) < 0.04,
       CASE WHEN f.benefit = 'wajong' AND pg_temp.rnd('pool ind', f.i::text) < 0.3
            THEN date '2026-01-01' + pg_temp.rint(0, 1400, 'pool ind days', f.i::text) END,
       CASE WHEN f.age < 20 AND pg_temp.rnd('pool edu', f.i::text) < 0.3 THEN 'vso'
            WHEN f.age < 20 AND pg_temp.rnd('pool edu', f.i::text) < 0.45 THEN 'pro'
            WHEN f.age < 23 AND pg_temp.rnd('pool edu', f.i::text) < 0.75 THEN
                 CASE WHEN pg_temp.rnd('pool mbo', f.i::text) < 0.4 THEN 'mbo1' ELSE 'mbo2' END END,
       f.benefit IN ('participatiewet', 'ww') OR (f.age >= 50 AND pg_temp.rnd('pool js', f.i::text) < 0.5),
       f.benefit = 'participatiewet' AND pg_temp.rnd('pool sh', f.i::text) < 0.15,
       pg_temp.rnd('pool special', f.i::text) < 0.04
  FROM facts AS f;

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk,
                            indication_until, education, job_seeking, statushouder, special_group)
SELECT id, birth_date, benefit, benefit_since, doelgroepregister, beschut_werk,
       indication_until, education, job_seeking, statushouder, special_group
  FROM demo_candidate
 ORDER BY seq;

-- Subcontractors that place people for the main contractor (ketenverantwoordelijkheid).
CREATE TEMP TABLE demo_subcontractor AS
SELECT * FROM (VALUES
    ('bouw', 'Stratenmakersbedrijf Van der Linden BV'),
    ('bouw', 'Grondwerk Abcoude BV'),
    ('bouw', 'Installatiebedrijf Gein BV'),
    ('groen', 'Hoveniersbedrijf Bovenkerk BV'),
    ('diensten', 'Personeelsdiensten Amstel & Vecht BV')
) AS t (sector, name);

-- The placements.  The override is recorded by the coordinator on entry.
INSERT INTO sroi.activity (contract_id, delivered_by, block, candidate_id, fte, starts_on, ends_on,
                           planned_ends_on, bonus_56plus, bonus_special, evidence_ref, eligibility_override)
SELECT p.contract_id,
       CASE WHEN pg_temp.rnd('sub', p.contract_id, p.j::text) < 0.3 THEN
           (SELECT sc.name FROM demo_subcontractor AS sc WHERE sc.sector = p.sector
             ORDER BY pg_temp.rnd('which sub', p.contract_id, p.j::text, sc.name) LIMIT 1) END,
       p.block, c.id, p.fte, p.starts_on, p.ends_on, p.planned_ends_on,
       -- bonuses on category A placements, where the person qualifies (not always claimed)
       p.block LIKE 'A%' AND sroi.age_on(c.birth_date, p.starts_on) >= 56
           AND (c.benefit = 'participatiewet' OR c.doelgroepregister)
           AND pg_temp.rnd('claim 12', p.contract_id, p.j::text) < 0.85,
       p.block LIKE 'A%' AND c.special_group,
       CASE WHEN p.unit = 'fte_period' THEN 'AO-' ELSE 'POK-' END
           || to_char(p.starts_on, 'YYYY') || '-' || lpad(p.seq::text, 4, '0'),
       CASE WHEN p.decision = 'override'
            THEN 'WW sinds 5 maanden, daarvoor 4 maanden bijstand: samen ruim 6 maanden uitkering (besluit SR-coördinator)' END
  FROM demo_placement AS p
  JOIN demo_candidate AS c ON c.seq = p.seq
 ORDER BY p.seq;

------------------------------------------------------------------------------------
-- 4. Invoices (C9, C11, M), decisions, MVO hours (C10), plans, reports
------------------------------------------------------------------------------------

-- About 15 % of the target in 1 to 3 invoices, spread over the elapsed term;
-- the coordinator approves them below.
CREATE TEMP TABLE demo_invoice AS
SELECT t.id AS contract_id, i,
       CASE WHEN r < 0.45 THEN 'C11' WHEN r < 0.70 THEN 'C9' ELSE 'M' END AS block,
       t.starts_on + floor((i - 1 + pg_temp.rnd('inv date', t.id, i::text)) / n
                           * (least(pg_temp.calibrated_on(), t.ends_on) - t.starts_on))::integer AS starts_on,
       round(0.15 * t.target * w / sum(w) OVER (PARTITION BY t.id), 2) AS amount,
       'approve' AS decision
  FROM demo_target AS t
 CROSS JOIN LATERAL (SELECT CASE WHEN t.target >= 30000 THEN 3 WHEN t.target >= 8000 THEN 2 ELSE 1 END AS n) AS n
 CROSS JOIN LATERAL generate_series(1, n) AS i
 CROSS JOIN LATERAL pg_temp.rnd('inv kind', t.id, i::text) AS r
 CROSS JOIN LATERAL (SELECT 0.5 + pg_temp.rnd('inv weight', t.id, i::text) AS w) AS w
 WHERE t.target > 0;

-- Still awaiting approval: recent invoices of a third of the running contracts,
-- and one from May that nobody looked at.
INSERT INTO demo_invoice (contract_id, i, block, starts_on, amount, decision)
SELECT t.id, 9, CASE WHEN pg_temp.rnd('pending kind', t.id) < 0.6 THEN 'C11' ELSE 'M' END,
       CASE WHEN t.id = 'DIE-2024-05' THEN date '2026-05-12'
            ELSE date '2026-09-20' + pg_temp.rint(0, 24, 'pending date', t.id) END,
       round(greatest(750, 0.08 * t.obligation) * (0.5 + pg_temp.rnd('pending amount', t.id)), 2), 'pending'
  FROM demo_target AS t
 WHERE t.target > 0 AND t.ends_on > pg_temp.calibrated_on() AND t.starts_on < date '2026-09-01'
   AND (pg_temp.rnd('pending', t.id) < 0.35 OR t.id = 'DIE-2024-05');

-- Rejected by the coordinator, with the reason.
INSERT INTO demo_invoice (contract_id, i, block, starts_on, amount, decision) VALUES
    ('DIE-2024-09', 8, 'C11', date '2025-06-18', 8450.00, 'Leverancier is geen SW-bedrijf of sociale onderneming'),
    ('UIT-2024-09', 8, 'M',   date '2025-11-04', 12000.00, 'Sociale waarde van het project niet onderbouwd'),
    ('OAM-2025-02', 8, 'C9',  date '2026-02-23', 5000.00, 'Sponsoring van de sportvereniging, niet van het SR-fonds');

INSERT INTO sroi.activity (contract_id, block, fte, starts_on, amount, evidence_ref)
SELECT contract_id, block, NULL, starts_on, amount,
       CASE block WHEN 'C9' THEN 'Betaalbewijs SR-fonds ' WHEN 'C11' THEN 'Factuur SW-bedrijf ' ELSE 'Projectplan ' END
           || to_char(starts_on, 'YYYY') || '-' || lpad(((row_number() OVER (ORDER BY contract_id, i)) * 37 % 997)::text, 4, '0')
  FROM demo_invoice
 ORDER BY contract_id, i;

-- The coordinators' decisions, in activity order: invoices approved or rejected,
-- and two placements rejected.  One call per activity, in a loop: a workflow function
-- called in a query over sroi.activity would run on the shards on Citus, where it is
-- refused (README, Citus).
DO $$
DECLARE
    x record;
BEGIN
    FOR x IN
        SELECT a.id, d.decision
          FROM sroi.activity AS a
          JOIN demo_invoice AS d ON d.contract_id = a.contract_id AND d.starts_on = a.starts_on
                                AND d.block = a.block AND d.amount = a.amount
         WHERE d.decision <> 'pending'
         ORDER BY a.id
    LOOP
        IF x.decision = 'approve' THEN
            PERFORM sroi.approve(x.id, CASE WHEN x.id % 3 = 0 THEN 'J. de Boer (SR-coördinator)'
                                            ELSE 'S. Yilmaz (SR-coördinator)' END);
        ELSE
            PERFORM sroi.reject(x.id, 'S. Yilmaz (SR-coördinator)', x.decision);
        END IF;
    END LOOP;

    FOR x IN
        SELECT a.id, r.reason
          FROM sroi.activity AS a
          JOIN (SELECT c.id, r.reason
                  FROM demo_candidate AS c
                  JOIN demo_placement AS p ON p.seq = c.seq
                  JOIN (VALUES (1, 'Geen arbeidsovereenkomst of loonstroken aangeleverd'),
                               (2, 'Dezelfde plaatsing is al opgevoerd bij een ander contract')) AS r (n, reason)
                    ON r.n = (SELECT count(*) FROM demo_placement AS p2 WHERE p2.decision = 'reject' AND p2.seq <= p.seq)
                 WHERE p.decision = 'reject') AS r ON r.id = a.candidate_id
         ORDER BY a.id
    LOOP
        PERFORM sroi.reject(x.id, 'J. de Boer (SR-coördinator)', x.reason);
    END LOOP;
END
$$;

-- MVO hours (C10: guest lessons, company visits, knowledge) fill the rest of the
-- target, spread over the quarters elapsed, in half hours.
INSERT INTO sroi.activity (contract_id, block, fte, starts_on, hours, evidence_ref)
WITH rest AS (
    SELECT t.id, t.starts_on, least(pg_temp.calibrated_on(), t.ends_on) AS last_day, t.target - c.realised AS rest
      FROM demo_target AS t
      JOIN sroi.compliance(pg_temp.calibrated_on()) AS c ON c.contract_id = t.id
     WHERE t.target > c.realised
), batch AS (
    SELECT r.*, q, greatest(sroi.quarter_start(q), r.starts_on) AS from_day,
           least(sroi.quarter_end(q), r.last_day) AS to_day,
           round(round(2 * r.rest / 100 * w / sum(w) OVER (PARTITION BY r.id)) / 2, 1) AS hours
      FROM rest AS r
     CROSS JOIN sroi.quarters(sroi.quarter(r.starts_on), sroi.quarter(r.last_day)) AS q
     CROSS JOIN LATERAL (SELECT 0.5 + pg_temp.rnd('mvo weight', r.id, q::text) AS w) AS w
)
SELECT id, 'C10', NULL, from_day + floor(pg_temp.rnd('mvo day', id, q::text) * (to_day - from_day + 1))::integer,
       hours, format('Urenregistratie MVO-activiteiten %s', q)
  FROM batch
 WHERE hours > 0
 ORDER BY id, q;

-- Plan van Aanpak: per quarter of the term, the obligation spread by days with
-- some noise, over the sector's usual blocks.
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
WITH full_obligation AS (
    SELECT k.id, k.sector, k.starts_on, k.ends_on,
           CASE WHEN k.basis = 'turnover' THEN 0.05 * k.contract_value
                ELSE (SELECT t.obligation FROM sroi.contract_targets(k.id, k.ends_on) AS t) END AS obligation
      FROM demo_contract AS k
), plan_block (sector, block, part) AS (VALUES
    ('bouw', 'A1', 0.5), ('bouw', 'B6', 0.3), ('bouw', 'C10', 0.2),
    ('groen', 'A4', 0.6), ('groen', 'B8', 0.4),
    ('schoonmaak', 'A4', 0.5), ('schoonmaak', 'A1', 0.5),
    ('ict', 'B7', 0.6), ('ict', 'C10', 0.4),
    ('catering', 'A4', 0.6), ('catering', 'B8V', 0.4),
    ('diensten', 'A2', 0.4), ('diensten', 'A3', 0.4), ('diensten', 'C10', 0.2)
)
SELECT f.id, q, pb.block,
       round(f.obligation * pb.part
             * (least(sroi.quarter_end(q), f.ends_on) - greatest(sroi.quarter_start(q), f.starts_on) + 1)
             / (f.ends_on - f.starts_on + 1)
             * (0.85 + 0.3 * pg_temp.rnd('plan', f.id, q::text, pb.block)), -1)
  FROM full_obligation AS f
 CROSS JOIN sroi.quarters(sroi.quarter(f.starts_on), sroi.quarter(f.ends_on)) AS q
  JOIN plan_block AS pb ON pb.sector = f.sector
 WHERE f.obligation > 0
 ORDER BY f.id, q, pb.block;

-- Quarterly reports, due 30 days after the quarter: most on time, some late, some
-- missing (more so where the contract is behind); part of 2026-Q3 is already in.
-- Contracts without an obligation do not report.
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
SELECT id, q, submitted_on
  FROM demo_target AS t
 CROSS JOIN sroi.quarters(sroi.quarter(t.starts_on),
                          least(sroi.quarter(t.ends_on), sroi.quarter(pg_temp.calibrated_on()) - 1)) AS q
 CROSS JOIN LATERAL pg_temp.rnd('report', t.id, q::text) AS r
 CROSS JOIN LATERAL (SELECT CASE
            WHEN sroi.quarter_end(q) + 30 >= pg_temp.calibrated_on()   -- not due yet
                 THEN CASE WHEN r < 0.5 THEN least(sroi.quarter_end(q) + pg_temp.rint(1, 20, 'days', t.id, q::text),
                                                   pg_temp.calibrated_on() - 1) END
            WHEN r < CASE WHEN t.profile = 'behind' THEN 0.20 ELSE 0.04 END THEN NULL   -- missing
            WHEN r < CASE WHEN t.profile = 'behind' THEN 0.45 ELSE 0.14 END             -- late
                 THEN sroi.quarter_end(q) + pg_temp.rint(33, 75, 'days', t.id, q::text)
            ELSE sroi.quarter_end(q) + pg_temp.rint(4, 30, 'days', t.id, q::text) END AS submitted_on) AS s
 WHERE t.obligation > 0 AND s.submitted_on IS NOT NULL AND s.submitted_on <= pg_temp.calibrated_on()
 ORDER BY id, q;

-- one table per statement (on Citus a list fails: a reference table after a distributed one)
ANALYZE sroi.contract;
ANALYZE sroi.candidate;
ANALYZE sroi.activity;
ANALYZE sroi.plan;
ANALYZE sroi.quarter_report;
ANALYZE sroi.turnover;

------------------------------------------------------------------------------------
-- 5. Steering (domain.md 6.1-6.3): three more contracts, each with one steering
--    instrument; the 36 above keep their figures (their plans are version 1, entered
--    without a proposal: accorded as entered).
------------------------------------------------------------------------------------
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
VALUES
    -- an amended Plan van Aanpak: version 1 accorded, version 2 (more in 2026) accorded later
    ('DIE-2025-11', 'Diemen', 'Installatietechniek Gaasperdam BV', 'Verduurzaming sporthallen (installaties)',
     900000.00, date '2025-05-20', date '2025-07-01', date '2027-06-30', date '2025-05-28'),
    -- behind at two quarter ends: intensify, and an action plan
    ('UIT-2025-08', 'Uithoorn', 'Wegenbouw Legmeer BV', 'Groot onderhoud wegen Uithoorn-Noord',
     1200000.00, date '2024-11-15', date '2025-01-01', date '2027-12-31', date '2024-11-25'),
    -- monthly reporting from June 2026
    ('OA-2025-04', 'Ouder-Amstel', 'Facilitair Bedrijf Amstelhoek BV', 'Beveiliging en receptie gemeentehuis',
     700000.00, date '2025-03-01', date '2025-04-01', date '2027-03-31', date '2025-03-10');

-- DIE-2025-11: obligation 5 % of 900,000 = 45,000 over 8 quarters; version 1 plans it
-- evenly (5,625 a quarter), version 2 moves 2025 value to 2026.
SELECT sroi.propose_plan('DIE-2025-11', 'Installatietechniek Gaasperdam BV, SROI-coördinator');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value)
SELECT 'DIE-2025-11', 1, q, 'A1', 5625.00
  FROM sroi.quarters('2025-Q3', '2027-Q2') AS q;
SELECT sroi.accord_plan('DIE-2025-11', 1, 'contractmanager Diemen', 'Plan van Aanpak besproken in het startgesprek');
SELECT sroi.propose_plan('DIE-2025-11', 'Installatietechniek Gaasperdam BV, SROI-coördinator');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value)
SELECT 'DIE-2025-11', 2, q, CASE WHEN q < '2026-Q1' THEN 'C10' ELSE 'A1' END,
       CASE WHEN q < '2026-Q1' THEN 2000.00 ELSE 6541.67 END
  FROM sroi.quarters('2025-Q3', '2027-Q2') AS q;
SELECT sroi.accord_plan('DIE-2025-11', 2, 'contractmanager Diemen',
                        'aanpassing: leerbanen pas vanaf 2026, eerst gastlessen (6.4)');
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES
    ('DIE-2025-11', 'C10', date '2025-10-14', 20, 'Gastlessen installatietechniek ROC'),
    ('DIE-2025-11', 'C10', date '2026-03-10', 24, 'Bedrijfsbezoeken VMBO');

-- UIT-2025-08: obligation 5 % of 1,200,000 = 60,000 over 1,095 days.  40 MVO hours in
-- March 2025 (4,000) keep it at_risk at the end of 2025-Q1 (expected 60000 x 90 / 1095
-- = 4,931.51; 75 % is 3,698.63), then it falls behind: intensify from 2025-Q3.  Its
-- action plan, recorded after the flag of 2026-Q3.
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref)
VALUES ('UIT-2025-08', 'C10', date '2025-03-12', 40, 'Urenregistratie MVO-activiteiten 2025-Q1');
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
SELECT 'UIT-2025-08', q, 'A3', 5000.00 FROM sroi.quarters('2025-Q1', '2027-Q4') AS q;
INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, status, closed_on, created_on)
VALUES ('UIT-2025-08', 'Twee BBL-leerbanen op het project Noord', 'uitvoerder Wegenbouw Legmeer', date '2026-12-31',
        2, 'persons', 'open', NULL, date '2026-10-12'),
       ('UIT-2025-08', 'Inkoop bij het SW-bedrijf (verkeersregelaars)', 'inkoper Wegenbouw Legmeer', date '2026-11-30',
        15000, 'euro', 'open', NULL, date '2026-10-12'),
       ('UIT-2025-08', 'Werkervaringsplekken via het WSP aanvragen', 'contractmanager Uithoorn', date '2026-10-31',
        120, 'hours', 'done', date '2026-10-28', date '2026-10-12');

-- OA-2025-04: quarterly reports up to 2026-Q2 (April and May 2026 are still reported
-- quarterly), then monthly from June 2026: August late, October missing.
SELECT sroi.set_reporting('OA-2025-04', 'monthly', date '2026-06-01', 'contractmanager Ouder-Amstel',
                          'twee kwartalen achter: maandelijkse rapportage (6.4)');
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
SELECT 'OA-2025-04', q, sroi.quarter_end(q) + 20 FROM sroi.quarters('2025-Q2', '2026-Q2') AS q;
INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on) VALUES
    ('OA-2025-04', date '2026-06-01', date '2026-06-30', date '2026-07-20'),
    ('OA-2025-04', date '2026-07-01', date '2026-07-31', date '2026-08-25'),
    ('OA-2025-04', date '2026-08-01', date '2026-08-31', date '2026-10-05'),
    ('OA-2025-04', date '2026-09-01', date '2026-09-30', date '2026-10-20');
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value)
SELECT 'OA-2025-04', q, 'C10', 4375.00 FROM sroi.quarters('2025-Q2', '2027-Q1') AS q;
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, evidence_ref) VALUES
    ('OA-2025-04', 'C10', date '2025-06-03', 30, 'Gastlessen beveiliging'),
    ('OA-2025-04', 'C10', date '2026-02-17', 25, 'Open dag receptie en beveiliging');

-- one table per statement (on Citus a list fails: a reference table after a distributed one)
ANALYZE sroi.plan_version;
ANALYZE sroi.action_item;
ANALYZE sroi.reporting_frequency;
ANALYZE sroi.period_report;
------------------------------------------------------------------------------------
-- 6. Closing (domain.md 6.5, 6.6): settlements and a success
------------------------------------------------------------------------------------

-- Two more contracts that ended in 2025, each with its reports on time: one whose
-- penalty the coordinator waived, one that exceeded its obligation on its last day.
--   OAM-2024-02: obligation 5 % of 450,000 = 22,500; realised 80 h x 100 + 2,500 = 10,500,
--                gap 12,000, penalty waived: due 0.
--   DIE-2024-04: obligation 5 % of 320,000 = 16,000; realised 120 h x 100 + 6,000 = 18,000
--                (112.5 %), reached on its end date: a success, exceeded.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, kickoff_on)
VALUES ('OAM-2024-02', 'Ouder-Amstel', 'Schilderwerken Amstelveld BV', 'Schilderwerk gemeentelijke panden',
        450000.00, date '2024-01-22', date '2024-03-01', date '2025-10-31', date '2024-01-30'),
       ('DIE-2024-04', 'Diemen', 'Facilitair Bedrijf Diemerknoop BV', 'Onderhoud sportparken en kleedaccommodaties',
        320000.00, date '2024-03-04', date '2024-04-01', date '2025-12-31', date '2024-03-12');
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, amount, evidence_ref) VALUES
    ('OAM-2024-02', 'C10', date '2024-09-12', 80, NULL, 'Gastlessen schilderen VMBO Duivendrecht'),
    ('OAM-2024-02', 'C9', date '2025-02-03', NULL, 2500.00, 'Factuur SR-fonds 2025-011'),
    ('DIE-2024-04', 'C10', date '2025-06-15', 120, NULL, 'Bedrijfsbezoeken en gastlessen 2025'),
    ('DIE-2024-04', 'C11', date '2025-12-31', NULL, 6000.00, 'Factuur SW-bedrijf Diemen 2025-12');
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
SELECT k.id, q, sroi.quarter_end(q) + 14
  FROM sroi.contract AS k
 CROSS JOIN sroi.quarters(sroi.quarter(k.starts_on), sroi.quarter(k.ends_on)) AS q
 WHERE k.id IN ('OAM-2024-02', 'DIE-2024-04')
 ORDER BY k.id, q;
DO $$
DECLARE
    x record;
BEGIN
    FOR x IN SELECT a.id FROM sroi.activity AS a
              WHERE a.contract_id IN ('OAM-2024-02', 'DIE-2024-04') AND a.block IN ('C9', 'C11')
              ORDER BY a.id
    LOOP
        PERFORM sroi.approve(x.id, 'S. Yilmaz (SR-coördinator)', 'Factuur en betaalbewijs gecontroleerd');
    END LOOP;
    PERFORM sroi.waive_penalty('OAM-2024-02', 'S. Yilmaz (SR-coördinator)',
                               'Overmacht: brand in de werkplaats in 2025; inspanningen aantoonbaar geleverd');
    -- The settlements (eindafrekening): UIT-2023-10 ended behind, its penalty is due.
    PERFORM sroi.settle('UIT-2023-10', 'S. Yilmaz (SR-coördinator)',
                        'Eindevaluatie: te laat gestart, te weinig plaatsingen; boete volgens contract (leidraad 5.3).');
    PERFORM sroi.settle('OAM-2024-02', 'S. Yilmaz (SR-coördinator)',
                        'Eindevaluatie: helft gerealiseerd; boete kwijtgescholden wegens overmacht.');
    PERFORM sroi.settle('DIE-2024-04', 'S. Yilmaz (SR-coördinator)',
                        'Eindevaluatie: verplichting ruim overtroffen; opgenomen als casestudy (leidraad 6.6).');
END
$$;

-- one table per statement (on Citus a list fails: a reference table after a distributed one)
ANALYZE sroi.contract;
ANALYZE sroi.candidate;
ANALYZE sroi.activity;
ANALYZE sroi.plan;
ANALYZE sroi.quarter_report;
ANALYZE sroi.turnover;
ANALYZE sroi.settlement;
