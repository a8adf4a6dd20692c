package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import lab.LoadSimulator.Target;
import lab.RepartitionScenario.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.Table;

/**
 * The five re-partitioning scenarios (sql/repartition) on a real server: each keeps every row (count and checksum of
 * the moved rows, and of the whole table), runs twice and in any order, loses nothing while the load simulator
 * writes, rolls back whole when it fails half way (and a rerun converges), and refuses bad input changing nothing.
 */
class RepartitionTest {
    private static final long EVENTS = 3_000;
    private static final long USERS = 1_000;
    private static final List<String> ORIGINAL_LEAVES = List.of("app.event_logs_2024_01", "app.event_logs_2024_02",
            "app.event_logs_2024_03", "app.event_logs_default");

    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    /** The original layout, freshly seeded: event_logs by month (3 + DEFAULT), users by hash, nothing else. */
    @BeforeEach
    void originalLayout() {
        Migration.RANGE.createBase(db, EVENTS, Migration.DEFAULT_SEED);
        Migration.RANGE.migrate(db);
        Migration.HASH.createBase(db, USERS, Migration.DEFAULT_SEED);
        Migration.HASH.migrate(db);
        RepartitionScenario.prepare(db);
        assertEquals(ORIGINAL_LEAVES, Partitions.leafNames(db, "app.event_logs"));
    }

