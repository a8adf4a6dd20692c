package lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Seed Variant B: {@code app.events_sharded} on the FDW coordinator, HASH-partitioned on tenant_id into the foreign
 * partitions {@code app.events_mod2_r0} (shard1) and {@code app.events_mod2_r1} (shard2), each a postgres_fdw view of
 * the shard's own {@code app.events_shard}. The statements are in {@code sql/fdw/}; this class runs them on the right
 * node and reads back what lessons 07 and 08 claim.
 *
 * <pre>{@code
 * var sharding = Sharding.on(lab);
 * sharding.build();
 * sharding.loadThroughCoordinator(EventGenerator.Request.of("app.events_sharded", from, to, perMonth, 1000, 42));
 * display(sharding.distribution());
 * }</pre>
 */
public final class Sharding {
    public static final String COORDINATOR = "coordinator";
    /** The shards in remainder order: shard1 holds MODULUS 2 REMAINDER 0, shard2 REMAINDER 1. */
    public static final List<String> SHARDS = List.of("shard1", "shard2");
    public static final String TABLE = "app.events_sharded";
    static final String SHARD_TABLE = "app.events_shard";
    public static final double DEFAULT_SPREAD_THRESHOLD_PCT = 10;

    private final Topology topology;

    private Sharding(Topology topology) {
        this.topology = topology;
    }

    public static Sharding on(Lab lab) {
        return new Sharding(lab.topology());
    }

    public static Sharding on(Topology topology) {
        return new Sharding(topology);
    }

    /**
     * The coordinator, with its foreign servers pointing at the shards as they run now (the shards are started first
     * on the embedded topology, where a restarted shard has a new port).
     */
    public Node coordinator() {
        Node coordinator = topology.node(COORDINATOR);
        if (!pointed) {
            coordinator.run("fdw/point_servers.sql", shardAddresses());
            pointed = true;
        }
        return coordinator;
    }

    private boolean pointed;

    /** Where the coordinator reaches each shard, as the settings sql/fdw/02 and point_servers.sql read. */
    private Map<String, String> shardAddresses() {
        Map<String, String> where = new LinkedHashMap<>();
        for (String shard : SHARDS) {
            Dsn dsn = topology.seenFromCoordinator(shard);
            where.put("lab." + shard + "_host", dsn.host());
            where.put("lab." + shard + "_port", Integer.toString(dsn.port()));
            where.put("lab.shard_dbname", dsn.database());
            where.put("lab.shard_user", dsn.user());
            where.put("lab.shard_password", dsn.password() == null ? "" : dsn.password());
        }
        return where;
    }

    public Node shard(String name) {
        if (!SHARDS.contains(name)) throw new BadInput("unknown shard '" + name + "': the shards are " + String.join(", ", SHARDS));
        return topology.node(name);
    }

    /**
     * Builds Variant B from nothing (or starts it over, empty): each shard's table, then the coordinator's servers,
     * user mappings and partitioned table. One row per step: the node and the file that ran there.
     */
    public Table build() {
        StringColumn node = StringColumn.create("node");
        StringColumn file = StringColumn.create("sql file");
        for (String shard : SHARDS) {
            shard(shard).run("fdw/01_shard_table.sql");
            node.append(shard);
            file.append("fdw/01_shard_table.sql");
        }
        Map<String, String> where = shardAddresses();
        for (String step : List.of("fdw/02_coordinator_servers.sql", "fdw/03_events_sharded.sql")) {
            coordinator().run(step, where);
            node.append(COORDINATOR);
            file.append(step);
        }
        for (String shard : recordBounds()) {
            node.append(shard);
            file.append(RECORD_BOUNDS);
        }
        map = null;
        return Table.create("built " + TABLE, node, file);
    }

    private static final String RECORD_BOUNDS = "fdw/06_shard_bounds.sql";
    /** Where each shard records the bounds it holds (sql/fdw/01_shard_table.sql, filled by step 6). */
    static final String SHARD_BOUNDS = "app.shard_bounds";

