-- Scenario split, step 1 of 2: the four weeks of a month partition (app.event_logs_2024_02 by default) built
-- standalone, each with a copy of its rows and a CHECK matching its bound. Weeks: days 1-7, 8-14, 15-21, and
-- the 22nd to the end of the month (the partial week: 8 days in February 2024). Writers go on meanwhile.
-- Parameter: lab.month (YYYY-MM, default 2024-02). Needs sql/repartition/00_functions.sql and 01_scenarios.sql.
-- Then: split_2_swap.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-02'), false);
SELECT * FROM lab.plan_split(current_setting('lab.month'));
SELECT w.partition_name, w.lower_bound, w.upper_bound,
       lab.stage_partition('app.event_logs', w.partition_name, w.lower_bound, w.upper_bound) AS rows_staged
FROM lab.month_weeks(current_setting('lab.month')) AS w
WHERE EXISTS (SELECT FROM lab.plan_split(current_setting('lab.month')))
ORDER BY w.week;
