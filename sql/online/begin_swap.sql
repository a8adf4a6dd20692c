-- Step 1 of an online swap: partitions of a RANGE-partitioned table (old_leaves, by name) are to be replaced by new
-- ones (new_names, with bounds new_lowers/new_uppers as values; a NULL pair is the DEFAULT). The new partitions
-- together must hold exactly the key values the old ones held: when the DEFAULT is among the old, a new DEFAULT
-- takes over what the new ranges leave; when it is not, the new ranges must cover the old ones exactly. Rows may
-- also come from other tables with the parent's columns (sources: an archive), for keys the old partitions lack.
--
-- In one short transaction, under the lock discipline (online.lock_relations): first the new partitions as empty
-- standalone tables LIKE the parent with a CHECK matching their bounds (ACCESS SHARE on the parent: nobody waits);
-- then, the locks that make writers wait taken last so that they cover catalog changes only, a capture trigger on
-- every old partition (CREATE TRIGGER takes SHARE ROW EXCLUSIVE: writers wait a moment, readers do not) and, when
-- the DEFAULT stays, a CHECK on it that excludes the new ranges, added NOT VALID (a catalog change under ACCESS
-- EXCLUSIVE; it is validated while staging, without blocking anyone). Returns the swap's id. Called again with the same label while
-- that swap is under way, it returns the same id, so that an interrupted swap continues where it stopped.
CREATE OR REPLACE FUNCTION online.begin_swap(parent regclass, label text, old_leaves text[], new_names text[],
                                             new_lowers text[], new_uppers text[], sources text[] DEFAULT '{}')
RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $begin$
DECLARE
    running      online.swaps;
    leaves       record;
    default_leaf text;
    old_rels     regclass[] := '{}';
    old_conds    text[] := '{}';
    old_lows     text[] := '{}';   -- every old partition's bounds, in the order of old_leaves
    old_highs    text[] := '{}';
    keep_lowers  text[] := '{}';   -- ranges of the partitions that stay
    keep_uppers  text[] := '{}';
    old_lowers   text[] := '{}';
    old_uppers   text[] := '{}';
    range_lowers text[] := '{}';   -- the new ranges (not the DEFAULT)
    range_uppers text[] := '{}';
    conds        text[] := '{}';
    bare_conds   text[] := '{}';   -- the same over bare column names, for the CHECKs
    staged       text[] := '{}';
    default_in_old boolean := false;
    new_default  boolean := false;
    helper       text;
    id           bigint;
    capture_name text;
    lock_rels    regclass[] := '{}';
    lock_modes   text[] := '{}';
    i            integer;
    schema_name  text := (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent);
    new_leaf     text;
