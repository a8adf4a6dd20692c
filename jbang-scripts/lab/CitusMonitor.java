package lab;

import static lab.Citus.COORDINATOR;
import static lab.Citus.HOT_TENANT;
import static lab.Citus.TABLES;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import lab.Citus.Routing;
import lab.Citus.State;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What the catalogs say about the {@link Citus} journey, read and never changed: where it stands, every node and
 * the shards it holds, the Citus tables, a tenant's shard, the rows against the baseline, a rebalance's progress
 * and the {@code status} tables ({@code citus.monitor()}). The journey's steps, in {@link Citus}, read it too.
 */
public final class CitusMonitor {
    private final Citus citus;

    CitusMonitor(Citus citus) {
        this.citus = citus;
    }

    public State state() {
        Table t = citus.run("state.sql", Map.of()).lastTable();
        Map<String, String> tables = new LinkedHashMap<>();
        String list = t.getString(0, "citus_tables");
        if (list != null && !list.isBlank()) {
            for (String entry : list.split(",")) {
                String[] kv = entry.split("=", 2);
                tables.put(kv[0], kv[1]);
            }
        }
        Object version = t.column("citus").get(0);
        return new State(t.booleanColumn("tables_exist").get(0), ((Number) t.column("baseline_tables").get(0)).intValue(),
                version == null || version.toString().isEmpty() ? null : version.toString(),
                ((Number) t.column("nodes").get(0)).intValue(), ((Number) t.column("workers").get(0)).intValue(), tables);
    }

    /** Every node and the shards it holds; before phase 2, the coordinator alone with its regular tables. */
    public Table placement() {
        if (!state().enabled()) {
            StringColumn labNode = StringColumn.create("lab_node", List.of(COORDINATOR));
            StringColumn node = StringColumn.create("node", List.of(citus.hostPort(COORDINATOR)));
            StringColumn role = StringColumn.create("role", List.of("coordinator (no Citus metadata)"));
            IntColumn shards = IntColumn.create("distributed_shards", new int[] {0});
            StringColumn where = StringColumn.create("tables", List.of("all four: regular tables"));
            return Table.create("placement", labNode, node, role, shards, where);
        }
        Table nodes = citus.run("nodes.sql", Map.of()).lastTable().setName("placement");
        nodes.insertColumn(0, StringColumn.create("lab_node", nodes.stringColumn("node").asList().stream().map(this::labNodeAt).toList()));
        return nodes;
    }

    /** The topology's name (citus, worker1, ...) of the node the coordinator reaches at host:port. */
    public String labNodeAt(String hostPort) {
        for (String node : Topology.CITUS_NODES) {
            Optional<Dsn> address = citus.seenFromCoordinatorIfKnown(node);
            if (address.isPresent() && Citus.hostPort(address.get()).equals(hostPort)) return node;
        }
        return "?";
    }

    /** citus_tables: type, distribution column, colocation, shard count and size of each Citus table. */
    public Table citusTables() {
        citus.requireCitus("tables");
        return citus.run("tables.sql", Map.of()).lastTable().setName("citus_tables");
    }

    /** Every shard of app.orders: hash range, node, whether it holds one tenant alone. */
    public Table shards() {
        citus.requireDistributed("shards");
        return citus.run("shards.sql", Map.of()).lastTable().setName("shards of app.orders");
    }

    /** SELECT * FROM citus_get_active_worker_nodes(). */
    public Table activeWorkers() {
        citus.requireCitus("active workers");
        return citus.coordinator().query("SELECT node_name, node_port FROM citus_get_active_worker_nodes() ORDER BY node_port, node_name");
    }

    /** The active workers by the lab's names (worker1, ...), sorted: who citus_get_active_worker_nodes() lists. */
    public List<String> activeWorkerNames() {
        Table active = activeWorkers();
        List<String> names = new ArrayList<>();
        for (int r = 0; r < active.rowCount(); r++) {
            names.add(labNodeAt(active.getString(r, "node_name") + ":" + ((Number) active.column("node_port").get(r)).longValue()));
        }
        Collections.sort(names);
        return names;
    }

