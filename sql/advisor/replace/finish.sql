-- The end of an advisor migration, once verified (lab.table_finish): the capture removed (ACCESS EXCLUSIVE on the
-- partitioned table, its partitions and <table>_old, for catalog changes, under the lock discipline), <table>_old kept,
-- no longer drawing ids; the table marked partitioned online, so that its plan's rollback knows it. Done before:
-- changes nothing.
CREATE OR REPLACE FUNCTION lab.replace_finish(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    record;
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
    said := lab.table_finish(s.swap_id,
        format('Partition Lab: partitioned online by the advisor''s plan (%s)', pg_get_partkeydef(to_regclass(s.table_name))),
        format('Partition Lab: %s before the advisor''s migration, verified identical to its partitions at the window; kept for comparison', s.table_name));
    RETURN format('%s: %s, %s partitions; the original kept as %s (%s)', s.table_name, pg_get_partkeydef(to_regclass(s.table_name)),
                  (SELECT count(*) FROM pg_partition_tree(to_regclass(s.table_name)) WHERE isleaf), s.kept_table, said);
END
$$;
