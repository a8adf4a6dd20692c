-- Forgets what pg_stat_statements counted in this database (only this one: the server's other databases keep
-- theirs), so that the advisor sees the cases' workload (09_workload.sql) and not the statements that built them.
SELECT pg_stat_statements_reset(0, d.oid, 0) FROM pg_database d WHERE d.datname = current_database();
