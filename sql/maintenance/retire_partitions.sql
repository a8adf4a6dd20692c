-- Retention's exclusive window: the named partitions of a managed table detached (kept as standalone tables, with a
-- comment saying when and why), and moved to the archive schema when so configured. Under the lock discipline
-- (maintenance.lock_relations), in writers' order: ACCESS EXCLUSIVE on the parent, the DEFAULT and the partitions,
-- which DETACH PARTITION takes, so readers and writers of the table wait for the window. It only changes catalogs
-- (window_rows 0), whatever the partitions hold. For retention_mode drop, the detached tables are dropped after the
-- window (drop_retired): DROP TABLE of a partition would take the same locks and hold them through a commit that
-- unlinks every file of every partition, which grows with their size (measured on PostgreSQL 15 with fsync on, eleven
-- partitions of 20,000 rows: 30-135 ms as DROPs, 10-17 ms as DETACHes, the DROPs of the detached tables then blocking
-- nobody). Each partition is checked under the locks to be a partition of the table still, and to end before the
-- server's own date (current_day: whatever lines a caller passes, one holding today's rows never goes), or nothing
-- changes.
-- lines: what retention_plan said of them (rows, detail); one line each, with the window's length and lock attempts.
CREATE OR REPLACE FUNCTION maintenance.retire_partitions(cfg maintenance.partition_config, lines maintenance.action_line[], today date)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent       regclass := cfg.parent_table::regclass;
    default_part regclass := online.default_partition(parent);
    verb         text := cfg.retention_mode;
    going        regclass[] := ARRAY(SELECT to_regclass(l.partition_name) FROM unnest(lines) AS l);
    kept         regclass[];
    spent        double precision[] := '{}';
    started      timestamptz;
    locked_at    timestamptz;
    window_ms    double precision;
    attempts     integer;
    i            integer;
BEGIN
    IF coalesce(cardinality(going), 0) = 0 THEN
        RETURN;
    END IF;
    -- the parent first, then the DEFAULT and the partitions, as writers take them
    attempts := maintenance.lock_relations(cfg, ARRAY[parent] || CASE WHEN default_part IS NULL THEN '{}'::regclass[] ELSE ARRAY[default_part] END || going,
                                           array_fill('ACCESS EXCLUSIVE'::text, ARRAY[1 + cardinality(going) + CASE WHEN default_part IS NULL THEN 0 ELSE 1 END]),
                                           format('%s %s of %s', verb, array_to_string(going, ', '), parent));
    locked_at := clock_timestamp();
    kept := ARRAY(SELECT p.partition FROM maintenance.partitions(cfg) p WHERE p.is_default OR p.upper_ts > maintenance.current_day());
    PERFORM online.enter_window(format('retention (%s) of %s', verb, parent));
    -- the commit releases the locks without waiting for its WAL to reach the disk: a crash just after it may undo this
    -- step, which the next run does again, but nobody waits for an fsync behind the window
    PERFORM set_config('synchronous_commit', 'off', true);
    FOR i IN 1 .. cardinality(going) LOOP
        started := clock_timestamp();
        IF going[i] IS NULL OR NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = going[i] AND inhparent = parent) THEN
            RAISE EXCEPTION '% is no longer a partition of %: retention changed nothing, run it again', lines[i].partition_name, parent;
        END IF;
        IF going[i] = ANY (kept) THEN
            RAISE EXCEPTION '% reaches the server''s date % (or is the DEFAULT): retention never takes it, and changed nothing',
                lines[i].partition_name, maintenance.current_day();
        END IF;
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, going[i]);
        EXECUTE format('COMMENT ON TABLE %s IS %L', going[i],
                       format('detached from %s by retention on %s%s: %s', cfg.parent_table, today,
                              CASE WHEN verb = 'drop' THEN ', to be dropped' ELSE '' END, lines[i].detail));
        IF verb = 'archive' THEN
            IF to_regnamespace(quote_ident(cfg.archive_schema)) IS NULL THEN
                EXECUTE format('CREATE SCHEMA %I', cfg.archive_schema);
            END IF;
            EXECUTE format('ALTER TABLE %s SET SCHEMA %I', going[i], cfg.archive_schema);
        END IF;
        spent := spent || extract(epoch FROM clock_timestamp() - started) * 1000;
    END LOOP;
    PERFORM online.hold_window();
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
    FOR i IN 1 .. cardinality(going) LOOP
        RETURN NEXT maintenance.line(cfg.parent_table, verb, lines[i].partition_name, lines[i].rows, spent[i],
                                     lines[i].detail || coalesce('; rows: about ' || lines[i].rows || ' (statistics)', '; rows: not analyzed yet'),
                                     0, window_ms, attempts);
    END LOOP;
END
$$;
