-- The report pages (issue #12, src/sql/11_report_html.sql): the formatting helpers
-- against hand-written strings; the pages well-formed, self-contained and escaping
-- hostile text; and each role seeing on them what it sees through the views (data
-- and roles: security_fixture.psql).  The figures against the views, and the
-- rendering in Chromium: test/tools/report-test.sh.
BEGIN;
CREATE EXTENSION sroi;
\ir security_fixture.psql
SELECT plan(65);

-- ---------------------------------------------------------------------------
-- 1. Money, numbers, dates, quarters, escaping
-- ---------------------------------------------------------------------------
SELECT is(sroi.format_eur(1234567.89), '€ 1.234.567,89', 'format_eur: thousands with dots, cents with a comma');
SELECT is(sroi.format_eur(0), '€ 0,00', 'format_eur: zero');
SELECT is(sroi.format_eur(123), '€ 123,00', 'format_eur: no separator below 1000');
SELECT is(sroi.format_eur(1000), '€ 1.000,00', 'format_eur: 1000');
SELECT is(sroi.format_eur(999999.995), '€ 1.000.000,00', 'format_eur: rounds half away from zero, carrying into a new group');
SELECT is(sroi.format_eur(0.125), '€ 0,13', 'format_eur: half a cent up (exact numeric, no binary floating point)');
SELECT is(sroi.format_eur(-1234.5), '€ -1.234,50', 'format_eur: negative');
SELECT is(sroi.format_eur(-0.004), '€ 0,00', 'format_eur: no minus sign on an amount that rounds to zero');
SELECT is(sroi.format_eur(12345678901234567.01), '€ 12.345.678.901.234.567,01', 'format_eur: exact beyond the 15 digits of a double');
SELECT is(sroi.format_eur(1234567.89, 'en'), '€ 1,234,567.89', 'format_eur: English separators');
SELECT is(sroi.format_eur(NULL), NULL, 'format_eur: NULL stays NULL');
SELECT is(sroi.format_eur(1234567.89, 'nl', 0), '€ 1.234.568', 'format_eur: whole euros (chart axis)');
SELECT is(sroi.format_number(0.6667, 2), '0,67', 'format_number: two decimals');
SELECT is(sroi.format_pct(87.45), '87,5 %', 'format_pct: one decimal, a space before %');
SELECT is(sroi.format_pct(100), '100,0 %', 'format_pct: 100');
SELECT is(sroi.format_date('2026-10-15'), '15 oktober 2026', 'format_date: 15 oktober 2026');
SELECT is(sroi.format_date('2025-03-01'), '1 maart 2025', 'format_date: no leading zero');
SELECT is(sroi.format_date('2024-12-31', 'en'), '31 December 2024', 'format_date: English');
SELECT is(sroi.format_quarter('2025-Q3'), '2025-K3', 'format_quarter: 2025-K3');
SELECT is(sroi.format_quarter('2026-Q1', 'en'), '2026-Q1', 'format_quarter: English 2026-Q1');
SELECT is(sroi.html_escape('<script>alert("x")</script> & ''y'''),
          '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;', 'html_escape: < > & " and ''');

-- ---------------------------------------------------------------------------
-- 2. The pages: well-formed, self-contained, escaped
-- ---------------------------------------------------------------------------
UPDATE sroi.contract SET title = '<script>alert("x")</script> & "Co"' WHERE id = 'K-A1';
CREATE TEMP TABLE page (who text, what text, html text);
GRANT SELECT, INSERT ON page TO PUBLIC;
-- pg_temp.page(WHO, WHAT): a page stored earlier.
CREATE FUNCTION pg_temp.page(w text, p text) RETURNS text LANGUAGE sql STABLE
    RETURN (SELECT html FROM page WHERE who = w AND what = p);
CREATE FUNCTION pg_temp.q() RETURNS text LANGUAGE sql STABLE RETURN sroi.quarter(current_date)::text;

SET ROLE tr_coord;
INSERT INTO page VALUES ('coord', 'Diemen', sroi.report_html('Diemen', pg_temp.q())),
                        ('coord', 'Diemen-en', sroi.report_html('Diemen', pg_temp.q(), lang => 'en')),
                        ('coord', 'K-A1', sroi.contract_report_html('K-A1')),
                        ('coord', 'K-A1-en', sroi.contract_report_html('K-A1', lang => 'en'));
RESET ROLE;

SELECT ok(bool_and(xml_is_well_formed_document(html)), 'every page is a well-formed document (XHTML syntax)') FROM page;
SELECT ok(bool_and(left(html, 16) = '<!DOCTYPE html>' || E'\n'), 'every page starts with <!DOCTYPE html>') FROM page;
SELECT ok(pg_temp.page('coord', 'Diemen') LIKE '%<html lang="nl"%' AND pg_temp.page('coord', 'Diemen-en') LIKE '%<html lang="en"%',
          'lang="nl", and lang="en" with lang => ''en''');
SELECT is_empty($$SELECT who, what, m[1] FROM page, regexp_matches(html, '((?:src|href|action|srcset)\s*=|url\(|@import|<script|<link|<img|<iframe|<object|<embed|javascript:)', 'gi') AS m$$,
                'no page refers to anything external or carries a script');
SELECT ok(pg_temp.page('coord', 'Diemen') LIKE '%&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot;%'
          AND pg_temp.page('coord', 'K-A1') LIKE '%&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot;%',
          'a hostile contract title shows as text on both pages');
SELECT ok(pg_temp.page('coord', 'Diemen') LIKE '%Kwartaalrapportage social return ' || sroi.format_quarter(pg_temp.q()::sroi.quarter) || '%'
          AND pg_temp.page('coord', 'Diemen-en') LIKE '%Quarterly social return report ' || pg_temp.q() || '%',
          'the heading names the quarter as 2025-K3 (English: 2025-Q3)');
SELECT ok(pg_temp.page('coord', 'Diemen') LIKE '%<div class="kpi" id="kpi-obligation"><div class="k">Totale verplichting</div><div class="v">'
              || sroi.format_eur((SELECT sum(obligation) FROM sroi.contract_compliance WHERE municipality = 'Diemen')) || '</div>%',
          'the total obligation is the view''s sum, formatted');
SELECT ok(pg_temp.page('coord', 'Diemen') LIKE '%<svg class="chart chart-progress"%' AND pg_temp.page('coord', 'Diemen') LIKE '%<svg class="chart chart-bars"%'
          AND pg_temp.page('coord', 'K-A1') LIKE '%<svg class="chart chart-progress"%', 'the charts are inline SVG');
SELECT throws_ok($$SELECT sroi.report_html('Diemen', pg_temp.q(), lang => 'de')$$, '22023', NULL, 'an unknown language: 22023');
SELECT throws_ok($$SELECT sroi.report_html('Diemen', (sroi.quarter(current_date) OPERATOR(sroi.+) 1)::text)$$, '22023', NULL,
                 'a quarter that has not started: 22023');
SELECT throws_ok($$SELECT sroi.contract_report_html('K-NONE')$$, '22023', NULL, 'an unknown contract: 22023');
SELECT lives_ok($$SELECT sroi.report_html('Diemen', replace(pg_temp.q(), 'Q', 'K'))$$, 'the quarter may be written 2025-K3');

-- ---------------------------------------------------------------------------
-- 3. What each role sees
-- ---------------------------------------------------------------------------
SET ROLE tr_alfa_user;
SELECT throws_ok($$SELECT sroi.report_html('Diemen', pg_temp.q())$$, '42501', NULL,
                 'a supplier gets no municipality report: 42501');
SELECT throws_ok($$SELECT sroi.contract_report_html('K-B1')$$, '42501', NULL, 'nor another supplier''s contract page: 42501');
SELECT throws_ok($$SELECT sroi.contract_report_html('K-A1')$$, '42501', NULL,
                 'nor its own (the page shows the views'' figures, which suppliers do not read): 42501');

SET ROLE tr_reader;
INSERT INTO page VALUES ('reader', 'Diemen', sroi.report_html('Diemen', pg_temp.q())),
                        ('reader', 'K-A1', sroi.contract_report_html('K-A1'));
SET ROLE tr_manager_diemen;
INSERT INTO page VALUES ('manager', 'Diemen', sroi.report_html('Diemen', pg_temp.q())),
                        ('manager', 'Uithoorn', sroi.report_html('Uithoorn', pg_temp.q())),
                        ('manager', 'K-A1', sroi.contract_report_html('K-A1')),
                        ('manager', 'K-A2', sroi.contract_report_html('K-A2'));
SET ROLE tr_reader;
SELECT throws_ok($$SELECT sroi.report_html('Diemen', sroi.quarter(date_trunc('month', current_date - 31)::date + 14)::text,
                                          date_trunc('month', current_date - 31)::date + 14)$$, '22023', NULL,
                 'a reader cannot step the as-of date to any day (22023), as with the views');
RESET ROLE;

SELECT ok(pg_temp.page('reader', 'Diemen') LIKE '%<div class="kpi" id="kpi-obligation"><div class="k">Totale verplichting</div><div class="v">'
              || sroi.format_eur((SELECT sum(obligation) FROM sroi.contract_compliance WHERE municipality = 'Diemen')) || '</div>%',
          'a reader gets the aggregates');
SELECT ok(pg_temp.page('reader', 'Diemen') NOT LIKE '%alert%' AND pg_temp.page('reader', 'K-A1') NOT LIKE '%alert%',
          'but no contract titles (the reader reads no table)');
SELECT ok(pg_temp.page('reader', 'Diemen') LIKE '%onderdrukt (kleine aantallen)%'
          AND pg_temp.page('reader', 'Diemen') NOT LIKE '%<td class="num g-persons">2</td>%',
          'small target-group cells are suppressed for a reader (Diemen / WW, 2 persons)');
SELECT ok(pg_temp.page('reader', 'Diemen') LIKE '%<tr class="suppressed"><td>Participatiewet</td>%',
          'and, as in the view, the next smallest cell too (complementary suppression)');
SELECT ok(pg_temp.page('coord', 'Diemen') NOT LIKE '%onderdrukt (kleine aantallen)%' AND pg_temp.page('coord', 'Diemen') LIKE '%<td>WW</td><td class="num g-persons">2</td>%',
          'a coordinator sees every cell');
SELECT ok(pg_temp.page('reader', 'K-A1') NOT LIKE '%pending-table%' AND pg_temp.page('reader', 'K-A1') LIKE '%Totaal € 1.000,00%',
          'a reader gets the total awaiting approval, not the activities');
SELECT ok(pg_temp.page('coord', 'K-A1') LIKE '%<table id="pending-table">%<td>C9</td>%€ 1.000,00%',
          'a coordinator sees the activity awaiting approval: block, date, value');
SELECT ok(pg_temp.page('coord', 'K-A1') !~ '(P[1-6]|W[12])<',
          'and no person on it');
SELECT ok(pg_temp.page('manager', 'K-A1') LIKE '%<table id="pending-table">%<td>C9</td>%',
          'a contract manager sees those of its own municipality');
SELECT ok(pg_temp.page('manager', 'K-A2') NOT LIKE '%pending-table%', 'but not of another municipality''s contract');
SELECT ok(pg_temp.page('manager', 'Diemen') LIKE '%security test K-B1%' AND pg_temp.page('manager', 'Diemen') LIKE '%&lt;script&gt;%',
          'a contract manager gets the titles of its own municipality''s contracts');
SELECT ok(pg_temp.page('manager', 'Uithoorn') NOT LIKE '%security test%', 'not those of another municipality');
SELECT ok(pg_temp.page('manager', 'Uithoorn') LIKE '%onderdrukt (kleine aantallen)%',
          'and the small cells of another municipality stay suppressed for it');
SELECT ok(pg_temp.page('manager', 'Diemen') NOT LIKE '%onderdrukt (kleine aantallen)%', 'but not those of its own');
SELECT ok(pg_temp.page('coord', 'K-A1-en') LIKE '%Awaiting approval%' AND pg_temp.page('coord', 'K-A1-en') LIKE '%€ 1,000.00%',
          'English labels and separators with lang => ''en''');

-- ---------------------------------------------------------------------------
-- 4. A long list of overdue items: counted per kind, the 100 longest overdue listed
-- ---------------------------------------------------------------------------
-- 101 contracts of Overdam, EUR 1,000,000 each (above the threshold: an obligation),
-- awarded 100 days ago, starting in 30 days (no quarter, so no report, is due yet),
-- each without a kick-off meeting (due 14 days after award: kickoff_missing) and without
-- an accorded Plan van Aanpak (due 28 days after award: plan_missing): 2 x 101 = 202
-- items; the 100 longest overdue are 100 of the kick-offs (due first).
RESET ROLE;
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
SELECT 'OD' || lpad(i::text, 3, '0'), 'Overdam', 'Alfa BV', 'overdue ' || i, 1000000,
       current_date - 100, current_date + 30, current_date + 400
  FROM generate_series(1, 101) AS i;
INSERT INTO page VALUES ('owner', 'Overdam', sroi.report_html('Overdam', pg_temp.q()));
SELECT is((SELECT count(*)::integer FROM regexp_matches(pg_temp.page('owner', 'Overdam'), '<td class="o-kind">', 'g')), 100,
          'the overdue table lists 100 of the 202 items');
SELECT ok(pg_temp.page('owner', 'Overdam') ~ '<li data-kind="kickoff_missing">[^<]*: <b>101</b></li><li data-kind="plan_missing">[^<]*: <b>101</b></li>',
          'the counts per kind cover all 202: 101 kick-offs, 101 plans');
SELECT ok(pg_temp.page('owner', 'Overdam') LIKE '%<p class="note" id="overdue-more">De 100 langst openstaande van 202 punten; de hele lijst staat in de view sroi.overdue_items.</p>%',
          'and the page says that 100 of 202 are listed and where the rest is');

-- ---------------------------------------------------------------------------
-- 5. The notes print the rate card's numbers (report_due_days, projection_min_pct)
-- ---------------------------------------------------------------------------
-- The pages above: every contract on the shipped card duoplus-2024, in force today:
-- reports due 30 days after the quarter, a projection from 10 % of the term on (10.00
-- printed without decimals).  A reader, who may not read sroi.rate_card, gets them too.
SELECT ok(strpos(pg_temp.page('coord', 'Diemen'), '(vanaf 10 % ervan)') > 0
          AND strpos(pg_temp.page('coord', 'Diemen-en'), '(from 10 % of it on)') > 0
          AND strpos(pg_temp.page('reader', 'Diemen'), '(vanaf 10 % ervan)') > 0,
          'the municipality page: a projection from projection_min_pct (10) % of the term, also for a reader');
SELECT ok(strpos(pg_temp.page('coord', 'K-A1'), 'Rapportages zijn 30 dagen na het kwartaal verschuldigd.') > 0
          AND strpos(pg_temp.page('coord', 'K-A1-en'), 'Reports are due 30 days after the quarter.') > 0
          AND strpos(pg_temp.page('reader', 'K-A1'), 'Rapportages zijn 30 dagen na het kwartaal verschuldigd.') > 0,
          'the contract page: reports due report_due_days (30) after the quarter, also for a reader');
-- A new card in force from 3 days ago: reports due 45 days after the quarter, a
-- projection from 12.5 % of the term on.  The municipality page (today: the new card in
-- force) prints 12,5 (English 12.5); the page of K-CARD, pinned to the new card, 45
-- days; K-A1 keeps its card (duoplus-2024): still 30 days.
INSERT INTO sroi.rate_card (code, valid_from, description, report_due_days, projection_min_pct)
VALUES ('page-card', current_date - 3, 'report page test card', 45, 12.5);
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct) VALUES ('page-card', 'none', 0);
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, rate_card)
VALUES ('K-CARD', 'Diemen', 'Alfa BV', 'on the page card', 1000000, current_date - 2, current_date - 1, current_date + 700, 'page-card');
SET ROLE tr_coord;
INSERT INTO page VALUES ('coord2', 'Diemen', sroi.report_html('Diemen', pg_temp.q())),
                        ('coord2', 'Diemen-en', sroi.report_html('Diemen', pg_temp.q(), lang => 'en')),
                        ('coord2', 'K-CARD', sroi.contract_report_html('K-CARD')),
                        ('coord2', 'K-A1', sroi.contract_report_html('K-A1'));
