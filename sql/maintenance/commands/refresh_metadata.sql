-- Maintain.java run, last step: partition_metadata as the catalogs say now.
-- Parameters (custom settings, empty or unset for the default): lab.table.
SELECT * FROM maintenance.refresh_metadata(nullif(current_setting('lab.table', true), ''));
