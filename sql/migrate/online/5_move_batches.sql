-- Online migration, step 5: the rows of <table>_old copied into the new partitions in batches of online.batch_rows
-- (default 50,000) in key order, each batch its own transaction that remembers where it stopped: killed half way,
-- it continues after the last batch that committed. Locks: ACCESS SHARE (reads) on <table>_old: readers and writers
-- go on. Run outside a transaction block (the procedure commits each batch).
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/5_move_batches.sql
CALL online.stage(lab.online_migration_swap(current_setting('lab.table_name')));
