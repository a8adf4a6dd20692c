-- The benchmark's partition-manager case (OnlineBench): app.event_logs under management, its months named
-- app.event_logs_YYYY_MM as the lessons name them, its DEFAULT app.event_logs_default; 12 months kept (dropped
-- after), none made ahead. Needs sql/maintenance/install.sql. Run again, it changes nothing.
SELECT parent_table, control_column, retention_months, premake_months
FROM maintenance.register_table('app.event_logs', 'created_at', 12, 0, '{table}_{YYYY}_{MM}', '{table}_default', 'drop');
