-- Lesson 11, step 8: EXPLAIN's MEMORY option, the planner's memory (PostgreSQL 17 and later; older servers
-- refuse the option as a syntax error, SQLSTATE 42601).
EXPLAIN (SUMMARY, MEMORY) SELECT 1;
