-- The catch-up: brings a copy up to date with the changes a swap's capture recorded between two points
-- (delta seq from_seq, exclusive, to to_seq, inclusive). For every primary key those changes touched, the copy
-- ends up with the key's last state: the row as it was last written, if it still exists and meets the copy's
-- condition, else no row. The work grows with the changes, never with the table. Returns the rows written.
-- A window catches up several copies with the same changes: the last states are computed once per transaction
-- and range, and kept (online_last_state, dropped at commit) for the next copy.
CREATE OR REPLACE FUNCTION online.apply_changes(swap bigint, target regclass, condition text, from_seq bigint, to_seq bigint)
RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s        online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
    keys_t   text := online.key_list(s.parent, 't');
    keys_r   text := online.key_list(s.parent, 'r');
    removed  bigint;
    added    bigint;
    changed  boolean;
BEGIN
    -- no change in range (a window nobody wrote during): nothing to do, and no temporary table to create and drop,
    -- which costs a window about 2 ms per target
    EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE seq > $1 AND seq <= $2)', s.delta) INTO changed USING from_seq, to_seq;
    IF NOT changed THEN
        RETURN 0;
    END IF;
    -- last_state: per key, its state after the last change in range; a key an UPDATE moved away counts as gone
    IF to_regclass('pg_temp.online_last_state') IS NULL
       OR current_setting('online.last_state_of', true) IS DISTINCT FROM format('%s:%s:%s', swap, from_seq, to_seq) THEN
        DROP TABLE IF EXISTS pg_temp.online_last_state;
        PERFORM set_config('online.last_state_of', format('%s:%s:%s', swap, from_seq, to_seq), true);
        EXECUTE format($q$
            CREATE TEMP TABLE online_last_state ON COMMIT DROP AS
            SELECT DISTINCT ON (%3$s) r AS row, e.present
            FROM (SELECT seq, 0 AS ord, false AS present, old_row AS image FROM %1$s WHERE old_row IS NOT NULL AND seq > $1 AND seq <= $2
                  UNION ALL
                  SELECT seq, 1, true, new_row FROM %1$s WHERE new_row IS NOT NULL AND seq > $1 AND seq <= $2) AS e
            CROSS JOIN LATERAL jsonb_populate_record(NULL::%2$s, e.image) AS r
            ORDER BY %3$s, e.seq DESC, e.ord DESC$q$, s.delta, s.parent, keys_r)
            USING from_seq, to_seq;
    END IF; -- else computed already for another copy in this transaction: the same changes
    EXECUTE format('DELETE FROM %s AS t USING online_last_state AS l WHERE (%s) = (%s)',
                   target, keys_t, online.key_list(s.parent, '(l.row)'));
    GET DIAGNOSTICS removed = ROW_COUNT;
    EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM online_last_state AS l CROSS JOIN LATERAL (SELECT (l.row).*) AS t '
                   'WHERE l.present AND %s', target, online.column_list(s.parent, ''), online.column_list(s.parent, 't'), condition);
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN removed + added;
END
$$;
