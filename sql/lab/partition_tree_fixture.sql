-- A small two-level partitioned table for the tests of the tree picture (PartitionTreeChartTest):
-- a RANGE root, one leaf quarter and one quarter LIST-partitioned again (two lists and a DEFAULT).
-- Six members on three levels; rows in every leaf but the DEFAULT.
DROP SCHEMA IF EXISTS lab_tree_test CASCADE;
CREATE SCHEMA lab_tree_test;
CREATE TABLE lab_tree_test.sales (sold_on date NOT NULL, category text NOT NULL) PARTITION BY RANGE (sold_on);
CREATE TABLE lab_tree_test.sales_q1 PARTITION OF lab_tree_test.sales FOR VALUES FROM ('2024-01-01') TO ('2024-04-01');
CREATE TABLE lab_tree_test.sales_q2 PARTITION OF lab_tree_test.sales FOR VALUES FROM ('2024-04-01') TO ('2024-07-01')
    PARTITION BY LIST (category);
CREATE TABLE lab_tree_test.sales_q2_books PARTITION OF lab_tree_test.sales_q2 FOR VALUES IN ('books');
CREATE TABLE lab_tree_test.sales_q2_games PARTITION OF lab_tree_test.sales_q2 FOR VALUES IN ('games');
CREATE TABLE lab_tree_test.sales_q2_other PARTITION OF lab_tree_test.sales_q2 DEFAULT;
INSERT INTO lab_tree_test.sales
SELECT DATE '2024-01-01' + (i % 180), CASE WHEN i % 2 = 0 THEN 'books' ELSE 'games' END
FROM generate_series(1, 2000) AS i;
ANALYZE lab_tree_test.sales;
