package lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The seed's three-way benchmark: the same events in a plain table, in monthly partitions and hash-sharded over
 * postgres_fdw, the same queries ({@code sql/bench/queries/}) timed on each. Times are wall-clock times seen by the
 * client, N runs after a warm-up, reported as medians, p95 and ratios to the plain layout measured in the same run;
 * rows, buffers and partitions come from one EXPLAIN (ANALYZE, BUFFERS) per query, saved with the report.
 * This class holds what the benchmark is (layouts, queries, options, what one load and one measurement are) and its
 * two entry points; {@link BenchLoading} loads the layouts, {@link BenchTiming} times the queries and
 * {@link BenchReport} holds the results and writes the report.
 *
 * <pre>{@code
 * Bench.load(lab, Bench.Layout.ALL, Scale.ci, 42, Progress.Mode.OFF);
 * var report = Bench.run(lab, Bench.Options.of(Bench.Layout.ALL, 5, Scale.ci));
 * display(report.summary());
 * }</pre>
 */
public final class Bench {
    /** The year every layout holds, a month of it and a tenant: the constants of the seed's queries. */
    static final YearMonth FIRST_MONTH = YearMonth.of(2024, 1);
    static final YearMonth LAST_MONTH = YearMonth.of(2024, 12);
    public static final Map<String, String> QUERY_CONSTANTS = Map.of(
            "month_start", "2024-06-01", "month_end", "2024-07-01",
            "year_start", "2024-01-01", "year_end", "2025-01-01",
            "recent_from", "2024-12-25", "insert_at", "2024-12-31 12:00",
            "tenant", "42");
    public static final int TENANTS = 1000;
    /** The tenant of the queries that read one tenant (sql/bench/queries/03 and 08). */
    public static final int TENANT = Integer.parseInt(QUERY_CONSTANTS.get("tenant"));
    public static final long DEFAULT_SEED = 42;
    public static final String COORDINATOR_ROUTE = "coordinator";
    public static final String DIRECT_ROUTE = "direct to shards";
    public static final String SHARD_AWARE_ROUTE = "shard-aware";

    /** Where each layout lives, the table it reads and the file its plans are saved in (the seed's names). */
    public enum Layout {
        plain("plain", "events_plain", "plain.txt"),
        partitioned("partitioned", "events", "variant_a.txt"),
        sharded(Sharding.COORDINATOR, "events_sharded", "variant_b.txt"),
        /**
         * The same sharded table with the aggregates computed on the shards: the queries of sql/bench/queries/pushdown/
         * where that folder has one (per-shard partial aggregates, the partition key in the GROUP BY), and a fetch_size of
         * {@link #PUSHDOWN_FETCH_SIZE} rows for the queries that still bring rows to the coordinator.
         */
        sharded_pushdown(Sharding.COORDINATOR, "events_sharded", "variant_b_pushdown.txt"),
        /**
         * The same sharded rows read as a shard-aware application would: the queries that name one tenant routed
         * straight to the tenant's shard by the client's {@link ShardMap} (the same SQL, on its app.events_shard), the
         * others through the coordinator as on sharded_pushdown.
         */
        sharded_routed(Sharding.COORDINATOR, "events_sharded", "variant_b_routed.txt");

        public static final List<Layout> ALL = List.of(values());

        final String node;
        final String table;
        final String planFile;

        Layout(String node, String table, String planFile) {
            this.node = node;
            this.table = table;
            this.planFile = planFile;
        }

        public String qualifiedTable() {
            return "app." + table;
        }

        /** The sharded layouts read app.events_sharded's rows: through the coordinator, or routed to a shard. */
        public boolean sharded() {
            return this == sharded || this == sharded_pushdown || this == sharded_routed;
        }

        /** The layout whose load this one reads: the pushed-down and routed variants query the sharded layout's rows. */
        public Layout loadedAs() {
            return sharded() ? sharded : this;
        }

