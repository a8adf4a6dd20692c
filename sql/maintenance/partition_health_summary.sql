-- One row per managed table (or the one named): partitions, estimated rows, size, oldest and newest month, and a
-- status, the first that applies of NO_PARTITIONS, MISSING_FUTURE (months ahead lack a partition: inserts would
-- land in the DEFAULT or fail), DEFAULT_HAS_ROWS, CLEANUP_NEEDED (partitions past retention), else HEALTHY.
-- issues lists every one that applies. The rules are validate_partitions' checks, as of today.
CREATE OR REPLACE FUNCTION maintenance.partition_health_summary(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS TABLE (parent_table text, enabled boolean, partitions bigint, row_estimate bigint, total_bytes bigint,
               oldest_month date, newest_month date, missing_future bigint, default_rows bigint, pending_cleanup bigint,
               status text, issues text)
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    WITH checks AS (
        SELECT v.parent_table,
               max(v.problems) FILTER (WHERE v.check_name = 'table exists') AS table_missing,
               max(v.problems) FILTER (WHERE v.check_name = 'partitions exist') AS no_partitions,
               max(v.problems) FILTER (WHERE v.check_name = 'months ahead exist') AS missing_future,
               max(v.problems) FILTER (WHERE v.check_name = 'default partition empty') AS default_rows,
               max(v.problems) FILTER (WHERE v.check_name = 'nothing past retention') AS pending_cleanup
        FROM maintenance.validate_partitions(table_name, today) v
        GROUP BY v.parent_table
    ), sizes AS (
        SELECT l.parent_table, count(*) FILTER (WHERE NOT l.is_default) AS partitions, sum(coalesce(l.row_estimate, 0))::bigint AS row_estimate,
               sum(l.total_bytes)::bigint AS total_bytes, min(l.partition_month) AS oldest_month, max(l.partition_month) AS newest_month
        FROM maintenance.list_partitions(table_name) l
        GROUP BY l.parent_table
    ), flagged AS (
        SELECT c.*, array_remove(ARRAY[
                   CASE WHEN c.table_missing > 0 THEN 'TABLE_MISSING' END,
                   CASE WHEN c.no_partitions > 0 THEN 'NO_PARTITIONS' END,
                   CASE WHEN c.missing_future > 0 THEN 'MISSING_FUTURE' END,
                   CASE WHEN c.default_rows > 0 THEN 'DEFAULT_HAS_ROWS' END,
                   CASE WHEN c.pending_cleanup > 0 THEN 'CLEANUP_NEEDED' END], NULL) AS found
        FROM checks c
    )
    SELECT f.parent_table, cfg.enabled, coalesce(s.partitions, 0), coalesce(s.row_estimate, 0), coalesce(s.total_bytes, 0),
           s.oldest_month, s.newest_month, coalesce(f.missing_future, 0), coalesce(f.default_rows, 0), coalesce(f.pending_cleanup, 0),
           coalesce(f.found[1], 'HEALTHY'), array_to_string(f.found, ', ')
    FROM flagged f
    JOIN maintenance.partition_config cfg ON cfg.parent_table = f.parent_table
    LEFT JOIN sizes s ON s.parent_table = f.parent_table
    ORDER BY f.parent_table
$$;