BEGIN
    IF parent IS NULL THEN
        RAISE EXCEPTION 'no such table' USING ERRCODE = 'invalid_parameter_value';
    ELSIF (online.range_key(parent)).key_name IS NULL THEN
        RAISE EXCEPTION '% is not partitioned by RANGE on one column', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM online.key_list(parent, 't'); -- a primary key, or a clear refusal
    PERFORM online.tidy(parent); -- what an earlier swap left behind because a session held the table then
    SELECT * INTO running FROM online.swaps w
    WHERE w.parent = begin_swap.parent AND w.state IN ('staging', 'swapped', 'verified') ORDER BY w.swap_id LIMIT 1;
    IF FOUND THEN
        IF running.label = begin_swap.label THEN
            RETURN running.swap_id; -- under way: continue it
        END IF;
        RAISE EXCEPTION 'a swap of % is under way (% since %, state %): let it finish, or abort it with online.abort_swap(%)',
            parent, running.label, running.started_at, running.state, running.swap_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF coalesce(cardinality(new_names), 0) <> coalesce(cardinality(new_lowers), 0)
       OR coalesce(cardinality(new_names), 0) <> coalesce(cardinality(new_uppers), 0) THEN
        RAISE EXCEPTION 'one lower and one upper bound per new partition' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- the layout now: which partitions go, which stay
    FOR leaves IN SELECT * FROM online.range_leaves(parent) LOOP
        IF leaves.is_default THEN
            default_leaf := leaves.leaf_name;
        END IF;
        IF leaves.leaf_name = ANY (old_leaves) THEN
            IF (SELECT relkind FROM pg_class WHERE oid = leaves.leaf) <> 'r' THEN
                RAISE EXCEPTION '% is partitioned itself: the online swap replaces plain partitions only', leaves.leaf_name
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            old_rels := old_rels || leaves.leaf;
            IF leaves.is_default THEN
                default_in_old := true;
            ELSE
                old_lowers := old_lowers || online.unquoted(leaves.lower_bound);
                old_uppers := old_uppers || online.unquoted(leaves.upper_bound);
            END IF;
        ELSIF NOT leaves.is_default THEN
            keep_lowers := keep_lowers || online.unquoted(leaves.lower_bound);
            keep_uppers := keep_uppers || online.unquoted(leaves.upper_bound);
        END IF;
    END LOOP;
    IF cardinality(old_rels) <> coalesce(cardinality(old_leaves), 0) THEN
        RAISE EXCEPTION 'not partitions of %: %', parent,
            (SELECT string_agg(o, ', ') FROM unnest(old_leaves) AS o WHERE NOT o = ANY (SELECT leaf_name FROM online.range_leaves(parent)))
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 1 .. coalesce(cardinality(new_names), 0) LOOP
        IF (new_lowers[i] IS NULL) <> (new_uppers[i] IS NULL) THEN
            RAISE EXCEPTION '%: give both bounds, or neither for the DEFAULT', new_names[i] USING ERRCODE = 'invalid_parameter_value';
        ELSIF new_lowers[i] IS NULL THEN
            IF new_default THEN
                RAISE EXCEPTION 'only one new DEFAULT partition' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            new_default := true;
        ELSE
            range_lowers := range_lowers || online.unquoted(new_lowers[i]);
            range_uppers := range_uppers || online.unquoted(new_uppers[i]);
        END IF;
    END LOOP;
    IF new_default AND NOT default_in_old AND default_leaf IS NOT NULL THEN
        RAISE EXCEPTION '% has a DEFAULT partition already: replace it (name it among the old partitions)', parent
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF default_in_old AND NOT new_default THEN
        RAISE EXCEPTION 'the DEFAULT partition is replaced, so one of the new partitions must be the DEFAULT'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- every key value keeps exactly one home
    FOR i IN 1 .. coalesce(cardinality(range_lowers), 0) LOOP
        IF EXISTS (SELECT FROM unnest(keep_lowers, keep_uppers) AS k(lo, hi)
                   WHERE online.ranges_overlap(parent, k.lo, k.hi, range_lowers[i], range_uppers[i]))
           OR EXISTS (SELECT FROM generate_series(1, i - 1) AS j
                      WHERE online.ranges_overlap(parent, range_lowers[j], range_uppers[j], range_lowers[i], range_uppers[i])) THEN
            RAISE EXCEPTION 'the new range % .. % overlaps a partition that stays or another new one', range_lowers[i], range_uppers[i]
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    IF NOT default_in_old THEN
        IF NOT online.ranges_cover(parent, old_lowers, old_uppers, range_lowers, range_uppers) THEN
            RAISE EXCEPTION 'the new ranges reach beyond the partitions they replace: rows there sit in the DEFAULT, so replace it too'
                USING ERRCODE = 'invalid_parameter_value';
        ELSIF NOT online.ranges_cover(parent, range_lowers, range_uppers, old_lowers, old_uppers) THEN
            RAISE EXCEPTION 'the new ranges leave part of the old partitions uncovered: %', CASE WHEN default_leaf IS NULL
                THEN 'with no DEFAULT those rows would have nowhere to go' ELSE 'their rows would go to the DEFAULT, so replace it too' END
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;

    -- what each new partition holds, and what each old one held (the DEFAULTs: whatever no range takes)
    FOR i IN 1 .. coalesce(cardinality(new_names), 0) LOOP
        conds := conds || online.holds_condition(parent, new_lowers[i], new_uppers[i], keep_lowers || range_lowers,
                                                 keep_uppers || range_uppers, 't');
        bare_conds := bare_conds || online.holds_condition(parent, new_lowers[i], new_uppers[i], keep_lowers || range_lowers,
                                                           keep_uppers || range_uppers, '');
    END LOOP;
    FOR leaves IN SELECT * FROM online.range_leaves(parent) WHERE leaf_name = ANY (old_leaves) ORDER BY array_position(old_leaves, leaf_name) LOOP
        old_conds := old_conds || online.holds_condition(parent, online.unquoted(leaves.lower_bound), online.unquoted(leaves.upper_bound),
                                                         keep_lowers || old_lowers, keep_uppers || old_uppers, 't');
        old_lows := old_lows || online.unquoted(leaves.lower_bound);
        old_highs := old_highs || online.unquoted(leaves.upper_bound);
    END LOOP;

    -- names: a new partition takes its name at the swap; until then it is staged under <name>_next if an old one has it
    FOR i IN 1 .. coalesce(cardinality(new_names), 0) LOOP
        IF cardinality(parse_ident(new_names[i])) <> 2 OR (parse_ident(new_names[i]))[1] <> schema_name THEN
            RAISE EXCEPTION '% must be a name in schema %, like the parent', new_names[i], schema_name USING ERRCODE = 'invalid_parameter_value';
        END IF;
        new_leaf := format('%I.%I', schema_name, (parse_ident(new_names[i]))[2]);
        IF new_leaf = ANY (old_leaves) THEN
            new_leaf := format('%I.%I', schema_name, left((parse_ident(new_names[i]))[2], 58) || '_next');
        END IF;
        IF to_regclass(new_leaf) IS NOT NULL THEN
            RAISE EXCEPTION 'a table % exists already: rename or drop it first', new_leaf USING ERRCODE = 'invalid_parameter_value';
        END IF;
        staged := staged || new_leaf;
    END LOOP;

    -- the parent as a reader first (CREATE TABLE ... LIKE reads it); the strong locks on live partitions come last
    PERFORM online.lock_relations(ARRAY[parent], ARRAY['ACCESS SHARE'], format('start the swap of %s (%s)', parent, label));

    INSERT INTO online.swaps (parent, label, old_leaves, old_lowers, old_uppers, old_conditions, new_names, staged_names,
                              new_lowers, new_uppers, new_conditions, sources, capture_function, delta)
    VALUES (parent, label, old_leaves, old_lows, old_highs, old_conds, new_names, staged,
            (SELECT array_agg(online.unquoted(v) ORDER BY n) FROM unnest(new_lowers) WITH ORDINALITY AS u(v, n)),
            (SELECT array_agg(online.unquoted(v) ORDER BY n) FROM unnest(new_uppers) WITH ORDINALITY AS u(v, n)),
            conds, coalesce(sources, '{}'), 'pending', 'pending')
    RETURNING swap_id INTO id;
    capture_name := online.create_capture(id);
    FOR i IN 1 .. coalesce(cardinality(staged), 0) LOOP
        -- autovacuum stays away until the window: its SHARE UPDATE EXCLUSIVE on a freshly filled table would make the
        -- window's first attempts at ACCESS EXCLUSIVE time out (it yields only after deadlock_timeout)
        EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING STORAGE) '
                       'WITH (autovacuum_enabled = false)', staged[i], parent);
        -- the CHECK that lets ATTACH prove the bound instead of scanning; the table is empty, so it is valid at once
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK %s', staged[i], format('online_swap_%s_bound', id), bare_conds[i]);
        EXECUTE format('COMMENT ON TABLE %s IS %L', staged[i],
                       format('Partition Lab: staged by online swap %s (%s) for %s, not attached yet', id, label, parent));
    END LOOP;
    -- last, and only for catalog changes: CREATE TRIGGER on every old partition (SHARE ROW EXCLUSIVE: its writers wait
    -- a moment, readers do not) and, when the DEFAULT stays, its helper CHECK (ACCESS EXCLUSIVE on the DEFAULT)
    lock_rels := old_rels;
    lock_modes := array_fill('SHARE ROW EXCLUSIVE'::text, ARRAY[cardinality(old_rels)]);
    IF default_leaf IS NOT NULL AND NOT default_in_old AND cardinality(range_lowers) > 0 THEN
        lock_rels := lock_rels || to_regclass(default_leaf);
        lock_modes := lock_modes || 'ACCESS EXCLUSIVE'::text;
    END IF;
    PERFORM online.lock_relations(lock_rels, lock_modes, format('start the swap of %s (%s)', parent, label));
    -- a swap of the same table begun by another session while this one created its tables: its record is committed now
    IF EXISTS (SELECT FROM online.swaps w WHERE w.parent = begin_swap.parent AND w.swap_id <> id
                                            AND w.state IN ('staging', 'swapped', 'verified')) THEN
        RAISE EXCEPTION 'a swap of % began meanwhile in another session: let it finish, or abort it', parent
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 1 .. cardinality(old_rels) LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                       format('online_capture_%s', id), old_rels[i], capture_name);
    END LOOP;

    IF default_leaf IS NOT NULL AND NOT default_in_old AND cardinality(range_lowers) > 0 THEN
        helper := format('online_swap_%s_excludes', id);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT %s) NOT VALID', default_leaf, helper,
                       online.ranges_condition(parent, range_lowers, range_uppers, ''));
        UPDATE online.swaps w SET default_helper = helper WHERE w.swap_id = id;
    END IF;
    RETURN id;
END
$begin$;
