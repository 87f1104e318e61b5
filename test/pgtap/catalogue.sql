-- The shipped rate card, rate_card_on, and the structure of the public surface:
-- every name of api.md, COMMENTs on everything, pg_dump registration and the
-- volatility of the pure functions.
-- The expected rate card rows are written from domain.md section 2 (and the
-- eligibility rules of section 4), not copied from src/sql/03_catalogue.sql.
BEGIN;
CREATE EXTENSION sroi;
SELECT plan(139);

-- ---------------------------------------------------------------------------
-- 1. The shipped card duoplus-2024 (domain.md 1 and 5 for its money rules).
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT code, valid_from, threshold::numeric, default_pct::numeric, reduced_pct::numeric,
             report_due_days, kickoff_days, at_risk_pct::numeric, projection_min_pct::numeric, shipped
        FROM sroi.rate_card$$,
    $$VALUES ('duoplus-2024'::text, date '2024-01-01', 200000::numeric, 5::numeric, 2::numeric,
              30, 14, 75::numeric, 10::numeric, true)$$,
    'the only card after CREATE EXTENSION is duoplus-2024 from 2024-01-01: threshold 200000, 5 % / 2 %, reports due after 30 days, kick-off within 14, at_risk from 75 %, projection from 10 %, shipped'
);

-- domain.md 2, row by row: category, unit, amount (NULL for invoice / negotiated:
-- the activity records the value), reference months (fte_period only), no cap,
-- approval for C9, C11 and M, and the eligibility rule of domain.md 4.
SELECT results_eq(
    $$SELECT code, category, unit, amount::numeric, reference_months, max_months, requires_approval, eligibility
        FROM sroi.building_block WHERE rate_card = 'duoplus-2024' ORDER BY code COLLATE "C"$$,
    $$SELECT * FROM (VALUES
        ('A1'::text, 'A'::text, 'fte_period'::text, 30000::numeric, 12, NULL::integer, false, 'participatiewet_24m_plus'::text),
        ('A2',       'A',       'fte_period',       40000,          12, NULL,          false, 'participatiewet_under_24m'),
        ('A3',       'A',       'fte_period',       15000,          12, NULL,          false, 'ww_over_6m'),
        ('A4',       'A',       'fte_period',       30000,          12, NULL,          false, 'doelgroepregister'),
        ('A4B',      'A',       'fte_period',       30000,          12, NULL,          false, 'beschut_werk'),
        ('B5',       'B',       'fte_period',       10000,          24, NULL,          false, 'wia_wao'),
        ('B6',       'B',       'agreement',        15000,          NULL, NULL,        false, 'target_group'),
        ('B7',       'B',       'agreement',        10000,          NULL, NULL,        false, 'mbo_under_23'),
        ('B7P',      'B',       'agreement',        10000,          NULL, NULL,        false, 'target_group'),
        ('B8',       'B',       'fte_period',       6000,           12, NULL,          false, 'participatiewet_or_ww'),
        ('B8V',      'B',       'agreement',        6000,           NULL, NULL,        false, 'vso_pro'),
        ('C9',       'C',       'invoice',          NULL,           NULL, NULL,        true,  'none'),
        ('C10',      'C',       'hour',             100,            NULL, NULL,        false, 'none'),
        ('C11',      'C',       'invoice',          NULL,           NULL, NULL,        true,  'none'),
        ('M',        'C',       'negotiated',       NULL,           NULL, NULL,        true,  'none'),
        ('BONUS12',  'bonus',   'fte_period',       5000,           12, NULL,          false, 'bonus_56plus'),
        ('BONUS13',  'bonus',   'fte_period',       5000,           12, NULL,          false, 'bonus_special')
      ) AS expected(code, category, unit, amount, reference_months, max_months, requires_approval, eligibility)
      ORDER BY code COLLATE "C"$$,
    'duoplus-2024 has exactly the 17 building blocks of domain.md 2 with their category, unit, amount, reference, cap, approval and eligibility'
);
SELECT is_empty(
    $$SELECT code FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND coalesce(btrim(name), '') = ''$$,
    'every duoplus-2024 block has a name'
);