        /** The layouts that run the pushed-down forms and choose fetch_size per query ({@link Query#fetchSizeOn}). */
        public boolean pushesDown() {
            return this == sharded_pushdown || this == sharded_routed;
        }

        static String names() {
            return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        }

        /** "plain,sharded" to layouts, in the order given; anything else is bad input. */
        public static List<Layout> parse(String list) {
            List<Layout> layouts = new ArrayList<>();
            for (String name : list.split(",")) {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (n.isEmpty()) continue;
                Layout layout = Arrays.stream(values()).filter(l -> l.name().equals(n)).findFirst().orElseThrow(() ->
                        new BadInput("unknown layout '" + name.strip() + "': the layouts are " + names()));
                if (layouts.contains(layout)) throw new BadInput("layout '" + n + "' is named twice");
                layouts.add(layout);
            }
            if (layouts.isEmpty()) throw new BadInput("name at least one layout: " + names());
            return layouts;
        }
    }

    /**
     * One query of the benchmark: its file in sql/bench/queries/, whether it writes, and whether it brings many rows to
     * the coordinator whatever its form (a month of rows, the last 7 days': nothing to aggregate).
     */
    public record Query(String name, String file, boolean writes, boolean manyRows) {
        /** Whether sql/bench/queries/pushdown/ has a form of it that the shards compute. */
        public boolean pushedDown() {
            return PUSHED_DOWN.contains(file);
        }

        /** Whether it reads one tenant (its file names :'tenant'): sharded_routed sends it straight to that tenant's shard. */
        public boolean oneTenant() {
            return !writes && Sql.file("bench/queries/" + file).text().contains(":'tenant'");
        }

        /** Whether it runs on the tenant's shard on this layout rather than through the coordinator. */
        public boolean routedOn(Layout layout) {
            return layout == Layout.sharded_routed && oneTenant();
        }

        /**
         * The file below sql/bench/queries/ it runs from on a layout: its pushed form on the layouts that push down, if
         * it has one, except where it is routed to a shard (there the file as written, on app.events_shard).
         */
        public String fileOn(Layout layout) {
            return (layout.pushesDown() && pushedDown() && !routedOn(layout) ? "pushdown/" : "") + file;
        }

        /**
         * postgres_fdw's fetch_size for this query on a layout ({@code null}: the default, 100 rows): on the layouts that
         * push down, {@link #PUSHDOWN_FETCH_SIZE} for a query that brings many rows, and the default for the others, where
         * a larger fetch only brings rows a LIMIT throws away (through the partitioned parent the shard gets the ORDER BY,
         * not the LIMIT).
         */
        public Integer fetchSizeOn(Layout layout) {
            return layout.pushesDown() && manyRows && !routedOn(layout) ? PUSHDOWN_FETCH_SIZE : null;
        }

        Sql sql(Layout layout, String id) {
            Map<String, String> variables = variables(layout);
            variables.put("id", id);
            return Sql.file("bench/queries/" + fileOn(layout)).withVariables(variables);
        }
    }

    /** The queries sql/bench/queries/pushdown/ has a form of that the shards compute; the others run as they are. */
    static final Set<String> PUSHED_DOWN = Set.of("02_month_count.sql", "03_tenant_month.sql", "04_monthly_rollup.sql",
            "09_audit_by_action.sql");

    /**
     * The fetch_size (rows per round trip) of the layouts that push down, for the queries that bring many rows
     * ({@link Query#fetchSizeOn}); postgres_fdw's default is 100.
     */
    public static final int PUSHDOWN_FETCH_SIZE = 10_000;

