-- Scenario add, shown first: the naive CREATE TABLE ... PARTITION OF for the month, tried and rolled back. While
-- the DEFAULT partition holds rows of the month, PostgreSQL refuses (SQLSTATE 23514) after locking the parent
-- exclusively and scanning the DEFAULT. Parameter: lab.month (YYYY-MM, default 2024-04).
-- Needs sql/repartition/00_functions.sql and 01_scenarios.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.try_create_partition(lab.setting_or('lab.month', '2024-04'));
