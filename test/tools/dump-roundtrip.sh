#!/usr/bin/env bash
# pg_dump / pg_restore round trip of a database that uses sroi, as a TAP test.
# Runs inside a cluster (PGHOST, PGPORT, PGUSER set), e.g.
#   test/tools/with-cluster.sh prove -v test/tools/dump-roundtrip.sh
# It builds rt_src (CREATE EXTENSION sroi and a small data set: a user rate card,
# contracts on both cards, candidates, activities with decisions, plan, turnover,
# reports, phasing, a settled contract), captures the reports and every table, dumps it with
# pg_dump -Fc, restores into a new database rt_dst, and compares: same rows, same
# figures, the shipped card once, the decision log and identity sequences back,
# the validation triggers working. Both databases are dropped at the end.
set -uo pipefail

src=rt_src
dst=rt_dst
as_of=2026-06-30
source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
tap_roles=(rt_groen)
tap_start 28 roundtrip "$src" "$dst" rt_dst2

# same NAME: the captures NAME of rt_src and rt_dst are identical (for check).
same() {
    if [[ ! -s $work/$src.$1 ]]; then
        echo "nothing was captured from $src"
        return 1
    fi
    expect_equal "$(<"$work/$src.$1")" "$(<"$work/$dst.$1")"
}

# capture DB: writes every figure that must survive the round trip to $work/DB.*
capture() {
    local db=$1
    psql_db "$db" -A -t -c "SELECT * FROM sroi.compliance('$as_of')" >"$work/$db.compliance" 2>&1
    psql_db "$db" -A -t -c "SELECT * FROM sroi.quarterly_progress('$as_of')" >"$work/$db.progress" 2>&1
    psql_db "$db" -A -t >"$work/$db.reports" 2>&1 <<SQL
SELECT 'municipality_quarter', m::text FROM sroi.municipality_quarter('$as_of') AS m ORDER BY 2;
SELECT 'category_mix', m::text FROM sroi.category_mix('$as_of') AS m ORDER BY 2;
SELECT 'target_group_outcomes', m::text FROM sroi.target_group_outcomes('$as_of') AS m ORDER BY 2;
SELECT 'chain_delivery', m::text FROM sroi.chain_delivery('$as_of') AS m ORDER BY 2;
SELECT 'overdue_items', m::text FROM sroi.overdue_items('$as_of') AS m ORDER BY 2;
SELECT 'settlements', m::text FROM sroi.settlements(sroi.today()) AS m ORDER BY 2;
SELECT 'successes', m::text FROM sroi.successes('$as_of') AS m ORDER BY 2;
SQL
    # row counts and full contents of every table of schema sroi
    psql_db "$db" -A -t >"$work/$db.counts" 2>&1 <<'SQL'
SELECT format('SELECT %L, count(*) FROM %s', c.oid::regclass, c.oid::regclass)
  FROM pg_class AS c WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY c.relname COLLATE "C"
\gexec
SQL
    psql_db "$db" -A -t >"$work/$db.rows" 2>&1 <<'SQL'
SELECT format('SELECT %L, t::text FROM %s AS t ORDER BY 2', c.oid::regclass, c.oid::regclass)
  FROM pg_class AS c WHERE c.relnamespace = 'sroi'::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY c.relname COLLATE "C"
\gexec
SQL
    psql_db "$db" -A -t -c "SELECT * FROM sroi.decision ORDER BY id" >"$work/$db.decisions" 2>&1
    psql_db "$db" -A -t -c "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'sroi' ORDER BY 1" \
        >"$work/$db.sequences" 2>&1
    # the extension itself: its config tables, and its member objects and triggers
    psql_db "$db" -A -t >"$work/$db.extension" 2>&1 <<'SQL'
SELECT extversion, extconfig::regclass[]::text, extcondition FROM pg_extension WHERE extname = 'sroi';
SELECT count(*) AS members FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sroi');
SELECT tgrelid::regclass, tgname, tgenabled FROM pg_trigger
 WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'sroi'::regnamespace)
 ORDER BY 1, 2;
SQL
}

