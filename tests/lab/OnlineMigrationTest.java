package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.LoadSimulator.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The online migration of a plain table (sql/migrate/online, {@link OnlineMigration}) on a real server, on
 * app.event_logs: every row kept while the load simulator writes; the switch reads no row and the move's window
 * catches up with the changes, not the table; pg_locks during both windows; the lock discipline giving up on a long
 * reader and changing nothing; an interrupted index build, a failed switch and a failed window each resumed to the
 * end; a second run with nothing to do; bad input refused, changing nothing.
 */
class OnlineMigrationTest {
    private static final String TABLE = "app.event_logs";
    private static final long ROWS = 3_000;
    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void plainTable() {
        OnlineMigration.install(db);
        Migration.RANGE.createBase(db, ROWS, Migration.DEFAULT_SEED);
    }

    private static OnlineMigration.Options options() {
        return OnlineMigration.Options.defaults().withBatchRows(500);
    }

    private static String nextStep() {
        return OnlineMigration.state(db, TABLE, null).getString(0, "next_step");
    }

    /** The rows whose id is at most the seed's: the original rows, wherever they are now. */
    private static Fingerprint originalRowsNow() {
        Table t = db.query("SELECT row_count, row_checksum::text FROM online.fingerprint('SELECT * FROM app.event_logs WHERE id <= " + ROWS + "')");
        return new Fingerprint("original rows of " + TABLE, ((Number) t.get(0, 0)).longValue(), t.getString(0, 1));
    }

