-- The advisor's lab-made cases live in a database of their own, advisor (lab.AdvisorCases creates it on the embedded
-- partitioned node's server), so that schema audit there holds seed 003's audit tables as PLAIN tables, before any
-- partitioning. Run first, after sql/base/00_lab_functions.sql. pg_stat_statements records the workload
-- (09_workload.sql) the advisor reads; the server must preload it (the lab's embedded servers do).
--   createdb advisor; psql -d advisor -f sql/online/install.sql -f sql/base/00_lab_functions.sql -f sql/12-advisor/00_database.sql ...
CREATE SCHEMA IF NOT EXISTS app;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public;
