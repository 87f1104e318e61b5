-- BI, part 1: the dimensions and labels of 11_bi.sql.  The labels are one source with
-- the codes: every code the constraints, the validation and the monitoring functions can
-- produce is read from their definitions here (CHECK constraints, check_one_of lists,
-- the literals the functions return) and must have a label, so that a new code cannot
-- reach a dashboard without words and a colour.  Data and roles: security_fixture.psql.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(24);

-- Without contracts, quarter_dimension shows last year to next year.
SELECT results_eq(
    $$SELECT min(quarter), max(quarter), count(*)::integer FROM sroi.quarter_dimension$$,
    $$SELECT format('%s-Q1', extract(year FROM sroi.today())::integer - 1), format('%s-Q4', extract(year FROM sroi.today())::integer + 1), 12$$,
    'quarter_dimension without contracts: last year to next year');

\ir security_fixture.psql

-- ---------------------------------------------------------------------------
-- 1. The codes, from their definitions.
-- ---------------------------------------------------------------------------
-- pg_temp.literals(FUNCTION, PATTERN): the first capture of PATTERN in the function's
-- definition (pg_get_functiondef: the deparsed body of SQL-standard functions, the
-- source of PL/pgSQL ones), every match.
CREATE FUNCTION pg_temp.literals(fn regprocedure, pattern text) RETURNS SETOF text
    LANGUAGE sql STABLE
    AS $$SELECT m[1] FROM regexp_matches(pg_get_functiondef(fn), pattern, 'g') AS m$$;
-- the text literals a function returns (THEN 'x', ELSE 'x', SELECT 'x')
CREATE FUNCTION pg_temp.returned(fn regprocedure) RETURNS SETOF text LANGUAGE sql STABLE
    AS $$SELECT pg_temp.literals(fn, $re$(?:THEN|ELSE|SELECT)\s+'([A-Za-z_]+)'$re$)$$;
-- the quoted words of a list: 'a'::text, 'b' ... -> a, b
CREATE FUNCTION pg_temp.words(list text) RETURNS SETOF text LANGUAGE sql IMMUTABLE
    AS $$SELECT m[1] FROM regexp_matches(list, $re$'([A-Za-z_0-9]+)'$re$, 'g') AS m$$;

CREATE TEMP TABLE code (field text, code text, source text);
-- status: what monitoring_status returns (contract_compliance.status, quarterly_progress.status)
INSERT INTO code SELECT 'status', c, 'monitoring_status'
  FROM pg_temp.returned('sroi.monitoring_status(numeric, numeric, numeric, numeric, boolean)') AS c;
-- report_status: what period_report_status returns (report_status, of a quarter, calls it)
INSERT INTO code SELECT 'report_status', c, 'period_report_status'
  FROM pg_temp.returned('sroi.period_report_status(date, date, date)') AS c;
-- trend: the literals quarterly_progress returns (its only CASE of text literals; the
-- query is in quarterly_progress_for, which src/tools/expand.awk derives from the view)
INSERT INTO code SELECT 'trend', c, 'quarterly_progress'
  FROM pg_temp.returned('sroi.quarterly_progress_for(date, name)') AS c;
-- kind: the literal kinds overdue_items returns, and 'report_' || report_status for the
-- report statuses it selects (report_status = ANY (ARRAY['overdue', 'late']))
-- (overdue_items_for holds the query of quarterly_progress too, through the macro
-- quarterly_rows: its literals are that report's, not kinds)
INSERT INTO code SELECT 'kind', c, 'overdue_items'
  FROM (SELECT * FROM pg_temp.returned('sroi.overdue_items_for(date, name)')
        EXCEPT SELECT * FROM pg_temp.returned('sroi.quarterly_progress_for(date, name)')) AS r (c);
INSERT INTO code SELECT 'kind', 'report_' || w, 'overdue_items report_status'
  FROM pg_temp.literals('sroi.overdue_items_for(date, name)', $re$report_status = ANY \(ARRAY\[([^\]]*)\]\)$re$) AS l
 CROSS JOIN LATERAL pg_temp.words(l) AS w;
