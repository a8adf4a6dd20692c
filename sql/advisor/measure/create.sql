-- The advisor's measurement, on the SCRATCH server only: the two layouts a sample is copied into, in schemas of
-- their own, dropped and made again on every run.
--   lab.schema_as_is.<table>:       the table as it is (columns, NOT NULL, primary key, indexes);
--   lab.schema_partitioned.<table>: the recommended layout, with partitions for the sample's range (range: one per
--                                   interval from lab.first to lab.last, and a DEFAULT for NULLs if the key may be
--                                   NULL; hash: lab.modulus; list: one per value and a DEFAULT; range_hash: each range
--                                   partition hashed again on lab.sub_column).
-- Defaults (a sequence's nextval) are left out: the copies take the sampled values as they are. PostgreSQL wants
-- the partition key in every primary key and unique index of a partitioned table: the primary key is widened with
-- the key; a unique index without it becomes a plain one there (a WARNING says so).
-- Parameters: lab.schema_as_is, lab.schema_partitioned, lab.table, lab.columns, lab.primary_key, lab.indexes (JSON, as
-- definition.sql reads them), lab.strategy (RANGE, LIST, HASH, RANGE_HASH), lab.column, lab.unit, lab.first,
-- lab.last, lab.modulus, lab.list_values (JSON array), lab.sub_column.
-- The schemas' DROP ... CASCADE lists every table it drops as a NOTICE: only this file's own WARNING is news.
SET client_min_messages = warning;
DO $$
DECLARE
    as_is_schema text := current_setting('lab.schema_as_is');
    part_schema  text := current_setting('lab.schema_partitioned');
    tbl          text := current_setting('lab.table');
    cols         json := current_setting('lab.columns')::json;
    pk           json := nullif(current_setting('lab.primary_key', true), '')::json;
    idx          json := coalesce(nullif(current_setting('lab.indexes', true), ''), '[]')::json;
    strategy     text := current_setting('lab.strategy');
    key          text := current_setting('lab.column');
    sub          text := nullif(current_setting('lab.sub_column', true), '');
    unit         text := nullif(current_setting('lab.unit', true), '');
    modulus      int  := coalesce(nullif(current_setting('lab.modulus', true), ''), '0')::int;
    list_values  json := coalesce(nullif(current_setting('lab.list_values', true), ''), '[]')::json;
    keys         text[] := array_remove(ARRAY[key, CASE WHEN strategy = 'RANGE_HASH' THEN sub END], NULL);
    column_list  text;
    as_is        text := format('%I.%I', as_is_schema, tbl);
    partitioned  text := format('%I.%I', part_schema, tbl);
    step         interval := ('1 ' || coalesce(unit, 'month'))::interval;
    bound        timestamptz;
    last_value   timestamptz;
    part_name    text;
    pk_columns   text[];
    ix           json;
    ix_columns   text[];
    i            int;
BEGIN
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', as_is_schema);
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', part_schema);
    EXECUTE format('CREATE SCHEMA %I', as_is_schema);
    EXECUTE format('CREATE SCHEMA %I', part_schema);

    SELECT string_agg(format('%I %s%s', c->>'name', c->>'type', CASE WHEN (c->>'not_null')::boolean THEN ' NOT NULL' ELSE '' END), ', ')
    INTO column_list FROM json_array_elements(cols) AS c;
    EXECUTE format('CREATE TABLE %s (%s)', as_is, column_list);
    EXECUTE format('CREATE TABLE %s (%s) PARTITION BY %s (%I)', partitioned, column_list,
                   CASE strategy WHEN 'RANGE_HASH' THEN 'RANGE' ELSE strategy END, key);

    IF strategy IN ('RANGE', 'RANGE_HASH') THEN
        bound := date_trunc(unit, current_setting('lab.first')::timestamptz);
        last_value := current_setting('lab.last')::timestamptz;
        WHILE bound <= last_value LOOP
            part_name := tbl || '_' || to_char(bound, CASE unit WHEN 'month' THEN 'YYYY_MM' ELSE 'YYYY_MM_DD' END);
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)%s', part_schema, part_name,
                           partitioned, bound, bound + step,
                           CASE WHEN strategy = 'RANGE_HASH' THEN format(' PARTITION BY HASH (%I)', sub) ELSE '' END);
            IF strategy = 'RANGE_HASH' THEN
                FOR i IN 0 .. modulus - 1 LOOP
                    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                                   part_schema, part_name || '_h' || i, part_schema, part_name, modulus, i);
                END LOOP;
            END IF;
            bound := bound + step;
        END LOOP;
        -- a key that may be NULL: its NULLs have no range to go to
        IF NOT (SELECT (c->>'not_null')::boolean FROM json_array_elements(cols) AS c WHERE c->>'name' = key) THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', part_schema, tbl || '_default', partitioned);
        END IF;
    ELSIF strategy = 'HASH' THEN
        FOR i IN 0 .. modulus - 1 LOOP
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                           part_schema, tbl || '_h' || i, partitioned, modulus, i);
        END LOOP;
    ELSE -- LIST
        FOR i IN 0 .. json_array_length(list_values) - 1 LOOP
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES IN (%L)',
                           part_schema, tbl || '_l' || i, partitioned, list_values->>i);
        END LOOP;
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', part_schema, tbl || '_default', partitioned);
    END IF;

    IF pk IS NOT NULL THEN
        SELECT array_agg(p) INTO pk_columns FROM json_array_elements_text(pk) AS p;
        EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%s)', as_is,
                       (SELECT string_agg(quote_ident(p), ', ') FROM unnest(pk_columns) AS p));
        EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (%s)', partitioned,
                       (SELECT string_agg(quote_ident(p), ', ') FROM unnest(pk_columns || array(SELECT k FROM unnest(keys) AS k WHERE k <> ALL (pk_columns))) AS p));
    END IF;

    FOR ix IN SELECT * FROM json_array_elements(idx) LOOP
        SELECT coalesce(array_agg(x), '{}') INTO ix_columns FROM json_array_elements_text(ix->'columns') AS x;
        EXECUTE format('CREATE %sINDEX ON %s%s', CASE WHEN (ix->>'unique')::boolean THEN 'UNIQUE ' ELSE '' END, as_is, ix->>'using');
        IF (ix->>'unique')::boolean AND NOT keys <@ ix_columns THEN
            RAISE WARNING 'unique index % lacks the partition key: a plain index on the partitioned copy', ix->>'name';
            EXECUTE format('CREATE INDEX ON %s%s', partitioned, ix->>'using');
        ELSE
            EXECUTE format('CREATE %sINDEX ON %s%s', CASE WHEN (ix->>'unique')::boolean THEN 'UNIQUE ' ELSE '' END, partitioned, ix->>'using');
        END IF;
    END LOOP;
END
$$;

-- What was made: each copy and how many partitions it has.
SELECT format('%I.%I', s.nspname, c.relname) AS copy_table,
       (SELECT count(*) FROM pg_partition_tree(c.oid) t WHERE t.isleaf AND t.relid <> c.oid) AS partitions
FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
WHERE s.nspname IN (current_setting('lab.schema_as_is'), current_setting('lab.schema_partitioned')) AND c.relname = current_setting('lab.table')
ORDER BY s.nspname = current_setting('lab.schema_partitioned');
