-- app.countries: a 1,000-row lookup table, at every scale, that must NOT be partitioned (too small: one index lookup
-- finds any row). Queried by code and by region. Starts over when run again.
DROP TABLE IF EXISTS app.countries CASCADE;
CREATE TABLE app.countries (
    code   text PRIMARY KEY,
    name   text NOT NULL,
    region text NOT NULL
);
COMMENT ON TABLE app.countries IS 'Partition Lab: a 1,000-row lookup table the advisor must leave alone.';

SELECT setseed(0.42);
INSERT INTO app.countries (code, name, region)
SELECT 'C' || lpad(i::text, 4, '0'), 'Country ' || i, lab.random_region()
FROM generate_series(1, 1000) AS i;

ANALYZE app.countries;

SELECT 'app.countries' AS table_name, count(*) AS row_count FROM app.countries;