    /** The seed's queries, then the audit-style set of seed 003. */
    public static final List<Query> QUERIES = List.of(
            new Query("point_lookup", "01_point_lookup.sql", false, false),
            new Query("month_count", "02_month_count.sql", false, false),
            new Query("tenant_month", "03_tenant_month.sql", false, false),
            new Query("monthly_rollup", "04_monthly_rollup.sql", false, false),
            new Query("batch_insert_10", "05_batch_insert.sql", true, false),
            new Query("audit_recent_7_days", "06_audit_recent_7_days.sql", false, true),
            new Query("audit_month", "07_audit_month.sql", false, true),
            new Query("audit_by_user", "08_audit_by_user.sql", false, false),
            new Query("audit_by_action", "09_audit_by_action.sql", false, false));

    /** A layout reading the sharded rows is flagged where a query's median is more than this many times sharded's. */
    public static final double SLOWER_THAN_SHARDED = 1.2;

    /**
     * The queries as a table: name, file, what sharded_pushdown and sharded_routed run, and the statement (psql
     * variables left in).
     */
    public static Table queryTable() {
        return Table.create("the benchmark's queries (sql/bench/queries/), :\"table\" being each layout's table",
                StringColumn.create("query", QUERIES.stream().map(Query::name).toList()),
                StringColumn.create("file", QUERIES.stream().map(Query::file).toList()),
                StringColumn.create("on sharded_pushdown", QUERIES.stream().map(q -> onLayout(q, Layout.sharded_pushdown)).toList()),
                StringColumn.create("on sharded_routed", QUERIES.stream().map(q -> onLayout(q, Layout.sharded_routed)).toList()),
                StringColumn.create("statement", QUERIES.stream().map(q -> Sql.file("bench/queries/" + q.file()).text().lines()
                        .filter(line -> !line.startsWith("--")).collect(Collectors.joining(" ")).replaceAll("\\s+", " ").strip()).toList()));
    }

    private static String onLayout(Query q, Layout layout) {
        String form = q.routedOn(layout) ? "routed to the tenant's shard" : q.pushedDown() ? q.fileOn(layout) : "as written";
        return q.fetchSizeOn(layout) == null ? form : form + ", fetch_size " + q.fetchSizeOn(layout);
    }

    /** What to run. Invalid values are the user's mistake: the constructor throws {@link BadInput}. */
    public record Options(List<Layout> layouts, int runs, int warmup, Scale scale, Path out) {
        public static final int MAX_RUNS = 1000;

        public Options {
            if (layouts == null || layouts.isEmpty()) throw new BadInput("name at least one layout: " + Layout.names());
            if (runs < 1 || runs > MAX_RUNS) throw new BadInput("runs must be between 1 and " + MAX_RUNS + ", got " + runs);
            if (warmup < 0 || warmup > MAX_RUNS) throw new BadInput("warmup must be between 0 and " + MAX_RUNS + ", got " + warmup);
            if (scale == null) throw new BadInput("give a scale: ci, demo or full");
            layouts = List.copyOf(layouts);
            checkWritable(out, layouts);
        }

        /**
         * The report's folder must take the report, so that a long run does not end in a write error: checked before
         * any work, creating nothing (a probe file in the nearest existing folder comes and goes; root passes every
         * permission check, not a read-only file system).
         */
        private static void checkWritable(Path out, List<Layout> layouts) {
            if (out == null) throw new BadInput("give a folder for the report (--out)");
            String cannot = "cannot write the report to " + out + " (--out): ";
            Path folder = out.toAbsolutePath().normalize();
            if (Files.exists(folder) && !Files.isDirectory(folder)) throw new BadInput(cannot + "it is a file, not a folder");
            List<String> files = new ArrayList<>(List.of("report.md", "chart.png"));
            layouts.forEach(l -> files.add(l.planFile));
            for (String file : files) {
                Path p = folder.resolve(file);
                if (Files.isDirectory(p)) throw new BadInput(cannot + file + " there is a folder");
                if (Files.exists(p) && !Files.isWritable(p)) throw new BadInput(cannot + file + " there is read-only");
            }
            Path existing = folder;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null) throw new BadInput(cannot + "no part of that path exists");
            if (!Files.isDirectory(existing)) throw new BadInput(cannot + existing + " is a file, not a folder");
            try {
                Files.delete(Files.createTempFile(existing, ".bench-probe-", ".tmp"));
            } catch (IOException | SecurityException e) {
                String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : e instanceof java.nio.file.AccessDeniedException || e instanceof SecurityException ? "permission denied"
                        : e.getClass().getSimpleName();
                throw new BadInput(cannot + (existing.equals(folder) ? "the folder" : existing.toString()) + " is not writable ("
                        + why.toLowerCase(Locale.ROOT) + ")");
            }
        }

