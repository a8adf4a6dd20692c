-- The daily partition maintenance as a pg_cron job named partition-maintenance: every day at 02:00 (pg_cron reads
-- schedules in cron.timezone, GMT unless changed: 02:00 UTC), CALL maintenance.run_maintenance_proc for every enabled
-- managed table with retention applied (dry_run false): the procedure commits after every step, so that no lock
-- outlives its step, and takes each lock under lock_timeout within a budget (the tables' lock_timeout_ms and
-- lock_budget_ms). Its lines go to maintenance.run_log; a step that failed makes the job fail in
-- cron.job_run_details. The same time as jbang-scripts/schedule/partition-maintenance.cron and .timer, which run
-- Maintain.java (the same procedure) instead: use one of the three (two would only wait for each other's lock).
--
--   psql -v ON_ERROR_STOP=1 -d app -f sql/maintenance/schedule_pg_cron.sql      (as a superuser the first time)
--
-- Needs, each checked first (an error with its reason, nothing scheduled):
--   - pg_cron installed on the server and loaded at start: in postgresql.conf
--         shared_preload_libraries = 'pg_cron'          (keep any libraries already listed)
--         cron.database_name = 'app'                     (this database: pg_cron runs cron.schedule jobs only there)
--     then restart the server;
--   - the partition manager installed in this database (install.sql).
-- CREATE EXTENSION pg_cron below needs a superuser; afterwards a role with USAGE on schema cron that may run the
-- maintenance (it owns the managed tables) can run this file again.
-- Run again, it replaces the job (unschedules the one of that name, schedules it anew). Remove it:
-- unschedule_pg_cron.sql. The job has no ENABLE_PARTITION_MAINTENANCE switch (pg_cron cannot see the environment
-- of cron or systemd); pause it with SELECT cron.alter_job(jobid, active => false) FROM cron.job WHERE jobname =
-- 'partition-maintenance'. Each run's outcome: SELECT * FROM cron.job_run_details ORDER BY start_time DESC; what it
-- did: SELECT * FROM maintenance.run_log ORDER BY run_id DESC, seq.
--
-- "today" is the date in UTC, as Maintain.java computes it, whatever the TimeZone of pg_cron's session.
DO $$
DECLARE
    cron_database text := current_setting('cron.database_name', true); -- defined once pg_cron is preloaded
BEGIN
    IF NOT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not available on this server: nothing scheduled'
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'install pg_cron for this PostgreSQL (e.g. the package postgresql-17-cron), or schedule '
                         'Maintain.java with cron or systemd instead (jbang-scripts/schedule/)';
    END IF;
    IF cron_database IS NULL THEN
        RAISE EXCEPTION 'pg_cron is not loaded: it must be in shared_preload_libraries; nothing scheduled'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('in postgresql.conf: shared_preload_libraries = ''pg_cron'' and cron.database_name = %L, '
                                'then restart the server', current_database());
    END IF;
    IF cron_database IS DISTINCT FROM current_database() THEN
        RAISE EXCEPTION 'pg_cron runs its jobs in database % (cron.database_name), not in %, where the managed tables '
                        'are: nothing scheduled', cron_database, current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = format('set cron.database_name = %L in postgresql.conf and restart the server', current_database());
    END IF;
    IF to_regproc('maintenance.run_maintenance_proc') IS NULL THEN
        RAISE EXCEPTION 'the partition manager is not installed in database %: nothing scheduled', current_database()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'run sql/maintenance/install.sql (or jbang scripts/Maintain.java install) first';
    END IF;

    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN
        CREATE EXTENSION pg_cron;
    END IF;

    PERFORM cron.unschedule(j.jobid) FROM cron.job j WHERE j.jobname = 'partition-maintenance';
    PERFORM cron.schedule('partition-maintenance', '0 2 * * *',
                          $job$CALL maintenance.run_maintenance_proc(NULL, (now() AT TIME ZONE 'UTC')::date, false)$job$);
END
$$;

-- The job as pg_cron keeps it.
SELECT jobid, jobname, schedule, command, database, username, active
FROM cron.job
WHERE jobname = 'partition-maintenance';
