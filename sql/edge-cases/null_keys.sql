-- Where a row goes when its partition key is NULL, or outside every bound, for each strategy. Small scratch
-- tables in schema lab_edge (dropped and recreated each run), without primary keys: a primary key would make
-- the key columns NOT NULL and refuse the NULL before routing.
--   RANGE: NULL is in no range; it goes to the DEFAULT partition (and without one it is refused: see
--          null_key_nowhere.sql). So does a value beyond every range.
--   LIST:  NULL goes to the partition that lists NULL (FOR VALUES IN (NULL)); without one, to the DEFAULT.
--   HASH:  a NULL key column is not hashed: it is skipped when the row's hash is combined (partbounds.c,
--          compute_partition_hash_value), so a one-column NULL key leaves the hash at its start value 0 and
--          goes to the partition with remainder 0. A hash table has no DEFAULT and needs none.
DROP SCHEMA IF EXISTS lab_edge CASCADE;
CREATE SCHEMA lab_edge;

CREATE TABLE lab_edge.by_range (k int, case_name text) PARTITION BY RANGE (k);
CREATE TABLE lab_edge.by_range_0_100 PARTITION OF lab_edge.by_range FOR VALUES FROM (0) TO (100);
CREATE TABLE lab_edge.by_range_default PARTITION OF lab_edge.by_range DEFAULT;

CREATE TABLE lab_edge.by_list (k text, case_name text) PARTITION BY LIST (k);
CREATE TABLE lab_edge.by_list_ab PARTITION OF lab_edge.by_list FOR VALUES IN ('a', 'b');
CREATE TABLE lab_edge.by_list_null PARTITION OF lab_edge.by_list FOR VALUES IN (NULL);
CREATE TABLE lab_edge.by_list_default PARTITION OF lab_edge.by_list DEFAULT;

CREATE TABLE lab_edge.by_list_without_null (k text, case_name text) PARTITION BY LIST (k);
CREATE TABLE lab_edge.by_list_without_null_ab PARTITION OF lab_edge.by_list_without_null FOR VALUES IN ('a', 'b');
CREATE TABLE lab_edge.by_list_without_null_default PARTITION OF lab_edge.by_list_without_null DEFAULT;

CREATE TABLE lab_edge.by_hash (k int, case_name text) PARTITION BY HASH (k);
CREATE TABLE lab_edge.by_hash_r0 PARTITION OF lab_edge.by_hash FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE lab_edge.by_hash_r1 PARTITION OF lab_edge.by_hash FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE lab_edge.by_hash_r2 PARTITION OF lab_edge.by_hash FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE lab_edge.by_hash_r3 PARTITION OF lab_edge.by_hash FOR VALUES WITH (MODULUS 4, REMAINDER 3);

INSERT INTO lab_edge.by_range VALUES (NULL, 'range: NULL key'), (500, 'range: 500, beyond every range'), (7, 'range: 7');
INSERT INTO lab_edge.by_list VALUES (NULL, 'list: NULL key, a partition lists NULL'), ('z', 'list: unlisted value z');
INSERT INTO lab_edge.by_list_without_null VALUES (NULL, 'list: NULL key, no partition lists NULL');
INSERT INTO lab_edge.by_hash VALUES (NULL, 'hash: NULL key');

SELECT r.case_name, format('%I.%I', n.nspname, c.relname) AS landed_in
FROM (SELECT case_name, tableoid FROM lab_edge.by_range
      UNION ALL SELECT case_name, tableoid FROM lab_edge.by_list
      UNION ALL SELECT case_name, tableoid FROM lab_edge.by_list_without_null
      UNION ALL SELECT case_name, tableoid FROM lab_edge.by_hash) AS r
JOIN pg_class c ON c.oid = r.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY 1;
