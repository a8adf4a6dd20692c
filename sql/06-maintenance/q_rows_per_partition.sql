-- Lesson 06: every partition of the managed tables (or of lab.table) with its month and its exact row count
-- (count(*) of each partition, not the planner's estimate), months in order and the DEFAULT last. Needs the
-- partition manager (sql/maintenance/install.sql).
SELECT l.parent_table, l.partition_name, l.partition_month, l.is_default,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', l.partition_name::regclass),
                                            false, true, '')))[1]::text::bigint AS "rows"
FROM maintenance.list_partitions(nullif(current_setting('lab.table', true), '')) l
ORDER BY l.parent_table, l.is_default, l.partition_month;
