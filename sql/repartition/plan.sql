-- The plan of a scenario, changing nothing (the runbook's --dry-run): its precondition checked, then what each
-- step would do and to how many rows. No row: nothing left to do. Parameters: lab.scenario (add, split, detach,
-- migrate or cleanup), lab.month (YYYY-MM; add, split and detach only, defaults 2024-04, 2024-02, 2024-01).
-- Needs sql/repartition/00_functions.sql and 01_scenarios.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.plan_scenario(current_setting('lab.scenario'), nullif(current_setting('lab.month', true), ''))
ORDER BY step;