SELECT results_eq(
    $$SELECT r.rung::text, r.discount_pct::numeric FROM sroi.pso_discount_rate AS r
       WHERE r.rate_card = 'duoplus-2024' ORDER BY r.rung$$,
    $$VALUES ('none'::text, 0::numeric), ('aspirant', 0), ('1', 10), ('2', 25), ('3', 50)$$,
    'duoplus-2024 PSO discounts: none 0, aspirant 0, rung 1 10 %, rung 2 25 %, rung 3 50 % (domain.md 1.5)'
);

SELECT is_empty(
    $$SELECT 'rate_card', code FROM sroi.rate_card WHERE code = 'duoplus-2024' AND NOT shipped
      UNION ALL SELECT 'building_block', code FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND NOT shipped
      UNION ALL SELECT 'pso_discount_rate', rung::text FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024' AND NOT shipped$$,
    'every row of the shipped card has shipped = true'
);

-- ---------------------------------------------------------------------------
-- 2. sroi.rate_card_on(date), before and after a user card.
-- ---------------------------------------------------------------------------
SELECT is(sroi.rate_card_on('2023-12-31'), NULL, 'rate_card_on(2023-12-31) is NULL: no card before 2024-01-01');
SELECT is(sroi.rate_card_on('2024-01-01'), 'duoplus-2024', 'rate_card_on(2024-01-01) is duoplus-2024 (its first day)');
SELECT is(sroi.rate_card_on('2026-07-01'), 'duoplus-2024', 'rate_card_on(2026-07-01) is duoplus-2024 while it is the only card');
SELECT is(sroi.rate_card_on(NULL), NULL, 'rate_card_on(NULL) is NULL');

CREATE TEMP TABLE card_before AS SELECT * FROM sroi.rate_card WHERE code = 'duoplus-2024';
CREATE TEMP TABLE blocks_before AS SELECT * FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
CREATE TEMP TABLE rates_before AS SELECT * FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024';

SELECT lives_ok(
    $$INSERT INTO sroi.rate_card (code, valid_from, description) VALUES ('x-2026', '2026-07-01', 'test card');
      INSERT INTO sroi.building_block
             (rate_card, code, category, name, unit, amount, reference_months, max_months, requires_approval, eligibility)
      SELECT 'x-2026', code, category, name, unit, round(amount * 1.1, 2), reference_months, max_months,
             requires_approval, eligibility
        FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
      INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct)
      SELECT 'x-2026', rung, discount_pct FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024'$$,
    'a user card x-2026 valid from 2026-07-01, with its blocks and PSO rates, can be added'
);
SELECT is(sroi.rate_card_on('2026-06-30'), 'duoplus-2024', 'rate_card_on(2026-06-30) is still duoplus-2024');
SELECT is(sroi.rate_card_on('2026-07-01'), 'x-2026', 'rate_card_on(2026-07-01) is x-2026 (its first day)');
SELECT is(sroi.rate_card_on('2030-01-01'), 'x-2026', 'rate_card_on(2030-01-01) is x-2026');
SELECT is(sroi.rate_card_on('2023-12-31'), NULL, 'rate_card_on(2023-12-31) is still NULL');
SELECT is((SELECT shipped FROM sroi.rate_card WHERE code = 'x-2026'), false, 'the user card is not shipped');

SELECT results_eq(
    $$SELECT * FROM sroi.rate_card WHERE code = 'duoplus-2024'$$,
    $$SELECT * FROM card_before$$,
    'the duoplus-2024 card row is unchanged after adding x-2026'
);
SELECT bag_eq(
    $$SELECT * FROM sroi.building_block WHERE rate_card = 'duoplus-2024'$$,
    $$SELECT * FROM blocks_before$$,
    'the duoplus-2024 blocks are unchanged after adding x-2026'
);
SELECT bag_eq(
    $$SELECT * FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024'$$,
    $$SELECT * FROM rates_before$$,
    'the duoplus-2024 PSO rates are unchanged after adding x-2026'
);

