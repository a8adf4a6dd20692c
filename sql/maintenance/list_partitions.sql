-- Every partition of each managed table (or the one named), as the catalogs and statistics describe it now:
-- bounds, month, row estimate (NULL until first analyzed), total size with indexes, last ANALYZE and VACUUM
-- (manual or autovacuum, whichever is later). Months in order, the DEFAULT last. With only_partitions, just those.
-- The statistics come from the functions pg_stat_all_tables is made of, for these partitions only (the view
-- computes them for every table of the database).
CREATE OR REPLACE FUNCTION maintenance.list_partitions(table_name text DEFAULT NULL, only_partitions text[] DEFAULT NULL)
RETURNS TABLE (parent_table text, partition_name text, is_default boolean, partition_month date, lower_bound text,
               upper_bound text, row_estimate bigint, total_bytes bigint, last_analyze timestamptz, last_vacuum timestamptz)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT cfg.parent_table, p.partition_name, p.is_default, p.partition_month, p.lower_bound, p.upper_bound,
           CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END,
           pg_total_relation_size(p.partition),
           greatest(pg_stat_get_last_analyze_time(p.partition), pg_stat_get_last_autoanalyze_time(p.partition)),
           greatest(pg_stat_get_last_vacuum_time(p.partition), pg_stat_get_last_autovacuum_time(p.partition))
    FROM maintenance.configured_tables(table_name, true) cfg
    CROSS JOIN LATERAL maintenance.partitions(cfg) p
    JOIN pg_class c ON c.oid = p.partition
    WHERE to_regclass(cfg.parent_table) IS NOT NULL
      AND (only_partitions IS NULL OR p.partition_name = ANY (only_partitions))
    ORDER BY cfg.parent_table, p.is_default, p.lower_ts
$$;
