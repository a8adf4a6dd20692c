-- Re-partitioning helpers (schema lab), shared by the scenario files in sql/repartition. Needs
-- sql/base/00_lab_functions.sql. Safe to run again: every function is created or replaced.
--
-- The technique, for every scenario that changes which partitions cover a range of a RANGE-partitioned table:
--   1. stage (no strong lock, writers go on): each new partition is built as a standalone table (LIKE the parent,
--      with its indexes) holding a copy of the range's rows, plus a CHECK constraint matching its future bound;
--   2. swap (one short transaction): lock the parent, then the DEFAULT (the order writers lock them in, so no
--      writer can deadlock with the swap); top up the staged copies with rows written since; detach the old
--      partitions; ATTACH the staged tables (their CHECK lets PostgreSQL skip the validation scan); verify that the
--      range holds exactly the rows it held before (count and checksum), else roll everything back.
-- Parameters travel as arguments; every identifier is formatted with %I or resolved to a regclass, every value
-- with %L: nothing is spliced in as text. Every function runs with search_path pg_catalog, so the names it
-- reports are schema-qualified and no object on a user's search_path can stand in for a built-in.

-- A test (or a curious learner) can make a scenario fail at a named step: SET lab.fail_at = 'staged'. The
-- scenario's transaction rolls back, and the layout and the data stay as they were.
CREATE OR REPLACE FUNCTION lab.fail_point(step text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF current_setting('lab.fail_at', true) = step THEN
        RAISE EXCEPTION 'failure injected at step "%" (lab.fail_at): the step''s transaction rolls back', step;
    END IF;
END
$$;

-- A relation name given as text ('app.event_logs_2024_04'), quoted safely; parse_ident rejects anything that is
-- not one or two plain identifiers (so no SQL can ride along).
CREATE OR REPLACE FUNCTION lab.quoted_name(relation text) RETURNS text LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts text[] := parse_ident(relation);
BEGIN
    IF array_length(parts, 1) <> 2 THEN
        RAISE EXCEPTION 'expected a schema-qualified name such as app.event_logs_2024_04, not %', relation
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN format('%I.%I', parts[1], parts[2]);
END
$$;

-- The one column a table is RANGE-partitioned on (NULL when it is not partitioned that way).
CREATE OR REPLACE FUNCTION lab.range_key(parent regclass) RETURNS name LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.attname
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent AND p.partstrat = 'r' AND p.partnatts = 1
$$;

-- "key >= lower AND key < upper" for a table's range key, the values cast to the key's type.
CREATE OR REPLACE FUNCTION lab.range_condition(parent regclass, lower text, upper text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('(%1$I >= %2$L::%4$s AND %1$I < %3$L::%4$s)', a.attname, lower, upper, format_type(a.atttypid, a.atttypmod))
    FROM pg_attribute a
    WHERE a.attrelid = parent AND a.attname = lab.range_key(parent)
$$;

-- The table's columns in order, each prefixed with an alias ('t.id, t.event_type, ...'), or bare with ''.
CREATE OR REPLACE FUNCTION lab.column_list(rel regclass, alias text) RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT string_agg(CASE WHEN alias = '' THEN quote_ident(attname) ELSE quote_ident(alias) || '.' || quote_ident(attname) END,
                      ', ' ORDER BY attnum)
    FROM pg_attribute
    WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$$;

-- The direct partitions of a RANGE-partitioned table with their bounds as text (NULL bounds for the DEFAULT).
CREATE OR REPLACE FUNCTION lab.range_leaves(parent regclass)
RETURNS TABLE (leaf regclass, lower_bound text, upper_bound text, is_default boolean) LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass,
           (regexp_match(b.bound, 'FROM \(''([^'']*)''\) TO'))[1],
           (regexp_match(b.bound, 'TO \(''([^'']*)''\)'))[1],
           b.bound = 'DEFAULT'
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) AS b
    WHERE i.inhparent = parent
$$;

-- Whether a <= b for two values of the table's range key type (bounds come from the catalogs as text).
CREATE OR REPLACE FUNCTION lab.key_le(parent regclass, a text, b text) RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    key_type text := (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                      WHERE attrelid = parent AND attname = lab.range_key(parent));
    result boolean;
BEGIN
    EXECUTE format('SELECT %L::%s <= %L::%s', a, key_type, b, key_type) INTO result;
    RETURN result;
END
$$;

-- The rows of a range, wherever they are now: in the table (through its partitions and DEFAULT) and, when
-- restoring, in its archive (rows there are the parent's columns plus archived_at and archive_reason). UNION,
-- not UNION ALL: a row both live and archived (a copy made by a detach that rolled back) counts once.
CREATE OR REPLACE FUNCTION lab.range_source(parent regclass, lower text, upper text, archive regclass DEFAULT NULL)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('(SELECT %s FROM %s AS t WHERE %s', lab.column_list(parent, 't'), parent, lab.range_condition(parent, lower, upper))
        || CASE WHEN archive IS NULL THEN '' ELSE
               format(' UNION SELECT %s FROM %s AS t WHERE %s', lab.column_list(parent, 't'), archive,
                      lab.range_condition(parent, lower, upper)) END
        || ')'
$$;

-- Row count and checksum (sum of a 64-bit hash of each whole row, as sql/lab/table_fingerprint.sql computes it)
-- of the rows a query returns: equal fingerprints before and after a move mean the same rows.
CREATE OR REPLACE FUNCTION lab.rows_fingerprint(source text, parent regclass, OUT row_count bigint, OUT row_checksum numeric)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(ROW(%s)::text, 0)::numeric), 0) FROM %s AS t',
                   lab.column_list(parent, 't'), source)
        INTO row_count, row_checksum;