-- ---------------------------------------------------------------------------
-- 3. Structure: every name of api.md.
-- ---------------------------------------------------------------------------
SELECT has_schema('sroi', 'schema sroi exists');
SELECT has_type('sroi', 'quarter', 'type sroi.quarter exists');
SELECT has_type('sroi', 'pso_rung', 'type sroi.pso_rung exists');
SELECT enum_has_labels('sroi', 'pso_rung', ARRAY['none', 'aspirant', '1', '2', '3'],
                       'sroi.pso_rung has the labels none, aspirant, 1, 2, 3 in that order');
SELECT ok(EXISTS (SELECT FROM pg_opclass
                   WHERE opcintype = 'sroi.quarter'::regtype AND opcdefault
                     AND opcmethod = (SELECT oid FROM pg_am WHERE amname = 'btree')),
          'sroi.quarter has a default btree operator class');
SELECT ok(EXISTS (SELECT FROM pg_opclass
                   WHERE opcintype = 'sroi.quarter'::regtype AND opcdefault
                     AND opcmethod = (SELECT oid FROM pg_am WHERE amname = 'hash')),
          'sroi.quarter has a default hash operator class');
SELECT is((SELECT oprresult::regtype::text FROM pg_operator WHERE oid = to_regoperator(op)), result,
          format('operator %s exists and returns %s', op, result))
  FROM (VALUES ('sroi.+(sroi.quarter,integer)', 'sroi.quarter'),
               ('sroi.+(integer,sroi.quarter)', 'sroi.quarter'),
               ('sroi.-(sroi.quarter,integer)', 'sroi.quarter'),
               ('sroi.-(sroi.quarter,sroi.quarter)', 'integer'),
               ('sroi.<(sroi.quarter,sroi.quarter)', 'boolean'),
               ('sroi.=(sroi.quarter,sroi.quarter)', 'boolean')) AS api(op, result);

SELECT has_table('sroi', t, format('table sroi.%s exists', t))
  FROM unnest(ARRAY['rate_card', 'building_block', 'pso_discount_rate', 'contract', 'candidate', 'activity',
                    'plan', 'turnover', 'quarter_report', 'phasing', 'decision']) AS t;

