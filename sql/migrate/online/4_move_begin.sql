-- Online migration, step 4: the move begins, an online swap (sql/online) of <table>_old, the DEFAULT, for one
-- partition per month of the data's range and a new DEFAULT, <table>_default: a trigger on <table>_old captures every
-- change from now on, the new partitions are created empty, each with a CHECK matching its bound.
-- Locks, under the lock discipline: ACCESS SHARE on the table while the empty partitions are created (nobody waits),
-- then SHARE ROW EXCLUSIVE on <table>_old for a moment (CREATE TRIGGER): writers wait that moment, readers go on.
-- Begun before: returns the same swap.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/4_move_begin.sql
SELECT lab.online_migration_begin_move(current_setting('lab.table_name')) AS swap_id;
