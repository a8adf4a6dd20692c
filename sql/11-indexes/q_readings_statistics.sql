-- Lesson 11, step 10a: statistics of app.readings as a whole (pg_stats rows with inherited = true: one per
-- column) and how many manual ANALYZEs its partitions have had in all (pg_stat_user_tables.analyze_count).
SELECT (SELECT count(*) FROM pg_stats
        WHERE schemaname = 'app' AND tablename = 'readings' AND inherited) AS parent_statistics,
       (SELECT coalesce(sum(analyze_count), 0) FROM pg_stat_user_tables
        WHERE relid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'app.readings'::regclass)) AS partition_analyzes;
