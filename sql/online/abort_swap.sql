-- Gives up a swap before its window: the capture stops at once (its trigger does nothing for an aborted swap),
-- the staged tables are dropped, and the DEFAULT's helper CHECK and the capture triggers are removed under the
-- lock discipline; what cannot be removed now (a session holds the table) stays harmless and goes with the next
-- swap of the table, or with online.abort_swap called again. The table's partitions and rows never changed.
CREATE OR REPLACE FUNCTION online.abort_swap(swap bigint) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       online.swaps := online.swap_record(swap, ARRAY['staging', 'aborted'], 'only a swap before its window can be aborted');
    n       text;
    helper_left boolean := false;
    left_on text[];
BEGIN
    UPDATE online.swaps w SET state = 'aborted', ended_at = coalesce(w.ended_at, now()) WHERE w.swap_id = swap;
    FOREACH n IN ARRAY s.staged_names LOOP
        IF to_regclass(n) IS NOT NULL AND NOT (SELECT relispartition FROM pg_class WHERE oid = to_regclass(n)) THEN
            EXECUTE format('DROP TABLE %s', to_regclass(n));
        END IF;
    END LOOP;
    IF s.default_helper IS NOT NULL AND EXISTS (SELECT FROM pg_constraint WHERE conname = s.default_helper) THEN
        BEGIN
            PERFORM online.lock_relations(ARRAY[online.default_partition(s.parent)], ARRAY['ACCESS EXCLUSIVE'],
                                          format('drop %s', s.default_helper), NULL, online.setting('lock_timeout_ms') * 3);
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', online.default_partition(s.parent), s.default_helper);
        EXCEPTION WHEN lock_not_available THEN
            helper_left := true;
        END;
    END IF;
    left_on := online.drop_capture(swap);
    RETURN format('swap %s aborted: nothing of %s changed%s%s', swap, s.parent,
                  CASE WHEN cardinality(left_on) = 0 THEN '' ELSE format('; the capture trigger stays, inactive, on %s', array_to_string(left_on, ', ')) END,
                  CASE WHEN helper_left THEN format('; the CHECK %s stays on the DEFAULT (true while the partitions stay)', s.default_helper) ELSE '' END);
END
$$;

-- What aborted or finished swaps of a table left behind because a session held it then: inactive capture triggers
-- and a DEFAULT's helper CHECK. Removed under the lock discipline; run before a new swap of the table.
CREATE OR REPLACE FUNCTION online.tidy(parent regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s online.swaps;
BEGIN
    FOR s IN SELECT * FROM online.swaps w WHERE w.parent = tidy.parent AND w.state IN ('aborted', 'finished', 'reverted')
                                           AND (to_regclass(w.delta) IS NOT NULL
                                                OR w.default_helper IS NOT NULL AND EXISTS (SELECT FROM pg_constraint WHERE conname = w.default_helper)) LOOP
        IF s.state = 'aborted' THEN
            PERFORM online.abort_swap(s.swap_id);
        ELSE
            PERFORM online.drop_capture(s.swap_id);
        END IF;
    END LOOP;
END
$$;

-- Before a table is dropped to start over (a lesson resetting its tables): every swap of it that did not end is
-- marked aborted, and what it made (staged tables, capture table, function and triggers) is dropped with it. Takes no
-- care of the lock discipline: the table is about to go anyway.
CREATE OR REPLACE FUNCTION online.forget(parent regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s online.swaps;
    n text;
BEGIN
    FOR s IN SELECT * FROM online.swaps w WHERE w.parent = forget.parent LOOP
        FOREACH n IN ARRAY s.staged_names || coalesce(s.old_kept, '{}') LOOP
            IF to_regclass(n) IS NOT NULL AND NOT (SELECT relispartition FROM pg_class WHERE oid = to_regclass(n)) THEN
                EXECUTE format('DROP TABLE %s', to_regclass(n));
            END IF;
        END LOOP;
        EXECUTE format('DROP TABLE IF EXISTS %s', s.delta);
        EXECUTE format('DROP FUNCTION IF EXISTS %s() CASCADE', s.capture_function);
    END LOOP;
    DELETE FROM online.swaps w WHERE w.parent = forget.parent;
END
$$;
