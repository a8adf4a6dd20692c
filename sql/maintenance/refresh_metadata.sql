-- Brings partition_metadata up to date for each managed table (or the one named): one row per partition as
-- list_partitions sees it now (sizes, row estimates, last ANALYZE and VACUUM); rows of partitions that are gone
-- (dropped, detached) are removed. With only_partitions, just those partitions' rows are rewritten (and the gone
-- ones removed): what the daily run does for the partitions it changed, since reading every partition's size costs
-- a file system call per file of every partition and index. Returns one line per table.
CREATE OR REPLACE FUNCTION maintenance.refresh_metadata(table_name text DEFAULT NULL, only_partitions text[] DEFAULT NULL)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    started   timestamptz := clock_timestamp();
    cfg       maintenance.partition_config;
    refreshed bigint;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name, true) LOOP
        DELETE FROM maintenance.partition_metadata m
        WHERE m.parent_table = cfg.parent_table
          AND (only_partitions IS NULL OR m.partition_name = ANY (only_partitions)
               OR NOT EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = to_regclass(m.partition_name)
                                                          AND i.inhparent = to_regclass(cfg.parent_table)));
        INSERT INTO maintenance.partition_metadata (parent_table, partition_name, is_default, partition_month, lower_bound,
                                                    upper_bound, row_estimate, total_bytes, last_analyze, last_vacuum)
        SELECT l.parent_table, l.partition_name, l.is_default, l.partition_month, l.lower_bound, l.upper_bound,
               coalesce(l.row_estimate, 0), l.total_bytes, l.last_analyze, l.last_vacuum
        FROM maintenance.list_partitions(cfg.parent_table, only_partitions) l;
        GET DIAGNOSTICS refreshed = ROW_COUNT;
        RETURN NEXT maintenance.line(cfg.parent_table, 'refresh metadata', NULL, refreshed,
                                     extract(epoch FROM clock_timestamp() - started) * 1000,
                                     format('%s partitions in maintenance.partition_metadata%s', refreshed,
                                            CASE WHEN only_partitions IS NULL THEN '' ELSE ' refreshed (those the run changed)' END));
        started := clock_timestamp();
    END LOOP;
END
$$;
