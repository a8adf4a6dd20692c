-- Lesson 11, step 6: the same readings, named with now(). now() is stable, not constant: the planner keeps
-- every partition, and the executor prunes when it starts, once now() has a value (EXPLAIN: Subplans Removed).
SELECT count(*) FROM app.recent_readings WHERE taken_at >= date_trunc('month', now());
