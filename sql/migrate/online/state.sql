-- Where the online migration of lab.table_name stands (lab.online_migration_state): the next step, the unique index and
-- whether it is valid or being built, the prepared table, the kept original, the swap that moves the rows.
-- Changes nothing.
SELECT * FROM lab.online_migration_state(current_setting('lab.table_name'), current_setting('lab.time_column', true));
