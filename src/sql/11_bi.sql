-- sroi install script, part 11: the BI dimensions and labels.  Beside the monitoring
-- views (09_views.sql) a BI model needs a contract dimension to slice by, a calendar of
-- quarters to join on, and the words and colours for the codes the views show.  Built-in
-- types only, a COMMENT on every view and column, no personal data.
--
-- Plain views (not security_invoker): the contract table is read with the privileges
-- of the view's owner, the extension's owner, so a reader needs no table right and no
-- row-level security applies; every contract is shown, as in contract_compliance.  They
-- filter no rows, so a reader's function in a WHERE clause can see nothing it could not
-- select anyway: security_barrier is not needed.  The functions they call (today(),
-- quarter()) run as the reader and are open to everyone.

CREATE VIEW @extschema@.contract_dimension AS
SELECT k.id AS contract_id, k.municipality, k.supplier, k.title,
       k.contract_value::numeric(15,2) AS contract_value,
       k.tendered_on, k.awarded_on, k.starts_on, k.ends_on, k.basis, k.rate_card,
       k.obligation_pct::numeric(5,2) AS obligation_pct,
       @extschema@.quarter(k.starts_on)::text AS start_quarter,
       @extschema@.quarter(k.ends_on)::text AS end_quarter,
       @extschema@.today() AS as_of
  FROM @extschema@.contract AS k;
COMMENT ON VIEW @extschema@.contract_dimension IS
    'one row per contract: the terms a BI model slices the monitoring views by (join on contract_id); no personal data';
COMMENT ON COLUMN @extschema@.contract_dimension.contract_id IS 'contract number, as in the monitoring views';
COMMENT ON COLUMN @extschema@.contract_dimension.municipality IS 'contracting municipality';
COMMENT ON COLUMN @extschema@.contract_dimension.supplier IS 'main contractor';
COMMENT ON COLUMN @extschema@.contract_dimension.title IS 'what the contract is for';
COMMENT ON COLUMN @extschema@.contract_dimension.contract_value IS 'contract value in euros, excl. VAT, whole term';
COMMENT ON COLUMN @extschema@.contract_dimension.tendered_on IS 'publication date of the tender; NULL when not recorded';
COMMENT ON COLUMN @extschema@.contract_dimension.awarded_on IS 'award date (gunning)';
COMMENT ON COLUMN @extschema@.contract_dimension.starts_on IS 'first day of the contract term';
COMMENT ON COLUMN @extschema@.contract_dimension.ends_on IS 'last day of the contract term';
COMMENT ON COLUMN @extschema@.contract_dimension.basis IS 'contract_value or turnover: what the obligation accrues from (labels: field basis)';
COMMENT ON COLUMN @extschema@.contract_dimension.rate_card IS 'the rate card the contract is pinned to';
COMMENT ON COLUMN @extschema@.contract_dimension.obligation_pct IS 'obligation percentage as agreed in the contract, 0 to 100; NULL: the rate card''s default (5 % above its threshold, else 0)';
COMMENT ON COLUMN @extschema@.contract_dimension.start_quarter IS 'quarter of the first day of the term, e.g. 2025-Q3 (joins quarter_dimension.quarter)';
COMMENT ON COLUMN @extschema@.contract_dimension.end_quarter IS 'quarter of the last day of the term, e.g. 2027-Q2 (joins quarter_dimension.quarter)';
COMMENT ON COLUMN @extschema@.contract_dimension.as_of IS 'the date the row is for: today (sroi.today(), Europe/Amsterdam)';

