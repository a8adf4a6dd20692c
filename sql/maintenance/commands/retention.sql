-- Maintain.java retention: partitions past retention; a dry run unless lab.apply is true.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today, lab.apply (default false), lab.retention_months (overrides the config).
SELECT * FROM maintenance.drop_old_partitions(nullif(current_setting('lab.table', true), ''),
                                               coalesce(nullif(current_setting('lab.today', true), '')::date, current_date),
                                               NOT coalesce(nullif(current_setting('lab.apply', true), '')::boolean, false),
                                               nullif(current_setting('lab.retention_months', true), '')::int);
