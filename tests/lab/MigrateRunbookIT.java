package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Migrate runbook as a user runs it, in a JVM of its own: help, bad input (exit 2, nothing changed), the
 * one-transaction form, a lock not got within the budget (exit 1, the holder named, nothing changed), and a
 * {@code kill -9} half way through the online move, after which a rerun converges with every original row once.
 */
class MigrateRunbookIT {
    private static final String TABLE = "app.event_logs";
    private static final long ROWS = 2_000;
    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned"); // started here, the servers outlive every runbook process
        OnlineMigration.install(db);
    }

    @BeforeEach
    void plainTable() {
        Migration.RANGE.createBase(db, ROWS, Migration.DEFAULT_SEED);
    }

    @Test
    void helpNamesTheStepsAndTheOptions() {
        var run = RunbookProcess.run("Migrate", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String expected : List.of("--online", "--dry-run", "--column", "--batch-rows", "--batch-pause", "--stop-after",
                "--lock-timeout", "--lock-budget", "3 switch", "Exit: 0")) {
            assertTrue(run.out().contains(expected), expected + " in\n" + run);
        }
    }

    @Test
    void badInputIsOneLineExitTwoAndChangesNothing() {
        Fingerprint before = Fingerprint.of(db, TABLE);
        String[][] bad = {{"app.no_such_table", "--online"}, {TABLE, "--online", "--column", "event_type"}, {"app.customers"},
                {TABLE, "--column", "created_at"}, {TABLE, "--online", "--batch-rows", "0"}, {TABLE, "--online", "--stop-after", "move"},
                {TABLE, "--online", "--batch-pause", "soon"}, {TABLE, "--online", "--lock-budget", "10ms", "--lock-timeout", "1s"}};
        for (String[] args : bad) {
            var run = RunbookProcess.run("Migrate", args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1, run::toString);
        }
        var dryRun = RunbookProcess.run("Migrate", TABLE, "--online", "--dry-run", "--format", "json");
        assertEquals(0, dryRun.exitCode(), dryRun::toString);
        assertTrue(dryRun.out().contains("\"status\"") && dryRun.out().contains("1_unique_index.sql"), dryRun::toString);
        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db));
        assertFalse(Partitions.exists(db, "app.event_logs_next"), "nothing prepared");
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));

        var oneTransaction = RunbookProcess.run("Migrate", TABLE);
        assertEquals(0, oneTransaction.exitCode(), oneTransaction::toString);
        assertTrue(oneTransaction.out().contains("waits on app.event_logs during the migration")
                && oneTransaction.out().contains("the same rows as before"), oneTransaction::toString);
        for (String[] args : new String[][] {{TABLE}, {TABLE, "--online"}}) {
            var again = RunbookProcess.run("Migrate", args);
            assertEquals(2, again.exitCode(), again::toString);
            assertTrue(again.err().contains("nothing to do"), again::toString);
        }
    }

    /**
     * Issue 17, defect 5: on a database of its own, dry runs and refusals install nothing (schema online, the functions
     * of sql/base and sql/migrate/online) and create nothing: the whole database is as it was, catalog and rows.
     */
    @Test
    void dryRunsAndRefusalsInstallNothingOnAFreshDatabase() {
        try (var fresh = new FreshDatabase("lab_migrate_fresh")) {
            List<String> before = fresh.fingerprint();
            for (String[] args : new String[][] {{"app.users_distributed", "--dry-run"}, {"app.users_distributed"},
                    {TABLE, "--online", "--dry-run"}, {TABLE, "--online"}}) {
                var run = RunbookProcess.run("Migrate", fresh.withDsn(args));
                assertEquals(2, run.exitCode(), run::toString);
                assertTrue(run.err().startsWith("error: ") && run.errLines().size() == 1, run::toString);
                assertEquals(before, fresh.fingerprint(), () -> String.join(" ", args) + " changed the database:\n" + run);
            }
            Migration.RANGE.createBase(fresh.node(), 200, Migration.DEFAULT_SEED); // a plain table to plan for
            List<String> plain = fresh.fingerprint();
            for (String[] args : new String[][] {{TABLE, "--online", "--dry-run"}, {TABLE, "--dry-run"}}) {
                var run = RunbookProcess.run("Migrate", fresh.withDsn(args));
                assertEquals(0, run.exitCode(), run::toString);
                assertTrue(run.out().contains("dry run: nothing changed"), run::toString);
                assertEquals(plain, fresh.fingerprint(), () -> String.join(" ", args) + " changed the database:\n" + run);
            }
        }
    }


    @Test
    void aLockNotGotWithinTheBudgetIsExitOneNamingTheHolderAndChangesNothing() throws Exception {
        var prepared = RunbookProcess.run("Migrate", TABLE, "--online", "--stop-after", "table");
        assertEquals(0, prepared.exitCode(), prepared::toString);
        Fingerprint before = Fingerprint.of(db, TABLE);
        RunbookProcess.Result gaveUp;
        int readerPid;
        // held until the runbook has ended (cancelled then), however long a loaded machine takes to start it
        try (var reader = Locks.holdAccessShare(db, TABLE, Duration.ofSeconds(120))) {
            readerPid = reader.pid();
            gaveUp = RunbookProcess.run("Migrate", TABLE, "--online", "--lock-budget", "500ms");
        }

        assertEquals(1, gaveUp.exitCode(), gaveUp::toString);
        assertTrue(gaveUp.err().strip().lines().count() == 1 && gaveUp.err().contains("switch app.event_logs")
                && gaveUp.err().contains("pid " + readerPid), gaveUp::toString);
        assertEquals(Migration.State.PLAIN, Migration.RANGE.state(db));
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));
    }

    @Test
    void killedHardHalfWayThroughTheMoveARerunConvergesWithEveryRowOnce() throws Exception {
        Fingerprint original = Fingerprint.of(db, TABLE);
        Process migrate = RunbookProcess.start(Settings.labHome(), "Migrate", TABLE, "--online", "--batch-rows", "100",
                "--batch-pause", "150ms", "--no-progress");
        long staged;
        try {
            staged = awaitHalfWay(migrate);
        } finally {
            killHard(migrate);
        }
        assertTrue(staged > 0 && staged < ROWS, "killed half way through the move: " + staged + " of " + ROWS + " rows staged");
        var state = OnlineMigration.state(db, TABLE, null);
        assertEquals("move", state.getString(0, "next_step"), "switched, the move under way");
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(original), "the application sees every row meanwhile (all in the DEFAULT)");

        var rerun = RunbookProcess.run("Migrate", TABLE, "--online", "--batch-rows", "500");
        assertEquals(0, rerun.exitCode(), rerun::toString);
        assertTrue(rerun.out().contains("this run began at step move"), rerun::toString);
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(original), "count and checksum equal to the original's");
        assertEquals(0L, ((Number) db.scalar("SELECT count(*) - count(DISTINCT id) FROM app.event_logs")).longValue(), "no row twice");
        assertEquals(ROWS, ((Number) db.scalar("SELECT rows_staged FROM online.swaps WHERE label = 'online migration of app.event_logs' "
                + "AND state = 'finished' ORDER BY swap_id DESC LIMIT 1")).longValue(), "every row staged once, across both runs");
        assertEquals(13, Partitions.leafNames(db, TABLE).size());
        assertTrue(Partitions.parityHolds(Partitions.parity(db, TABLE, "app.event_logs_old"), ROWS));
    }

    /** Waits until the move has staged some batches, not all: the rows staged then. */
    private static long awaitHalfWay(Process migrate) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(migrate.isAlive(), "the runbook ended before the move was half way");
            Object staged = db.scalar("SELECT coalesce((SELECT rows_staged FROM online.swaps WHERE label = 'online migration of app.event_logs' "
                    + "AND state = 'staging' ORDER BY swap_id DESC LIMIT 1), 0)");
            long rows = ((Number) staged).longValue();
            if (rows >= ROWS / 4) return rows;
            Thread.sleep(20);
        }
        throw new AssertionError("the move did not get half way in 2 minutes");
    }

    /** kill -9 of the runbook's process tree: no shutdown hook, no rollback from the client's side. */
    private static void killHard(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }
}
