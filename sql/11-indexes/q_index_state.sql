-- Lesson 11: where a partitioned index stands: valid or not (pg_index.indisvalid), how many partitions'
-- indexes are attached to it (pg_inherits), out of how many partitions, and its definition.
--   psql: SET lab.index = 'app.readings_sensor_taken_idx';  \i q_index_state.sql
SELECT format('%I.%I', n.nspname, c.relname) AS parent_index,
       i.indisvalid AS valid,
       (SELECT count(*) FROM pg_inherits h WHERE h.inhparent = i.indexrelid) AS attached,
       (SELECT count(*) FROM pg_inherits h WHERE h.inhparent = i.indrelid) AS partitions,
       pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indexrelid = current_setting('lab.index')::regclass;
