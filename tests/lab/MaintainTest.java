package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The partition manager and every subcommand of Maintain.java, on the embedded server, over the seven tables of
 * lesson 06: rows seeded 2025-01..2025-09 while only app.events has partitions, so most rows wait in DEFAULTs.
 */
class MaintainTest extends LessonTables {
    private static final int ROWS_PER_MONTH = 20;
    /**
     * The day of the first run: three (six) months ahead reach 2025-10 (2026-01), so August and September's rows
     * are rescued from the DEFAULT too; slow_query_log's 6 months reach back to January.
     */
    private static final String FIRST_RUN = "2025-07-15";
    /** A year on: retention has work to do (cutoff 2025-10 for 12 months, 2026-04 for slow_query_log's 6). */
    private static final String NEXT_OCTOBER = "2026-10-15";

    @Override
    int rowsPerMonth() {
        return ROWS_PER_MONTH;
    }

    @Test
    void configurationAloneDrivesKeysNamesAndRetentions() {
        Table config = PartitionManager.on(db).config(null);
        assertEquals(ManagedTables.TABLES, config.stringColumn("parent_table").asList());
        var maintain = maintain("create", "--table", "slow_query_log", "--from", "2025-01", "--to", "2025-02");
        assertEquals(0, maintain.exit(), maintain::toString);
        maintain = maintain("create", "--table", "analytics.goal_completions", "--from", "2025-01", "--to", "2025-01");
        assertEquals(0, maintain.exit(), maintain::toString);
        assertTrue(Partitions.leafNames(db, "audit.slow_query_log").containsAll(
                List.of("audit.slow_query_log_p2025_01", "audit.slow_query_log_p2025_02", "audit.slow_query_log_p_default")));
        assertTrue(Partitions.leafNames(db, "analytics.goal_completions").contains("analytics.goal_completions_2025_01"));
        // the goal completions are a quarter of the rows: 5 in January, moved out of the DEFAULT
        assertEquals(ROWS_PER_MONTH / 4, db.count("analytics.goal_completions_2025_01"));
        assertEquals(ROWS_PER_MONTH, db.count("audit.slow_query_log_p2025_02"));
    }

    @Test
    void runRescuesDefaultRowsIntoTheirMonthsWithoutLosingOrDuplicatingOne() {
        var before = ManagedTables.fingerprints(db);
        var maintain = maintain("run", "--allow-time-travel", "--today", FIRST_RUN);
        assertEquals(0, maintain.exit(), maintain::toString); // healthy after the run: exit 0
        assertEquals(before, ManagedTables.fingerprints(db), "every table holds exactly its rows (count and checksum)");
        for (String table : ManagedTables.TABLES) {
            for (String leaf : Partitions.leafNames(db, table)) {
                if (leaf.endsWith("default")) assertEquals(0, db.count(leaf), leaf + " is empty after the rescue");
            }
        }
        // each month's rows in its own partition, through every naming pattern
        for (YearMonth m = FIRST; !m.isAfter(LAST); m = m.plusMonths(1)) {
            String suffix = m.getYear() + "_" + String.format("%02d", m.getMonthValue());
            assertEquals(ROWS_PER_MONTH, db.count("audit.audit_logs_p" + suffix));
            assertEquals(ROWS_PER_MONTH, db.count("analytics.events_" + suffix));
            assertEquals(ROWS_PER_MONTH, db.count("app.events_" + suffix));
        }
        // created ahead: July + 3 for the audit tables, + 6 for the analytics pair
        assertTrue(db.count("audit.chat_messages_p2025_10") == 0 && Partitions.exists(db, "analytics.events_2026_01"));
        assertFalse(Partitions.exists(db, "audit.chat_messages_p2025_11") || Partitions.exists(db, "analytics.events_2026_02"));
        Table health = PartitionManager.on(db).asOf(LocalDate.parse(FIRST_RUN)).health(null);
        assertTrue(PartitionManager.healthy(health), health::print);
        assertTrue(maintain.out().contains("rescued from the DEFAULT by online swap"), maintain::toString);
        assertTrue(maintain.out().contains("(the DEFAULT's " + 9 * ROWS_PER_MONTH + " rows the same before and after: count and checksum)"),
                maintain::toString);
    }

