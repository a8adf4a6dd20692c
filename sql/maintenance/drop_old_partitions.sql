-- Retention for each managed table (or the one named): the partitions wholly before the cutoff (see
-- retention_cutoff) leave the table the way its configuration says: dropped, detached (kept as a standalone
-- table), or detached and moved to its archive schema. A dry run (the default) only says what it would do.
-- Never touched, whatever the configuration: the DEFAULT partition, the newest partition, and a partition holding
-- any row at or after the cutoff (each reported as a 'keep' line with the reason). A retention override of 0 or
-- less is refused (SQLSTATE 22023). One line per partition, with its exact row count.
CREATE OR REPLACE FUNCTION maintenance.drop_old_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                           dry_run boolean DEFAULT true, retention_months integer DEFAULT NULL)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg       maintenance.partition_config;
    cutoff    date;
    newest    regclass;
    part      record;
    started   timestamptz;
    row_count bigint;
    old_rows  bigint;
    verb      text;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        cutoff := maintenance.retention_cutoff(cfg, today, drop_old_partitions.retention_months);
        CONTINUE WHEN cutoff IS NULL; -- the table keeps everything
        SELECT p.partition INTO newest FROM maintenance.partitions(cfg) p WHERE NOT p.is_default ORDER BY p.upper_ts DESC LIMIT 1;
        FOR part IN SELECT * FROM maintenance.partitions(cfg) p WHERE p.is_default OR p.upper_ts <= cutoff LOOP
            started := clock_timestamp();
            EXECUTE format('SELECT count(*), count(*) FILTER (WHERE %s) FROM %s',
                           maintenance.month_condition(cfg, NULL, cutoff), part.partition) INTO row_count, old_rows;
            IF part.is_default THEN
                IF old_rows > 0 THEN
                    RETURN NEXT ROW(cfg.parent_table, 'keep', part.partition_name, old_rows, 0::float8,
                                    format('the DEFAULT partition is never dropped: its %s rows older than the cutoff %s stay',
                                           old_rows, cutoff))::maintenance.action_line;
                END IF;
                CONTINUE;
            ELSIF part.partition = newest THEN
                RETURN NEXT ROW(cfg.parent_table, 'keep', part.partition_name, row_count, 0::float8,
                                format('the newest partition is never dropped (cutoff %s)', cutoff))::maintenance.action_line;
                CONTINUE;
            ELSIF row_count > old_rows THEN
                RETURN NEXT ROW(cfg.parent_table, 'keep', part.partition_name, row_count, 0::float8,
                                format('holds rows at or after the cutoff %s', cutoff))::maintenance.action_line;
                CONTINUE;
            END IF;
            IF cfg.retention_mode = 'archive'
               AND to_regclass(format('%I.%I', cfg.archive_schema, (parse_ident(part.partition_name))[2])) IS NOT NULL THEN
                RETURN NEXT ROW(cfg.parent_table, 'keep', part.partition_name, row_count, 0::float8,
                                format('cannot archive: %I.%I exists already (rename one of them)', cfg.archive_schema,
                                       (parse_ident(part.partition_name))[2]))::maintenance.action_line;
                CONTINUE;
            END IF;
            verb := cfg.retention_mode;
            IF NOT dry_run THEN
                IF cfg.retention_mode = 'drop' THEN
                    EXECUTE format('DROP TABLE %s', part.partition);
                ELSE
                    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', cfg.parent_table, part.partition);
                    EXECUTE format('COMMENT ON TABLE %s IS %L', part.partition,
                                   format('detached from %s by retention (cutoff %s) on %s', cfg.parent_table, cutoff, today));
                    IF cfg.retention_mode = 'archive' THEN
                        IF to_regnamespace(quote_ident(cfg.archive_schema)) IS NULL THEN
                            EXECUTE format('CREATE SCHEMA %I', cfg.archive_schema);
                        END IF;
                        EXECUTE format('ALTER TABLE %s SET SCHEMA %I', part.partition, cfg.archive_schema);
                    END IF;
                END IF;
            END IF;
            RETURN NEXT ROW(cfg.parent_table, CASE WHEN dry_run THEN 'would ' || verb ELSE verb END, part.partition_name,
                            row_count, extract(epoch FROM clock_timestamp() - started) * 1000,
                            format('older than the cutoff %s (retention %s months)', cutoff,
                                   coalesce(drop_old_partitions.retention_months, cfg.retention_months))
                            || CASE WHEN cfg.retention_mode = 'archive' THEN ' -> schema ' || quote_ident(cfg.archive_schema) ELSE '' END
                           )::maintenance.action_line;
        END LOOP;
    END LOOP;
END
$$;
