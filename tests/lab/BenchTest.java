package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import lab.cli.BenchCommand;
import lab.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * The three-way benchmark on the embedded servers at ci scale: every layout loaded with the same rows, every query
 * answering the same on each, the plans read as the lesson claims, the report files written, and bad input refused
 * before anything runs. No timing is asserted: times are the benchmark's output, not its test.
 */
class BenchTest {
    private static Lab lab;
    private static List<Bench.Load> loads;

    @BeforeAll
    static void loadEveryLayout() {
        lab = Lab.connect("embedded");
        loads = Bench.load(lab, Bench.Layout.ALL, Scale.ci, Bench.DEFAULT_SEED, Progress.Mode.OFF);
    }

    @Test
    void everyLayoutHoldsTheSameRows() {
        long expected = 12L * Scale.ci.rowsPerMonth();
        assertEquals(5, loads.size(), "plain, partitioned, and sharded three times (through the coordinator, direct, shard-aware)");
        loads.forEach(load -> assertEquals(expected, load.rows(), load.toString()));
        var plain = Fingerprint.of(lab.node("plain"), "app.events_plain");
        var partitioned = Fingerprint.of(lab.node("partitioned"), "app.events");
        var sharded = Fingerprint.of(Sharding.on(lab).coordinator(), "app.events_sharded");
        assertEquals(expected, plain.rows());
        assertTrue(plain.sameRowsAs(partitioned), plain + " vs " + partitioned);
        assertTrue(plain.sameRowsAs(sharded), plain + " vs " + sharded);
        assertEquals(List.of("COPY", "COPY", Bench.COORDINATOR_ROUTE, Bench.DIRECT_ROUTE, Bench.SHARD_AWARE_ROUTE),
                loads.stream().map(Bench.Load::route).toList());
    }

