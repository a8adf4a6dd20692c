-- Step 5 of a rollback, once verified: the swap finishes keeping <table>_partitioned (online.finish_swap: the capture
-- trigger dropped from the plain table under the lock discipline, ACCESS EXCLUSIVE for a catalog change, then the
-- capture's table and function); the capture's trigger on the kept partitioned table goes first (nobody uses that
-- table now); the kept table stops drawing ids from the sequence; the partition manager forgets the table.
-- Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.rollback_finish(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    record;
    kept regclass;
    said text;
BEGIN
    SELECT * INTO s FROM lab.rollback_state(table_name);
    IF s.next_step = 'done' THEN
        RETURN format('%s: rolled back before, nothing to do', s.table_name);
    ELSIF s.next_step <> 'finish' THEN
        RAISE EXCEPTION 'the rollback of % is not verified (%): %', s.table_name, s.next_step,
            CASE s.next_step WHEN 'verify' THEN 'verify first (online.verify_swap); a mismatch stays for you to look at' ELSE 'the window comes first' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    kept := to_regclass(s.kept_partitioned);
    PERFORM online.lock_relations(ARRAY[kept], ARRAY['ACCESS EXCLUSIVE'], format('finish the rollback of %s', s.table_name));
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = kept AND tgname = format('online_capture_%s', s.swap_id)) THEN
        EXECUTE format('DROP TRIGGER %I ON %s', format('online_capture_%s', s.swap_id), kept); -- its clones on the partitions too
    END IF;
    PERFORM lab.stop_drawing_ids(kept);
    said := online.finish_swap(s.swap_id, true);
    EXECUTE format('COMMENT ON TABLE %s IS %L', kept,
                   format('Partition Lab: %s as it was partitioned until its rollback, verified identical to the plain table at the window; kept for comparison',
                          s.table_name));
    IF to_regclass('maintenance.partition_config') IS NOT NULL THEN
        DELETE FROM maintenance.partition_config WHERE parent_table = s.table_name;
    END IF;
    RETURN format('%s: a plain table again, every row of the partitioned table at the window and every change since; the partitioned table kept as %s (%s)',
                  s.table_name, s.kept_partitioned, said);
END
$$;
