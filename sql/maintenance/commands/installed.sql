-- Whether the partition manager is installed in this database.
-- Parameters (custom settings, empty or unset for the default): none.
SELECT to_regproc('maintenance.run_maintenance') IS NOT NULL AS installed;