-- The required columns of api.md "Tables users write".
SELECT is_empty(
    $$SELECT t || '.' || c FROM (VALUES
        ('rate_card', 'code'), ('rate_card', 'valid_from'), ('rate_card', 'description'),
        ('building_block', 'rate_card'), ('building_block', 'code'), ('building_block', 'category'),
        ('building_block', 'name'), ('building_block', 'unit'), ('building_block', 'amount'),
        ('building_block', 'reference_months'), ('building_block', 'max_months'),
        ('building_block', 'requires_approval'),
        ('contract', 'id'), ('contract', 'municipality'), ('contract', 'supplier'), ('contract', 'title'),
        ('contract', 'contract_value'), ('contract', 'tendered_on'), ('contract', 'awarded_on'),
        ('contract', 'starts_on'), ('contract', 'ends_on'), ('contract', 'obligation_pct'),
        ('contract', 'obligation_amount'), ('contract', 'exemption_reason'), ('contract', 'basis'),
        ('contract', 'rate_card'), ('contract', 'pso_rung'), ('contract', 'pso_approved'),
        ('contract', 'pso_valid_until'), ('contract', 'labour_share'), ('contract', 'penalty_pct'),
        ('contract', 'penalty_waived_reason'), ('contract', 'kickoff_on'),
        ('candidate', 'id'), ('candidate', 'birth_date'), ('candidate', 'benefit'), ('candidate', 'benefit_since'),
        ('candidate', 'doelgroepregister'), ('candidate', 'indication_until'), ('candidate', 'education'),
        ('candidate', 'job_seeking'), ('candidate', 'statushouder'), ('candidate', 'special_group'),
        ('activity', 'id'), ('activity', 'contract_id'), ('activity', 'delivered_by'), ('activity', 'block'),
        ('activity', 'candidate_id'), ('activity', 'fte'), ('activity', 'starts_on'), ('activity', 'ends_on'),
        ('activity', 'planned_ends_on'), ('activity', 'hours'), ('activity', 'amount'),
        ('activity', 'bonus_56plus'), ('activity', 'bonus_special'), ('activity', 'evidence_ref'),
        ('activity', 'status'),
        ('plan', 'contract_id'), ('plan', 'quarter'), ('plan', 'block'), ('plan', 'planned_value'),
        ('turnover', 'contract_id'), ('turnover', 'quarter'), ('turnover', 'amount'),
        ('quarter_report', 'contract_id'), ('quarter_report', 'quarter'), ('quarter_report', 'submitted_on')
      ) AS api(t, c)
      WHERE NOT EXISTS (SELECT FROM pg_attribute AS a
                         WHERE a.attrelid = to_regclass('sroi.' || api.t) AND a.attname = api.c
                           AND a.attnum > 0 AND NOT a.attisdropped)$$,
    'every table column api.md lists exists'
);
SELECT col_is_pk('sroi', 'rate_card', 'code', 'rate_card.code is the primary key');
SELECT col_is_pk('sroi', 'contract', 'id', 'contract.id is the primary key');
SELECT col_is_pk('sroi', 'candidate', 'id', 'candidate.id is the primary key');
-- Keys of fact tables include the distribution column contract_id (Citus, README).
SELECT col_is_pk('sroi', 'activity', ARRAY['contract_id', 'id'], 'activity''s primary key is (contract_id, id)');
SELECT is((SELECT attidentity::text FROM pg_attribute WHERE attrelid = 'sroi.activity'::regclass AND attname = 'id'),
          'a', 'activity.id is generated (GENERATED ALWAYS AS IDENTITY)');
SELECT col_default_is('sroi', 'activity', 'fte', '1', 'activity.fte defaults to 1');
SELECT col_default_is('sroi', 'activity', 'status', 'reported'::text, 'activity.status defaults to reported');
SELECT col_default_is('sroi', 'contract', 'labour_share', '1', 'contract.labour_share defaults to 1');
SELECT col_default_is('sroi', 'contract', 'penalty_pct', '100', 'contract.penalty_pct defaults to 100');

-- Functions of api.md, with their argument types.
SELECT has_function('sroi', 'quarter', ARRAY['date'], 'function sroi.quarter(date) exists');
SELECT has_function('sroi', 'quarter_start', ARRAY['sroi.quarter'], 'function sroi.quarter_start(quarter) exists');
SELECT has_function('sroi', 'quarter_end', ARRAY['sroi.quarter'], 'function sroi.quarter_end(quarter) exists');
SELECT has_function('sroi', 'quarters', ARRAY['sroi.quarter', 'sroi.quarter'], 'function sroi.quarters(quarter, quarter) exists');
SELECT has_function('sroi', 'months', ARRAY['date', 'date'], 'function sroi.months(date, date) exists');
SELECT has_function('sroi', 'obligation', 'function sroi.obligation exists');
SELECT has_function('sroi', 'pso_discount', ARRAY['numeric', 'sroi.pso_rung', 'numeric'],
                    'function sroi.pso_discount(numeric, pso_rung, numeric) exists');
SELECT has_function('sroi', 'accrued', 'function sroi.accrued exists');
SELECT has_function('sroi', 'approve', ARRAY['bigint', 'text', 'text'], 'function sroi.approve(bigint, text, text) exists');
SELECT has_function('sroi', 'reject', ARRAY['bigint', 'text', 'text'], 'function sroi.reject(bigint, text, text) exists');
SELECT has_function('sroi', 'override_eligibility', ARRAY['bigint', 'text', 'text'],
                    'function sroi.override_eligibility(bigint, text, text) exists');
