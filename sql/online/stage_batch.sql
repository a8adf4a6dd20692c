-- Step 2 of an online swap, one batch at a time: copies up to batch_rows rows (online.batch_rows, default 50,000)
-- from the old partitions (then from the other sources) into the new staged tables, in primary-key order, and
-- remembers where it stopped, so that a batch is one short transaction and an interrupted staging continues where
-- it stopped. Readers and writers go on: it reads the old partitions as any query does, and writes only tables
-- nobody else sees. What writers change meanwhile, the capture records, and the window catches up with.
-- Once every row is copied, it validates the DEFAULT's helper CHECK (a scan under SHARE UPDATE EXCLUSIVE, which
-- blocks neither readers nor writers). Then, while more than online.catch_up_rows changes (default 200) wait, it
-- catches the staged tables up in rounds, so that the window is left only the changes of its last moments, however
-- long the copy took: a round first marks how far the capture has come, holding SHARE on the old partitions for an
-- instant (it waits for the writers in flight and holds off new ones: capture numbers are handed out in the order
-- writers ask for them, not the order they commit, so only then has every change up to the mark committed), and in
-- the next call applies the changes up to the mark. Returns one row: the source of this batch ('catch-up' for a
-- round), its rows, and whether all is staged.
CREATE OR REPLACE FUNCTION online.stage_batch(swap bigint, batch_rows bigint DEFAULT NULL,
                                              OUT source text, OUT rows_copied bigint, OUT staged boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s        online.swaps := online.swap_record(swap, NULL, NULL);
    n        bigint := coalesce(batch_rows, online.setting('batch_rows'));
    done     jsonb;
    last_row jsonb;
    keys_t   text;
    within   text;
    unplaced bigint;
    caught   bigint;
    mark     bigint;
    pending  bigint;
    i        integer;
BEGIN
    IF s.state <> 'staging' THEN
        source := NULL; rows_copied := 0; staged := true;
        RETURN;
    END IF;
    keys_t := online.key_list(s.parent, 't');
    -- the first source not copied to its end
    SELECT src INTO source FROM unnest(s.old_leaves || s.sources) WITH ORDINALITY AS u(src, k)
    WHERE NOT coalesce((s.progress -> src) = 'true'::jsonb, false) ORDER BY k LIMIT 1;
    IF source IS NULL THEN
        rows_copied := 0;
        IF s.default_helper IS NOT NULL AND NOT coalesce((s.progress -> '#validated') = 'true'::jsonb, false) THEN
            PERFORM online.validate_helper(swap);
            UPDATE online.swaps SET progress = progress || '{"#validated": true}' WHERE swap_id = swap;
        END IF;
        caught := coalesce((s.progress ->> '#caught')::bigint, 0);
        mark := (s.progress ->> '#mark')::bigint;
        source := 'catch-up';
        IF mark > caught THEN
            rows_copied := online.apply_changes(swap, online.regclasses(s.staged_names), s.new_conditions, caught, mark);
            UPDATE online.swaps SET progress = progress || jsonb_build_object('#caught', mark) WHERE swap_id = swap;
            staged := false;
            RETURN;
        END IF;
        EXECUTE format('SELECT count(*) FROM %s WHERE seq > $1', s.delta) INTO pending USING caught;
        IF pending > online.setting('catch_up_rows') AND coalesce((s.progress ->> '#rounds')::int, 0) < 10 THEN
            PERFORM online.lock_relations((SELECT array_agg(to_regclass(o) ORDER BY k) FROM unnest(s.old_leaves) WITH ORDINALITY AS u(o, k)),
                                          array_fill('SHARE'::text, ARRAY[cardinality(s.old_leaves)]),
                                          format('mark the changes to catch up with (swap %s, %s)', swap, s.label));
            EXECUTE format('SELECT coalesce(max(seq), 0) FROM %s', s.delta) INTO mark;
            UPDATE online.swaps SET progress = progress || jsonb_build_object('#mark', mark, '#rounds', coalesce((progress ->> '#rounds')::int, 0) + 1)
            WHERE swap_id = swap;
            staged := false;
            RETURN;
        END IF;
        source := NULL;
        staged := true;
        RETURN;
    END IF;
    last_row := s.progress -> source;
    -- a source other than an old partition gives only the rows of the swap's ranges, under the parent's columns
    within := CASE WHEN source = ANY (s.old_leaves) THEN 'true'
                   ELSE '(' || array_to_string(s.new_conditions, ' OR ') || ')' END;
    EXECUTE format('CREATE TEMP TABLE online_batch ON COMMIT DROP AS SELECT %s FROM ONLY %s AS t WHERE %s AND %s ORDER BY %s LIMIT %s',
                   online.column_list(s.parent, 't'), to_regclass(source), within,
                   CASE WHEN last_row IS NULL THEN 'true'
                        ELSE format('(%s) > (SELECT %s FROM jsonb_populate_record(NULL::%s, $1) AS k)', keys_t, online.key_list(s.parent, 'k'), s.parent) END,
                   keys_t, n)
        USING last_row;
    GET DIAGNOSTICS rows_copied = ROW_COUNT;
    FOR i IN 1 .. cardinality(s.staged_names) LOOP
        EXECUTE format('INSERT INTO %s SELECT * FROM online_batch AS t WHERE %s ON CONFLICT DO NOTHING',
                       to_regclass(s.staged_names[i]), s.new_conditions[i]);
    END LOOP;
    EXECUTE format('SELECT count(*) FROM online_batch AS t WHERE NOT (%s)', array_to_string(s.new_conditions, ' OR ')) INTO unplaced;
    IF unplaced > 0 THEN
        RAISE EXCEPTION '% rows of % fit none of the new partitions of swap %: nothing copied', unplaced, source, swap;
    END IF;
    EXECUTE format('SELECT to_jsonb(t) FROM online_batch AS t ORDER BY %s LIMIT 1', online.key_list(s.parent, 't', ' DESC')) INTO last_row;
    UPDATE online.swaps
    SET progress = progress || jsonb_build_object(source, CASE WHEN rows_copied < n THEN 'true'::jsonb ELSE last_row END),
        rows_staged = rows_staged + rows_copied
    WHERE swap_id = swap;
    DROP TABLE online_batch;
    staged := false;
END
$$;

-- Validates a swap's helper CHECK on the DEFAULT, added NOT VALID by begin_swap (or revert_prepare): a scan of the
-- DEFAULT under SHARE UPDATE EXCLUSIVE, which blocks neither readers nor writers. Validated already: nothing to do.
CREATE OR REPLACE FUNCTION online.validate_helper(swap bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
BEGIN
    IF s.default_helper IS NOT NULL AND EXISTS (SELECT FROM pg_constraint WHERE conname = s.default_helper AND NOT convalidated) THEN
        PERFORM online.lock_relations(ARRAY[s.parent, online.default_partition(s.parent)], ARRAY['ACCESS SHARE', 'SHARE UPDATE EXCLUSIVE'],
                                      format('validate %s', s.default_helper));
        EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', online.default_partition(s.parent), s.default_helper);
    END IF;
END
$$;

-- The DEFAULT partition of a table, or NULL: pg_partitioned_table names it (partdefid), so that finding it costs one
-- catalog row, not the deparsing of every partition's bound.
CREATE OR REPLACE FUNCTION online.default_partition(parent regclass) RETURNS regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT nullif(p.partdefid, 0)::regclass FROM pg_partitioned_table p WHERE p.partrelid = parent
$$;

-- The whole of step 2 for psql: every batch, each committed on its own (CALL it outside a transaction block).
CREATE OR REPLACE PROCEDURE online.stage(swap bigint, batch_rows bigint DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    b record;
BEGIN
    LOOP
        SELECT * INTO b FROM online.stage_batch(swap, batch_rows);
        COMMIT;
        EXIT WHEN b.staged;
    END LOOP;
END
$$;
