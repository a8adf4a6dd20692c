-- The end of an advisor migration, once verified: the capture's trigger on the partitioned table goes (its clones on
-- the partitions with it; ACCESS EXCLUSIVE on the table and its partitions for a catalog change, under the lock
-- discipline), then the swap finishes keeping <table>_old (online.finish_swap: its trigger, the capture's table and
-- function), which stops drawing ids; the table is marked partitioned online, so that its plan's rollback knows it.
-- Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.replace_finish(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    record;
    tbl  regclass;
    kept regclass;
    said text;
BEGIN
    SELECT * INTO s FROM lab.replace_state(table_name);
    IF s.next_step = 'done' THEN
        RETURN format('%s: migrated before, nothing to do', s.table_name);
    ELSIF s.next_step <> 'finish' THEN
        RAISE EXCEPTION 'the migration of % is not verified (%): %', s.table_name, s.next_step,
            CASE s.next_step WHEN 'verify' THEN 'verify first (online.verify_swap); a mismatch stays for you to look at' ELSE 'the window comes first' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    kept := to_regclass(s.kept_table);
    PERFORM online.lock_relations(ARRAY[tbl, kept], ARRAY['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE'], format('finish the advisor migration of %s', tbl));
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tbl AND tgname = format('online_capture_%s', s.swap_id)) THEN
        EXECUTE format('DROP TRIGGER %I ON %s', format('online_capture_%s', s.swap_id), tbl);
    END IF;
    PERFORM lab.stop_drawing_ids(kept);
    said := online.finish_swap(s.swap_id, true);
    EXECUTE format('COMMENT ON TABLE %s IS %L', kept,
                   format('Partition Lab: %s before the advisor''s migration, verified identical to its partitions at the window; kept for comparison', s.table_name));
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl, format('Partition Lab: partitioned online by the advisor''s plan (%s)', pg_get_partkeydef(tbl)));
    RETURN format('%s: %s, %s partitions; the original kept as %s (%s)', s.table_name, pg_get_partkeydef(tbl),
                  (SELECT count(*) FROM pg_partition_tree(tbl) WHERE isleaf), s.kept_table, said);
END
$$;
