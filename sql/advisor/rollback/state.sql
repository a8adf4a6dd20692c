-- Where the rollback of an advisor plan stands for a table (the online migration of sql/migrate/online undone, online):
-- the table partitioned by that migration, the plain copy being filled (<table>_restored), the swap record
-- (online.swaps, label 'rollback of <table>') that carries the capture, the copy's progress and the window's
-- numbers. next_step is what runs next:
--   begin   partitioned by the online migration, no rollback under way: the copy and its capture begin
--   copy    the copy is under way (rows in batches, then the changes caught up in rounds)
--   window  (not a state of its own: copy runs until staged, then the window)
--   verify  the window committed: the table is plain again, the partitioned one kept as <table>_partitioned
--   finish  verified identical at the window: the capture to remove, the partitioned table to mark kept
--   done    rolled back before: nothing to do
-- Refusals (SQLSTATE 22023, nothing changed): no such table; a plain table no migration was applied to; a table
-- partitioned otherwise than by the online migration, or whose migration has not finished.
CREATE OR REPLACE FUNCTION lab.rollback_state(target text)
RETURNS TABLE (table_name text, schema_name text, relation text, partitioned_by text[], key_column text, next_step text,
               restored text, kept_partitioned text, swap_id bigint, swap_state text, rows_staged bigint, estimated_rows bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tbl  regclass := to_regclass(target);
    cls  pg_class;
    swap online.swaps;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'no table %', coalesce(target, '(none given)') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO cls FROM pg_class WHERE oid = tbl;
    schema_name := (SELECT nspname FROM pg_namespace WHERE oid = cls.relnamespace);
    relation := cls.relname;
    rollback_state.table_name := format('%I.%I', schema_name, relation);
    restored := format('%I.%I', schema_name, left(relation, 54) || '_restored');
    kept_partitioned := format('%I.%I', schema_name, left(relation, 51) || '_partitioned');
    IF cls.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', rollback_state.table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    swap := lab.replacing_swap('rollback of ' || rollback_state.table_name, tbl, kept_partitioned);

    IF swap.swap_id IS NOT NULL THEN
        swap_id := swap.swap_id;
        swap_state := swap.state;
        rows_staged := swap.rows_staged;
        next_step := CASE swap.state WHEN 'staging' THEN 'copy' WHEN 'swapped' THEN 'verify' WHEN 'verified' THEN 'finish' ELSE 'done' END;
    ELSIF cls.relkind = 'r' THEN
        RAISE EXCEPTION '% is not partitioned: no migration of it was applied, nothing to roll back', rollback_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF coalesce(obj_description(tbl, 'pg_class'), '') NOT LIKE 'Partition Lab: partitioned online%' THEN
        RAISE EXCEPTION '% is partitioned, but not by a finished online migration: nothing to roll back', rollback_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(kept_partitioned) IS NOT NULL THEN
        RAISE EXCEPTION 'a table % exists already: rename or drop it first', kept_partitioned USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(restored) IS NOT NULL THEN
        RAISE EXCEPTION 'a table % exists already: rename or drop it first', restored USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM online.swaps w WHERE w.parent = tbl AND w.state IN ('staging', 'swapped', 'verified')) THEN
        RAISE EXCEPTION 'a swap of % is under way: let it finish first', rollback_state.table_name USING ERRCODE = 'invalid_parameter_value';
    ELSE
        next_step := 'begin';
    END IF;
    partitioned_by := lab.partition_key_columns(coalesce(swap.parent, tbl));
    -- the original key: the partitioned table's primary key without its partition keys
    key_column := (SELECT string_agg(k, ', ') FROM unnest(string_to_array(online.key_list(coalesce(swap.parent, tbl), ''), ', ')) AS k
                   WHERE k <> ALL (SELECT quote_ident(c) FROM unnest(lab.partition_key_columns(coalesce(swap.parent, tbl))) AS c));
    estimated_rows := (SELECT sum(greatest(c.reltuples, 0))::bigint FROM pg_partition_tree(coalesce(swap.parent, tbl)) p
                       JOIN pg_class c ON c.oid = p.relid WHERE p.isleaf);
    RETURN NEXT;
END
$$;
