-- How the procedures report a line: a NOTICE for psql, and a row of maintenance.run_log under the run's id, which
-- outlives the session (pg_cron's, or Maintain.java's, which reads its lines there). Returns the line.
CREATE OR REPLACE FUNCTION maintenance.say(run_id bigint, l maintenance.action_line) RETURNS maintenance.action_line
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE NOTICE '%', maintenance.line_text(l);
    INSERT INTO maintenance.run_log (run_id, parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts)
    VALUES (run_id, l.parent_table, l.action, l.partition_name, l.rows, l.duration_ms, l.detail, l.window_rows, l.window_ms, l.lock_attempts);
    RETURN l;
END
$$;
