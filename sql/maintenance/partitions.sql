-- The direct partitions of a managed table, read from the catalogs (pg_inherits, pg_get_expr(relpartbound)):
-- bounds as PostgreSQL states them, as timestamps (UTC for timestamptz keys; MINVALUE/MAXVALUE as -infinity and
-- infinity), and the calendar month a partition covers when it covers exactly one (NULL otherwise).
CREATE OR REPLACE FUNCTION maintenance.partitions(cfg maintenance.partition_config)
RETURNS TABLE (partition regclass, partition_name text, is_default boolean, lower_bound text, upper_bound text,
               lower_ts timestamp, upper_ts timestamp, partition_month date)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH parts AS (
        SELECT c.oid::regclass AS partition, format('%I.%I', n.nspname, c.relname) AS partition_name,
               b.bound = 'DEFAULT' AS is_default,
               (regexp_match(b.bound, 'FROM \((.*)\) TO \((.*)\)$'))[1] AS lower_bound,
               (regexp_match(b.bound, 'FROM \((.*)\) TO \((.*)\)$'))[2] AS upper_bound,
               format_type(a.atttypid, NULL) = 'timestamp with time zone' AS zoned
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = i.inhparent AND a.attname = cfg.control_column
        CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) b
        WHERE i.inhparent = cfg.parent_table::regclass
    ), stamped AS (
        SELECT p.*,
               CASE WHEN p.lower_bound = 'MINVALUE' THEN '-infinity'::timestamp
                    WHEN p.zoned THEN btrim(p.lower_bound, '''')::timestamptz AT TIME ZONE 'UTC'
                    ELSE btrim(p.lower_bound, '''')::timestamp END AS lower_ts,
               CASE WHEN p.upper_bound = 'MAXVALUE' THEN 'infinity'::timestamp
                    WHEN p.zoned THEN btrim(p.upper_bound, '''')::timestamptz AT TIME ZONE 'UTC'
                    ELSE btrim(p.upper_bound, '''')::timestamp END AS upper_ts
        FROM parts p
    )
    SELECT s.partition, s.partition_name, s.is_default, s.lower_bound, s.upper_bound, s.lower_ts, s.upper_ts,
           CASE WHEN s.lower_ts = date_trunc('month', s.lower_ts) AND s.upper_ts = s.lower_ts + interval '1 month'
                THEN s.lower_ts::date END
    FROM stamped s
    ORDER BY s.is_default, s.lower_ts
$$;
