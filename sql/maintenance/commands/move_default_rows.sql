-- Maintain.java run, step 2: rows in the DEFAULT partition move into their months' new partitions.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT * FROM maintenance.move_default_rows(nullif(current_setting('lab.table', true), ''),
                                             coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
