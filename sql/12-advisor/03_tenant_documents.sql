-- app.tenant_documents: documents of 200 tenants (a few far bigger than the rest), big enough to partition, and
-- queried ONLY by tenant (09_workload.sql filters on tenant_id alone, never on created_at): the advisor should
-- recommend HASH on tenant_id (200 values: too many for LIST). Needs sql/base/00_lab_functions.sql.
-- Parameters: lab.rows (default 3000; AdvisorCases: ci 7,500, demo 75,000, full 1,500,000). Starts over.
DROP TABLE IF EXISTS app.tenant_documents CASCADE;
CREATE TABLE app.tenant_documents (
    id         bigserial   PRIMARY KEY,
    tenant_id  integer     NOT NULL,
    created_at timestamptz NOT NULL,
    title      text        NOT NULL,
    size_bytes integer     NOT NULL
);
CREATE INDEX tenant_documents_tenant_id_idx ON app.tenant_documents (tenant_id);
COMMENT ON TABLE app.tenant_documents IS 'Partition Lab: documents queried only by tenant. An ordinary table.';

SELECT setseed(0.43);
INSERT INTO app.tenant_documents (tenant_id, created_at, title, size_bytes)
SELECT lab.random_skewed_id(200)::int,
       lab.random_time(date_trunc('month', now()) - interval '24 months', now()),
       'document ' || i,
       (1000 + random() * 100000)::int
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '3000')::int) AS i;

ANALYZE app.tenant_documents;

SELECT 'app.tenant_documents' AS table_name, count(*) AS row_count, count(DISTINCT tenant_id) AS tenants FROM app.tenant_documents;
