-- Maintain.java validate: every check for every managed table (or lab.table), as of lab.today.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT * FROM maintenance.validate_partitions(nullif(current_setting('lab.table', true), ''),
                                               coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