-- The quarters from the earliest contract start to the latest contract end, and today's
-- quarter always; without contracts, last year to next year.
CREATE VIEW @extschema@.quarter_dimension AS
SELECT q::text AS quarter,
       @extschema@.quarter_year(q) AS year,
       @extschema@.quarter_number(q) AS quarter_number,
       @extschema@.quarter_start(q) AS quarter_start,
       @extschema@.quarter_end(q) AS quarter_end,
       pg_catalog.format('%s-K%s', @extschema@.quarter_year(q), @extschema@.quarter_number(q)) AS label_nl,
       pg_catalog.format('%s Q%s', @extschema@.quarter_year(q), @extschema@.quarter_number(q)) AS label_en,
       @extschema@.quarter_start(q) OPERATOR(pg_catalog.<=) r.today
           AND r.today OPERATOR(pg_catalog.<=) @extschema@.quarter_end(q) AS is_current,
       @extschema@.quarter_end(q) OPERATOR(pg_catalog.<) r.today AS is_ended,
       q OPERATOR(@extschema@.-) @extschema@.quarter(r.today) AS relative_quarter
  FROM (SELECT d.today,
               @extschema@.quarter(LEAST(coalesce(pg_catalog.min(k.starts_on),
                                                  pg_catalog.make_date(pg_catalog.date_part('year', d.today)::integer OPERATOR(pg_catalog.-) 1, 1, 1)),
                                         d.today)) AS first_quarter,
               @extschema@.quarter(GREATEST(coalesce(pg_catalog.max(k.ends_on),
                                                     pg_catalog.make_date(pg_catalog.date_part('year', d.today)::integer OPERATOR(pg_catalog.+) 1, 12, 31)),
                                            d.today)) AS last_quarter
          FROM (SELECT @extschema@.today() AS today) AS d
          LEFT JOIN @extschema@.contract AS k ON true
         GROUP BY d.today) AS r
  CROSS JOIN LATERAL @extschema@.quarters(r.first_quarter, r.last_quarter) AS q;
COMMENT ON VIEW @extschema@.quarter_dimension IS
    'one row per calendar quarter from the earliest contract start to the latest contract end (today''s quarter always included; last year to next year when there are no contracts): the calendar the monitoring views join on by quarter';
COMMENT ON COLUMN @extschema@.quarter_dimension.quarter IS 'calendar quarter, e.g. 2025-Q3, as in the monitoring views';
COMMENT ON COLUMN @extschema@.quarter_dimension.year IS 'the year, e.g. 2025';
COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_number IS 'the number of the quarter in its year, 1 to 4';
COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_start IS 'first day of the quarter';
COMMENT ON COLUMN @extschema@.quarter_dimension.quarter_end IS 'last day of the quarter';
COMMENT ON COLUMN @extschema@.quarter_dimension.label_nl IS 'Dutch label, e.g. 2025-K3 (kwartaal)';
COMMENT ON COLUMN @extschema@.quarter_dimension.label_en IS 'English label, e.g. 2025 Q3';
COMMENT ON COLUMN @extschema@.quarter_dimension.is_current IS 'true for the quarter of today (sroi.today())';
COMMENT ON COLUMN @extschema@.quarter_dimension.is_ended IS 'true when the quarter''s last day is before today: its figures are final';
COMMENT ON COLUMN @extschema@.quarter_dimension.relative_quarter IS 'quarters from today''s quarter: 0 this quarter, -1 the previous one, 1 the next';

