-- Step 5 of an online swap, once verified: the capture stops (its triggers are dropped from the new partitions, each
-- under the lock discipline: DROP TRIGGER takes ACCESS EXCLUSIVE on the partition, for a catalog change), the old
-- partitions kept since the window are dropped (kept, as standalone tables, with keep_old), and so are the
-- capture's table and function. A trigger that cannot be
-- dropped within the budget stays, doing nothing (the swap is finished), and goes when this runs again.
-- Returns one line saying what it removed.
CREATE OR REPLACE FUNCTION online.finish_swap(swap bigint, keep_old boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s        online.swaps := online.swap_record(swap, ARRAY['verified', 'finished'], 'only a verified swap finishes (online.verify_swap first)');
    dropped  text[] := '{}';
    left_on  text[];
    k        text;
BEGIN
    UPDATE online.swaps w SET state = 'finished', ended_at = coalesce(w.ended_at, now()) WHERE w.swap_id = swap;
    FOREACH k IN ARRAY coalesce(s.old_kept, '{}') LOOP
        IF to_regclass(k) IS NOT NULL AND keep_old THEN
            EXECUTE format('COMMENT ON TABLE %s IS %L', to_regclass(k),
                           format('Partition Lab: the rows %s held before online swap %s (%s), verified identical; kept', s.parent, swap, s.label));
        ELSIF to_regclass(k) IS NOT NULL THEN
            PERFORM online.lock_relations(ARRAY[to_regclass(k)], ARRAY['ACCESS EXCLUSIVE'], format('drop %s', k));
            EXECUTE format('DROP TABLE %s', to_regclass(k));
            dropped := dropped || k;
        END IF;
    END LOOP;
    left_on := online.drop_capture(swap);
    RETURN format('swap %s finished: %s%s', swap,
                  CASE WHEN keep_old THEN 'kept ' || array_to_string(s.old_kept, ', ')
                       WHEN cardinality(dropped) = 0 THEN 'no old partition left to drop' ELSE 'dropped ' || array_to_string(dropped, ', ') END,
                  CASE WHEN cardinality(left_on) = 0 THEN '; capture removed'
                       ELSE format('; the capture trigger stays, inactive, on %s (in use: run online.finish_swap(%s) again later)',
                                   array_to_string(left_on, ', '), swap) END);
END
$$;

-- Removes a swap's capture: its triggers, each under the lock discipline (a few attempts: this is tidying up) in a
-- subtransaction of its own, then, once no trigger is left, its table and function. Returns the tables whose
-- trigger could not be dropped now.
CREATE OR REPLACE FUNCTION online.drop_capture(swap bigint) RETURNS text[]
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
    t       record;
    left_on text[] := '{}';
BEGIN
    FOR t IN SELECT tg.tgrelid::regclass AS rel FROM pg_trigger tg WHERE tg.tgname = format('online_capture_%s', swap) LOOP
        BEGIN
            PERFORM online.lock_relations(ARRAY[t.rel], ARRAY['ACCESS EXCLUSIVE'], format('drop the capture trigger on %s', t.rel),
                                          NULL, online.setting('lock_timeout_ms') * 3);
            EXECUTE format('DROP TRIGGER %I ON %s', format('online_capture_%s', swap), t.rel);
        EXCEPTION WHEN lock_not_available THEN
            left_on := left_on || t.rel::text;
        END;
    END LOOP;
    IF cardinality(left_on) = 0 THEN
        EXECUTE format('DROP TABLE IF EXISTS %s', s.delta);
        EXECUTE format('DROP FUNCTION IF EXISTS %s()', s.capture_function);
    END IF;
    RETURN left_on;
END
$$;
