-- sroi install script, part 9: what the views BI tools read have in common.
--
-- The views themselves stand beside their queries in 07_monitoring.sql and
-- 08_reports.sql, written once: src/tools/expand.awk writes each as its view (today,
-- sroi.today(), in built-in types: a quarter is text such as 2025-Q3, beside its first
-- and last day) and derives from the same text FN_for(as_of, caller), FN(as_of) and
-- report_FN(as_of, caller).
--
-- A view reads its tables with its owner's privileges: a BI reader (sroi_reader,
-- 00_roles.sql) reads the views and no table.  Every view is a security_barrier,
-- so a function a reader puts in its WHERE sees only the rows and values the view
-- shows (the suppressed cells as NULL).  Filters on contract_id, municipality and
-- quarter reach the table scans (leakproof equality).
--
-- The views show every contract to the roles granted them (aggregates only, small
-- cells suppressed for those who may not read the persons); FN(as_of) shows a caller
-- the rows its row-level security lets it read; report_FN(as_of) is the as-of path for
-- the roles that read the views (readers: today and ended quarters).

GRANT SELECT ON @extschema@.contract_compliance, @extschema@.quarterly_progress, @extschema@.municipality_quarter,
                @extschema@.category_mix, @extschema@.target_group_outcomes, @extschema@.overdue_items,
                @extschema@.chain_delivery
    TO sroi_reader, sroi_coordinator, sroi_contract_manager;
