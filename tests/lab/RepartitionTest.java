package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * writes, touches in its window only the rows changed meanwhile, keeps every row when it fails at any failure point
 * (and a rerun converges), and refuses bad input changing nothing.
 */
class RepartitionTest {
    private static final long EVENTS_PER_MONTH = 250;
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
        RepartitionScenario.seed(db, EVENTS_PER_MONTH, USERS);
        db.run("lab/repartition_changes.sql");
        assertEquals(ORIGINAL_LEAVES, Partitions.leafNames(db, "app.event_logs"));
    }

    @Test
    void addReplacesTheDefaultOnlineAndAttachesWithoutAScan() {
        long aprilRows = rowsOfMonth("2024-04");
        long defaultRows = db.count("app.event_logs_default");
        assertTrue(aprilRows > 0, "the seed puts April rows in the DEFAULT");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.ADD.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.noRowLost() && outcome.wholeTableUnchanged(), outcome::verdict);
        assertEquals(defaultRows, outcome.rowsMoved(), "the DEFAULT's rows, copied online into April and a new DEFAULT");
        assertEquals(0, outcome.windowRows(), "nobody wrote meanwhile: the window wrote no row");
        assertEquals(0, outcome.attachScans(), outcome.notices()::toString);
        assertEquals(2, outcome.attachScansSkipped(), "April and the new DEFAULT proved from their CHECKs: " + outcome.notices());
        assertEquals(aprilRows, db.count("app.event_logs_2024_04"), "every April row in its partition");
        assertEquals(0, rowsOfMonthIn("app.event_logs_default", "2024-04"), "no April row left in the DEFAULT");
        assertEquals(List.of("app.event_logs_2024_01", "app.event_logs_2024_02", "app.event_logs_2024_03", "app.event_logs_2024_04",
                "app.event_logs_default"), Partitions.leafNames(db, "app.event_logs"));
        assertTrue(Partitions.everyLeafIndexed(Partitions.indexCoverage(db, "app.event_logs")));
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(start), "the whole table holds the same rows");
        assertEquals(List.of("stage", "swap", "verify"), outcome.steps().stream().map(RepartitionScenario.StepReport::step).toList());
        assertEquals(1, outcome.lockAttempts(), "nobody held the table: the window's locks came at the first attempt");
        assertTrue(outcome.timings().columnNames().containsAll(List.of("writer on app.event_logs", "reader on app.event_logs")),
                outcome.timings()::print);
        assertNoSwapLeftovers();
    }

    @Test
    void theNaiveCreateScansTheDefaultUnderTheDisciplineAndChangesNothing() {
        Table layout = Partitions.leaves(db, "app.event_logs");
        var refused = RepartitionScenario.tryNaiveCreate(db, YearMonth.of(2024, 4), LockDiscipline.defaults());
        assertTrue(refused.refused() && "23514".equals(refused.sqlState()), refused::verdict);
        assertEquals(1, refused.lockAttempts());
        assertEquals(db.count("app.event_logs_default"), refused.defaultRows());
        var wouldSucceed = RepartitionScenario.tryNaiveCreate(db, YearMonth.of(2025, 1), LockDiscipline.defaults());
        assertFalse(wouldSucceed.refused(), wouldSucceed::verdict);
        assertEquals(layout.print(), Partitions.leaves(db, "app.event_logs").print(), "tried and rolled back, both");
    }

    @Test
    void splitMakesFourWeeksTheLastTakingThePartialWeek() {
        long februaryRows = db.count("app.event_logs_2024_02");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.SPLIT.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.wholeTableUnchanged(), outcome::verdict);
        assertEquals(februaryRows, outcome.rowsMoved());
        assertEquals(4, outcome.attachScansSkipped(), outcome.notices()::toString);
        assertEquals(0, outcome.attachScans(), "the DEFAULT's validated CHECK spared its scan: " + outcome.notices());
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
        assertNoSwapLeftovers();
    }

    @Test
    void detachIsACatalogOnlyWindowThenTheArchiveHoldsEveryRow() {
        Fingerprint january = Fingerprint.of(db, "app.event_logs_2024_01");
        Fingerprint start = Fingerprint.of(db, "app.event_logs");

        var outcome = RepartitionScenario.DETACH.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.wholeTableUnchanged(), outcome::verdict);
        assertEquals(january.rows(), outcome.rowsMoved());
        var window = outcome.steps().get(0);
        assertEquals(0L, window.windowRows(), "DETACH moves no row");
        assertEquals(1, window.lockAttempts());
        assertFalse(Partitions.exists(db, "app.event_logs_2024_01"), "the detached partition is dropped once archived");
        assertFalse(Partitions.exists(db, "app.event_logs_2024_01_detached"));
        assertEquals(january.rows(), db.count(RepartitionScenario.ARCHIVE));
        assertEquals(start.rows() - january.rows(), db.count("app.event_logs"));
        assertEquals(0, ((Number) db.scalar("SELECT count(*) FROM app.event_logs_archive WHERE archive_reason IS NULL OR archived_at IS NULL")).longValue());
    }

    @Test
    void migrateBuildsUsersByDateOnlyReadingTheLiveTable() {
        Fingerprint users = Fingerprint.of(db, "app.users_distributed");

        var outcome = RepartitionScenario.MIGRATE.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.wholeTableUnchanged(), outcome::verdict);
        assertEquals(USERS, outcome.rowsMoved());
        assertTrue(Fingerprint.of(db, "app.users_by_date").sameRowsAs(users), "same users, whole rows");
        assertTrue(Fingerprint.of(db, "app.users_distributed").sameRowsAs(users), "the original is kept as it was");
        assertEquals(20, Partitions.leafNames(db, "app.users_by_date").size(), "a partition per quarter of 2020-2024");
        Table parity = Partitions.parity(db, "app.users_by_date", "app.users_distributed");
        assertTrue(Partitions.parityHolds(parity, USERS), parity::print);
        // pg_locks, from inside the migrating transaction: the parent and its 4 partitions, a reader's lock only, which
        // conflicts with no lock a reader or a writer takes (only with ACCESS EXCLUSIVE)
        Table held = outcome.heldLocks();
        assertEquals(5, held.rowCount(), held::print);
        assertEquals(List.of("AccessShareLock"), held.stringColumn("mode").unique().asList(), held::print);
        assertEquals(0, outcome.lockAttempts(), "no window");
    }

    @Test
    void everyScenarioRunsTwiceThenCleanupRestoresTheOriginalRows() {
        Fingerprint start = Fingerprint.of(db, "app.event_logs");
        for (RepartitionScenario scenario : List.of(RepartitionScenario.ADD, RepartitionScenario.SPLIT,
                RepartitionScenario.DETACH, RepartitionScenario.MIGRATE)) {
            var first = scenario.run(db, Options.defaults());
            assertTrue(first.completed() && first.wholeTableUnchanged() && !first.nothingToDo(), first::verdict);
            Table layout = first.after();
            var second = scenario.run(db, Options.defaults());
            assertTrue(second.noRowLost(), second::verdict);
            if (scenario != RepartitionScenario.MIGRATE) {
                assertTrue(second.nothingToDo(), second::verdict);
                assertEquals(layout.print(), second.after().print(), "a second run changes nothing");
            } else {
                assertEquals(USERS, second.rowsMoved(), "nothing new to copy: the same users compared again");
            }
        }
        assertEquals(start.rows(), db.count("app.event_logs") + db.count(RepartitionScenario.ARCHIVE));

        var cleanup = RepartitionScenario.CLEANUP.run(db, Options.defaults());

        assertTrue(cleanup.completed() && cleanup.wholeTableUnchanged(), cleanup::verdict);
        assertEquals(0, cleanup.attachScans(), cleanup.notices()::toString);
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
                assertTrue(outcome.completed() && outcome.noRowLost(), outcome::verdict);
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

    /**
     * The window writes the changes made between staging and the window, never the partition: the swap is staged (and its
     * window made to fail), then rows of what it moves are inserted, updated and deleted, and the rerun's window catches
     * up with exactly those changes.
     */
    @ParameterizedTest(name = "{0}: {1} changes to {2}")
    @CsvSource({"add, 5, 2024-04", "split, 7, 2024-02", "cleanup, 4, 2024-02"})
    void theRowsTheWindowTouchesAreTheChangesMadeMeanwhile(String name, int rounds, String month) {
        var scenario = RepartitionScenario.named(name);
        if (scenario == RepartitionScenario.CLEANUP) {
            for (var s : List.of(RepartitionScenario.SPLIT, RepartitionScenario.ADD)) s.run(db, Options.defaults());
        }
        assertThrows(LabSqlException.class, () -> scenario.run(db, Options.defaults().withFailAt("window")));
        long changes = ((Number) db.scalar("SELECT lab.change_events(?, ?)", month, rounds)).longValue();
        assertEquals(3L * rounds, changes);

        var outcome = scenario.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.noRowLost(), outcome::verdict);
        assertEquals(changes, outcome.windowRows(), "the window caught up with the changes made since staging began: " + outcome.verdict());
        assertTrue(outcome.rowsMoved() > 10 * changes, "the rows moved are the partition's, far more: " + outcome.rowsMoved());
    }

    /**
     * More changes than online.catch_up_rows (200 by default) made while a swap stages are caught up with before its window, in
     * rounds, so that the window is left only those of its last moments: here none.
     */
    @Test
    void manyChangesMeanwhileAreCaughtUpBeforeTheWindow() {
        assertThrows(LabSqlException.class, () -> RepartitionScenario.SPLIT.run(db, Options.defaults().withFailAt("window")));
        long changes = ((Number) db.scalar("SELECT lab.change_events('2024-02', 400)")).longValue();
        assertEquals(1_200, changes);

        var outcome = RepartitionScenario.SPLIT.run(db, Options.defaults());

        assertTrue(outcome.completed() && outcome.noRowLost(), outcome::verdict);
        assertEquals(0, outcome.windowRows(), "the rounds before the window caught up with all " + changes + " changes");
        assertEquals(Partitions.parity(db, "app.event_logs", "app.event_logs_old").rowCount(), 7);
    }

    @ParameterizedTest(name = "{0} failing at {1}")
    @CsvSource({"add, window", "add, verify", "split, window", "split, verify", "detach, window", "detach, archive",
                "migrate, copy", "cleanup, window", "cleanup, verify", "cleanup, drop"})
    void aFailureAtEachFailPointKeepsEveryRowAndARerunConverges(String name, String failAt) {
        var scenario = RepartitionScenario.named(name);
        if (scenario == RepartitionScenario.CLEANUP) {
            for (var s : List.of(RepartitionScenario.SPLIT, RepartitionScenario.DETACH, RepartitionScenario.ADD)) s.run(db, Options.defaults());
        }
        Table layout = Partitions.leaves(db, "app.event_logs");
        Proof rows = Proof.now();
        var failing = Options.defaults().withFailAt(failAt);

        if (failAt.equals("verify")) {
            var reverted = scenario.run(db, failing);
            assertTrue(reverted.reverted() && !reverted.completed() && reverted.noRowLost(), reverted::verdict);
        } else {
            var failure = assertThrows(LabSqlException.class, () -> scenario.run(db, failing));
            assertTrue(failure.getMessage().contains("failure injected"), failure::getMessage);
        }
        if (!failAt.equals("archive") && !failAt.equals("drop")) {
            assertEquals(layout.print(), Partitions.leaves(db, "app.event_logs").print(), "the partitions are as they were");
        }
        assertEquals(rows, Proof.now(), "every row still there, unchanged");
        assertFalse(Partitions.exists(db, "app.users_by_date") && scenario == RepartitionScenario.MIGRATE, "migrate rolled back whole");

        var rerun = scenario.run(db, Options.defaults());
        assertTrue(rerun.completed() && rerun.noRowLost() && !rerun.nothingToDo(), rerun::verdict);
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
        assertBadInput("split has no failure point 'archive'", () -> RepartitionScenario.SPLIT.run(db, Options.defaults().withFailAt("archive")));
        assertEquals(layout.print(), RepartitionScenario.CLEANUP.state(db).print());
        assertEquals(rows, Proof.now());
    }

    @Test
    void aSwapHalfWayKeepsOtherScenariosOffUntilItFinishes() {
        assertThrows(LabSqlException.class, () -> RepartitionScenario.SPLIT.run(db, Options.defaults().withFailAt("window")));
        Proof rows = Proof.now();
        assertBadInput("split 2024-02 is half way", () -> RepartitionScenario.ADD.run(db, Options.defaults()));
        assertBadInput("split 2024-02 is half way", () -> RepartitionScenario.DETACH.run(db, Options.defaults()));
        assertEquals(rows, Proof.now());
        Table plan = RepartitionScenario.SPLIT.plan(db, Options.defaults());
        assertTrue(plan.getString(0, "action").startsWith("continue the swap under way (split 2024-02)"), plan::print);
        assertTrue(RepartitionScenario.SPLIT.run(db, Options.defaults()).completed());
        assertTrue(RepartitionScenario.ADD.run(db, Options.defaults()).completed());
    }

    @Test
    void theDryRunPlanStatesEachStepsLocksAndChangesNothing() {
        Table layout = RepartitionScenario.CLEANUP.state(db);
        Table plan = RepartitionScenario.SPLIT.plan(db, Options.defaults());
        assertEquals(List.of("stage", "swap", "verify"), plan.stringColumn("name").asList(), plan::print);
        assertEquals(db.count("app.event_logs_2024_02"), ((Number) plan.column("row_count").get(0)).longValue());
        assertTrue(plan.getString(1, "locks").startsWith("ACCESS EXCLUSIVE on app.event_logs, app.event_logs_2024_02, app.event_logs_default"
                + " and the staged tables, under lock_timeout 100 ms, retried within 30000 ms"), plan::print);
        Table unbounded = RepartitionScenario.SPLIT.plan(db, Options.defaults().with(LockDiscipline.unbounded()));
        assertTrue(unbounded.getString(1, "locks").contains("WITHOUT lock_timeout"), unbounded::print);
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
        assertNoSwapLeftovers();
    }

    /** No staged or kept table, no capture, no helper CHECK, no month detached half way: nothing under way either. */
    private static void assertNoSwapLeftovers() {
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_class WHERE obj_description(oid, 'pg_class') LIKE 'Partition Lab: staged%' "
                + "OR obj_description(oid, 'pg_class') LIKE 'Partition Lab: detached%'")).longValue(), "no staged or detached table left behind");
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'online_capture_%'")).longValue());
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'online_swap_%'")).longValue());
        assertEquals(0, OnlineSwap.inProgress(db, "app.event_logs").rowCount());
    }

    private static long rowsOfMonth(String month) {
        return rowsOfMonthIn("app.event_logs", month);
    }

    private static long rowsOfMonthIn(String table, String month) {
        YearMonth m = YearMonth.parse(month);
        return ((Number) db.scalar("SELECT count(*) FROM " + table + " WHERE created_at >= ?::timestamptz AND created_at < ?::timestamptz",
                m.atDay(1) + " 00:00:00+00", m.plusMonths(1).atDay(1) + " 00:00:00+00")).longValue();
    }

    /** Count and checksum of the events wherever they are (table, archive, a month detached half way), and of the users. */
    private record Proof(Fingerprint events, Fingerprint users) {
        static Proof now() {
            return new Proof(RepartitionScenario.ADD.wholeFingerprint(db), Fingerprint.of(db, "app.users_distributed"));
        }
    }
}
