-- Advisor, read 5: can this database tell its workload? pg_stat_statements must be installed here (CREATE EXTENSION)
-- and loaded by the server (shared_preload_libraries; the lab's embedded servers preload it): the view errors
-- otherwise. One row: installed, loaded, and a note saying what is missing. sql/advisor/workload.sql reads the
-- statements only when both are true.
SELECT e.extname IS NOT NULL AS installed,
       'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded,
       e.extnamespace::regnamespace::text AS extension_schema,
       CASE
           WHEN e.extname IS NULL AND 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
               THEN 'pg_stat_statements is loaded but not installed in database ' || current_database()
                    || ': CREATE EXTENSION pg_stat_statements; then let the application run'
           WHEN e.extname IS NULL
               THEN 'pg_stat_statements is not installed: add it to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements in '
                    || current_database()
           WHEN NOT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
               THEN 'pg_stat_statements is installed but the server does not load it: add it to shared_preload_libraries and restart'
           ELSE 'the workload comes from pg_stat_statements (what it counted since its last reset)'
       END AS note
FROM (SELECT 1) one
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements';
