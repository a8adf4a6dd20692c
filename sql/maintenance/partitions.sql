-- The direct partitions of a managed table, read from the catalogs (pg_inherits, pg_get_expr(relpartbound)):
-- bounds as PostgreSQL states them, as timestamps (UTC for timestamptz keys; MINVALUE/MAXVALUE as -infinity and
-- infinity), and the calendar month a partition covers when it covers exactly one (NULL otherwise).
-- pg_get_expr deparses each partition's bound: the MATERIALIZED steps make it run once per partition, not once per
-- column that uses it. PL/pgSQL rather than SQL so that the query is planned once per session, not at every call:
-- one run of the manager asks for a table's partitions several times.
CREATE OR REPLACE FUNCTION maintenance.partitions(cfg maintenance.partition_config)
RETURNS TABLE (partition regclass, partition_name text, is_default boolean, lower_bound text, upper_bound text,
               lower_ts timestamp, upper_ts timestamp, partition_month date)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH bounds AS MATERIALIZED (
        SELECT c.oid::regclass AS partition, format('%I.%I', n.nspname, c.relname) AS partition_name,
               regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \((.*)\) TO \((.*)\)$') AS range
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE i.inhparent = cfg.parent_table::regclass
    ), stamped AS MATERIALIZED (
        SELECT b.partition, b.partition_name, b.range IS NULL AS is_default, b.range[1] AS lower_bound, b.range[2] AS upper_bound,
               CASE WHEN b.range[1] = 'MINVALUE' THEN '-infinity'::timestamp
                    WHEN k.zoned THEN btrim(b.range[1], '''')::timestamptz AT TIME ZONE 'UTC'
                    ELSE btrim(b.range[1], '''')::timestamp END AS lower_ts,
               CASE WHEN b.range[2] = 'MAXVALUE' THEN 'infinity'::timestamp
                    WHEN k.zoned THEN btrim(b.range[2], '''')::timestamptz AT TIME ZONE 'UTC'
                    ELSE btrim(b.range[2], '''')::timestamp END AS upper_ts
        FROM bounds b
        CROSS JOIN (SELECT format_type(a.atttypid, NULL) = 'timestamp with time zone' AS zoned
                    FROM pg_attribute a
                    WHERE a.attrelid = cfg.parent_table::regclass AND a.attname = cfg.control_column) k
    )
    SELECT s.partition, s.partition_name, s.is_default, s.lower_bound, s.upper_bound, s.lower_ts, s.upper_ts,
           CASE WHEN s.lower_ts = date_trunc('month', s.lower_ts) AND s.upper_ts = s.lower_ts + interval '1 month'
                THEN s.lower_ts::date END
    FROM stamped s
    ORDER BY s.is_default, s.lower_ts;
END
$$;
