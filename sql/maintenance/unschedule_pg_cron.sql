-- Removes the pg_cron job partition-maintenance that schedule_pg_cron.sql created. The extension pg_cron, the
-- partition manager and every partition stay. Safe to run again, and where pg_cron is not installed in this
-- database: it then says there is nothing to remove.
--
--   psql -v ON_ERROR_STOP=1 -d app -f sql/maintenance/unschedule_pg_cron.sql
DO $$
DECLARE
    job     record;
    removed integer := 0;
BEGIN
    IF to_regclass('cron.job') IS NULL THEN
        RAISE NOTICE 'pg_cron is not installed in database %: no job partition-maintenance to remove', current_database();
        RETURN;
    END IF;
    FOR job IN SELECT j.jobid FROM cron.job j WHERE j.jobname = 'partition-maintenance' LOOP
        PERFORM cron.unschedule(job.jobid);
        removed := removed + 1;
    END LOOP;
    IF removed = 0 THEN
        RAISE NOTICE 'no pg_cron job partition-maintenance: nothing to remove';
    ELSE
        RAISE NOTICE 'pg_cron job partition-maintenance removed';
    END IF;
END
$$;
