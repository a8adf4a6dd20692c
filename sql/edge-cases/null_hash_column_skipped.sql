-- A NULL in a hash partition key is not hashed: the column is skipped when the row's hash is combined
-- (src/backend/partitioning/partbounds.c, compute_partition_hash_value: "Nulls are just ignored").
-- The proof: a row (NULL, b) of a table hashed on (a, b) lands on the same remainder as the row (b) of a table
-- hashed on b alone, for every b. Scratch tables in schema lab_edge (null_keys.sql creates the schema).
-- Columns: b, the remainder of (NULL, b) in by_hash_pair, the remainder of (b) in by_hash_single, and whether they agree.
CREATE SCHEMA IF NOT EXISTS lab_edge;
DROP TABLE IF EXISTS lab_edge.by_hash_pair, lab_edge.by_hash_single;

CREATE TABLE lab_edge.by_hash_pair (a int, b int) PARTITION BY HASH (a, b);
CREATE TABLE lab_edge.by_hash_single (b int) PARTITION BY HASH (b);
DO $$
BEGIN
    FOR r IN 0..3 LOOP
        EXECUTE format('CREATE TABLE lab_edge.%I PARTITION OF lab_edge.by_hash_pair FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
                       'by_hash_pair_r' || r, r);
        EXECUTE format('CREATE TABLE lab_edge.%I PARTITION OF lab_edge.by_hash_single FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
                       'by_hash_single_r' || r, r);
    END LOOP;
END $$;

INSERT INTO lab_edge.by_hash_pair SELECT NULL, b FROM generate_series(1, 8) AS b;
INSERT INTO lab_edge.by_hash_single SELECT b FROM generate_series(1, 8) AS b;

-- the remainder is read from the partition the row is stored in (tableoid), whose name ends in _r<remainder>
SELECT p.b,
       right(p.tableoid::regclass::text, 1)::int AS remainder_of_null_b,
       right(s.tableoid::regclass::text, 1)::int AS remainder_of_b_alone,
       right(p.tableoid::regclass::text, 1) = right(s.tableoid::regclass::text, 1) AS same_remainder
FROM lab_edge.by_hash_pair p
JOIN lab_edge.by_hash_single s USING (b)
ORDER BY p.b;
