package lab;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import lab.Bench.Layout;
import lab.Bench.Load;
import lab.Bench.Measurement;
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
 * What the benchmark shows whatever the timings, checked (lesson 10): the same rows loaded everywhere, the same
 * answers on every layout, the partitions and shards each plan read, what the coordinator sends to the shards and
 * what comes back, as written and pushed down, the one-tenant queries routed to their shard by the shard map, one
 * tenant's month on its shard, and the report's files. Each method checks its claims with {@link Claim} (printing
 * them) and returns what the lesson shows. No claim is about speed: times are shown, and compared only as ratios
 * measured in the same run; what is flagged slower than sharded is shown, never asserted.
 */
public final class BenchChecks {
    private BenchChecks() {}

    private static final int TENANT = Bench.TENANT;

    private static final Layout PLAIN = Layout.plain;
    private static final Layout PARTITIONED = Layout.partitioned;
    private static final Layout SHARDED = Layout.sharded;
    private static final Layout PUSHDOWN = Layout.sharded_pushdown;
    private static final Layout ROUTED = Layout.sharded_routed;

    static long rowsPerLayout(Scale scale) {
        return 12L * scale.rowsPerMonth();
    }

    /** A path as a lesson shows it: relative to the project when it lies inside. */
    public static String shown(Path path) {
        Path project = Settings.projectDir().orElse(Path.of("").toAbsolutePath());
        return path.isAbsolute() && path.startsWith(project) ? project.relativize(path).toString() : path.toString();
    }

    /** Whether sql/bench/queries/pushdown/ holds a file of this name. */
    static boolean hasPushdownFile(Query q) {
        try {
            Sql.file("bench/queries/pushdown/" + q.file());
            return true;
        } catch (IllegalArgumentException none) {
            return false;
        }
    }

    private static List<String> reads() {
        return Bench.QUERIES.stream().filter(q -> !q.writes()).map(Query::name).toList();
    }

    private static List<String> pushedQueries() {
        return Bench.QUERIES.stream().filter(Query::pushedDown).map(Query::name).toList();
    }

    /** The queries sharded_routed sends straight to the tenant's shard. */
    private static List<String> routedQueries() {
        return Bench.QUERIES.stream().filter(q -> q.routedOn(ROUTED)).map(Query::name).toList();
    }

    /** A query's fetch_size on a layout as a table shows it; "n/a" where no postgres_fdw scan reads it. */
    private static String fetchSize(Query q, Layout layout) {
        if (!layout.sharded() || q.routedOn(layout)) return "n/a";
        Integer rows = q.fetchSizeOn(layout);
        return rows == null ? "100 (default)" : String.format(Locale.ROOT, "%,d", rows);
    }

    // ---------------------------------------------------------------------------------------------- what is compared

    /**
     * Nine queries, one a write; four with a form the shards compute, each with its file in pushdown/; two that read
     * one tenant, routed to its shard on sharded_routed.
     */
    public static Table nineQueries() {
        Claim.equal("nine queries, one of them a write", List.of(9, 1),
                List.of(Bench.QUERIES.size(), (int) Bench.QUERIES.stream().filter(Query::writes).count()));
        Claim.equal("four of them have a form the shards compute, in sql/bench/queries/pushdown/",
                List.of("month_count", "tenant_month", "monthly_rollup", "audit_by_action"),
                Bench.QUERIES.stream().filter(q -> q.pushedDown() && hasPushdownFile(q)).map(Query::name).toList());
        Claim.equal("two of them read one tenant (:'tenant' in the file): on " + ROUTED + " they go straight to the tenant's shard",
                List.of("tenant_month", "audit_by_user"), routedQueries());
        return Bench.queryTable();
    }

    // ---------------------------------------------------------------------------------------------- loading

    /**
     * Five loads of 12 x rowsPerMonth rows with the same seed: the plain table, the partitioned one, and the sharded
     * table three ways, the shard-aware load last; sharded_pushdown and sharded_routed loading nothing of their own.
     */
    public static Table loadedAlike(List<Load> loads, Scale scale) {
        for (Load load : loads) {
            Claim.equal(load.layout() + " (" + load.route() + "): 12 x " + scale.rowsPerMonth() + " rows loaded", rowsPerLayout(scale), load.rows());
        }
        Claim.equal("five loads: the plain table, the partitioned one, and the sharded table three times", 5, loads.size());
        Claim.equal("the sharded layout was loaded three ways, the shard-aware load last",
                List.of(Bench.COORDINATOR_ROUTE, Bench.DIRECT_ROUTE, Bench.SHARD_AWARE_ROUTE),
                loads.stream().filter(l -> l.layout() == SHARDED).map(Load::route).toList());
        List<Layout> readSharded = Layout.ALL.stream().filter(l -> l != SHARDED && l.sharded()).toList();
        Claim.that(readSharded.stream().map(Enum::name).collect(Collectors.joining(" and ")) + " load nothing of their own: they read the sharded layout's rows",
                readSharded.containsAll(List.of(PUSHDOWN, ROUTED))
                        && readSharded.stream().allMatch(r -> r.loadedAs() == SHARDED && loads.stream().noneMatch(l -> l.layout() == r)));
        Claim.that("every load used the seed " + Bench.DEFAULT_SEED, loads.stream().allMatch(l -> l.seed() == Bench.DEFAULT_SEED));
        return BenchReport.loadTable(loads);
    }