    @Test
    void addShowsTheRefusedCreateThenAttachesTheMonthWithoutAScan() {
        long aprilRows = rowsOfMonth("2024-04");
        assertTrue(aprilRows > 0, "the seed puts April rows in the DEFAULT");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.ADD.run(db, Options.defaults());

        assertTrue(outcome.naiveCreate().refused(), outcome.naiveCreate()::toString);
        assertEquals("23514", outcome.naiveCreate().sqlState());
        assertTrue(outcome.noRowLost(), outcome::verdict);
        assertEquals(aprilRows, outcome.rowsMoved());
        assertEquals(1, outcome.attachScansSkipped(), outcome.scans()::toString);
        assertEquals(aprilRows, db.count("app.event_logs_2024_04"), "every April row in its partition");
        assertEquals(0, rowsOfMonthIn("app.event_logs_default", "2024-04"), "no April row left in the DEFAULT");
        assertTrue(Partitions.everyLeafIndexed(Partitions.indexCoverage(db, "app.event_logs")));
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(start), "the whole table holds the same rows");
        assertEquals(3, outcome.steps().size());
        assertTrue(outcome.timings().columnNames().contains("wait on app.event_logs (ms)"));
    }

    @Test
    void splitMakesFourWeeksTheLastTakingThePartialWeek() {
        long februaryRows = db.count("app.event_logs_2024_02");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.SPLIT.run(db, Options.defaults());

        assertTrue(outcome.noRowLost(), outcome::verdict);
        assertEquals(februaryRows, outcome.rowsMoved());
        assertEquals(4, outcome.attachScansSkipped(), outcome.scans()::toString);
        Table leaves = Partitions.leaves(db, "app.event_logs");
        assertEquals(List.of("app.event_logs_2024_01", "app.event_logs_2024_02_w1", "app.event_logs_2024_02_w2",
                "app.event_logs_2024_02_w3", "app.event_logs_2024_02_w4", "app.event_logs_2024_03", "app.event_logs_default"),
                leaves.stringColumn("partition").asList());
        assertEquals("FOR VALUES FROM ('2024-02-22 00:00:00+00') TO ('2024-03-01 00:00:00+00')",
                leaves.stringColumn("bound").get(4), "the fourth week runs to the end of the month: 8 days in February 2024");
        long inWeeks = 0;
        for (int w = 1; w <= 4; w++) inWeeks += db.count("app.event_logs_2024_02_w" + w);
        assertEquals(februaryRows, inWeeks);
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(start));
    }

    @Test
    void detachArchivesEveryRowThenDropsThePartition() {
        Fingerprint january = Fingerprint.of(db, "app.event_logs_2024_01");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.DETACH.run(db, Options.defaults());

        assertTrue(outcome.noRowLost(), outcome::verdict);
        assertEquals(january.rows(), outcome.rowsMoved());
        assertFalse(Partitions.exists(db, "app.event_logs_2024_01"), "the detached partition is dropped");
        assertEquals(january.rows(), db.count(RepartitionScenario.ARCHIVE));
        assertEquals(start.rows() - january.rows(), db.count("app.event_logs"));
        assertEquals(0, (long) ((Number) db.scalar("SELECT count(*) FROM app.event_logs_archive WHERE archive_reason IS NULL OR archived_at IS NULL")).longValue());
    }

    @Test
    void migrateBuildsUsersByDateWithTheSameRowsAndKeepsBoth() {
        Fingerprint users = Fingerprint.of(db, "app.users_distributed");

        var outcome = RepartitionScenario.MIGRATE.run(db, Options.defaults());

        assertTrue(outcome.noRowLost(), outcome::verdict);
        assertEquals(USERS, outcome.rowsMoved());
        assertTrue(Fingerprint.of(db, "app.users_by_date").sameRowsAs(users), "same users, whole rows");
        assertTrue(Fingerprint.of(db, "app.users_distributed").sameRowsAs(users), "the original is kept as it was");
        assertEquals(20, Partitions.leafNames(db, "app.users_by_date").size(), "a partition per quarter of 2020-2024");
        Table parity = Partitions.parity(db, "app.users_by_date", "app.users_distributed");
        assertTrue(Partitions.parityHolds(parity, USERS), parity::print);
    }

    @Test
    void everyScenarioRunsTwiceThenCleanupRestoresTheOriginalRows() {
        Fingerprint start = Fingerprint.of(db, "app.event_logs");
        for (RepartitionScenario scenario : List.of(RepartitionScenario.ADD, RepartitionScenario.SPLIT,
                RepartitionScenario.DETACH, RepartitionScenario.MIGRATE)) {
            var first = scenario.run(db, Options.defaults());
            assertTrue(first.noRowLost() && !first.nothingToDo(), first::verdict);
            Table layout = first.after();
            var second = scenario.run(db, Options.defaults());
            assertTrue(second.noRowLost(), second::verdict);
            if (scenario != RepartitionScenario.MIGRATE) {
                assertTrue(second.nothingToDo(), second::verdict);
                assertEquals(layout.print(), second.after().print(), "a second run changes nothing");
            } else {
                assertEquals(0, second.rowsMoved() - USERS, "nothing new to copy: the same users compared again");
            }
        }
        assertEquals(start.rows(), db.count("app.event_logs") + db.count(RepartitionScenario.ARCHIVE));

        var cleanup = RepartitionScenario.CLEANUP.run(db, Options.defaults());

        assertTrue(cleanup.noRowLost(), cleanup::verdict);
        assertOriginalLayout();
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(start), "every row back, unchanged");
        assertTrue(RepartitionScenario.CLEANUP.run(db, Options.defaults()).nothingToDo(), "cleanup twice: nothing left to do");
    }

    @Test
    void anyOrderWhileTheLoadWritesLosesNoRow() throws InterruptedException {
        long start = db.count("app.event_logs");
        var options = LoadSimulator.Options.defaults().withInterval(Duration.ofMillis(2))
                .withMix(Map.of(Target.events, 3, Target.users, 1)).withSeed(7);
        LoadSimulator.Summary summary;
        LoadSimulator.Verification verification;
        try (var load = LoadSimulator.start(db, options)) {
            Thread.sleep(200);
            for (String name : List.of("detach", "split", "add", "migrate", "cleanup", "add", "split", "detach", "migrate", "cleanup")) {
                var outcome = RepartitionScenario.named(name).run(db, Options.defaults());
                assertTrue(outcome.noRowLost(), outcome::verdict);
                Thread.sleep(100);
            }
            summary = load.stop();
            verification = load.verify(Map.of(Target.events, RepartitionScenario.ARCHIVE));
        }
        assertEquals(0, summary.errors(), () -> summary.toTable().print());
        assertTrue(summary.count(Target.events).written() > 50, summary::toString);
        assertTrue(verification.everyRowPresent(), verification::verdict);
        assertOriginalLayout();
        assertEquals(start + summary.count(Target.events).written(), db.count("app.event_logs"),
                "the seeded rows and every row the load wrote, all back in app.event_logs");
    }

    @ParameterizedTest(name = "{0} failing at {1}")
    @CsvSource({"add, staged", "add, verified", "split, detached", "split, verified", "detach, archived", "detach, detached",
                "migrate, copied", "cleanup, staged", "cleanup, restored"})
    void aFailureHalfWayChangesNothingAndARerunConverges(String name, String failAt) {
        var scenario = RepartitionScenario.named(name);
        if (scenario == RepartitionScenario.CLEANUP) {
            for (var s : List.of(RepartitionScenario.SPLIT, RepartitionScenario.DETACH, RepartitionScenario.ADD)) s.run(db, Options.defaults());
        }
        Table layout = Partitions.leaves(db, "app.event_logs");
        Proof rows = Proof.now();

        var failure = assertThrows(LabSqlException.class, () -> scenario.run(db, Options.defaults().withFailAt(failAt)));

        assertTrue(failure.getMessage().contains("failure injected at step \"" + failAt + "\""), failure::getMessage);
        assertEquals(layout.print(), Partitions.leaves(db, "app.event_logs").print(), "the partitions are as they were");
        assertEquals(rows, Proof.now(), "every row still there, unchanged");
        assertFalse(Partitions.exists(db, "app.users_by_date") && scenario == RepartitionScenario.MIGRATE, "migrate rolled back whole");

        var rerun = scenario.run(db, Options.defaults());
        assertTrue(rerun.noRowLost() && !rerun.nothingToDo(), rerun::verdict);
        assertEquals(rows, Proof.now(), "the rerun loses nothing either");
        RepartitionScenario.CLEANUP.run(db, Options.defaults());
        assertOriginalLayout();
    }

    @Test
    void aMissingPreconditionIsBadInputAndChangesNothing() {
        RepartitionScenario.SPLIT.run(db, Options.defaults());
        Table layout = RepartitionScenario.CLEANUP.state(db);
        Proof rows = Proof.now();
        assertBadInput("no partition app.event_logs_2024_07 of app.event_logs to split",
                () -> RepartitionScenario.SPLIT.run(db, Options.defaults().withMonth(YearMonth.of(2024, 7))));
        assertBadInput("no partition app.event_logs_2024_05 of app.event_logs to detach",
                () -> RepartitionScenario.DETACH.run(db, Options.defaults().withMonth(YearMonth.of(2024, 5))));
        assertBadInput("2024-02 is already covered by partition app.event_logs_2024_02_w1",
                () -> RepartitionScenario.ADD.run(db, Options.defaults().withMonth(YearMonth.of(2024, 2))));
        assertBadInput("no partition app.event_logs_2024_02 of app.event_logs to detach (the month is covered by app.event_logs_2024_02_w1",
                () -> RepartitionScenario.DETACH.run(db, Options.defaults().withMonth(YearMonth.of(2024, 2))));
        assertTrue(RepartitionScenario.ADD.run(db, Options.defaults().withMonth(YearMonth.of(2024, 1))).nothingToDo(),
                "adding a month that has its partition is done already");
        assertBadInput("a month applies to add, split and detach", () -> RepartitionScenario.MIGRATE.run(db,
                Options.defaults().withMonth(YearMonth.of(2024, 1))));
        assertBadInput("unknown scenario 'merge'", () -> RepartitionScenario.named("merge"));
        assertBadInput("unknown failure point 'halfway'", () -> Options.defaults().withFailAt("halfway"));
        assertEquals(layout.print(), RepartitionScenario.CLEANUP.state(db).print());
        assertEquals(rows, Proof.now());
    }

    @Test
    void theDryRunPlanChangesNothing() {
        Table layout = RepartitionScenario.CLEANUP.state(db);
        Table plan = RepartitionScenario.SPLIT.plan(db, Options.defaults());
        assertEquals(5, plan.rowCount(), plan::print);
        assertEquals(db.count("app.event_logs_2024_02"), ((Number) plan.column("row_count").get(4)).longValue());
        assertEquals(layout.print(), RepartitionScenario.CLEANUP.state(db).print());
    }

    private static void assertBadInput(String expected, Runnable action) {
        var bad = assertThrows(BadInput.class, action::run);
        assertTrue(bad.getMessage().contains(expected), bad::getMessage);
    }

    private static void assertOriginalLayout() {
        assertEquals(ORIGINAL_LEAVES, Partitions.leafNames(db, "app.event_logs"));
        assertFalse(Partitions.exists(db, RepartitionScenario.ARCHIVE));
        assertFalse(Partitions.exists(db, "app.users_by_date"));
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_class WHERE obj_description(oid, 'pg_class') LIKE 'Partition Lab: staged%'")).longValue(),
                "no staged table left behind");
    }

    private static long rowsOfMonth(String month) {
        return rowsOfMonthIn("app.event_logs", month);
    }

    private static long rowsOfMonthIn(String table, String month) {
        YearMonth m = YearMonth.parse(month);
        return ((Number) db.scalar("SELECT count(*) FROM " + table + " WHERE created_at >= ?::timestamptz AND created_at < ?::timestamptz",
                m.atDay(1) + " 00:00:00+00", m.plusMonths(1).atDay(1) + " 00:00:00+00")).longValue();
    }

    /** Count and checksum of the events wherever they are (table and archive), and of the users. */
    private record Proof(long events, BigDecimal eventsChecksum, Fingerprint users) {
        static Proof now() {
            Fingerprint events = Fingerprint.of(db, "app.event_logs");
            long rows = events.rows();
            BigDecimal checksum = new BigDecimal(events.checksum());
            if (Partitions.exists(db, RepartitionScenario.ARCHIVE)) {
                // archived rows count once, even when a copy is also live (a detach that rolled back)
                Table t = db.query("SELECT count(*) AS n, coalesce(sum(hashtextextended(a::text, 0)::numeric), 0)::text AS s "
                        + "FROM (SELECT id, event_type, user_id, created_at, payload FROM app.event_logs_archive "
                        + "EXCEPT SELECT id, event_type, user_id, created_at, payload FROM app.event_logs) AS a");
                rows += ((Number) t.get(0, 0)).longValue();
                checksum = checksum.add(new BigDecimal(t.getString(0, "s")));
            }
            return new Proof(rows, checksum, Fingerprint.of(db, "app.users_distributed"));
        }
    }
}
