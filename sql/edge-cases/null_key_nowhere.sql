-- A NULL partition key with nowhere to go: a RANGE table without a DEFAULT partition refuses the row with
-- SQLSTATE 23514, "no partition of relation ... found for row". Needs nothing else; recreates its own table.
CREATE SCHEMA IF NOT EXISTS lab_edge;
DROP TABLE IF EXISTS lab_edge.by_range_without_default;
CREATE TABLE lab_edge.by_range_without_default (k int, case_name text) PARTITION BY RANGE (k);
CREATE TABLE lab_edge.by_range_without_default_0_100 PARTITION OF lab_edge.by_range_without_default FOR VALUES FROM (0) TO (100);

INSERT INTO lab_edge.by_range_without_default VALUES (NULL, 'range without DEFAULT: NULL key');
