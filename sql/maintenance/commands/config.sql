-- Maintain.java config: the configuration of the managed tables (or lab.table).
-- Parameters (custom settings, empty or unset for the default): lab.table.
SELECT c.* FROM maintenance.configured_tables(nullif(current_setting('lab.table', true), ''), true) c;