SELECT has_function('sroi', 'compliance', ARRAY['date'], 'function sroi.compliance(date) exists');
SELECT has_function('sroi', 'quarterly_progress', ARRAY['date'], 'function sroi.quarterly_progress(date) exists');
SELECT has_function('sroi', 'municipality_quarter', ARRAY['date'], 'function sroi.municipality_quarter(date) exists');
SELECT has_function('sroi', 'category_mix', ARRAY['date'], 'function sroi.category_mix(date) exists');
SELECT has_function('sroi', 'target_group_outcomes', ARRAY['date'], 'function sroi.target_group_outcomes(date) exists');
SELECT has_function('sroi', 'rate_card_on', ARRAY['date'], 'function sroi.rate_card_on(date) exists');

-- obligation and accrued may grow optional arguments ("add freely beside them"):
-- the api.md argument list must be a prefix, every further argument must have a
-- default, and the api.md defaults must stay defaults.
SELECT ok(EXISTS (
    SELECT FROM pg_proc
     WHERE pronamespace = 'sroi'::regnamespace AND proname = 'obligation'
       AND (proargtypes::regtype[])[0:2] = ARRAY['numeric', 'numeric', 'numeric']::regtype[]
       AND pronargs - pronargdefaults <= 1
       AND proargnames[1:3] = ARRAY['contract_value', 'pct', 'threshold']),
    'sroi.obligation(contract_value numeric, pct numeric DEFAULT NULL, threshold numeric DEFAULT 200000 ...) as api.md says');
SELECT ok(EXISTS (
    SELECT FROM pg_proc
     WHERE pronamespace = 'sroi'::regnamespace AND proname = 'accrued'
       AND (proargtypes::regtype[])[0:7]
           = ARRAY['text', 'numeric', 'integer', 'numeric', 'date', 'date', 'date', 'date']::regtype[]
       AND pronargs - pronargdefaults <= 7
       AND proargnames[1:8] = ARRAY['unit', 'amount', 'reference_months', 'quantity',
                                    'starts_on', 'ends_on', 'as_of', 'planned_ends_on']),
    'sroi.accrued(unit, amount, reference_months, quantity, starts_on, ends_on, as_of, planned_ends_on DEFAULT NULL ...) as api.md says');
SELECT is(sroi.obligation(1000000), 50000.00, 'sroi.obligation is callable with the contract value alone');
SELECT is(sroi.obligation(1000000, NULL, 200000), 50000.00, 'sroi.obligation is callable with api.md''s three arguments');
SELECT is(sroi.accrued('hour', 100, NULL, 3, '2025-01-01', NULL, '2025-01-01'), 300.00,
          'sroi.accrued is callable with api.md''s seven required arguments');
SELECT is(sroi.pso_discount(1000, '2'), 250.00, 'sroi.pso_discount is callable with two arguments (labour_share DEFAULT 1)');

-- Views of api.md and their columns.
SELECT has_view('sroi', v, format('view sroi.%s exists', v))
  FROM unnest(ARRAY['contract_compliance', 'quarterly_progress', 'municipality_quarter', 'category_mix',
                    'target_group_outcomes']) AS v;

SELECT has_column('sroi', 'contract_compliance', c, format('view contract_compliance has column %s', c))
  FROM unnest(ARRAY['contract_id', 'municipality', 'supplier', 'contract_value', 'obligation_gross',
                    'pso_discount', 'obligation', 'realised', 'realised_a', 'realised_b', 'realised_c',
                    'realised_bonus', 'pending', 'expected_to_date', 'gap', 'pct_realised', 'status',
                    'projected_at_end', 'penalty_exposure']) AS c;
SELECT has_column('sroi', 'quarterly_progress', c, format('view quarterly_progress has column %s', c))
  FROM unnest(ARRAY['contract_id', 'municipality', 'supplier', 'quarter', 'quarter_start', 'quarter_end',
                    'planned', 'realised', 'realised_cum', 'expected_cum', 'deviation', 'deviation_cum',
                    'status', 'intensify', 'report_status']) AS c;
