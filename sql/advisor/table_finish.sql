-- The end of a table replaced by a copy of it (the advisor's rollback, and its migrations to other layouts), once
-- verified: under the lock discipline (ACCESS EXCLUSIVE on the table and on the kept one, for catalog changes), the
-- capture's trigger on whichever of them is partitioned goes first (its clones on the partitions with it: they cannot
-- be dropped one by one), the kept table stops drawing ids, and the swap finishes keeping it (online.finish_swap: the
-- last trigger, the capture's table and function). Returns what finish_swap says.
CREATE OR REPLACE FUNCTION lab.table_finish(swap bigint, table_comment text, kept_comment text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    w    online.swaps := online.swap_record(swap, ARRAY['verified', 'finished'], 'only a verified swap finishes (online.verify_swap first)');
    tbl  regclass := to_regclass(w.new_names[1]);
    kept regclass := to_regclass(w.old_kept[1]);
    rel  regclass;
    said text;
BEGIN
    PERFORM online.lock_relations(ARRAY[tbl, kept], ARRAY['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE'], format('finish %s', w.label));
    FOR rel IN SELECT c.oid FROM pg_class c WHERE c.oid IN (tbl, kept) AND c.relkind = 'p'
                 AND EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = format('online_capture_%s', swap)) LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', format('online_capture_%s', swap), rel);
    END LOOP;
    PERFORM lab.stop_drawing_ids(kept);
    said := online.finish_swap(swap, true);
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl, table_comment);
    EXECUTE format('COMMENT ON TABLE %s IS %L', kept, kept_comment);
    RETURN said;
END
$$;
