package lab;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Loads synthetic events into an events-shaped table ({@code id uuid, tenant_id int, occurred_at timestamptz,
 * event_type text, payload jsonb}) as the seeds' generator did, but through binary COPY: rows are produced
 * straight into COPY buffers, never held in memory or written to a file.
 *
 * <pre>{@code
 * var stats = EventGenerator.load(lab.node("partitioned"), "app.events",
 *         YearMonth.of(2024, 1), YearMonth.of(2024, 12), lab.scale().rowsPerMonth(), 1000, 42);
 * }</pre>
 *
 * <p>The rows are a function of the seed alone: each month is cut into slices of {@value #SLICE_ROWS} rows and
 * every slice draws from its own random stream, so the same seed gives the same rows however many connections
 * share the work. Those connections (two by default, {@link Request#connections}) each run one COPY and commit
 * only once every COPY has finished; if one fails, all roll back.
 *
 * <p>This class holds what to load and the checks made before anything is written (the table's shape, the pool,
 * the free disk); {@link EventCopy} draws the rows and streams them.
 */
public final class EventGenerator {
    /** Rows per random stream; part of what a seed means, so changing it changes every generated row. */
    static final int SLICE_ROWS = 50_000;
    /**
     * Two COPY streams keep two server backends busy; the server, not the generator, is the bottleneck (generating
     * takes under a tenth of the COPY time). On 2 cores two streams load 1.2-1.5x the rows/s of one; more do not help.
     */
    public static final int DEFAULT_CONNECTIONS = 2;
    public static final long MAX_ROWS_PER_MONTH = 1_000_000_000L;

    /**
     * What a generated row takes on disk, for the free-space check before a load: heap and app.events' primary key
     * and three indexes together, measured after a load of 200,000 random rows a month (259 bytes).
     */
    public static final long BYTES_PER_ROW = 260;
    /** The columns written, in COPY order, with the types accepted for each (the first is app.events' type). */
    static final List<Column> COLUMNS = List.of(
            new Column("id", List.of("uuid")),
            new Column("tenant_id", List.of("integer", "bigint")),
            new Column("occurred_at", List.of("timestamp with time zone")),
            new Column("event_type", List.of("text", "character varying")),
            new Column("payload", List.of("jsonb", "json")));
    private static final Set<String> LOADABLE_RELKINDS = Set.of("r", "p", "f");

    private EventGenerator() {}

    /** What to load. Invalid values are the user's mistake: the constructor throws {@link BadInput}. */
    public record Request(String table, YearMonth from, YearMonth to, long perMonth, int tenants, long seed,
                          int connections, Progress.Mode progress) {
        public Request {
            if (table == null || table.isBlank()) throw new BadInput("name the table to load, e.g. app.events");
            if (from == null || to == null) throw new BadInput("give the first and the last month to load (YYYY-MM)");
            if (from.getYear() < 1) throw new BadInput("month " + from + " is before year 1");
            if (from.isAfter(to)) throw new BadInput("from month " + from + " is after to month " + to);
            if (perMonth < 1 || perMonth > MAX_ROWS_PER_MONTH) {
                throw new BadInput("per-month must be between 1 and " + MAX_ROWS_PER_MONTH + ", got " + perMonth);
            }
            if (tenants < 1) throw new BadInput("tenants must be at least 1, got " + tenants);
            if (connections < 1) throw new BadInput("connections must be at least 1, got " + connections);
            if (progress == null) progress = Progress.Mode.AUTO;
        }

        /** Two connections, progress shown on a terminal only. */
        public static Request of(String table, YearMonth from, YearMonth to, long perMonth, int tenants, long seed) {
            return new Request(table, from, to, perMonth, tenants, seed, DEFAULT_CONNECTIONS, Progress.Mode.AUTO);
        }

        public Request withTable(String table) {
            return new Request(table, from, to, perMonth, tenants, seed, connections, progress);
        }

        public Request withConnections(int connections) {
            return new Request(table, from, to, perMonth, tenants, seed, connections, progress);
        }

        public Request withProgress(Progress.Mode progress) {
            return new Request(table, from, to, perMonth, tenants, seed, connections, progress);
        }

        public int months() {
            return (int) (to.getYear() * 12L + to.getMonthValue() - from.getYear() * 12L - from.getMonthValue() + 1);
        }

        public long rows() {
            return perMonth * months();
        }
    }

    /**
     * What a load did. {@code generating} is the time spent producing rows, summed over the connections; it
     * overlaps {@code copying}, the wall time from the first COPY to the commit, from which the rate comes.
     */
    public record Stats(String table, YearMonth from, YearMonth to, long rows, int tenants, long seed, int connections,
                        Duration generating, Duration copying, List<String> notes) {
        public double rowsPerSecond() {
            return rows / Math.max(copying.toNanos() / 1e9, 1e-9);
        }

        /** One row, for {@code display(...)} in a notebook or {@code --format} in a runbook. */
        public Table toTable() {
            return Table.create("generated " + table,
                    StringColumn.create("table", table),
                    StringColumn.create("months", from + ".." + to),
                    LongColumn.create("rows", new long[] {rows}),
                    IntColumn.create("tenants", new int[] {tenants}),
                    LongColumn.create("seed", new long[] {seed}),
                    IntColumn.create("connections", new int[] {connections}),
                    DoubleColumn.create("generate_s", new double[] {round(generating.toNanos() / 1e9, 2)}),
                    DoubleColumn.create("copy_s", new double[] {round(copying.toNanos() / 1e9, 2)}),
                    LongColumn.create("rows_per_s", new long[] {Math.round(rowsPerSecond())}));
        }

        public String summary() {
            return String.format(Locale.ROOT,
                    "loaded %,d rows into %s (%s..%s, seed %d): generation %.2f s (summed over %d stream%s, overlapping "
                            + "the COPY), COPY %.2f s, %,d rows/s",
                    rows, table, from, to, seed, generating.toNanos() / 1e9, connections, connections == 1 ? "" : "s",
                    copying.toNanos() / 1e9, Math.round(rowsPerSecond()));
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    public static Stats load(Node node, String table, YearMonth from, YearMonth to, long perMonth, int tenants, long seed) {
        return load(node, Request.of(table, from, to, perMonth, tenants, seed));
    }

    /** Checks everything first (the table, its columns, the months), so that bad input writes nothing. */
    public static Stats load(Node node, Request request) {
        return loadRouted(List.of(new Destination(node, request.table())), tenant -> 0, null, request);
    }

    /** A table on a node that a routed load writes into. */
    public record Destination(Node node, String table) {}

    /**
     * The same rows as {@link #load(Node, Request)} with the same seed, each sent to the destination its tenant maps
     * to: every connection streams one COPY into every destination at once, and all of them commit together once
     * every COPY has finished (one server after another: across servers that is not atomic, as lesson 08's missing
     * two-phase commit shows). This is how rows go straight into the shards of a sharded table, bypassing its
     * coordinator; {@code label} names the whole in the result (the request's table is not used; null: the first
     * destination's table).
     *
     * @param destinationOfTenant for each tenant (1..tenants), the index of its destination
     */
    public static Stats loadRouted(List<Destination> destinations, java.util.function.IntUnaryOperator destinationOfTenant,
                                   String label, Request request) {
        for (Destination d : destinations) {
            int poolSize = d.node().pool().getMaximumPoolSize();
            if (request.connections() > poolSize) {
                throw new BadInput("connections must be at most " + poolSize + " (the pool size of node " + d.node().name() + ")");
            }
        }
        int[] route = new int[request.tenants() + 1];
        for (int tenant = 1; tenant <= request.tenants(); tenant++) {
            route[tenant] = destinationOfTenant.applyAsInt(tenant);
            if (route[tenant] < 0 || route[tenant] >= destinations.size()) {
                throw new IllegalArgumentException("tenant " + tenant + " routed to destination " + route[tenant]
                        + " of " + destinations.size());
            }
        }
        List<Target> targets = destinations.stream().map(d -> Target.resolve(d.node(), d.table())).toList();
        List<String> notes = checkDiskSpace(destinations, route, request);
        List<EventCopy.Slice> slices = EventCopy.slices(destinations.get(0).node(), request);
        return EventCopy.copy(destinations, targets, route, label == null ? targets.get(0).qualifiedName() : label,
                request, slices, notes);
    }

    /**
     * Refuses (bad input, nothing written) a load that would not fit: each destination's share of the rows, times
     * {@link #BYTES_PER_ROW}, summed over the destinations whose data folders share a disk, against that disk's free
     * space. Where a server's data folder cannot be seen from here, the check is skipped; the notes say so.
     */
    private static List<String> checkDiskSpace(List<Destination> destinations, int[] route, Request request) {
        long[] tenantsOf = new long[destinations.size()];
        for (int tenant = 1; tenant <= request.tenants(); tenant++) tenantsOf[route[tenant]]++;
        Map<java.nio.file.FileStore, Long> needed = new LinkedHashMap<>();
        Map<java.nio.file.FileStore, DiskSpace.DataFolder> folderOf = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (int d = 0; d < destinations.size(); d++) {
            DiskSpace.DataFolder folder = DiskSpace.of(destinations.get(d).node());
            if (!folder.known()) {
                notes.add("free disk not checked on node " + folder.node() + ": " + folder.unknown());
                continue;
            }
            double share = (double) tenantsOf[d] / request.tenants();
            double bytes = (double) request.rows() * share * BYTES_PER_ROW;
            long estimate = bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(bytes);
            needed.merge(folder.store(), estimate, (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
            folderOf.putIfAbsent(folder.store(), folder);
        }
        needed.forEach((store, bytes) -> {
            DiskSpace.DataFolder folder = folderOf.get(store);
            if (bytes > folder.free()) {
                throw new BadInput(String.format(Locale.ROOT,
                        "the load needs about %s (%,d rows x ~%d bytes) but the data folder of node %s (%s) has %s free",
                        DiskSpace.human(bytes), request.rows(), BYTES_PER_ROW, folder.node(), folder.path(),
                        DiskSpace.human(folder.free())));
            }
        });
        return List.copyOf(notes);
    }

    /** A fresh seed for a run that names none; the result reports it so the run can be repeated. */
    public static long randomSeed() {
        return ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    }

    /** The table as the catalog names it, and which of the accepted column types it uses. */
    record Target(String node, String qualifiedName, boolean bigintTenant, boolean jsonbPayload) {
        static Target resolve(Node node, String table) {
            Table columns;
            try {
                columns = node.run("generate/target_table.sql", Map.of("lab.table_name", table)).lastTable();
            } catch (LabSqlException e) {
                // to_regclass returns NULL for most names it cannot resolve, but raises on some malformed ones
                // (too many dots: 42601, an invalid name: 42602, a data exception: 22xxx)
                String state = e.sqlState() == null ? "" : e.sqlState();
                if (state.equals("42601") || state.equals("42602") || state.startsWith("22")) {
                    throw new BadInput("'" + table + "' is not a table name: " + e.serverMessage());
                }
                throw e;
            }
            if (columns.rowCount() == 0) {
                throw new BadInput("no table '" + table + "' (write it schema-qualified, e.g. app.events, and create it first)");
            }
            String qualified = columns.stringColumn("qualified_name").get(0);
            String relkind = columns.stringColumn("relkind").get(0);
            if (!LOADABLE_RELKINDS.contains(relkind)) {
                throw new BadInput(qualified + " is not a table (relkind " + relkind + "); load its table instead");
            }
            Map<String, String> typeOf = new LinkedHashMap<>();
            for (int r = 0; r < columns.rowCount(); r++) {
                typeOf.put(columns.stringColumn("column_name").get(r), columns.stringColumn("column_type").get(r));
            }
            for (Column column : COLUMNS) {
                String type = typeOf.get(column.name());
                if (type == null) {
                    throw new BadInput(qualified + " has no column " + column.name() + "; the generator writes " + expectedShape());
                }
                if (!column.acceptedTypes().contains(type)) {
                    throw new BadInput("column " + column.name() + " of " + qualified + " is " + type
                            + ", the generator writes " + String.join(" or ", column.acceptedTypes()));
                }
            }
            return new Target(node.name(), qualified, typeOf.get("tenant_id").equals("bigint"), typeOf.get("payload").equals("jsonb"));
        }

        /** Every name in it comes from the catalog (format %I) or from this class, never from the user. */
        String copyStatement() {
            List<String> names = COLUMNS.stream().map(Column::name).toList();
            return "COPY " + qualifiedName + " (" + String.join(", ", names) + ") FROM STDIN (FORMAT binary)";
        }
    }

    private static String expectedShape() {
        return COLUMNS.stream().map(c -> c.name() + " " + c.acceptedTypes().get(0)).collect(Collectors.joining(", ", "(", ")"));
    }

    record Column(String name, List<String> acceptedTypes) {}

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}