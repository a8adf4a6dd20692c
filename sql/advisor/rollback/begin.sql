-- Step 1 of a rollback: the original plain table is rebuilt beside the partitioned one as <table>_restored, empty:
-- the same columns and defaults (ids from the same sequence), the original primary key (the partitioned key
-- without its time column), the same other indexes (named with _restored until the window). A capture trigger on
-- the partitioned table (cloned onto each partition, and onto any created later) records every change from now on,
-- in an online swap record (online.swaps, label 'rollback of <table>'), so that the copy (online.stage) and its
-- catch-up rounds, the window's catch-up (online.apply_changes) and the verification (online.verify_swap) are the
-- online discipline's own. The partition manager stops managing the table (disabled now, its configuration removed
-- at the finish), so that no partition appears meanwhile.
-- Locks, under the lock discipline: ACCESS SHARE on the table while the empty copy is made (nobody waits), then
-- SHARE ROW EXCLUSIVE on the table and its partitions (every level) for a moment (CREATE TRIGGER): writers wait that moment,
-- readers go on. Begun before: returns the same swap.
CREATE OR REPLACE FUNCTION lab.rollback_begin(table_name text) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       record;
    tbl     regclass;
    leaves  text[];
    pk_name text;
    idx     record;
    id      bigint;
    capture text;
BEGIN
    SELECT * INTO s FROM lab.rollback_state(table_name);
    IF s.next_step <> 'begin' THEN
        IF s.next_step = 'copy' THEN
            RETURN s.swap_id;
        END IF;
        RAISE EXCEPTION 'the rollback of % is past its begin (%)', s.table_name, s.next_step USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    PERFORM online.lock_relations(ARRAY[tbl], ARRAY['ACCESS SHARE'], format('begin the rollback of %s', tbl));
    pk_name := (SELECT conname FROM pg_constraint WHERE conrelid = tbl AND contype = 'p');
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE '
                   'INCLUDING COMPRESSION INCLUDING COMMENTS) WITH (autovacuum_enabled = false)', s.restored, tbl);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%s)', s.restored,
                   lab.suffixed_index_name(pk_name, s.relation, '_restored'), s.key_column);
    FOR idx IN SELECT ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               WHERE i.indrelid = tbl AND NOT i.indisprimary ORDER BY ic.relname LOOP
        EXECUTE format('CREATE %sINDEX %I ON %s%s', CASE WHEN idx.indisunique THEN 'UNIQUE ' ELSE '' END,
                       lab.suffixed_index_name(idx.relname, s.relation, '_restored'), s.restored,
                       substr(idx.definition, strpos(idx.definition, ' USING ')));
    END LOOP;
    EXECUTE format('COMMENT ON TABLE %s IS %L', s.restored,
                   format('Partition Lab: %s as a plain table again, being filled by its rollback; takes the name at the window', s.table_name));
    IF to_regclass('maintenance.partition_config') IS NOT NULL THEN
        UPDATE maintenance.partition_config SET enabled = false, updated_at = now() WHERE parent_table = s.table_name;
    END IF;

    -- last, and only for catalog changes: the capture on the partitioned table (SHARE ROW EXCLUSIVE on it and on each
    -- partition: writers wait a moment, readers do not); the partitions read once the table is locked, so none is missed
    PERFORM online.lock_relations(ARRAY(SELECT relid FROM pg_partition_tree(tbl) ORDER BY level, relid::regclass::text),
                                  array_fill('SHARE ROW EXCLUSIVE'::text, ARRAY[(SELECT count(*)::int FROM pg_partition_tree(tbl))]),
                                  format('begin the rollback of %s', tbl));
    leaves := ARRAY(SELECT format('%I.%I', n.nspname, c.relname) FROM pg_partition_tree(tbl) p JOIN pg_class c ON c.oid = p.relid
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE p.isleaf ORDER BY 1);
    INSERT INTO online.swaps (parent, label, old_leaves, old_lowers, old_uppers, old_conditions, new_names, staged_names,
                              new_lowers, new_uppers, new_conditions, capture_function, delta)
    VALUES (tbl, 'rollback of ' || s.table_name, leaves, array_fill(NULL::text, ARRAY[cardinality(leaves)]),
            array_fill(NULL::text, ARRAY[cardinality(leaves)]), array_fill('true'::text, ARRAY[cardinality(leaves)]),
            ARRAY[s.table_name], ARRAY[s.restored], ARRAY[NULL::text], ARRAY[NULL::text], ARRAY['true'], 'pending', 'pending')
    RETURNING swap_id INTO id;
    capture := online.create_capture(id);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   format('online_capture_%s', id), tbl, capture);
    RETURN id;
END
$$;
