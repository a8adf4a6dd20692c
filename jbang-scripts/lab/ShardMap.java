package lab;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * A client's copy of where each tenant of {@code app.events_sharded} lives, read once from the coordinator's catalog
 * ({@code sql/fdw/hash_bounds.sql}) and computed in Java by {@link HashPartitions}: what lets an application send a
 * tenant's query straight to its shard, as Citus routes a router query, instead of through the coordinator.
 *
 * <p>A copy can go stale: a reshard moves tenants. Two checks keep a stale copy from reading the wrong shard:
 * {@link #checkCurrent} compares the bounds with the coordinator's now (one catalog query), and every routed read
 * ({@link Routed}) carries the bounds it expects to the shard, which answers in the same round trip and snapshot with
 * the bounds it holds ({@code sql/fdw/routed_read.sql}, recorded by {@code sql/fdw/06_shard_bounds.sql}). Either way a
 * difference is refused with {@link Stale}, and nothing read is returned.
 *
 * <pre>{@code
 * var map = sharding.map();
 * var read = map.route("03_tenant_month.sql", 42);   // tenant 42's June, on its shard, the same SQL
 * display(read.rows());
 * }</pre>
 */
public final class ShardMap {
    private final HashPartitions partitions;
    private final List<Node> shardOfPartition;

    private ShardMap(HashPartitions partitions, List<Node> shardOfPartition) {
        this.partitions = partitions;
        this.shardOfPartition = shardOfPartition;
    }

    /** A map made stale by a reshard: the bounds it was read from are no longer the ones the servers hold. */
    public static final class Stale extends IllegalStateException {
        Stale(String message) {
            super(message);
        }
    }

    /** The message {@code action} was refused with as {@link Stale}, or "" when it was not refused (it ran). */
    public static String refusalOf(Runnable action) {
        try {
            action.run();
            return "";
        } catch (Stale refused) {
            return refused.getMessage();
        }
    }

    /** The coordinator's bounds of app.events_sharded now, each partition's shard a node of the lab. */
    static ShardMap read(Sharding sharding) {
        HashPartitions partitions = HashPartitions.of(sharding.coordinator(), Sharding.TABLE);
        List<Node> shards = new ArrayList<>();
        Table bounds = partitions.bounds();
        for (int r = 0; r < bounds.rowCount(); r++) {
            String shard = bounds.stringColumn("shard").get(r);
            if (shard == null || shard.isEmpty()) {
                throw new IllegalStateException(partitions.partitions().get(r) + " is not a foreign partition: nothing to route to");
            }
            shards.add(sharding.shard(shard));
        }
        return new ShardMap(partitions, List.copyOf(shards));
    }

    /** The bounds this map was read from: partition, modulus, remainder, shard, shard_table. */
    public Table bounds() {
        return partitions.bounds();
    }

    /** The shard the tenant's rows live on, by this map: computed in Java, no round trip. */
    public Node forTenant(int tenant) {
        return shardOfPartition.get(partitionOf(tenant));
    }

    /** The index (a row of {@link #bounds()}) of the partition the tenant's rows go to. */
    int partitionOf(int tenant) {
        return partitions.partitionOf(tenant);
    }

    /** The shard of a partition, by its index in {@link #bounds()}. */
    Node shardOfPartition(int partition) {
        return shardOfPartition.get(partition);
    }

    /** The name of {@link #forTenant}'s shard. */
    public String shardOf(int tenant) {
        return forTenant(tenant).name();
    }

    /**
     * Refuses with {@link Stale} when the coordinator's bounds now differ from the ones this map was read from (a
     * reshard); returns this map otherwise.
     */
    public ShardMap checkCurrent(Node coordinator) {
        List<String> now = rows(coordinator.run("fdw/hash_bounds.sql", Map.of("lab.table", Sharding.TABLE)).lastTable());
        List<String> read = rows(bounds());
        if (!now.equals(read)) {
            throw new Stale("the shard map is stale: it was read when " + Sharding.TABLE + " had " + String.join("; ", read)
                    + ", and the coordinator now has " + String.join("; ", now) + " (a reshard moved tenants); read the map again");
        }
        return this;
    }

    private static List<String> rows(Table bounds) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < bounds.rowCount(); r++) {
            rows.add(bounds.getString(r, "partition") + " (modulus " + bounds.getString(r, "modulus") + ", remainder "
                    + bounds.getString(r, "remainder") + ") on " + bounds.getString(r, "shard") + " as " + bounds.getString(r, "shard_table"));
        }
        return rows;
    }

    /** The bounds this map says a shard holds, as the shard records them: "shard_table modulus remainder", in order. */
    private List<String> boundsOn(Node shard) {
        List<String> held = new ArrayList<>();
        Table bounds = bounds();
        for (int r = 0; r < bounds.rowCount(); r++) {
            if (shardOfPartition.get(r).name().equals(shard.name())) {
                held.add(bounds.getString(r, "shard_table") + " " + bounds.getString(r, "modulus") + " " + bounds.getString(r, "remainder"));
            }
        }
        return held;
    }

    /**
     * One tenant's query of {@code sql/bench/queries/}, routed to the tenant's shard: the same SQL, on the shard's own
     * {@code app.events_shard}. A query that names no tenant (no {@code :'tenant'} in it) needs every shard and is bad
     * input: it belongs to the coordinator.
     */
    public Routed route(String benchQuery, int tenant) {
        Sql file;
        try {
            file = Sql.file("bench/queries/" + benchQuery);
        } catch (IllegalArgumentException missing) {
            throw new BadInput("no query " + benchQuery + " in sql/bench/queries/");
        }
        if (!file.text().contains(":'tenant'")) {
            throw new BadInput(benchQuery + " names no tenant (no :'tenant' in it): it needs every shard, so it runs through the "
                    + "coordinator; only a one-tenant query can be routed to a shard");
        }
        Node shard = forTenant(tenant);
        Sql sql = withTenant(file, "events_shard", tenant);
        List<String> statements = new ArrayList<>(Sql.file("fdw/routed_read.sql").statements());
        statements.addAll(sql.statements());
        statements.add("COMMIT");
        return new Routed(benchQuery, tenant, shard, sql, boundsOn(shard), String.join(";\n", statements));
    }

    /** A file of sql/bench/queries/ with its constants, the table and the tenant filled in. */
    static Sql withTenant(Sql benchQuery, String table, int tenant) {
        Map<String, String> variables = new LinkedHashMap<>(Bench.QUERY_CONSTANTS);
        variables.put("table", table);
        variables.put("tenant", Integer.toString(tenant));
        return benchQuery.withVariables(variables);
    }

    /** What reads a routed query's rows. */
    interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * A read routed by this map: the query, the shard it goes to, the bounds the map says that shard holds, and what
     * each run sends the shard in one round trip ({@code sql/fdw/routed_read.sql}, the query, COMMIT). A run compares
     * the bounds the shard answers with the expected ones and refuses with {@link Stale} if they differ.
     */
    public record Routed(String query, int tenant, Node shard, Sql sql, List<String> expectedBounds, String roundTrip) {
        /** The rows, as a table. */
        public Table rows() {
            return run(rs -> Tables.from(rs, shard.name())).value();
        }

        /** The same query for the same tenant through the coordinator, on app.events_sharded. */
        public Table rowsThroughCoordinator(Sharding sharding) {
            return withTenant(Sql.file("bench/queries/" + query), "events_sharded", tenant).run(sharding.coordinator(), Map.of()).lastTable();
        }

        /** Whether routed here the query returns the rows it returns through the coordinator (value by value, in order). */
        public boolean sameRowsAsCoordinator(Sharding sharding) {
            return RemoteTiming.asText(rows()).equals(RemoteTiming.asText(rowsThroughCoordinator(sharding)));
        }

        /**
         * The rows read to the end and checksummed as the benchmark does, timed as it times a query: from sending the
         * round trip (the bounds, the query and the COMMIT) to reading its last row.
         */
        BenchTiming.Outcome timed() {
            Read<BenchTiming.Digest> read = run(BenchTiming::digest);
            return new BenchTiming.Outcome(read.value().rows(), read.value().checksum(), read.ms());
        }

        /** What a run read, and the milliseconds from sending the round trip to its end. */
        private record Read<T>(T value, double ms) {}

        private <T> Read<T> run(ResultReader<T> reader) {
            try (Connection c = shard.connection()) {
                try (Statement s = c.createStatement()) {
                    c.setAutoCommit(true);
                    long started = System.nanoTime();
                    s.execute(roundTrip); // BEGIN: no rows
                    List<String> held = new ArrayList<>();
                    T result = null;
                    int resultSets = 0;
                    for (boolean rows = s.getMoreResults(); rows || s.getUpdateCount() != -1; rows = s.getMoreResults()) {
                        if (!rows) continue;
                        try (ResultSet rs = s.getResultSet()) {
                            if (resultSets++ == 0) {
                                while (rs.next()) held.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3));
                            } else {
                                result = reader.read(rs);
                            }
                        }
                    }
                    double ms = (System.nanoTime() - started) / 1e6;
                    if (!held.equals(expectedBounds)) {
                        throw new Stale("the shard map is stale: it routed tenant " + tenant + " to " + shard.name() + " for "
                                + String.join(", ", expectedBounds) + ", and " + shard.name() + " holds "
                                + (held.isEmpty() ? "no recorded bounds" : String.join(", ", held))
                                + " (a reshard moved tenants); its rows are not returned: read the map again");
                    }
                    return new Read<>(result, ms);
                } catch (SQLException | RuntimeException e) {
                    Node.resetSession(c); // a failed statement leaves the transaction open and aborted
                    throw e;
                }
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains(Sharding.SHARD_BOUNDS)) {
                    throw new Stale(shard.name() + " records no bounds (no " + Sharding.SHARD_BOUNDS + "): its layout was built before "
                            + "routed reads were checked; build it again (Sharding.build, or Bench.java --load) and read the map again");
                }
                throw new LabSqlException(shard.name(), sql.name() + " (routed)", e);
            }
        }
    }
}