    /** The three tables' fingerprints (count and whole-row checksum), the sharded one read through the coordinator. */
    public static Table sameRowsEverywhere(Lab lab, Scale scale) {
        var prints = List.of(Fingerprint.of(lab.node("plain"), PLAIN.qualifiedTable()),
                Fingerprint.of(lab.node("partitioned"), PARTITIONED.qualifiedTable()),
                Fingerprint.of(Sharding.on(lab).coordinator(), SHARDED.qualifiedTable()));
        Fingerprint first = prints.get(0);
        Claim.that("app.events_plain, app.events and app.events_sharded hold the same " + first.rows() + " rows (count and whole-row checksum)",
                first.rows() == rowsPerLayout(scale) && prints.stream().allMatch(f -> f.sameRowsAs(first)));
        return Fingerprint.table(prints.toArray(new Fingerprint[0]));
    }

    // ---------------------------------------------------------------------------------------------- timing

    /** A run at another scale than the one loaded is refused as bad input before a query runs; the refusal, shown. */
    public static String refusedAtAnotherScale(Lab lab, Scale loaded) {
        Scale other = loaded == Scale.ci ? Scale.demo : Scale.ci;
        String refusal = "";
        try {
            Bench.run(lab, new Bench.Options(Layout.ALL, 1, 0, other, Bench.Options.defaultOut()), Progress.Mode.OFF);
        } catch (BadInput refused) {
            refusal = refused.getMessage();
        }
        Claim.that("a run at scale " + other + " is refused: the tables hold scale " + loaded + "'s rows",
                refusal.contains("not at scale " + other) && refusal.contains("--load --scale " + other));
        return refusal;
    }

    // ---------------------------------------------------------------------------------------------- what holds

    /**
     * Every read answered with the plain table's rows on every layout (checksum of the result), the insert's 10 rows
     * everywhere, the point lookup's one row, and afterwards every table holding exactly the rows loaded.
     */
    public static Table sameAnswersEverywhere(Lab lab, BenchReport report) {
        long loaded = rowsPerLayout(report.options().scale());
        String others = Layout.ALL.stream().filter(l -> l != PLAIN).map(Enum::name).collect(Collectors.joining(", "));
        for (String q : reads()) {
            long rows = report.get(PLAIN, q).resultRows();
            Claim.that(q + ": the same " + rows + " result rows on " + others + " as on the plain table",
                    Layout.ALL.stream().allMatch(l -> report.sameResult(l, q) && report.get(l, q).resultRows() == rows));
        }
        Claim.that("batch_insert_10 inserted 10 rows on every layout",
                Layout.ALL.stream().allMatch(l -> report.get(l, "batch_insert_10").resultRows() == 10));
        Claim.equal("the point lookup finds its one row on all " + Layout.ALL.size() + " layouts", Collections.nCopies(Layout.ALL.size(), 1L),
                Layout.ALL.stream().map(l -> report.get(l, "point_lookup").resultRows()).toList());
        Sharding sharding = Sharding.on(lab);
        long onShards = Sharding.SHARDS.stream().mapToLong(s -> sharding.shard(s).count("app.events_shard")).sum();
        Claim.equal("after the run: app.events_plain, app.events and the two shards together hold the rows loaded",
                List.of(loaded, loaded, loaded),
                List.of(lab.node("plain").count(PLAIN.qualifiedTable()), lab.node("partitioned").count(PARTITIONED.qualifiedTable()), onShards));
        Table t = Table.create("result rows per query and layout (the same checksum as on plain: same_result)",
                StringColumn.create("query", Bench.QUERIES.stream().map(Query::name).toList()));
        for (Layout l : Layout.ALL) {
            t.addColumns(LongColumn.create(l.name(), Bench.QUERIES.stream().mapToLong(q -> report.get(l, q.name()).resultRows()).toArray()));
        }
        return t.addColumns(StringColumn.create("same_result", Bench.QUERIES.stream()
                .map(q -> q.writes() ? "n/a (writes)" : Layout.ALL.stream().allMatch(l -> report.sameResult(l, q.name())) ? "yes" : "NO").toList()));
    }

    /** Tenant 42's foreign partition and shard, by the coordinator's own hash (sql/fdw/shard_map.sql). */
    record TenantHome(String partition, String shard) {}

    static TenantHome tenantHome(Sharding sharding) {
        Table map = sharding.coordinator().run("fdw/shard_map.sql",
                Map.of("lab.table", Sharding.TABLE, "lab.tenants", Integer.toString(TENANT))).lastTable();
        int last = map.rowCount() - 1;
        return new TenantHome("app." + map.getString(last, "partition"), map.getString(last, "shard"));
    }

