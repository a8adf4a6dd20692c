-- Scenario cleanup, step 1 of 2: the original months of app.event_logs (2024_01, 2024_02, 2024_03) that are not
-- partitions now (split into weeks, or detached into the archive) built standalone again, each with a copy of its
-- rows from wherever they are (weekly partitions, the DEFAULT, app.event_logs_archive). Writers go on meanwhile.
-- Needs sql/repartition/00_functions.sql and 01_scenarios.sql. Then: cleanup_2_restore.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.plan_cleanup();
SELECT m.partition_name,
       lab.stage_partition('app.event_logs', m.partition_name, m.lower_bound, m.upper_bound, to_regclass('app.event_logs_archive')) AS rows_staged
FROM lab.original_months() AS m
WHERE lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NULL;
