-- The lock records: a run starts (maintenance.run_started), on the session that holds the maintenance lock, in
-- autocommit; returns the row's id.
-- Parameters (custom settings, empty or unset for the default): lab.what (required), lab.trigger (required), lab.table.
SELECT maintenance.run_started(current_setting('lab.what'), current_setting('lab.trigger'),
                               nullif(current_setting('lab.table', true), '')) AS id;
