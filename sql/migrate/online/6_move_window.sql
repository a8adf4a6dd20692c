-- Online migration, step 6: the move's window. The changes captured since step 4 are caught up with (window_rows:
-- the changes, not the table), <table>_old is detached (kept) and the new partitions attached: their CHECKs prove
-- their bounds, so no ATTACH scans. Locks: ACCESS EXCLUSIVE on the table, <table>_old and the new partitions for the
-- window, under the lock discipline (given up: the swap is aborted, nothing changed, step 4 runs again): readers
-- and writers wait for the window, which grows with the changes made meanwhile, not with the table.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/6_move_window.sql
SELECT * FROM online.swap_window(lab.online_migration_swap(current_setting('lab.table_name')));