SELECT has_column('sroi', 'municipality_quarter', c, format('view municipality_quarter has column %s', c))
  FROM unnest(ARRAY['municipality', 'quarter', 'contracts', 'obligation', 'realised', 'pending',
                    'contracts_behind']) AS c;
SELECT has_column('sroi', 'category_mix', c, format('view category_mix has column %s', c))
  FROM unnest(ARRAY['contract_id', 'category', 'realised', 'share']) AS c;
SELECT has_column('sroi', 'target_group_outcomes', c, format('view target_group_outcomes has column %s', c))
  FROM unnest(ARRAY['municipality', 'quarter', 'benefit', 'persons', 'fte', 'realised']) AS c;

-- api.md: views expose only built-in types, so that every BI tool reads them.
SELECT is_empty(
    $$SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        FROM pg_class AS c
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_type AS t ON t.oid = a.atttypid
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind = 'v'
         AND (t.typnamespace = 'sroi'::regnamespace
              OR t.typelem IN (SELECT oid FROM pg_type WHERE typnamespace = 'sroi'::regnamespace))$$,
    'no view column in schema sroi has a type of schema sroi (only built-in types)'
);

-- ---------------------------------------------------------------------------
-- 4. Every table, view, function, type and column has a COMMENT.
-- ---------------------------------------------------------------------------
SELECT is_empty(
    $$SELECT kind || ' ' || name FROM (
        SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                              WHEN 'c' THEN 'type' ELSE 'table' END AS kind,
               c.oid::regclass::text AS name
          FROM pg_class AS c
         WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND obj_description(c.oid, 'pg_class') IS NULL
        UNION ALL
        SELECT 'column', c.oid::regclass::text || '.' || a.attname
          FROM pg_class AS c
          JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
           AND col_description(c.oid, a.attnum) IS NULL
        UNION ALL
        SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END,
               p.oid::regprocedure::text
          FROM pg_proc AS p
         WHERE p.pronamespace = 'sroi'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
        UNION ALL
        -- base, enum, domain, range and stand-alone composite types; not the
        -- implicit array types nor the row types of tables and views
        SELECT 'type', t.oid::regtype::text
          FROM pg_type AS t
         WHERE t.typnamespace = 'sroi'::regnamespace
           AND NOT EXISTS (SELECT FROM pg_type AS e WHERE e.typarray = t.oid)
           AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
           AND obj_description(t.oid, 'pg_type') IS NULL
      ) AS missing ORDER BY 1$$,
    'every table, view, column, function and type in schema sroi has a COMMENT'
);

-- ---------------------------------------------------------------------------
-- 5. pg_dump: user data is registered as extension configuration.
-- ---------------------------------------------------------------------------
SELECT is_empty(
    $$SELECT t FROM unnest(ARRAY['contract', 'candidate', 'activity', 'plan', 'turnover', 'quarter_report',
                                 'phasing', 'decision', 'rate_card', 'building_block', 'pso_discount_rate']) AS t
       WHERE NOT to_regclass('sroi.' || t) = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'sroi')::oid[]::regclass[])$$,
    'every table that holds user data is in pg_extension.extconfig (pg_dump dumps its rows)'
);
SELECT is_empty(
    $$SELECT s.oid::regclass::text
        FROM pg_class AS s
        JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
       WHERE s.relkind = 'S' AND s.relnamespace = 'sroi'::regnamespace
         AND d.refobjid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'sroi')::oid[])
         AND NOT s.oid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'sroi')::oid[])$$,
    'every sequence of a configuration table (identity columns) is in extconfig too, so its position is dumped'
);
SELECT is_empty(
    $$SELECT c.oid::regclass::text FROM pg_class AS c
       WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'p')
         AND NOT c.oid = ANY ((SELECT extconfig FROM pg_extension WHERE extname = 'sroi')::oid[])$$,
    'no table of schema sroi is left out of extconfig'
);
SELECT results_eq(
    $$SELECT cfg::regclass::text, cond COLLATE "default"
        FROM pg_extension, unnest(extconfig, extcondition) AS x(cfg, cond)
       WHERE extname = 'sroi' AND cfg::regclass::text IN ('sroi.rate_card', 'sroi.building_block', 'sroi.pso_discount_rate')
       ORDER BY cfg::regclass::text COLLATE "C"$$,
    $$VALUES ('sroi.building_block'::text, 'WHERE NOT shipped'::text),
             ('sroi.pso_discount_rate', 'WHERE NOT shipped'),
             ('sroi.rate_card', 'WHERE NOT shipped')$$,
    'rate_card, building_block and pso_discount_rate are dumped WHERE NOT shipped (the shipped card comes from CREATE EXTENSION)'
);
SELECT is_empty(
    $$SELECT cfg::regclass::text || ' ' || cond
        FROM pg_extension, unnest(extconfig, extcondition) AS x(cfg, cond)
       WHERE extname = 'sroi'
         AND cfg::regclass::text IN ('sroi.contract', 'sroi.candidate', 'sroi.activity', 'sroi.plan', 'sroi.turnover',
                                     'sroi.quarter_report', 'sroi.phasing', 'sroi.decision')
         AND cond <> ''$$,
    'the other user tables are dumped whole (no condition)'
);

