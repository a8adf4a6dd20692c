-- Advisor, read 1: every table of the user schemas (or of lab.schema, or the one lab.table_name), its size, row
-- estimate and write rates, from the catalogs and statistics only: nothing here scans a table.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.schema = 'app'" -f sql/advisor/tables.sql   (or PGOPTIONS="-c lab.schema=app")
-- Parameters: lab.schema (default: every schema but the system ones and those of lab.exclude_schemas),
-- lab.table_name (default: every table), lab.exclude_schemas (left out unless lab.schema names one; default
-- 'online,maintenance,lab', the lab's own machinery; '-' leaves none out).
-- Partitions are left out (their parent stands for them); a partitioned parent comes with its partitions' sums and
-- is_partitioned, so the advisor can say it is partitioned already. Rates are per second since the database's
-- statistics were reset, or since the server started when they never were (pg_stat_database.stats_reset is null);
-- PostgreSQL keeps the counters across a clean restart, so that is an upper bound of the rate.
WITH params AS (
    SELECT nullif(current_setting('lab.schema', true), '') AS schema_name,
           nullif(current_setting('lab.table_name', true), '') AS table_name,
           string_to_array(replace(coalesce(nullif(current_setting('lab.exclude_schemas', true), ''), 'online,maintenance,lab'), ' ', ''), ',') AS excluded,
           greatest(extract(epoch FROM now() - coalesce(
               (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()),
               pg_postmaster_start_time())), 1) AS seconds
),
tables AS (
    SELECT c.oid, n.nspname, c.relname, c.relkind
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace, params p
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
      AND (p.schema_name IS NULL OR n.nspname = p.schema_name)
      AND (p.schema_name IS NOT NULL OR n.nspname <> ALL (p.excluded))
      AND (p.table_name IS NULL OR c.relname = p.table_name)
),
-- a plain table is its own only member; a partitioned one sums its leaves
members AS (
    SELECT t.oid AS root, coalesce(pt.relid, t.oid) AS member
    FROM tables t
    LEFT JOIN LATERAL pg_partition_tree(t.oid) pt ON t.relkind = 'p' AND pt.isleaf
)
SELECT t.nspname AS schema_name,
       t.relname AS table_name,
       t.relkind = 'p' AS is_partitioned,
       CASE WHEN t.relkind = 'p' THEN (SELECT pg_get_partkeydef(t.oid)) END AS partition_key,
       sum(greatest(c.reltuples, 0))::bigint AS estimated_rows,
       sum(pg_total_relation_size(m.member))::bigint AS total_bytes,
       sum(pg_table_size(m.member))::bigint AS table_bytes,
       sum(pg_indexes_size(m.member))::bigint AS index_bytes,
       coalesce(sum(s.n_live_tup), 0)::bigint AS live_rows,
       coalesce(sum(s.n_dead_tup), 0)::bigint AS dead_rows,
       coalesce(sum(s.n_tup_ins), 0)::bigint AS inserted,
       coalesce(sum(s.n_tup_upd), 0)::bigint AS updated,
       coalesce(sum(s.n_tup_del), 0)::bigint AS deleted,
       round((coalesce(sum(s.n_tup_ins), 0) / max(p.seconds))::numeric, 3) AS inserts_per_second,
       round((coalesce(sum(s.n_tup_upd), 0) / max(p.seconds))::numeric, 3) AS updates_per_second,
       round((coalesce(sum(s.n_tup_del), 0) / max(p.seconds))::numeric, 3) AS deletes_per_second,
       round(max(p.seconds)::numeric) AS seconds_counted,
       max(greatest(s.last_analyze, s.last_autoanalyze)) AS last_analyzed
FROM tables t
JOIN members m ON m.root = t.oid
JOIN pg_class c ON c.oid = m.member
LEFT JOIN pg_stat_user_tables s ON s.relid = m.member
CROSS JOIN params p
GROUP BY t.oid, t.nspname, t.relname, t.relkind
ORDER BY 1, 2;
