package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Table onShard = report.tenantOnShard();
        assertEquals(3, onShard.rowCount(), onShard::toString);
        assertTrue(onShard.booleanColumn("same_rows").asList().stream().allMatch(Boolean.TRUE::equals), onShard::toString);
        assertTrue(markdown(out).contains("One tenant's month"), "the report has the comparison");
        String markdown = markdown(out);
        assertTrue(markdown.contains("## Load phase") && markdown.contains(Bench.SHARD_AWARE_ROUTE) && markdown.contains("shared_buffers"), markdown);
        var png = ImageIO.read(out.resolve("chart.png").toFile());
        assertEquals(1100, png.getWidth());
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