-- ---------------------------------------------------------------------------
-- 6. The pure functions: IMMUTABLE, PARALLEL SAFE; STRICT unless a NULL argument
--    has a meaning (obligation: pct NULL = default; accrued: ends_on NULL = ongoing).
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT p.oid::regprocedure::text, p.provolatile::text, p.proparallel::text, p.proisstrict
        FROM pg_proc AS p
       WHERE p.pronamespace = 'sroi'::regnamespace
         AND p.proname IN ('months', 'obligation', 'accrued', 'pso_discount', 'labour_discount',
                           'quarter_in', 'quarter_out', 'quarter_recv', 'quarter_send')
       ORDER BY p.oid::regprocedure::text COLLATE "C"$$,
    $$SELECT p::regprocedure::text, v, s, strict FROM (VALUES
        ('sroi.accrued'::regproc,  'i'::text, 's'::text, false),
        ('sroi.labour_discount',   'i', 's', true),
        ('sroi.months',            'i', 's', true),
        ('sroi.obligation',        'i', 's', false),
        ('sroi.pso_discount',      'i', 's', true),
        ('sroi.quarter_in',        'i', 's', true),
        ('sroi.quarter_out',       'i', 's', true),
        ('sroi.quarter_recv',      'i', 's', true),
        ('sroi.quarter_send',      'i', 's', true)
      ) AS expected(p, v, s, strict) ORDER BY p::regprocedure::text COLLATE "C"$$,
    'months, obligation, accrued, pso_discount, labour_discount and the quarter I/O functions are IMMUTABLE and PARALLEL SAFE, each exactly once'
);
-- Triggers named for their order (issue 13): PostgreSQL fires the BEFORE row triggers of a
-- table in name order, so each is TABLE_NN_what, NN its place: 10 access, 20 caller,
-- 30 frozen, 35 guard, 40 scope, 50 validate, 60 version (the decision log's
-- append_only and no_truncate guard UPDATE/DELETE and TRUNCATE, where nothing else fires).
SELECT is_empty(
    $$SELECT t.tgrelid::regclass::text || '.' || t.tgname
        FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
       WHERE c.relnamespace = 'sroi'::regnamespace AND NOT t.tgisinternal
         AND t.tgtype::integer & 2 = 2 AND t.tgtype::integer & 1 = 1   -- BEFORE, FOR EACH ROW
         AND t.tgname !~ ('^' || c.relname || '_[0-9][0-9]_(access|caller|frozen|guard|scope|validate|version)$')
         AND t.tgname NOT IN ('decision_append_only')$$,
    'every BEFORE row trigger of sroi is named TABLE_NN_what, NN the order in which it fires');

SELECT * FROM finish();
ROLLBACK;
