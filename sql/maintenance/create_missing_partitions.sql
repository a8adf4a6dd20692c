-- Fills the gaps: every missing month of each enabled managed table (or the one named), from its oldest partition or
-- its oldest row waiting in the DEFAULT (not before the retention cutoff) to the months ahead its configuration asks
-- for; rows waiting in the DEFAULT are rescued into their months (make_months). A procedure, one step per
-- transaction (CALL it outside a transaction block):
--   CALL maintenance.create_missing_partitions(NULL, current_date);
-- Every line is said (a NOTICE, and maintenance.run_log under run_id, a new one when NULL); a table whose step fails
-- (a lock not got within its budget, naming the session in the way) gets an 'error' line and the others go on; the
-- CALL then ends with an error naming the tables (fail_on_error false: quietly, for a caller that reads the error
-- lines itself).
CREATE OR REPLACE PROCEDURE maintenance.create_missing_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                                  run_id bigint DEFAULT NULL, fail_on_error boolean DEFAULT true)
LANGUAGE plpgsql AS $$
DECLARE
    configs maintenance.partition_config[] := ARRAY(SELECT c FROM maintenance.configured_tables(table_name) c);
    run     bigint := maintenance.run_id(run_id);
    cfg     maintenance.partition_config;
    planned record;
    touched text[];
    failed  boolean;
    stuck   text[] := '{}';
BEGIN
    FOREACH cfg IN ARRAY configs LOOP
        touched := '{}'; failed := false;
        SELECT * INTO planned FROM maintenance.planned_months(cfg, today, NULL, true, run);
        COMMIT;
        CALL maintenance.make_months(cfg.parent_table, planned.rescue, planned.empty, run, touched, failed);
        IF failed THEN
            stuck := stuck || cfg.parent_table;
        END IF;
    END LOOP;
    IF cardinality(stuck) > 0 AND fail_on_error THEN
        RAISE EXCEPTION 'creating missing partitions failed for % (run % in maintenance.run_log says why)', array_to_string(stuck, ', '), run;
    END IF;
END
$$;
