-- When the verification fails: the old partitions go back in place of the new ones, online, with every change made
-- since the window. Four steps, each its own transaction (online.revert_swap runs them from psql):
--   revert_mark: how far the capture has come, read while holding SHARE on the new partitions for an instant (the
--     writers in flight are waited for: capture numbers are handed out in the order writers ask, not the order they
--     commit, so only then has every change up to the mark committed);
--   revert_prepare: the old partitions (detached, so nobody else uses them) get a CHECK matching their bounds and
--     catch up with the changes up to the mark; when the DEFAULT stays, it gets a CHECK excluding the
--     old ranges, added NOT VALID (a catalog change under ACCESS EXCLUSIVE, under the lock discipline);
--   validate_helper: that CHECK validated (a scan under SHARE UPDATE EXCLUSIVE: readers and writers go on);
--   revert_window: under the lock discipline, the last changes are caught up, the new partitions are detached and
--     dropped, and the old ones attached again, their CHECKs (and the DEFAULT's) sparing the scans.
CREATE OR REPLACE FUNCTION online.revert_mark(swap bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    online.swaps := online.swap_record(swap, ARRAY['swapped'], 'only a swapped, unverified swap is reverted');
    mark bigint;
BEGIN
    PERFORM online.lock_relations((SELECT array_agg(to_regclass(n) ORDER BY k) FROM unnest(s.new_names) WITH ORDINALITY AS u(n, k)),
                                  array_fill('SHARE'::text, ARRAY[cardinality(s.new_names)]),
                                  format('mark the changes to revert with (swap %s)', swap));
    EXECUTE format('SELECT coalesce(max(seq), 0) FROM %s', s.delta) INTO mark;
    UPDATE online.swaps w SET progress = w.progress || jsonb_build_object('#revert_mark', mark) WHERE w.swap_id = swap;
    RETURN mark;
END
$$;

CREATE OR REPLACE FUNCTION online.revert_prepare(swap bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s        online.swaps := online.swap_record(swap, ARRAY['swapped'], 'only a swapped, unverified swap is reverted');
    caught   bigint;
    keep_lowers text[];
    keep_uppers text[];
    ranges_lowers text[];
    ranges_uppers text[];
    i        integer;
BEGIN
    -- a CHECK matching each old partition's bound, so that ATTACH proves it; the DEFAULT's excludes every range of
    -- the layout it goes back to (the partitions that stayed, and the old ones)
    SELECT coalesce(array_agg(online.unquoted(lower_bound)), '{}'), coalesce(array_agg(online.unquoted(upper_bound)), '{}')
    INTO keep_lowers, keep_uppers
    FROM online.range_leaves(s.parent) WHERE NOT is_default AND NOT leaf_name = ANY (s.new_names);
    SELECT keep_lowers || coalesce(array_agg(lo) FILTER (WHERE lo IS NOT NULL), '{}'), keep_uppers || coalesce(array_agg(hi) FILTER (WHERE hi IS NOT NULL), '{}')
    INTO ranges_lowers, ranges_uppers FROM unnest(s.old_lowers, s.old_uppers) AS u(lo, hi);
    FOR i IN 1 .. cardinality(s.old_kept) LOOP
        IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = to_regclass(s.old_kept[i]) AND conname = format('online_swap_%s_bound', swap)) THEN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK %s', to_regclass(s.old_kept[i]), format('online_swap_%s_bound', swap),
                           online.holds_condition(s.parent, s.old_lowers[i], s.old_uppers[i], ranges_lowers, ranges_uppers, ''));
        END IF;
    END LOOP;
    -- the bulk of the catch-up, before the window, up to revert_mark's mark (the window does the rest)
    caught := (s.progress ->> '#revert_mark')::bigint;
    IF caught IS NULL THEN
        RAISE EXCEPTION 'swap %: online.revert_mark first', swap USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM online.apply_changes(swap, online.regclasses(s.old_kept), s.old_conditions, s.window_seq, caught);
    IF s.default_helper IS NOT NULL AND NOT EXISTS (SELECT FROM pg_constraint WHERE conname = s.default_helper) THEN
        PERFORM online.lock_relations(ARRAY[s.parent, online.default_partition(s.parent)], ARRAY['ACCESS SHARE', 'ACCESS EXCLUSIVE'],
                                      format('revert swap %s: %s', swap, s.default_helper));
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (NOT %s) NOT VALID', online.default_partition(s.parent), s.default_helper,
                       online.ranges_condition(s.parent, (SELECT array_agg(lo) FROM unnest(s.old_lowers) AS lo WHERE lo IS NOT NULL),
                                               (SELECT array_agg(hi) FROM unnest(s.old_uppers) AS hi WHERE hi IS NOT NULL), ''));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION online.revert_window(swap bigint) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s        online.swaps := online.swap_record(swap, ARRAY['swapped'], 'only a swapped, unverified swap is reverted');
    caught   bigint := (s.progress ->> '#revert_mark')::bigint;
    upto     bigint;
    written  bigint := 0;
    rels     regclass[];
    default_leaf regclass;
    i        integer;
