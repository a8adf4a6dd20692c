-- Lesson 11, step 6: this month's readings, named by a constant: the planner compares the literal with the
-- bounds and keeps one partition in the plan (pruned at plan time).
--   psql -v month_start=2026-12-01 -f q_recent_constant.sql   (the first day of the current month, UTC)
SELECT count(*) FROM app.recent_readings WHERE taken_at >= :'month_start'::timestamptz;