    private static void assertMigrated(Fingerprint original) {
        assertEquals("done", nextStep());
        List<String> leaves = Partitions.leafNames(db, TABLE);
        assertEquals(13, leaves.size(), leaves::toString);
        assertEquals("app.event_logs_2024_01", leaves.get(0));
        assertEquals("app.event_logs_default", leaves.get(12));
        assertTrue(Partitions.everyLeafIndexed(Partitions.indexCoverage(db, TABLE)));
        assertTrue(originalRowsNow().sameRowsAs(original), () -> originalRowsNow() + " vs " + original);
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) - count(DISTINCT id) FROM app.event_logs")).longValue(), "no id twice");
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'online_capture_%'")).longValue());
    }

    @Test
    void keepsEveryRowWhileTheLoadWritesAndItsWindowsTouchOnlyTheChanges() {
        Fingerprint original = Fingerprint.of(db, TABLE);
        var loadOptions = LoadSimulator.Options.defaults().withInterval(Duration.ofMillis(2)).withMix(Map.of(Target.events, 1));
        OnlineMigration.Report report;
        LoadSimulator.Summary summary;
        LoadSimulator.Verification verification;
        try (var load = LoadSimulator.start(db, loadOptions)) {
            report = OnlineMigration.run(db, TABLE, null, options().probed());
            summary = load.stop();
            verification = load.verify();
        }

        assertTrue(report.noRowLost(), report::verdict);
        assertEquals("index", report.startedAt());
        assertEquals(0, summary.errors(), summary::toString);
        assertTrue(verification.everyRowPresent(), verification::verdict);
        assertTrue(summary.written() > 0);
        assertEquals(ROWS + summary.written(), db.count(TABLE), "the seeded rows and every row the load wrote");
        assertMigrated(original);
        assertEquals(0L, report.step(OnlineMigration.Step.SWITCH).windowRows(), "the switch read no row: catalog only");
        long changes = report.move().windowRows();
        assertTrue(changes <= summary.written() && changes < ROWS / 10,
                "the move's window caught up with " + changes + " changes, not the table's " + ROWS + " rows");
        assertTrue(report.move().scansSkipped() >= 13 && report.move().scans() == 0, report.move().notices()::toString);
        assertTrue(report.kept().rows() >= ROWS, "app.event_logs_old kept, with the rows it held at the move's window");
        for (var step : report.steps()) assertTrue(step.ran(), step + " ran");
        assertTrue(report.stepsTable().rowCount() == 8);
    }

    @Test
    void theMoveWindowCatchesUpWithExactlyTheChangesMadeMeanwhile() {
        Fingerprint original = Fingerprint.of(db, TABLE);
        var failing = options().withFailAt("window");
        var failed = assertThrows(LabSqlException.class, () -> OnlineMigration.run(db, TABLE, null, failing));
        assertTrue(failed.getMessage().contains("failure injected in the window"), failed.getMessage());
        assertEquals("move", nextStep(), "switched, the move staged, its window rolled back");
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(original), "the application sees every row, in the DEFAULT");

        // six changes while the swap captures: three inserts, two updates, one delete
        db.query("INSERT INTO app.event_logs (event_type, user_id, created_at) VALUES ('x', 1, '2024-02-02'), ('x', 2, '2024-07-07'), ('x', 3, '2026-01-01')");
        db.query("UPDATE app.event_logs SET user_id = user_id + 1 WHERE id IN (1, 2)");
        db.query("DELETE FROM app.event_logs WHERE id = 3");
        Fingerprint changed = Fingerprint.of(db, TABLE);

        var report = OnlineMigration.run(db, TABLE, null, options());
        assertEquals("move", report.startedAt());
        assertEquals(6, report.move().windowRows(), "the window caught up with the six changes, not the " + ROWS + " rows");
        assertTrue(report.move().verified(), report::verdict);
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(changed));
        assertEquals(1L, db.count("app.event_logs_default"), "the 2026 row is in the new DEFAULT");
        assertFalse(report.step(OnlineMigration.Step.SWITCH).ran(), "switched before");
    }

    @Test
    void pgLocksShowAccessExclusiveOnTheTableDuringEachWindowOnly() {
        var report = OnlineMigration.run(db, TABLE, null, options().withHoldWindow(Duration.ofMillis(300)));
        assertTrue(report.noRowLost(), report::verdict);
        var switched = report.switchWindow();
        var moved = report.moveWindow();
        assertEquals("AccessExclusiveLock", switched.strongestOn(TABLE), switched.locks()::print);
        assertEquals("AccessExclusiveLock", moved.strongestOn(TABLE), moved.locks()::print);
        assertEquals("AccessExclusiveLock", moved.strongestOn("app.event_logs_old"), moved.locks()::print);
        assertTrue(switched.locks().stringColumn("held_by").asList().stream().allMatch(w -> w.startsWith("online window: switch of")));
        assertTrue(moved.locks().stringColumn("held_by").asList().stream().allMatch(w -> w.startsWith("online window: swap")));
    }

    @Test
    void aBudgetShorterThanAHeldAccessShareMakesTheSwitchGiveUpNamingTheHolderAndChangingNothing() throws Exception {
        Fingerprint before = Fingerprint.of(db, TABLE);
        var prepared = OnlineMigration.run(db, TABLE, null, options().stoppingAfter(OnlineMigration.Step.PARENT));
        assertEquals("switch", prepared.endedAt(), prepared::verdict);
        var shortBudget = options().with(LockDiscipline.defaults().withBudget(Duration.ofMillis(800)));
        LockGiveUp gaveUp;
        int readerPid;
        try (var reader = LongReader.hold(db, TABLE, Duration.ofSeconds(4))) {
            readerPid = reader.pid();
            gaveUp = assertThrows(LockGiveUp.class, () -> OnlineMigration.run(db, TABLE, null, shortBudget));
        }

        assertTrue(gaveUp.getMessage().contains("switch app.event_logs") && gaveUp.getMessage().contains("gave up")
                && gaveUp.getMessage().contains("pid " + readerPid) && gaveUp.getMessage().contains("SELECT count(*) FROM app.event_logs"),
                gaveUp.getMessage());
        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db), "the switch changed nothing: still the plain table");
        assertEquals("switch", nextStep(), "the index and the partitioned table, built before the switch, wait for the next run");
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));

        assertMigrated(before, OnlineMigration.run(db, TABLE, null, options()));
    }

    private static void assertMigrated(Fingerprint original, OnlineMigration.Report report) {
        assertTrue(report.noRowLost(), report::verdict);
        assertMigrated(original);
    }

    @Test
    void anInterruptedIndexBuildAndAFailedSwitchAreResumed() throws Exception {
        Fingerprint original = Fingerprint.of(db, TABLE);
        leaveAnInvalidUniqueIndex();
        var state = OnlineMigration.state(db, TABLE, null);
        assertEquals(Boolean.FALSE, state.column("index_valid").get(0), "an interrupted build leaves the index INVALID");

        var failed = assertThrows(LabSqlException.class, () -> OnlineMigration.run(db, TABLE, null, options().withFailAt("switch")));
        assertTrue(failed.getMessage().contains("failure injected in the switch"), failed.getMessage());
        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db), "the failed switch rolled back whole");
        assertEquals("switch", nextStep());
        assertEquals(Boolean.TRUE, OnlineMigration.state(db, TABLE, null).column("index_valid").get(0), "dropped and built again");

        var report = OnlineMigration.run(db, TABLE, null, options());
        assertEquals("switch", report.startedAt());
        assertMigrated(original, report);
        Table parity = Partitions.parity(db, TABLE, "app.event_logs_old");
        assertTrue(Partitions.parityHolds(parity, ROWS), parity::print);

        var again = OnlineMigration.run(db, TABLE, null, options());
        assertTrue(again.nothingToDo(), again::verdict);
        assertTrue(again.verdict().contains("nothing to do"));
    }

    /**
     * What a run killed during CREATE INDEX CONCURRENTLY leaves: the build waits for a writer's open transaction, and
     * is canceled meanwhile; its first transaction has committed the index, INVALID.
     */
    private static void leaveAnInvalidUniqueIndex() throws Exception {
        try (Connection writer = db.connection(); Statement w = writer.createStatement();
             Connection builder = db.connection(); Statement b = builder.createStatement()) {
            writer.setAutoCommit(false);
            w.execute("UPDATE app.event_logs SET user_id = user_id WHERE id = 1"); // ROW EXCLUSIVE until rollback
            var rs = b.executeQuery("SELECT pg_backend_pid()");
            rs.next();
            int builderPid = rs.getInt(1);
            var build = CompletableFuture.runAsync(() -> {
                try {
                    b.execute("CREATE UNIQUE INDEX CONCURRENTLY event_logs_id_created_at_key ON app.event_logs (id, created_at)");
                } catch (java.sql.SQLException canceled) {
                    // canceled while waiting for the writer: what a killed run leaves
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Boolean.TRUE.equals(db.scalar("SELECT EXISTS (SELECT FROM pg_stat_progress_create_index WHERE pid = ?)", builderPid))) {
                assertTrue(System.nanoTime() < deadline, "the index build did not start");
                Thread.sleep(20);
            }
            db.scalar("SELECT pg_cancel_backend(?)", builderPid);
            build.get(10, TimeUnit.SECONDS);
            writer.rollback();
            writer.setAutoCommit(true);
        }
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        Fingerprint before = Fingerprint.of(db, TABLE);
        var unknown = assertThrows(BadInput.class, () -> OnlineMigration.plan(db, "app.no_such_table", null));
        assertEquals("no table app.no_such_table", unknown.getMessage());
        var notTime = assertThrows(BadInput.class, () -> OnlineMigration.run(db, TABLE, "event_type", options()));
        assertEquals("app.event_logs.event_type is text, not a time column (timestamptz, timestamp or date)", notTime.getMessage());
        var noColumn = assertThrows(BadInput.class, () -> OnlineMigration.run(db, TABLE, "happened_at", options()));
        assertEquals("app.event_logs has no column happened_at", noColumn.getMessage());

        db.query("ALTER TABLE app.event_logs ADD COLUMN archived_at timestamptz NOT NULL DEFAULT '2025-01-01'");
        var two = assertThrows(BadInput.class, () -> OnlineMigration.run(db, TABLE, null, options()));
        assertTrue(two.getMessage().contains("2 NOT NULL time columns") && two.getMessage().contains("created_at, archived_at"), two.getMessage());
        db.query("ALTER TABLE app.event_logs ALTER COLUMN archived_at DROP NOT NULL");
        var nullable = assertThrows(BadInput.class, () -> OnlineMigration.run(db, TABLE, "archived_at", options()));
        assertTrue(nullable.getMessage().startsWith("app.event_logs.archived_at allows NULL"), nullable.getMessage());
        db.query("ALTER TABLE app.event_logs DROP COLUMN archived_at");

        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db));
        assertNull(OnlineMigration.state(db, TABLE, null).column("index_valid").get(0), "no index built");
        assertFalse(Partitions.exists(db, "app.event_logs_next"));
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));

        Migration.RANGE.migrate(db); // partitioned by the one-transaction migration: nothing for the online one to do
        var partitioned = assertThrows(BadInput.class, () -> OnlineMigration.plan(db, TABLE, null));
        assertTrue(partitioned.getMessage().endsWith("no online migration of it is under way: nothing to do"), partitioned.getMessage());
        var partition = assertThrows(BadInput.class, () -> OnlineMigration.plan(db, "app.event_logs_2024_01", null));
        assertEquals("app.event_logs_2024_01 is a partition of app.event_logs: nothing to do", partition.getMessage());
    }

    @Test
    void theDryRunListsEveryStepWithItsLocksAndChangesNothing() {
        Fingerprint before = Fingerprint.of(db, TABLE);
        Table plan = OnlineMigration.plan(db, TABLE, null);
        assertEquals(8, plan.rowCount(), plan::print);
        assertEquals(List.of("next", "to do", "to do", "to do", "to do", "to do", "to do", "to do"), plan.stringColumn("status").asList());
        assertTrue(plan.getString(2, "locks").startsWith("ACCESS EXCLUSIVE on app.event_logs for the switch"), plan::print);
        assertTrue(plan.getString(3, "what").contains("13 new partitions"), plan::print);
        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db));
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));
    }
}
