-- Lesson 11, step 10a (PostgreSQL 18 and later): statistics for the partitioned table itself, without
-- analyzing its partitions again (autovacuum keeps theirs, but never analyzes a partitioned parent).
-- Older servers refuse ONLY here as a syntax error (42601); plain ANALYZE app.readings does both.
ANALYZE ONLY app.readings;