    /**
     * What each plan read: a month one partition of 13, the rollup the 12 months without the DEFAULT, the last 7 days
     * December alone, one tenant one shard of two; the point lookup, the tenant's latest rows and the counts by type
     * every partition (no condition on the key). Returns the plain, partitioned and sharded plans side by side.
     */
    public static Table plansReadWhatTheKeyAllows(Sharding sharding, BenchReport report) {
        int perMonth = report.options().scale().rowsPerMonth();
        var june = List.of("app.events_2024_06");
        var monthPlain = report.get(PLAIN, "month_count").plan();
        var monthPartitioned = report.get(PARTITIONED, "month_count").plan();
        var monthSharded = report.get(SHARDED, "month_count").plan();
        Claim.that("month_count, partitioned: " + monthPartitioned.verdict(), monthPartitioned.partitionsTotal() == 13
                && monthPartitioned.scannedPartitions().equals(june) && monthPartitioned.prunedAtPlanTime() == 12);
        Claim.that("month_count, plain: nothing to prune, its one relation answers (" + monthPlain.scanKinds() + " on "
                + String.join(", ", monthPlain.relations()) + ", " + monthPlain.rowsRead() + " rows read)", monthPlain.partitionsTotal() == 0
                && monthPlain.relations().equals(List.of(PLAIN.qualifiedTable())) && monthPlain.rowsRead() >= perMonth);
        Claim.that("month_count, sharded: both shards asked, " + monthSharded.verdict(), monthSharded.partitionsTotal() == 2
                && monthSharded.partitionsScanned() == 2);

        var rollup = report.get(PARTITIONED, "monthly_rollup").plan();
        Claim.that("monthly_rollup, partitioned: the 12 months, not the DEFAULT: " + rollup.verdict(), rollup.partitionsScanned() == 12
                && !rollup.scannedPartitions().contains("app.events_default") && rollup.prunedAtPlanTime() == 1);
        var recent = report.get(PARTITIONED, "audit_recent_7_days").plan();
        Claim.that("audit_recent_7_days, partitioned: December only: " + recent.verdict(),
                recent.scannedPartitions().equals(List.of("app.events_2024_12")) && recent.prunedAtPlanTime() == 12);
        var tenantMonth = report.get(PARTITIONED, "tenant_month").plan();
        Claim.that("tenant_month, partitioned: June only: " + tenantMonth.verdict(), tenantMonth.scannedPartitions().equals(june));

        TenantHome home = tenantHome(sharding);
        for (String q : List.of("tenant_month", "audit_by_user")) {
            var plan = report.get(SHARDED, q).plan();
            Claim.that(q + ", sharded: tenant " + TENANT + "'s shard only, " + home.partition() + " on " + home.shard() + ": " + plan.verdict(),
                    plan.partitionsTotal() == 2 && plan.scannedPartitions().equals(List.of(home.partition())) && plan.prunedAtPlanTime() == 1);
        }
        for (String q : List.of("point_lookup", "audit_by_user", "audit_by_action")) {
            var plan = report.get(PARTITIONED, q).plan();
            Claim.that(q + ", partitioned: nothing pruned, all 13 partitions in the plan (" + plan.scanKinds() + ")", plan.partitionsTotal() == 13
                    && plan.partitionsInPlan() == 13 && plan.prunedAtPlanTime() == 0 && plan.subplansRemoved() == 0);
        }
        var lookupPartitioned = report.get(PARTITIONED, "point_lookup").plan();
        Claim.that("point_lookup, partitioned: every partition asked, since no id rules one out: " + lookupPartitioned.verdict(),
                lookupPartitioned.partitionsScanned() == 13);
        for (String q : List.of("point_lookup", "audit_by_action")) {
            var plan = report.get(SHARDED, q).plan();
            Claim.that(q + ", sharded: both shards asked: " + plan.verdict(), plan.partitionsTotal() == 2 && plan.partitionsScanned() == 2);
        }
        List<String> labels = new ArrayList<>();
        List<PlanSummary> plans = new ArrayList<>();
        for (String q : List.of("point_lookup", "month_count", "tenant_month")) {
            for (Layout l : List.of(PLAIN, PARTITIONED, SHARDED)) {
                labels.add(q + " on " + l);
                plans.add(report.get(l, q).plan());
            }
        }
        return PlanSummary.compare("what the plans read (buffers: in the server that ran the plan)", labels, plans);
    }

    /**
     * The sharded layout as written: per read, one remote statement per shard asked and no aggregate among them; the
     * conditions travel, the aggregates do not (June's rows and the year's rows come back to be counted); the insert
     * writes to both shards; the coordinator's plans touch no shared buffers.
     */
    public static Table whatTheCoordinatorSends(Sharding sharding, BenchReport report) {
        long loaded = rowsPerLayout(report.options().scale());
        int perMonth = report.options().scale().rowsPerMonth();
        var query = StringColumn.create("query");
        var asked = StringColumn.create("shards asked");
        var sent = StringColumn.create("remote SQL (the same to each shard asked)");
        var received = LongColumn.create("rows sent to the coordinator");
        var returned = LongColumn.create("result rows");
        for (String q : reads()) {
            var plan = report.get(SHARDED, q).plan();
            var statements = plan.remoteSql();
            Claim.that(q + ": " + statements.size() + " remote statement(s), no aggregate among them",
                    statements.size() == plan.partitionsInPlan() && statements.stream().noneMatch(s -> s.contains("GROUP BY")
                            || s.contains("count(") || s.contains("min(") || s.contains("max(")));
            query.append(q);
            asked.append(report.get(SHARDED, q).partitions());
            sent.append(String.join(" | ", new LinkedHashSet<>(statements)));
            received.append(plan.rowsRead());
            returned.append(report.get(SHARDED, q).resultRows());
        }
        var monthSharded = report.get(SHARDED, "month_count").plan();
        Claim.that("month_count: the month's condition goes to the shards",
                monthSharded.remoteSql().stream().allMatch(s -> s.contains("occurred_at >=") && s.contains("occurred_at <")));
        Claim.that("tenant_month: the tenant's condition goes to its shard",
                report.get(SHARDED, "tenant_month").plan().remoteSql().stream().allMatch(s -> s.contains("tenant_id = " + TENANT)));
        Claim.equal("month_count: the shards send every June row to the coordinator, which counts them into 1 row",
                List.of((long) perMonth, 1L), List.of(monthSharded.rowsRead(), report.get(SHARDED, "month_count").resultRows()));
        Claim.equal("audit_by_action: the shards send every row of the year", loaded, report.get(SHARDED, "audit_by_action").plan().rowsRead());
        Table firstTen = sharding.coordinator().run("fdw/shard_map.sql", Map.of("lab.table", Sharding.TABLE, "lab.tenants", "10")).lastTable();
        Claim.equal("batch_insert_10's tenants, 1 to 10, live on both shards: the insert writes to both", 2,
                firstTen.stringColumn("shard").unique().size());
        Claim.that("the coordinator's plans touch no shared buffers: the pages are read in the shards",
                reads().stream().allMatch(q -> report.get(SHARDED, q).plan().sharedBuffers() == 0));
        return Table.create("the sharded layout: what the coordinator sent and got back", query, asked, sent, received, returned);
    }

