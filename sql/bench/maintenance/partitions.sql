-- Maintain.java bench: the months the partitions of lab.table_name cover (its DEFAULT aside), to compare the two tables.
-- Parameters (custom settings): lab.table_name.
SELECT string_agg(to_char(lower_ts, 'YYYY-MM'), ',' ORDER BY lower_ts) AS months
FROM (SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz AT TIME ZONE 'UTC' AS lower_ts
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass(current_setting('lab.table_name'))) AS parts
WHERE lower_ts IS NOT NULL;