    /**
     * Step 6 on every shard: the hash bounds the coordinator's catalog gives it, recorded in its app.shard_bounds for
     * routed reads to be checked against. Returns the shards, in order.
     */
    private List<String> recordBounds() {
        Table bounds = HashPartitions.of(coordinator(), TABLE).bounds();
        for (String shard : SHARDS) {
            var held = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (int r = 0; r < bounds.rowCount(); r++) {
                if (!shard.equals(bounds.getString(r, "shard"))) continue;
                held.addObject().put("shard_table", bounds.getString(r, "shard_table"))
                        .put("modulus", bounds.intColumn("modulus").get(r)).put("remainder", bounds.intColumn("remainder").get(r));
            }
            shard(shard).run(RECORD_BOUNDS, Map.of("lab.bounds", held.toString()));
        }
        return SHARDS;
    }

    /**
     * A reshard that moves every tenant, the smallest there is: app.events_sharded built again with remainder 0 on
     * shard2 and remainder 1 on shard1 ({@code sql/fdw/reshard/swap_shards.sql}), the new bounds recorded on the
     * shards, and the same rows loaded shard-aware. A {@link ShardMap} read before it is stale. {@link #build()} and a
     * load put the layout back.
     */
    public EventGenerator.Stats swapShards(EventGenerator.Request request) {
        build();
        coordinator().run("fdw/reshard/swap_shards.sql");
        recordBounds();
        return loadShardAware(request);
    }

    private ShardMap map;

    /**
     * This client's copy of where each tenant lives ({@link ShardMap}), read from the coordinator's bounds the first
     * time and kept: an application reads it once, as this does, and must read it again after a reshard
     * ({@link #readMap()}).
     */
    public ShardMap map() {
        if (map == null) map = ShardMap.read(this);
        return map;
    }

    /** Reads the map again from the coordinator's bounds, as an application must after a reshard. */
    public ShardMap readMap() {
        map = ShardMap.read(this);
        return map;
    }

    /**
     * The tenant's shard: computed by {@link HashPartitions} from this client's map ({@link #map()}), after checking
     * the map against the coordinator's bounds now. A map made stale by a reshard is refused ({@link ShardMap.Stale}).
     */
    public Node forTenant(int tenant) {
        return map().checkCurrent(coordinator()).forTenant(tenant);
    }

    /**
     * The rows a later lesson reads: when app.events_sharded already holds {@code request.rows()} rows (lesson 07
     * loaded them) and the shards record their bounds, nothing happens; otherwise build() starts over and the
     * shard-aware load fills it. Returns what it did, in one line.
     */
    public String ensureLoaded(EventGenerator.Request request) {
        // a layout built before the shards recorded their bounds is built again: routed reads check them
        if (Partitions.exists(coordinator(), TABLE) && SHARDS.stream().allMatch(s -> Partitions.exists(shard(s), SHARD_BOUNDS))) {
            long rows = coordinator().count(TABLE);
            if (rows == request.rows()) return String.format(java.util.Locale.ROOT, "%s already holds the %,d rows lesson 07 loaded", TABLE, rows);
        }
        build();
        EventGenerator.Stats stats = loadShardAware(request);
        return TABLE + " built and loaded shard-aware: " + stats;
    }

    /** Loads through the coordinator: a COPY into app.events_sharded, routed by PostgreSQL and sent in batches. */
    public EventGenerator.Stats loadThroughCoordinator(EventGenerator.Request request) {
        var stats = EventGenerator.load(coordinator(), request.withTable(TABLE));
        analyze();
        return stats;
    }

    /**
     * Loads the same rows straight into the shards: the coordinator's own hash (sql/fdw/shard_map.sql) says which
     * shard each tenant lives on, and every connection streams a COPY into both shards at once.
     */
    public EventGenerator.Stats loadDirect(EventGenerator.Request request) {
        Table map = coordinator().run("fdw/shard_map.sql", Map.of("lab.table", TABLE,
                "lab.tenants", Integer.toString(request.tenants()))).lastTable();
        List<EventGenerator.Destination> destinations = new ArrayList<>();
        Map<String, Integer> indexOfShard = new HashMap<>();
        int[] destinationOfTenant = new int[request.tenants() + 1];
        for (int r = 0; r < map.rowCount(); r++) {
            String shard = map.stringColumn("shard").get(r);
            String table = map.stringColumn("shard_table").get(r);
            int index = indexOfShard.computeIfAbsent(shard, s -> {
                destinations.add(new EventGenerator.Destination(topology.node(s), table));
                return destinations.size() - 1;
            });
            destinationOfTenant[((Number) map.column("tenant_id").get(r)).intValue()] = index;
        }
        if (map.rowCount() != request.tenants()) {
            throw new IllegalStateException(TABLE + "'s partitions take " + map.rowCount() + " of tenants 1.." + request.tenants()
                    + "; build it first (every tenant must hash to a partition)");
        }
        var stats = EventGenerator.loadRouted(destinations, tenant -> destinationOfTenant[tenant],
                TABLE + " (direct to " + String.join(", ", indexOfShard.keySet().stream().sorted().toList()) + ")",
                request.withTable(TABLE));
        analyze();
        return stats;
    }