-- reason: the literals successes returns (its query holds compliance_rows and value_lines
-- too, through the macros: their literals are those of contract_compliance)
INSERT INTO code SELECT 'reason', c, 'successes'
  FROM (SELECT * FROM pg_temp.returned('sroi.successes_for(date, name)')
        EXCEPT SELECT * FROM pg_temp.returned('sroi.compliance_for(date, name)')) AS r (c);
-- category: the CHECK constraint of building_block.category, and the categories
-- category_mix and report_category_mix spell out
INSERT INTO code SELECT 'category', w, 'building_block_category_check'
  FROM pg_constraint AS k CROSS JOIN LATERAL pg_temp.words(pg_get_constraintdef(k.oid)) AS w
 WHERE k.conrelid = 'sroi.building_block'::regclass AND k.conname = 'building_block_category_check';
INSERT INTO code SELECT 'category', c, fn::text
  FROM unnest(ARRAY['sroi.category_mix(date)', 'sroi.report_category_mix(date, name)']::regprocedure[]) AS fn
 CROSS JOIN LATERAL pg_temp.literals(fn, $re$\('([A-Za-z_]+)'::text,\s*c\.realised_$re$) AS c;
-- benefit, basis: the lists the validation triggers accept (check_one_of)
INSERT INTO code SELECT m[1], w, p.proname
  FROM pg_proc AS p
 CROSS JOIN LATERAL regexp_matches(p.prosrc, $re$check_one_of\('(benefit|basis)',\s*NEW\.\w+,\s*ARRAY\[([^\]]*)\]$re$, 'g') AS m
 CROSS JOIN LATERAL pg_temp.words(m[2]) AS w
 WHERE p.pronamespace = 'sroi'::regnamespace;

SELECT results_eq(
    $$SELECT field, count(DISTINCT code)::integer FROM code GROUP BY field ORDER BY field$$,
    $$VALUES ('basis'::text, 2), ('benefit', 6), ('category', 4), ('kind', 10), ('reason', 2), ('report_status', 4),
             ('status', 5), ('trend', 3)$$,
    'the codes are found in their definitions (at least the known ones: a field with none found means the pattern no longer matches)');

SELECT is_empty(
    $$SELECT field, code, source FROM code
      EXCEPT ALL SELECT c.field, c.code, c.source FROM code AS c JOIN sroi.labels AS l USING (field, code)$$,
    'every code a constraint, validation or monitoring function can produce has a label');

SELECT is_empty(
    $$SELECT field, code FROM sroi.labels
      EXCEPT SELECT field, code FROM code
      EXCEPT SELECT 'kind', k FROM unnest(ARRAY['plan_missing', 'action_plan_missing', 'action_overdue', 'settlement_due']) AS k$$,
    'every label is of a code that can appear (or an overdue kind api.md names for the steering rules)');

-- ---------------------------------------------------------------------------
-- 2. The labels themselves.
-- ---------------------------------------------------------------------------
SELECT is_empty($$SELECT field, code FROM sroi.labels GROUP BY 1, 2 HAVING count(*) > 1$$,
                'one label per field and code');
SELECT is_empty($$SELECT field, sort_order FROM sroi.labels GROUP BY 1, 2 HAVING count(*) > 1$$,
                'sort_order is unique within a field');
SELECT is_empty($$SELECT field FROM sroi.labels GROUP BY 1 HAVING min(sort_order) <> 1 OR max(sort_order) <> count(*)$$,
                'sort_order runs 1, 2, ... without gaps within a field');
SELECT is_empty($$SELECT * FROM sroi.labels WHERE colour !~ '^#[0-9A-F]{6}$'$$,
                'every colour is hex #RRGGBB');
SELECT is_empty($$SELECT * FROM sroi.labels WHERE coalesce(btrim(label_nl), '') = '' OR coalesce(btrim(label_en), '') = ''$$,
                'every code has a Dutch and an English label');
SELECT is_empty(
    $$SELECT DISTINCT l.field FROM sroi.labels AS l
       WHERE NOT EXISTS (SELECT FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
                          WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
                            AND c.relname <> 'labels' AND a.attname = l.field)$$,
    'every field is the name of a column of a view in schema sroi');

-- ---------------------------------------------------------------------------
-- 3. The codes the views show on data: the fixture's contracts at every quarter end
--    of their term and today, with a late report, a missing kick-off and a turnover
--    contract, must all have labels.
-- ---------------------------------------------------------------------------
UPDATE sroi.contract SET kickoff_on = awarded_on + 30 WHERE id = 'K-A2';
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on)
SELECT 'K-A1', sroi.quarter(current_date - 400), current_date - 100;
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on, basis)
VALUES ('K-T1', 'Diemen', 'Alfa BV', 'turnover', 1000000, current_date - 420, current_date - 400, current_date + 350, 'turnover');
-- (a loop, not a LATERAL join over the days: the inlined functions plan badly on a
-- parameter from a join)
CREATE TEMP TABLE shown (field text, code text);
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT sroi.quarter_end(q) FROM sroi.quarters(sroi.quarter(current_date - 400),
                                                           sroi.quarter(current_date) OPERATOR(sroi.-) 1) AS q
             UNION SELECT current_date LOOP
        INSERT INTO shown SELECT 'status', c.status FROM sroi.compliance(d) AS c;
        INSERT INTO shown SELECT f.field, f.code FROM sroi.quarterly_progress(d) AS p
                   CROSS JOIN LATERAL (VALUES ('status', p.status), ('report_status', p.report_status),
                                              ('trend', p.trend)) AS f (field, code)
                   WHERE f.code IS NOT NULL;
        INSERT INTO shown SELECT 'kind', o.kind FROM sroi.overdue_items(d) AS o;
        INSERT INTO shown SELECT 'category', m.category FROM sroi.category_mix(d) AS m;
        INSERT INTO shown SELECT 'benefit', t.benefit FROM sroi.target_group_outcomes(d) AS t;
    END LOOP;
    INSERT INTO shown SELECT 'basis', c.basis FROM sroi.contract_dimension AS c;
