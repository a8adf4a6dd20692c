-- Where the advisor's migration of a plain table to a layout other than months stands (hash, list, two levels, weeks,
-- days): the copy-with-capture-then-rename of sql/advisor (the online migration of sql/migrate/online does months
-- only). The partitioned table is prepared empty as <table>_next by the plan's own DDL, filled in batches while a
-- capture records the changes (online.stage), and takes the name in one short window (lab.table_window); the plain
-- table is kept as <table>_old. next_step is what runs next:
--   prepare  <table>_next does not exist yet       begin  it does, partitioned: the capture and the copy begin
--   copy     the copy is under way                 verify the window committed      finish  verified      done
-- Refusals (SQLSTATE 22023, nothing changed): no such table; a partitioned table (nothing to apply); what the copy
-- cannot carry over (no primary key of one column, foreign keys, triggers, views on it, unique indexes besides the
-- key, identity columns); a <table>_old or a <table>_next that is not partitioned in the way.
CREATE OR REPLACE FUNCTION lab.replace_state(target text)
RETURNS TABLE (table_name text, schema_name text, relation text, key_column text, next_step text, staged text, kept_table text,
               swap_id bigint, swap_state text, rows_staged bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tbl  regclass := to_regclass(target);
    cls  pg_class;
    swap online.swaps;
    pk   text[];
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'no table %', coalesce(target, '(none given)') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO cls FROM pg_class WHERE oid = tbl;
    schema_name := (SELECT nspname FROM pg_namespace WHERE oid = cls.relnamespace);
    relation := cls.relname;
    replace_state.table_name := format('%I.%I', schema_name, relation);
    staged := format('%I.%I', schema_name, left(relation, 58) || '_next');
    kept_table := format('%I.%I', schema_name, left(relation, 59) || '_old');
    swap := lab.replacing_swap('advisor migration of ' || replace_state.table_name, tbl, kept_table);
    IF swap.swap_id IS NOT NULL THEN
        swap_id := swap.swap_id;
        swap_state := swap.state;
        rows_staged := swap.rows_staged;
        next_step := CASE swap.state WHEN 'staging' THEN 'copy' WHEN 'swapped' THEN 'verify' WHEN 'verified' THEN 'finish' ELSE 'done' END;
        key_column := online.key_list(swap.parent, '');
        RETURN NEXT;
        RETURN;
    END IF;
    IF cls.relkind <> 'r' THEN
        RAISE EXCEPTION '% is %: the plan migrates a plain table', replace_state.table_name,
            CASE cls.relkind WHEN 'p' THEN 'partitioned already' ELSE 'not a table' END USING ERRCODE = 'invalid_parameter_value';
    ELSIF cls.relispartition OR EXISTS (SELECT FROM pg_inherits WHERE inhrelid = tbl OR inhparent = tbl) THEN
        RAISE EXCEPTION '% takes part in inheritance or partitioning: the plan moves plain tables only', replace_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    pk := ARRAY(SELECT a.attname::text FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) AS k(attnum)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = tbl AND i.indisprimary);
    IF cardinality(pk) <> 1 THEN
        RAISE EXCEPTION '% needs a primary key of one column (it has %): the copy follows rows by it', replace_state.table_name,
            coalesce(nullif(array_to_string(pk, ', '), ''), 'none') USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND (conrelid = tbl OR confrelid = tbl)) THEN
        RAISE EXCEPTION '% has foreign keys to or from it: the plan does not move them', replace_state.table_name USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tbl AND NOT tgisinternal) THEN
        RAISE EXCEPTION '% has triggers: the partitioned table would not have them', replace_state.table_name USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                  WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = tbl AND r.ev_class <> tbl) THEN
        RAISE EXCEPTION 'views read %: after the window they would go on reading the old table', replace_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_index i WHERE i.indrelid = tbl AND i.indisunique AND NOT i.indisprimary) THEN
        RAISE EXCEPTION '% has unique indexes besides its key: a partitioned table enforces them only with the partition key', replace_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attidentity <> '') THEN
        RAISE EXCEPTION '% has an identity column: the partitioned table would number rows with a sequence of its own', replace_state.table_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(kept_table) IS NOT NULL THEN
        RAISE EXCEPTION 'a table % exists already: rename or drop it first', kept_table USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(staged) IS NOT NULL AND (SELECT relkind FROM pg_class WHERE oid = to_regclass(staged)) <> 'p' THEN
        RAISE EXCEPTION 'a table % exists already and is not partitioned: rename or drop it first', staged USING ERRCODE = 'invalid_parameter_value';
    END IF;
    key_column := pk[1];
    next_step := CASE WHEN to_regclass(staged) IS NULL THEN 'prepare' ELSE 'begin' END;
    RETURN NEXT;
END
$$;