    /**
     * Shard-aware: the loader routes every row itself, with PostgreSQL's own hash partitioning computed in Java
     * ({@link HashPartitions}, from the partition bounds in the coordinator's catalog, sql/fdw/hash_bounds.sql), and
     * streams a COPY into every shard at once. Unlike {@link #loadDirect}, it asks the server nothing per tenant, so
     * it routes any tenant id. The same rows as the other two routes.
     */
    public EventGenerator.Stats loadShardAware(EventGenerator.Request request) {
        ShardMap map = readMap(); // the bounds as they are now, as a client writing straight to the shards must have them
        Table bounds = map.bounds();
        List<EventGenerator.Destination> destinations = new ArrayList<>();
        for (int r = 0; r < bounds.rowCount(); r++) {
            destinations.add(new EventGenerator.Destination(map.shardOfPartition(r), bounds.stringColumn("shard_table").get(r)));
        }
        var stats = EventGenerator.loadRouted(destinations, map::partitionOf,
                TABLE + " (shard-aware, to " + String.join(", ", bounds.stringColumn("shard").asList()) + ")",
                request.withTable(TABLE));
        analyze();
        return stats;
    }

    /**
     * One of the benchmark's queries on app.events_sharded as written and in the form the shards compute
     * (sql/bench/queries/pushdown/): each plan (with the rows the coordinator received from the shards), each median
     * over {@code runs} timed runs after one warm-up, and whether both forms give the same rows.
     */
    public record Pushdown(String query, PlanSummary asWritten, PlanSummary pushed, double asWrittenMs, double pushedMs,
                           boolean sameRows) {
        /** The pushed form ships aggregates, not rows: its plan says "Aggregate on" for the shards' part. */
        public boolean computedOnShards() {
            return pushed.aggregateOnShards();
        }
    }

    /** @param benchQuery a file of sql/bench/queries/ that sql/bench/queries/pushdown/ has a form of, e.g. 02_month_count.sql */
    public Pushdown pushdown(String benchQuery, int runs) {
        if (!Bench.PUSHED_DOWN.contains(benchQuery)) {
            throw new BadInput(benchQuery + " has no pushed-down form; these do: " + String.join(", ", new java.util.TreeSet<>(Bench.PUSHED_DOWN)));
        }
        if (runs < 1) throw new BadInput("runs must be at least 1, got " + runs);
        Map<String, String> variables = Bench.variables(Bench.Layout.sharded);
        Sql asWritten = Sql.file("bench/queries/" + benchQuery).withVariables(variables);
        Sql pushed = Sql.file("bench/queries/pushdown/" + benchQuery).withVariables(variables);
        Node node = coordinator();
        double[] written = new double[runs];
        double[] shards = new double[runs];
        BenchTiming.Outcome writtenOutcome = BenchTiming.execute(node, asWritten);
        BenchTiming.Outcome pushedOutcome = BenchTiming.execute(node, pushed);
        for (int i = 0; i < runs; i++) {
            written[i] = BenchTiming.execute(node, asWritten).ms();
            shards[i] = BenchTiming.execute(node, pushed).ms();
        }
        boolean sameRows = writtenOutcome.rows() == pushedOutcome.rows() && writtenOutcome.checksum().equals(pushedOutcome.checksum());
        return new Pushdown(benchQuery, Explain.analyze(node, asWritten), Explain.analyze(node, pushed),
                Bench.percentile(written, 50), Bench.percentile(shards, 50), sameRows);
    }

