-- Scenario add, step 1 of 2: the month's partition (app.event_logs_2024_04 by default) built standalone, LIKE
-- app.event_logs with its indexes and a CHECK matching its bound, holding a copy of the month's rows (they sit in
-- the DEFAULT). Writers go on meanwhile. Parameter: lab.month (YYYY-MM, default 2024-04).
-- Needs sql/repartition/00_functions.sql and 01_scenarios.sql. Then: add_2_attach.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-04'), false);
SELECT * FROM lab.plan_add(current_setting('lab.month'));
SELECT m.partition_name, lab.stage_partition('app.event_logs', m.partition_name, m.lower_bound, m.upper_bound) AS rows_staged
FROM lab.event_month(current_setting('lab.month')) AS m
WHERE EXISTS (SELECT FROM lab.plan_add(current_setting('lab.month')));
