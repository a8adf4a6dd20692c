-- Step 5 of a rollback, once verified (lab.table_finish): the capture removed (ACCESS EXCLUSIVE on the plain table and
-- on <table>_partitioned for catalog changes, under the lock discipline), <table>_partitioned kept, no longer drawing
-- ids; the partition manager forgets the table. Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.rollback_finish(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s    record;
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
    said := lab.table_finish(s.swap_id,
        format('Partition Lab: a plain table again, put back online by the rollback of its partitioning (swap %s)', s.swap_id),
        format('Partition Lab: %s as it was partitioned until its rollback, verified identical to the plain table at the window; kept for comparison',
               s.table_name));
    IF to_regclass('maintenance.partition_config') IS NOT NULL THEN
        DELETE FROM maintenance.partition_config WHERE parent_table = s.table_name;
    END IF;
    RETURN format('%s: a plain table again, every row of the partitioned table at the window and every change since; the partitioned table kept as %s (%s)',
                  s.table_name, s.kept_partitioned, said);
END
$$;
