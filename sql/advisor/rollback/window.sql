-- Step 3 of a rollback: the window, one short transaction. Under the lock discipline it takes ACCESS EXCLUSIVE on
-- the partitioned table (every reader and writer goes through it, so none is in flight once it is granted) and on
-- the plain copy; it catches the copy up with the changes captured since the copy's last round (window_rows: the
-- changes, never the table), and renames: the partitioned table and its indexes step aside as <table>_partitioned,
-- the copy and its indexes take the names, the sequence belongs to the plain table. A query that waited then finds
-- the plain table under the name. From here the capture records the plain table's changes, for the verification.
-- Catalog work and the changes only: no partition is read (rows_read says so) and none is locked, so autovacuum
-- on one cannot hold the window up. Returns what it did; done before, no row.
CREATE OR REPLACE FUNCTION lab.rollback_window(table_name text)
RETURNS TABLE (restored text, kept_as text, window_rows bigint, lock_attempts integer, window_ms double precision, rows_read bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s         record;
    w         online.swaps;
    tbl       regclass;
    copy      regclass;
    attempts  integer;
    locked_at timestamptz;
    caught    bigint;
    upto      bigint;
    changes   bigint;
    read_at_start bigint;
    idx       record;
    seq       record;
BEGIN
    SELECT * INTO s FROM lab.rollback_state(table_name);
    IF s.next_step IN ('verify', 'finish', 'done') THEN
        RETURN; -- the window committed before
    ELSIF s.next_step <> 'copy' THEN
        RAISE EXCEPTION 'no copy of % under way: the rollback begins first', s.table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    w := online.swap_record(s.swap_id, ARRAY['staging'], 'the window comes once');
    IF EXISTS (SELECT FROM unnest(w.old_leaves) AS src WHERE NOT coalesce((w.progress -> src) = 'true'::jsonb, false)) THEN
        RAISE EXCEPTION 'the copy of % is not done yet: CALL online.stage(%) first', s.table_name, s.swap_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    copy := to_regclass(s.restored);
    attempts := online.lock_relations(ARRAY[tbl, copy], ARRAY['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE'],
                                      format('rollback window of %s', tbl));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('rollback of %s', tbl));
    read_at_start := (SELECT coalesce(sum(coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0)), 0)
                      FROM pg_partition_tree(tbl) p JOIN pg_stat_xact_user_tables t ON t.relid = p.relid);

    -- no writer can change a row now: the changes captured since the last round, and only those
    caught := coalesce((w.progress ->> '#caught')::bigint, 0);
    EXECUTE format('SELECT coalesce(max(seq), 0), count(*) FILTER (WHERE seq > $1) FROM %s', w.delta) INTO upto, changes USING caught;
    PERFORM online.apply_changes(w.swap_id, ARRAY[copy], ARRAY['true'], caught, upto);

    -- names: the partitioned table's indexes step aside, the copy's take their names
    FOR idx IN SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = tbl ORDER BY ic.relname LOOP
        EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s.schema_name, idx.relname, lab.suffixed_index_name(idx.relname, s.relation, '_partitioned'));
        IF to_regclass(format('%I.%I', s.schema_name, lab.suffixed_index_name(idx.relname, s.relation, '_restored'))) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s.schema_name, lab.suffixed_index_name(idx.relname, s.relation, '_restored'), idx.relname);
        END IF;
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, (parse_ident(s.kept_partitioned))[2]);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', copy, s.relation);
    FOR seq IN SELECT a.attname, pg_get_serial_sequence(tbl::text, a.attname) AS sequence_name
               FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped LOOP
        IF seq.sequence_name IS NOT NULL THEN
            EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', seq.sequence_name, copy, seq.attname);
        END IF;
    END LOOP;
    EXECUTE format('ALTER TABLE %s RESET (autovacuum_enabled)', copy); -- off while it was filled
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   format('online_capture_%s', w.swap_id), copy, w.capture_function);
    EXECUTE format('COMMENT ON TABLE %s IS %L', copy,
                   format('Partition Lab: a plain table again, put back online by the rollback of its partitioning (swap %s)', w.swap_id));
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl,
                   format('Partition Lab: %s as it was partitioned, until the rollback''s window; kept for comparison', s.table_name));
    rows_read := (SELECT coalesce(sum(coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0)), 0)
                  FROM pg_partition_tree(tbl) p JOIN pg_stat_xact_user_tables t ON t.relid = p.relid) - read_at_start;
    IF online.fail_point('window') THEN
        RAISE EXCEPTION 'failure injected in the rollback window of % (online.fail_at): it rolls back, nothing changed', s.table_name;
    END IF;
    PERFORM online.hold_window();
    UPDATE online.swaps x
    SET state = 'swapped', old_kept = ARRAY[s.kept_partitioned], new_names = ARRAY[s.table_name], window_seq = upto,
        window_rows = changes, window_attempts = attempts, window_ms = extract(epoch FROM clock_timestamp() - locked_at) * 1000
    WHERE x.swap_id = w.swap_id;
    restored := s.table_name;
    kept_as := s.kept_partitioned;
    window_rows := changes;
    lock_attempts := attempts;
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
    RETURN NEXT;
END
$$;