-- The words and colours for every code a view shows, one row per (field, code); field
-- is the name of the view column that holds the code.  test/pgtap/bi_labels.sql checks
-- that every code the constraints, validation and monitoring functions can produce is
-- here.  The overdue item kinds plan_missing to settlement_due are those api.md names
-- for the steering and closing rules.
CREATE VIEW @extschema@.labels AS
SELECT l.field, l.code, l.label_nl, l.label_en, l.sort_order, l.colour
  FROM (VALUES
    ('status', 'not_applicable', 'Niet van toepassing', 'Not applicable', 1, '#9E9E9E'),
    ('status', 'fulfilled', 'Voldaan', 'Fulfilled', 2, '#1A9850'),
    ('status', 'on_track', 'Op koers', 'On track', 3, '#91CF60'),
    ('status', 'at_risk', 'Risico', 'At risk', 4, '#FC8D59'),
    ('status', 'behind', 'Achter', 'Behind', 5, '#D73027'),
    ('report_status', 'submitted', 'Ingediend', 'Submitted', 1, '#1A9850'),
    ('report_status', 'late', 'Te laat ingediend', 'Submitted late', 2, '#FC8D59'),
    ('report_status', 'overdue', 'Ontbreekt', 'Overdue', 3, '#D73027'),
    ('report_status', 'not_due', 'Nog niet verschuldigd', 'Not yet due', 4, '#BDBDBD'),
    ('trend', 'improving', 'Verbetert', 'Improving', 1, '#1A9850'),
    ('trend', 'steady', 'Stabiel', 'Steady', 2, '#9E9E9E'),
    ('trend', 'worsening', 'Verslechtert', 'Worsening', 3, '#D73027'),
    ('kind', 'kickoff_missing', 'Startgesprek ontbreekt', 'Kick-off meeting missing', 1, '#D73027'),
    ('kind', 'kickoff_late', 'Startgesprek te laat', 'Kick-off meeting late', 2, '#FC8D59'),
    ('kind', 'report_overdue', 'Rapportage ontbreekt', 'Report overdue', 3, '#D73027'),
    ('kind', 'report_late', 'Rapportage te laat', 'Report late', 4, '#FC8D59'),
    ('kind', 'pso_expired', 'PSO-certificaat verlopen', 'PSO certificate expired', 5, '#8073AC'),
    ('kind', 'intensify', 'Monitoring intensiveren', 'Intensify monitoring', 6, '#B2182B'),
    ('kind', 'plan_missing', 'Plan van aanpak ontbreekt', 'Plan missing', 7, '#D73027'),
    ('kind', 'action_plan_missing', 'Verbeterplan ontbreekt', 'Action plan missing', 8, '#D73027'),
    ('kind', 'action_overdue', 'Actiepunt over tijd', 'Action item overdue', 9, '#FC8D59'),
    ('kind', 'settlement_due', 'Afrekening nodig', 'Settlement due', 10, '#4575B4'),
    ('category', 'A', 'A: werk', 'A: employment', 1, '#4575B4'),
    ('category', 'B', 'B: leren en werkervaring', 'B: learning and work experience', 2, '#74ADD1'),
    ('category', 'C', 'C: overige sociale activiteiten', 'C: other social activity', 3, '#ABD9E9'),
    ('category', 'bonus', 'Bonus', 'Bonus', 4, '#FDAE61'),
    ('benefit', 'participatiewet', 'Participatiewet', 'Social assistance (Participatiewet)', 1, '#4575B4'),
    ('benefit', 'ww', 'WW', 'Unemployment benefit (WW)', 2, '#74ADD1'),
    ('benefit', 'wia', 'WIA', 'Disability benefit (WIA)', 3, '#ABD9E9'),
    ('benefit', 'wao', 'WAO', 'Disability benefit (WAO)', 4, '#E0F3F8'),
    ('benefit', 'wajong', 'Wajong', 'Young disabled benefit (Wajong)', 5, '#FEE090'),
    ('benefit', 'none', 'Geen uitkering', 'No benefit', 6, '#BDBDBD'),
    ('basis', 'contract_value', 'Opdrachtwaarde', 'Contract value', 1, '#4575B4'),
    ('basis', 'turnover', 'Omzet', 'Turnover', 2, '#FDAE61'),
    ('reason', 'early', 'Vroegtijdig voldaan', 'Fulfilled early', 1, '#1A9850'),
    ('reason', 'exceeded', 'Ruim overtroffen', 'Exceeded', 2, '#91CF60')
  ) AS l (field, code, label_nl, label_en, sort_order, colour);
COMMENT ON VIEW @extschema@.labels IS
    'Dutch and English labels, order and colour of every code the views show, one row per field and code: join on field = the column name and code = its value';
COMMENT ON COLUMN @extschema@.labels.field IS 'the view column the code appears in: status, report_status, trend, kind, category, benefit, basis or reason (successes)';
COMMENT ON COLUMN @extschema@.labels.code IS 'the value as the views show it, e.g. on_track';
COMMENT ON COLUMN @extschema@.labels.label_nl IS 'Dutch label, for reports to the municipalities';
COMMENT ON COLUMN @extschema@.labels.label_en IS 'English label';
COMMENT ON COLUMN @extschema@.labels.sort_order IS 'order of the codes within the field, from 1: for legends and sorted axes';
COMMENT ON COLUMN @extschema@.labels.colour IS 'suggested colour, hex #RRGGBB (colour-blind safe diverging scale: green good, red bad, grey neutral)';

GRANT SELECT ON @extschema@.contract_dimension, @extschema@.quarter_dimension, @extschema@.labels
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;
