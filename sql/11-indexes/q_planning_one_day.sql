-- Lesson 11, step 8: one day of a day-partitioned table: pruned at plan time to one partition, whatever
-- their number. EXPLAIN (SUMMARY) reports the planning time (and, from PostgreSQL 17, MEMORY its memory).
--   psql -v table=planning_365 -f q_planning_one_day.sql   (prefix EXPLAIN (SUMMARY) to see the planning time)
SELECT count(*) FROM app.:"table" WHERE day = DATE '2000-01-05';