    @Test
    void runAnswersAlikeEverywhereAndReadsAsTheLessonSays(@TempDir Path out) throws Exception {
        var before = Fingerprint.of(lab.node("plain"), "app.events_plain");
        var report = Bench.run(lab, new Bench.Options(Bench.Layout.ALL, 2, 1, Scale.ci, out), Progress.Mode.OFF);

        for (Bench.Query q : Bench.QUERIES) {
            for (Bench.Layout l : Bench.Layout.ALL) {
                assertTrue(report.sameResult(l, q.name()), q.name() + " on " + l + " answers as on plain");
                assertEquals(2, report.get(l, q.name()).timesMs().length);
            }
            assertEquals(1.0, report.ratio(Bench.Layout.plain, q.name()), 1e-9, "plain is the baseline");
        }
        assertEquals(Bench.QUERIES.size() * Bench.Layout.ALL.size(), report.summary().rowCount());
        // pruning: a month reads 1 partition of 13; the id alone reads all 13 and both shards; a tenant 1 shard of 2
        assertEquals("1 of 13", report.get(Bench.Layout.partitioned, "month_count").partitions());
        assertEquals("not partitioned", report.get(Bench.Layout.plain, "month_count").partitions());
        assertEquals("13 of 13", report.get(Bench.Layout.partitioned, "point_lookup").partitions());
        assertEquals("2 of 2", report.get(Bench.Layout.sharded, "point_lookup").partitions());
        assertEquals("1 of 2", report.get(Bench.Layout.sharded, "tenant_month").partitions());
        assertEquals("1 of 2", report.get(Bench.Layout.sharded, "audit_by_user").partitions());
        assertEquals(1, report.get(Bench.Layout.plain, "point_lookup").resultRows());
        assertEquals(10, report.get(Bench.Layout.sharded, "batch_insert_10").resultRows());
        assertEquals(12, report.get(Bench.Layout.sharded, "monthly_rollup").resultRows());

        // the batch inserts are gone again: the data is as loaded
        assertEquals(before, Fingerprint.of(lab.node("plain"), "app.events_plain"));
        assertEquals(12L * Scale.ci.rowsPerMonth(), lab.node("partitioned").count("app.events"));

        for (String file : List.of("plain.txt", "variant_a.txt", "variant_b.txt")) {
            String plans = Files.readString(out.resolve(file));
            for (Bench.Query q : Bench.QUERIES) assertTrue(plans.contains("-- " + q.name()), file + " has the plan of " + q.name());
            assertTrue(plans.contains("Buffers:") || file.equals("variant_b.txt"), file + " carries BUFFERS");
        }
        assertTrue(Files.readString(out.resolve("variant_b.txt")).contains("Remote SQL"), "VERBOSE shows what the shards were sent");

        // the pushed-down forms: the shards compute the aggregates (the plan says "Aggregate on"), where the plain
        // sharded forms ship rows; and the tenant's month is timed on its shard as well, with the same rows
        String pushedPlans = Files.readString(out.resolve("variant_b_pushdown.txt"));
        String shardedPlans = Files.readString(out.resolve("variant_b.txt"));
        for (String q : List.of("month_count", "tenant_month", "monthly_rollup", "audit_by_action")) {
            assertTrue(section(pushedPlans, q).contains("Relations: Aggregate on"), q + " is computed on the shards:\n" + section(pushedPlans, q));
            assertFalse(section(shardedPlans, q).contains("Relations: Aggregate on"), q + " as written is not:\n" + section(shardedPlans, q));
        }
        assertTrue(section(pushedPlans, "month_count").contains("Async Foreign Scan"), "both shards count at once");
        // the routed layout: the queries of one tenant ran on its shard, on app.events_shard, with plain's rows; the
        // others as on sharded_pushdown, through the coordinator
        Bench.Layout routed = Bench.Layout.sharded_routed;
        String home = Sharding.on(lab).shardOf(Bench.TENANT);
        String routedPlans = Files.readString(out.resolve("variant_b_routed.txt"));
        for (String q : List.of("tenant_month", "audit_by_user")) {
            var plan = report.get(routed, q).plan();
            assertEquals("not partitioned", report.get(routed, q).partitions(), q + " routed");
            assertEquals(List.of("app.events_shard"), plan.relations(), q + " routed: " + plan.planText());
            assertFalse(plan.planText().contains("Foreign Scan"), q + " routed reads no foreign table");
            assertTrue(section(routedPlans, q).contains("routed to " + home + " by the shard map"), section(routedPlans, q));
        }
        for (Bench.Query q : Bench.QUERIES) {
            if (q.oneTenant()) continue;
            assertEquals(report.get(Bench.Layout.sharded_pushdown, q.name()).plan().remoteSql(), report.get(routed, q.name()).plan().remoteSql(),
                    q.name() + ": the same statements to the shards as on sharded_pushdown");
        }
        assertEquals(List.of("tenant_month", "audit_by_user"), Bench.QUERIES.stream().filter(q -> q.routedOn(routed)).map(Bench.Query::name).toList());
        // fetch_size per query: 10,000 only where many rows come back; the LIMIT 100 query keeps postgres_fdw's 100
        assertEquals(List.of("audit_recent_7_days", "audit_month"), Bench.QUERIES.stream()
                .filter(q -> Integer.valueOf(Bench.PUSHDOWN_FETCH_SIZE).equals(q.fetchSizeOn(Bench.Layout.sharded_pushdown))).map(Bench.Query::name).toList());
        Table servers = Sharding.on(lab).coordinator().run("fdw/server_options.sql").lastTable();
        assertTrue(servers.stringColumn("options").asList().stream().noneMatch(o -> o.contains("fetch_size")), "fetch_size back at its default: " + servers);
        assertEquals(report.flagged().rowCount(), report.summary().stringColumn("flag").asList().stream().filter(f -> !f.isEmpty()).count(),
                "every flagged row is flagged in the summary");

        Table onShard = report.tenantOnShard();
        assertEquals(4, onShard.rowCount(), onShard::toString);
        assertEquals("routed to its shard by the shard map (sharded_routed)", onShard.getString(3, "where"));
        assertTrue(onShard.booleanColumn("same_rows").asList().stream().allMatch(Boolean.TRUE::equals), onShard::toString);
        assertTrue(markdown(out).contains("One tenant's month"), "the report has the comparison");
        String markdown = markdown(out);
        assertTrue(markdown.contains("## Load phase") && markdown.contains(Bench.SHARD_AWARE_ROUTE) && markdown.contains("shared_buffers"), markdown);
        var png = ImageIO.read(out.resolve("chart.png").toFile());
        assertEquals(1100, png.getWidth());
    }

