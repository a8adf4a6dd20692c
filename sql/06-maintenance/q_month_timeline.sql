-- Lesson 06: one managed table (lab.table) as a month timeline, as of lab.today (YYYY-MM-DD): every partition the
-- catalogs list for it (pg_inherits, through the manager's maintenance.partitions) with its month (NULL for the
-- DEFAULT) and exact row count, the DEFAULT last; and on every line the table's retention cutoff as of that day
-- (partitions wholly before it are past retention; NULL when the table keeps everything) and its months ahead, as
-- configured. Needs the partition manager (sql/maintenance/install.sql).
WITH cfg AS MATERIALIZED (
    SELECT maintenance.config_for(current_setting('lab.table')) AS c
)
SELECT p.partition_name, p.partition_month, p.is_default,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', p.partition), false, true, '')))[1]::text::bigint AS "rows",
       CASE WHEN (cfg.c).retention_months IS NOT NULL
            THEN maintenance.retention_cutoff(cfg.c, current_setting('lab.today')::date) END AS retention_cutoff,
       (cfg.c).premake_months AS premake_months
FROM cfg
CROSS JOIN LATERAL maintenance.partitions(cfg.c) p
ORDER BY p.is_default, p.lower_ts;
