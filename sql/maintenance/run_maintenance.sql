-- What the daily job would do today for each enabled managed table (or the one named), changing nothing: the
-- months it would create, the rows it would rescue from the DEFAULT, the partitions retention would take, and what it
-- keeps (daily_plan), one line each.
-- A function runs in one transaction: the locks of each step it took would be held through every later step. So
-- this function only plans, and the job itself is a procedure that commits after every step:
--   CALL maintenance.run_maintenance_proc(NULL, current_date, false);
-- dry_run => false is refused with that advice (SQLSTATE 22023), changing nothing.
CREATE OR REPLACE FUNCTION maintenance.run_maintenance(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                       dry_run boolean DEFAULT true)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT dry_run THEN
        RAISE EXCEPTION 'maintenance.run_maintenance only plans (a function is one transaction, which would hold every step''s locks to its end): '
                        'CALL maintenance.run_maintenance_proc(%, %, false) runs the job, one step per transaction',
                        coalesce(quote_literal(table_name), 'NULL'), quote_literal(today)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY SELECT p.parent_table, p.action, p.partition_name, p.rows, p.duration_ms, p.detail, p.window_rows, p.window_ms,
                        p.lock_attempts
                 FROM maintenance.daily_plan(table_name, today) p;
END
$$;
