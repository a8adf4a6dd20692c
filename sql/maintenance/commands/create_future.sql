-- Maintain.java run, step 1: the current month and the months ahead, for each enabled table (or lab.table).
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT * FROM maintenance.create_future_partitions(nullif(current_setting('lab.table', true), ''),
                                                    coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
