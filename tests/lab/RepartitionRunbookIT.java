package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Repartition runbook as a user runs it: a JVM of its own, real exit codes, nothing changed on bad input. */
class RepartitionRunbookIT {
    private static Node db;

    /** Started here, the servers outlive every runbook process, which attaches to them. Original layout first. */
    @BeforeAll
    static void originalLayout() {
        db = Lab.connect("embedded").node("partitioned");
        Migration.RANGE.createBase(db, 2_000, Migration.DEFAULT_SEED);
        Migration.RANGE.migrate(db);
        Migration.HASH.createBase(db, 500, Migration.DEFAULT_SEED);
        Migration.HASH.migrate(db);
    }

    @Test
    void helpAndNoArgumentsListTheScenarios() {
        for (String[] args : new String[][] {{"--help"}, {}}) {
            var run = RunbookProcess.run("Repartition", args);
            assertEquals(0, run.exitCode(), run::toString);
            for (String scenario : RepartitionScenario.labels()) assertTrue(run.out().contains("  " + scenario + " "), run::toString);
            assertTrue(run.out().contains("--dry-run") && run.out().contains("--with-load") && run.out().contains("--lock-timeout")
                    && run.out().contains("--lock-budget"), run::toString);
        }
    }

    @Test
    void badInputIsOneLineExitTwoAndChangesNothing() {
        Fingerprint before = Fingerprint.of(db, "app.event_logs");
        var leaves = Partitions.leafNames(db, "app.event_logs");
        String[][] bad = {{"merge"}, {"split", "--month", "2024-07"}, {"split", "--month", "2024-13"}, {"migrate", "--month", "2024-01"},
                {"add", "--fail-at", "halfway"}, {"split", "--fail-at", "archive"}, {"add", "--lock-timeout", "soon"},
                {"add", "--lock-budget", "0"}, {"add", "--dsn", "postgresql://app@localhost:1/app;DROP TABLE x", "--dry-run"}};
        for (String[] args : bad) {
            var run = RunbookProcess.run("Repartition", args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1, run::toString);
        }
        assertEquals(leaves, Partitions.leafNames(db, "app.event_logs"));
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(before));
    }

    /**
     * Issue 17, defect 6: a failure point of another scenario, or of none, is refused before anything changes, with the
     * scenario's own failure points listed; the scenario is not run for real.
     */
    @Test
    void failAtAStepTheScenarioDoesNotHaveIsRefusedWithItsOwnSteps() {
        List<String> before = databaseFingerprint();
        String[][] refused = {{"split", "--fail-at", "archive"}, {"split", "--fail-at", "archived"}, {"split", "--fail-at", "verified"},
                {"cleanup", "--fail-at", "copied", "--confirm"}, {"cleanup", "--fail-at", "copy", "--confirm"}, {"add", "--fail-at", "drop"}};
        String[] steps = {"window, verify", "window, verify", "window, verify", "window, verify, drop", "window, verify, drop", "window, verify"};
        for (int i = 0; i < refused.length; i++) {
            var run = RunbookProcess.run("Repartition", refused[i]);
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(run.err().startsWith("error: " + refused[i][0] + " has no failure point '" + refused[i][2] + "'")
                    && run.err().contains("its steps to fail at are " + steps[i]), run::toString);
            assertEquals("", run.out(), run::toString);
        }
        assertEquals(before, databaseFingerprint(), "nothing changed");
    }

    /**
     * Issue 17, defect 8: a window made to fail keeps what staging did, for a rerun; the failure says so on its one
     * line, naming the staged tables and how to remove them, and that way removes them.
     */
    @Test
    void aFailedWindowNamesTheStagedTablesItLeavesAndHowToRemoveThem() {
        var leaves = Partitions.leafNames(db, "app.event_logs");
        Fingerprint rows = Fingerprint.of(db, "app.event_logs");
        var run = RunbookProcess.run("Repartition", "split", "--month", "2024-03", "--fail-at", "window");
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        List<String> staged = List.of("app.event_logs_2024_03_w1", "app.event_logs_2024_03_w2", "app.event_logs_2024_03_w3", "app.event_logs_2024_03_w4");
        for (String table : staged) {
            assertTrue(run.err().contains(table), run::toString);
            assertTrue(Partitions.exists(db, table), table + " is staged, as the failure says");
        }
        var abort = java.util.regex.Pattern.compile("run split again and it continues, or remove them with psql: (SELECT online\\.abort_swap\\(\\d+\\));")
                .matcher(run.err());
        assertTrue(abort.find(), run::toString);
        db.query(abort.group(1));
        for (String table : staged) assertFalse(Partitions.exists(db, table), table + " removed the way the failure said");
        assertEquals(leaves, Partitions.leafNames(db, "app.event_logs"));
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(rows));
        assertEquals(0, OnlineSwap.inProgress(db, "app.event_logs").rowCount(), "no swap left half way");
    }

    private static List<String> databaseFingerprint() {
        return DatabaseSnapshot.of(db);
    }

    /**
     * Issue 17, defect 5: on an empty database (so that preparing would show: the tables, schema online, the functions),
     * every dry run and a refused month leave the database exactly as it was, catalog and rows; a dry run says what a
     * real run would prepare.
     */
    @Test
    void dryRunsAndARefusedMonthChangeNothingOnAFreshDatabase() {
        try (var fresh = new FreshDatabase("lab_dry_run_fresh")) {
            List<String> before = fresh.fingerprint();
            String[][] dryRuns = {{"add", "--dry-run"}, {"split", "--dry-run"}, {"detach"}, {"detach", "--dry-run"}, {"migrate", "--dry-run"},
                    {"cleanup"}, {"cleanup", "--dry-run"}};
            for (String[] args : dryRuns) {
                var run = RunbookProcess.run("Repartition", fresh.withDsn(args));
                assertEquals(0, run.exitCode(), run::toString);
                assertTrue(run.out().contains("nothing prepared") && run.out().contains("what a real run prepares first")
                        && run.out().contains("app.users_distributed") && run.out().contains("schema online"), run::toString);
                assertEquals(before, fresh.fingerprint(), () -> String.join(" ", args) + " changed the database:\n" + run);
            }
            for (String[] args : new String[][] {{"split", "--month", "2024-07"}, {"split", "--month", "2024-07", "--dry-run"},
                    {"detach", "--month", "2024-09", "--confirm"}}) {
                var run = RunbookProcess.run("Repartition", fresh.withDsn(args));
                assertEquals(2, run.exitCode(), run::toString);
                assertTrue(run.err().startsWith("error: ") && run.errLines().size() == 1, run::toString);
                assertEquals(before, fresh.fingerprint(), () -> String.join(" ", args) + " changed the database:\n" + run);
            }
        }
    }


    @Test
    void addUnderLoadThenDetachNeedsConfirmThenCleanupRestores() {
        Fingerprint start = Fingerprint.of(db, "app.event_logs");
        var add = RunbookProcess.run("Repartition", "add", "--with-load", "--load-interval-ms", "2");
        assertEquals(0, add.exitCode(), add::toString);
        assertTrue(add.out().contains("no row lost") || add.out().contains("verified (same count and checksum)"), add::toString);
        assertTrue(add.out().contains("rows the load reported written are in their tables"), add::toString);
        assertTrue(add.out().contains("writer on app.event_logs") && add.out().contains("reader on app.event_logs")
                && add.out().contains("rows in window"), add::toString);
        assertTrue(Partitions.exists(db, "app.event_logs_2024_04"));

        var again = RunbookProcess.run("Repartition", "add");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("done before, nothing to do"), again::toString);

        var unconfirmed = RunbookProcess.run("Repartition", "detach");
        assertEquals(0, unconfirmed.exitCode(), unconfirmed::toString);
        assertTrue(unconfirmed.out().contains("dry run: nothing changed") && unconfirmed.out().contains("--confirm")
                && unconfirmed.out().contains("ACCESS EXCLUSIVE on app.event_logs"), unconfirmed::toString);
        assertTrue(Partitions.exists(db, "app.event_logs_2024_01"), "a dry run detaches nothing");

        var detach = RunbookProcess.run("Repartition", "detach", "--confirm", "--format", "json");
        assertEquals(0, detach.exitCode(), detach::toString);
        assertFalse(Partitions.exists(db, "app.event_logs_2024_01"));

        var failed = RunbookProcess.run("Repartition", "cleanup", "--confirm", "--fail-at", "window");
        assertEquals(1, failed.exitCode(), failed::toString);
        assertTrue(failed.err().contains("failure injected in the window"), failed::toString);
        assertFalse(Partitions.leafNames(db, "app.event_logs").contains("app.event_logs_2024_01"),
                "the failed cleanup changed no partition (January is staged, not attached)");

        var cleanup = RunbookProcess.run("Repartition", "cleanup", "--confirm");
        assertEquals(0, cleanup.exitCode(), cleanup::toString);
        assertEquals(java.util.List.of("app.event_logs_2024_01", "app.event_logs_2024_02", "app.event_logs_2024_03", "app.event_logs_default"),
                Partitions.leafNames(db, "app.event_logs"));
        assertTrue(db.count("app.event_logs") >= start.rows(), "every row back, and the load's");
    }

    /** A lock not granted within --lock-budget: exit 1, one line naming the session in the way, nothing changed. */
    @Test
    void aBudgetShorterThanALongReaderExitsOneNamingItAndChangesNothing() {
        var leaves = Partitions.leafNames(db, "app.event_logs");
        Fingerprint before = Fingerprint.of(db, "app.event_logs");
        RunbookProcess.Result run;
        int pid;
        try (var reader = Locks.holdAccessShare(db, "app.event_logs", java.time.Duration.ofSeconds(120))) {
            pid = reader.pid();
            run = RunbookProcess.run("Repartition", "split", "--month", "2024-03", "--lock-budget", "1s");
        }
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("error: ") && run.err().contains("gave up") && run.err().contains("pid " + pid)
                && run.err().contains("nothing changed"), run::toString);
        assertEquals(leaves, Partitions.leafNames(db, "app.event_logs"), "the partitions are as they were");
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(before), "and every row");
        assertEquals(0, OnlineSwap.inProgress(db, "app.event_logs").rowCount(), "no swap left half way");
        assertFalse(Partitions.exists(db, "app.event_logs_2024_03_w1"), "no staged table left");
    }
}