# ---- 1. the source database ------------------------------------------------
load() {
    createdb "$src" && psql_db "$src" -f - 2>&1 <<'SQL'
CREATE EXTENSION sroi;

-- Grants and scopes a user adds: a supplier login mapped to its supplier, and BI
-- read access to the plans beside the views.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rt_groen') THEN CREATE ROLE rt_groen; END IF;
END $$;
GRANT sroi_supplier TO rt_groen;
INSERT INTO sroi.role_scope (role_name, supplier) VALUES ('rt_groen', 'Groen BV');
GRANT SELECT ON sroi.plan TO sroi_reader;

-- A user rate card from 2025-06-01: the blocks 10 % dearer, rung 2 at 30 %.
INSERT INTO sroi.rate_card (code, valid_from, description, report_due_days)
VALUES ('rt-2025', '2025-06-01', 'round-trip test card', 45);
INSERT INTO sroi.building_block
       (rate_card, code, category, name, unit, amount, reference_months, max_months,
        requires_approval, eligibility, guideline_ref)
SELECT 'rt-2025', code, category, name, unit, round(amount * 1.1, 2), reference_months, max_months,
       requires_approval, eligibility, guideline_ref
  FROM sroi.building_block WHERE rate_card = 'duoplus-2024';
INSERT INTO sroi.pso_discount_rate (rate_card, rung, discount_pct)
SELECT 'rt-2025', rung, CASE WHEN rung = '2' THEN 30 ELSE discount_pct END
  FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024';

-- K1 picks duoplus-2024 from its tender date; K2 is pinned to rt-2025 by name
-- (awarded before rt-2025 took effect, so the pin is not the automatic choice).
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, tendered_on, awarded_on,
                           starts_on, ends_on, kickoff_on)
VALUES ('RT-K1', 'Diemen', 'Bouw BV', 'schools maintenance', 1000000, '2024-01-15', '2024-03-01',
        '2024-04-01', '2027-03-31', '2024-03-12');
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           basis, rate_card, pso_rung, pso_approved, pso_valid_until, labour_share)
VALUES ('RT-K2', 'Uithoorn', 'Groen BV', 'public green', 450000, '2025-05-20', '2025-07-01', '2026-12-31',
        'turnover', 'rt-2025', '2', true, '2026-03-31', 0.6);

INSERT INTO sroi.candidate (id, birth_date, benefit, benefit_since, education) VALUES
    ('rt-c1', '1966-02-10', 'participatiewet', '2019-05-01', NULL),
    ('rt-c2', '1990-07-01', 'ww', '2023-12-01', NULL),
    ('rt-c3', '2006-03-15', 'none', NULL, 'mbo2');

INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, bonus_56plus, evidence_ref)
VALUES ('RT-K1', 'A1', 'rt-c1', 0.8, '2024-04-01', NULL, true, 'employment contract 1'),
       ('RT-K1', 'A3', 'rt-c2', 1, '2024-08-01', '2025-07-31', false, 'employment contract 2');
INSERT INTO sroi.activity (contract_id, block, starts_on, amount, evidence_ref)
VALUES ('RT-K1', 'C9', '2024-06-15', 2500, 'invoice SR fund'),
       ('RT-K1', 'C11', '2025-01-10', 1200, 'invoice 77'),
       ('RT-K2', 'M', '2026-02-01', 3000, 'custom project');
INSERT INTO sroi.activity (contract_id, block, candidate_id, starts_on, ends_on, planned_ends_on)
VALUES ('RT-K2', 'B7', 'rt-c3', '2025-09-01', '2026-01-31', '2026-01-31');
INSERT INTO sroi.activity (contract_id, delivered_by, block, starts_on, hours)
VALUES ('RT-K2', 'Subco BV', 'C10', '2025-10-01', 40);
-- rt-c3 has no Participatiewet or WW: counted only by the coordinator's override
INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on, ends_on, eligibility_override)
VALUES ('RT-K2', 'B8', 'rt-c3', 0.5, '2026-02-01', '2026-07-31', 'work experience agreed with Uithoorn');

SELECT sroi.approve(id, 'coordinator Jansen', 'invoice checked') FROM sroi.activity WHERE block = 'C9';
SELECT sroi.reject(id, 'coordinator Jansen', 'no sheltered workshop on the invoice') FROM sroi.activity WHERE block = 'C11';

INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES
    ('RT-K1', '2024-Q2', 'A1', 5000), ('RT-K1', '2024-Q3', 'A1', 6000), ('RT-K1', '2024-Q4', 'A3', 4000),
    ('RT-K1', '2025-Q1', 'C9', 2500), ('RT-K2', '2025-Q3', 'B7', 3000), ('RT-K2', '2025-Q4', 'C10', 4000);
-- Steering (domain.md 6): RT-K1's plan above is version 1 entered directly; an amended
-- version 2 is proposed (sealing version 1 with its 4 lines) and accorded, so that the
-- restore brings back the lines of sealed versions; RT-K2 reports monthly from 2026, and
-- has an action item.
SELECT sroi.propose_plan('RT-K1', 'Bouw BV');
INSERT INTO sroi.plan (contract_id, version, quarter, block, planned_value) VALUES
    ('RT-K1', 2, '2025-Q2', 'A1', 7000), ('RT-K1', 2, '2025-Q3', 'A3', 3000);
SELECT sroi.accord_plan('RT-K1', 2, 'manager Diemen', 'amended after a year');
SELECT sroi.set_reporting('RT-K2', 'monthly', '2026-01-01', 'coordinator Jansen', 'behind two quarters');
INSERT INTO sroi.period_report (contract_id, period_start, period_end, submitted_on)
VALUES ('RT-K2', '2026-01-01', '2026-01-31', '2026-02-20');
INSERT INTO sroi.action_item (contract_id, what, owner, due_on, target_value, target_unit, created_on)
VALUES ('RT-K2', 'two work experience places', 'Groen BV', '2026-06-30', 2, 'persons', '2026-04-10');
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES
    ('RT-K2', '2025-Q3', 80000), ('RT-K2', '2025-Q4', 120000), ('RT-K2', '2026-Q1', 95000),
    ('RT-K2', '2026-Q2', 110000);
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES
    ('RT-K1', '2024-Q2', '2024-07-25'), ('RT-K1', '2024-Q3', '2024-11-20'),
    ('RT-K1', '2024-Q4', '2025-01-28'), ('RT-K2', '2025-Q3', '2025-10-20');
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES
    ('RT-K1', '2024-04-01', 0.1), ('RT-K1', '2025-04-01', 0.4),
    ('RT-K1', '2026-04-01', 0.75), ('RT-K1', '2027-01-01', 1);

-- RT-K0 ended on 2025-06-30 and is settled (domain.md 6.5): frozen, with rows in every
-- frozen table, turnover among them, whose rows pg_dump writes after the settlement's.
INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value, awarded_on, starts_on, ends_on,
                           kickoff_on, penalty_pct)
VALUES ('RT-K0', 'Diemen', 'Bouw BV', 'bridge repair', 500000, '2024-05-01', '2024-06-01', '2025-06-30',
        '2024-05-10', 80);
INSERT INTO sroi.activity (contract_id, block, starts_on, hours, amount, evidence_ref)
VALUES ('RT-K0', 'C10', '2024-09-01', 60, NULL, 'guest lessons'),
       ('RT-K0', 'C9', '2025-02-01', NULL, 4000, 'invoice SR fund 2');
SELECT sroi.approve(id, 'coordinator Jansen', 'invoice checked') FROM sroi.activity WHERE evidence_ref = 'invoice SR fund 2';
INSERT INTO sroi.plan (contract_id, quarter, block, planned_value) VALUES ('RT-K0', '2024-Q3', 'C10', 6000);
INSERT INTO sroi.turnover (contract_id, quarter, amount) VALUES ('RT-K0', '2025-Q2', 90000);
INSERT INTO sroi.phasing (contract_id, from_date, cumulative_share) VALUES ('RT-K0', '2024-06-01', 1);
INSERT INTO sroi.quarter_report (contract_id, quarter, submitted_on) VALUES ('RT-K0', '2025-Q2', '2025-07-20');
SELECT sroi.settle('RT-K0', 'coordinator Jansen', 'Half delivered: 80 % of the gap is due.');
SQL
}
check "rt_src: CREATE EXTENSION sroi and the data set load" load
capture "$src"
# 6 decisions: two approvals, the rejection, the plan accord, the reporting frequency and
# the settlement; the override and PSO approval given at INSERT by the owner are not
# logged (rows that arrive decided bring their log).
check "rt_src: the data set has 2 user cards' worth of rows, 10 activities, 6 decisions and 1 settlement" \
    test "$(value "$src" "SELECT (SELECT count(*) FROM sroi.rate_card) || ' ' || (SELECT count(*) FROM sroi.activity)
                          || ' ' || (SELECT count(*) FROM sroi.decision) || ' ' || (SELECT count(*) FROM sroi.settlement)")" = "2 10 6 1"

