-- The advisor's measurement, on the scratch server: one interval's retention on each copy, as the statements to
-- time. The interval is the oldest range partition of the partitioned copy (for a list layout: the first value's
-- partition); its bound, as PostgreSQL prints it, gives the rows to DELETE from the ordinary copy. A hash layout
-- has no such partition: no row.
-- Parameters: lab.as_is, lab.partitioned (the two copies, schema-qualified), lab.column (the partition key).
WITH first_partition AS (
    SELECT c.oid, c.oid::regclass::text AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_partition_tree(to_regclass(current_setting('lab.partitioned'))) AS t
    JOIN pg_class c ON c.oid = t.relid
    WHERE t.level = 1 AND pg_get_expr(c.relpartbound, c.oid) ~ '^FOR VALUES (FROM|IN) '
    ORDER BY c.oid -- made in bound order: the oldest interval, the first value
    LIMIT 1
), condition AS (
    SELECT f.*,
           CASE WHEN f.bound LIKE 'FOR VALUES FROM %'
                THEN format('%I >= %s AND %I < %s', current_setting('lab.column'), (regexp_match(f.bound, '^FOR VALUES FROM \((.*)\) TO \((.*)\)$'))[1],
                            current_setting('lab.column'), (regexp_match(f.bound, '^FOR VALUES FROM \((.*)\) TO \((.*)\)$'))[2])
                ELSE format('%I IN (%s)', current_setting('lab.column'), (regexp_match(f.bound, '^FOR VALUES IN \((.*)\)$'))[1]) END AS rows_of
    FROM first_partition f
)
SELECT partition,
       bound,
       format('DELETE FROM %s WHERE %s', to_regclass(current_setting('lab.as_is')), rows_of) AS delete_sql,
       format('VACUUM %s', to_regclass(current_setting('lab.as_is'))) AS vacuum_sql,
       format('ALTER TABLE %s DETACH PARTITION %s', to_regclass(current_setting('lab.partitioned')), partition) AS detach_sql,
       format('DROP TABLE %s', partition) AS drop_sql
FROM condition;
