package lab;

import static lab.Bench.COORDINATOR_ROUTE;
import static lab.Bench.QUERIES;
import static lab.Bench.TENANTS;
import static lab.Bench.round;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import lab.Bench.Layout;
import lab.Bench.Load;
import lab.Bench.Measurement;
import lab.Bench.OnShard;
import lab.Bench.Options;
import lab.Bench.Query;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A benchmark run's results ({@link Bench#run}) and the files it wrote: the summary, medians, ratios to the baseline
 * layout, the load phase, one tenant's month on its shard, the chart, the plans and the Markdown report.
 */
public final class BenchReport {
    private final Options options;
    private final List<Load> loads;
    private final List<Measurement> measurements;
    private final Table settings;
    private final String lookedUpId;

    private final Optional<OnShard> tenantOnShard;

    BenchReport(Options options, List<Load> loads, List<Measurement> measurements, Table settings, String lookedUpId,
           Optional<OnShard> tenantOnShard) {
        this.options = options;
        this.loads = loads;
        this.measurements = measurements;
        this.settings = settings;
        this.lookedUpId = lookedUpId;
        this.tenantOnShard = tenantOnShard;
    }

    /**
     * One tenant's month on its shard, and on each sharded layout (through the coordinator, or routed by the shard
     * map): median, the ratio to the median of the shard's runs made beside that layout's, and whether the rows are
     * the same. Empty when no sharded layout ran.
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
                where.append(m.query().routedOn(l) ? "routed to its shard by the shard map (" + l + ")" : "through the coordinator (" + l + ")");
                median.append(round(m.medianMs()));
                ratio.append(round(m.medianMs() / on.medianBeside(l)));
                same.append(m.resultChecksum().equals(on.resultChecksum()));
            }
        });
        return Table.create("tenant_month: through the coordinator and routed vs on the tenant's shard", where, median, ratio, same);
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

    /**
     * The layouts that read the sharded rows another way than sharded does (sharded_pushdown, sharded_routed), when
     * sharded ran too: each is meant to be no slower than sharded on any query.
     */
    private List<Layout> comparedWithSharded() {
        if (!options.layouts().contains(Layout.sharded)) return List.of();
        return options.layouts().stream().filter(l -> l.sharded() && l != Layout.sharded).toList();
    }

    /** A layout's median over sharded's for the same query. */
    public double ratioToSharded(Layout layout, String query) {
        return get(layout, query).medianMs() / get(Layout.sharded, query).medianMs();
    }

    /** Whether the query is more than {@link Bench#SLOWER_THAN_SHARDED} times slower on the layout than on sharded. */
    public boolean slowerThanSharded(Layout layout, String query) {
        return comparedWithSharded().contains(layout) && ratioToSharded(layout, query) > Bench.SLOWER_THAN_SHARDED;
    }

    /**
     * The flagged rows: every query where sharded_pushdown or sharded_routed took more than
     * {@link Bench#SLOWER_THAN_SHARDED} times sharded's median. Empty when none did (or sharded did not run).
     */
    public Table flagged() {
        StringColumn query = StringColumn.create("query");
        StringColumn layout = StringColumn.create("layout");
        DoubleColumn median = DoubleColumn.create("median_ms");
        DoubleColumn sharded = DoubleColumn.create("sharded_median_ms");
        DoubleColumn ratio = DoubleColumn.create("x_sharded");
        for (Query q : QUERIES) {
            for (Layout l : comparedWithSharded()) {
                if (!slowerThanSharded(l, q.name())) continue;
                query.append(q.name());
                layout.append(l.name());
                median.append(round(get(l, q.name()).medianMs()));
                sharded.append(round(get(Layout.sharded, q.name()).medianMs()));
                ratio.append(round(ratioToSharded(l, q.name())));
            }
        }
        return Table.create("flagged: more than " + Bench.SLOWER_THAN_SHARDED + " x sharded's median", query, layout, median, sharded, ratio);
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
        StringColumn flag = StringColumn.create("flag");
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
                flag.append(slowerThanSharded(l, q.name())
                        ? String.format(Locale.ROOT, "SLOWER: %.2f x sharded", ratioToSharded(l, q.name())) : "");
            }
        }
        return Table.create("benchmark at scale " + options.scale() + ", " + options.runs() + " runs each", query, layout,
                median, p95, ratio, rows, read, buffers, partitions, same, flag);
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
        StringBuilder md = new StringBuilder("# Partition Lab benchmark: plain vs partitioned vs sharded (as written, pushed down, and routed)\n\n");
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
        if (!comparedWithSharded().isEmpty()) {
            Table flagged = flagged();
            md.append("## Slower than sharded\n\n").append(flagged.isEmpty()
                    ? String.format(Locale.ROOT, "None: on %s every query took at most %.1f x sharded's median.",
                            comparedWithSharded().stream().map(Layout::name).collect(Collectors.joining(" and ")), Bench.SLOWER_THAN_SHARDED)
                    : Render.markdown(flagged)).append("\n\n");
        }
        md.append("## Every query\n\n").append(Render.markdown(summary())).append("\n\n");
        md.append("![median time per query](chart.png)\n\n");
        md.append("Plans: ").append(options.layouts().stream().map(l -> "`" + l.planFile + "`").collect(Collectors.joining(", ")))
                .append(" (EXPLAIN (ANALYZE, BUFFERS) of each query, VERBOSE on the coordinator).\n\n");
        md.append(String.format(Locale.ROOT, """
                ## Reading it

                - **Cache state.** The warm-up run reads the data into shared buffers and the OS cache first; these are warm
                  timings. A cold read from disk would be slower everywhere, most for the layouts that read the most pages.
                - **Buffers** are the coordinator's own: on the sharded layouts the shards' reads happen in other servers and
                  do not show in the coordinator's plan (see the Remote SQL in `variant_b.txt`).
                - **sharded_pushdown** reads the same rows as sharded, with the aggregates computed on the shards
                  (`sql/bench/queries/pushdown/`, each file saying why its form is needed) and fetch_size %,d for the
                  two queries that bring many rows to the coordinator (a month's, the last 7 days'); the others keep
                  postgres_fdw's 100, since a larger fetch only brings rows a LIMIT throws away. Its rows_read are the rows
                  the coordinator received.
                - **sharded_routed** is sharded_pushdown for an application that knows the shard map (`lab.ShardMap`):
                  the two queries of one tenant go straight to the tenant's shard, the same SQL on its `app.events_shard`,
                  with the shard's recorded bounds read in the same round trip to refuse a stale map. Its plans for those
                  two are the shard's.
                - **flag**: a query on sharded_pushdown or sharded_routed that took more than %s x sharded's median.
                - **Times** run from sending the query to reading its last row: a file's setup statements (a SET its form
                  needs) and the session reset after it are not timed.
                - **The plain table has the same indexes** as the partitions and the shards: where a query is answered by an
                  index (point lookup, one tenant's rows), partitioning has little to add; where it reads a whole month,
                  the partitioned layout reads one partition in sequence while the plain table reads through an index or all of it.
                - **Scale.** At `ci` scale everything fits in memory and times are dominated by planning and round trips;
                  only `full` scale says how the layouts compare on real volumes.
                - **Embedded servers** share this machine's cores: the plain and partitioned layouts live in one server, the
                  shards in two more, all on the same disk.
                """, Bench.PUSHDOWN_FETCH_SIZE, Bench.SLOWER_THAN_SHARDED));
        return md.toString();
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
}
