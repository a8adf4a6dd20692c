-- The end of a plan's prepare step: <table>_next, created by the plan's DDL with its partitions, gets the primary key
-- (the table's key and every partition key of the layout) and the table's other indexes, named with _next until the
-- window. The tables are empty: catalog work. Reading the table's definition takes ACCESS SHARE on it, under the lock
-- discipline: readers and writers go on. Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.replace_keys(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       record;
    tbl     regclass;
    staged  regclass;
    pk_name text;
    idx     record;
    made    integer := 0;
BEGIN
    SELECT * INTO s FROM lab.replace_state(table_name);
    staged := to_regclass(s.staged);
    IF s.next_step <> 'begin' THEN
        RAISE EXCEPTION '% is not prepared (%): the plan''s DDL creates it first', s.staged, s.next_step USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_constraint WHERE conrelid = staged AND contype = 'p') THEN
        RETURN format('%s: keys and indexes made before', s.staged);
    END IF;
    tbl := to_regclass(s.table_name);
    PERFORM online.lock_relations(ARRAY[tbl], ARRAY['ACCESS SHARE'], format('prepare the partitioned table for %s', tbl));
    pk_name := (SELECT conname FROM pg_constraint WHERE conrelid = tbl AND contype = 'p');
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%s)', staged, lab.suffixed_index_name(pk_name, s.relation, '_next'),
                   (SELECT string_agg(quote_ident(c), ', ') FROM unnest(ARRAY[s.key_column] || ARRAY(
                        SELECT k FROM unnest(lab.partition_key_columns(staged)) AS k WHERE k <> s.key_column ORDER BY k)) AS c));
    FOR idx IN SELECT ic.relname, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               WHERE i.indrelid = tbl AND NOT i.indisprimary AND i.indisvalid ORDER BY ic.relname LOOP
        EXECUTE format('CREATE INDEX %I ON %s%s', lab.suffixed_index_name(idx.relname, s.relation, '_next'), staged,
                       substr(idx.definition, strpos(idx.definition, ' USING ')));
        made := made + 1;
    END LOOP;
    EXECUTE format('COMMENT ON TABLE %s IS %L', staged, format('Partition Lab: prepared by the advisor''s plan for %s; takes the name at the window', s.table_name));
    RETURN format('%s prepared: %s, PRIMARY KEY on the key and the partition keys, %s more indexes', s.staged,
                  pg_get_partkeydef(staged), made);
END
$$;