    @Test
    void rowsOlderThanRetentionStayInTheDefaultUntilAnOperatorCreatesTheirMonths() {
        // in September, slow_query_log's 6 months start in March: January and February are not created for it
        var late = maintain("run", "--allow-time-travel", "--today", "2025-09-15", "--table", "slow_query_log");
        assertEquals(1, late.exit(), late::toString);
        assertEquals(2 * ROWS_PER_MONTH, db.count("audit.slow_query_log_p_default"));
        assertTrue(late.out().contains("rows outside the managed months (2025-03 to 2025-12) stay in the DEFAULT"), late::toString);
        var health = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).health("slow_query_log");
        assertEquals("DEFAULT_HAS_ROWS", statusOf(health, "audit.slow_query_log"));
        // on purpose: create their months (rows move in), then retention lists them, and drops them only with --apply
        assertEquals(0, maintain("create", "--table", "slow_query_log", "--from", "2025-01", "--to", "2025-02").exit());
        assertEquals(0, db.count("audit.slow_query_log_p_default"));
        var dry = maintain("retention", "--table", "slow_query_log", "--today", "2025-09-15");
        assertEquals(2, dry.linesWith("would drop"), dry::toString);
        assertEquals(0, maintain("run", "--apply", "--allow-time-travel", "--today", "2025-09-15", "--table", "slow_query_log").exit());
        assertEquals(7L * ROWS_PER_MONTH, db.count("audit.slow_query_log"));
    }

    @Test
    void healthNamesEachProblemAndValidateFindsGapsIndexesNamesAndDefaultRows() {
        var manager = PartitionManager.on(db).asOf(LocalDate.parse(FIRST_RUN));
        Table health = manager.health(null);
        assertEquals("NO_PARTITIONS", statusOf(health, "audit.audit_logs"));
        assertTrue(issuesOf(health, "audit.audit_logs").contains("DEFAULT_HAS_ROWS"));
        assertEquals("HEALTHY", statusOf(manager.asOf(LocalDate.parse("2025-06-15")).health("app.events"), "app.events"));
        assertEquals(1, maintain("health", "--today", FIRST_RUN).exit());

        // a gap, a misnamed partition, an index that never reached the partitions
        manager.create("audit.object_history", FIRST, YearMonth.parse("2025-03"));
        Sql.text("a gap, a misnamed partition, an index on the parent only", """
                ALTER TABLE audit.object_history DETACH PARTITION audit.object_history_p2025_02;
                CREATE TABLE audit.object_history_december PARTITION OF audit.object_history
                    FOR VALUES FROM ('2024-12-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
                CREATE INDEX object_history_change_type_idx ON ONLY audit.object_history (change_type);
                """).run(db, Map.of());
        Table checks = manager.validate("object_history");
        assertFalse(PartitionManager.valid(checks));
        assertEquals("months without a partition: 2025-02", detailOf(checks, "no gaps"));
        assertTrue(detailOf(checks, "names follow the pattern").contains("audit.object_history_december (expected object_history_p2024_12)"));
        assertTrue(detailOf(checks, "indexes on every partition").contains("object_history_change_type_idx is invalid"));
        assertEquals(6 * ROWS_PER_MONTH + " rows in audit.object_history_p_default", detailOf(checks, "default partition empty"));
        assertTrue(checks.where(checks.stringColumn("check_name").isEqualTo("no overlaps")).booleanColumn("ok").get(0));
        assertEquals(1, maintain("validate", "--table", "object_history", "--today", FIRST_RUN).exit());
        assertEquals(0, maintain("list", "--table", "object_history").exit());
    }

    @Test
    void retentionIsADryRunUnlessAppliedAndLeavesAsConfigured() {
        assertEquals(0, maintain("run", "--allow-time-travel", "--today", FIRST_RUN).exit());
        var snapshot = ManagedTables.catalog(db);
        var prints = ManagedTables.fingerprints(db);

        var dry = maintain("retention", "--today", NEXT_OCTOBER);
        assertEquals(0, dry.exit(), dry::toString);
        assertTrue(dry.out().contains("would drop") && dry.out().contains("would detach"), dry::toString);
        assertEquals(snapshot.print(Integer.MAX_VALUE), ManagedTables.catalog(db).print(Integer.MAX_VALUE), "a dry run changes nothing");
        assertEquals(prints, ManagedTables.fingerprints(db));

        var manager = PartitionManager.on(db).asOf(LocalDate.parse(NEXT_OCTOBER)).withTimeTravel();
        Table applied = manager.retention(null, true, null);
        // 12 months: 2025-01..2025-09 go (cutoff 2025-10-01); slow_query_log keeps 6: everything before 2026-04 goes
        assertEquals(List.of("audit.audit_logs_p2025_01", "audit.audit_logs_p2025_02", "audit.audit_logs_p2025_03",
                "audit.audit_logs_p2025_04", "audit.audit_logs_p2025_05", "audit.audit_logs_p2025_06", "audit.audit_logs_p2025_07",
                "audit.audit_logs_p2025_08", "audit.audit_logs_p2025_09"),
                PartitionManager.partitionsWith(applied, "drop").stream().filter(p -> p.startsWith("audit.audit_logs")).toList());
        assertEquals(9 * ROWS_PER_MONTH, prints.get("audit.audit_logs").rows() - db.count("audit.audit_logs"));
        // detach: standalone tables with every row; archive: moved to schema archive with every row
        assertEquals(9, PartitionManager.partitionsWith(applied, "detach").size());
        assertEquals(ROWS_PER_MONTH / 4, db.count("analytics.goal_completions_2025_03"));
        assertFalse(Partitions.leafNames(db, "analytics.goal_completions").contains("analytics.goal_completions_2025_03"));
        assertEquals(List.of(), PartitionManager.partitionsWith(applied, "archive"), "app.events keeps 24 months");
        // the newest slow_query_log partition (2025-10) is older than its cutoff 2026-04-01, and stays
        assertEquals(List.of("audit.slow_query_log_p2025_10"), PartitionManager.partitionsWith(applied, "keep"));
        assertEquals(List.of("audit.slow_query_log_p2025_10", "audit.slow_query_log_p_default"), Partitions.leafNames(db, "audit.slow_query_log"));

        Table archived = PartitionManager.on(db).asOf(LocalDate.parse("2027-10-15")).withTimeTravel().retention("app.events", true, null);
        assertEquals(9, PartitionManager.partitionsWith(archived, "archive").size());
        assertEquals(ROWS_PER_MONTH, db.count("archive.events_2025_02"));
        assertEquals(prints.get("app.events").rows(), db.count("app.events") + 9L * ROWS_PER_MONTH);
    }

    @Test
    void retentionRefusesUnsafeCuts() {
        // a year-long partition, and an old row in the DEFAULT
        Sql.text("unsafe cuts", """
                CREATE TABLE audit.chat_messages_2020 PARTITION OF audit.chat_messages
                    FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2021-01-01 00:00:00+00');
                INSERT INTO audit.chat_messages (created_at, room_id, sender_id, body) VALUES ('2020-03-05', 1, 1, 'in 2020'), ('2019-05-05', 1, 1, 'old');
                """).run(db, Map.of());
        var snapshot = ManagedTables.catalog(db);
        for (String months : List.of("0", "-1")) {
            var refused = maintain("retention", "--table", "chat_messages", "--months", months, "--apply", "--today", "2030-01-15");
            assertEquals(2, refused.exit(), refused::toString);
            assertTrue(refused.err().startsWith("error: a retention of " + months + " months would drop current data"), refused::toString);
            var config = maintain("config", "--table", "chat_messages", "--retention", months);
            assertEquals(2, config.exit(), config::toString);
        }
        assertEquals(snapshot.print(Integer.MAX_VALUE), ManagedTables.catalog(db).print(Integer.MAX_VALUE));

        // as of July 2020 with one month: the cutoff (June 1st) falls inside the 2020 partition, which stays whole
        Table cut = PartitionManager.on(db).asOf(LocalDate.parse("2020-07-15")).withTimeTravel().retention("chat_messages", true, 1);
        assertEquals(List.of("audit.chat_messages_p_default"), PartitionManager.partitionsWith(cut, "keep"), cut::print);
        assertEquals(1, db.count("audit.chat_messages_2020"), "the partition the cutoff falls in keeps its rows");
        // years later: only the 2020 partition is old, and it is also the newest: kept; so is the DEFAULT
        Table later = PartitionManager.on(db).asOf(LocalDate.parse("2035-06-01")).withTimeTravel().retention("chat_messages", true, 1);
        assertEquals(List.of("audit.chat_messages_2020", "audit.chat_messages_p_default"), PartitionManager.partitionsWith(later, "keep"));
        assertEquals(snapshot.print(Integer.MAX_VALUE), ManagedTables.catalog(db).print(Integer.MAX_VALUE));
        assertEquals(1 + 9L * ROWS_PER_MONTH, db.count("audit.chat_messages_p_default"), "rows in the DEFAULT are never dropped");
    }

    @Test
    void concurrentRunsSerialise() throws Exception {
        var manager = PartitionManager.on(db).asOf(LocalDate.parse(FIRST_RUN));
        try (var held = manager.lock(false)) {
            var refused = maintain("run", "--allow-time-travel", "--today", FIRST_RUN);
            assertEquals(1, refused.exit(), refused::toString);
            assertTrue(refused.err().startsWith("error: another maintenance run is in progress"), refused::toString);
            assertEquals(1, refused.err().strip().lines().count());
            assertEquals(List.of("app.events_default"), Partitions.leafNames(db, "app.events").stream()
                    .filter(p -> p.endsWith("default")).toList());
            assertFalse(Partitions.exists(db, "audit.audit_logs_p2025_01"), "the refused run changed nothing");

            var waiting = CompletableFuture.supplyAsync(() -> maintain("run", "--wait", "--allow-time-travel", "--today", FIRST_RUN));
            Thread.sleep(1_000);
            assertFalse(waiting.isDone(), "--wait waits while the lock is held");
            assertFalse(Partitions.exists(db, "audit.audit_logs_p2025_01"));
            held.close();
            var ran = waiting.get(60, TimeUnit.SECONDS);
            assertEquals(0, ran.exit(), ran::toString);
        }
        // two at once: one does the work, the other waits and then finds nothing left to create (both may end unhealthy,
        // exit 1: by December slow_query_log has months past retention, which a run without --apply only lists)
        var before = ManagedTables.fingerprints(db);
        int leavesBefore = ManagedTables.TABLES.stream().mapToInt(t -> Partitions.leafNames(db, t).size()).sum();
        var first = CompletableFuture.supplyAsync(() -> maintain("run", "--wait", "--allow-time-travel", "--today", "2025-12-15"));
        var second = CompletableFuture.supplyAsync(() -> maintain("run", "--wait", "--allow-time-travel", "--today", "2025-12-15"));
        var runs = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        for (var run : runs) assertEquals(0, run.linesWith("error"), run::toString);
        // the current month and those ahead: 2025-12..2026-03 for the four audit tables, 2026-01..03 for app.events,
        // 2026-02..06 for the analytics pair (November, past and missing, is create-missing's job)
        int expected = 4 * 4 + 3 + 2 * 5;
        assertEquals(expected, runs.stream().mapToLong(r -> r.linesWith("create")).sum(), runs::toString);
        assertEquals(leavesBefore + expected, ManagedTables.TABLES.stream().mapToInt(t -> Partitions.leafNames(db, t).size()).sum());
        assertEquals(before, ManagedTables.fingerprints(db));
    }

    @Test
    void everySubcommandRunsAndUninstallKeepsTheData() {
        assertEquals(0, maintain("create-missing", "--allow-time-travel", "--today", FIRST_RUN).exit());
        var prints = ManagedTables.fingerprints(db);
        for (String[] args : new String[][] {{"analyze"}, {"analyze", "--stale"}, {"vacuum", "--table", "audit_logs"},
                {"vacuum", "--full", "--table", "audit.audit_logs"}, {"list"}, {"config"}, {"install"},
                {"config", "--table", "audit_logs", "--ahead", "4", "--disable"},
                {"config", "--table", "audit_logs", "--lock-timeout", "250ms", "--lock-budget", "5s"},
                {"health", "--today", FIRST_RUN, "--format", "json"}}) {
            var run = maintain(args);
            assertTrue(run.exit() == 0 || args[0].equals("health"), run::toString);
            assertTrue(run.err().isEmpty(), run::toString);
        }
        Table config = PartitionManager.on(db).config("audit.audit_logs");
        assertEquals(4, config.intColumn("premake_months").get(0));
        assertFalse(config.booleanColumn("enabled").get(0), "install kept the configuration it changed");
        assertEquals(250, config.intColumn("lock_timeout_ms").get(0));
        assertEquals(5000, config.intColumn("lock_budget_ms").get(0));
        assertFalse(PartitionManager.on(db).enabledTables().contains("audit.audit_logs"));
        assertTrue(maintain("vacuum", "--table", "audit_logs").out().contains("audit.audit_logs_p2025_01"));
        assertTrue(maintain("analyze", "--table", "audit_logs").out().contains("the parent: autovacuum never analyzes"));

        var leaves = Partitions.leafNames(db, "audit.audit_logs");
        var dry = maintain("uninstall");
        assertEquals(0, dry.exit(), dry::toString);
        assertTrue(PartitionManager.on(db).installed(), "uninstall without --apply is a dry run");
        assertTrue(dry.out().contains("kept, with every row"), dry::toString);
        var removed = maintain("uninstall", "--apply");
        assertEquals(0, removed.exit(), removed::toString);
        assertFalse(PartitionManager.on(db).installed());
        assertEquals(prints, ManagedTables.fingerprints(db), "uninstall keeps every partition and row");
        assertEquals(leaves, Partitions.leafNames(db, "audit.audit_logs"));
        var notInstalled = maintain("health");
        assertEquals(2, notInstalled.exit());
        assertTrue(notInstalled.err().contains("not installed"), notInstalled::toString);
    }

    @Test
    void badInputIsOneLineExitTwoAndChangesNothing() {
        var snapshot = ManagedTables.catalog(db);
        var prints = ManagedTables.fingerprints(db);
        String[][] bad = {
            {"create", "--table", "audit_logs", "--from", "2025-13", "--to", "2025-12"},
            {"create", "--table", "audit_logs", "--from", "2025-06", "--to", "2025-01"},
            {"create", "--table", "no_such_table", "--from", "2025-01", "--to", "2025-02"},
            {"create", "--table", "audit_logs; DROP TABLE audit.audit_logs", "--from", "2025-01", "--to", "2025-02"},
            {"list", "--table", "audit_logs\"; DROP TABLE audit.audit_logs; --"},
            {"create", "--table", "events", "--from", "2025-01", "--to", "2025-02"},
            {"config", "--table", "audit_logs", "--retention", "-3"},
            {"config", "--table", "audit_logs", "--ahead", "-1"},
            {"config", "--table", "audit_logs", "--lock-timeout", "2s", "--lock-budget", "1s"},
            {"config", "--table", "audit_logs", "--lock-budget", "50ms"},
            {"run", "--lock-timeout", "soon"},
            {"retention", "--months", "-1", "--apply"},
            {"run", "--today", "2025-02-30"},
            {"health", "--format", "yaml"},
            {"frobnicate"},
        };
        for (String[] args : bad) {
            var run = maintain(args);
            assertEquals(2, run.exit(), run::toString);
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1, run::toString);
        }
        assertTrue(maintain("create", "--table", "events", "--from", "2025-01", "--to", "2025-02").err()
                .contains("ambiguous: say analytics.events or app.events"));
        assertEquals(snapshot.print(Integer.MAX_VALUE), ManagedTables.catalog(db).print(Integer.MAX_VALUE));
        assertEquals(prints, ManagedTables.fingerprints(db));
    }

    /** With no table registered, health and run still exit 1 (nothing is healthy), and say why on one line. */
    @Test
    void noManagedTableIsExitOneWithItsReason() {
        try (var fresh = new FreshDatabase("maintain_no_tables")) {
            assertEquals(0, maintain(fresh.withDsn("install")).exit());
            for (String command : List.of("health", "run")) {
                var maintain = maintain(fresh.withDsn(command));
                assertEquals(1, maintain.exit(), maintain::toString);
                assertEquals(List.of("error: no table is managed yet: register one with maintenance.register_table (README, Maintain)"),
                        maintain.err().lines().toList(), maintain::toString);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Maintained maintain(String... args) {
        return Maintained.run(args);
    }

    private static String statusOf(Table health, String table) {
        return health.where(health.stringColumn("parent_table").isEqualTo(table)).stringColumn("status").get(0);
    }

    private static String issuesOf(Table health, String table) {
        return health.where(health.stringColumn("parent_table").isEqualTo(table)).stringColumn("issues").get(0);
    }

    private static String detailOf(Table checks, String check) {
        return checks.where(checks.stringColumn("check_name").isEqualTo(check)).stringColumn("detail").get(0);
    }
}
