package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.YearMonth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Maintain.java as cron runs it: a JVM of its own, real exit codes (MaintainTest covers every subcommand in-process). */
class MaintainRunbookIT {
    private static Node db;

    @BeforeAll
    static void lessonTables() {
        db = Lab.connect("embedded").node("partitioned");
        ManagedTables.createAndConfigure(db);
        ManagedTables.seed(db, YearMonth.parse("2025-01"), YearMonth.parse("2025-09"), 10);
    }

    @Test
    void helpListsEverySubcommand() {
        var help = RunbookProcess.run("Maintain", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String sub : new String[] {"run", "create", "create-missing", "retention", "analyze", "vacuum", "health", "list",
                "validate", "config", "install", "uninstall", "bench"}) {
            assertTrue(help.out().contains("  " + sub + " "), sub + "\n" + help);
        }
    }

    @Test
    void theDailyRunExitsZeroWhenHealthyOneWhenNotTwoOnBadInput() {
        var unhealthy = RunbookProcess.run("Maintain", "health", "--today", "2025-07-15");
        assertEquals(1, unhealthy.exitCode(), unhealthy::toString);
        var prints = ManagedTables.fingerprints(db);
        var run = RunbookProcess.run("Maintain", "run", "--apply", "--allow-time-travel", "--today", "2025-07-15", "--no-progress");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(prints, ManagedTables.fingerprints(db));
        var bad = RunbookProcess.run("Maintain", "create", "--table", "audit_logs", "--from", "2025-13", "--to", "2025-12");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().startsWith("error: ") && bad.err().strip().lines().count() == 1, bad::toString);
    }

    @Test
    void aWrongTodayChangesNothingAndAbsurdDatesAndCountsAreOneLineExitTwo() {
        var before = DatabaseSnapshot.of(db);
        // issue 17: this dropped 18 of 19 partitions of audit.audit_logs and exited 0
        var retention = RunbookProcess.run("Maintain", "retention", "--apply", "--table", "audit.audit_logs", "--today", "2099-01-01");
        assertEquals(0, retention.exitCode(), retention::toString);
        assertTrue(retention.out().contains("is not the server's date") && retention.out().contains("a dry run, nothing changed"), retention::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "the dry run changed nothing");
        String[][] refused = {
            {"run", "--today", "9999-12-31", "--no-progress"},
            {"run", "--apply", "--today", "0001-01-01", "--allow-time-travel", "--no-progress"},
            {"create", "--table", "audit.audit_logs", "--from", "0001-01", "--to", "9999-12"},
            {"create", "--table", "audit.audit_logs", "--from", "2001-01", "--to", "2030-12"},
            {"retention", "--table", "audit.audit_logs", "--months", "2147483647"},
            {"retention", "--apply", "--table", "audit.audit_logs", "--months", "2147483647"},
            {"config", "--table", "audit.audit_logs", "--ahead", "2147483647"},
        };
        for (String[] args : refused) {
            long started = System.nanoTime();
            var bad = RunbookProcess.run("Maintain", args);
            assertEquals(2, bad.exitCode(), bad::toString);
            assertTrue(bad.err().startsWith("error: ") && bad.err().strip().lines().count() == 1, bad::toString);
            assertTrue(bad.err().contains("2000-01") || bad.err().contains("at most 240") || bad.err().contains("1 to 1200")
                    || bad.err().contains("0 to 120"), bad::toString);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 60, "refused at once: " + bad);
        }
        assertEquals(before, DatabaseSnapshot.of(db), "refused input changed nothing");
    }

    @Test
    void aLockNotGotWithinTheBudgetExitsOneNamingTheSessionInTheWay() {
        var leaves = Partitions.leafNames(db, "audit.chat_messages");
        var prints = ManagedTables.fingerprints(db);
        RunbookProcess.Result gaveUp;
        int holder;
        try (var reader = Locks.holdAccessShare(db, "audit.chat_messages", Duration.ofSeconds(60))) {
            holder = reader.pid();
            // as of June 2027 the months ahead are missing whatever ran before: their window needs the DEFAULT, which the reader holds
            gaveUp = RunbookProcess.run("Maintain", "run", "--apply", "--allow-time-travel", "--today", "2027-06-15", "--table", "audit.chat_messages",
                    "--lock-budget", "500ms", "--no-progress");
        }
        assertEquals(1, gaveUp.exitCode(), gaveUp::toString);
        assertTrue(gaveUp.err().contains("gave up") && gaveUp.err().contains("pid " + holder), gaveUp::toString);
        assertEquals(leaves, Partitions.leafNames(db, "audit.chat_messages"), "nothing changed");
        assertEquals(prints, ManagedTables.fingerprints(db));
    }
}
