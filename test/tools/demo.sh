#!/usr/bin/env bash
# Usage: test/tools/demo.sh
# Creates sroi in the current database (PGHOST, PGDATABASE, ... as for psql), loads
# the sample data of test/data/demo.sql (unless contracts are there already) and
# prints the quarterly monitoring report as of DEMO_AS_OF (default 2026-10-15, the
# date the sample data is calibrated on).  `make demo` runs it in a throw-away cluster.
set -euo pipefail

cd "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/../.."

as_of=${DEMO_AS_OF:-2026-10-15}
psql=(psql -X -q -v ON_ERROR_STOP=1)

source test/tools/demo-load.sh
demo_load

"${psql[@]}" -v as_of="$as_of" <<'SQL'
\pset format aligned
\pset border 1
\pset footer off
\pset null ''
SET lc_numeric = 'C';
-- sroi on the path for the operators of sroi.quarter.
SET search_path = public, sroi;
-- Money in whole euros with thousands separators, right-aligned.
CREATE FUNCTION pg_temp.eur(amount numeric) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN to_char(round(amount), '9G999G990');
SELECT :'as_of'::date AS as_of, sroi.quarter(:'as_of'::date) AS quarter \gset

\echo
\echo '==========================================================================================='
\echo ' SROI quarterly monitoring - DUOplus (Diemen, Uithoorn, Ouder-Amstel) - as of' :as_of
\echo '==========================================================================================='
\echo
\echo 'Municipalities: contracts running in' :quarter '(realised: to date, % of their obligations; in quarter, pending: this quarter to date)'
WITH running AS (
    SELECT p.municipality, sum(p.realised_cum) AS realised_cum
      FROM sroi.quarterly_progress(:'as_of') AS p
     WHERE p.quarter = :'quarter'
     GROUP BY p.municipality
)
SELECT coalesce(m.municipality, 'DUOplus') AS municipality,
       sum(m.contracts) AS contracts,
       pg_temp.eur(sum(m.obligation)) AS obligation,
       pg_temp.eur(sum(r.realised_cum)) AS realised,
       pg_temp.eur(sum(m.realised)) AS "in quarter",
       pg_temp.eur(sum(m.pending)) AS pending,
       round(100 * sum(r.realised_cum) / nullif(sum(m.obligation), 0), 1) AS "% realised",
       sum(m.contracts_behind) AS behind
  FROM sroi.municipality_quarter(:'as_of') AS m
  JOIN running AS r ON r.municipality = m.municipality
 WHERE m.quarter = :'quarter'
 GROUP BY ROLLUP (m.municipality)
 ORDER BY m.municipality NULLS LAST;

\echo
\echo 'Contracts (trend: status at the end of the last 4 quarters, the current one to date)'
WITH trend AS (
    SELECT contract_id, string_agg(substr(quarter::text, 3) || ' ' || status, ' | ' ORDER BY quarter) AS trend
      FROM (SELECT p.contract_id, p.quarter, p.status,
                   row_number() OVER (PARTITION BY p.contract_id ORDER BY p.quarter DESC) AS back
              FROM sroi.quarterly_progress(:'as_of') AS p) AS p
     WHERE back <= 4
     GROUP BY contract_id
)
SELECT c.contract_id AS contract,
       CASE WHEN length(c.supplier) > 28 THEN left(c.supplier, 27) || '~' ELSE c.supplier END AS supplier,
       pg_temp.eur(c.obligation) AS obligation,
       pg_temp.eur(c.realised) AS realised,
       c.pct_realised AS "%",
       c.status,
       CASE WHEN c.obligation = 0 THEN '(no obligation)' ELSE coalesce(t.trend, '(not started)') END AS trend
  FROM sroi.compliance(:'as_of') AS c
  LEFT JOIN trend AS t ON t.contract_id = c.contract_id
 ORDER BY c.municipality, c.contract_id;

