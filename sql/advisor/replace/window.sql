-- The window of an advisor migration (lab.table_window): ACCESS EXCLUSIVE on the plain table and on <table>_next,
-- under the lock discipline; the copy caught up with the last changes (window_rows: the changes, never the table); the
-- plain table and its indexes step aside as <table>_old, the partitioned table and its indexes take the names, the
-- sequence moves. Returns what it did; done before, no row.
CREATE OR REPLACE FUNCTION lab.replace_window(table_name text)
RETURNS TABLE (partitioned text, kept_as text, window_rows bigint, lock_attempts integer, window_ms double precision, rows_read bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM lab.replace_state(table_name);
    IF s.next_step IN ('verify', 'finish', 'done') THEN
        RETURN;
    ELSIF s.next_step <> 'copy' THEN
        RAISE EXCEPTION 'no copy of % under way: the migration begins first', s.table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY SELECT * FROM lab.table_window(s.swap_id, to_regclass(s.staged), s.kept_table, '_next', '_old',
        format('Partition Lab: partitioned by the advisor''s plan (%s), being verified', pg_get_partkeydef(to_regclass(s.staged))),
        format('Partition Lab: %s before the advisor''s migration; kept for comparison', s.table_name));
END
$$;
