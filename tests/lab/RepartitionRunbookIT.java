package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
