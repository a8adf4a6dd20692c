-- What the scenarios need that is there already, changing nothing (a dry run says what a real run would prepare):
-- the two tables (missing, plain or partitioned), schema online (sql/online/install.sql) and the scenarios' plan
-- function (sql/repartition/01_scenarios.sql).
SELECT t.name AS relation,
       CASE c.relkind WHEN 'p' THEN 'partitioned' WHEN 'r' THEN 'plain' ELSE 'missing' END AS state
FROM (VALUES ('app.event_logs'), ('app.users_distributed')) AS t(name)
LEFT JOIN pg_class c ON c.oid = to_regclass(t.name)
UNION ALL
SELECT 'schema online', CASE WHEN to_regnamespace('online') IS NULL THEN 'missing' ELSE 'installed' END
UNION ALL
SELECT 'lab.plan_scenario', CASE WHEN EXISTS (SELECT FROM pg_proc WHERE proname = 'plan_scenario'
                                              AND pronamespace = coalesce(to_regnamespace('lab'), 0)) THEN 'installed' ELSE 'missing' END;
