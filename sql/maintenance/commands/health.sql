-- Maintain.java health: one row per managed table (or lab.table), its status as of lab.today.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today (default: current_date).
SELECT * FROM maintenance.partition_health_summary(nullif(current_setting('lab.table', true), ''),
                                                    coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