    /** Several comparisons side by side: times, the rows each form brought to the coordinator, the speed-up. */
    public static Table pushdownTable(List<Pushdown> comparisons) {
        var query = tech.tablesaw.api.StringColumn.create("query");
        var writtenMs = tech.tablesaw.api.DoubleColumn.create("as_written_ms");
        var writtenRows = tech.tablesaw.api.LongColumn.create("rows_to_coordinator");
        var pushedMs = tech.tablesaw.api.DoubleColumn.create("pushed_ms");
        var pushedRows = tech.tablesaw.api.LongColumn.create("rows_to_coordinator_pushed");
        var faster = tech.tablesaw.api.DoubleColumn.create("x_faster");
        var onShards = tech.tablesaw.api.BooleanColumn.create("computed_on_shards");
        var same = tech.tablesaw.api.BooleanColumn.create("same_rows");
        for (Pushdown p : comparisons) {
            query.append(p.query());
            writtenMs.append(Bench.round(p.asWrittenMs()));
            writtenRows.append(p.asWritten().rowsRead());
            pushedMs.append(Bench.round(p.pushedMs()));
            pushedRows.append(p.pushed().rowsRead());
            faster.append(Bench.round(p.asWrittenMs() / p.pushedMs()));
            onShards.append(p.computedOnShards());
            same.append(p.sameRows());
        }
        return Table.create("as written vs computed on the shards", query, writtenMs, writtenRows, pushedMs, pushedRows, faster,
                onShards, same);
    }

    /**
     * postgres_fdw's fetch_size on both foreign servers: rows per round trip when rows come to the coordinator
     * ({@code null}: back to the default of 100). Returns the setting now (sql/fdw/fetch_size.sql).
     */
    public Table fetchSize(Integer rows) {
        if (rows != null && rows < 1) throw new BadInput("fetch_size must be at least 1, got " + rows);
        return coordinator().run("fdw/fetch_size.sql", Map.of("lab.fetch_size", rows == null ? "default" : rows.toString())).lastTable();
    }

    /**
     * postgres_fdw's async_capable on both foreign servers (on by the lab's build): with it, an Append over several
     * foreign scans starts them all and reads whichever answers first; without it, one shard after the other.
     */
    public Table asyncCapable(boolean on) {
        return coordinator().run("fdw/async_capable.sql", Map.of("lab.async_capable", Boolean.toString(on))).lastTable();
    }

    /** Fresh statistics on the shards, then on the coordinator (which samples the shards through postgres_fdw). */
    public void analyze() {
        for (String shard : SHARDS) shard(shard).run("fdw/04_analyze_shard.sql");
        coordinator().run("fdw/05_analyze_coordinator.sql");
    }

    /**
     * Each foreign partition's rows counted two ways: through the coordinator, and on its shard directly. The claim:
     * both shards hold rows, and every count agrees.
     */
    public Table distribution() {
        Table partitions = coordinator().run("fdw/q_rows_per_partition.sql").lastTable();
        LongColumn onShard = LongColumn.create("rows_on_shard");
        BooleanColumn same = BooleanColumn.create("counts_equal");
        for (int r = 0; r < partitions.rowCount(); r++) {
            String shard = partitions.stringColumn("shard").get(r);
            long direct = ((Number) shard(shard).run("fdw/shard_rows.sql").lastTable().column("row_count").get(0)).longValue();
            onShard.append(direct);
            same.append(direct == ((Number) partitions.column("rows_via_coordinator").get(r)).longValue());
        }
        return partitions.addColumns(onShard, same).setName("rows per shard");
    }

    /** Every tenant, the partitions holding it and whether its hash names that partition (sql/fdw/tenant_placement.sql). */
    public Table tenantPlacement() {
        return coordinator().run("fdw/tenant_placement.sql").lastTable().setName("where each tenant lives");
    }

    /** The tenant's shard by the coordinator's hash. */
    public String shardOf(int tenant) {
        Table map = coordinator().run("fdw/shard_map.sql", Map.of("lab.table", TABLE, "lab.tenants", Integer.toString(tenant))).lastTable();
        return map.stringColumn("shard").get(map.rowCount() - 1);
    }

    /** EXPLAIN ANALYZE of one tenant's count: the claim is one foreign partition of two. */
    public PlanSummary oneTenant(int tenant) {
        return Explain.analyze(coordinator(), Sql.file("fdw/q_one_tenant.sql").withVariables(Map.of("tenant", Integer.toString(tenant))));
    }

