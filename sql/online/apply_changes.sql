-- The catch-up: brings copies up to date with the changes a swap's capture recorded between two points (delta seq
-- from_seq, exclusive, to to_seq, inclusive). For every primary key those changes touched, each copy ends up with the
-- key's last state: the row as it was last written, if it still exists and meets that copy's condition, else no row.
-- The last states are worked out once for all the copies, and no temporary table is made for them, so that a window
-- does no catalog work it does not need; the work grows with the changes, never with the table. Returns the rows
-- written.
CREATE OR REPLACE FUNCTION online.apply_changes(swap bigint, targets regclass[], conditions text[], from_seq bigint, to_seq bigint)
RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
    states  jsonb;
    written bigint := 0;
    done    bigint;
    i       integer;
BEGIN
    IF from_seq >= to_seq THEN
        RETURN 0; -- no change in range
    END IF;
    -- per key, the image of its last change in range and whether the row is there after it: an UPDATE that moved a
    -- key away leaves the old key gone
    EXECUTE format($q$
        SELECT coalesce(jsonb_agg(jsonb_build_array(l.image, l.present)), '[]')
        FROM (SELECT DISTINCT ON (%3$s) e.image, e.present
              FROM (SELECT seq, 0 AS ord, false AS present, old_row AS image FROM %1$s WHERE old_row IS NOT NULL AND seq > $1 AND seq <= $2
                    UNION ALL
                    SELECT seq, 1, true, new_row FROM %1$s WHERE new_row IS NOT NULL AND seq > $1 AND seq <= $2) AS e
              CROSS JOIN LATERAL jsonb_populate_record(NULL::%2$s, e.image) AS r
              ORDER BY %3$s, e.seq DESC, e.ord DESC) AS l$q$, s.delta, s.parent, online.key_list(s.parent, 'r'))
        INTO states USING from_seq, to_seq;
    IF jsonb_array_length(states) = 0 THEN
        RETURN 0;
    END IF;
    FOR i IN 1 .. cardinality(targets) LOOP
        EXECUTE format('DELETE FROM %s AS t USING jsonb_array_elements($1) AS l, jsonb_populate_record(NULL::%s, l -> 0) AS k '
                       'WHERE (%s) = (%s)', targets[i], s.parent, online.key_list(s.parent, 't'), online.key_list(s.parent, 'k'))
            USING states;
        GET DIAGNOSTICS done = ROW_COUNT;
        written := written + done;
        EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM jsonb_array_elements($1) AS l, jsonb_populate_record(NULL::%s, l -> 0) AS t '
                       'WHERE (l ->> 1)::boolean AND %s', targets[i], online.column_list(s.parent, ''), online.column_list(s.parent, 't'),
                       s.parent, conditions[i])
            USING states;
        GET DIAGNOSTICS done = ROW_COUNT;
        written := written + done;
    END LOOP;
    RETURN written;
END
$$;

-- A swap's copies as regclasses, in order: its staged tables (or, for a revert, its old partitions kept).
CREATE OR REPLACE FUNCTION online.regclasses(names text[]) RETURNS regclass[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT array_agg(to_regclass(n) ORDER BY k) FROM unnest(names) WITH ORDINALITY AS u(n, k)
$$;
