-- Maintain.java create: the partitions from lab.from_month to lab.to_month (YYYY-MM) of lab.table.
-- Parameters (custom settings, empty or unset for the default): lab.table (required), lab.from_month, lab.to_month.
SELECT * FROM maintenance.create_partitions(current_setting('lab.table'), current_setting('lab.from_month'), current_setting('lab.to_month'));
