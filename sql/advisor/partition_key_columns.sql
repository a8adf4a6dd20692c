-- Every column a partitioned table is partitioned by, on every level of its tree (range on recorded_at, then hash on
-- sensor_id: both): a primary key must hold them all, and the original key of a table the advisor partitioned is its
-- primary key without them. Expressions as keys are not columns and are left out. Empty for a plain table.
CREATE OR REPLACE FUNCTION lab.partition_key_columns(rel regclass) RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT a.attname::text), '{}')
    FROM pg_partition_tree(rel) tree
    JOIN pg_partitioned_table p ON p.partrelid = tree.relid
    CROSS JOIN LATERAL unnest(p.partattrs::int2[]) AS k(attnum)
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.attnum
    WHERE k.attnum <> 0
$$;
