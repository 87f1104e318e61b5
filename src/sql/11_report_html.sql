-- sroi install script, part 11: the quarterly report a person reads (issue #12).
--
-- sroi.report_html(municipality, quarter, as_of) and sroi.contract_report_html(contract_id,
-- as_of): one self-contained HTML page each (inline CSS and SVG; no script, no external
-- font, image or style sheet; A4 print), in Dutch, or with lang => 'en' in English.
-- Leidraad 6.3 (kwartaalrapportages monitoren): progress against the plan per quarter,
-- deviations between planned and realised, the trend over several quarters; 6.4
-- (bijsturing): the contracts to intensify and the overdue items.
--
-- What the caller may read: the pages are built on the report_* functions the views use
-- (09_views.sql), called with CURRENT_USER from these SECURITY INVOKER functions, so a
-- page shows exactly what the views show the caller (suppressed small cells, the reader's
-- as-of rule: today or the last day of an ended quarter), and a supplier, who has no
-- EXECUTE on them, gets 42501.  Texts only some roles may read (contract titles, the
-- activities awaiting approval) are read as the caller, under its row-level security.
--
-- Conventions (documented in README.md): money '€ 1.234.567,89' (exact: numeric to text,
-- no floating point), dates '15 oktober 2026', quarters '2025-K3' (K for kwartaal; it
-- sorts and fits a chart axis), percentages '87,5 %'.  English: '€ 1,234,567.89',
-- '15 October 2026', '2025-Q3', '87.5 %'.

-- ---------------------------------------------------------------------------
-- Formatting helpers (pure)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.report_lang(lang text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF lang IS NULL OR lang NOT IN ('nl', 'en') THEN
        PERFORM @extschema@.raise_invalid('22023', format('lang must be nl or en, got %s', coalesce(quote_literal(lang), 'NULL')));
    END IF;
    RETURN lang;
END
$$;
COMMENT ON FUNCTION @extschema@.report_lang(text) IS
    'the language of a report page: nl or en; 22023 otherwise (internal)';

CREATE FUNCTION @extschema@.format_number(x numeric, decimals integer DEFAULT 0, lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    -- One expression, inlined where it is called (a page formats some 20,000 amounts):
    -- round() half away from zero to exactly `decimals` digits, whose text is exact,
    -- thousands grouped from the right, NULL stays NULL.
    RETURN CASE WHEN pg_catalog.round(x, decimals) < 0 THEN '-' ELSE '' END
        || pg_catalog.regexp_replace(pg_catalog.split_part(pg_catalog.abs(pg_catalog.round(x, decimals))::text, '.', 1),
                                     '(\d)(?=(\d{3})+$)', '\1' || CASE WHEN lang = 'en' THEN ',' ELSE '.' END, 'g')
        || CASE WHEN decimals > 0
                THEN CASE WHEN lang = 'en' THEN '.' ELSE ',' END
                     || pg_catalog.split_part(pg_catalog.abs(pg_catalog.round(x, decimals))::text, '.', 2)
                ELSE '' END;
COMMENT ON FUNCTION @extschema@.format_number(numeric, integer, text) IS
    'a number rounded half away from zero to the given decimals, with Dutch separators (1.234.567,89) or with lang en (1,234,567.89); exact';

CREATE FUNCTION @extschema@.format_eur(amount numeric, lang text DEFAULT 'nl', decimals integer DEFAULT 2)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '€ ' || @extschema@.format_number(amount, decimals, lang);
COMMENT ON FUNCTION @extschema@.format_eur(numeric, text, integer) IS
    'an amount of money as on a Dutch page: € 1.234.567,89 (€ -12,50 when negative), exact to the cent; lang en: € 1,234,567.89; NULL stays NULL';

CREATE FUNCTION @extschema@.format_pct(pct numeric, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.format_number(pct, 1, lang) || ' %';
COMMENT ON FUNCTION @extschema@.format_pct(numeric, text) IS
    'a percentage with one decimal: 87,5 % (lang en: 87.5 %)';

CREATE FUNCTION @extschema@.format_date(d date, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN EXTRACT(day FROM d)::integer::text || ' '
        || (CASE WHEN lang = 'en'
                 THEN ARRAY['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                            'September', 'October', 'November', 'December']
                 ELSE ARRAY['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
                            'september', 'oktober', 'november', 'december'] END)[EXTRACT(month FROM d)::integer]
        || ' ' || EXTRACT(year FROM d)::integer::text;
COMMENT ON FUNCTION @extschema@.format_date(date, text) IS
    'a date as Dutch prose: 15 oktober 2026 (lang en: 15 October 2026)';

CREATE FUNCTION @extschema@.format_quarter(q @extschema@.quarter, lang text DEFAULT 'nl') RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN EXTRACT(year FROM @extschema@.quarter_start(q))::integer::text
        || CASE WHEN lang = 'en' THEN '-Q' ELSE '-K' END
        || EXTRACT(quarter FROM @extschema@.quarter_start(q))::integer::text;
COMMENT ON FUNCTION @extschema@.format_quarter(@extschema@.quarter, text) IS
    'a quarter as on a Dutch page: 2025-K3 (K for kwartaal); lang en: 2025-Q3';

CREATE FUNCTION @extschema@.html_escape(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
               t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
COMMENT ON FUNCTION @extschema@.html_escape(text) IS
    'text made safe for HTML content and attribute values: & < > " and '' as character references';

-- A label in the page's language.
CREATE FUNCTION @extschema@.report_word(lang text, nl text, en text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN lang = 'en' THEN en ELSE nl END;
COMMENT ON FUNCTION @extschema@.report_word(text, text, text) IS
    'the Dutch or (lang en) English label (internal)';

-- A status shown as colour, symbol and word together (never colour alone).
CREATE FUNCTION @extschema@.report_status_badge(status text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<span class="st st-' || coalesce(status, 'none') || '">'
        || CASE status WHEN 'fulfilled' THEN '&#10003; ' || @extschema@.report_word(lang, 'voldaan', 'fulfilled')
                       WHEN 'on_track' THEN '&#9679; ' || @extschema@.report_word(lang, 'op koers', 'on track')
                       WHEN 'at_risk' THEN '&#9650; ' || @extschema@.report_word(lang, 'risico', 'at risk')
                       WHEN 'behind' THEN '&#10005; ' || @extschema@.report_word(lang, 'achter', 'behind')
                       WHEN 'not_applicable' THEN '&#8211; ' || @extschema@.report_word(lang, 'geen verplichting', 'no obligation')
                       ELSE coalesce(@extschema@.html_escape(status), '') END
        || '</span>';
COMMENT ON FUNCTION @extschema@.report_status_badge(text, text) IS
    'a monitoring status as a coloured badge with a symbol and a word (internal)';

CREATE FUNCTION @extschema@.report_status_colour(status text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE status WHEN 'fulfilled' THEN '#1a7f37' WHEN 'on_track' THEN '#2563a8' WHEN 'at_risk' THEN '#b26a00'
                       WHEN 'behind' THEN '#c0392b' ELSE '#777777' END;
COMMENT ON FUNCTION @extschema@.report_status_colour(text) IS 'the colour of a monitoring status on the pages (internal)';

CREATE FUNCTION @extschema@.report_trend_word(trend text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE trend WHEN 'improving' THEN '&#8599; ' || @extschema@.report_word(lang, 'verbetert', 'improving')
                      WHEN 'worsening' THEN '&#8600; ' || @extschema@.report_word(lang, 'verslechtert', 'worsening')
                      WHEN 'steady' THEN '&#8594; ' || @extschema@.report_word(lang, 'gelijk', 'steady')
                      ELSE '' END;
COMMENT ON FUNCTION @extschema@.report_trend_word(text, text) IS 'a trend (leidraad 6.3 trendanalyse) as arrow and word (internal)';

CREATE FUNCTION @extschema@.report_report_word(report_status text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE report_status WHEN 'submitted' THEN @extschema@.report_word(lang, 'ingediend', 'submitted')
                              WHEN 'late' THEN @extschema@.report_word(lang, 'te laat ingediend', 'submitted late')
                              WHEN 'overdue' THEN @extschema@.report_word(lang, 'ontbreekt', 'missing')
                              WHEN 'not_due' THEN @extschema@.report_word(lang, 'nog niet verschuldigd', 'not yet due')
                              ELSE coalesce(@extschema@.html_escape(report_status), '') END;
COMMENT ON FUNCTION @extschema@.report_report_word(text, text) IS 'a quarterly report status in words (internal)';

CREATE FUNCTION @extschema@.report_kind_word(kind text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE kind WHEN 'kickoff_missing' THEN @extschema@.report_word(lang, 'startgesprek ontbreekt', 'kick-off missing')
                     WHEN 'kickoff_late' THEN @extschema@.report_word(lang, 'startgesprek te laat', 'kick-off late')
                     WHEN 'report_overdue' THEN @extschema@.report_word(lang, 'kwartaalrapportage ontbreekt', 'quarterly report missing')
                     WHEN 'report_late' THEN @extschema@.report_word(lang, 'kwartaalrapportage te laat', 'quarterly report late')
                     WHEN 'pso_expired' THEN @extschema@.report_word(lang, 'PSO-certificaat verlopen', 'PSO certificate expired')
                     WHEN 'intensify' THEN @extschema@.report_word(lang, 'monitoring intensiveren', 'intensify monitoring')
                     WHEN 'plan_missing' THEN @extschema@.report_word(lang, 'Plan van Aanpak niet geaccordeerd', 'plan of approach not accorded')
                     WHEN 'action_plan_missing' THEN @extschema@.report_word(lang, 'actieplan ontbreekt', 'action plan missing')
                     WHEN 'action_overdue' THEN @extschema@.report_word(lang, 'actiepunt over tijd', 'action item overdue')
                     WHEN 'settlement_due' THEN @extschema@.report_word(lang, 'eindafrekening ontbreekt', 'final settlement due')
                     ELSE coalesce(@extschema@.html_escape(kind), '') END;
COMMENT ON FUNCTION @extschema@.report_kind_word(text, text) IS 'an overdue item kind in words (internal)';

CREATE FUNCTION @extschema@.report_benefit_word(benefit text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE benefit WHEN 'participatiewet' THEN 'Participatiewet' WHEN 'ww' THEN 'WW' WHEN 'wia' THEN 'WIA'
                        WHEN 'wao' THEN 'WAO' WHEN 'wajong' THEN 'Wajong'
                        WHEN 'none' THEN @extschema@.report_word(lang, 'geen uitkering', 'no benefit')
                        ELSE coalesce(@extschema@.html_escape(benefit), '-') END;
COMMENT ON FUNCTION @extschema@.report_benefit_word(text, text) IS 'a benefit (target group) in words (internal)';

-- A column header of the pages' tables, in the page's language (num: right-aligned, a number).
CREATE FUNCTION @extschema@.report_th(lang text, nl text, en text, num boolean DEFAULT false) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN num THEN '<th class="num">' ELSE '<th>' END || @extschema@.report_word(lang, nl, en) || '</th>';
COMMENT ON FUNCTION @extschema@.report_th(text, text, text, boolean) IS 'a column header of a report page''s table in its language (internal)';

CREATE FUNCTION @extschema@.report_success_word(reason text, lang text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE reason WHEN 'early' THEN @extschema@.report_word(lang, 'voor het einde voldaan', 'fulfilled before the end')
                       WHEN 'exceeded' THEN @extschema@.report_word(lang, 'ruim overtroffen', 'well exceeded')
                       ELSE @extschema@.html_escape(reason) END;
COMMENT ON FUNCTION @extschema@.report_success_word(text, text) IS 'why a contract is a success (domain.md 6.6: early or exceeded) in words (internal)';

-- The page around a body: inline CSS only, A4 print.
CREATE FUNCTION @extschema@.report_page(lang text, title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<!DOCTYPE html>' || E'\n'
        || '<html lang="' || lang || '" xmlns="http://www.w3.org/1999/xhtml">' || E'\n'
        || '<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>'
        || '<title>' || title || '</title>' || E'\n' || '<style>' || $css$
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1b1b1b;
       margin: 0 auto; max-width: 186mm; padding: 6mm 0; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2pt 0; color: #12355b; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt 0; color: #12355b; border-bottom: 1.5pt solid #12355b; padding-bottom: 2pt;
     break-after: avoid; page-break-after: avoid; }
p.sub { margin: 0 0 8pt 0; color: #444; }
p.note { font-size: 8.5pt; color: #555; margin: 4pt 0; }
.kpis { display: flex; flex-wrap: wrap; gap: 5pt; margin: 6pt 0; }
.kpi { flex: 1 1 28%; border: 1pt solid #c9d3df; border-radius: 3pt; padding: 5pt 7pt; background: #f5f8fb;
       break-inside: avoid; }
.kpi .k { font-size: 8.5pt; color: #4a5a6a; }
.kpi .v { font-size: 13pt; font-weight: bold; white-space: nowrap; }
ul.statuses { list-style: none; padding: 0; margin: 6pt 0; display: flex; flex-wrap: wrap; gap: 6pt; }
ul.statuses li { border: 1pt solid #ccc; border-radius: 3pt; padding: 3pt 7pt; }
.st { font-weight: bold; white-space: nowrap; }
.st-fulfilled { color: #1a7f37; } .st-on_track { color: #2563a8; } .st-at_risk { color: #b26a00; }
.st-behind { color: #c0392b; } .st-not_applicable, .st-none { color: #666; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; font-size: 8pt; }
#contract-table { font-size: 7.3pt; }
#contract-table th, #contract-table td { padding: 2pt 2.5pt; }
.c-title, .c-supplier { color: #444; }
th, td { border-bottom: 0.6pt solid #d5dbe1; padding: 2.5pt 4pt; text-align: left; vertical-align: top; }
th { background: #e8eef4; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
#quarter-table { font-size: 7.5pt; }
#quarter-table th, #quarter-table td { padding: 2pt 2.5pt; }
tr.total td { font-weight: bold; border-top: 1pt solid #888; }
svg { display: block; width: 100%; height: auto; margin: 4pt 0; break-inside: avoid; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #555; }
footer { margin-top: 14pt; font-size: 8pt; color: #666; border-top: 0.6pt solid #ccc; padding-top: 4pt; }
$css$ || '</style>' || E'\n' || '</head>' || E'\n' || '<body>' || E'\n' || body || (E'\n' || '</body>' || E'\n' || '</html>' || E'\n');
COMMENT ON FUNCTION @extschema@.report_page(text, text, text) IS
    'a self-contained HTML page around an escaped title and a body: inline CSS, A4 print (internal)';

-- One tile of a page's headline figures (section 1 of both pages): its words and its
-- value, formatted and escaped by the caller.
CREATE FUNCTION @extschema@.report_kpi(lang text, id text, nl text, en text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '<div class="kpi" id="kpi-' || id || '"><div class="k">' || @extschema@.report_word(lang, nl, en)
        || '</div><div class="v">' || value || '</div></div>';
COMMENT ON FUNCTION @extschema@.report_kpi(text, text, text, text, text) IS
    'a headline figure of a report page: the tile kpi-<id> with its Dutch or English words and its formatted value (internal)';

-- The footer of both pages: sroi's version and the sections of the guideline the page follows.
CREATE FUNCTION @extschema@.report_footer(lang text, sections_nl text, sections_en text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN '<footer>' || @extschema@.report_word(lang, 'Gemaakt met sroi ', 'Made with sroi ')
        || @extschema@.html_escape((SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname OPERATOR(pg_catalog.=) 'sroi'))
        || @extschema@.report_word(lang, ' volgens de leidraad social return DUOplus (' || sections_nl || '). Bedragen in euro, exclusief btw.',
                                   ' after the DUOplus social return guideline (' || sections_en || '). Amounts in euros, excluding VAT.')
        || '</footer>';
COMMENT ON FUNCTION @extschema@.report_footer(text, text, text) IS
    'the footer of a report page: sroi''s version and the sections of the DUOplus guideline it follows (internal)';

-- The numbers of a rate card that the pages' notes print (domain.md 5: reports due
-- report_due_days after the quarter; a projection once projection_min_pct of the term
-- has passed): of the card named, else of the card in force on the date (rate_card_on),
-- else (a date before every card) of the first card.  The pages run as the caller, and a
-- BI reader (sroi_reader) may not read sroi.rate_card: so this runs as the owner and
-- returns only these two public numbers.
CREATE FUNCTION @extschema@.report_card_numbers(card text, on_date date,
                                                OUT report_due_days integer, OUT projection_min_pct numeric)
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT r.report_due_days, r.projection_min_pct
      FROM @extschema@.rate_card AS r
     WHERE r.code OPERATOR(pg_catalog.=) coalesce(card, @extschema@.rate_card_on(on_date),
                                                  (SELECT f.code FROM @extschema@.rate_card AS f ORDER BY f.valid_from LIMIT 1));
END;
REVOKE EXECUTE ON FUNCTION @extschema@.report_card_numbers(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.report_card_numbers(text, date)
    TO sroi_coordinator, sroi_contract_manager, sroi_supplier, sroi_reader;
COMMENT ON FUNCTION @extschema@.report_card_numbers(text, date) IS
    'report_due_days and projection_min_pct of a rate card (the one named, else the one in force on the date), for the notes of the report pages; runs as the owner, as readers may not read sroi.rate_card (internal)';

-- The charts' common frame: the page's chart width (in drawing units, which the A4 print
-- scales) and the opening of an inline SVG that names itself for screen readers.
CREATE FUNCTION @extschema@.report_chart_width() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 720;
COMMENT ON FUNCTION @extschema@.report_chart_width() IS 'the width of the report pages'' charts, in SVG drawing units (internal)';
CREATE FUNCTION @extschema@.report_svg_open(class text, height integer, title text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    -- || rather than format(), which is only STABLE
    RETURN '<svg class="chart ' || class || '" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 '
           || @extschema@.report_chart_width()::text || ' ' || height::text || '" width="'
           || @extschema@.report_chart_width()::text || '" height="' || height::text
           || '" role="img" aria-label="' || title || '"><title>' || title || '</title>';
COMMENT ON FUNCTION @extschema@.report_svg_open(text, integer, text) IS
    'the opening <svg> tag of a report chart of that class and height, with its title (escaped or safe) as aria-label and <title> (internal)';

-- SVG: cumulative realised, expected and planned value per quarter (leidraad 6.3:
-- voortgangsanalyse against the Plan van Aanpak).  Coordinates are drawing positions;
-- the amounts on the axis are whole euros.
CREATE FUNCTION @extschema@.report_svg_progress(labels text[], realised numeric[], expected numeric[],
                                                planned numeric[], lang text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    w constant integer := @extschema@.report_chart_width();
    h constant integer := 290;
    ml constant integer := 92;
    mr constant integer := 16;
    mt constant integer := 14;
    mb constant integer := 70;
    pw constant numeric := w - ml - mr;
    ph constant numeric := h - mt - mb;
    n integer := coalesce(array_length(labels, 1), 0);
    top numeric;
    raw numeric;
    mag numeric;
    step numeric;
    every integer;
    svg text;
    i integer;
    k integer;
    y numeric;
    has_plan boolean;
    pts text;
    series record;
BEGIN
    IF n = 0 THEN
        RETURN '';
    END IF;
    SELECT max(v) INTO top FROM unnest(realised || expected || planned) AS v;
    IF top IS NULL OR top <= 0 THEN
        top := 1;
    END IF;
    has_plan := EXISTS (SELECT FROM unnest(planned) AS v WHERE v <> 0);
    raw := top / 4;
    mag := 10::numeric ^ floor(log(10, raw));
    step := CASE WHEN raw <= mag THEN mag WHEN raw <= 2 * mag THEN 2 * mag WHEN raw <= 5 * mag THEN 5 * mag ELSE 10 * mag END;
    top := ceil(top / step) * step;
    svg := @extschema@.report_svg_open('chart-progress', h,
                                        @extschema@.report_word(lang, 'Cumulatief gerealiseerd, verwacht en gepland per kwartaal',
                                                                'Cumulative realised, expected and planned per quarter'));
    -- grid and amounts
    FOR k IN 0 .. (top / step)::integer LOOP
        y := round(mt + ph - k * step / top * ph, 1);
        svg := svg || (format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dde3ea" stroke-width="1"/>', ml, y, w - mr, y)
            || format('<text x="%s" y="%s" font-size="10" text-anchor="end" fill="#444">%s</text>', ml - 6, y + 3,
                      @extschema@.format_eur(k * step, lang, 0)));
    END LOOP;
    svg := svg || (format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555" stroke-width="1"/>', ml, mt + ph, w - mr, mt + ph));
    -- quarters on the axis (at most about 12 labels)
    every := greatest(1, ceil(n / 12.0)::integer);
    FOR i IN 1 .. n LOOP
        IF (n - i) % every = 0 THEN
            svg := svg || (format('<text x="%s" y="%s" font-size="10" text-anchor="%s" fill="#444">%s</text>',
                                 round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (i - 1) * pw / (n - 1) END, 1), mt + ph + 14,
                                 CASE WHEN n > 1 AND i = n THEN 'end' ELSE 'middle' END,
                                 @extschema@.html_escape(labels[i])));
        END IF;
    END LOOP;
    -- the lines: realised solid with points, expected dashed, planned dotted
    FOR series IN
        SELECT * FROM (VALUES (1, expected, '#555555', '6 4', 2, true), (2, planned, '#1a7f37', '2 3', 2, has_plan),
                              (3, realised, '#2563a8', '', 3, true)) AS s (nr, vals, colour, dash, width, shown)
         ORDER BY nr
    LOOP
        CONTINUE WHEN NOT series.shown;
        SELECT string_agg(round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (o - 1) * pw / (n - 1) END, 1)::text || ','
                          || round(mt + ph - v / top * ph, 1)::text, ' ' ORDER BY o)
          INTO pts
          FROM unnest(series.vals) WITH ORDINALITY AS u (v, o)
         WHERE v IS NOT NULL;
        CONTINUE WHEN pts IS NULL;
        svg := svg || (format('<polyline class="series-%s" fill="none" stroke="%s" stroke-width="%s"%s points="%s"/>',
                             series.nr, series.colour, series.width,
                             CASE WHEN series.dash <> '' THEN format(' stroke-dasharray="%s"', series.dash) ELSE '' END, pts));
        IF series.nr = 3 THEN
            svg := svg || ((SELECT string_agg(format('<circle cx="%s" cy="%s" r="3" fill="%s"/>',
                                                    round(ml + CASE WHEN n = 1 THEN pw / 2 ELSE (o - 1) * pw / (n - 1) END, 1),
                                                    round(mt + ph - v / top * ph, 1), series.colour), '' ORDER BY o)
                             FROM unnest(series.vals) WITH ORDINALITY AS u (v, o) WHERE v IS NOT NULL));
        END IF;
    END LOOP;
    -- legend: line style and word, not colour alone
    y := h - 18;
    svg := svg
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2563a8" stroke-width="3"/>', ml, y, ml + 28, y)
        || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 34, y + 4,
                  @extschema@.report_word(lang, 'gerealiseerd (cumulatief)', 'realised (cumulative)'))
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555555" stroke-width="2" stroke-dasharray="6 4"/>', ml + 200, y, ml + 228, y)
        || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 234, y + 4,
                  @extschema@.report_word(lang, 'verwacht (naar rato van de looptijd)', 'expected (pro rata over the term)'))
        || CASE WHEN has_plan THEN
               format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1a7f37" stroke-width="2" stroke-dasharray="2 3"/>', ml + 440, y, ml + 468, y)
               || format('<text x="%s" y="%s" font-size="10.5">%s</text>', ml + 474, y + 4,
                         @extschema@.report_word(lang, 'gepland (Plan van Aanpak)', 'planned (plan of approach)'))
           ELSE '' END
        || '</svg>';
    RETURN svg;
END
$$;
COMMENT ON FUNCTION @extschema@.report_svg_progress(text[], numeric[], numeric[], numeric[], text) IS
    'an inline SVG line chart of cumulative realised, expected and planned value per quarter (labels already escaped or safe; internal)';

-- SVG: one bar per contract, realised as a share of its obligation, a mark where the
-- expected value stands, colour plus the status word and the percentage.
CREATE FUNCTION @extschema@.report_svg_bars(labels text[], realised numeric[], obligation numeric[],
                                            expected numeric[], status text[], lang text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    row_h constant integer := 22;
    ml constant integer := 110;
    bw constant integer := 400;
    n integer := coalesce(array_length(labels, 1), 0);
    h integer;
    svg text;
    y integer;
BEGIN
    IF n = 0 THEN
        RETURN '';
    END IF;
    h := n * row_h + 34;
    svg := @extschema@.report_svg_open('chart-bars', h,
                                        @extschema@.report_word(lang, 'Gerealiseerd ten opzichte van de verplichting per contract',
                                                                'Realised against the obligation per contract'));
    -- the bars in one aggregate over the arrays unnested side by side (not a string grown
    -- bar by bar, nor arr[i] per bar: each is linear in the bars, so quadratic in all)
    svg := svg || ((
        SELECT string_agg(
                   format('<text x="%s" y="%s" font-size="10" text-anchor="end">%s</text>', ml - 6, b.top + 13,
                          @extschema@.html_escape(b.label))
                   || format('<rect x="%s" y="%s" width="%s" height="14" fill="#f1f3f5" stroke="#9aa5b1" stroke-width="0.8"/>',
                             ml, b.top + 2, bw)
                   || format('<rect x="%s" y="%s" width="%s" height="14" fill="%s"/>', ml, b.top + 2, round(b.share * bw, 1),
                             @extschema@.report_status_colour(b.status))
                   || CASE WHEN b.mark IS NOT NULL
                           THEN format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#111" stroke-width="2"/>',
                                       round(ml + b.mark * bw, 1), b.top, round(ml + b.mark * bw, 1), b.top + 18) ELSE '' END
                   || format('<text x="%s" y="%s" font-size="10" fill="%s">%s %s</text>', ml + bw + 8, b.top + 13,
                             @extschema@.report_status_colour(b.status),
                             coalesce(@extschema@.format_pct(@extschema@.pct_realised(b.realised, b.obligation), lang), ''),
                             regexp_replace(@extschema@.report_status_badge(b.status, lang), '<[^>]*>', '', 'g')),
                   '' ORDER BY b.nr)
          FROM (SELECT u.nr, u.label, u.status, u.realised, u.obligation, 4 + (u.nr - 1) * row_h AS top,
                       CASE WHEN u.obligation > 0 THEN least(u.realised / u.obligation, 1) ELSE 0 END AS share,
                       CASE WHEN u.obligation > 0 THEN least(coalesce(u.expected, 0) / u.obligation, 1) END AS mark
                  FROM unnest(labels, realised, obligation, expected, status)
                       WITH ORDINALITY AS u (label, realised, obligation, expected, status, nr)) AS b));
    y := n * row_h + 18;
    svg := svg
        || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#111" stroke-width="2"/>', ml, y - 6, ml, y + 6)
        || format('<text x="%s" y="%s" font-size="9.5" fill="#444">%s</text>', ml + 6, y + 4,
                  @extschema@.report_word(lang, 'streep: verwacht tot nu toe; volle balk: 100 % van de verplichting',
                                          'mark: expected to date; full bar: 100 % of the obligation'))
        || '</svg>';
    RETURN svg;
END
$$;
COMMENT ON FUNCTION @extschema@.report_svg_bars(text[], numeric[], numeric[], numeric[], text[], text) IS
    'an inline SVG bar chart: per contract realised as a share of the obligation, the expected value marked (internal)';

-- ---------------------------------------------------------------------------
-- The municipality's quarterly report
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.report_html(municipality text, quarter text, as_of date DEFAULT @extschema@.today(),
                                        lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- no JIT for the page's queries: each reads one municipality's or contract's rows,
    -- but the plans of the reports count every contract whose figures may have to be
    -- computed, so their cost passes jit_above_cost, and compiling them took 1.2 to 1.4 s
    -- of a 3.4 s page (make bench, Groningen, jit on as in PostgreSQL's defaults)
    SET jit = off
    -- the sorts of one municipality's quarterly rows and overdue items in memory: at the
    -- default 4MB they wrote 10 MB to temporary files (Groningen's page, bench data)
    SET work_mem = '32MB'
    -- a municipality's stored figures are read in the reports' order from their index
    -- (municipality, as_of, contract_id, quarter): at the default random_page_cost (4, a
    -- spinning disk) the planner read them with a bitmap scan and sorted them again
    -- (Groningen's 27,753 quarterly rows: 72 ms, by the index 27 ms); a server that
    -- draws up these pages holds its figures in memory
    SET random_page_cost = 1.1
    -- serial: with the figures stored, the parallel plans of the reports' computed parts
    -- started two workers each for a part that a one-time filter then skipped (about
    -- 30 ms a report); serially Groningen's page took as long or less, on one core
    SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    caller name := CURRENT_USER;
    q @extschema@.quarter;
    measured date;
    -- the contracts' rows of contract_compliance, read once (an array of the view's rows:
    -- cheaper to build and read again than jsonb)
    comp @extschema@.contract_compliance[];
    prog jsonb;
    series jsonb;
    overdue_shown constant integer := 100;
    overdue_total bigint;
    overdue_kinds jsonb;
    titles jsonb := '{}';
    groups jsonb;
    counts record;
    overdue jsonb;
    -- the page; each section is built apart and appended once (body || (...)): in
    -- body || a || b || ... every || copies the whole page so far (Groningen: 2.7 MB, a
    -- fifth of the page's time went to those copies and the memory they took)
    body text;
    part text;
    total text;
    head record;
    chart record;
    m text := municipality;
    qtext text;
BEGIN
    lang := @extschema@.report_lang(lang);
    IF municipality IS NULL OR quarter IS NULL OR as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'municipality, quarter and as_of must not be NULL');
    END IF;
    -- 2025-Q3 or 2025-K3, as written on the page
    q := regexp_replace(btrim(quarter), '[Kk]', 'Q')::@extschema@.quarter;
    IF @extschema@.quarter_start(q) > as_of THEN
        PERFORM @extschema@.raise_invalid('22023',
            format('quarter %s has not started on as_of %s', q, as_of),
            'The report of a quarter is drawn up during or after it.');
    END IF;
    -- The figures are those at the end of the quarter, or on as_of within it; the
    -- overdue items those on as_of (the day the report is drawn up).
    measured := least(as_of, @extschema@.quarter_end(q));
    qtext := @extschema@.format_quarter(q, lang);

    SELECT coalesce(array_agg(c ORDER BY c.contract_id), '{}') INTO comp
      FROM @extschema@.report_compliance(measured, caller, m) AS c;
    -- The quarterly rows, read once and reduced in SQL to what the page shows of them:
    -- per quarter the municipality's sums for the chart (the expected value as the sum of
    -- each contract's increments, so that a contract that has ended still counts in the
    -- later quarters), per contract the trend of its last quarter and its last report due
    -- (the latest quarter whose report is no longer not_due).
    WITH p AS MATERIALIZED (
        SELECT p.contract_id, p.quarter, p.realised, p.planned, p.trend, p.report_status,
               p.expected_cum - coalesce(lag(p.expected_cum) OVER (PARTITION BY p.contract_id ORDER BY p.quarter), 0)
                   AS expected_inc
          FROM @extschema@.report_quarterly_progress(measured, caller, m) AS p
    ), per_quarter AS (
        SELECT p.quarter, sum(p.realised) AS realised, sum(p.planned) AS planned, sum(p.expected_inc) AS expected
          FROM p GROUP BY p.quarter
    ), per_contract AS (
        SELECT p.contract_id, (array_agg(p.trend ORDER BY p.quarter DESC))[1] AS trend,
               (array_agg(p.quarter ORDER BY p.quarter DESC) FILTER (WHERE p.report_status <> 'not_due'))[1] AS report_quarter,
               (array_agg(p.report_status ORDER BY p.quarter DESC) FILTER (WHERE p.report_status <> 'not_due'))[1] AS report_status
          FROM p GROUP BY p.contract_id
    )
    SELECT (SELECT jsonb_build_object(
                'labels', coalesce(jsonb_agg(@extschema@.format_quarter(s.quarter::@extschema@.quarter, lang) ORDER BY s.quarter), '[]'),
                'realised', coalesce(jsonb_agg(s.realised ORDER BY s.quarter), '[]'),
                'expected', coalesce(jsonb_agg(s.expected ORDER BY s.quarter), '[]'),
                'planned', coalesce(jsonb_agg(s.planned ORDER BY s.quarter), '[]'))
              FROM (SELECT q.quarter, sum(q.realised) OVER w AS realised, sum(q.expected) OVER w AS expected,
                           sum(q.planned) OVER w AS planned
                      FROM per_quarter AS q WINDOW w AS (ORDER BY q.quarter)) AS s),
           (SELECT coalesce(jsonb_object_agg(c.contract_id, jsonb_build_object(
                       'trend', c.trend, 'report_status', c.report_status,
                       'label', @extschema@.format_quarter(c.report_quarter::@extschema@.quarter, lang))), '{}')
              FROM per_contract AS c)
      INTO series, prog
      FROM (SELECT 1) AS one;
    SELECT coalesce(jsonb_agg(jsonb_build_object('benefit', t.benefit, 'persons', t.persons, 'fte', t.fte,
                                                 'realised', t.realised, 'suppressed', t.suppressed)
                              ORDER BY t.benefit), '[]') INTO groups
      FROM @extschema@.report_target_group_outcomes(measured, caller, m) AS t
     WHERE t.quarter::text = q::text;
    -- the overdue items: how many of each kind, and the overdue_shown longest overdue
    -- (a page to read and print, not the whole list: that is the view overdue_items)
    WITH o AS MATERIALIZED (
        SELECT o.* FROM @extschema@.report_overdue_items(as_of, caller, m) AS o
    )
    SELECT (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', t.kind, 'contract_id', t.contract_id, 'supplier', t.supplier,
                                                         'quarter', @extschema@.format_quarter(t.quarter::@extschema@.quarter, lang),
                                                         'due_on', t.due_on, 'detail', t.detail)
                                      ORDER BY t.due_on, t.contract_id, t.kind), '[]')
              -- the first overdue_shown (a top-N sort, not a sort of every item)
              FROM (SELECT o.* FROM o ORDER BY o.due_on, o.contract_id, o.kind LIMIT overdue_shown) AS t),
           (SELECT count(*) FROM o),
           (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', x.kind, 'n', x.n) ORDER BY x.n DESC, x.kind), '[]')
              FROM (SELECT o.kind, count(*) AS n FROM o GROUP BY o.kind) AS x)
      INTO overdue, overdue_total, overdue_kinds;
    -- Titles for those who may read the contracts (row-level security decides which).
    IF has_table_privilege('@extschema@.contract', 'SELECT') THEN
        SELECT coalesce(jsonb_object_agg(k.id, k.title), '{}') INTO titles
          FROM @extschema@.contract AS k WHERE k.municipality = m;
    END IF;

    body := '<header><h1>' || @extschema@.report_word(lang, 'Kwartaalrapportage social return', 'Quarterly social return report')
        || ' ' || qtext || ' &#8211; ' || @extschema@.html_escape(m) || '</h1>'
        || '<p class="sub">' || @extschema@.report_word(lang, 'Cijfers per ', 'Figures as of ')
        || @extschema@.format_date(measured, lang)
        || @extschema@.report_word(lang, '; opgesteld op ', '; drawn up on ') || @extschema@.format_date(as_of, lang)
        || '.</p></header>' || E'\n';

    -- 1. Headline figures (leidraad 6.3: ontvangst en beoordeling)
    SELECT count(*) FILTER (WHERE c.obligation > 0) AS obliged, coalesce(sum(c.obligation), 0) AS obligation,
           coalesce(sum(c.realised), 0) AS realised, coalesce(sum(c.pending), 0) AS pending,
           coalesce(sum(c.expected_to_date), 0) AS expected, coalesce(sum(c.gap), 0) AS gap,
           count(*) FILTER (WHERE c.status = 'fulfilled') AS fulfilled,
           count(*) FILTER (WHERE c.status = 'on_track') AS on_track,
           count(*) FILTER (WHERE c.status = 'at_risk') AS at_risk,
           count(*) FILTER (WHERE c.status = 'behind') AS behind,
           count(*) FILTER (WHERE c.status = 'not_applicable') AS not_applicable
      INTO head
      FROM unnest(comp) AS c;
    body := body || ('<section id="headline"><h2>' || @extschema@.report_word(lang, '1. Kerncijfers', '1. Headline figures') || '</h2>'
        || '<div class="kpis">'
        || @extschema@.report_kpi(lang, 'contracts', 'Contracten met SROI-verplichting', 'Contracts with an SROI obligation',
                                  head.obliged::text)
        || @extschema@.report_kpi(lang, 'obligation', 'Totale verplichting', 'Total obligation',
                                  @extschema@.format_eur(head.obligation, lang))
        || @extschema@.report_kpi(lang, 'realised', 'Gerealiseerd tot nu toe', 'Realised to date',
                                  @extschema@.format_eur(head.realised, lang))
        || @extschema@.report_kpi(lang, 'pct', 'Gerealiseerd van de verplichting', 'Realised of the obligation',
                                  coalesce(@extschema@.format_pct(@extschema@.pct_realised(head.realised, head.obligation), lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'expected', 'Verwacht tot nu toe', 'Expected to date',
                                  @extschema@.format_eur(head.expected, lang))
        || @extschema@.report_kpi(lang, 'pending', 'Wacht op goedkeuring', 'Pending approval',
                                  @extschema@.format_eur(head.pending, lang))
        || '</div>'
        || '<ul class="statuses" id="statuses">'
        || (SELECT string_agg('<li data-status="' || s || '">' || @extschema@.report_status_badge(s, lang) || ': <b>' || cnt || '</b></li>', '' ORDER BY nr)
              FROM (VALUES (1, 'behind', head.behind), (2, 'at_risk', head.at_risk), (3, 'on_track', head.on_track),
                           (4, 'fulfilled', head.fulfilled), (5, 'not_applicable', head.not_applicable)) AS v (nr, s, cnt))
        || '</ul>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Alle contracten van de gemeente, ook lopende en afgeronde. Gerealiseerd telt goedgekeurde en niet-goedkeuringsplichtige activiteiten; wat op goedkeuring van de SR-coördinator wacht, telt nog niet mee.',
               'Every contract of the municipality, running and ended. Realised counts approved activities and those that need no approval; what awaits the SR coordinator''s approval does not count yet.')
        || '</p></section>' || E'\n');

    -- 2. Charts
    SELECT ARRAY(SELECT jsonb_array_elements_text(series -> 'labels')) AS labels,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'realised'))::numeric[] AS realised,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'expected'))::numeric[] AS expected,
           ARRAY(SELECT jsonb_array_elements_text(series -> 'planned'))::numeric[] AS planned
      INTO chart;
    body := body || ('<section id="charts"><h2>' || @extschema@.report_word(lang, '2. Voortgang', '2. Progress') || '</h2>'
        || '<figure>' || coalesce(@extschema@.report_svg_progress(chart.labels, chart.realised, chart.expected, chart.planned, lang), '')
        || '<figcaption>' || @extschema@.report_word(lang, 'Cumulatief per kwartaal, alle contracten van ', 'Cumulative per quarter, every contract of ')
        || @extschema@.html_escape(m) || @extschema@.report_word(lang, ' (leidraad 6.3: voortgangsanalyse en trendanalyse).', ' (guideline 6.3: progress and trend analysis).')
        || '</figcaption></figure>'
        || '<figure>'
        -- worst first: by status (behind, at_risk, on_track, fulfilled), then % realised,
        -- then contract number, so that ties have one order in all five arrays
        || coalesce((SELECT @extschema@.report_svg_bars(array_agg(c.contract_id ORDER BY c.nr), array_agg(c.realised ORDER BY c.nr),
                                                        array_agg(c.obligation ORDER BY c.nr), array_agg(c.expected_to_date ORDER BY c.nr),
                                                        array_agg(c.status ORDER BY c.nr), lang)
                       FROM (SELECT u.contract_id, u.realised, u.obligation, u.expected_to_date, u.status,
                                    row_number() OVER (ORDER BY array_position(ARRAY['behind', 'at_risk', 'on_track', 'fulfilled'], u.status),
                                                                coalesce(u.pct_realised, 0), u.contract_id) AS nr
                               FROM unnest(comp) AS u
                              WHERE u.obligation > 0) AS c), '')
        || '<figcaption>' || @extschema@.report_word(lang, 'Per contract met een verplichting, slechtste eerst.', 'Per contract with an obligation, worst first.')
        || '</figcaption></figure></section>' || E'\n');

    -- 3. The contracts table
    SELECT string_agg('<tr data-contract="' || @extschema@.html_escape(c.contract_id) || '">'
                      || '<td><b class="c-contract">' || @extschema@.html_escape(c.contract_id) || '</b>'
                      || coalesce('<br/><span class="c-title">' || @extschema@.html_escape(titles ->> c.contract_id) || '</span>', '')
                      || '<br/><span class="c-supplier">' || @extschema@.html_escape(c.supplier) || '</span></td>'
                      || '<td class="c-status">' || @extschema@.report_status_badge(c.status, lang) || '</td>'
                      || '<td class="num c-obligation">' || @extschema@.format_eur(c.obligation, lang) || '</td>'
                      || '<td class="num c-realised">' || @extschema@.format_eur(c.realised, lang) || '</td>'
                      || '<td class="num c-pct">' || coalesce(@extschema@.format_pct(c.pct_realised, lang), '&#8211;') || '</td>'
                      || '<td class="num c-gap">' || @extschema@.format_eur(c.gap, lang) || '</td>'
                      || '<td class="num c-projection">' || coalesce(@extschema@.format_eur(c.projected_at_end, lang), '&#8211;') || '</td>'
                      || '<td class="num c-penalty">' || @extschema@.format_eur(c.penalty_exposure, lang) || '</td>'
                      || '<td><span class="c-trend">' || coalesce(@extschema@.report_trend_word(t.trend, lang), '') || '</span><br/>'
                      || '<span class="c-report">' || coalesce(r.label || ': ' || @extschema@.report_report_word(r.report_status, lang), '&#8211;') || '</span></td>'
                      || '</tr>', E'\n' ORDER BY c.contract_id)
      INTO part
      FROM unnest(comp) AS c
      -- per contract: the trend of the last quarter and the last report due (prog, above)
      CROSS JOIN LATERAL (SELECT prog -> c.contract_id ->> 'trend' AS trend) AS t
      CROSS JOIN LATERAL (SELECT prog -> c.contract_id ->> 'label' AS label,
                                 prog -> c.contract_id ->> 'report_status' AS report_status) AS r;
    body := body || ('<section id="contracts"><h2>' || @extschema@.report_word(lang, '3. Contracten', '3. Contracts') || '</h2>'
        || '<table id="contract-table"><thead><tr>'
        || @extschema@.report_th(lang, 'Contract, omschrijving, opdrachtnemer', 'Contract, title, supplier')
        || @extschema@.report_th(lang, 'Status', 'Status')
        || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true)
        || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true)
        || '<th class="num">%</th>'
        || @extschema@.report_th(lang, 'Tekort', 'Gap', true)
        || @extschema@.report_th(lang, 'Prognose einde', 'Projection at end', true)
        || @extschema@.report_th(lang, 'Boeterisico', 'Penalty exposure', true)
        || @extschema@.report_th(lang, 'Trend; rapportage', 'Trend; report')
        || '</tr></thead><tbody>' || E'\n' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Rapportage: de laatste verschuldigde kwartaalrapportage. Prognose einde: gerealiseerd gedeeld door het verstreken deel van de looptijd (vanaf ',
               'Report: the last quarterly report due. Projection at end: realised divided by the elapsed share of the term (from ')
        -- projection_min_pct of the rate card in force on the page's date
        || (SELECT @extschema@.format_number(n.projection_min_pct, pg_catalog.scale(pg_catalog.trim_scale(n.projection_min_pct)), lang)
              FROM @extschema@.report_card_numbers(NULL, measured) AS n)
        || @extschema@.report_word(lang,
               ' % ervan). Boeterisico: het tekort maal het boetepercentage, als er niets meer bij zou komen. Trend: gerealiseerd min verwacht, vergeleken met het vorige kwartaal.',
               ' % of it on). Penalty exposure: the gap times the penalty percentage, if nothing more were delivered. Trend: realised minus expected, against the previous quarter.')
        || '</p></section>' || E'\n');

    -- Overdue items (leidraad 6.4: bijsturing, intensivering van de monitoring)
    SELECT string_agg('<tr><td class="o-kind">' || @extschema@.report_kind_word(o.kind, lang) || '</td>'
                      || '<td class="o-contract">' || @extschema@.html_escape(o.contract_id) || '</td>'
                      || '<td>' || @extschema@.html_escape(o.supplier) || '</td>'
                      || '<td>' || coalesce(@extschema@.html_escape(o.quarter), '&#8211;') || '</td>'
                      || '<td class="num">' || coalesce(@extschema@.format_date(o.due_on, lang), '') || '</td>'
                      || CASE WHEN lang = 'en' THEN '<td>' || coalesce(@extschema@.html_escape(o.detail), '') || '</td>' ELSE '' END
                      || '</tr>', E'\n' ORDER BY o.due_on, o.contract_id, o.kind)
      INTO part
      FROM jsonb_to_recordset(overdue) AS o (kind text, contract_id text, supplier text, quarter text, due_on date, detail text);
    body := body || ('<section id="overdue"><h2>' || @extschema@.report_word(lang, '4. Openstaande punten', '4. Overdue items') || '</h2>'
        || CASE WHEN part IS NULL
                THEN '<p>' || @extschema@.report_word(lang, 'Geen openstaande punten op ', 'No overdue items on ') || @extschema@.format_date(as_of, lang) || '.</p>'
                ELSE '<ul class="statuses" id="overdue-kinds">'
                     || (SELECT string_agg('<li data-kind="' || @extschema@.html_escape(x.e ->> 'kind') || '">'
                                           || @extschema@.report_kind_word(x.e ->> 'kind', lang)
                                           || ': <b>' || (x.e ->> 'n') || '</b></li>', '' ORDER BY x.nr)
                           FROM jsonb_array_elements(overdue_kinds) WITH ORDINALITY AS x (e, nr))
                     || '</ul>'
                     || '<table id="overdue-table"><thead><tr>' || @extschema@.report_th(lang, 'Wat', 'What') || '<th>Contract</th>'
                     || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier') || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
                     || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true)
                     || CASE WHEN lang = 'en' THEN '<th>Detail</th>' ELSE '' END || '</tr></thead><tbody>' || part || '</tbody></table>'
                     || CASE WHEN overdue_total > overdue_shown
                             THEN '<p class="note" id="overdue-more">' || @extschema@.report_word(lang, 'De ', 'The ') || overdue_shown
                                  || @extschema@.report_word(lang, ' langst openstaande van ', ' longest overdue of ') || overdue_total
                                  || @extschema@.report_word(lang, ' punten; de hele lijst staat in de view sroi.overdue_items.',
                                                             ' items; the whole list is in the view sroi.overdue_items.') || '</p>'
                             ELSE '' END
                     || '<p class="note">' || @extschema@.report_word(lang, 'Stand op ', 'As on ') || @extschema@.format_date(as_of, lang)
                     || @extschema@.report_word(lang, '. Monitoring intensiveren: twee kwartaaleinden op rij achter (leidraad 6.4).',
                                                '. Intensify monitoring: behind at two consecutive quarter ends (guideline 6.4).') || '</p>' END
        || '</section>' || E'\n');

    -- Placements and target groups, small cells suppressed as in the view
    SELECT string_agg('<tr' || CASE WHEN g.suppressed THEN ' class="suppressed"' ELSE '' END || '><td>'
                      || @extschema@.report_benefit_word(g.benefit, lang) || '</td>'
                      || CASE WHEN g.suppressed
                              THEN '<td class="num" colspan="3">' || @extschema@.report_word(lang, 'onderdrukt (kleine aantallen)', 'suppressed (small numbers)') || '</td>'
                              ELSE '<td class="num g-persons">' || g.persons || '</td><td class="num g-fte">' || @extschema@.format_number(g.fte, 2, lang)
                                   || '</td><td class="num g-realised">' || @extschema@.format_eur(g.realised, lang) || '</td>' END
                      || '</tr>', E'\n' ORDER BY g.benefit),
           '<tr class="total"><td>' || @extschema@.report_word(lang, 'Totaal getoonde cellen', 'Total of the cells shown') || '</td><td class="num">'
           || coalesce(sum(g.persons), 0) || '</td><td class="num">' || @extschema@.format_number(coalesce(sum(g.fte), 0), 2, lang)
           || '</td><td class="num">' || @extschema@.format_eur(coalesce(sum(g.realised), 0), lang) || '</td></tr>'
      INTO part, total
      FROM jsonb_to_recordset(groups) AS g (benefit text, persons integer, fte numeric, realised numeric, suppressed boolean);
    body := body || ('<section id="placements"><h2>' || @extschema@.report_word(lang, '5. Plaatsingen en doelgroepen in ', '5. Placements and target groups in ')
        || qtext || '</h2>'
        || CASE WHEN part IS NULL
                THEN '<p>' || @extschema@.report_word(lang, 'Geen plaatsingen in dit kwartaal.', 'No placements in this quarter.') || '</p>'
                ELSE '<table id="groups-table"><thead><tr>' || @extschema@.report_th(lang, 'Doelgroep (uitkering)', 'Target group (benefit)')
                     || @extschema@.report_th(lang, 'Personen', 'Persons', true) || @extschema@.report_th(lang, 'Gemiddeld fte', 'Average fte', true) || @extschema@.report_th(lang, 'Gerealiseerd in kwartaal', 'Realised in quarter', true) || '</tr></thead><tbody>'
                     || part || total || '</tbody></table>' END
        || '<p class="note">' || @extschema@.report_word(lang,
               'Alleen aantallen en sommen, geen persoonsgegevens. Cellen van minder dan ',
               'Counts and sums only, no personal data. Cells of fewer than ')
        || @extschema@.small_cell_persons()
        || @extschema@.report_word(lang,
               ' personen (en zo nodig de kleinste cel ernaast) zijn onderdrukt voor wie de personen van deze gemeente niet mag inzien; een totaal is dan te laag.',
               ' persons (and where needed the next smallest) are suppressed for those who may not read this municipality''s persons; a total is then low.')
        || '</p></section>' || E'\n');

    -- Placements counted in the quarter (domain.md 6.4, leidraad 6.3 "het aantal
    -- gerealiseerde plaatsingen"), as the view municipality_quarter shows them to the caller.
    SELECT mq.persons, mq.new_persons, mq.fte, mq.hours INTO counts
      FROM @extschema@.report_municipality_quarter(measured, caller, m, q::text) AS mq;
    body := body || ('<section id="quantities"><h2>' || @extschema@.report_word(lang, '6. Plaatsingen geteld in ', '6. Placements counted in ')
        || qtext || '</h2>'
        || '<table id="quantities-table"><thead><tr>' || @extschema@.report_th(lang, 'Personen', 'Persons', true)
        || @extschema@.report_th(lang, 'Nieuw geplaatst', 'Newly placed', true)
        || @extschema@.report_th(lang, 'Fte (gemiddeld over het kwartaal)', 'Fte (average over the quarter)', true)
        || @extschema@.report_th(lang, 'Uren', 'Hours', true) || '</tr></thead><tbody><tr>'
        || '<td class="num n-persons">' || coalesce(counts.persons::text, '&#8211;') || '</td>'
        || '<td class="num n-new">' || coalesce(counts.new_persons::text, '&#8211;') || '</td>'
        || '<td class="num n-fte">' || coalesce(@extschema@.format_number(counts.fte, 2, lang), '&#8211;') || '</td>'
        || '<td class="num n-hours">' || coalesce(@extschema@.format_number(counts.hours, 2, lang), '&#8211;') || '</td>'
        || '</tr></tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Personen met een getelde activiteit in het kwartaal; een streepje: verborgen omdat het om 1 tot ',
               'Persons with a counted activity in the quarter; a dash: hidden as it concerns 1 to ')
        || @extschema@.small_cell_persons() - 1
        || @extschema@.report_word(lang, ' personen gaat, of niets geteld.', ' persons, or nothing counted.')
        || '</p></section>' || E'\n');

    -- Successes (leidraad 6.6 "successen vieren") and settled contracts (5.3, 6.7), as the
    -- caller reads the views.
    part := NULL;
    IF has_table_privilege('@extschema@.successes', 'SELECT') THEN
        SELECT string_agg('<tr><td class="s-contract">' || @extschema@.html_escape(x.contract_id) || '</td><td>'
                          || @extschema@.html_escape(x.supplier) || '</td><td class="num">' || @extschema@.format_eur(x.obligation, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.realised, lang) || '</td><td class="num">'
                          || coalesce(@extschema@.format_pct(x.pct_realised, lang), '&#8211;') || '</td><td>'
                          || coalesce(@extschema@.format_quarter(x.fulfilled_in::@extschema@.quarter, lang), '&#8211;') || '</td><td>'
                          || @extschema@.report_success_word(x.reason, lang) || '</td></tr>', E'\n' ORDER BY x.contract_id)
          INTO part
          FROM @extschema@.successes AS x
         WHERE x.municipality = m;
    END IF;
    body := body || ('<section id="successes"><h2>' || @extschema@.report_word(lang, '7. Successen', '7. Successes') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Nog geen successen.', 'No successes yet.') || '</p>'
                ELSE '<table id="successes-table"><thead><tr><th>Contract</th>' || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier')
                     || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true) || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || '<th class="num">%</th>'
                     || @extschema@.report_th(lang, 'Voldaan in', 'Fulfilled in') || @extschema@.report_th(lang, 'Waarom', 'Why') || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '</section>' || E'\n');
    part := NULL;
    IF has_table_privilege('@extschema@.settlements', 'SELECT') THEN
        SELECT string_agg('<tr><td class="st-contract">' || @extschema@.html_escape(x.contract_id) || '</td><td>'
                          || @extschema@.html_escape(x.supplier) || '</td><td class="num">' || @extschema@.format_date(x.settled_on, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.obligation, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(x.realised, lang)
                          || '</td><td class="num st-penalty">' || @extschema@.format_eur(x.penalty_due, lang)
                          || CASE WHEN x.penalty_waived THEN ' (' || @extschema@.report_word(lang, 'kwijtgescholden', 'waived') || ')' ELSE '' END
                          || '</td></tr>', E'\n' ORDER BY x.settled_on, x.contract_id)
          INTO part
          FROM @extschema@.settlements AS x
         WHERE x.municipality = m AND x.settled_on <= report_html.as_of;
    END IF;
    body := body || ('<section id="settlements"><h2>' || @extschema@.report_word(lang, '8. Afgerekende contracten', '8. Settled contracts') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen afgerekende contracten.', 'No settled contracts.') || '</p>'
                ELSE '<table id="settlements-table"><thead><tr><th>Contract</th>' || @extschema@.report_th(lang, 'Opdrachtnemer', 'Supplier')
                     || @extschema@.report_th(lang, 'Afgerekend op', 'Settled on', true) || @extschema@.report_th(lang, 'Verplichting', 'Obligation', true) || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || @extschema@.report_th(lang, 'Boete', 'Penalty', true) || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '</section>' || E'\n');

    body := body || @extschema@.report_footer(lang, '6.3 kwartaalrapportages, 6.4 bijsturing', '6.3 quarterly reports, 6.4 steering');

    RETURN @extschema@.report_page(lang,
        @extschema@.report_word(lang, 'Kwartaalrapportage SROI ', 'SROI quarterly report ') || qtext || ' &#8211; ' || @extschema@.html_escape(m),
        body);
END
$$;
COMMENT ON FUNCTION @extschema@.report_html(text, text, date, text) IS
    'the quarterly SROI report of a municipality as one self-contained HTML page (Dutch; lang en: English): headline figures, charts, contracts, overdue items and target groups, at the end of the quarter (or as_of within it), showing only what the views show the caller';

-- ---------------------------------------------------------------------------
-- The contract's page for the quarterly conversation with the supplier
-- (leidraad 6.3: kwartaalrapportage bespreken; 6.4: overleg met opdrachtnemer)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.contract_report_html(contract_id text, as_of date DEFAULT @extschema@.today(),
                                                 lang text DEFAULT 'nl')
    RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- no JIT, as report_html above
    SET jit = off
AS $$
DECLARE
    caller name := CURRENT_USER;
    cid text := contract_id;
    c record;
    t_title text;
    t_starts date;
    t_ends date;
    t_kickoff date;
    readable boolean := false;
    chart record;
    prog jsonb;
    mix jsonb;
    overdue jsonb;
    pending jsonb;
    may_see_activities boolean;
    body text;  -- appended a section at a time, as in report_html
    part text;
BEGIN
    lang := @extschema@.report_lang(lang);
    IF contract_id IS NULL OR as_of IS NULL THEN
        PERFORM @extschema@.raise_invalid('22004', 'contract_id and as_of must not be NULL');
    END IF;
    SELECT r.* INTO c FROM @extschema@.report_compliance(as_of, caller, NULL, cid) AS r;
    IF NOT FOUND THEN
        PERFORM @extschema@.raise_invalid('22023', format('contract_id %L is not a contract', cid));
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('quarter', p.quarter::text, 'label', @extschema@.format_quarter(p.quarter::@extschema@.quarter, lang),
                                                 'planned', p.planned, 'realised', p.realised, 'realised_cum', p.realised_cum,
                                                 'expected_cum', p.expected_cum, 'planned_cum', p.planned_cum,
                                                 'deviation', p.deviation, 'deviation_cum', p.deviation_cum,
                                                 'pending', p.pending, 'status', p.status, 'trend', p.trend,
                                                 'intensify', p.intensify, 'report_status', p.report_status,
                                                 'submitted_on', p.report_submitted_on, 'planned_persons', p.planned_persons,
                                                 'persons', p.persons, 'new_persons', p.new_persons, 'fte', p.fte, 'hours', p.hours,
                                                 'deviation_persons', p.deviation_persons)
                              ORDER BY p.quarter), '[]') INTO prog
      FROM @extschema@.report_quarterly_progress(as_of, caller, NULL, cid) AS p;
    SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.category), '[]') INTO mix
      FROM @extschema@.report_category_mix(as_of, caller, cid) AS x;
    SELECT coalesce(jsonb_agg(jsonb_build_object('kind', o.kind, 'quarter', @extschema@.format_quarter(o.quarter::@extschema@.quarter, lang),
                                                 'due_on', o.due_on, 'detail', o.detail) ORDER BY o.due_on, o.kind), '[]') INTO overdue
      FROM @extschema@.report_overdue_items(as_of, caller, NULL, cid) AS o;
    -- The contract's own row (title, kick-off) as the caller: row-level security decides.
    IF has_table_privilege('@extschema@.contract', 'SELECT') THEN
        SELECT x.title, x.starts_on, x.ends_on, x.kickoff_on, true INTO t_title, t_starts, t_ends, t_kickoff, readable
          FROM @extschema@.contract AS x WHERE x.id = cid;
        readable := coalesce(readable, false);
    END IF;
    -- Activities awaiting approval: block, date and value only (no person), and only for
    -- those who may read the municipality's person-level data, read as the caller
    -- (value_line is security_invoker, under the policies of the tables).
    -- (nested: a reader may not even read role_scope, which may_read_persons reads)
    may_see_activities := false;
    IF has_table_privilege('@extschema@.value_line', 'SELECT') THEN
        may_see_activities := @extschema@.may_read_persons(caller, c.municipality);
    END IF;
    IF may_see_activities THEN
        SELECT coalesce(jsonb_agg(jsonb_build_object('block', a.block, 'starts_on', a.starts_on, 'value', a.value)
                                  ORDER BY a.starts_on, a.block, a.value), '[]') INTO pending
          FROM (SELECT min(l.block) FILTER (WHERE l.category <> 'bonus') AS block, min(l.starts_on) AS starts_on,
                       @extschema@.accrued_sum(@line_terms@, as_of, @line_caps@) AS value
                  FROM @extschema@.value_line AS l
                 WHERE l.contract_id = cid AND l.pending AND l.starts_on <= as_of
                 GROUP BY l.activity_id) AS a;
    END IF;

    body := '<header><h1>' || @extschema@.report_word(lang, 'Voortgangsgesprek social return ', 'Social return progress meeting ')
        || @extschema@.html_escape(cid) || '</h1>'
        || '<p class="sub">' || coalesce(@extschema@.html_escape(t_title) || ' &#8211; ', '')
        || @extschema@.html_escape(c.supplier) || ', ' || @extschema@.html_escape(c.municipality)
        || coalesce(@extschema@.report_word(lang, '; looptijd ', '; term ') || @extschema@.format_date(t_starts, lang) || ' &#8211; '
                    || @extschema@.format_date(t_ends, lang), '')
        || '. ' || @extschema@.report_word(lang, 'Cijfers per ', 'Figures as of ') || @extschema@.format_date(as_of, lang)
        || '.</p></header>' || E'\n';

    body := body || ('<section id="headline"><h2>' || @extschema@.report_word(lang, '1. Stand van zaken', '1. Where it stands') || '</h2>'
        || '<ul class="statuses" id="statuses"><li data-status="' || @extschema@.html_escape(c.status) || '">'
        || @extschema@.report_status_badge(c.status, lang) || '</li></ul>'
        || '<div class="kpis">'
        || @extschema@.report_kpi(lang, 'obligation', 'Verplichting', 'Obligation',
                                  @extschema@.format_eur(c.obligation, lang))
        || @extschema@.report_kpi(lang, 'realised', 'Gerealiseerd', 'Realised',
                                  @extschema@.format_eur(c.realised, lang))
        || @extschema@.report_kpi(lang, 'pct', 'Gerealiseerd van de verplichting', 'Realised of the obligation',
                                  coalesce(@extschema@.format_pct(c.pct_realised, lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'expected', 'Verwacht tot nu toe', 'Expected to date',
                                  @extschema@.format_eur(c.expected_to_date, lang))
        || @extschema@.report_kpi(lang, 'pending', 'Wacht op goedkeuring', 'Pending approval',
                                  @extschema@.format_eur(c.pending, lang))
        || @extschema@.report_kpi(lang, 'gap', 'Tekort', 'Gap',
                                  @extschema@.format_eur(c.gap, lang))
        || @extschema@.report_kpi(lang, 'projection', 'Prognose einde looptijd', 'Projection at end',
                                  coalesce(@extschema@.format_eur(c.projected_at_end, lang), '&#8211;'))
        || @extschema@.report_kpi(lang, 'penalty', 'Boeterisico', 'Penalty exposure',
                                  @extschema@.format_eur(c.penalty_exposure, lang))
        || '</div></section>' || E'\n');

    -- 2. Progress per quarter: chart and table (leidraad 6.3: afwijkingen en trends)
    SELECT array_agg(p.label ORDER BY p.quarter) AS labels, array_agg(p.realised_cum ORDER BY p.quarter) AS realised,
           array_agg(p.expected_cum ORDER BY p.quarter) AS expected, array_agg(p.planned_cum ORDER BY p.quarter) AS planned
      INTO chart
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, realised_cum numeric, expected_cum numeric, planned_cum numeric);
    SELECT string_agg('<tr data-quarter="' || p.quarter || '"><td>' || p.label || '</td>'
                      || '<td class="num q-planned">' || @extschema@.format_eur(p.planned, lang) || '</td>'
                      || '<td class="num q-realised">' || @extschema@.format_eur(p.realised, lang) || '</td>'
                      || '<td class="num q-deviation">' || @extschema@.format_eur(p.deviation, lang) || '</td>'
                      || '<td class="num q-realised-cum">' || @extschema@.format_eur(p.realised_cum, lang) || '</td>'
                      || '<td class="num q-expected-cum">' || @extschema@.format_eur(p.expected_cum, lang) || '</td>'
                      || '<td class="num q-deviation-cum">' || @extschema@.format_eur(p.deviation_cum, lang) || '</td>'
                      || '<td>' || @extschema@.report_status_badge(p.status, lang)
                      || CASE WHEN p.intensify THEN ' (' || @extschema@.report_word(lang, 'intensiveren', 'intensify') || ')' ELSE '' END || '</td>'
                      || '<td>' || @extschema@.report_trend_word(p.trend, lang) || '</td>'
                      || '<td>' || @extschema@.report_report_word(p.report_status, lang)
                      || coalesce(' (' || @extschema@.format_date(p.submitted_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY p.quarter)
      INTO part
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, planned numeric, realised numeric, deviation numeric,
                                          realised_cum numeric, expected_cum numeric, deviation_cum numeric, status text,
                                          trend text, intensify boolean, report_status text, submitted_on date);
    body := body || ('<section id="progress"><h2>' || @extschema@.report_word(lang, '2. Voortgang per kwartaal', '2. Progress per quarter') || '</h2>'
        || '<figure>' || coalesce(@extschema@.report_svg_progress(chart.labels, chart.realised, chart.expected, chart.planned, lang), '')
        || '</figure>'
        || '<table id="quarter-table"><thead><tr>' || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
        || @extschema@.report_th(lang, 'Gepland', 'Planned', true)
        || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true)
        || @extschema@.report_th(lang, 'Afwijking', 'Deviation', true)
        || @extschema@.report_th(lang, 'Cum. gerealiseerd', 'Cum. realised', true)
        || @extschema@.report_th(lang, 'Cum. verwacht', 'Cum. expected', true)
        || @extschema@.report_th(lang, 'Cum. afwijking', 'Cum. deviation', true)
        || '<th>Status</th><th>Trend</th>' || @extschema@.report_th(lang, 'Rapportage', 'Report')
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Afwijking: gerealiseerd min gepland (Plan van Aanpak). Status aan het eind van elk kwartaal, in het lopende kwartaal tot nu toe. Rapportages zijn ',
               'Deviation: realised minus planned (plan of approach). Status at the end of each quarter, in the current one to date. Reports are due ')
        -- report_due_days of the contract's rate card
        || (SELECT n.report_due_days FROM @extschema@.report_card_numbers(c.rate_card, NULL) AS n)
        || @extschema@.report_word(lang, ' dagen na het kwartaal verschuldigd.', ' days after the quarter.')
        || '</p></section>' || E'\n');

    -- 3. Category mix (suppressed like the view category_mix)
    SELECT string_agg('<tr><td>' || CASE x.category WHEN 'A' THEN @extschema@.report_word(lang, 'A: arbeidsparticipatie', 'A: employment')
                                                   WHEN 'B' THEN @extschema@.report_word(lang, 'B: leerwerkplekken en opleiding', 'B: learning and work experience')
                                                   WHEN 'C' THEN @extschema@.report_word(lang, 'C: overige sociale activiteiten', 'C: other social activity')
                                                   WHEN 'bonus' THEN @extschema@.report_word(lang, 'bonussen', 'bonuses')
                                                   ELSE @extschema@.html_escape(x.category) END || '</td>'
                      || CASE WHEN x.suppressed
                              THEN '<td class="num" colspan="2">' || @extschema@.report_word(lang, 'onderdrukt (1 tot ', 'suppressed (1 to ')
                                   || @extschema@.small_cell_persons() - 1 || @extschema@.report_word(lang, ' personen)', ' persons)') || '</td>'
                              ELSE '<td class="num">' || @extschema@.format_eur(x.realised, lang) || '</td><td class="num">'
                                   || coalesce(@extschema@.format_pct(100 * x.share, lang), '&#8211;') || '</td>' END
                      || '</tr>', '' ORDER BY x.category)
      INTO part
      FROM jsonb_to_recordset(mix) AS x (category text, realised numeric, share numeric, suppressed boolean);
    body := body || ('<section id="mix"><h2>' || @extschema@.report_word(lang, '3. Invulling per categorie', '3. Category mix') || '</h2>'
        || '<table id="mix-table"><thead><tr>' || @extschema@.report_th(lang, 'Categorie', 'Category') || @extschema@.report_th(lang, 'Gerealiseerd', 'Realised', true) || @extschema@.report_th(lang, 'Aandeel', 'Share', true)
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table></section>' || E'\n');

    -- 4. Awaiting approval
    IF may_see_activities THEN
        SELECT string_agg('<tr><td>' || @extschema@.html_escape(a.block) || '</td><td class="num">' || @extschema@.format_date(a.starts_on, lang)
                          || '</td><td class="num">' || @extschema@.format_eur(a.value, lang) || '</td></tr>', '' ORDER BY a.starts_on, a.block)
          INTO part
          FROM jsonb_to_recordset(pending) AS a (block text, starts_on date, value numeric);
        part := CASE WHEN part IS NULL
                     THEN '<p>' || @extschema@.report_word(lang, 'Niets wacht op goedkeuring.', 'Nothing awaits approval.') || '</p>'
                     ELSE '<table id="pending-table"><thead><tr>' || @extschema@.report_th(lang, 'Bouwblok', 'Block') || @extschema@.report_th(lang, 'Vanaf', 'From', true) || @extschema@.report_th(lang, 'Waarde tot nu toe', 'Value to date', true)
                          || '</tr></thead><tbody>' || part || '</tbody></table>' END;
    ELSE
        part := '<p>' || @extschema@.report_word(lang, 'Totaal ', 'Total ') || @extschema@.format_eur(c.pending, lang)
            || @extschema@.report_word(lang, '; de afzonderlijke activiteiten zijn alleen zichtbaar voor de SR-coördinator en de contractmanager van de gemeente.',
                                       '; the single activities are shown to the SR coordinator and the municipality''s contract managers only.') || '</p>';
    END IF;
    body := body || ('<section id="pending"><h2>' || @extschema@.report_word(lang, '4. Wacht op goedkeuring', '4. Awaiting approval') || '</h2>'
        || part || '</section>' || E'\n');

    -- 5. Reports and kick-off (leidraad 6.1 startgesprek, 6.3 kwartaalrapportages, 6.4)
    SELECT string_agg('<li>' || @extschema@.report_kind_word(o.kind, lang) || coalesce(' ' || @extschema@.html_escape(o.quarter), '')
                      || ' &#8211; ' || @extschema@.report_word(lang, 'uiterlijk ', 'due ') || @extschema@.format_date(o.due_on, lang)
                      || CASE WHEN lang = 'en' THEN coalesce(': ' || @extschema@.html_escape(o.detail), '') ELSE '' END || '</li>', '' ORDER BY o.due_on, o.kind)
      INTO part
      FROM jsonb_to_recordset(overdue) AS o (kind text, quarter text, due_on date, detail text);
    body := body || ('<section id="reports"><h2>' || @extschema@.report_word(lang, '5. Rapportages en startgesprek', '5. Reports and kick-off') || '</h2>'
        || '<p>' || @extschema@.report_word(lang, 'Startgesprek: ', 'Kick-off meeting: ')
        || CASE WHEN NOT readable THEN '&#8211;'
                WHEN t_kickoff <= as_of THEN @extschema@.format_date(t_kickoff, lang)
                ELSE @extschema@.report_word(lang, 'niet vastgelegd', 'not recorded') END
        || '. ' || @extschema@.report_word(lang, 'Ingediende rapportages: ', 'Reports submitted: ')
        || (SELECT count(*) FROM jsonb_to_recordset(prog) AS p (report_status text) WHERE p.report_status IN ('submitted', 'late'))
        || @extschema@.report_word(lang, ' van ', ' of ')
        || (SELECT count(*) FROM jsonb_to_recordset(prog) AS p (report_status text) WHERE p.report_status <> 'not_due')
        || @extschema@.report_word(lang, ' verschuldigd.', ' due.') || '</p>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen openstaande punten.', 'No overdue items.') || '</p>'
                ELSE '<ul id="overdue-list">' || part || '</ul>' END
        || '</section>' || E'\n');

    -- 6. Placements per quarter (domain.md 6.4): persons beside euros
    SELECT string_agg('<tr data-quantities="' || p.quarter || '"><td>' || p.label || '</td>'
                      || '<td class="num p-planned">' || coalesce(p.planned_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-persons">' || coalesce(p.persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-deviation">' || coalesce(p.deviation_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-new">' || coalesce(p.new_persons::text, '&#8211;') || '</td>'
                      || '<td class="num p-fte">' || coalesce(@extschema@.format_number(p.fte, 2, lang), '&#8211;') || '</td>'
                      || '<td class="num p-hours">' || coalesce(@extschema@.format_number(p.hours, 2, lang), '&#8211;') || '</td></tr>',
                      E'\n' ORDER BY p.quarter)
      INTO part
      FROM jsonb_to_recordset(prog) AS p (quarter text, label text, planned_persons integer, persons integer, new_persons integer,
                                          fte numeric, hours numeric, deviation_persons integer);
    body := body || ('<section id="quantities"><h2>' || @extschema@.report_word(lang, '6. Plaatsingen per kwartaal', '6. Placements per quarter') || '</h2>'
        || '<table id="quantities-table"><thead><tr>' || @extschema@.report_th(lang, 'Kwartaal', 'Quarter')
        || @extschema@.report_th(lang, 'Personen gepland', 'Persons planned', true)
        || @extschema@.report_th(lang, 'Personen', 'Persons', true)
        || @extschema@.report_th(lang, 'Afwijking personen', 'Deviation in persons', true)
        || @extschema@.report_th(lang, 'Nieuw', 'New', true)
        || '<th class="num">Fte</th>' || @extschema@.report_th(lang, 'Uren', 'Hours', true)
        || '</tr></thead><tbody>' || coalesce(part, '') || '</tbody></table>'
        || '<p class="note">' || @extschema@.report_word(lang,
               'Afwijking personen: personen min gepland in het Plan van Aanpak, naast de afwijking in euro (leidraad 6.3, 6.4).',
               'Deviation in persons: persons minus planned in the plan of approach, beside the deviation in euros (guideline 6.3, 6.4).')
        || '</p></section>' || E'\n');

    -- 7. Plan van Aanpak: versions, accord and amendments (domain.md 6.1, leidraad 6.2, 6.4)
    part := NULL;
    IF has_table_privilege('@extschema@.plan_versions', 'SELECT') THEN
        SELECT string_agg('<tr data-version="' || v.version || '"><td>' || v.version || '</td><td class="v-status">'
                          || CASE v.status WHEN 'proposed' THEN @extschema@.report_word(lang, 'voorgesteld', 'proposed')
                                           WHEN 'accorded' THEN @extschema@.report_word(lang, 'geaccordeerd', 'accorded')
                                           WHEN 'refused' THEN @extschema@.report_word(lang, 'afgewezen', 'refused')
                                           WHEN 'superseded' THEN @extschema@.report_word(lang, 'vervangen', 'superseded')
                                           ELSE @extschema@.html_escape(v.status) END || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.proposed_by), '') || coalesce(', ' || @extschema@.format_date(v.proposed_on, lang), '') || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.decided_by), '') || coalesce(', ' || @extschema@.format_date(v.decided_on, lang), '') || '</td>'
                          || '<td class="num">' || coalesce(@extschema@.format_eur(v.planned_total, lang), '&#8211;') || '</td>'
                          || '<td>' || coalesce(@extschema@.html_escape(v.reason), '') || '</td></tr>', E'\n' ORDER BY v.version)
          INTO part
          FROM @extschema@.plan_versions AS v
         WHERE v.contract_id = cid AND v.proposed_on <= contract_report_html.as_of;
    END IF;
    body := body || ('<section id="plan"><h2>' || @extschema@.report_word(lang, '7. Plan van Aanpak', '7. Plan of approach') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen versies zichtbaar.', 'No versions to show.') || '</p>'
                ELSE '<table id="plan-table"><thead><tr>' || @extschema@.report_th(lang, 'Versie', 'Version') || '<th>Status</th>'
                     || @extschema@.report_th(lang, 'Voorgesteld', 'Proposed') || @extschema@.report_th(lang, 'Besloten', 'Decided')
                     || @extschema@.report_th(lang, 'Gepland totaal', 'Planned total', true) || @extschema@.report_th(lang, 'Reden', 'Reason') || '</tr></thead><tbody>' || part || '</tbody></table>' END
        || '<p class="note">' || @extschema@.report_word(lang, 'De cijfers volgen de laatste geaccordeerde versie.',
                                                          'The figures follow the latest accorded version.') || '</p></section>' || E'\n');

    -- 8. Action plan (domain.md 6.2, leidraad 6.4 actieplan)
    part := NULL;
    IF has_table_privilege('@extschema@.action_item', 'SELECT') THEN
        SELECT string_agg('<tr><td>' || @extschema@.html_escape(x.what) || '</td><td>' || @extschema@.html_escape(x.owner) || '</td>'
                          || '<td class="num">' || @extschema@.format_date(x.due_on, lang) || '</td>'
                          || '<td class="num">' || CASE x.target_unit WHEN 'euro' THEN @extschema@.format_eur(x.target_value, lang)
                                                                      ELSE @extschema@.format_number(x.target_value, 0, lang) || ' '
                                                                           || CASE x.target_unit WHEN 'persons' THEN @extschema@.report_word(lang, 'personen', 'persons')
                                                                                                 ELSE @extschema@.report_word(lang, 'uren', 'hours') END END || '</td>'
                          || '<td class="a-status">' || CASE x.status WHEN 'open' THEN CASE WHEN x.due_on < as_of THEN @extschema@.report_word(lang, 'open, over tijd', 'open, overdue')
                                                                                          ELSE @extschema@.report_word(lang, 'open', 'open') END
                                                                    WHEN 'done' THEN @extschema@.report_word(lang, 'gedaan', 'done')
                                                                    ELSE @extschema@.report_word(lang, 'vervallen', 'dropped') END
                          || coalesce(' (' || @extschema@.format_date(x.closed_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY x.due_on, x.id)
          INTO part
          FROM @extschema@.action_item AS x
         WHERE x.contract_id = cid AND x.created_on <= as_of;
    END IF;
    body := body || ('<section id="actions"><h2>' || @extschema@.report_word(lang, '8. Actieplan', '8. Action plan') || '</h2>'
        || CASE WHEN part IS NULL THEN '<p>' || @extschema@.report_word(lang, 'Geen actiepunten.', 'No action items.') || '</p>'
                ELSE '<table id="actions-table"><thead><tr>' || @extschema@.report_th(lang, 'Wat', 'What') || @extschema@.report_th(lang, 'Wie', 'Owner') || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true)
                     || @extschema@.report_th(lang, 'Doel', 'Target', true) || '<th>Status</th></tr></thead><tbody>'
                     || part || '</tbody></table>' END
        || '</section>' || E'\n');

    -- 9. Monthly reports, when monitoring was intensified (domain.md 6.3)
    part := NULL;
    IF has_table_privilege('@extschema@.report_periods', 'SELECT') THEN
        SELECT string_agg('<tr><td>' || @extschema@.format_date(r.period_start, lang) || ' &#8211; ' || @extschema@.format_date(r.period_end, lang)
                          || '</td><td class="num">' || @extschema@.format_date(r.due_on, lang) || '</td><td class="m-status">'
                          || @extschema@.report_report_word(r.report_status, lang)
                          || coalesce(' (' || @extschema@.format_date(r.submitted_on, lang) || ')', '') || '</td></tr>', E'\n' ORDER BY r.period_start)
          INTO part
          FROM @extschema@.report_periods AS r
         WHERE r.contract_id = cid AND r.frequency = 'monthly' AND r.period_start <= contract_report_html.as_of;
    END IF;
    IF part IS NOT NULL THEN
        body := body || ('<section id="monthly"><h2>' || @extschema@.report_word(lang, '9. Maandrapportages', '9. Monthly reports') || '</h2>'
            || '<table id="monthly-table"><thead><tr>' || @extschema@.report_th(lang, 'Maand', 'Month') || @extschema@.report_th(lang, 'Uiterlijk', 'Due', true) || '<th>Status</th></tr></thead><tbody>' || part || '</tbody></table></section>' || E'\n');
    END IF;

    -- 10. Settlement and evaluation (domain.md 6.5, leidraad 5.3, 6.7)
    part := NULL;
    IF has_table_privilege('@extschema@.settlements', 'SELECT') THEN
        SELECT '<p id="settled">' || @extschema@.report_word(lang, 'Afgerekend op ', 'Settled on ') || @extschema@.format_date(x.settled_on, lang)
               || @extschema@.report_word(lang, ' door ', ' by ') || @extschema@.html_escape(x.settled_by) || '. '
               || @extschema@.report_word(lang, 'Verplichting ', 'Obligation ') || @extschema@.format_eur(x.obligation, lang) || ', '
               || @extschema@.report_word(lang, 'gerealiseerd ', 'realised ') || @extschema@.format_eur(x.realised, lang) || ', '
               || @extschema@.report_word(lang, 'boete ', 'penalty ') || '<span class="st-penalty">' || @extschema@.format_eur(x.penalty_due, lang) || '</span>'
               || CASE WHEN x.penalty_waived THEN ' (' || @extschema@.report_word(lang, 'kwijtgescholden', 'waived') || ')' ELSE '' END
               || '.</p><blockquote>' || coalesce(@extschema@.html_escape(x.evaluation), '') || '</blockquote>'
          INTO part
          FROM @extschema@.settlements AS x
         WHERE x.contract_id = cid AND x.settled_on <= contract_report_html.as_of;
    END IF;
    body := body || ('<section id="settlement"><h2>' || @extschema@.report_word(lang, '10. Eindafrekening en evaluatie', '10. Settlement and evaluation') || '</h2>'
        || coalesce(part, '<p>' || @extschema@.report_word(lang, 'Nog niet afgerekend.', 'Not settled yet.') || '</p>')
        || '</section>' || E'\n');

    -- 11. Success (domain.md 6.6, leidraad 6.6 "successen vieren"), once there is one, as
    -- the view successes shows it to the caller
    SELECT '<p id="success">' || @extschema@.report_word(lang, 'Verplichting voldaan in ', 'Obligation fulfilled in ')
           || coalesce(@extschema@.format_quarter(x.fulfilled_in::@extschema@.quarter, lang), '&#8211;') || ': '
           || @extschema@.report_success_word(x.reason, lang) || ', '
           || coalesce(@extschema@.format_pct(x.pct_realised, lang), '&#8211;')
           || @extschema@.report_word(lang, ' gerealiseerd (', ' realised (') || @extschema@.format_eur(x.realised, lang)
           || @extschema@.report_word(lang, ' van ', ' of ') || @extschema@.format_eur(x.obligation, lang) || ').</p>'
      INTO part
      FROM @extschema@.report_successes(as_of, caller, NULL, cid) AS x;
    IF part IS NOT NULL THEN
        body := body || ('<section id="success"><h2>' || @extschema@.report_word(lang, '11. Succes', '11. Success') || '</h2>'
            || part || '</section>' || E'\n');
    END IF;

    body := body || @extschema@.report_footer(lang, '6.3, 6.4', '6.3, 6.4');
    RETURN @extschema@.report_page(lang,
        @extschema@.report_word(lang, 'Voortgangsgesprek SROI ', 'SROI progress meeting ') || @extschema@.html_escape(cid), body);
END
$$;
COMMENT ON FUNCTION @extschema@.contract_report_html(text, date, text) IS
    'the page for the quarterly conversation with the supplier of a contract as self-contained HTML (Dutch; lang en: English): progress per quarter (chart and table), category mix, activities awaiting approval, report and kick-off status, placements and the deviation in persons, the Plan van Aanpak, action plan, monthly reports, settlement and, once there is one, the success (domain.md 6); only what the caller may read';
