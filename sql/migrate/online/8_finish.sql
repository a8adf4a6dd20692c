-- Online migration, step 8: once verified, the swap finishes keeping <table>_old (its capture removed: DROP TRIGGER
-- takes ACCESS EXCLUSIVE on each new partition in turn, under the lock discipline, and all of them stay held until
-- that transaction commits: catalog work, milliseconds), <table>_old stops drawing
-- ids and is kept, verified identical, for comparison (drop it when no longer needed: DROP TABLE of it locks
-- nothing the application uses), and the table is marked migrated. Then fresh statistics: ANALYZE takes SHARE
-- UPDATE EXCLUSIVE, which readers and writers do not wait for. Done before: changes nothing.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/8_finish.sql
SELECT lab.online_migration_finish(current_setting('lab.table_name')) AS finished;
DO $$
BEGIN
    EXECUTE format('ANALYZE %s', to_regclass(current_setting('lab.table_name')));
END
$$;
