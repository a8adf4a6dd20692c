-- Lesson 11, step 8: the whole day-partitioned table: every partition is in the plan.
--   psql -v table=planning_365 -f q_planning_whole_table.sql   (prefix EXPLAIN (SUMMARY) to see the planning time)
SELECT count(*) FROM app.:"table";