# ---- 2. dump and restore ---------------------------------------------------
check "pg_dump -Fc rt_src succeeds" pg_dump -Fc -f "$work/rt.dump" "$src"
# A plain restore, every trigger on: the rows are re-validated (every stored row is
# one the rules accept, domain.md 7.11) and decided rows bring their decision log
# rather than logging anew (06_workflow.sql logs on UPDATE only).
restore() { createdb "$dst" && pg_restore --exit-on-error -d "$dst" "$work/rt.dump"; }
check "a plain pg_restore into the new database rt_dst succeeds without errors" restore
capture "$dst"

# ---- 3. the same data and figures ------------------------------------------
check "the extension in rt_dst: same version, extconfig, member objects and triggers (none doubled)" same extension
check "row counts of every sroi table match" same counts
check "the contents of every sroi table match, row by row" same rows
check "the identity sequences are back at the same position" same sequences
check "the decision log came back unchanged (ids, kinds, who, when, why), with no extra rows" same decisions
check "sroi.compliance('$as_of') matches" same compliance
check "sroi.quarterly_progress('$as_of') matches" same progress
check "municipality_quarter, category_mix, target_group_outcomes, chain_delivery, overdue_items, settlements and successes match" same reports

check "the shipped card duoplus-2024 is in rt_dst exactly once, with its 17 blocks and 5 PSO rates, shipped" \
    test "$(value "$dst" "SELECT (SELECT count(*) FROM sroi.rate_card WHERE code = 'duoplus-2024' AND shipped) || ' '
                          || (SELECT count(*) FROM sroi.building_block WHERE rate_card = 'duoplus-2024' AND shipped) || ' '
                          || (SELECT count(*) FROM sroi.pso_discount_rate WHERE rate_card = 'duoplus-2024' AND shipped)")" \
    = "1 17 5"
check "the user card rt-2025 is back, not shipped, with its 17 blocks and 5 PSO rates" \
    test "$(value "$dst" "SELECT (SELECT count(*) FROM sroi.rate_card WHERE code = 'rt-2025' AND NOT shipped) || ' '
                          || (SELECT count(*) FROM sroi.building_block WHERE rate_card = 'rt-2025' AND NOT shipped) || ' '
                          || (SELECT count(*) FROM sroi.pso_discount_rate WHERE rate_card = 'rt-2025' AND NOT shipped)")" \
    = "1 17 5"
check "RT-K2 is still pinned to rt-2025 and RT-K0, RT-K1 to duoplus-2024" \
    test "$(value "$dst" "SELECT string_agg(id || '=' || rate_card, ' ' ORDER BY id) FROM sroi.contract")" \
    = "RT-K0=duoplus-2024 RT-K1=duoplus-2024 RT-K2=rt-2025"

check "the grant a user added (SELECT on sroi.plan to sroi_reader) is back in rt_dst" \
    test "$(value "$dst" "SELECT has_table_privilege('sroi_reader', 'sroi.plan', 'SELECT')")" = t
check "the role scope a user added (rt_groen acts for Groen BV) is back in rt_dst" \
    test "$(value "$dst" "SELECT string_agg(role_name || '=' || supplier, ' ') FROM sroi.role_scope")" = "rt_groen=Groen BV"

