-- Lesson 02: a range of ids cannot prune. Hash partitions hold no range of values: ids 100 to 110 are spread
-- over every partition, so all four are scanned.
SET max_parallel_workers_per_gather = 0;

SELECT * FROM app.users_distributed WHERE id BETWEEN 100 AND 110;
