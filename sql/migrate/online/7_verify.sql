-- Online migration, step 7: count and checksum of <table>_old (detached at the window, so it holds what it held
-- then) against the new partitions as they were at the window (the changes since undone from the capture), in one
-- snapshot, while the application goes on writing. A match marks the swap verified; on a mismatch,
-- CALL online.revert_swap(swap) puts <table>_old back, online. Locks: ACCESS SHARE (reads): nobody waits.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/7_verify.sql
SELECT * FROM online.verify_swap(lab.online_migration_swap(current_setting('lab.table_name')));