# pg_dump | psql (plain SQL format) gives the same rows and figures too.
plain_sql() {
    local db=rt_dst2 rc=0
    dropdb --if-exists "$db" >/dev/null 2>&1
    createdb "$db" || return 1
    pg_dump "$src" | psql_db "$db" >/dev/null 2>"$work/plain.err" || rc=1
    if ((rc == 0)); then
        capture "$db"
        for f in rows decisions compliance progress reports; do
            diff -u "$work/$src.$f" "$work/$db.$f" >"$work/plain.diff" || { rc=1; head -n 40 "$work/plain.diff"; }
        done
    else
        head -n 20 "$work/plain.err"
    fi
    dropdb --if-exists "$db" >/dev/null 2>&1
    return "$rc"
}
check "pg_dump rt_src | psql into a new database: same rows, decision log and reports" plain_sql

# ---- 4. rt_dst keeps working -----------------------------------------------
new_activity() {
    local max_id new_id
    max_id=$(value "$src" "SELECT max(id) FROM sroi.activity") || { echo "$max_id"; return 1; }
    new_id=$(value "$dst" "INSERT INTO sroi.activity (contract_id, block, starts_on, hours)
                           VALUES ('RT-K1', 'C10', '2026-05-04', 6) RETURNING id") || { echo "$new_id"; return 1; }
    ((new_id > max_id)) || { echo "new id $new_id is not above the restored maximum $max_id"; return 1; }
}
check "a new activity in rt_dst gets a fresh id above the restored ones (no duplicate key)" new_activity
new_decision() {
    local max_id output
    max_id=$(value "$src" "SELECT max(id) FROM sroi.decision") || { echo "$max_id"; return 1; }
    output=$(value "$dst" "SELECT sroi.approve(id, 'coordinator Jansen', 'project report seen')
                             FROM sroi.activity WHERE block = 'M';
                           SELECT count(*) FROM sroi.decision WHERE id > $max_id AND kind = 'approve'
                              AND decided_by = 'coordinator Jansen';") || { echo "$output"; return 1; }
    [[ $(tail -n 1 <<<"$output") == 1 ]] || { echo "expected one new logged approval above id $max_id, got: $output"; return 1; }
}
check "sroi.approve in rt_dst works and logs the decision under a fresh id" new_decision
check "rt_dst validates activities: fte 1.5 is refused with 22003" \
    expect_error "$dst" 22003 "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                               VALUES ('RT-K1', 'A3', 'rt-c2', 1.5, '2026-01-05')"
check "rt_dst checks eligibility: rt-c3 (no benefit) on A1 is refused with 23514" \
    expect_error "$dst" 23514 "INSERT INTO sroi.activity (contract_id, block, candidate_id, fte, starts_on)
                               VALUES ('RT-K1', 'A1', 'rt-c3', 0.5, '2026-01-05')"
check "rt_dst validates contracts: ends_on before starts_on is refused with 23514" \
    expect_error "$dst" 23514 "INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                                   awarded_on, starts_on, ends_on)
                               VALUES ('RT-K9', 'Diemen', 'X BV', 'x', 300000, '2026-01-01', '2026-02-01', '2026-01-31')"
check "rt_dst pins a new contract awarded on 2025-07-01 to the restored card rt-2025" \
    test "$(value "$dst" "INSERT INTO sroi.contract (id, municipality, supplier, title, contract_value,
                              awarded_on, starts_on, ends_on)
                          VALUES ('RT-K3', 'Ouder-Amstel', 'Y BV', 'y', 250000, '2025-07-01', '2025-08-01', '2026-07-31')
                          RETURNING rate_card")" = rt-2025
check "rt_dst still guards the shipped card: changing a duoplus-2024 block is refused with 23001" \
    expect_error "$dst" 23001 "UPDATE sroi.building_block SET amount = 1 WHERE rate_card = 'duoplus-2024' AND code = 'A2'"
check "rt_dst still guards cards in use: changing an rt-2025 block is refused with 23001" \
    expect_error "$dst" 23001 "UPDATE sroi.building_block SET amount = 1 WHERE rate_card = 'rt-2025' AND code = 'A2'"
check "the settled contract RT-K0 came back settled, with its figures, and stays frozen (23001)" \
    expect_error "$dst" 23001 "INSERT INTO sroi.activity (contract_id, block, starts_on, hours)
                               VALUES ('RT-K0', 'C10', '2025-03-03', 2)"
check "rt_dst keeps the decision log append-only: DELETE is refused with 23001" \
    expect_error "$dst" 23001 "DELETE FROM sroi.decision"

tap_done
