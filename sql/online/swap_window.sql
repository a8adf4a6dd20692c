-- Step 3 of an online swap: the window, one short transaction. Under the lock discipline it takes the parent and
-- every partition it changes in ACCESS EXCLUSIVE mode (DETACH needs the parent so: readers and writers wait, for
-- the window only), catches the staged tables up with the changes captured since staging caught up last (the only
-- rows it writes), detaches the old partitions (kept, renamed <name>_prev when a new one takes the name), attaches the new
-- ones (their CHECKs, and the DEFAULT's, let PostgreSQL prove the bounds instead of scanning; DEBUG messages say
-- so), and starts capturing changes to the new partitions, for the verification that follows. Returns one row:
-- what it detached and attached, the captured changes it caught up with (window_rows: the delta, never the copy),
-- how many attempts the locks took, and how long it held them.
CREATE OR REPLACE FUNCTION online.swap_window(swap bigint)
RETURNS TABLE (swap_id bigint, detached text, attached text, window_rows bigint, lock_attempts integer, window_ms double precision)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s         online.swaps := online.swap_record(swap, NULL, NULL);
    rels      regclass[];
    modes     text[];
    default_leaf regclass;
    attempts  integer;
    locked_at timestamptz;
    upto      bigint;
    caught    bigint;
    changes   bigint;
    kept      text[] := '{}';
    kept_name text;
    messages  text := current_setting('client_min_messages');
    i         integer;
BEGIN
    IF s.state <> 'staging' THEN
        RETURN; -- swapped before: nothing to do
    ELSIF EXISTS (SELECT FROM unnest(s.old_leaves || s.sources) AS src WHERE NOT coalesce((s.progress -> src) = 'true'::jsonb, false))
          OR (s.default_helper IS NOT NULL AND NOT coalesce((s.progress -> '#validated') = 'true'::jsonb, false)) THEN
        RAISE EXCEPTION 'swap % is not staged yet: run online.stage_batch until it says staged', swap USING ERRCODE = 'invalid_parameter_value';
    END IF;
    default_leaf := online.default_partition(s.parent);
    -- the parent first, then the partitions, as writers take them
    rels := ARRAY[s.parent];
    IF default_leaf IS NOT NULL AND NOT default_leaf::text = ANY (s.old_leaves) THEN
        rels := rels || default_leaf; -- DETACH and ATTACH change the DEFAULT's implicit constraint
    END IF;
    rels := rels || (SELECT array_agg(to_regclass(o) ORDER BY k) FROM unnest(s.old_leaves) WITH ORDINALITY AS u(o, k))
                 || (SELECT array_agg(to_regclass(n) ORDER BY k) FROM unnest(s.staged_names) WITH ORDINALITY AS u(n, k));
    modes := array_fill('ACCESS EXCLUSIVE'::text, ARRAY[cardinality(rels)]);
    attempts := online.lock_relations(rels, modes, format('swap of %s (%s)', s.parent, s.label));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('swap %s, %s of %s', swap, s.label, s.parent));

    -- no writer can change the rows now: catch up with every change captured so far
    caught := coalesce((s.progress ->> '#caught')::bigint, 0); -- what staging caught up with already
    EXECUTE format('SELECT coalesce(max(seq), 0), count(*) FILTER (WHERE seq > $1) FROM %s', s.delta) INTO upto, changes USING caught;
    PERFORM online.apply_changes(swap, online.regclasses(s.staged_names), s.new_conditions, caught, upto);

    FOR i IN 1 .. cardinality(s.old_leaves) LOOP
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', s.parent, to_regclass(s.old_leaves[i]));
        kept_name := s.old_leaves[i];
        IF kept_name = ANY (s.new_names) THEN
            kept_name := format('%I.%I', (parse_ident(kept_name))[1], left((parse_ident(kept_name))[2], 58) || '_prev');
            IF to_regclass(kept_name) IS NOT NULL THEN
                RAISE EXCEPTION 'a table % exists already: rename or drop it first', kept_name USING ERRCODE = 'invalid_parameter_value';
            END IF;
            EXECUTE format('ALTER TABLE %s RENAME TO %I', to_regclass(s.old_leaves[i]), (parse_ident(kept_name))[2]);
        END IF;
        EXECUTE format('COMMENT ON TABLE %s IS %L', to_regclass(kept_name),
                       format('Partition Lab: detached by online swap %s (%s) from %s, kept until verified', swap, s.label, s.parent));
        kept := kept || kept_name;
    END LOOP;
    PERFORM set_config('client_min_messages', 'debug1', true); -- ATTACH then says whether it proved the bound or scanned
    FOR i IN 1 .. cardinality(s.staged_names) LOOP
        IF s.staged_names[i] <> s.new_names[i] THEN
            EXECUTE format('ALTER TABLE %s RENAME TO %I', to_regclass(s.staged_names[i]), (parse_ident(s.new_names[i]))[2]);
        END IF;
    END LOOP;
    FOR i IN SELECT k FROM unnest(s.new_lowers) WITH ORDINALITY AS u(lo, k) ORDER BY lo IS NULL, k LOOP
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s %s', s.parent, to_regclass(s.new_names[i]),
                       CASE WHEN s.new_lowers[i] IS NULL THEN 'DEFAULT'
                            ELSE format('FOR VALUES FROM (%s) TO (%s)', online.bound_literal(s.new_lowers[i]), online.bound_literal(s.new_uppers[i])) END);
    END LOOP;
    PERFORM set_config('client_min_messages', messages, true);
    FOR i IN 1 .. cardinality(s.new_names) LOOP
        -- the bound says the same now; one check less per insert, and no constraint to trip over later
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', to_regclass(s.new_names[i]), format('online_swap_%s_bound', swap));
        EXECUTE format('ALTER TABLE %s RESET (autovacuum_enabled)', to_regclass(s.new_names[i])); -- off while staged
        EXECUTE format('COMMENT ON TABLE %s IS %L', to_regclass(s.new_names[i]), format('Partition Lab: partition of %s (online swap %s)', s.parent, swap));
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                       format('online_capture_%s', swap), to_regclass(s.new_names[i]), s.capture_function);
    END LOOP;
    IF s.default_helper IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', default_leaf, s.default_helper);
    END IF;
    IF online.fail_point('window') THEN
        RAISE EXCEPTION 'failure injected in the window of swap % (online.fail_at): it rolls back, nothing changed', swap;
    END IF;

    PERFORM online.hold_window();
    UPDATE online.swaps w
    SET state = 'swapped', old_kept = kept, window_seq = upto, window_rows = changes, window_attempts = attempts,
        window_ms = extract(epoch FROM clock_timestamp() - locked_at) * 1000
    WHERE w.swap_id = swap;
    RETURN QUERY SELECT swap, array_to_string(s.old_leaves, ', '), array_to_string(s.new_names, ', '), changes, attempts,
                        (extract(epoch FROM clock_timestamp() - locked_at) * 1000)::float8;
END
$$;

-- A bound value as FOR VALUES takes it: MINVALUE and MAXVALUE as they are, anything else as a quoted literal.
CREATE OR REPLACE FUNCTION online.bound_literal(value text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN upper(value) IN ('MINVALUE', 'MAXVALUE') THEN upper(value) ELSE quote_literal(value) END
$$;
