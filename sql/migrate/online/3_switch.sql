-- Online migration, step 3: the switch. The plain table becomes <table>_old, the DEFAULT partition of the
-- partitioned table, which takes the name, the index names and the sequence; from the commit on, the application
-- reads and writes the partitioned table through the same name, every row in its DEFAULT for now.
-- Locks: ACCESS EXCLUSIVE on the table for the window, under the lock discipline (online.lock_timeout_ms per attempt,
-- retried within online.lock_budget_ms; given up: SQLSTATE 55P03 naming the session in the way, nothing changed).
-- Readers and writers wait for the window only: catalog work, no row read (rows_read says so), so milliseconds
-- that do not grow with the table. Switched before: returns no row.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/3_switch.sql
SELECT * FROM lab.online_migration_switch(current_setting('lab.table_name'), current_setting('lab.time_column', true));
