-- The online migration of lab.table_name (by month on lab.time_column): where it stands and what each step would do,
-- with what it locks and for how long. Changes nothing. Refusals (no such table, not a time column, a table
-- partitioned already, ...) are errors with SQLSTATE 22023.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/plan.sql
SELECT * FROM lab.online_migration_plan(current_setting('lab.table_name'), current_setting('lab.time_column', true));
