package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Lesson 10's checks on a real run at ci scale, on the embedded servers: every claim BenchChecks makes holds and is
 * printed, the tables the lesson shows have the rows it describes, and a claim fails when the servers disagree with
 * it (a row changed on one shard behind the coordinator's back, a load missing).
 */
class BenchChecksTest {
    private static Lab lab;
    private static Sharding sharding;
    private static List<Bench.Load> loads;
    private static BenchReport report;

    @TempDir
    static Path out;

    @BeforeAll
    static void loadAndRun() {
        lab = Lab.connect("embedded");
        sharding = Sharding.on(lab);
        loads = Bench.load(lab, Bench.Layout.ALL, Scale.ci, Bench.DEFAULT_SEED, Progress.Mode.OFF);
        report = Bench.run(lab, new Bench.Options(Bench.Layout.ALL, 1, 1, Scale.ci, out), Progress.Mode.OFF);
    }

    /** What a check printed on stdout, and what it returned. */
    private record Printed<T>(T result, List<String> claims) {}

    private static <T> Printed<T> printed(Supplier<T> check) {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            T result = check.get();
            return new Printed<>(result, captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("\u2714 ")).toList());
        } finally {
            System.setOut(before);
        }
    }

    @Test
    void everyClaimHoldsOnARealRunAndTheTablesShowWhatTheLessonSays() {
        var queries = printed(BenchChecks::nineQueries);
        assertEquals(3, queries.claims().size(), queries.claims()::toString);
        String manyRows = "as written, fetch_size " + Bench.PUSHDOWN_FETCH_SIZE;
        String routed = "routed to the tenant's shard";
        assertEquals(List.of("as written", "pushdown/02_month_count.sql", "pushdown/03_tenant_month.sql", "pushdown/04_monthly_rollup.sql",
                "as written", manyRows, manyRows, "as written", "pushdown/09_audit_by_action.sql"),
                queries.result().stringColumn("on sharded_pushdown").asList());
        assertEquals(List.of("as written", "pushdown/02_month_count.sql", routed, "pushdown/04_monthly_rollup.sql",
                "as written", manyRows, manyRows, routed, "pushdown/09_audit_by_action.sql"),
                queries.result().stringColumn("on sharded_routed").asList());

        var loaded = printed(() -> BenchChecks.loadedAlike(loads, Scale.ci));
        assertEquals(9, loaded.claims().size(), loaded.claims()::toString);
        assertTrue(loaded.claims().contains("\u2714 sharded_pushdown and sharded_routed load nothing of their own: they read the sharded layout's rows"),
                loaded.claims()::toString);
        assertEquals(List.of("COPY", "COPY", Bench.COORDINATOR_ROUTE, Bench.DIRECT_ROUTE, Bench.SHARD_AWARE_ROUTE),
                loaded.result().stringColumn("route").asList());

        var same = printed(() -> BenchChecks.sameRowsEverywhere(lab, Scale.ci));
        assertEquals(1, same.claims().size());
        assertEquals(1, same.result().stringColumn("row checksum").unique().size(), "one checksum for the three tables");

        var refused = printed(() -> BenchChecks.refusedAtAnotherScale(lab, Scale.ci));
        assertTrue(refused.result().contains("not at scale demo"), refused.result());

        var answers = printed(() -> BenchChecks.sameAnswersEverywhere(lab, report));
        assertEquals(11, answers.claims().size(), answers.claims()::toString);
        assertEquals(5, Bench.Layout.ALL.size());
        assertEquals(Collections.nCopies(Bench.Layout.ALL.size(), 1L), Bench.Layout.ALL.stream()
                .map(l -> answers.result().longColumn(l.name()).get(0)).toList(), "the point lookup's one row on every layout");
        assertTrue(answers.claims().contains("\u2714 the point lookup finds its one row on all 5 layouts ([1, 1, 1, 1, 1])"), answers.claims()::toString);

        var plans = printed(() -> BenchChecks.plansReadWhatTheKeyAllows(sharding, report));
        assertEquals(14, plans.claims().size(), plans.claims()::toString);
        assertEquals(List.of("not partitioned", "13 of 13", "2 of 2", "not partitioned", "1 of 13", "2 of 2", "not partitioned", "1 of 13", "1 of 2"),
                plans.result().stringColumn("partitions scanned").asList());

        var sends = printed(() -> BenchChecks.whatTheCoordinatorSends(sharding, report));
        assertEquals(14, sends.claims().size(), sends.claims()::toString);
        Table sent = sends.result();
        assertEquals(8, sent.rowCount(), "the eight reads");
        assertEquals(12L * Scale.ci.rowsPerMonth(), sent.longColumn("rows sent to the coordinator").get(7), "audit_by_action: every row");

        var counting = printed(() -> BenchChecks.shardsDoTheCounting(sharding, report));
        assertEquals(12, counting.claims().size(), counting.claims()::toString);
        assertEquals(4, counting.result().stringColumn("aggregate on the shards").isEqualTo("yes").size(), "the four pushed forms");
        assertEquals(2L, counting.result().longColumn("rows to the coordinator, sharded_pushdown").get(1), "month_count: one count per shard");
        String byDefault = "100 (default)";
        assertEquals(List.of(byDefault, byDefault, byDefault, byDefault, "10,000", "10,000", byDefault, byDefault),
                counting.result().stringColumn("fetch_size, sharded_pushdown").asList(), "10,000 only for the two queries that bring many rows");
        assertTrue(counting.claims().stream().anyMatch(c -> c.contains("fetch_size, chosen per query")
                && c.endsWith("({sharded=[], sharded_pushdown=[audit_recent_7_days 10,000, audit_month 10,000], "
                        + "sharded_routed=[audit_recent_7_days 10,000, audit_month 10,000]})")), counting.claims()::toString);

        String home = sharding.shardOf(Bench.TENANT);
        var routedRun = printed(() -> BenchChecks.routedByTheShardMap(sharding, report));
        assertEquals(4, routedRun.claims().size(), routedRun.claims()::toString);
        Table ranRouted = routedRun.result();
        assertEquals(Bench.QUERIES.size(), ranRouted.rowCount());
        String onHome = home + " (app.events_shard), by the shard map";
        assertEquals(List.of("coordinator", "coordinator", onHome, "coordinator", "coordinator", "coordinator", "coordinator", onHome, "coordinator"),
                ranRouted.stringColumn("runs on").asList());
        assertEquals(List.of("03_tenant_month.sql", "not partitioned", 0L), List.of(ranRouted.stringColumn("file").get(2),
                ranRouted.stringColumn("partitions scanned").get(2), ranRouted.longColumn("remote statements").get(2)), "tenant_month: the shard's plan");
        assertEquals(List.of("n/a", "n/a", "10,000"), List.of(ranRouted.stringColumn("fetch_size").get(2), ranRouted.stringColumn("fetch_size").get(7),
                ranRouted.stringColumn("fetch_size").get(6)), "no postgres_fdw scan for the routed ones; audit_month's 10,000");
        assertEquals(List.of(report.get(Bench.Layout.plain, "tenant_month").resultRows(), report.get(Bench.Layout.plain, "audit_by_user").resultRows()),
                List.of(ranRouted.longColumn("result rows").get(2), ranRouted.longColumn("result rows").get(7)));
        assertTrue(routedRun.claims().get(1).startsWith("\u2714 tenant_month: routed to " + home + " by the shard map"), routedRun.claims()::toString);

        var flagged = printed(() -> BenchChecks.flaggedSlowerThanSharded(report));
        assertEquals(1, flagged.claims().size(), flagged.claims()::toString);
        assertEquals(List.of("query", "layout", "median_ms", "sharded_median_ms", "x_sharded"), flagged.result().columnNames());
        assertEquals(report.flagged().rowCount(), flagged.result().rowCount());
        assertTrue(flagged.result().doubleColumn("x_sharded").asList().stream().allMatch(x -> x > Bench.SLOWER_THAN_SHARDED), flagged.result()::print);
        assertTrue(flagged.result().stringColumn("layout").asList().stream().allMatch(l -> l.equals("sharded_pushdown") || l.equals("sharded_routed")));

        var moved = BenchChecks.rowsToTheCoordinator(report);
        assertEquals(counting.result().longColumn("rows to the coordinator, sharded").asList(), List.copyOf(moved.asWritten().values()),
                "the chart's bars as written are the plans' rows");
        assertEquals(counting.result().longColumn("rows to the coordinator, sharded_pushdown").asList(), List.copyOf(moved.pushedDown().values()));
        assertEquals(List.of(1000, 480), List.of(moved.image().getWidth(), moved.image().getHeight()));

        var onShard = printed(() -> BenchChecks.tenantMonthOnItsShard(sharding, report));
        assertEquals(2, onShard.claims().size());
        assertEquals(List.of("on " + home + " (app.events_shard)", "through the coordinator (sharded)", "through the coordinator (sharded_pushdown)",
                "routed to its shard by the shard map (sharded_routed)"), onShard.result().stringColumn("where").asList());

        var files = printed(() -> BenchChecks.reportFiles(report));
        assertEquals(9, files.claims().size(), files.claims()::toString);
        assertTrue(files.result().contains("chart.png, plain.txt, report.md, variant_a.txt, variant_b.txt, variant_b_pushdown.txt, variant_b_routed.txt"),
                files.result());

        List<String> words = BenchChecks.inWords(report, loads);
        assertEquals(13, words.size(), words::toString);
        assertTrue(words.get(words.size() - 1).startsWith("Loading the sharded table: "), words.get(words.size() - 1));
        assertTrue(words.stream().anyMatch(w -> w.startsWith("fetch_size per query on sharded_pushdown and sharded_routed: 10,000 instead of 100")
                && w.contains("audit_by_user keeps the default 100")), words::toString);
        assertTrue(words.stream().anyMatch(w -> w.startsWith("Routed by the shard map straight to the tenant's shard (sharded_routed): tenant_month ")
                && w.contains(", audit_by_user ")), words::toString);
        assertTrue(words.stream().anyMatch(w -> w.startsWith("Flagged, more than 1.2 x sharded's median")), words::toString);
        assertTrue(words.stream().anyMatch(w -> w.startsWith("One tenant's month (") && w.contains("routed to its shard by the shard map (sharded_routed) ")),
                words::toString);
    }

    @Test
    void aRowChangedOnOneShardBreaksTheSameRowsClaim() {
        Node shard2 = sharding.shard("shard2");
        String id = shard2.query("SELECT id::text FROM app.events_shard ORDER BY id LIMIT 1").stringColumn("id").get(0);
        shard2.query("UPDATE app.events_shard SET event_type = event_type || '!' WHERE id = ?::uuid", id);
        try {
            var failed = assertThrows(Claim.ClaimFailed.class, () -> BenchChecks.sameRowsEverywhere(lab, Scale.ci));
            assertTrue(failed.getMessage().contains("hold the same"), failed.getMessage());
        } finally {
            shard2.query("UPDATE app.events_shard SET event_type = rtrim(event_type, '!') WHERE id = ?::uuid", id);
        }
        printed(() -> BenchChecks.sameRowsEverywhere(lab, Scale.ci));
    }

    @Test
    void aMissingLoadBreaksTheLoadClaims() {
        var failed = assertThrows(Claim.ClaimFailed.class, () -> printed(() -> BenchChecks.loadedAlike(loads.subList(0, 4), Scale.ci)));
        assertTrue(failed.getMessage().contains("five loads"), failed.getMessage());
    }
}