RESET ROLE;
SELECT ok(strpos(pg_temp.page('coord2', 'Diemen'), '(vanaf 12,5 % ervan)') > 0
          AND strpos(pg_temp.page('coord2', 'Diemen-en'), '(from 12.5 % of it on)') > 0
          AND strpos(pg_temp.page('coord2', 'Diemen'), '(vanaf 10 % ervan)') = 0,
          'a card in force with projection_min_pct 12.5: the municipality page says 12,5 % (English 12.5 %)');
SELECT ok(strpos(pg_temp.page('coord2', 'K-CARD'), 'Rapportages zijn 45 dagen na het kwartaal verschuldigd.') > 0
          AND strpos(pg_temp.page('coord2', 'K-A1'), 'Rapportages zijn 30 dagen na het kwartaal verschuldigd.') > 0,
          'a contract on a card with report_due_days 45: its page says 45 days; a contract on the old card still 30');

-- ---------------------------------------------------------------------------
-- 6. The contract page: the deviation in persons (domain.md 6.4) and the success (6.6)
-- ---------------------------------------------------------------------------
-- K-A1 this quarter: P1, P2, P3 (A2) and W1, W2 (A3), placed 300 days ago and still
-- placed: 5 persons; a plan line of this quarter plans 7: deviation 5 - 7 = -2.
-- K-S (Diemen, Alfa BV): EUR 300,000, above the threshold: 5 % = 15,000.00; 160 hours of
-- C10 (EUR 100 an hour, counted without approval) 10 days ago: 16,000.00 realised,
-- 16,000 / 15,000 = 106.67 % -> 106,7 %, the obligation reached in the quarter of those
-- hours while the contract runs (it ends in 350 days): a success, early.
RESET ROLE;
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value, planned_persons)
VALUES ('K-A1', sroi.quarter(current_date), 'A2', 1000, 7);
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on)
VALUES ('K-S', 'Diemen', 'Alfa BV', 'a success', 300000, current_date - 420, current_date - 400, current_date + 350);
INSERT INTO sroi.activity (contract_id, block, starts_on, hours) VALUES ('K-S', 'C10', current_date - 10, 160);
SET ROLE tr_coord;
INSERT INTO page VALUES ('coord3', 'K-A1', sroi.contract_report_html('K-A1')),
                        ('coord3', 'K-A1-en', sroi.contract_report_html('K-A1', lang => 'en')),
                        ('coord3', 'K-A2', sroi.contract_report_html('K-A2')),
                        ('coord3', 'K-S', sroi.contract_report_html('K-S')),
                        ('coord3', 'K-S-en', sroi.contract_report_html('K-S', lang => 'en'));
