package lab;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The seed's three-way benchmark: the same events in a plain table, in monthly partitions and hash-sharded over
 * postgres_fdw, the same queries ({@code sql/bench/queries/}) timed on each. Times are wall-clock times seen by the
 * client, N runs after a warm-up, reported as medians, p95 and ratios to the plain layout measured in the same run;
 * rows, buffers and partitions come from one EXPLAIN (ANALYZE, BUFFERS) per query, saved with the report.
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
        sharded_pushdown(Sharding.COORDINATOR, "events_sharded", "variant_b_pushdown.txt");

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

        /** Both sharded layouts read app.events_sharded through the coordinator. */
        public boolean sharded() {
            return this == sharded || this == sharded_pushdown;
        }

        /** The layout whose load this one reads: the pushed-down variant queries the sharded layout's rows. */
        public Layout loadedAs() {
            return this == sharded_pushdown ? sharded : this;
        }

        /** "plain,sharded" to layouts, in the order given; anything else is bad input. */
        public static List<Layout> parse(String list) {
            List<Layout> layouts = new ArrayList<>();
            for (String name : list.split(",")) {
                String n = name.strip().toLowerCase(Locale.ROOT);
                if (n.isEmpty()) continue;
                Layout layout = Arrays.stream(values()).filter(l -> l.name().equals(n)).findFirst().orElseThrow(() ->
                        new BadInput("unknown layout '" + name.strip() + "': the layouts are plain, partitioned, sharded, sharded_pushdown"));
                if (layouts.contains(layout)) throw new BadInput("layout '" + n + "' is named twice");
                layouts.add(layout);
            }
            if (layouts.isEmpty()) throw new BadInput("name at least one layout: plain, partitioned, sharded, sharded_pushdown");
            return layouts;
        }
    }

    /** One query of the benchmark: its file in sql/bench/queries/ and whether it writes. */
    public record Query(String name, String file, boolean writes) {
        /** Whether sql/bench/queries/pushdown/ has a form of it that the shards compute. */
        public boolean pushedDown() {
            return PUSHED_DOWN.contains(file);
        }

        /** The file below sql/bench/queries/ it runs from on a layout: its pushed form on sharded_pushdown, if it has one. */
        public String fileOn(Layout layout) {
            return (layout == Layout.sharded_pushdown && pushedDown() ? "pushdown/" : "") + file;
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

    /** The fetch_size (rows per round trip) of the sharded_pushdown layout; postgres_fdw's default is 100. */
    public static final int PUSHDOWN_FETCH_SIZE = 10_000;

    /** The seed's queries, then the audit-style set of seed 003. */
    public static final List<Query> QUERIES = List.of(
            new Query("point_lookup", "01_point_lookup.sql", false),
            new Query("month_count", "02_month_count.sql", false),
            new Query("tenant_month", "03_tenant_month.sql", false),
            new Query("monthly_rollup", "04_monthly_rollup.sql", false),
            new Query("batch_insert_10", "05_batch_insert.sql", true),
            new Query("audit_recent_7_days", "06_audit_recent_7_days.sql", false),
            new Query("audit_month", "07_audit_month.sql", false),
            new Query("audit_by_user", "08_audit_by_user.sql", false),
            new Query("audit_by_action", "09_audit_by_action.sql", false));

    /** The queries as a table: name, file, what sharded_pushdown runs, and the statement (psql variables left in). */
    public static Table queryTable() {
        return Table.create("the benchmark's queries (sql/bench/queries/), :\"table\" being each layout's table",
                StringColumn.create("query", QUERIES.stream().map(Query::name).toList()),
                StringColumn.create("file", QUERIES.stream().map(Query::file).toList()),
                StringColumn.create("on sharded_pushdown", QUERIES.stream()
                        .map(q -> q.pushedDown() ? q.fileOn(Layout.sharded_pushdown) : "as written").toList()),
                StringColumn.create("statement", QUERIES.stream().map(q -> Sql.file("bench/queries/" + q.file()).text().lines()
                        .filter(line -> !line.startsWith("--")).collect(Collectors.joining(" ")).replaceAll("\\s+", " ").strip()).toList()));
    }

    /** What to run. Invalid values are the user's mistake: the constructor throws {@link BadInput}. */
    public record Options(List<Layout> layouts, int runs, int warmup, Scale scale, Path out) {
        public static final int MAX_RUNS = 1000;

        public Options {
            if (layouts == null || layouts.isEmpty()) throw new BadInput("name at least one layout: plain, partitioned, sharded");
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

    // ------------------------------------------------------------------------------------------------- loading

    /**
     * Creates each layout's table afresh with the seed's indexes and loads {@code 12 x scale.rowsPerMonth()} events of
     * 2024 into it, the same rows everywhere (same seed); the sharded layout three times, emptied in between: through the
     * coordinator, straight into the shards by the coordinator's per-tenant map, and shard-aware (routed by the hash
     * computed here). Each load is recorded on its server (lab.bench_loads) for later runs to check.
     */
    public static List<Load> load(Lab lab, List<Layout> layouts, Scale scale, long seed, Progress.Mode progress) {
        var request = new EventGenerator.Request("app.events", FIRST_MONTH, LAST_MONTH, scale.rowsPerMonth(), TENANTS, seed,
                EventGenerator.DEFAULT_CONNECTIONS, progress);
        List<Load> loads = new ArrayList<>();
        for (Layout layout : layouts.stream().map(Layout::loadedAs).distinct().toList()) {
            Node node = node(lab, layout);
            Map<String, String> table = Map.of("table", layout.table);
            switch (layout) {
                case plain, partitioned -> {
                    node.run(layout == Layout.plain ? "01-range/01_plain_table.sql" : "01-range/03_partitioned_table.sql",
                            Map.of("lab.year", Integer.toString(FIRST_MONTH.getYear())));
                    Sql.file("bench/indexes.sql").withVariables(table).run(node, Map.of());
                    var stats = EventGenerator.load(node, request.withTable(layout.qualifiedTable()));
                    Sql.file("bench/analyze.sql").withVariables(table).run(node, Map.of());
                    loads.add(record(node, new Load(layout, "COPY", stats.rows(), seed, seconds(stats)), scale));
                }
                case sharded, sharded_pushdown -> {
                    Sharding sharding = Sharding.on(lab);
                    sharding.build();
                    var through = sharding.loadThroughCoordinator(request);
                    loads.add(record(node, new Load(layout, COORDINATOR_ROUTE, through.rows(), seed, seconds(through)), scale));
                    sharding.build();
                    var direct = sharding.loadDirect(request);
                    loads.add(record(node, new Load(layout, DIRECT_ROUTE, direct.rows(), seed, seconds(direct)), scale));
                    sharding.build();
                    var shardAware = sharding.loadShardAware(request);
                    loads.add(record(node, new Load(layout, SHARD_AWARE_ROUTE, shardAware.rows(), seed, seconds(shardAware)), scale));
                }
            }
        }
        return loads;
    }


    private static double seconds(EventGenerator.Stats stats) {
        return stats.copying().toNanos() / 1e9;
    }

    private static Load record(Node node, Load load, Scale scale) {
        node.run("bench/record_load.sql", Map.of(
                "lab.layout", load.layout().name(), "lab.route", load.route(), "lab.table_name", load.layout().qualifiedTable(),
                "lab.scale", scale.name(), "lab.row_count", Long.toString(load.rows()), "lab.seed", Long.toString(load.seed()),
                "lab.seconds", String.format(Locale.ROOT, "%.3f", load.seconds()),
                "lab.rows_per_s", Long.toString(Math.round(load.rowsPerSecond()))));
        return load;
    }

    /**
     * The loads recorded for these layouts, checked against the scale: every layout loaded at it, with the same seed,
     * and its table holding exactly the rows loaded. Anything else is bad input, named.
     */
    public static List<Load> loaded(Lab lab, List<Layout> layouts, Scale scale) {
        List<Load> loads = new ArrayList<>();
        Long seed = null;
        for (Layout layout : layouts.stream().map(Layout::loadedAs).distinct().toList()) {
            Table recorded;
            try {
                recorded = node(lab, layout).run("bench/loads.sql", Map.of("lab.layout", layout.name())).lastTable();
            } catch (LabSqlException e) {
                if (!"42P01".equals(e.sqlState())) throw e; // lab.bench_loads missing: nothing was ever loaded there
                recorded = Table.create("none");
            }
            if (recorded.rowCount() == 0) {
                throw new BadInput("the " + layout + " layout was never loaded for the benchmark; load it first (--load --scale " + scale + ")");
            }
            long expected = 12L * scale.rowsPerMonth();
            for (int r = 0; r < recorded.rowCount(); r++) {
                String at = recorded.stringColumn("scale").get(r);
                Object now = recorded.column("rows_now").get(r);
                long rowsNow = now == null ? -1 : ((Number) now).longValue();
                if (!at.equals(scale.name()) || rowsNow != expected) {
                    throw new BadInput(layout.qualifiedTable() + " is loaded at scale " + at + " (" + (rowsNow < 0 ? "table missing" : String.format(Locale.ROOT, "%,d rows", rowsNow))
                            + "), not at scale " + scale + " (" + String.format(Locale.ROOT, "%,d rows", expected) + "); load it first (--load --scale " + scale + ")");
                }
                long rowSeed = ((Number) recorded.column("seed").get(r)).longValue();
                if (seed != null && seed != rowSeed) {
                    throw new BadInput("the layouts hold different rows (seeds " + seed + " and " + rowSeed + "); load them together (--load)");
                }
                seed = rowSeed;
                loads.add(new Load(layout, recorded.stringColumn("route").get(r), ((Number) recorded.column("row_count").get(r)).longValue(),
                        rowSeed, ((Number) recorded.column("seconds").get(r)).doubleValue()));
            }
        }
        return loads;
    }

    // ------------------------------------------------------------------------------------------------- running

    /** Nearest-rank percentile of timings. */
    static double percentile(double[] timesMs, double p) {
        double[] sorted = timesMs.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * One tenant's month (tenant_month) timed on the shard that holds the tenant, straight on its app.events_shard:
     * the shard's own time, which the sharded layouts' times through the coordinator are compared with.
     */
    public record OnShard(String shard, double[] timesMs, String resultChecksum) {
        public double medianMs() {
            return percentile(timesMs, 50);
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

    /**
     * Runs every query on every layout after checking the data is loaded at the scale (bad input otherwise), then
     * writes the plans, the Markdown report and the chart under {@code options.out()}.
     */
    public static Report run(Lab lab, Options options, Progress.Mode progressMode) {
        List<Load> loads = loaded(lab, options.layouts(), options.scale());
        Layout first = options.layouts().get(0);
        Table pick = Sql.file("bench/pick_id.sql").withVariables(variables(first)).run(node(lab, first), Map.of()).lastTable();
        if (pick.rowCount() == 0) throw new IllegalStateException(first.qualifiedTable() + " has no row in June 2024 to look up");
        String id = pick.stringColumn("id").get(0);

        List<Measurement> measurements = new ArrayList<>();
        Map<Layout, StringBuilder> plans = new LinkedHashMap<>();
        long steps = (long) options.layouts().size() * QUERIES.size();
        try (Progress progress = Progress.start("bench", steps, "queries", progressMode)) {
            for (Layout layout : options.layouts()) {
                Node node = node(lab, layout);
                StringBuilder planText = plans.computeIfAbsent(layout, l -> new StringBuilder());
                if (layout == Layout.sharded_pushdown) {
                    node.run("fdw/fetch_size.sql", Map.of("lab.fetch_size", Integer.toString(PUSHDOWN_FETCH_SIZE)));
                }
                try {
                    for (Query query : QUERIES) {
                        Sql sql = query.sql(layout, id);
                        Timed timed = timed(node, sql, options);
                        double[] times = timed.timesMs();
                        Outcome last = timed.last();
                        PlanSummary plan = Explain.analyze(node, sql);
                        planText.append("-- ").append(query.name()).append(" (sql/").append(sql.name()).append(")\n")
                                .append(sql.statements().get(sql.statements().size() - 1).strip()).append("\n\n")
                                .append(explainText(node, sql, layout)).append("\n\n");
                        measurements.add(new Measurement(layout, query, times, last.rows(), query.writes() ? "" : last.checksum(), plan));
                        // the inserted rows go at once, so that the queries after see the data as loaded
                        if (query.writes()) Sql.file("bench/remove_inserted.sql").withVariables(variables(layout)).run(node, Map.of());
                        progress.step(1);
                    }
                } finally {
                    Sql.file("bench/remove_inserted.sql").withVariables(variables(layout)).run(node, Map.of());
                    if (layout == Layout.sharded_pushdown) node.run("fdw/fetch_size.sql", Map.of("lab.fetch_size", "default"));
                }
            }
        }
        Optional<OnShard> onShard = options.layouts().stream().anyMatch(Layout::sharded)
                ? Optional.of(tenantMonthOnItsShard(lab, options, id)) : Optional.empty();
        Table settings = node(lab, first).run("bench/settings.sql").lastTable();
        Report report = new Report(options, loads, measurements, settings, id, onShard);
        report.write(plans);
        return report;
    }

    /** tenant_month on the shard holding the tenant, on its own table: warm-up and timed runs as for every query. */
    private static OnShard tenantMonthOnItsShard(Lab lab, Options options, String id) {
        Sharding sharding = Sharding.on(lab);
        String shard = sharding.shardOf(Integer.parseInt(QUERY_CONSTANTS.get("tenant")));
        Node node = sharding.shard(shard);
        Map<String, String> variables = new LinkedHashMap<>(QUERY_CONSTANTS);
        variables.put("table", "events_shard");
        variables.put("id", id);
        Timed timed = timed(node, Sql.file("bench/queries/03_tenant_month.sql").withVariables(variables), options);
        return new OnShard(shard, timed.timesMs(), timed.last().checksum());
    }

    /** A query's timed runs after its warm-up runs, and what the last run returned. */
    private record Timed(double[] timesMs, Outcome last) {}

    private static Timed timed(Node node, Sql sql, Options options) {
        for (int i = 0; i < options.warmup(); i++) execute(node, sql);
        double[] times = new double[options.runs()];
        Outcome last = null;
        for (int i = 0; i < options.runs(); i++) {
            last = execute(node, sql);
            times[i] = last.ms();
        }
        return new Timed(times, last);
    }

    /** The layout's server; for the sharded layout the coordinator with its shards reachable. */
    private static Node node(Lab lab, Layout layout) {
        return layout.sharded() ? Sharding.on(lab).coordinator() : lab.node(layout.node);
    }

    /** The psql variables of the benchmark's files: the constants, and the layout's table. */
    static Map<String, String> variables(Layout layout) {
        Map<String, String> variables = new LinkedHashMap<>(QUERY_CONSTANTS);
        variables.put("table", layout.table);
        return variables;
    }

    /** A query's rows (read to the end, streamed) and an order-independent checksum of them. */
    /** What one run returned: its rows, their checksum, and the time from sending the query to its last row. */
    record Outcome(long rows, String checksum, double ms) {}

    static Outcome execute(Node node, Sql sql) {
        List<String> statements = sql.statements();
        String statement = statements.get(statements.size() - 1);
        try (Connection c = node.connection()) {
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(false); // lets the driver stream a large result in fetch-size pieces
                s.setFetchSize(10_000);
                // a file's statements before the query are its setup (a SET the query's form needs), as Explain runs them
                for (String setup : statements.subList(0, statements.size() - 1)) s.execute(setup);
                long started = System.nanoTime(); // the query alone: not the setup before it, nor the reset after
                long rows = 0;
                long sum = 0;
                if (s.execute(statement)) {
                    try (ResultSet rs = s.getResultSet()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            rows++;
                            long h = 1;
                            for (int i = 1; i <= columns; i++) h = h * 1_000_003L + java.util.Objects.hashCode(rs.getString(i));
                            sum += h * 0x9E3779B97F4A7C15L;
                        }
                    }
                } else {
                    rows = s.getUpdateCount();
                }
                c.commit();
                return new Outcome(rows, Long.toHexString(sum), (System.nanoTime() - started) / 1e6);
            } finally {
                c.setAutoCommit(true);
                if (statements.size() > 1) Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), statement, e);
        }
    }

    /** EXPLAIN (ANALYZE, BUFFERS) as the server prints it; VERBOSE on the coordinator, for the SQL each shard was sent. */
    private static String explainText(Node node, Sql sql, Layout layout) {
        List<String> statements = new ArrayList<>(sql.statements());
        String options = layout.sharded() ? "ANALYZE, BUFFERS, VERBOSE" : "ANALYZE, BUFFERS";
        statements.set(statements.size() - 1, "EXPLAIN (" + options + ") " + statements.get(statements.size() - 1));
        Table plan = Sql.text(sql.name() + " (EXPLAIN)", String.join(";\n", statements)).run(node, Map.of()).lastTable();
        return plan.stringColumn(0).asList().stream().collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------------------------------------- the report

    /** A run's results, and the files it wrote. */
    public static final class Report {
        private final Options options;
        private final List<Load> loads;
        private final List<Measurement> measurements;
        private final Table settings;
        private final String lookedUpId;

        private final Optional<OnShard> tenantOnShard;

        Report(Options options, List<Load> loads, List<Measurement> measurements, Table settings, String lookedUpId,
               Optional<OnShard> tenantOnShard) {
            this.options = options;
            this.loads = loads;
            this.measurements = measurements;
            this.settings = settings;
            this.lookedUpId = lookedUpId;
            this.tenantOnShard = tenantOnShard;
        }

        /**
         * One tenant's month on its shard, and through the coordinator on each sharded layout: median, the ratio to the
         * shard's own time, and whether the rows are the same. Empty when no sharded layout ran.
         */
        public Table tenantOnShard() {
            StringColumn where = StringColumn.create("where");
            DoubleColumn median = DoubleColumn.create("median_ms");
            DoubleColumn ratio = DoubleColumn.create("x_on_shard");
            tech.tablesaw.api.BooleanColumn same = tech.tablesaw.api.BooleanColumn.create("same_rows");
            tenantOnShard.ifPresent(on -> {
                where.append("on " + on.shard() + " (app.events_shard)");
                median.append(round(on.medianMs()));
                ratio.append(1.0);
                same.append(true);
                for (Layout l : options.layouts()) {
                    if (!l.sharded()) continue;
                    Measurement m = get(l, "tenant_month");
                    where.append("through the coordinator (" + l + ")");
                    median.append(round(m.medianMs()));
                    ratio.append(round(m.medianMs() / on.medianMs()));
                    same.append(m.resultChecksum().equals(on.resultChecksum()));
                }
            });
            return Table.create("tenant_month: through the coordinator vs on the tenant's shard", where, median, ratio, same);
        }

        public Options options() {
            return options;
        }

        public List<Measurement> measurements() {
            return measurements;
        }

        public Table settings() {
            return settings;
        }

        /** The layout the ratios compare against: plain when it ran, else the first. */
        public Layout baseline() {
            return options.layouts().contains(Layout.plain) ? Layout.plain : options.layouts().get(0);
        }

        public Measurement get(Layout layout, String query) {
            return measurements.stream().filter(m -> m.layout() == layout && m.query().name().equals(query)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no measurement of " + query + " on " + layout));
        }

        /** A layout's median over the baseline's median for the same query: 2.0 means twice as slow. */
        public double ratio(Layout layout, String query) {
            return get(layout, query).medianMs() / get(baseline(), query).medianMs();
        }

        /** Whether the layout answered the query with the same rows as the baseline (writes: not compared). */
        public boolean sameResult(Layout layout, String query) {
            Measurement m = get(layout, query);
            return m.query().writes() || m.resultChecksum().equals(get(baseline(), query).resultChecksum());
        }

        /** One row per query and layout: times, the ratio, what the plan read. */
        public Table summary() {
            StringColumn query = StringColumn.create("query");
            StringColumn layout = StringColumn.create("layout");
            DoubleColumn median = DoubleColumn.create("median_ms");
            DoubleColumn p95 = DoubleColumn.create("p95_ms");
            DoubleColumn ratio = DoubleColumn.create("x_" + baseline());
            LongColumn rows = LongColumn.create("result_rows");
            LongColumn read = LongColumn.create("rows_read");
            LongColumn buffers = LongColumn.create("buffers");
            StringColumn partitions = StringColumn.create("partitions_scanned");
            StringColumn same = StringColumn.create("same_result");
            for (Query q : QUERIES) {
                for (Layout l : options.layouts()) {
                    Measurement m = get(l, q.name());
                    query.append(q.name());
                    layout.append(l.name());
                    median.append(round(m.medianMs()));
                    p95.append(round(m.percentile(95)));
                    ratio.append(round(ratio(l, q.name())));
                    rows.append(m.resultRows());
                    read.append(m.plan().rowsRead());
                    buffers.append(m.plan().sharedBuffers());
                    partitions.append(m.partitions());
                    same.append(q.writes() ? "n/a (writes)" : sameResult(l, q.name()) ? "yes" : "NO");
                }
            }
            return Table.create("benchmark at scale " + options.scale() + ", " + options.runs() + " runs each", query, layout,
                    median, p95, ratio, rows, read, buffers, partitions, same);
        }

        /** Medians, one column per layout, one row per query. */
        public Table medians() {
            return pivot("median ms", Measurement::medianMs);
        }

        /** Ratios to the baseline, one column per layout, one row per query. */
        public Table ratios() {
            return pivot("median / " + baseline() + " median", m -> ratio(m.layout(), m.query().name()));
        }

        private Table pivot(String title, java.util.function.ToDoubleFunction<Measurement> value) {
            Table t = Table.create(title, StringColumn.create("query", QUERIES.stream().map(Query::name).toList()));
            for (Layout l : options.layouts()) {
                DoubleColumn c = DoubleColumn.create(l.name());
                for (Query q : QUERIES) c.append(round(value.applyAsDouble(get(l, q.name()))));
                t.addColumns(c);
            }
            return t;
        }

        /** The load phase: rows/s per layout (and per route for the sharded layout). */
        public Table loads() {
            return loadTable(loads);
        }

        /** Median time per query and layout, as a bar chart on a log scale (the queries span four orders of magnitude). */
        public BufferedImage chart() {
            CategoryChart chart = new CategoryChartBuilder().width(1100).height(520)
                    .title("Median time per query, scale " + options.scale() + " (log scale, lower is better)")
                    .xAxisTitle("query").yAxisTitle("median ms").build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setXAxisLabelRotation(30);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            List<String> names = QUERIES.stream().map(Query::name).toList();
            double smallest = Double.MAX_VALUE;
            for (Layout l : options.layouts()) {
                List<Double> medians = QUERIES.stream().map(q -> Math.max(get(l, q.name()).medianMs(), 0.001)).toList();
                smallest = Math.min(smallest, medians.stream().mapToDouble(Double::doubleValue).min().orElse(1));
                chart.addSeries(l.name(), names, medians);
            }
            // bars grow from the axis' lower end, which a log scale needs below every value (XChart refuses 0)
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
            return BitmapEncoder.getBufferedImage(chart);
        }

        public Path markdownFile() {
            return options.out().resolve("report.md");
        }

        public Path chartFile() {
            return options.out().resolve("chart.png");
        }

        public Path planFile(Layout layout) {
            return options.out().resolve(layout.planFile);
        }

        void write(Map<Layout, StringBuilder> plans) {
            try {
                Files.createDirectories(options.out());
                for (var e : plans.entrySet()) {
                    Files.writeString(planFile(e.getKey()), "EXPLAIN (ANALYZE, BUFFERS) of every benchmark query on the "
                            + e.getKey() + " layout (" + e.getKey().qualifiedTable() + ", node " + e.getKey().node + "), scale "
                            + options.scale() + "\n\n" + e.getValue(), StandardCharsets.UTF_8);
                }
                ImageIO.write(chart(), "png", chartFile().toFile());
                Files.writeString(markdownFile(), markdown(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the benchmark report to " + options.out() + ": " + e.getMessage(), e);
            }
        }

        public String markdown() {
            StringBuilder md = new StringBuilder("# Partition Lab benchmark: plain vs partitioned vs sharded (as written, and pushed down)\n\n");
            md.append(String.format(Locale.ROOT, "Scale `%s`: 12 months of 2024 x %,d events, %d tenants, on every layout. "
                            + "%d warm-up run(s), then %d timed runs per query; times are wall-clock milliseconds seen by the client "
                            + "(query sent, every row read). Ratios divide a layout's median by the %s layout's median for the same query, "
                            + "measured in the same run. The point lookup looks for id `%s`.%n%n",
                    options.scale(), options.scale().rowsPerMonth(), TENANTS, options.warmup(), options.runs(), baseline(), lookedUpId));
            md.append(String.format(Locale.ROOT, "Machine: %d cores, Java %s, %s %s.%n%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch")));
            md.append("## PostgreSQL settings\n\n").append(Render.markdown(settings)).append("\n\n");
            md.append("## Load phase\n\n").append(Render.markdown(loads())).append("\n\n");
            md.append("## Medians (ms)\n\n").append(Render.markdown(medians())).append("\n\n");
            md.append("## Ratios to ").append(baseline()).append("\n\n").append(Render.markdown(ratios())).append("\n\n");
            if (tenantOnShard.isPresent()) {
                md.append("## One tenant's month: through the coordinator and on its shard\n\n").append(Render.markdown(tenantOnShard()))
                        .append("\n\n");
            }
            md.append("## Every query\n\n").append(Render.markdown(summary())).append("\n\n");
            md.append("![median time per query](chart.png)\n\n");
            md.append("Plans: ").append(options.layouts().stream().map(l -> "`" + l.planFile + "`").collect(Collectors.joining(", ")))
                    .append(" (EXPLAIN (ANALYZE, BUFFERS) of each query, VERBOSE on the coordinator).\n\n");
            md.append("""
                    ## Reading it

                    - **Cache state.** The warm-up run reads the data into shared buffers and the OS cache first; these are warm
                      timings. A cold read from disk would be slower everywhere, most for the layouts that read the most pages.
                    - **Buffers** are the coordinator's own: on the sharded layouts the shards' reads happen in other servers and
                      do not show in the coordinator's plan (see the Remote SQL in `variant_b.txt`).
                    - **sharded_pushdown** reads the same rows as sharded, with the aggregates computed on the shards
                      (`sql/bench/queries/pushdown/`, each file saying why its form is needed) and fetch_size 10,000 for the
                      queries that still bring rows to the coordinator; its rows_read are the rows the coordinator received.
                    - **Times** run from sending the query to reading its last row: a file's setup statements (a SET its form
                      needs) and the session reset after it are not timed.
                    - **The plain table has the same indexes** as the partitions and the shards: where a query is answered by an
                      index (point lookup, one tenant's rows), partitioning has little to add; where it reads a whole month,
                      the partitioned layout reads one partition in sequence while the plain table reads through an index or all of it.
                    - **Scale.** At `ci` scale everything fits in memory and times are dominated by planning and round trips;
                      only `full` scale says how the layouts compare on real volumes.
                    - **Embedded servers** share this machine's cores: the plain and partitioned layouts live in one server, the
                      shards in two more, all on the same disk.
                    """);
            return md.toString();
        }
    }

    /**
     * Loads as a table: rows/s per layout and route, and each sharded route's rate as a multiple of the coordinator
     * route's, measured in the same run ({@code x_coordinator}).
     */
    public static Table loadTable(List<Load> loads) {
        StringColumn layout = StringColumn.create("layout");
        StringColumn route = StringColumn.create("route");
        LongColumn rows = LongColumn.create("rows");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        LongColumn rate = LongColumn.create("rows_per_s");
        DoubleColumn toCoordinator = DoubleColumn.create("x_coordinator");
        double coordinatorRate = loads.stream().filter(l -> l.route().equals(COORDINATOR_ROUTE)).mapToDouble(Load::rowsPerSecond)
                .findFirst().orElse(Double.NaN);
        for (Load load : loads) {
            layout.append(load.layout().name());
            route.append(load.route());
            rows.append(load.rows());
            seconds.append(round(load.seconds()));
            rate.append(Math.round(load.rowsPerSecond()));
            if (load.layout().sharded()) toCoordinator.append(round(load.rowsPerSecond() / coordinatorRate));
            else toCoordinator.appendMissing();
        }
        return Table.create("load phase (seed " + (loads.isEmpty() ? "-" : loads.get(0).seed()) + ")", layout, route, rows, seconds, rate,
                toCoordinator);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
