-- Maintain.java bench-api: which of the objects lesson 06 (re)creates are already in this database. The benchmark
-- prepares the lesson's tables only where none of them is (ManagedTables.createAndConfigure drops and recreates
-- these), so that it never replaces anyone's data. One row: a comma-separated list, empty when there is none.
SELECT concat_ws(', ',
           CASE WHEN to_regnamespace('audit') IS NOT NULL THEN 'schema audit' END,
           CASE WHEN to_regnamespace('analytics') IS NOT NULL THEN 'schema analytics' END,
           CASE WHEN to_regnamespace('archive') IS NOT NULL THEN 'schema archive' END,
           CASE WHEN to_regclass('app.events') IS NOT NULL THEN 'table app.events' END,
           CASE WHEN to_regnamespace('maintenance') IS NOT NULL THEN 'schema maintenance (the partition manager)' END
       ) AS found;
