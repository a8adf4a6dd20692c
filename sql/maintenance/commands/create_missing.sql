-- Maintain.java create-missing: every missing month, for each enabled table (or lab.table).
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT * FROM maintenance.create_missing_partitions(nullif(current_setting('lab.table', true), ''),
                                                     coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
