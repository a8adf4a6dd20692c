-- The report of a rescue (begin_rescue, then the online swap run to its end): one 'create' line per month's new
-- partition with the rows it holds, and the swap's window: the rows it wrote (the changes writers made while the rows
-- were copied, never the copy), how long it held its locks, and the attempts they took. A swap that was reverted
-- (the rows differed) gives one 'error' line: the DEFAULT is back as it was, with every row.
CREATE OR REPLACE FUNCTION maintenance.rescue_lines(swap bigint) RETURNS SETOF maintenance.action_line
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
    name text;
    n    bigint;
    each double precision := extract(epoch FROM coalesce(s.ended_at, now()) - s.started_at) * 1000
                             / greatest(cardinality(s.new_names) - 1, 1); -- the swap's time, shared by its months
BEGIN
    IF s.swap_id IS NULL THEN
        RAISE EXCEPTION 'no swap %', swap USING ERRCODE = 'invalid_parameter_value';
    ELSIF s.state = 'reverted' THEN
        RETURN NEXT maintenance.line(s.parent::text, 'error', s.old_leaves[1], s.rows_before, 0,
                                     format('rescue (online swap %s) reverted: the rows differed after the window (%s before, %s after); the DEFAULT is back with every row',
                                            swap, s.rows_before, s.rows_after),
                                     s.window_rows, s.window_ms, s.window_attempts);
        RETURN;
    END IF;
    FOR i IN 1 .. cardinality(s.new_names) LOOP
        CONTINUE WHEN s.new_lowers[i] IS NULL; -- the new DEFAULT
        name := s.new_names[i];
        EXECUTE format('SELECT count(*) FROM %s', to_regclass(name)) INTO n;
        RETURN NEXT maintenance.line(s.parent::text, 'create', name, n, each,
                                     format('rescued from the DEFAULT by online swap %s (the DEFAULT''s %s rows the same before and after: count and checksum)',
                                            swap, s.rows_before),
                                     s.window_rows, s.window_ms, s.window_attempts);
    END LOOP;
END
$$;
