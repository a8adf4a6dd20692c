-- Step 4 of an online swap, after the window: proves that the new partitions held, at the moment of the window,
-- exactly the rows the old ones held then (count and checksum), while the application goes on writing. The old
-- partitions are detached, so they still hold what they held then. The new ones have changed since; their state at
-- the window is the state now with every change since undone, from the capture (each key's first change after the
-- window carries the row as it was), all read in one snapshot. Rows from other sources count for keys the old
-- partitions lacked. Returns the two fingerprints and whether they match; a match marks the swap verified. A
-- mismatch leaves it swapped, for online.revert_swap.
CREATE OR REPLACE FUNCTION online.verify_swap(swap bigint, OUT rows_before bigint, OUT checksum_before numeric,
                                              OUT rows_after bigint, OUT checksum_after numeric, OUT matches boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       online.swaps := online.swap_record(swap, ARRAY['swapped', 'verified'], 'nothing to verify before the window');
    cols_t  text;
    keys_t  text;
    keys_r  text;
    before_query text;
    after_query  text;
    src     text;
    i       integer;
BEGIN
    cols_t := online.column_list(s.parent, 't');
    keys_t := online.key_list(s.parent, 't');
    keys_r := online.key_list(s.parent, 'r');
    SELECT string_agg(format('SELECT %s FROM %s AS t', cols_t, to_regclass(k)), ' UNION ALL ') INTO before_query FROM unnest(s.old_kept) AS k;
    FOREACH src IN ARRAY s.sources LOOP
        before_query := concat_ws(' UNION ALL ', before_query,
            format('SELECT %s FROM %s AS t WHERE (%s) %s', cols_t, to_regclass(src), array_to_string(s.new_conditions, ' OR '),
                   (SELECT string_agg(format('AND NOT EXISTS (SELECT 1 FROM %s AS o WHERE (%s) = (%s))', to_regclass(k),
                                             online.key_list(s.parent, 'o'), keys_t), ' ')
                    FROM unnest(s.old_kept) AS k)));
    END LOOP;
    SELECT f.row_count, f.row_checksum INTO rows_before, checksum_before FROM online.fingerprint(coalesce(before_query, 'SELECT 1 WHERE false')) f;

    -- the new partitions as they were at the window: one query, so one snapshot of them and of the capture
    after_query := format($q$
        WITH later AS (
            SELECT DISTINCT ON (%1$s) r AS row, e.was_there
            FROM (SELECT seq, 0 AS ord, true AS was_there, old_row AS image FROM %2$s WHERE seq > %3$s AND old_row IS NOT NULL
                  UNION ALL
                  SELECT seq, 1, false, new_row FROM %2$s WHERE seq > %3$s AND new_row IS NOT NULL) AS e
            CROSS JOIN LATERAL jsonb_populate_record(NULL::%4$s, e.image) AS r
            ORDER BY %1$s, e.seq, e.ord)
        %5$s
        UNION ALL
        SELECT %6$s FROM later AS l CROSS JOIN LATERAL (SELECT (l.row).*) AS t WHERE l.was_there AND (%7$s)$q$,
        keys_r, s.delta, s.window_seq, s.parent,
        (SELECT string_agg(format('SELECT %s FROM %s AS t WHERE NOT EXISTS (SELECT 1 FROM later AS l WHERE (%s) = (%s))',
                                  cols_t, to_regclass(n), online.key_list(s.parent, '(l.row)'), keys_t), ' UNION ALL ')
         FROM unnest(s.new_names) AS n),
        cols_t, array_to_string(s.new_conditions, ' OR '));
    SELECT f.row_count, f.row_checksum INTO rows_after, checksum_after FROM online.fingerprint(after_query) f;
    matches := rows_before = rows_after AND checksum_before = checksum_after AND NOT online.fail_point('verify');
    UPDATE online.swaps w
    SET rows_before = verify_swap.rows_before, checksum_before = verify_swap.checksum_before,
        rows_after = verify_swap.rows_after, checksum_after = verify_swap.checksum_after,
        state = CASE WHEN matches THEN 'verified' ELSE w.state END
    WHERE w.swap_id = swap;
END
$$;
