-- Lesson 06, step 4: audit.audit_logs_plain, an ordinary (unpartitioned) table holding the rows audit.audit_logs
-- holds now, oldest first, with the same primary key and index plus the index on created_at a plain table needs
-- to find a month: the other side of the comparison of DELETE with dropping a partition (steps 5 and 6).
-- Autovacuum is off for this one table, so that what a DELETE leaves behind stays there until the lesson has
-- looked (in production autovacuum comes a little later: it makes the space reusable, and gives none of it back).
-- Re-running the file starts the copy over. Shows both tables: rows and size (tables, indexes and TOAST).
DROP TABLE IF EXISTS audit.audit_logs_plain;

-- the same columns, primary key and indexes (LIKE copies them from the partitioned table), no identity: ids are copied
CREATE TABLE audit.audit_logs_plain (LIKE audit.audit_logs INCLUDING INDEXES) WITH (autovacuum_enabled = false);

INSERT INTO audit.audit_logs_plain
SELECT * FROM audit.audit_logs
ORDER BY created_at, id;

CREATE INDEX ON audit.audit_logs_plain (created_at);
ANALYZE audit.audit_logs_plain;

SELECT 'audit.audit_logs' AS "table", 'partitioned by month' AS layout,
       (SELECT count(*) FROM audit.audit_logs) AS "rows",
       (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs'))::bigint AS total_bytes
UNION ALL
SELECT 'audit.audit_logs_plain', 'one heap, autovacuum off',
       (SELECT count(*) FROM audit.audit_logs_plain),
       pg_total_relation_size('audit.audit_logs_plain')
ORDER BY 1;
