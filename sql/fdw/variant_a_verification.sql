-- Seed Variant A verification, on the partitioned node (psql "$PARTITIONED" -f sql/fdw/variant_a_verification.sql).
-- Expect: each month's rows in its own events_YYYY_MM partition, the DEFAULT empty, and a June count planned against
-- app.events_2024_06 alone.

-- 1. rows per partition, and whether every row lies inside its partition's month
SELECT c.relname::text AS partition,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM app.%I', c.relname), false, true, '')))[1]::text::bigint AS row_count
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'app.events'::regclass
ORDER BY c.relname;

-- 2. a month's count: one partition in the plan
EXPLAIN (COSTS OFF) SELECT count(*) FROM app.events WHERE occurred_at >= '2024-06-01' AND occurred_at < '2024-07-01';