    /**
     * The two sharded layouts side by side: the four pushed forms computed on the shards (and as written not), the
     * rows each brings to the coordinator, the other reads sent alike, fetch_size chosen per query on the layouts that
     * push down, and back at its default afterwards.
     */
    public static Table shardsDoTheCounting(Sharding sharding, BenchReport report) {
        long loaded = rowsPerLayout(report.options().scale());
        int perMonth = report.options().scale().rowsPerMonth();
        List<String> pushedQueries = pushedQueries();
        for (String q : pushedQueries) {
            var pushedPlan = report.get(PUSHDOWN, q).plan();
            Claim.that(q + ": on sharded_pushdown the shards compute the aggregate (Relations: Aggregate on, count(*) in each Remote SQL); on sharded they do not",
                    pushedPlan.aggregateOnShards() && !pushedPlan.remoteSql().isEmpty() && pushedPlan.remoteSql().stream().allMatch(s -> s.contains("count(*)"))
                            && !report.get(SHARDED, q).plan().aggregateOnShards());
        }
        var monthPushed = report.get(PUSHDOWN, "month_count").plan();
        Claim.equal("month_count: one count per shard comes back, 2 rows instead of June's " + perMonth + ", from both shards at once (Async Foreign Scan)",
                List.of(2L, (long) perMonth, 2L), List.of(monthPushed.rowsRead(), report.get(SHARDED, "month_count").plan().rowsRead(),
                        (long) monthPushed.planText().split("Async Foreign Scan", -1).length - 1));
        long rollupPushed = report.get(PUSHDOWN, "monthly_rollup").plan().rowsRead();
        Claim.that("monthly_rollup: at most one row per shard and day comes back, " + rollupPushed + " <= 2 x 366, instead of the year's " + loaded,
                rollupPushed > 0 && rollupPushed <= 2 * 366 && report.get(SHARDED, "monthly_rollup").plan().rowsRead() == loaded);
        long byActionPushed = report.get(PUSHDOWN, "audit_by_action").plan().rowsRead();
        long types = report.get(PUSHDOWN, "audit_by_action").resultRows();
        Claim.that("audit_by_action: at most one row per shard and event type comes back, " + byActionPushed + " <= 2 x " + types
                        + ", instead of the year's " + loaded,
                byActionPushed >= types && byActionPushed <= 2 * types && report.get(SHARDED, "audit_by_action").plan().rowsRead() == loaded);
        var tenantPushed = report.get(PUSHDOWN, "tenant_month");
        long tenantRowsSharded = report.get(SHARDED, "tenant_month").plan().rowsRead();
        Claim.that("tenant_month: tenant " + TENANT + "'s shard alone (" + tenantPushed.plan().verdict() + ") sends its " + tenantPushed.resultRows()
                        + " groups, where as written it sends the tenant's " + tenantRowsSharded + " rows of June",
                tenantPushed.plan().scannedPartitions().equals(List.of(tenantHome(sharding).partition()))
                        && tenantPushed.plan().rowsRead() == tenantPushed.resultRows() && tenantRowsSharded >= tenantPushed.resultRows());
        long pushedSum = pushedQueries.stream().mapToLong(q -> report.get(PUSHDOWN, q).plan().rowsRead()).sum();
        long writtenSum = pushedQueries.stream().mapToLong(q -> report.get(SHARDED, q).plan().rowsRead()).sum();
        Claim.that(String.format(Locale.ROOT, "the four pushed forms bring %,d rows to the coordinator, the same queries as written %,d", pushedSum, writtenSum),
                pushedSum * 10 < writtenSum);
        var asWritten = reads().stream().filter(q -> !pushedQueries.contains(q)).toList();
        Claim.that("the other reads, " + String.join(", ", asWritten) + ": the same statements to the shards on both sharded layouts, no aggregate on them",
                asWritten.stream().allMatch(q -> report.get(SHARDED, q).plan().remoteSql().equals(report.get(PUSHDOWN, q).plan().remoteSql())
                        && !report.get(PUSHDOWN, q).plan().aggregateOnShards()));
        String larger = String.format(Locale.ROOT, "%,d", Bench.PUSHDOWN_FETCH_SIZE);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        for (Layout l : Layout.ALL) {
            if (!l.sharded()) continue;
            expected.put(l.name(), l.pushesDown() ? List.of("audit_recent_7_days " + larger, "audit_month " + larger) : List.of());
            chosen.put(l.name(), Bench.QUERIES.stream().filter(q -> q.fetchSizeOn(l) != null).map(q -> q.name() + " " + fetchSize(q, l)).toList());
        }
        Claim.equal("fetch_size, chosen per query: " + larger + " rows per round trip only for the two queries that bring many rows, on the layouts "
                + "that push down; every other query keeps postgres_fdw's 100, audit_by_user (whose LIMIT the shards do not see) included",
                expected, chosen);
        Table servers = sharding.coordinator().run("fdw/server_options.sql").lastTable();
        Claim.that("after the run both foreign servers are back at postgres_fdw's default fetch_size (no fetch_size option)",
                servers.rowCount() == 2 && servers.stringColumn("options").asList().stream().noneMatch(o -> o.contains("fetch_size")));

        var query = StringColumn.create("query");
        var runs = StringColumn.create("sharded_pushdown runs");
        var fetch = StringColumn.create("fetch_size, sharded_pushdown");
        var aggregate = StringColumn.create("aggregate on the shards");
        var rowsSharded = LongColumn.create("rows to the coordinator, sharded");
        var rowsPushed = LongColumn.create("rows to the coordinator, sharded_pushdown");
        var result = LongColumn.create("result rows");
        var msSharded = DoubleColumn.create("median ms, sharded");
        var msPushed = DoubleColumn.create("median ms, sharded_pushdown");
        for (Query q : Bench.QUERIES) {
            if (q.writes()) continue;
            Measurement written = report.get(SHARDED, q.name());
            Measurement pushed = report.get(PUSHDOWN, q.name());
            query.append(q.name());
            runs.append(q.pushedDown() ? q.fileOn(PUSHDOWN) : "as written");
            fetch.append(fetchSize(q, PUSHDOWN));
            aggregate.append(pushed.plan().aggregateOnShards() ? "yes" : "no");
            rowsSharded.append(written.plan().rowsRead());
            rowsPushed.append(pushed.plan().rowsRead());
            result.append(pushed.resultRows());
            msSharded.append(Bench.round(written.medianMs()));
            msPushed.append(Bench.round(pushed.medianMs()));
        }
        return Table.create("the sharded layouts: as written and pushed down", query, runs, fetch, aggregate, rowsSharded, rowsPushed,
                result, msSharded, msPushed);
    }