END
$$;

-- Step 1 of the technique: a standalone copy of one future partition. Creates the table if needed (LIKE the
-- parent: columns, defaults, indexes, primary key), with a CHECK constraint matching its bound (named
-- <table>_bound) so ATTACH can skip its validation scan, then copies the range's rows it does not hold yet.
-- Takes no lock that blocks writers; run again, it only adds the rows written since. Returns the rows copied.
CREATE OR REPLACE FUNCTION lab.stage_partition(parent regclass, new_table text, lower text, upper text,
                                               archive regclass DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target  text     := lab.quoted_name(new_table);
    staged  regclass := to_regclass(new_table);
    copied  bigint;
BEGIN
    IF staged IS NOT NULL AND (SELECT relispartition FROM pg_class WHERE oid = staged) THEN
        RETURN 0; -- attached already: nothing to stage
    END IF;
    IF staged IS NULL THEN
        EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING ALL)', target, parent);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL AND %s)', target,
                       (parse_ident(new_table))[2] || '_bound', lab.range_key(parent), lab.range_condition(parent, lower, upper));
        EXECUTE format('COMMENT ON TABLE %s IS %L', target,
                       format('Partition Lab: staged for %s FOR VALUES FROM (%L) TO (%L), not attached yet', parent, lower, upper));
    END IF;
    EXECUTE format('INSERT INTO %s SELECT * FROM %s AS s ON CONFLICT DO NOTHING', target, lab.range_source(parent, lower, upper, archive));
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END
$$;

-- Step 2 of the technique, inside the caller's transaction: the range [lower, upper) of parent ends up covered by
-- new_tables (staged with lab.stage_partition, bounds in new_lowers/new_uppers) instead of the partitions that
-- cover it now, which are detached and dropped. Rows of the range in the DEFAULT move into the new partitions;
-- rows no new partition covers go back through the parent (into the DEFAULT). With restore_from, archived rows of
-- the range move back too. Raises, so that everything rolls back, unless the range holds exactly the same rows
-- afterwards (with restore_from, the new partitions must cover the whole range). Returns one row: the fingerprints,
-- and what was detached and attached; no row when the range already had its partitions (nothing changed).
CREATE OR REPLACE FUNCTION lab.swap_range(parent regclass, lower text, upper text,
                                          new_tables text[], new_lowers text[], new_uppers text[],
                                          restore_from regclass DEFAULT NULL)
