-- For the tests of lab.HashPartitions (any server): lab_test.hash_keys, HASH-partitioned on an integer into
-- lab.modulus partitions, holding the keys -2000..2000 and the extremes of the type, each row where the server routed
-- it. Drop schema lab_test afterwards.
CREATE SCHEMA IF NOT EXISTS lab_test;
DROP TABLE IF EXISTS lab_test.hash_keys;
CREATE TABLE lab_test.hash_keys (k int NOT NULL) PARTITION BY HASH (k);
DO $$
BEGIN
    FOR r IN 0 .. current_setting('lab.modulus')::int - 1 LOOP
        EXECUTE format('CREATE TABLE lab_test.hash_keys_r%s PARTITION OF lab_test.hash_keys FOR VALUES WITH (modulus %s, remainder %s)',
                       r, current_setting('lab.modulus'), r);
    END LOOP;
END
$$;
INSERT INTO lab_test.hash_keys
SELECT k FROM generate_series(-2000, 2000) AS k
UNION ALL
SELECT unnest(ARRAY[0, 1, -1, 2, 42, 999, 1000, 1001, 123456, -98765, 2147483647, -2147483648, 2147483646, -2147483647, 65536, -65536]);
