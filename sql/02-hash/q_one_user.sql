-- Lesson 02: one user by id. The planner hashes the constant 7 and keeps only the partition whose remainder
-- matches (1 of 4).
SET max_parallel_workers_per_gather = 0;

SELECT * FROM app.users_distributed WHERE id = 7;