    /** EXPLAIN ANALYZE of events per tenant: pushed down to both shards at once when partitionwise. */
    public PlanSummary aggregateByTenant(boolean partitionwise) {
        return Explain.analyze(coordinator(), Sql.file("fdw/q_aggregate_by_tenant.sql").withVariables(Map.of("partitionwise", onOff(partitionwise))));
    }

    /** EXPLAIN ANALYZE of events per type: not pushable (the key is not in the GROUP BY), counted on the coordinator. */
    public PlanSummary aggregateByEventType(boolean partitionwise) {
        return Explain.analyze(coordinator(), Sql.file("fdw/q_aggregate_by_event_type.sql").withVariables(Map.of("partitionwise", onOff(partitionwise))));
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    /** Rows and size per shard, and the status line: ALERT when the spread is beyond the threshold. */
    public record Monitor(Table shards, String status, double spreadPct, boolean alert) {
        @Override
        public String toString() {
            return status;
        }
    }

    public Monitor monitor(double spreadThresholdPct) {
        if (!(spreadThresholdPct >= 0)) throw new BadInput("the spread threshold must be a percentage of 0 or more, got " + spreadThresholdPct);
        var result = coordinator().run("fdw/monitor_shards.sql", Map.of("lab.spread_threshold_pct", Double.toString(spreadThresholdPct)));
        var statements = result.statements().stream().filter(Sql.StatementResult::hasRows).toList();
        Table verdict = statements.get(statements.size() - 1).table();
        return new Monitor(statements.get(statements.size() - 2).table().setName("rows and size per shard"),
                verdict.stringColumn("status").get(0), ((Number) verdict.column("spread_pct").get(0)).doubleValue(),
                verdict.booleanColumn("alert").get(0));
    }

    /** The limits of Variant B, shown: each method runs one file of sql/fdw/limits/ and returns what it showed. */
    public Limits limits() {
        return new Limits();
    }

    public final class Limits {
        private Limits() {}

        /** The lowest tenant on each shard, and a clean slate (rows an earlier run left removed). */
        public Table tenants() {
            return coordinator().run("fdw/limits/00_tenants.sql").lastTable();
        }

        /** The same id on both shards: two rows, one per partition. */
        public Table duplicateId() {
            return coordinator().run("fdw/limits/01_duplicate_id.sql").lastTable();
        }

        /** The unique index the parent cannot have (fails on purpose): the server's refusal. */
        public LabSqlException noUniqueIndex() {
            return refusal(COORDINATOR, "fdw/limits/01_no_unique_index.sql");
        }

        /** The foreign key nothing can reference (fails on purpose): the server's refusal. */
        public LabSqlException globalForeignKey() {
            return refusal(COORDINATOR, "fdw/limits/02_global_foreign_key.sql");
        }

        /**
         * One transaction writing to both shards, shard2 refusing at COMMIT: the coordinator's error, and what stayed
         * (shard1's row committed, shard2's not). shard2 commits normally again afterwards.
         */
        public FailedCommit writeBothShardsWithShard2Failing() {
            shard("shard2").run("fdw/limits/03_shard2_refuses_commit.sql");
            try {
                LabSqlException error = refusal(COORDINATOR, "fdw/limits/03_write_both_shards.sql");
                return new FailedCommit(error, coordinator().run("fdw/limits/03_what_stayed.sql").lastTable());
            } finally {
                shard("shard2").run("fdw/limits/03_shard2_cleanup.sql");
            }
        }

        /** A tenant change that would move a row to the other shard: where the row is after it. */
        public Table rowCannotMove() {
            return coordinator().run("fdw/limits/04_row_cannot_move.sql").lastTable();
        }

        /** Removes every row the limits wrote. */
        public void cleanup() {
            coordinator().run("fdw/limits/05_cleanup.sql");
        }

        /** Going from 2 shards to 4 by hand: tenants and rows that stay and that move, per shard. */
        public Table reshardCost() {
            return coordinator().run("fdw/limits/06_reshard_cost.sql").lastTable().setName("2 -> 4 shards: what moves");
        }

        private LabSqlException refusal(String node, String file) {
            try {
                topology.node(node).run(file);
            } catch (LabSqlException e) {
                return e;
            }
            throw new IllegalStateException(file + " was expected to fail on " + node + " and did not");
        }
    }

    /** What a multi-shard write that failed at COMMIT left behind. */
    public record FailedCommit(LabSqlException error, Table whatStayed) {}
}
