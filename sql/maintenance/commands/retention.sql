-- Maintain.java retention (without --apply): partitions past retention, as a dry run with exact row counts.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today, lab.retention_months (overrides the config).
SELECT * FROM maintenance.drop_old_partitions(nullif(current_setting('lab.table', true), ''),
                                               coalesce(nullif(current_setting('lab.today', true), '')::date, current_date),
                                               true, nullif(current_setting('lab.retention_months', true), '')::int);
