-- Online migration, before step 1 runs again: the INVALID unique index an interrupted build left (state.sql says
-- index_valid false and index_building false) is dropped CONCURRENTLY, so that the build can start over.
-- Locks: SHARE UPDATE EXCLUSIVE on the table while it waits for the transactions that may use the index: readers
-- and writers go on. psql variables: schema and index (as 1_unique_index.sql).
DROP INDEX CONCURRENTLY IF EXISTS :"schema".:"index";
