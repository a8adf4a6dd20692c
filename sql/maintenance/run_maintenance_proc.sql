-- The daily job for psql and pg_cron (and Maintain.java, which CALLs it too), one step per transaction so that no
-- lock outlives its step, as pg_partman's run_maintenance_proc does (CALL it outside a transaction block):
--   CALL maintenance.run_maintenance_proc(NULL, current_date, false);   -- every enabled table, retention applied
-- For each enabled managed table (or the one named), as daily_plan plans it from the catalogs: rows waiting in the
-- DEFAULT rescued and the missing months created (make_months); retention, a dry run unless dry_run is false
-- (apply_retention: one catalog-only window, DETACH); ANALYZE of only what changed (analyze_after); the metadata of the partitions that
-- changed. A table with nothing to do costs its plan and nothing else, and says nothing.
-- Every line is said (a NOTICE, and maintenance.run_log under run_id, a new one when NULL). A step that fails (a lock
-- not got within its budget: the line names the session in the way) is an 'error' line and changed nothing; the rest
-- of that table waits for the next run, the other tables go on, and the CALL ends with an error naming the tables, so
-- that pg_cron records the run as failed (fail_on_error false: it ends quietly, for a caller that reads the error
-- lines in run_log itself, as Maintain.java does).
-- Holds the maintenance advisory lock of its session from start to end, so that it never interleaves with another
-- run (it waits for one in progress); take_lock false when the caller holds it already (Maintain.java does, on a
-- session of its own). An error that ends the CALL leaves the lock with the session until it disconnects (pg_cron's
-- does at once; in psql, SELECT pg_advisory_unlock_all()).
-- Taking the lock, it also writes the lock records (maintenance.run_history: run_started, committed at once, and
-- run_finished before it lets go), trigger 'pg_cron' in pg_cron's session and 'psql' elsewhere; an error that ends the
-- CALL leaves the row unfinished, and maintenance.runs calls it interrupted once the session is gone.
CREATE OR REPLACE PROCEDURE maintenance.run_maintenance_proc(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                             dry_run boolean DEFAULT true, run_id bigint DEFAULT NULL,
                                                             take_lock boolean DEFAULT true, fail_on_error boolean DEFAULT true)
LANGUAGE plpgsql AS $$
DECLARE
    tables   text[] := ARRAY(SELECT c.parent_table FROM maintenance.configured_tables(table_name) c);
    run      bigint := maintenance.run_id(run_id);
    t        text;
    rescue   date[];
    empty    date[];
    retire   maintenance.action_line[];
    touched  text[];
    failed   boolean;
    changed  boolean;
    retired  integer;
    stuck    text[] := '{}';
    started  timestamptz;
    planned  record;
    line     maintenance.action_line;
    analysis record;
    history  bigint;
BEGIN
    PERFORM maintenance.checked_day(today); -- refused before the lock and its record
    IF take_lock THEN
        PERFORM pg_advisory_lock(maintenance.lock_key());
        history := maintenance.run_started('run', CASE WHEN current_setting('application_name') = 'pg_cron' THEN 'pg_cron' ELSE 'psql' END,
                                           table_name);
        COMMIT; -- the record is seen at once, and stays if the session dies
    END IF;
    FOREACH t IN ARRAY tables LOOP
        rescue := '{}'; empty := '{}'; retire := '{}'; touched := '{}'; failed := false; changed := false; retired := 0;
        FOR planned IN SELECT * FROM maintenance.daily_plan(t, today) LOOP
            CASE planned.step
                WHEN 'rescue' THEN rescue := rescue || planned.month;
                WHEN 'create' THEN empty := empty || planned.month;
                WHEN 'retention' THEN retire := retire || maintenance.line(planned.parent_table, planned.action, planned.partition_name,
                                                                           planned.rows, planned.duration_ms, planned.detail);
                ELSE PERFORM maintenance.say(run, maintenance.line(planned.parent_table, planned.action, planned.partition_name,
                                                                   planned.rows, planned.duration_ms, planned.detail));
            END CASE;
        END LOOP;
        COMMIT;
        CONTINUE WHEN cardinality(rescue) = 0 AND cardinality(empty) = 0 AND cardinality(retire) = 0;

        CALL maintenance.make_months(t, rescue, empty, run, touched, failed);
        changed := cardinality(touched) > 0;
        IF NOT failed AND cardinality(retire) > 0 AND dry_run THEN
            FOR line IN SELECT * FROM maintenance.drop_old_partitions(t, today, true) LOOP
                PERFORM maintenance.say(run, line);
            END LOOP;
            COMMIT;
        ELSIF NOT failed AND cardinality(retire) > 0 THEN
            CALL maintenance.apply_retention(t, today, NULL, run, false, retired, failed, planned => retire);
            changed := changed OR retired > 0;
        END IF;
        IF changed THEN
            FOR analysis IN SELECT * FROM maintenance.analyze_after(t, touched, true) LOOP
                started := clock_timestamp();
                IF analysis.statement IS NOT NULL THEN
                    EXECUTE analysis.statement;
                END IF;
                PERFORM maintenance.say(run, maintenance.line(t, CASE WHEN analysis.statement IS NULL THEN 'skip' ELSE 'analyze' END,
                                                              analysis.relation, NULL, extract(epoch FROM clock_timestamp() - started) * 1000,
                                                              CASE WHEN analysis.statement IS NULL THEN 'analyze: ' ELSE '' END || analysis.reason));
            END LOOP;
            FOR line IN SELECT * FROM maintenance.refresh_metadata(t, touched) LOOP
                PERFORM maintenance.say(run, line);
            END LOOP;
            COMMIT;
        END IF;
        IF failed THEN
            stuck := stuck || t;
        END IF;
    END LOOP;
    IF take_lock THEN
        PERFORM maintenance.run_finished(history, cardinality(stuck) = 0,
            CASE WHEN cardinality(stuck) > 0 THEN format('failed for %s (run %s in maintenance.run_log says why)', array_to_string(stuck, ', '), run)
                 ELSE (SELECT format('%s lines', coalesce(sum(a.n), 0)) || coalesce(': ' || string_agg(a.n || ' ' || a.action, ', ' ORDER BY a.first), '')
                       FROM (SELECT l.action, count(*) AS n, min(l.seq) AS first FROM maintenance.run_log l WHERE l.run_id = run GROUP BY l.action) a) END);
        PERFORM pg_advisory_unlock(maintenance.lock_key());
        COMMIT; -- the record finished before an error below ends the CALL
    END IF;
    IF cardinality(stuck) > 0 AND fail_on_error THEN
        RAISE EXCEPTION 'partition maintenance failed for % (run % in maintenance.run_log says why)', array_to_string(stuck, ', '), run;
    END IF;
END
$$;