    /**
     * The flag on a made-up run (measurements built here, no server): a layout reading the sharded rows more than 1.2
     * x slower than sharded on a query is a flagged row, and at or under it is not; plain and partitioned are never
     * compared with sharded.
     */
    @Test
    void aQueryMoreThanOnePointTwoTimesSlowerThanShardedIsAFlaggedRow(@TempDir Path out) {
        var options = new Bench.Options(Bench.Layout.ALL, 1, 0, Scale.ci, out);
        Map<Bench.Layout, Double> slowdown = Map.of(Bench.Layout.plain, 5.0, Bench.Layout.partitioned, 5.0, Bench.Layout.sharded, 1.0,
                Bench.Layout.sharded_pushdown, 1.2, Bench.Layout.sharded_routed, 1.0);
        List<Bench.Measurement> measurements = new java.util.ArrayList<>();
        for (Bench.Layout l : Bench.Layout.ALL) {
            for (Bench.Query q : Bench.QUERIES) {
                // month_count is 1.3 x slower on sharded_routed; everything else as slow as the layout's slowdown
                double ms = 10 * slowdown.get(l) * (l == Bench.Layout.sharded_routed && q.name().equals("month_count") ? 1.3 : 1);
                PlanSummary plan = new PlanSummary(q.name(), 0, 0, 0, 0, List.of(), List.of(), List.of(), List.of(), 0, 0, 0, 0, "");
                measurements.add(new Bench.Measurement(l, q, new double[] {ms}, 1, "x", plan));
            }
        }
        var report = new BenchReport(options, List.of(), measurements, Table.create("settings"), "id", java.util.Optional.empty());
        Table flagged = report.flagged();
        assertEquals(1, flagged.rowCount(), flagged::toString);
        assertEquals(List.of("month_count", "sharded_routed"), List.of(flagged.getString(0, "query"), flagged.getString(0, "layout")));
        assertEquals(1.3, flagged.doubleColumn("x_sharded").get(0), 1e-9);
        assertFalse(report.slowerThanSharded(Bench.Layout.sharded_pushdown, "month_count"), "1.2 x is not more than 1.2 x");
        assertFalse(report.slowerThanSharded(Bench.Layout.plain, "month_count"), "plain is not compared with sharded");
        Table summary = report.summary();
        assertEquals(List.of("SLOWER: 1.30 x sharded"), summary.stringColumn("flag").asList().stream().filter(f -> !f.isEmpty()).toList());
        assertTrue(report.markdown().contains("## Slower than sharded") && report.markdown().contains("| month_count | sharded_routed |"),
                report.markdown());
    }

    @Test
    void runbookPrintsTheReportAndExitsZero(@TempDir Path out) {
        var bench = bench("--scale", "ci", "--runs", "1", "--warmup", "0", "--layouts", "partitioned,sharded", "--out", out.toString());
        assertEquals(0, bench.exit, bench::toString);
        assertTrue(bench.out.contains("x_partitioned"), "without plain, the first layout is the baseline:\n" + bench.out);
        assertTrue(Files.exists(out.resolve("variant_a.txt")) && Files.exists(out.resolve("variant_b.txt")));
        assertFalse(Files.exists(out.resolve("plain.txt")));
    }

    @Test
    void badInputExitsTwoWithOneLineAndRunsNothing(@TempDir Path out) {
        var before = Fingerprint.of(lab.node("partitioned"), "app.events");
        List<List<String>> refusals = List.of(
                List.of("--layouts", "plain,columnar"),
                List.of("--layouts", "plain,plain"),
                List.of("--runs", "0"),
                List.of("--warmup", "-1"),
                List.of("--scale", "huge"),
                List.of("--scale", "demo"), // loaded at ci: demo's rows are not there
                List.of("--runs", "many"));
        for (List<String> args : refusals) {
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--out", out.toString(), "--no-progress"));
            var bench = bench(all.toArray(String[]::new));
            assertEquals(2, bench.exit, args + ": " + bench);
            assertEquals(1, bench.err.strip().lines().count(), args + " gives one line: " + bench.err);
        }
        assertTrue(bench("--scale", "demo", "--out", out.toString()).err.contains("not at scale demo"));
        assertFalse(Files.exists(out.resolve("report.md")), "nothing was written");
        assertEquals(before, Fingerprint.of(lab.node("partitioned"), "app.events"), "nothing was changed");
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    private static Run bench(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = Cli.run(new BenchCommand(), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** One query's part of a plans file: from its "-- name" line to the next query's. */
    private static String section(String plans, String query) {
        int start = plans.indexOf("-- " + query + " (");
        assertTrue(start >= 0, "no plan of " + query);
        var next = java.util.regex.Pattern.compile("\n-- [a-z_0-9]+ \\(sql/").matcher(plans);
        return next.find(start + 3) ? plans.substring(start, next.start()) : plans.substring(start);
    }

    private static String markdown(Path out) throws java.io.IOException {
        return Files.readString(out.resolve("report.md"));
    }
}