    /** The lab's names (citus, worker1, ...) of the nodes a query's tasks ran on, sorted. */
    public Set<String> labNodes(Routing routing) {
        Set<String> names = new TreeSet<>();
        for (String node : routing.nodes()) names.add(labNodeAt(node));
        return names;
    }

    /** The shard count citus_tables reports for a table, 0 when it is not a Citus table. */
    public long shardCount(String table) {
        Table tables = citusTables();
        for (int r = 0; r < tables.rowCount(); r++) {
            if (tables.getString(r, "table_name").equals(table)) return ((Number) tables.column("shard_count").get(r)).longValue();
        }
        return 0;
    }

    /** The primary and foreign keys of orders and order_items as the catalog defines them ({@code keys.sql}). */
    public Table keys() {
        citus.requireSetUp("keys");
        return citus.run("keys.sql", Map.of()).lastTable().setName("keys of orders and order_items");
    }

    /** citus_shards grouped by table and node: shards and size ({@code shards_by_node.sql}). */
    public Table shardsByNode() {
        citus.requireCitus("citus_shards");
        return citus.run("shards_by_node.sql", Map.of()).lastTable().setName("citus_shards, by table and node");
    }

    /** One user's orders, counted on the coordinator (routed to the tenant's shard once distributed). */
    public long ordersOf(long tenant) {
        return ((Number) citus.coordinator().scalar("SELECT count(*) FROM app.orders WHERE user_id = ?", tenant)).longValue();
    }

    /** The tenant's shard, node, hash range and whether it is isolated. */
    public Table tenantShard(long tenant) {
        citus.requireDistributed("the tenant's shard");
        return citus.run("tenant_shard.sql", Map.of("lab.tenant", Long.toString(tenant))).lastTable().setName("tenant " + tenant);
    }

    /** Users and orders in one shard of app.orders, counted from its rows. */
    public Table shardUsers(long shardId) {
        citus.requireDistributed("a shard's users");
        return Sql.file("citus/shard_users.sql").withVariables(Map.of("shardid", Long.toString(shardId)))
                .run(citus.coordinator(), Map.of()).lastTable().setName("shard " + shardId);
    }

    /** Each table's rows now against the baseline: rows, checksum, same_rows. */
    public Table fingerprints() {
        if (!state().setUp()) throw new BadInput("no baseline yet: run setup first");
        return citus.run("fingerprints.sql", Map.of()).lastTable().setName("rows against the baseline");
    }

    /** True when every table holds exactly the baseline's rows. */
    public boolean sameRowsAsBaseline() {
        BooleanColumn same = fingerprints().booleanColumn("same_rows");
        return same.size() == TABLES.size() && same.asList().stream().allMatch(Boolean.TRUE::equals);
    }

    /** The tasks of one rebalance job: state and command ({@code rebalance_tasks.sql}). */
    public Table rebalanceTasks(long jobId) {
        return citus.run("rebalance_tasks.sql", Map.of("lab.job_id", Long.toString(jobId))).lastTable()
                .setName("the job's tasks (pg_dist_background_task)");
    }

    /** The latest rebalance job: state, tasks done of all. */
    public Table rebalanceStatus() {
        return citus.run("3_03_rebalance_status.sql", Map.of()).lastTable().setName("rebalance status");
    }

    /** Nodes, Citus tables and the rows against the baseline, for {@code status}. */
    public List<Table> status() {
        State state = state();
        List<Table> tables = new ArrayList<>();
        tables.add(Table.create("journey", StringColumn.create("phase", List.of(state.phase())),
                StringColumn.create("citus", List.of(state.citusVersion() == null ? "not installed" : state.citusVersion())),
                IntColumn.create("workers", new int[] {state.workers()})));
        tables.add(placement());
        if (state.citusVersion() != null && !state.citusTables().isEmpty()) tables.add(citusTables());
        if (state.distributed()) tables.add(tenantShard(HOT_TENANT));
        if (state.setUp()) tables.add(fingerprints());
        return tables;
    }
}