RESET ROLE;
SELECT ok(pg_temp.page('coord3', 'K-A1') ~ ('<tr data-quantities="' || pg_temp.q() || '"><td>[^<]*</td><td class="num p-planned">7</td>'
                                             || '<td class="num p-persons">5</td><td class="num p-deviation">-2</td>'),
          'the contract page: 7 persons planned this quarter, 5 placed, a deviation of -2 beside them');
-- K-A2: P6 at 0.5 fte on A2 (EUR 40,000 per fte-year) for 300 days, about
-- 0.5 x 40,000 x 300 / 365 = 16,438 of its 50,000.00, running: no success.
SELECT ok(strpos(pg_temp.page('coord3', 'K-A2'), '<section id="success">') = 0
          AND strpos(pg_temp.page('coord3', 'K-S'), '<section id="success">') > 0,
          'no success section on the page of a contract that is none (K-A2: about 16,438 of 50,000.00)');
SELECT is(substring(pg_temp.page('coord3', 'K-S') FROM '<p id="success">.*?</p>'),
          '<p id="success">Verplichting voldaan in ' || sroi.format_quarter(sroi.quarter(current_date - 10))
          || ': voor het einde voldaan, 106,7 % gerealiseerd (€ 16.000,00 van € 15.000,00).</p>',
          'the page of a success: the quarter the obligation was reached in, early, 106,7 % (16,000.00 of 15,000.00)');
SELECT ok(strpos(pg_temp.page('coord3', 'K-S-en'), ': fulfilled before the end, 106.7 % realised (€ 16,000.00 of € 15,000.00).</p>') > 0,
          'and in English');


-- ---------------------------------------------------------------------------
-- 7. The plan table's headers in the page's language
-- ---------------------------------------------------------------------------
-- K-A1's plan line of this quarter (section 6) made version 1 of its Plan van Aanpak,
-- proposed today: the contract page lists it.
SELECT ok(strpos(pg_temp.page('coord3', 'K-A1-en'), '<table id="plan-table"><thead><tr><th>Version</th><th>Status</th><th>Proposed</th>') > 0
          AND strpos(pg_temp.page('coord3', 'K-A1-en'), 'Versie') = 0,
          'the English plan table says Version, and no Versie anywhere on the page');
SELECT ok(strpos(pg_temp.page('coord3', 'K-A1'), '<table id="plan-table"><thead><tr><th>Versie</th><th>Status</th><th>Voorgesteld</th>') > 0,
          'the Dutch one still Versie');

SELECT * FROM finish();
ROLLBACK;
