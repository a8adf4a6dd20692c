-- Creates the partitions of a managed table for every month from from_month to to_month ('YYYY-MM', both
-- included); rows of those months waiting in the DEFAULT are rescued into them (make_months: an online swap, then
-- one window for the empty months). A procedure, one step per transaction (CALL it outside a transaction block):
--   CALL maintenance.create_partitions('audit.audit_logs', '2025-01', '2025-12');
-- Malformed months and from after to are refused with SQLSTATE 22023 before anything happens. A month whose name is
-- taken or that overlaps another partition is skipped with the reason. Every line is said (a NOTICE, and
-- maintenance.run_log under run_id, a new one when NULL); a step that fails (a lock not got within its budget,
-- naming the session in the way) is an 'error' line, changed nothing, and ends the CALL with an error that says so
-- (fail_on_error false: quietly, for a caller that reads the error line itself).
CREATE OR REPLACE PROCEDURE maintenance.create_partitions(table_name text, from_month text, to_month text, run_id bigint DEFAULT NULL,
                                                          fail_on_error boolean DEFAULT true)
LANGUAGE plpgsql AS $$
DECLARE
    cfg     maintenance.partition_config := maintenance.config_for(table_name);
    months  date[] := maintenance.months_between(from_month, to_month);
    run     bigint := maintenance.run_id(run_id);
    planned record;
    touched text[] := '{}';
    failed  boolean := false;
BEGIN
    SELECT * INTO planned FROM maintenance.planned_months(cfg, current_date, months, false, run);
    COMMIT;
    CALL maintenance.make_months(cfg.parent_table, planned.rescue, planned.empty, run, touched, failed);
    IF failed AND fail_on_error THEN
        RAISE EXCEPTION 'creating the partitions of % failed (run % in maintenance.run_log says why)', cfg.parent_table, run;
    END IF;
END
$$;
