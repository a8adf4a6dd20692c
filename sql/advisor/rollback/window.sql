-- Step 3 of a rollback: the window (lab.table_window), one short transaction: ACCESS EXCLUSIVE on the partitioned
-- table and on the plain copy, under the lock discipline; the copy caught up with the last changes (window_rows: the
-- changes, never the table); the partitioned table and its indexes step aside as <table>_partitioned, the copy and its
-- indexes take the names, the sequence belongs to the plain table. No partition is read or locked. Returns what it
-- did; done before, no row.
CREATE OR REPLACE FUNCTION lab.rollback_window(table_name text)
RETURNS TABLE (restored text, kept_as text, window_rows bigint, lock_attempts integer, window_ms double precision, rows_read bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM lab.rollback_state(table_name);
    IF s.next_step IN ('verify', 'finish', 'done') THEN
        RETURN; -- the window committed before
    ELSIF s.next_step <> 'copy' THEN
        RAISE EXCEPTION 'no copy of % under way: the rollback begins first', s.table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY SELECT * FROM lab.table_window(s.swap_id, to_regclass(s.restored), s.kept_partitioned, '_restored', '_partitioned',
        format('Partition Lab: a plain table again, put back online by the rollback of its partitioning (swap %s)', s.swap_id),
        format('Partition Lab: %s as it was partitioned, until the rollback''s window; kept for comparison', s.table_name));
END
$$;