RETURNS TABLE (moved_range text, rows_before bigint, checksum_before numeric, rows_after bigint, checksum_after numeric,
               detached text, attached text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    whole       text := lab.range_condition(parent, lower, upper);
    covered     text := 'false';
    default_leaf regclass;
    old_leaves  regclass[] := '{}';
    to_attach   int[] := '{}';
    leaf        record;
    i           int;
    new_rel     regclass;
    messages    text;
    before_fp   record;
    after_fp    record;
    archived_rows bigint := 0;
    detached_names text; -- named before the old partitions are dropped
BEGIN
    IF lab.range_key(parent) IS NULL THEN
        RAISE EXCEPTION '% is not partitioned by RANGE on one column', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 1 .. coalesce(array_length(new_tables, 1), 0) LOOP
        covered := covered || ' OR ' || lab.range_condition(parent, new_lowers[i], new_uppers[i]);
    END LOOP;

    -- What covers the range now: partitions inside it are replaced; one reaching outside it is a mistake.
    FOR leaf IN SELECT * FROM lab.range_leaves(parent) LOOP
        IF leaf.is_default THEN
            default_leaf := leaf.leaf;
        ELSIF NOT lab.key_le(parent, upper, leaf.lower_bound) AND NOT lab.key_le(parent, leaf.upper_bound, lower) THEN
            IF NOT (lab.key_le(parent, lower, leaf.lower_bound) AND lab.key_le(parent, leaf.upper_bound, upper)) THEN
                RAISE EXCEPTION '% (FROM % TO %) reaches outside the range % .. %', leaf.leaf, leaf.lower_bound,
                    leaf.upper_bound, lower, upper USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF NOT leaf.leaf = ANY (SELECT to_regclass(t) FROM unnest(new_tables) AS t WHERE to_regclass(t) IS NOT NULL) THEN
                old_leaves := old_leaves || leaf.leaf;
            END IF;
        END IF;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(new_tables, 1), 0) LOOP
        new_rel := to_regclass(new_tables[i]);
        IF new_rel IS NULL THEN
            RAISE EXCEPTION '% is not staged: run lab.stage_partition first', new_tables[i] USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF NOT (SELECT relispartition FROM pg_class WHERE oid = new_rel) THEN
            to_attach := to_attach || i;
        END IF;
    END LOOP;
    IF restore_from IS NOT NULL THEN
        EXECUTE format('SELECT count(*) FROM %s AS t WHERE %s', restore_from, whole) INTO archived_rows;
    END IF;
    IF cardinality(old_leaves) = 0 AND cardinality(to_attach) = 0 AND archived_rows = 0 THEN
        RAISE NOTICE '%: the range % .. % already has its partitions: nothing to do', parent, lower, upper;
        RETURN; -- no row: nothing changed
    END IF;

    -- Lock the parent first, then the DEFAULT, as writers do. DETACH needs the parent exclusively. ATTACH alone needs
    -- only SHARE UPDATE EXCLUSIVE, which lets writers go on; but with a DEFAULT partition, an INSERT already routed to
    -- the DEFAULT and waiting for its lock fails once the ATTACH commits (the row no longer fits the DEFAULT's
    -- constraint). So with a DEFAULT the parent is locked exclusively for the short swap: writers wait, none fails.
    EXECUTE format('LOCK TABLE ONLY %s IN %s MODE', parent,
                   CASE WHEN cardinality(old_leaves) > 0 OR default_leaf IS NOT NULL THEN 'ACCESS EXCLUSIVE' ELSE 'SHARE UPDATE EXCLUSIVE' END);
    IF default_leaf IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', default_leaf);
    END IF;

    -- The rows of the range now (no one can add any until we commit), wherever they are.
    before_fp := lab.rows_fingerprint(lab.range_source(parent, lower, upper, restore_from), parent);

    -- Top up the staged copies: drop rows changed or deleted since staging, add rows written since.
    FOREACH i IN ARRAY to_attach LOOP
        EXECUTE format('DELETE FROM %1$s AS t WHERE NOT EXISTS (SELECT 1 FROM %2$s AS s WHERE (%3$s) = (%4$s))',
                       to_regclass(new_tables[i]), lab.range_source(parent, new_lowers[i], new_uppers[i], restore_from),
                       lab.column_list(parent, 's'), lab.column_list(parent, 't'));
        PERFORM lab.stage_partition(parent, new_tables[i], new_lowers[i], new_uppers[i], restore_from);
    END LOOP;
    PERFORM lab.fail_point('staged');

    detached_names := (SELECT string_agg(l::text, ', ') FROM unnest(old_leaves) AS l);
    FOREACH new_rel IN ARRAY old_leaves LOOP
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, new_rel);
    END LOOP;
    -- Rows of the new partitions' ranges leave the DEFAULT and the archive: the staged tables hold them now.
    IF default_leaf IS NOT NULL AND cardinality(to_attach) > 0 THEN
        EXECUTE format('DELETE FROM %s WHERE %s', default_leaf, covered);
    END IF;
    IF restore_from IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s WHERE %s', restore_from, whole);
    END IF;
    PERFORM lab.fail_point('detached');

    -- One CHECK on the DEFAULT, validated once, spares PostgreSQL a scan of the DEFAULT for every ATTACH.
    IF default_leaf IS NOT NULL AND cardinality(to_attach) > 0 THEN
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT lab_swap_excludes_new_ranges CHECK (NOT (%s))', default_leaf, covered);
    END IF;
    -- DEBUG1 reports, for each ATTACH, whether PostgreSQL proved the bound from constraints or scanned.
    messages := current_setting('client_min_messages');
    PERFORM set_config('client_min_messages', 'debug1', true);
    FOREACH i IN ARRAY to_attach LOOP
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', parent,
                       to_regclass(new_tables[i]), new_lowers[i], new_uppers[i]);
    END LOOP;
    PERFORM set_config('client_min_messages', messages, true);
    FOREACH i IN ARRAY to_attach LOOP
        -- the partition bound says the same now; one check less per insert
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', to_regclass(new_tables[i]), (parse_ident(new_tables[i]))[2] || '_bound');
        EXECUTE format('COMMENT ON TABLE %s IS %L', to_regclass(new_tables[i]), 'Partition Lab: partition of ' || parent);
    END LOOP;
    IF default_leaf IS NOT NULL AND cardinality(to_attach) > 0 THEN
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT lab_swap_excludes_new_ranges', default_leaf);
    END IF;

    -- Rows of the old partitions that no new partition covers go back through the parent (into the DEFAULT).
    FOREACH new_rel IN ARRAY old_leaves LOOP
        EXECUTE format('INSERT INTO %s SELECT * FROM %s WHERE NOT (%s)', parent, new_rel, covered);
        EXECUTE format('DROP TABLE %s', new_rel);
    END LOOP;

    after_fp := lab.rows_fingerprint(lab.range_source(parent, lower, upper), parent);
    IF after_fp.row_count <> before_fp.row_count OR after_fp.row_checksum <> before_fp.row_checksum THEN
        RAISE EXCEPTION 'rows of % % .. % differ after the swap (% rows, checksum % before; % rows, checksum % after): rolled back',
            parent, lower, upper, before_fp.row_count, before_fp.row_checksum, after_fp.row_count, after_fp.row_checksum;
    END IF;
    PERFORM lab.fail_point('verified');

    RETURN QUERY SELECT format('%s .. %s', lower, upper), before_fp.row_count, before_fp.row_checksum,
                        after_fp.row_count, after_fp.row_checksum,
                        detached_names,
                        (SELECT string_agg(new_tables[j], ', ') FROM unnest(to_attach) AS j);
END
$$;
