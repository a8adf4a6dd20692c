-- The plan of a scenario, changing nothing (the runbook's --dry-run): its precondition checked, then each step, what it
-- does, the locks it takes (and who waits for them), and the rows it moves. No row: nothing left to do.
-- Parameters: lab.scenario (add, split, detach, migrate or cleanup), lab.month (YYYY-MM; add, split and detach only,
-- defaults 2024-04, 2024-02, 2024-01); online.lock_timeout_ms and online.lock_budget_ms (the discipline stated).
-- Needs sql/online/install.sql, sql/repartition/00_functions.sql and 01_scenarios.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.plan_scenario(current_setting('lab.scenario'), nullif(current_setting('lab.month', true), ''))
ORDER BY step;
