-- For relations named in a plan (lab.relations: comma-separated, schema-qualified), the partitioned
-- table each belongs to and how many leaf partitions that table has in all, so that an EXPLAIN can be
-- read as "scanned N of M partitions". A relation outside any partition tree is its own root with 0 leaves.
WITH named AS (
    SELECT DISTINCT name AS relation, to_regclass(name) AS relid
    FROM unnest(string_to_array(current_setting('lab.relations'), ',')) AS name
    WHERE to_regclass(name) IS NOT NULL
), rooted AS (
    SELECT relation, pg_partition_root(relid) AS root_oid FROM named
)
SELECT rooted.relation,
       CASE WHEN root_oid IS NULL THEN rooted.relation
            ELSE (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = root_oid) END AS root,
       CASE WHEN root_oid IS NULL THEN 0
            ELSE (SELECT count(*) FROM pg_partition_tree(root_oid) t WHERE t.isleaf) END AS root_leaf_count
FROM rooted;
