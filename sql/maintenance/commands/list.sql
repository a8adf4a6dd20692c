-- Maintain.java list: every partition of the managed tables (or lab.table).
-- Parameters (custom settings, empty or unset for the default): lab.table.
SELECT * FROM maintenance.list_partitions(nullif(current_setting('lab.table', true), ''));