END
$$;

SELECT is((SELECT array_agg(DISTINCT field ORDER BY field) FROM shown),
          ARRAY['basis', 'benefit', 'category', 'kind', 'report_status', 'status', 'trend'],
          'the fixture shows codes of every field');
SELECT is_empty($$SELECT field, code FROM shown EXCEPT SELECT field, code FROM sroi.labels$$,
                'every code the fixture''s views show has a label');

-- ---------------------------------------------------------------------------
-- 4. The dimensions.
-- ---------------------------------------------------------------------------
SELECT set_eq(
    $$SELECT contract_id, municipality, supplier, title, contract_value, starts_on, ends_on, basis, rate_card,
             obligation_pct, start_quarter, end_quarter, as_of FROM sroi.contract_dimension$$,
    $$SELECT id, municipality, supplier, title, contract_value, starts_on, ends_on, basis, rate_card,
             obligation_pct, sroi.quarter(starts_on)::text AS start_quarter, sroi.quarter(ends_on)::text AS end_quarter,
             sroi.today() AS as_of
        FROM sroi.contract$$,
    'contract_dimension: one row per contract, its terms and quarters as text');

SELECT results_eq(
    $$SELECT min(quarter), max(quarter), count(*)::integer, count(*) FILTER (WHERE is_current)::integer FROM sroi.quarter_dimension$$,
    $$SELECT sroi.min(sroi.quarter(starts_on))::text, sroi.max(sroi.quarter(ends_on))::text,
             (sroi.max(sroi.quarter(ends_on)) OPERATOR(sroi.-) sroi.min(sroi.quarter(starts_on))) + 1, 1
        FROM sroi.contract$$,
    'quarter_dimension: every quarter from the earliest start to the latest end, one of them current');

