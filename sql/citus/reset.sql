-- Starting over (coordinator): drops the journey's tables wherever they are (dropping a distributed table drops its
-- shards on the workers) and the baseline, then takes every node out of the metadata, workers first: the cluster is
-- as before phase 2 (the Citus extension stays installed). The runbook shows what this would drop and runs it only
-- with --confirm.
DROP TABLE IF EXISTS app.order_items, app.orders, app.users, app.regions, lab.citus_baseline;
DO $$
DECLARE
    node record;
BEGIN
    IF to_regclass('pg_dist_node') IS NOT NULL THEN
        FOR node IN EXECUTE 'SELECT nodename, nodeport FROM pg_dist_node ORDER BY groupid = 0, nodeid' LOOP
            EXECUTE 'SELECT citus_remove_node($1, $2)' USING node.nodename, node.nodeport;
        END LOOP;
    END IF;
END
$$;
