package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        assertEquals(2, queries.claims().size(), queries.claims()::toString);
        assertEquals(List.of("as written", "pushdown/02_month_count.sql", "pushdown/03_tenant_month.sql", "pushdown/04_monthly_rollup.sql",
                "as written", "as written", "as written", "as written", "pushdown/09_audit_by_action.sql"),
                queries.result().stringColumn("on sharded_pushdown").asList());

        var loaded = printed(() -> BenchChecks.loadedAlike(loads, Scale.ci));
        assertEquals(9, loaded.claims().size(), loaded.claims()::toString);
        assertEquals(List.of("COPY", "COPY", Bench.COORDINATOR_ROUTE, Bench.DIRECT_ROUTE, Bench.SHARD_AWARE_ROUTE),
                loaded.result().stringColumn("route").asList());

        var same = printed(() -> BenchChecks.sameRowsEverywhere(lab, Scale.ci));
        assertEquals(1, same.claims().size());
        assertEquals(1, same.result().stringColumn("row checksum").unique().size(), "one checksum for the three tables");

        var refused = printed(() -> BenchChecks.refusedAtAnotherScale(lab, Scale.ci));
        assertTrue(refused.result().contains("not at scale demo"), refused.result());

        var answers = printed(() -> BenchChecks.sameAnswersEverywhere(lab, report));
        assertEquals(11, answers.claims().size(), answers.claims()::toString);
        assertEquals(List.of(1L, 1L, 1L, 1L), List.of(answers.result().longColumn("plain").get(0), answers.result().longColumn("partitioned").get(0),
                answers.result().longColumn("sharded").get(0), answers.result().longColumn("sharded_pushdown").get(0)), "the point lookup's one row");

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
        assertEquals(11, counting.claims().size(), counting.claims()::toString);
        assertEquals(4, counting.result().stringColumn("aggregate on the shards").isEqualTo("yes").size(), "the four pushed forms");
        assertEquals(2L, counting.result().longColumn("rows to the coordinator, sharded_pushdown").get(1), "month_count: one count per shard");

        var moved = BenchChecks.rowsToTheCoordinator(report);
        assertEquals(counting.result().longColumn("rows to the coordinator, sharded").asList(), List.copyOf(moved.asWritten().values()),
                "the chart's bars as written are the plans' rows");
        assertEquals(counting.result().longColumn("rows to the coordinator, sharded_pushdown").asList(), List.copyOf(moved.pushedDown().values()));
        assertEquals(List.of(1000, 480), List.of(moved.image().getWidth(), moved.image().getHeight()));

        var onShard = printed(() -> BenchChecks.tenantMonthOnItsShard(sharding, report));
        assertEquals(2, onShard.claims().size());
        assertEquals(3, onShard.result().rowCount());

        var files = printed(() -> BenchChecks.reportFiles(report));
        assertEquals(8, files.claims().size(), files.claims()::toString);
        assertTrue(files.result().contains("chart.png, plain.txt, report.md, variant_a.txt, variant_b.txt, variant_b_pushdown.txt"), files.result());

        List<String> words = BenchChecks.inWords(report, loads);
        assertEquals(11, words.size(), words::toString);
        assertTrue(words.get(words.size() - 1).startsWith("Loading the sharded table: "), words.get(words.size() - 1));
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