        /** One warm-up run, the report under tmp/benchmarks of the project (or the working folder). */
        public static Options of(List<Layout> layouts, int runs, Scale scale) {
            return new Options(layouts, runs, 1, scale, defaultOut());
        }

        public static Path defaultOut() {
            return Settings.projectDir().orElse(Path.of("")).resolve("tmp").resolve("benchmarks");
        }
    }

    /** One load of one layout: the route it took (the sharded layout is loaded both ways) and its rate. */
    public record Load(Layout layout, String route, long rows, long seed, double seconds) {
        public double rowsPerSecond() {
            return rows / Math.max(seconds, 1e-9);
        }
    }

    private Bench() {}

    /**
     * Creates each layout's table afresh and loads the same events into it (see {@link BenchLoading#load}); each load
     * is recorded on its server for later runs to check.
     */
    public static List<Load> load(Lab lab, List<Layout> layouts, Scale scale, long seed, Progress.Mode progress) {
        return BenchLoading.load(lab, layouts, scale, seed, progress);
    }

    /**
     * Runs every query on every layout after checking the data is loaded at the scale (bad input otherwise), then
     * writes the plans, the Markdown report and the chart under {@code options.out()} (see {@link BenchTiming#run}).
     */
    public static BenchReport run(Lab lab, Options options, Progress.Mode progressMode) {
        return BenchTiming.run(lab, options, progressMode);
    }

    // ------------------------------------------------------------------------------------------------- what a run measures

    /** Nearest-rank percentile of timings. */
    static double percentile(double[] timesMs, double p) {
        double[] sorted = timesMs.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * One tenant's month (tenant_month) timed on the shard that holds the tenant, straight on its app.events_shard:
     * the shard's own time, which the sharded layouts' times are compared with. It is timed beside each sharded
     * layout, one run on the shard after each run on the layout ({@code besideLayout}), so that each ratio compares
     * runs of the same moment; {@link #medianMs()} is over all of them.
     */
    public record OnShard(String shard, Map<Layout, double[]> besideLayout, String resultChecksum) {
        public double medianMs() {
            return percentile(besideLayout.values().stream().flatMapToDouble(Arrays::stream).toArray(), 50);
        }

        /** The shard's median over the runs made beside the layout's. */
        public double medianBeside(Layout layout) {
            return percentile(besideLayout.get(layout), 50);
        }
    }

    /** One query on one layout: times in milliseconds and what its plan read. */
    public record Measurement(Layout layout, Query query, double[] timesMs, long resultRows, String resultChecksum,
                              PlanSummary plan) {
        public double medianMs() {
            return percentile(50);
        }

        /** Nearest-rank percentile. */
        public double percentile(double p) {
            return Bench.percentile(timesMs, p);
        }

        public String partitions() {
            return plan.partitionsTotal() == 0 ? "not partitioned" : plan.partitionsScanned() + " of " + plan.partitionsTotal();
        }
    }

    /** The layout's server; for the sharded layout the coordinator with its shards reachable. */
    static Node node(Lab lab, Layout layout) {
        return layout.sharded() ? Sharding.on(lab).coordinator() : lab.node(layout.node);
    }

    /** The psql variables of the benchmark's files: the constants, and the layout's table. */
    static Map<String, String> variables(Layout layout) {
        Map<String, String> variables = new LinkedHashMap<>(QUERY_CONSTANTS);
        variables.put("table", layout.table);
        return variables;
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
