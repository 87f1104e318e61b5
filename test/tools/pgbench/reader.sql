-- A BI session: the compliance and quarterly progress figures as of a random day of 2026,
-- and today's views.
\set day random(0, 364)
SELECT count(*), sum(realised), sum(pending), sum(gap) FROM sroi.compliance(date '2026-01-01' + :day::integer);
SELECT count(*), sum(realised), sum(planned), count(*) FILTER (WHERE intensify)
  FROM sroi.quarterly_progress(date '2026-01-01' + :day::integer);
SELECT count(*), sum(realised) FROM sroi.contract_compliance;
SELECT count(*), sum(realised) FROM sroi.municipality_quarter;
