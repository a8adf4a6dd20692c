-- Retention applied for each enabled managed table (or the one named), each step committed on its own: the table's
-- plan read once (retention_plan) and its keep lines said; one exclusive window that detaches every partition past the
-- cutoff (retire_partitions: ACCESS EXCLUSIVE on the parent, the DEFAULT and those partitions; readers and writers
-- wait for it; catalog changes only, whatever the partitions hold); then, for retention_mode drop, the detached tables
-- dropped (drop_retired), which blocks nobody. A procedure (CALL it outside a transaction block):
--   CALL maintenance.apply_retention('audit.audit_logs', current_date);
-- Every line is said under run_id (a new one when NULL). A window that fails (a lock not got within its budget,
-- naming the session in the way) is an 'error' line and changed nothing; the other tables go on. A retention override
-- of 0 or less is refused first (SQLSTATE 22023). retired and failed come back with what happened; with
-- fail_on_error, a failure ends the CALL with an error naming the tables. planned: the one table's retention_plan
-- lines, when the caller has just read them (run_maintenance_proc, from daily_plan).
CREATE OR REPLACE PROCEDURE maintenance.apply_retention(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                        retention_months integer DEFAULT NULL, run_id bigint DEFAULT NULL,
                                                        fail_on_error boolean DEFAULT true, INOUT retired integer DEFAULT 0,
                                                        INOUT failed boolean DEFAULT false, planned maintenance.action_line[] DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    configs maintenance.partition_config[] := ARRAY(SELECT c FROM maintenance.configured_tables(table_name) c);
    run     bigint := maintenance.run_id(run_id);
    cfg     maintenance.partition_config;
    plan    maintenance.action_line[];
    failure text;
    stuck   text[] := '{}';
    done    maintenance.action_line[];
    line    maintenance.action_line;
BEGIN
    PERFORM maintenance.checked_retention(retention_months); -- 0 or less: refused before anything happens
    FOREACH cfg IN ARRAY configs LOOP
        plan := coalesce(planned, ARRAY(SELECT p FROM maintenance.retention_plan(cfg, today, retention_months, false) AS p));
        FOREACH line IN ARRAY plan LOOP
            IF line.action = 'keep' THEN
                PERFORM maintenance.say(run, line);
            END IF;
        END LOOP;
        COMMIT;
        done := '{}';
        failure := NULL;
        BEGIN
            FOR line IN SELECT * FROM maintenance.retire_partitions(cfg, ARRAY(SELECT p FROM unnest(plan) AS p WHERE p.action LIKE 'would %'), today) LOOP
                PERFORM maintenance.say(run, line);
                done := done || line;
            END LOOP;
        EXCEPTION WHEN OTHERS THEN
            failure := SQLERRM;
        END;
        COMMIT;
        IF failure IS NULL THEN
            BEGIN
                PERFORM maintenance.drop_retired(cfg, done);
            EXCEPTION WHEN OTHERS THEN
                failure := format('%s (detached, not dropped: DROP TABLE them when it is free)', SQLERRM);
            END;
        END IF;
        IF failure IS NOT NULL THEN
            PERFORM maintenance.say(run, maintenance.line(cfg.parent_table, 'error', NULL, NULL, 0, 'retention: ' || failure));
            stuck := stuck || cfg.parent_table;
        END IF;
        retired := retired + cardinality(done);
        COMMIT;
    END LOOP;
    failed := cardinality(stuck) > 0;
    IF failed AND fail_on_error THEN
        RAISE EXCEPTION 'retention failed for % (run % in maintenance.run_log says why)', array_to_string(stuck, ', '), run;
    END IF;
END
$$;