BEGIN
    IF caught IS NULL THEN
        RAISE EXCEPTION 'swap %: revert_mark and revert_prepare it first', swap USING ERRCODE = 'invalid_parameter_value';
    END IF;
    default_leaf := online.default_partition(s.parent);
    rels := ARRAY[s.parent];
    IF default_leaf IS NOT NULL AND NOT default_leaf::text = ANY (s.new_names) THEN
        rels := rels || default_leaf;
    END IF;
    rels := rels || (SELECT array_agg(to_regclass(n) ORDER BY k) FROM unnest(s.new_names) WITH ORDINALITY AS u(n, k))
                 || (SELECT array_agg(to_regclass(o) ORDER BY k) FROM unnest(s.old_kept) WITH ORDINALITY AS u(o, k));
    PERFORM online.lock_relations(rels, array_fill('ACCESS EXCLUSIVE'::text, ARRAY[cardinality(rels)]), format('revert swap %s', swap));
    PERFORM online.enter_window(format('revert swap %s of %s', swap, s.parent));
    EXECUTE format('SELECT coalesce(max(seq), 0) FROM %s', s.delta) INTO upto;
    written := online.apply_changes(swap, online.regclasses(s.old_kept), s.old_conditions, caught, upto);
    FOR i IN 1 .. cardinality(s.new_names) LOOP
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', s.parent, to_regclass(s.new_names[i]));
        EXECUTE format('DROP TABLE %s', to_regclass(s.new_names[i]));
    END LOOP;
    FOR i IN 1 .. cardinality(s.old_kept) LOOP
        IF s.old_kept[i] <> s.old_leaves[i] THEN
            EXECUTE format('ALTER TABLE %s RENAME TO %I', to_regclass(s.old_kept[i]), (parse_ident(s.old_leaves[i]))[2]);
        END IF;
    END LOOP;
    -- back with their original bounds, the DEFAULT last
    FOR i IN SELECT k FROM unnest(s.old_lowers) WITH ORDINALITY AS u(lo, k) ORDER BY lo IS NULL, k LOOP
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s %s', s.parent, to_regclass(s.old_leaves[i]),
                       CASE WHEN s.old_lowers[i] IS NULL THEN 'DEFAULT'
                            ELSE format('FOR VALUES FROM (%s) TO (%s)', online.bound_literal(s.old_lowers[i]), online.bound_literal(s.old_uppers[i])) END);
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', to_regclass(s.old_leaves[i]), format('online_swap_%s_bound', swap));
    END LOOP;
    IF s.default_helper IS NOT NULL AND EXISTS (SELECT FROM pg_constraint WHERE conname = s.default_helper) THEN
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', default_leaf, s.default_helper);
    END IF;
    UPDATE online.swaps w SET state = 'reverted', ended_at = now() WHERE w.swap_id = swap;
    PERFORM online.drop_capture(swap);
    RETURN format('swap %s reverted: %s back in place of %s, with the %s rows written since the window', swap,
                  array_to_string(s.old_leaves, ', '), array_to_string(s.new_names, ', '), written);
END
$$;

-- The four steps of a revert from psql, each committed on its own (CALL it outside a transaction block).
CREATE OR REPLACE PROCEDURE online.revert_swap(swap bigint)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM online.revert_mark(swap);
    COMMIT;
    PERFORM online.revert_prepare(swap);
    COMMIT;
    PERFORM online.validate_helper(swap);
    COMMIT;
    RAISE NOTICE '%', online.revert_window(swap);
END
$$;