    /** The rows the shards sent to the coordinator per read, as written and pushed down, and the chart drawing them. */
    public record RowsMoved(Map<String, Long> asWritten, Map<String, Long> pushedDown, BufferedImage image) {}

    /**
     * A picture of what pushing down saves: per read, the rows the shards sent to the coordinator on the sharded
     * layout and on sharded_pushdown, from this run's plans (rows_read), on a log scale (a month's count: June's rows
     * against 2). A read that moved no row has no bar.
     */
    public static RowsMoved rowsToTheCoordinator(BenchReport report) {
        Map<String, Long> written = new LinkedHashMap<>();
        Map<String, Long> pushed = new LinkedHashMap<>();
        for (String q : reads()) {
            written.put(q, report.get(SHARDED, q).plan().rowsRead());
            pushed.put(q, report.get(PUSHDOWN, q).plan().rowsRead());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(480)
                .title("Rows the shards sent to the coordinator, scale " + report.options().scale() + " (log scale)")
                .xAxisTitle("query").yAxisTitle("rows").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.5); // a log axis needs a floor below 1 row; no row draws no bar
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> names = new ArrayList<>(written.keySet());
        chart.addSeries("sharded (as written)", names, written.values().stream().map(v -> Math.max(v, 0.5)).toList());
        chart.addSeries("sharded_pushdown", names, pushed.values().stream().map(v -> Math.max(v, 0.5)).toList());
        return new RowsMoved(written, pushed, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * sharded_routed: the one-tenant queries sent by the client's shard map straight to tenant 42's shard, the shard the
     * coordinator's own hash names, their plans the shard's (app.events_shard: not partitioned, no Remote SQL); the
     * other queries through the coordinator, sending the shards what sharded_pushdown sends. Per query: where it ran,
     * its file, fetch_size, what the plan read, its median and the ratio to sharded's (shown, not compared).
     */
    public static Table routedByTheShardMap(Sharding sharding, BenchReport report) {
        TenantHome home = tenantHome(sharding);
        Claim.equal("the shard map (lab.ShardMap, computed in Java from the coordinator's bounds) puts tenant " + TENANT
                + " on the shard the coordinator's own hash names", home.shard(), sharding.map().shardOf(TENANT));
        String plans = readReport(report, report.planFile(ROUTED));
        for (String q : routedQueries()) {
            Measurement m = report.get(ROUTED, q);
            var plan = m.plan();
            String header = "-- " + q + " (sql/bench/queries/" + m.query().fileOn(ROUTED) + "), routed to " + home.shard() + " by the shard map\n";
            Claim.that(q + ": routed to " + home.shard() + " by the shard map, the plan the shard's: " + plan.verdict() + ", no Remote SQL",
                    plan.partitionsTotal() == 0 && plan.relations().equals(List.of("app.events_shard")) && plan.remoteSql().isEmpty()
                            && plans.contains(header));
        }
        List<Query> others = Bench.QUERIES.stream().filter(q -> !q.routedOn(ROUTED)).toList();
        Claim.that("the other queries, " + others.stream().map(Query::name).collect(Collectors.joining(", ")) + ": through the coordinator, "
                        + "the same Remote SQL as on " + PUSHDOWN,
                others.stream().allMatch(q -> {
                    List<String> sent = report.get(ROUTED, q.name()).plan().remoteSql();
                    return (q.writes() || !sent.isEmpty()) && sent.equals(report.get(PUSHDOWN, q.name()).plan().remoteSql());
                }));
        List<Query> queries = Bench.QUERIES;
        List<Measurement> routed = queries.stream().map(q -> report.get(ROUTED, q.name())).toList();
        return Table.create(ROUTED + ": one tenant's queries routed to its shard, the others through the coordinator",
                StringColumn.create("query", queries.stream().map(Query::name).toList()),
                StringColumn.create("runs on", queries.stream().map(q -> q.routedOn(ROUTED) ? home.shard() + " (app.events_shard), by the shard map"
                        : "coordinator").toList()),
                StringColumn.create("file", queries.stream().map(q -> q.fileOn(ROUTED)).toList()),
                StringColumn.create("fetch_size", queries.stream().map(q -> fetchSize(q, ROUTED)).toList()),
                StringColumn.create("partitions scanned", routed.stream().map(Measurement::partitions).toList()),
                LongColumn.create("remote statements", routed.stream().mapToLong(m -> m.plan().remoteSql().size()).toArray()),
                LongColumn.create("result rows", routed.stream().mapToLong(Measurement::resultRows).toArray()),
                DoubleColumn.create("median ms", routed.stream().mapToDouble(m -> Bench.round(m.medianMs())).toArray()),
                DoubleColumn.create("x_sharded", queries.stream().mapToDouble(q -> Bench.round(report.ratioToSharded(ROUTED, q.name()))).toArray()));
    }

    /**
     * The queries this run flagged ({@link BenchReport#flagged}): on sharded_pushdown or sharded_routed, a median more
     * than {@link Bench#SLOWER_THAN_SHARDED} times sharded's. Shown, never asserted (timings); the claim is only that
     * the summary's flag column marks the same rows. Named "none flagged" when empty.
     */
    public static Table flaggedSlowerThanSharded(BenchReport report) {
        Table flagged = report.flagged();
        Table summary = report.summary();
        List<String> listed = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        for (int r = 0; r < flagged.rowCount(); r++) listed.add(flagged.getString(r, "query") + " on " + flagged.getString(r, "layout"));
        for (int r = 0; r < summary.rowCount(); r++) {
            if (!summary.getString(r, "flag").isEmpty()) marked.add(summary.getString(r, "query") + " on " + summary.getString(r, "layout"));
        }
        Claim.equal("the summary's flag column marks the rows of this table, " + listed.size() + " in this run", listed, marked);
        if (flagged.isEmpty()) {
            flagged.setName(String.format(Locale.ROOT, "none flagged: on %s and %s every query took at most %.1f x sharded's median in this run",
                    PUSHDOWN, ROUTED, Bench.SLOWER_THAN_SHARDED));
        }
        return flagged;
    }

    /**
     * tenant_month on the tenant's shard, then on each sharded layout of the run, through the coordinator or routed to
     * the shard by the shard map, with the same rows.
     */
    public static Table tenantMonthOnItsShard(Sharding sharding, BenchReport report) {
        Table onShard = report.tenantOnShard();
        List<String> where = new ArrayList<>(List.of("on " + tenantHome(sharding).shard() + " (app.events_shard)"));
        for (Layout l : report.options().layouts()) {
            if (!l.sharded()) continue;
            where.add(report.get(l, "tenant_month").query().routedOn(l) ? "routed to its shard by the shard map (" + l + ")"
                    : "through the coordinator (" + l + ")");
        }
        Claim.equal("tenant_month timed on tenant " + TENANT + "'s shard, then on each sharded layout: through the coordinator, "
                + "or routed to the shard by the shard map", where, onShard.stringColumn("where").asList());
        Claim.that("the same result, " + report.get(SHARDED, "tenant_month").resultRows() + " rows, on the shard as through the coordinator "
                + "and routed (same_rows)", onShard.booleanColumn("same_rows").asList().stream().allMatch(Boolean.TRUE::equals));
        return onShard;
    }

    /** A file of the benchmark's report, read. */
    private static String readReport(BenchReport report, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark report in " + report.options().out() + ": " + e.getMessage(), e);
        }
    }

    /** The report's files: each layout's plans, the Remote SQL, the Markdown report's tables, the chart. The folder's files, listed. */
    public static String reportFiles(BenchReport report) {
        try {
            for (Layout l : Layout.ALL) {
                String plans = Files.readString(report.planFile(l));
                Claim.that(shown(report.planFile(l)) + ": the EXPLAIN (ANALYZE, BUFFERS) of the " + Bench.QUERIES.size() + " queries on the " + l + " layout",
                        Bench.QUERIES.stream().allMatch(q -> plans.contains("-- " + q.name() + " (sql/bench/queries/" + q.fileOn(l) + ")")));
            }
            String shardedPlans = Files.readString(report.planFile(SHARDED));
            String pushdownPlans = Files.readString(report.planFile(PUSHDOWN));
            String routedPlans = Files.readString(report.planFile(ROUTED));
            Claim.that(shown(report.planFile(SHARDED)) + ", " + shown(report.planFile(PUSHDOWN)) + " and " + shown(report.planFile(ROUTED))
                            + " show each shard's Remote SQL, and only the last two an aggregate computed on the shards",
                    shardedPlans.contains("Remote SQL:") && pushdownPlans.contains("Remote SQL:") && routedPlans.contains("Remote SQL:")
                            && pushdownPlans.contains("Relations: Aggregate on") && routedPlans.contains("Relations: Aggregate on")
                            && !shardedPlans.contains("Relations: Aggregate on"));
            String markdown = Files.readString(report.markdownFile());
            Claim.that(shown(report.markdownFile()) + " holds the load table", markdown.contains("## Load phase\n\n" + Render.markdown(report.loads())));
            Table flagged = report.flagged();
            Claim.that("... and the settings, the medians, the ratios, one tenant's month on its shard, what is slower than sharded and every query",
                    markdown.contains(Render.markdown(report.settings())) && markdown.contains(Render.markdown(report.medians()))
                            && markdown.contains(Render.markdown(report.ratios())) && markdown.contains(Render.markdown(report.tenantOnShard()))
                            && markdown.contains("## Slower than sharded\n\n" + (flagged.isEmpty() ? "None: " : Render.markdown(flagged)))
                            && markdown.contains(Render.markdown(report.summary())));
            BufferedImage png = ImageIO.read(report.chartFile().toFile());
            BufferedImage chart = report.chart();
            Claim.that(shown(report.chartFile()) + " is the chart above, a PNG of " + chart.getWidth() + " x " + chart.getHeight(),
                    png != null && png.getWidth() == chart.getWidth() && png.getHeight() == chart.getHeight());
            try (var files = Files.list(report.options().out())) {
                return shown(report.options().out()) + ": " + files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.joining(", "));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark report in " + report.options().out() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- reading the numbers

    /**
     * This run's numbers in words, one line a point of "Reading the numbers": the range of the medians, the plans
     * behind the point lookup and a month's count, the rows the sharded layout moves, pushed down against as written,
     * fetch_size per query, the queries routed by the shard map, what is flagged slower than sharded, one tenant on its
     * shard, and the loads' rates. Every time is a ratio or a median of this run.
     */
    public static List<String> inWords(BenchReport report, List<Load> loads) {
        var all = report.measurements();
        Measurement fastest = all.stream().min(java.util.Comparator.comparingDouble(Measurement::medianMs)).orElseThrow();
        Measurement slowest = all.stream().max(java.util.Comparator.comparingDouble(Measurement::medianMs)).orElseThrow();
        Scale scale = report.options().scale();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Scale %s, %,d rows per layout: the medians run from %.2f ms (%s on %s) to %.1f ms (%s on %s).",
                scale, rowsPerLayout(scale), fastest.medianMs(), fastest.query().name(), fastest.layout(), slowest.medianMs(),
                slowest.query().name(), slowest.layout()));
        var lookupPlain = report.get(PLAIN, "point_lookup").plan();
        var lookupPartitioned = report.get(PARTITIONED, "point_lookup").plan();
        lines.add(String.format(Locale.ROOT, "Point lookup: the plain table's primary key, %,d buffers (%s); the partitioned layout probes %d partitions, "
                        + "%,d buffers (%s); median %.2f x plain's on the partitioned layout, %.2f x on the sharded one.",
                lookupPlain.sharedBuffers(), lookupPlain.scanKinds(), lookupPartitioned.partitionsScanned(), lookupPartitioned.sharedBuffers(),
                lookupPartitioned.scanKinds(), report.ratio(PARTITIONED, "point_lookup"), report.ratio(SHARDED, "point_lookup")));
        var monthPlain = report.get(PLAIN, "month_count").plan();
        var monthPartitioned = report.get(PARTITIONED, "month_count").plan();
        lines.add(String.format(Locale.ROOT, "A month's count: June's partition, %,d buffers (%s), against %,d buffers on the plain table (%s); median %.2f x plain's.",
                monthPartitioned.sharedBuffers(), monthPartitioned.scanKinds(), monthPlain.sharedBuffers(), monthPlain.scanKinds(),
                report.ratio(PARTITIONED, "month_count")));
        lines.add(String.format(Locale.ROOT, "The year's rollup and the counts by event type, every row on every layout: partitioned %.2f x and %.2f x plain's.",
                report.ratio(PARTITIONED, "monthly_rollup"), report.ratio(PARTITIONED, "audit_by_action")));
        lines.add(String.format(Locale.ROOT, "Sharded, rows moved to the coordinator: %,d for a month's count (%.1f x plain's median), %,d for the counts by event type (%.1f x).",
                report.get(SHARDED, "month_count").plan().rowsRead(), report.ratio(SHARDED, "month_count"),
                report.get(SHARDED, "audit_by_action").plan().rowsRead(), report.ratio(SHARDED, "audit_by_action")));
        lines.add(String.format(Locale.ROOT, "Sharded, one tenant on one shard: %d rows for its month (%.2f x plain's), %d for its latest (%.2f x).",
                report.get(SHARDED, "tenant_month").plan().rowsRead(), report.ratio(SHARDED, "tenant_month"),
                report.get(SHARDED, "audit_by_user").plan().rowsRead(), report.ratio(SHARDED, "audit_by_user")));
        lines.add(String.format(Locale.ROOT, "The 10-row insert: %.2f x plain's on the partitioned layout, %.2f x on the sharded one.",
                report.ratio(PARTITIONED, "batch_insert_10"), report.ratio(SHARDED, "batch_insert_10")));
        lines.add("Pushed down, rows to the coordinator and median (x plain's), against the sharded layout's: " + pushedQueries().stream().map(q ->
                String.format(Locale.ROOT, "%s %,d rows, %.2f ms (%.2f x), against %,d rows, %.2f ms (%.2f x)", q,
                        report.get(PUSHDOWN, q).plan().rowsRead(), report.get(PUSHDOWN, q).medianMs(), report.ratio(PUSHDOWN, q),
                        report.get(SHARDED, q).plan().rowsRead(), report.get(SHARDED, q).medianMs(), report.ratio(SHARDED, q)))
                .collect(Collectors.joining("; ")) + ".");
        lines.add(String.format(Locale.ROOT, "fetch_size per query on %s and %s: %,d instead of 100 for the rows that come back, ", PUSHDOWN, ROUTED,
                Bench.PUSHDOWN_FETCH_SIZE) + Bench.QUERIES.stream().filter(q -> q.fetchSizeOn(PUSHDOWN) != null).map(q ->
                        String.format(Locale.ROOT, "%s's %,d rows in %.2f ms against %.2f ms on sharded", q.name(), report.get(PUSHDOWN, q.name()).resultRows(),
                                report.get(PUSHDOWN, q.name()).medianMs(), report.get(SHARDED, q.name()).medianMs())).collect(Collectors.joining(", "))
                + String.format(Locale.ROOT, "; audit_by_user keeps the default 100 (its LIMIT does not reach the shards): %.2f ms against %.2f ms on sharded.",
                report.get(PUSHDOWN, "audit_by_user").medianMs(), report.get(SHARDED, "audit_by_user").medianMs()));
        lines.add("Routed by the shard map straight to the tenant's shard (" + ROUTED + "): " + routedQueries().stream().map(q ->
                String.format(Locale.ROOT, "%s %.2f ms (%.2f x sharded's; %.2f ms pushed down through the coordinator)", q, report.get(ROUTED, q).medianMs(),
                        report.ratioToSharded(ROUTED, q), report.get(PUSHDOWN, q).medianMs())).collect(Collectors.joining(", ")) + ".");
        Table flagged = report.flagged();
        List<String> slower = new ArrayList<>();
        for (int r = 0; r < flagged.rowCount(); r++) {
            slower.add(String.format(Locale.ROOT, "%s on %s (%.2f x)", flagged.getString(r, "query"), flagged.getString(r, "layout"),
                    flagged.doubleColumn("x_sharded").get(r)));
        }
        lines.add(String.format(Locale.ROOT, "Flagged, more than %.1f x sharded's median on %s or %s: %s.", Bench.SLOWER_THAN_SHARDED, PUSHDOWN, ROUTED,
                slower.isEmpty() ? "none in this run" : String.join(", ", slower)));
        Table onShard = report.tenantOnShard();
        if (onShard.rowCount() > 1) {
            var ms = onShard.doubleColumn("median_ms");
            var x = onShard.doubleColumn("x_on_shard");
            List<String> others = new ArrayList<>();
            for (int r = 1; r < onShard.rowCount(); r++) {
                others.add(String.format(Locale.ROOT, "%s %.2f ms (%.2f x the shard's)", onShard.getString(r, "where"), ms.get(r), x.get(r)));
            }
            lines.add(String.format(Locale.ROOT, "One tenant's month (%d rows): %.2f ms %s itself; %s.", report.get(SHARDED, "tenant_month").resultRows(),
                    ms.get(0), onShard.getString(0, "where").replace(" (app.events_shard)", ""), String.join(", ", others)));
        }
        Map<String, Double> rateOf = new LinkedHashMap<>();
        loads.stream().filter(l -> l.layout() == SHARDED).forEach(l -> rateOf.put(l.route(), l.rowsPerSecond()));
        if (rateOf.size() == 3) {
            double coordinator = rateOf.get(Bench.COORDINATOR_ROUTE);
            lines.add(String.format(Locale.ROOT, "Loading the sharded table: %,.0f rows/s through the coordinator, %,.0f straight into the shards by its map "
                            + "(%.2f x), %,.0f shard-aware (%.2f x).", coordinator, rateOf.get(Bench.DIRECT_ROUTE), rateOf.get(Bench.DIRECT_ROUTE) / coordinator,
                    rateOf.get(Bench.SHARD_AWARE_ROUTE), rateOf.get(Bench.SHARD_AWARE_ROUTE) / coordinator));
        }
        return lines;
    }
}
