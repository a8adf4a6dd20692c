-- Maintain.java analyze and vacuum: the relations to process, one statement each.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.stale_only (default false).
SELECT * FROM maintenance.maintenance_targets(nullif(current_setting('lab.table', true), ''),
                                               coalesce(nullif(current_setting('lab.stale_only', true), '')::boolean, false));
