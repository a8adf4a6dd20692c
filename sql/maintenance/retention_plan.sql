-- What retention would do to a managed table as of today (with retention_months instead of the configured months
-- when given; 0 or less is refused, SQLSTATE 22023): a 'would drop' ('would detach', 'would archive') line for each
-- partition wholly before the cutoff (expired_partitions), oldest first, and a 'keep' line for each it never takes:
-- the newest partition, one whose archive name is taken, and the DEFAULT's rows older than the cutoff. Rows: each
-- partition's exact count with exact_counts (a dry run for people), else the statistics' estimate (counting a
-- partition about to go would read all of it). Changes nothing; no line when the table keeps everything.
CREATE OR REPLACE FUNCTION maintenance.retention_plan(cfg maintenance.partition_config, today date, retention_months integer,
                                                      exact_counts boolean)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cutoff       date := maintenance.retention_cutoff(cfg, today, retention_months);
    default_part regclass := online.default_partition(cfg.parent_table::regclass);
    part         record;
    row_count    bigint;
    started      timestamptz;
BEGIN
    IF cutoff IS NULL THEN
        RETURN; -- the table keeps everything
    END IF;
    FOR part IN SELECT * FROM maintenance.expired_partitions(cfg, cutoff) LOOP
        started := clock_timestamp();
        row_count := part.row_estimate;
        IF exact_counts THEN
            BEGIN
                EXECUTE format('SELECT count(*) FROM %s', part.partition) INTO row_count;
            EXCEPTION WHEN undefined_table OR syntax_error THEN
                IF part.partition::text !~ '^[0-9]+$' THEN -- still there: a real error (see default_months)
                    RAISE;
                END IF;
                CONTINUE; -- a run retired it meanwhile: nothing left to plan for it
            END;
        END IF;
        RETURN NEXT maintenance.line(cfg.parent_table, CASE WHEN part.verdict = 'keep' THEN 'keep' ELSE 'would ' || cfg.retention_mode END,
                                     part.partition_name, row_count,
                                     CASE WHEN part.verdict = 'keep' THEN 0 ELSE extract(epoch FROM clock_timestamp() - started) * 1000 END,
                                     part.detail || CASE WHEN part.verdict = 'keep' THEN ''
                                                         ELSE format(' (retention %s months)%s', coalesce(retention_months, cfg.retention_months),
                                                                     CASE WHEN cfg.retention_mode = 'archive' THEN ' -> schema ' || quote_ident(cfg.archive_schema) ELSE '' END)
                                                    END);
    END LOOP;
    IF default_part IS NOT NULL THEN
        BEGIN
            EXECUTE format('SELECT count(*) FROM %s WHERE %s', default_part, maintenance.month_condition(cfg, NULL, cutoff)) INTO row_count;
        EXCEPTION WHEN undefined_table OR syntax_error THEN
            -- a run swapped the DEFAULT away meanwhile (a rescue; its regclass then prints as a number): nothing waits in it
            IF default_part::text !~ '^[0-9]+$' THEN
                RAISE;
            END IF;
            row_count := 0;
        END;
        IF row_count > 0 THEN
            RETURN NEXT maintenance.line(cfg.parent_table, 'keep', default_part::text, row_count, 0,
                                         format('the DEFAULT partition is never dropped: its %s rows older than the cutoff %s stay',
                                                row_count, cutoff));
        END IF;
    END IF;
END
$$;
