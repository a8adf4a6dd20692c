-- The catch-up: brings a copy up to date with the changes a swap's capture recorded between two points
-- (delta seq from_seq, exclusive, to to_seq, inclusive). For every primary key those changes touched, the copy
-- ends up with the key's last state: the row as it was last written, if it still exists and meets the copy's
-- condition, else no row. The work grows with the changes, never with the table; no temporary table is made for
-- it, so that a window does no catalog work it does not need. Returns the rows written.
CREATE OR REPLACE FUNCTION online.apply_changes(swap bigint, target regclass, condition text, from_seq bigint, to_seq bigint)
RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s          online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
    last_state text;
    removed    bigint;
    added      bigint;
BEGIN
    IF from_seq >= to_seq THEN
        RETURN 0; -- no change in range
    END IF;
    -- per key, its state after the last change in range; a key an UPDATE moved away counts as gone
    last_state := format($q$
        SELECT DISTINCT ON (%3$s) r AS row, e.present
        FROM (SELECT seq, 0 AS ord, false AS present, old_row AS image FROM %1$s WHERE old_row IS NOT NULL AND seq > $1 AND seq <= $2
              UNION ALL
              SELECT seq, 1, true, new_row FROM %1$s WHERE new_row IS NOT NULL AND seq > $1 AND seq <= $2) AS e
        CROSS JOIN LATERAL jsonb_populate_record(NULL::%2$s, e.image) AS r
        ORDER BY %3$s, e.seq DESC, e.ord DESC$q$, s.delta, s.parent, online.key_list(s.parent, 'r'));
    EXECUTE format('WITH l AS (%s) DELETE FROM %s AS t USING l WHERE (%s) = (%s)',
                   last_state, target, online.key_list(s.parent, 't'), online.key_list(s.parent, '(l.row)'))
        USING from_seq, to_seq;
    GET DIAGNOSTICS removed = ROW_COUNT;
    EXECUTE format('WITH l AS (%s) INSERT INTO %s (%s) SELECT %s FROM l CROSS JOIN LATERAL (SELECT (l.row).*) AS t WHERE l.present AND %s',
                   last_state, target, online.column_list(s.parent, ''), online.column_list(s.parent, 't'), condition)
        USING from_seq, to_seq;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN removed + added;
END
$$;
