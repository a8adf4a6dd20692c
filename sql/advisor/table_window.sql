-- The window of a table replaced by a copy of it (the advisor's rollback, and its migrations to layouts other than
-- months): one short transaction. Under the lock discipline it takes ACCESS EXCLUSIVE on the table (every reader and
-- writer goes through it, so none is in flight once it is granted) and on the copy, catches the copy up with the
-- changes captured since the copy's last round (window_rows: the changes, never the table), and renames: the table
-- and its indexes step aside with kept_suffix (under kept_name), the copy and its indexes (named with copy_suffix) take
-- the names, the sequence belongs to the copy. A query that waited then finds the copy under the name. From here the
-- capture records the copy's changes, for online.verify_swap. Catalog work and the changes only: no row of the table
-- is read (rows_read says so) and none of its partitions is locked, so autovacuum on one cannot hold the window up.
CREATE OR REPLACE FUNCTION lab.table_window(swap bigint, copy regclass, kept_name text, copy_suffix text, kept_suffix text,
                                            copy_comment text, kept_comment text)
RETURNS TABLE (now_named text, kept_as text, window_rows bigint, lock_attempts integer, window_ms double precision, rows_read bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    w         online.swaps := online.swap_record(swap, ARRAY['staging'], 'the window comes once');
    tbl       regclass := w.parent;
    schema_name text := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = w.parent);
    relation  text := (SELECT relname FROM pg_class WHERE oid = w.parent);
    attempts  integer;
    locked_at timestamptz;
    caught    bigint;
    upto      bigint;
    changes   bigint;
    read_at_start bigint;
    idx       record;
    seq       record;
BEGIN
    IF EXISTS (SELECT FROM unnest(w.old_leaves) AS src WHERE NOT coalesce((w.progress -> src) = 'true'::jsonb, false)) THEN
        RAISE EXCEPTION 'the copy of % is not done yet: CALL online.stage(%) first', tbl, swap USING ERRCODE = 'invalid_parameter_value';
    END IF;
    attempts := online.lock_relations(ARRAY[tbl, copy], ARRAY['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE'], format('window of %s (%s)', tbl, w.label));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('%s', w.label));
    read_at_start := (SELECT coalesce(sum(coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0)), 0)
                      FROM pg_partition_tree(tbl) p JOIN pg_stat_xact_user_tables t ON t.relid = p.relid);

    -- no writer can change a row now: the changes captured since the last round, and only those
    caught := coalesce((w.progress ->> '#caught')::bigint, 0);
    EXECUTE format('SELECT coalesce(max(seq), 0), count(*) FILTER (WHERE seq > $1) FROM %s', w.delta) INTO upto, changes USING caught;
    PERFORM online.apply_changes(swap, ARRAY[copy], ARRAY['true'], caught, upto);

    -- names: the table's indexes step aside, the copy's take their names
    FOR idx IN SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = tbl ORDER BY ic.relname LOOP
        EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', schema_name, idx.relname, lab.suffixed_index_name(idx.relname, relation, kept_suffix));
        IF to_regclass(format('%I.%I', schema_name, lab.suffixed_index_name(idx.relname, relation, copy_suffix))) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', schema_name, lab.suffixed_index_name(idx.relname, relation, copy_suffix), idx.relname);
        END IF;
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, (parse_ident(kept_name))[2]);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', copy, relation);
    FOR seq IN SELECT a.attname, pg_get_serial_sequence(tbl::text, a.attname) AS sequence_name
               FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped LOOP
        IF seq.sequence_name IS NOT NULL THEN
            EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', seq.sequence_name, copy, seq.attname);
        END IF;
    END LOOP;
    IF (SELECT relkind FROM pg_class WHERE oid = copy) = 'r' THEN
        EXECUTE format('ALTER TABLE %s RESET (autovacuum_enabled)', copy); -- off while it was filled
    END IF;
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   format('online_capture_%s', swap), copy, w.capture_function);
    EXECUTE format('COMMENT ON TABLE %s IS %L', copy, copy_comment);
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl, kept_comment);
    rows_read := (SELECT coalesce(sum(coalesce(t.seq_tup_read, 0) + coalesce(t.idx_tup_fetch, 0)), 0)
                  FROM pg_partition_tree(tbl) p JOIN pg_stat_xact_user_tables t ON t.relid = p.relid) - read_at_start;
    IF online.fail_point('window') THEN
        RAISE EXCEPTION 'failure injected in the window of % (online.fail_at): it rolls back, nothing changed', tbl;
    END IF;
    PERFORM online.hold_window();
    UPDATE online.swaps x
    SET state = 'swapped', old_kept = ARRAY[kept_name], new_names = ARRAY[format('%I.%I', schema_name, relation)], window_seq = upto,
        window_rows = changes, window_attempts = attempts, window_ms = extract(epoch FROM clock_timestamp() - locked_at) * 1000
    WHERE x.swap_id = swap;
    now_named := format('%I.%I', schema_name, relation);
    kept_as := kept_name;
    window_rows := changes;
    lock_attempts := attempts;
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
    RETURN NEXT;
END
$$;
