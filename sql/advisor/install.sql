-- What the advisor's plans need beyond the online migration (sql/migrate/online/00_functions.sql) and the partition
-- manager (sql/maintenance/install.sql, which brings schema online): the rollback, online, of a table the online
-- migration partitioned (rollback/), the migration to layouts other than months by a copy with capture, then a rename
-- (replace/), and the verification of a plan, per partition. One function per file.
--
--   psql -v ON_ERROR_STOP=1 -f sql/advisor/install.sql
--
-- Safe to run again: functions are replaced.
\ir partition_key_columns.sql
\ir table_window.sql
\ir replacing_swap.sql
\ir table_finish.sql
\ir rollback/state.sql
\ir rollback/swap.sql
\ir rollback/begin.sql
\ir rollback/window.sql
\ir rollback/finish.sql
\ir replace/state.sql
\ir replace/keys.sql
\ir replace/swap.sql
\ir replace/begin.sql
\ir replace/window.sql
\ir replace/finish.sql
\ir plan_parity.sql
