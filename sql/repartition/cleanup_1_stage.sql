-- Scenario cleanup, step 1 of 4: back to the original layout of app.event_logs (2024_01..2024_03 and a DEFAULT), every
-- row in it, with one online swap: every partition that is not an original month (weeks, April, ...) and every
-- original month that must take rows back, replaced by the original months; the DEFAULT too when rows must leave it
-- or enter it; rows also from app.event_logs_archive and from tables a detach left half way, where app.event_logs
-- lacks them. This step begins the swap and copies the rows in batches, while readers and writers go on, catching up
-- in rounds with many changes made meanwhile (the plan lists the locks). Nothing to swap: the step does nothing.
-- Parameters: online.lock_timeout_ms and online.lock_budget_ms (the discipline). Needs sql/online/install.sql,
-- sql/repartition/00_functions.sql and 01_scenarios.sql. Run it outside a transaction block. Then: cleanup_2_swap.sql.
SET TimeZone = 'UTC';
SELECT step, name, action, locks, relation, row_count FROM lab.plan_cleanup();
CALL lab.stage_swap('cleanup', NULL);
SELECT swap_id, state, rows_staged FROM lab.swap_record('cleanup', NULL);
