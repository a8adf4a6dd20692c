-- Lesson 11, step 8 (end): drop one of the day-partitioned tables the planning was measured on, with all its
-- partitions: thousands of them would weigh on every catalog scan of the database.
--   psql: SET lab.planning_table = 'planning_3650';  \i 15_drop_planning_table.sql
DO $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS app.%I', current_setting('lab.planning_table'));
END
$$;
