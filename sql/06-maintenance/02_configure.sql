-- Lesson 06, step 2: the configuration that drives the manager (needs sql/maintenance/install.sql). Keys, naming
-- patterns, retentions and what happens to an expired partition differ from table to table; the functions read
-- all of it from maintenance.partition_config and nothing else. Safe to run again: registering updates the row.
SELECT parent_table, control_column, retention_months, premake_months, name_pattern, default_pattern, retention_mode, archive_schema
FROM (VALUES
    -- the range lesson's table: kept two years, then archived (detached into schema archive, rows and all)
    (maintenance.register_table('app.events', 'occurred_at', 24, 3, '{table}_{YYYY}_{MM}', '{table}_default', 'archive', 'archive')),
    -- seed 003, the audit system: 12 months (6 for slow queries), three months ahead, expired months dropped
    (maintenance.register_table('audit.audit_logs', 'created_at', 12, 3, '{table}_p{YYYY}_{MM}', '{table}_p_default', 'drop')),
    (maintenance.register_table('audit.object_history', 'changed_at', 12, 3, '{table}_p{YYYY}_{MM}', '{table}_p_default', 'drop')),
    (maintenance.register_table('audit.slow_query_log', 'timestamp', 6, 3, '{table}_p{YYYY}_{MM}', '{table}_p_default', 'drop')),
    (maintenance.register_table('audit.chat_messages', 'created_at', 12, 3, '{table}_p{YYYY}_{MM}', '{table}_p_default', 'drop')),
    -- seed 004, the analytics pair: 12 months, six ahead; goal completions are detached, not dropped
    (maintenance.register_table('analytics.events', 'timestamp', 12, 6, '{table}_{YYYY}_{MM}', '{table}_default', 'drop')),
    (maintenance.register_table('analytics.goal_completions', 'timestamp', 12, 6, '{table}_{YYYY}_{MM}', '{table}_default', 'detach'))
) AS registered(cfg)
CROSS JOIN LATERAL (SELECT (cfg).*) AS c
ORDER BY parent_table;
