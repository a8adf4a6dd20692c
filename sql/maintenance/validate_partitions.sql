-- Checks each managed table (or the one named) and says what is wrong, one row per check with the number of
-- problems found and the details: partitions exist; every partition covers exactly one calendar month; no month
-- is missing between the oldest and the newest (a gap sends rows to the DEFAULT, or fails inserts without one);
-- no two partitions overlap; names follow the table's pattern; every index of the parent exists, valid, on every
-- partition; the DEFAULT holds no rows; the months ahead exist; nothing is past retention (as of today).
CREATE OR REPLACE FUNCTION maintenance.validate_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS TABLE (parent_table text, check_name text, ok boolean, problems bigint, detail text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config;
    default_part regclass;
    n            bigint;
    found_list   text;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name, true) LOOP
        parent_table := cfg.parent_table;
        IF to_regclass(cfg.parent_table) IS NULL THEN
            check_name := 'table exists'; ok := false; problems := 1; detail := 'the configured table is gone';
            RETURN NEXT;
            CONTINUE;
        END IF;
        IF to_regclass('pg_temp.maintenance_checked_parts') IS NULL THEN
            CREATE TEMP TABLE maintenance_checked_parts ON COMMIT DROP AS SELECT * FROM maintenance.partitions(cfg) WITH NO DATA;
        END IF;
        TRUNCATE maintenance_checked_parts;
        INSERT INTO maintenance_checked_parts SELECT * FROM maintenance.partitions(cfg);
        SELECT partition INTO default_part FROM maintenance_checked_parts WHERE is_default;

        SELECT count(*) INTO n FROM maintenance_checked_parts WHERE NOT is_default;
        check_name := 'partitions exist'; ok := n > 0; problems := CASE WHEN n = 0 THEN 1 ELSE 0 END;
        detail := format('%s partitions%s', n, CASE WHEN default_part IS NULL THEN ', no DEFAULT' ELSE ' and a DEFAULT' END);
        RETURN NEXT;

        SELECT count(*), string_agg(format('%s (%s to %s)', partition_name, lower_bound, upper_bound), ', ' ORDER BY lower_ts)
        INTO n, found_list FROM maintenance_checked_parts WHERE NOT is_default AND partition_month IS NULL;
        check_name := 'monthly bounds'; ok := n = 0; problems := n; detail := coalesce(found_list, 'every partition covers one calendar month');
        RETURN NEXT;

        SELECT count(*), string_agg(to_char(m, 'YYYY-MM'), ', ' ORDER BY m) INTO n, found_list
        FROM generate_series((SELECT min(lower_ts) FROM maintenance_checked_parts WHERE NOT is_default AND lower_ts > '-infinity'),
                             (SELECT max(upper_ts) FROM maintenance_checked_parts WHERE NOT is_default AND upper_ts < 'infinity') - interval '1 month',
                             interval '1 month') AS m
        WHERE NOT EXISTS (SELECT 1 FROM maintenance_checked_parts p
                          WHERE NOT p.is_default AND p.lower_ts < m + interval '1 month' AND p.upper_ts > m);
        check_name := 'no gaps'; ok := n = 0; problems := n; detail := coalesce('months without a partition: ' || found_list, 'none');
        RETURN NEXT;

        SELECT count(*), string_agg(a.partition_name || ' and ' || b.partition_name, ', ') INTO n, found_list
        FROM maintenance_checked_parts a JOIN maintenance_checked_parts b
          ON a.partition_name < b.partition_name AND a.lower_ts < b.upper_ts AND b.lower_ts < a.upper_ts
        WHERE NOT a.is_default AND NOT b.is_default;
        check_name := 'no overlaps'; ok := n = 0; problems := n; detail := coalesce(found_list, 'none');
        RETURN NEXT;

        SELECT count(*), string_agg(format('%s (expected %s)', partition_name,
                                           maintenance.partition_name(cfg, CASE WHEN is_default THEN NULL ELSE partition_month END)), ', ')
        INTO n, found_list
        FROM maintenance_checked_parts
        WHERE (is_default OR partition_month IS NOT NULL)
          AND (parse_ident(partition_name))[2] IS DISTINCT FROM maintenance.partition_name(cfg, CASE WHEN is_default THEN NULL ELSE partition_month END);
        check_name := 'names follow the pattern'; ok := n = 0; problems := n; detail := coalesce(found_list, cfg.name_pattern);
        RETURN NEXT;

        WITH declared AS (
            SELECT i.indexrelid, i.indisvalid FROM pg_index i WHERE i.indrelid = cfg.parent_table::regclass
        ), lacking AS (
            SELECT d.indexrelid, l.partition_name
            FROM declared d CROSS JOIN maintenance_checked_parts l
            -- the partition's index attached to the declared one, from pg_inherits alone: pg_partition_tree() would take
            -- ACCESS SHARE on every partition's index, and a swap's DETACH in its window (ACCESS EXCLUSIVE on the
            -- DEFAULT's indexes, which LOCK TABLE cannot take ahead) would time out behind a health check
            WHERE NOT EXISTS (SELECT 1 FROM pg_inherits ih JOIN pg_index li ON li.indexrelid = ih.inhrelid
                              WHERE ih.inhparent = d.indexrelid AND li.indrelid = l.partition)
        )
        SELECT count(*) + (SELECT count(*) FROM declared WHERE NOT indisvalid),
               concat_ws(', ', (SELECT string_agg(indexrelid::regclass || ' missing on ' || partition_name, ', ') FROM lacking),
                               (SELECT string_agg(indexrelid::regclass || ' is invalid', ', ') FROM declared WHERE NOT indisvalid))
        INTO n, found_list FROM lacking;
        check_name := 'indexes on every partition'; ok := n = 0; problems := n;
        detail := CASE WHEN n = 0 THEN format('%s indexes', (SELECT count(*) FROM pg_index WHERE indrelid = cfg.parent_table::regclass)) ELSE found_list END;
        RETURN NEXT;

        n := 0;
        IF default_part IS NOT NULL THEN
            EXECUTE format('SELECT count(*) FROM %s', default_part) INTO n;
        END IF;
        check_name := 'default partition empty'; ok := n = 0; problems := n;
        detail := CASE WHEN default_part IS NULL THEN 'no DEFAULT partition' ELSE format('%s rows in %s', n, default_part) END;
        RETURN NEXT;

        SELECT count(*), string_agg(to_char(m, 'YYYY-MM'), ', ' ORDER BY m) INTO n, found_list
        FROM generate_series(date_trunc('month', today), date_trunc('month', today) + make_interval(months => cfg.premake_months),
                             interval '1 month') AS m
        WHERE NOT EXISTS (SELECT 1 FROM maintenance_checked_parts p
                          WHERE NOT p.is_default AND p.lower_ts < m + interval '1 month' AND p.upper_ts > m);
        check_name := 'months ahead exist'; ok := n = 0; problems := n;
        detail := coalesce('missing: ' || found_list, format('this month and %s ahead', cfg.premake_months));
        RETURN NEXT;

        SELECT count(*), string_agg(d.partition_name, ', ') INTO n, found_list
        FROM maintenance.drop_old_partitions(cfg.parent_table, today, true) d WHERE d.action LIKE 'would %';
        check_name := 'nothing past retention'; ok := n = 0; problems := n;
        detail := coalesce('past retention: ' || found_list,
                           CASE WHEN cfg.retention_months IS NULL THEN 'keeps everything' ELSE format('%s months', cfg.retention_months) END);
        RETURN NEXT;
    END LOOP;
END
$$;