SELECT is_empty(
    $$SELECT * FROM sroi.quarter_dimension
       WHERE quarter <> format('%s-Q%s', year, quarter_number) OR label_nl <> format('%s-K%s', year, quarter_number)
          OR label_en <> format('%s Q%s', year, quarter_number)
          OR quarter_start <> sroi.quarter_start(quarter::sroi.quarter) OR quarter_end <> sroi.quarter_end(quarter::sroi.quarter)
          OR is_current <> (sroi.today() BETWEEN quarter_start AND quarter_end)
          OR is_ended <> (quarter_end < sroi.today())
          OR relative_quarter <> quarter::sroi.quarter OPERATOR(sroi.-) sroi.quarter(sroi.today())$$,
    'quarter_dimension: labels, days and flags agree with the quarter');

SELECT results_eq(
    $$SELECT quarter, label_nl, label_en FROM sroi.quarter_dimension WHERE quarter = '2025-Q3'
      UNION ALL SELECT '2025-Q3', '2025-K3', '2025 Q3' WHERE NOT EXISTS (SELECT FROM sroi.quarter_dimension WHERE quarter = '2025-Q3')$$,
    $$VALUES ('2025-Q3'::text, '2025-K3'::text, '2025 Q3'::text)$$,
    'quarter 2025-Q3 is labelled 2025-K3 and 2025 Q3');

-- A reader reads the dimensions without any table right; suppliers do not.
SET LOCAL ROLE tr_reader;
SELECT is((SELECT count(*)::integer FROM sroi.contract_dimension), 5, 'a reader reads every contract in contract_dimension');
SELECT cmp_ok((SELECT count(*)::integer FROM sroi.quarter_dimension), '>', 0, 'a reader reads quarter_dimension');
SELECT is((SELECT count(*)::integer FROM sroi.labels), 36, 'a reader reads the labels');
SELECT throws_ok($$SELECT * FROM sroi.contract$$, '42501', NULL, 'a reader still cannot read the contract table');
RESET ROLE;
SET LOCAL ROLE tr_alfa;
SELECT throws_ok($$SELECT * FROM sroi.contract_dimension$$, '42501', NULL,
                 'a supplier cannot read contract_dimension (every supplier''s contracts), like the monitoring views');
RESET ROLE;

-- Documentation and types: the views of 11_bi.sql.
SELECT is_empty(
    $$SELECT c.relname || '.' || a.attname
        FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0
       WHERE c.oid IN ('sroi.contract_dimension'::regclass, 'sroi.quarter_dimension'::regclass, 'sroi.labels'::regclass)
         AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
      UNION ALL
      SELECT c.relname FROM pg_class AS c
       WHERE c.oid IN ('sroi.contract_dimension'::regclass, 'sroi.quarter_dimension'::regclass, 'sroi.labels'::regclass)
         AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''$$,
    'the dimension and label views and all their columns have comments');

SELECT results_eq(
    $$SELECT c.relname::text COLLATE "default", a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
        FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0
       WHERE c.oid IN ('sroi.contract_dimension'::regclass, 'sroi.quarter_dimension'::regclass, 'sroi.labels'::regclass)
         AND format_type(a.atttypid, a.atttypmod) NOT IN ('text', 'date', 'boolean', 'integer')
       ORDER BY 1, 2$$,
    $$VALUES ('contract_dimension'::text, 'contract_value'::text, 'numeric(15,2)'::text),
             ('contract_dimension', 'obligation_pct', 'numeric(5,2)')$$,
    'declared types: money numeric(15,2), percentages numeric(5,2); the rest text, date, boolean or integer');

SELECT is_empty(
    $$SELECT c.relname FROM pg_class AS c
       WHERE c.oid IN ('sroi.contract_dimension'::regclass, 'sroi.quarter_dimension'::regclass, 'sroi.labels'::regclass)
         AND NOT (has_table_privilege('sroi_reader', c.oid, 'SELECT')
                  AND has_table_privilege('sroi_coordinator', c.oid, 'SELECT')
                  AND has_table_privilege('sroi_contract_manager', c.oid, 'SELECT')
                  AND NOT has_table_privilege('sroi_supplier', c.oid, 'SELECT')
                  AND NOT has_table_privilege('public', c.oid, 'SELECT'))$$,
    'the three views are granted to reader, coordinator and contract manager, not to suppliers or PUBLIC');

SELECT * FROM finish();
ROLLBACK;
