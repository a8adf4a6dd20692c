-- Retention for each managed table (or the one named): the partitions wholly before the cutoff (see
-- retention_cutoff, expired_partitions) leave the table the way its configuration says: dropped, detached (kept as a
-- standalone table), or detached and moved to its archive schema. A dry run (the default) only says what it would
-- do, with each partition's exact row count (it counts them). Never touched, whatever the configuration: the DEFAULT
-- partition (its rows older than the cutoff stay, in a 'keep' line) and the newest partition. A retention override
-- of 0 or less is refused (SQLSTATE 22023).
-- Applied, each table's partitions go in one exclusive window under the lock discipline (maintenance.lock_relations):
-- DROP TABLE and DETACH PARTITION take ACCESS EXCLUSIVE on the parent, the partition and the DEFAULT, so readers
-- and writers of the table wait for the window; it only changes catalogs (no row is read or written, window_rows 0),
-- so its length does not grow with the partitions' rows. One window per table rather than per partition: the same
-- catalog work, one commit instead of one per partition (measured: see the README). The rows of an applied line are
-- the statistics' estimate: counting every row of a partition that is about to go would read it all.
-- One line per partition. Called for every table at once (table_name NULL) it is one transaction, so each table's
-- locks last until the last table is done: name one table, or CALL maintenance.run_maintenance_proc.
CREATE OR REPLACE FUNCTION maintenance.drop_old_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                           dry_run boolean DEFAULT true, retention_months integer DEFAULT NULL)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config;
    parent       regclass;
    cutoff       date;
    default_part regclass;
    old_rows     bigint;
    part         record;
    going        regclass[];
    going_names  text[];
    estimates    bigint[];
    spent        double precision[];
    verb         text;
    started      timestamptz;
    locked_at    timestamptz;
    window_ms    double precision;
    attempts     integer;
    row_count    bigint;
    i            integer;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        cutoff := maintenance.retention_cutoff(cfg, today, drop_old_partitions.retention_months);
        CONTINUE WHEN cutoff IS NULL; -- the table keeps everything
        parent := cfg.parent_table::regclass;
        verb := cfg.retention_mode;
        default_part := online.default_partition(parent);
        going := '{}'; going_names := '{}'; estimates := '{}';
        FOR part IN SELECT * FROM maintenance.expired_partitions(cfg, cutoff) LOOP
            IF part.verdict = 'keep' THEN
                row_count := part.row_estimate;
                IF dry_run THEN
                    EXECUTE format('SELECT count(*) FROM %s', part.partition) INTO row_count;
                END IF;
                RETURN NEXT maintenance.line(cfg.parent_table, 'keep', part.partition_name, row_count, 0, part.detail);
            ELSIF dry_run THEN
                started := clock_timestamp();
                EXECUTE format('SELECT count(*) FROM %s', part.partition) INTO row_count;
                RETURN NEXT maintenance.line(cfg.parent_table, 'would ' || verb, part.partition_name, row_count,
                                             extract(epoch FROM clock_timestamp() - started) * 1000,
                                             format('%s (retention %s months)', part.detail,
                                                    coalesce(drop_old_partitions.retention_months, cfg.retention_months))
                                             || CASE WHEN verb = 'archive' THEN ' -> schema ' || quote_ident(cfg.archive_schema) ELSE '' END);
            ELSE
                going := going || part.partition;
                going_names := going_names || part.partition_name;
                estimates := estimates || part.row_estimate;
            END IF;
        END LOOP;
        -- the DEFAULT's rows older than the cutoff stay, and a line says so
        IF default_part IS NOT NULL THEN
            EXECUTE format('SELECT count(*) FROM %s WHERE %s', default_part, maintenance.month_condition(cfg, NULL, cutoff)) INTO old_rows;
            IF old_rows > 0 THEN
                RETURN NEXT maintenance.line(cfg.parent_table, 'keep', default_part::text, old_rows, 0,
                                             format('the DEFAULT partition is never dropped: its %s rows older than the cutoff %s stay',
                                                    old_rows, cutoff));
            END IF;
        END IF;
        CONTINUE WHEN cardinality(going) = 0;

        -- the window: the parent first, then the DEFAULT and the partitions, as writers take them
        attempts := maintenance.lock_relations(cfg, ARRAY[parent] || CASE WHEN default_part IS NULL THEN '{}'::regclass[] ELSE ARRAY[default_part] END || going,
                                               array_fill('ACCESS EXCLUSIVE'::text, ARRAY[1 + cardinality(going) + CASE WHEN default_part IS NULL THEN 0 ELSE 1 END]),
                                               format('%s %s partitions of %s', verb, cardinality(going), parent));
        locked_at := clock_timestamp();
        PERFORM online.enter_window(format('retention (%s) of %s', verb, parent));
        spent := '{}';
        FOR i IN 1 .. cardinality(going) LOOP
            started := clock_timestamp();
            IF NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = going[i] AND inhparent = parent) THEN
                RAISE EXCEPTION '% is no longer a partition of %: retention changed nothing, run it again', going_names[i], parent;
            END IF;
            IF verb = 'drop' THEN
                EXECUTE format('DROP TABLE %s', going[i]);
            ELSE
                EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, going[i]);
                EXECUTE format('COMMENT ON TABLE %s IS %L', going[i],
                               format('detached from %s by retention (cutoff %s) on %s', cfg.parent_table, cutoff, today));
                IF verb = 'archive' THEN
                    IF to_regnamespace(quote_ident(cfg.archive_schema)) IS NULL THEN
                        EXECUTE format('CREATE SCHEMA %I', cfg.archive_schema);
                    END IF;
                    EXECUTE format('ALTER TABLE %s SET SCHEMA %I', going[i], cfg.archive_schema);
                END IF;
            END IF;
            spent := spent || extract(epoch FROM clock_timestamp() - started) * 1000;
        END LOOP;
        PERFORM online.hold_window();
        window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
        FOR i IN 1 .. cardinality(going) LOOP
            RETURN NEXT maintenance.line(cfg.parent_table, verb, going_names[i], estimates[i], spent[i],
                                         format('older than the cutoff %s (retention %s months)%s; rows: %s', cutoff,
                                                coalesce(drop_old_partitions.retention_months, cfg.retention_months),
                                                CASE WHEN verb = 'archive' THEN ' -> schema ' || quote_ident(cfg.archive_schema) ELSE '' END,
                                                coalesce('about ' || estimates[i] || ' (statistics)', 'not analyzed yet')),
                                         0, window_ms, attempts);
        END LOOP;
    END LOOP;
END
$$;
