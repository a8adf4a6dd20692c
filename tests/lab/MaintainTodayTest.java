package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, defect 1 and Maintain's dry runs: a "today" away from the server's date plans only unless time travel is
 * allowed; even allowed, retention never takes a partition that reaches the server's own date (in the SQL, for psql
 * too); dates, month ranges and counts are bounded; and every dry run or refused input leaves the database exactly as
 * it was (a fingerprint of schemas, relations, functions and every table's rows, before and after).
 */
class MaintainTodayTest {
    private static final String WINDOW = "2000-01-01 to 2100-12-31";
    private static Node db;
    private static LocalDate serverToday;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
        serverToday = PartitionManager.on(db).serverToday();
    }

    /**
     * audit.audit_logs as the issue found it: monthly partitions from 2025-01 to the months ahead of the server's date,
     * the current one holding a row written today.
     */
    @BeforeEach
    void partitionsUpToToday() {
        ManagedTables.createAndConfigure(db);
        ManagedTables.seed(db, YearMonth.parse("2025-01"), YearMonth.parse("2025-09"), 10);
        var create = Maintained.run("create", "--table", "audit.audit_logs", "--from", "2025-01", "--to", YearMonth.from(serverToday).toString());
        assertEquals(0, create.exit(), create::toString);
        var run = Maintained.run("run", "--apply", "--table", "audit.audit_logs");
        assertFalse(run.err().contains("error"), run::toString);
        db.run("lab/audit_log_now.sql");
        assertEquals(1L, rowsWrittenToday());
        assertTrue(leaves().contains(partitionOf(serverToday)), leaves()::toString);
    }

    @Test
    void retentionApplyWithAFarTodayIsADryRunThatChangesNothing() {
        var before = DatabaseSnapshot.of(db);
        var retention = Maintained.run("retention", "--apply", "--table", "audit.audit_logs", "--today", "2099-01-01");
        assertEquals(0, retention.exit(), retention::toString);
        assertTrue(retention.out().contains("--today 2099-01-01 is not the server's date (" + serverToday + "): a dry run, nothing changed"),
                retention::toString);
        assertTrue(retention.linesWith("would drop") > 0, retention::toString);
        assertUnchanged(before, "retention --apply --today 2099-01-01");
    }

    @Test
    void evenWithTimeTravelRetentionNeverDropsAPartitionThatReachesTheServersDate() {
        List<String> before = leaves();
        var retention = Maintained.run("retention", "--apply", "--table", "audit.audit_logs", "--today", "2099-01-01", "--allow-time-travel");
        assertEquals(0, retention.exit(), retention::toString);
        List<String> after = leaves();
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>(before);
        dropped.removeAll(after);
        for (String p : before) if (!p.endsWith("_default") && !dropped.contains(p)) kept.add(p);
        // the months before the server's month went; the server's month and every later one stayed
        YearMonth now = YearMonth.from(serverToday);
        for (String p : dropped) assertTrue(monthOf(p).isBefore(now), p + " was dropped\n" + retention);
        for (String p : kept) assertFalse(monthOf(p).isBefore(now), p + " was kept\n" + retention);
        assertTrue(after.contains(partitionOf(serverToday)), after::toString);
        assertFalse(dropped.isEmpty(), retention::toString);
        assertTrue(retention.out().contains("reaches the server's date " + serverToday), retention::toString);
        assertEquals(1L, rowsWrittenToday(), "the row written today is still there");
    }

    @Test
    void psqlUsersGetTheSameRuleFromTheSql() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CALL maintenance.apply_retention('audit.audit_logs', date '2099-01-01')");
            assertTrue(leaves().contains(partitionOf(serverToday)), leaves()::toString);
            assertEquals(1L, rowsWrittenToday());
            // a caller who hands retention the current partition itself: refused under the locks, an error line, nothing changed
            List<String> before = leaves();
            String current = partitionOf(serverToday);
            s.execute("CALL maintenance.apply_retention('audit.audit_logs', date '2099-01-01', NULL, NULL, false, "
                    + "planned => ARRAY[maintenance.line('audit.audit_logs', 'would drop', '" + current + "', 1, 0, 'forged')])");
            assertEquals(before, leaves());
            assertEquals(1L, rowsWrittenToday());
            // months out of the window, or too many at once, are refused before anything happens
            var far = assertThrows(SQLException.class, () -> s.execute("CALL maintenance.create_partitions('audit.audit_logs', '0001-01', '9999-12')"));
            assertEquals("22023", far.getSQLState());
            assertTrue(far.getMessage().contains(WINDOW), far.getMessage());
            var many = assertThrows(SQLException.class, () -> s.execute("CALL maintenance.create_partitions('audit.audit_logs', '2001-01', '2030-12')"));
            assertTrue(many.getMessage().contains("at most 240"), many.getMessage());
            var day = assertThrows(SQLException.class, () -> s.execute("CALL maintenance.run_maintenance_proc(NULL, date '9999-12-31', false)"));
            assertTrue(day.getMessage().contains(WINDOW), day.getMessage());
            var months = assertThrows(SQLException.class, () -> s.execute("SELECT * FROM maintenance.drop_old_partitions(NULL, current_date, true, 2147483647)"));
            assertTrue(months.getMessage().contains("1200"), months.getMessage());
        }
    }

    @Test
    void runWithAnAbsurdTodayIsRefusedAndChangesNothing() {
        var before = DatabaseSnapshot.of(db);
        for (String day : new String[] {"9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"}) {
            for (String command : new String[] {"run", "create-missing", "retention", "health"}) {
                assertBadInput(Maintained.run(command, "--today", day), "--today " + day + " is outside the dates the partition manager accepts: " + WINDOW);
            }
            assertBadInput(Maintained.run("run", "--apply", "--today", day, "--allow-time-travel"), WINDOW);
        }
        assertUnchanged(before, "run --today 9999-12-31 and 0001-01-01");
    }

    @Test
    void createRefusesMonthsOutOfTheWindowAndMoreThan240AtOnceQuickly() {
        var before = DatabaseSnapshot.of(db);
        long started = System.nanoTime();
        var far = Maintained.run("create", "--table", "audit.audit_logs", "--from", "0001-01", "--to", "9999-12");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "refused at once");
        assertBadInput(far, "2000-01 to 2100-12");
        assertBadInput(Maintained.run("create", "--table", "audit.audit_logs", "--from", "2001-01", "--to", "2030-12"), "at most 240");
        assertBadInput(Maintained.run("create", "--table", "audit.audit_logs", "--from", "2025-01", "--to", "2101-01"), "2000-01 to 2100-12");
        assertBadInput(Maintained.run("create", "--table", "no_such_table", "--from", "2025-01", "--to", "2025-02"), "no managed table");
        assertUnchanged(before, "create out of bounds");
    }

    @Test
    void absurdCountsAreBadInputNotSqlErrors() {
        var before = DatabaseSnapshot.of(db);
        for (String months : new String[] {"2147483647", "1201", "0", "-1", "99999999999"}) {
            assertBadInput(Maintained.run("retention", "--table", "audit.audit_logs", "--months", months), "--months");
            assertBadInput(Maintained.run("retention", "--apply", "--table", "audit.audit_logs", "--months", months), "--months");
            assertBadInput(Maintained.run("config", "--table", "audit.audit_logs", "--retention", months), "--retention");
        }
        for (String ahead : new String[] {"2147483647", "121", "-1"}) {
            assertBadInput(Maintained.run("config", "--table", "audit.audit_logs", "--ahead", ahead), "--ahead");
        }
        assertBadInput(Maintained.run("bench", "--rows", "2147483647"), "--rows");
        assertBadInput(Maintained.run("bench", "--runs", "0"), "--runs");
        assertBadInput(Maintained.run("bench", "--runs", "2147483647"), "--runs");
        assertBadInput(Maintained.run("bench", "--warmup", "-1"), "--warmup");
        assertBadInput(Maintained.run("run", "--lock-budget", "99999999999h"), "--lock-budget");
        assertUnchanged(before, "absurd counts");
    }

    @Test
    void everyDryRunChangesNothingAtAll() {
        var before = DatabaseSnapshot.of(db);
        String[][] dryRuns = {
            {"run", "--today", "2099-01-01"},
            {"run", "--apply", "--today", "2099-01-01"},
            {"run", "--apply", "--today", "2025-07-15", "--table", "audit.chat_messages"},
            {"create-missing", "--today", "2099-01-01"},
            {"retention", "--today", "2099-01-01"},
            {"retention", "--apply", "--today", "2099-01-01"},
            {"retention"},
            {"uninstall"},
        };
        for (String[] args : dryRuns) {
            var dry = Maintained.run(args);
            assertTrue(dry.exit() != 2, String.join(" ", args) + "\n" + dry);
            assertFalse(dry.err().contains("error"), String.join(" ", args) + "\n" + dry);
            assertUnchanged(before, String.join(" ", args));
        }
        var planned = Maintained.run("run", "--apply", "--today", "2099-01-01");
        assertTrue(planned.linesWith("would create") > 0 && planned.linesWith("create") == 0, planned::toString);
        assertTrue(planned.out().contains("not the server's date"), planned::toString);
    }

    @Test
    void aManagerNotInstalledIsNotInstalledByADryRun() {
        db.run("maintenance/uninstall.sql");
        try {
            var before = DatabaseSnapshot.of(db);
            for (String[] args : new String[][] {{"retention"}, {"run", "--today", "2099-01-01"}, {"create-missing", "--today", "2099-01-01"},
                    {"uninstall"}, {"health"}, {"retention", "--apply", "--months", "0"}}) {
                var refused = Maintained.run(args);
                assertEquals(2, refused.exit(), refused::toString);
                assertUnchanged(before, String.join(" ", args));
            }
            assertTrue(Maintained.run("retention").err().contains("not installed"));
        } finally {
            PartitionManager.on(db).install();
        }
    }

    @Test
    void theLibraryPlansOnlyUntilTimeTravelIsAllowed() {
        var manager = PartitionManager.on(db);
        assertFalse(manager.rehearsal());
        assertFalse(manager.asOf(serverToday).rehearsal());
        assertTrue(manager.asOf(LocalDate.parse("2099-01-01")).rehearsal());
        assertFalse(manager.asOf(LocalDate.parse("2099-01-01")).withTimeTravel().rehearsal());
        var refused = assertThrows(BadInput.class, () -> manager.asOf(LocalDate.parse("9999-12-31")));
        assertTrue(refused.getMessage().contains(WINDOW), refused.getMessage());
        var before = DatabaseSnapshot.of(db);
        var plan = manager.asOf(LocalDate.parse("2099-01-01")).run(null, true, Progress.Mode.OFF);
        assertTrue(plan.name().contains("dry run"), plan.name());
        assertTrue(PartitionManager.partitionsWith(plan, "create").isEmpty());
        assertFalse(PartitionManager.partitionsWith(plan, "would create").isEmpty());
        manager.asOf(LocalDate.parse("2099-01-01")).createMissing(null);
        manager.asOf(LocalDate.parse("2099-01-01")).retention(null, true, null);
        assertUnchanged(before, "the library's rehearsals");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static void assertBadInput(Maintained refused, String naming) {
        assertEquals(2, refused.exit(), refused::toString);
        assertTrue(refused.err().startsWith("error: ") && refused.err().strip().lines().count() == 1, refused::toString);
        assertTrue(refused.err().contains(naming), refused::toString);
    }

    /** The database is what it was: every line of its snapshot the same; the lines that differ, when not. */
    private static void assertUnchanged(List<String> before, String what) {
        List<String> after = DatabaseSnapshot.of(db);
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(after);
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        assertEquals(before, after, what + " changed the database: gone " + gone + ", new " + added);
    }

    private static List<String> leaves() {
        return Partitions.leafNames(db, "audit.audit_logs");
    }

    private static long rowsWrittenToday() {
        return ((Number) db.run("lab/audit_logs_today.sql").lastTable().get(0, 0)).longValue();
    }

    private static String partitionOf(LocalDate day) {
        return String.format("audit.audit_logs_p%d_%02d", day.getYear(), day.getMonthValue());
    }

    private static YearMonth monthOf(String partition) {
        String tail = partition.substring(partition.length() - 7); // YYYY_MM
        return YearMonth.of(Integer.parseInt(tail.substring(0, 4)), Integer.parseInt(tail.substring(5)));
    }
}
