-- Phases 2 and 3 (coordinator): registers a worker (lab.node_host, lab.node_port: as the coordinator reaches it).
-- citus_add_node returns the existing node's id when it is already registered, so a rerun changes nothing.
SELECT citus_add_node(current_setting('lab.node_host'), current_setting('lab.node_port')::int) AS nodeid;