\echo
\echo 'Status of the contracts'
SELECT status, count(*) AS contracts
  FROM sroi.compliance(:'as_of')
 GROUP BY status
 ORDER BY array_position(ARRAY['fulfilled', 'on_track', 'at_risk', 'behind', 'not_applicable'], status);

\echo
\echo 'Overdue items for the contract managers'
CREATE TEMP TABLE overdue AS
SELECT o.*, array_position(ARRAY['intensify', 'action_plan_missing', 'action_overdue', 'plan_missing', 'pso_expired',
                                 'kickoff_missing', 'kickoff_late', 'report_overdue', 'report_late'], o.kind) AS priority
  FROM sroi.overdue_items(:'as_of') AS o;
SELECT kind, count(*) AS items, count(DISTINCT contract_id) AS contracts
  FROM overdue
 GROUP BY kind, priority
 ORDER BY priority;

\echo
\echo 'Top items per kind (oldest first, at most 3 each)'
SELECT kind, contract_id AS contract, due_on AS due, detail
  FROM (SELECT o.*, row_number() OVER (PARTITION BY o.kind ORDER BY o.due_on, o.contract_id) AS n
          FROM overdue AS o) AS o
 WHERE n <= 3
 ORDER BY priority, due_on, contract_id;

-- Steering and closing (domain.md 6; guideline 5.3, 6.2-6.7).  Plan accords and
-- settlements are stamped with the day the demo was loaded (sroi.today()), so they are
-- shown as recorded, not as of the report date.
\echo
\echo 'Placements counted per municipality (6.4: persons beside euros; fte averaged over the quarter)'
SELECT municipality, quarter, persons, new_persons, fte, hours
  FROM sroi.municipality_quarter(:'as_of')
 WHERE quarter::text >= (sroi.quarter(:'as_of'::date) OPERATOR(sroi.-) 3)::text
 ORDER BY municipality, quarter;

\echo
\echo 'Plan van Aanpak: versions of amended plans (6.1; the figures follow the latest accorded; as recorded)'
SELECT contract_id AS contract, version, status, proposed_on, decided_by, decided_on, pg_temp.eur(planned_total) AS planned,
       reason
  FROM sroi.plan_versions
 WHERE contract_id IN (SELECT contract_id FROM sroi.plan_versions GROUP BY 1 HAVING count(*) > 1)
 ORDER BY contract_id, version;

\echo
\echo 'Action plans (6.2: intensify -> SMART action items)'
SELECT contract_id AS contract, what, owner, due_on AS due, target_value || ' ' || target_unit AS target,
       CASE WHEN status = 'open' AND due_on < :'as_of' THEN 'open, overdue' ELSE status END AS status, closed_on
  FROM sroi.action_item
 ORDER BY contract_id, due_on, id;

\echo
\echo 'Monthly reporting (6.3: intensified monitoring)'
SELECT contract_id AS contract, period_start AS month, due_on AS due, submitted_on AS submitted, report_status AS status
  FROM sroi.report_periods(:'as_of')
 WHERE frequency = 'monthly'
 ORDER BY contract_id, period_start;

\echo
\echo 'Settlements (6.5: final figures at the end date, penalty due or waived; as recorded)'
SELECT contract_id AS contract, municipality, ends_on AS ended, settled_on, pg_temp.eur(obligation) AS obligation,
       pg_temp.eur(realised) AS realised, pg_temp.eur(gap) AS gap, pg_temp.eur(penalty_due) AS penalty_due,
       CASE WHEN penalty_waived THEN 'waived' ELSE '' END AS waived
  FROM sroi.settlements
 ORDER BY settled_on, contract_id;

\echo
\echo 'Successes (6.6: fulfilled before the end, or ended at 110 % or more)'
SELECT contract_id AS contract, municipality, pg_temp.eur(obligation) AS obligation, pg_temp.eur(realised) AS realised,
       pct_realised AS pct, fulfilled_in, ends_on AS ends, reason
  FROM sroi.successes(:'as_of')
 ORDER BY contract_id;
SQL
