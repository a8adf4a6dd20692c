-- The partitions of a managed table that lie wholly before a retention cutoff (see retention_cutoff), with what
-- retention does with each: 'retire' (drop, detach or archive, as configured) or 'keep', with the reason: the newest
-- partition is never retired, nor one whose archive name is taken, nor one whose range reaches the server's own date
-- (current_day) or lies after it: a "today" far ahead (a rehearsal, a typo) moves the cutoff, never past the rows
-- being written now. The DEFAULT is never among them. Row estimates
-- from the statistics (NULL until first analyzed). Reads the catalogs only; months in order.
CREATE OR REPLACE FUNCTION maintenance.expired_partitions(cfg maintenance.partition_config, cutoff date)
RETURNS TABLE (partition regclass, partition_name text, verdict text, row_estimate bigint, detail text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH parts AS (
        SELECT p.*, p.upper_ts = max(p.upper_ts) OVER () AS newest,
               CASE WHEN cfg.archive_schema IS NOT NULL THEN format('%I.%I', cfg.archive_schema, (parse_ident(p.partition_name))[2]) END AS archived_as
        FROM maintenance.partitions(cfg) p
        WHERE NOT p.is_default
    )
    SELECT p.partition, p.partition_name,
           CASE WHEN p.newest OR p.upper_ts > maintenance.current_day() OR cfg.retention_mode = 'archive' AND to_regclass(p.archived_as) IS NOT NULL THEN 'keep' ELSE 'retire' END,
           CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END,
           CASE WHEN p.newest THEN format('the newest partition is never dropped (cutoff %s)', cutoff)
                WHEN p.upper_ts > maintenance.current_day()
                    THEN format('reaches the server''s date %s: never dropped, whatever today is said to be (cutoff %s)',
                                maintenance.current_day(), cutoff)
                WHEN cfg.retention_mode = 'archive' AND to_regclass(p.archived_as) IS NOT NULL
                    THEN format('cannot archive: %s exists already (rename one of them)', p.archived_as)
                ELSE format('older than the cutoff %s', cutoff) END
    FROM parts p
    JOIN pg_class c ON c.oid = p.partition
    WHERE p.upper_ts <= cutoff
    ORDER BY p.lower_ts
$$;
