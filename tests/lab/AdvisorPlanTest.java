package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.LoadSimulator.Target;
import lab.cli.ApplyPlanCommand;
import lab.cli.Cli;
import lab.cli.RollbackPlanCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * The advisor's plan for app.readings (range by month on recorded_at), in a database of its own: written, shown as a
 * dry run that changes nothing, refused on bad input (exit 2, one line, nothing changed), applied while the load
 * simulator writes into the table, then rolled back while it still writes: every row there at each end, the windows
 * touching the changes only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdvisorPlanTest {
    private static final int ROWS = 3000;
    private static FreshDatabase db;
    private static Node node;
    @TempDir static Path plans;
    private static Path folder;

    @BeforeAll
    static void seededAndPlanned() {
        db = new FreshDatabase("advisor_plan_test");
        node = db.node();
        node.run("base/00_lab_functions.sql");
        node.run("12-advisor/01_readings.sql", Map.of("lab.rows", Integer.toString(ROWS)));
        YearMonth now = YearMonth.parse((String) node.scalar("SELECT to_char(now(), 'YYYY-MM')"));
        var r = new Recommendation("app.readings", Recommendation.Strategy.RANGE, "recorded_at", Recommendation.Interval.MONTH, 0, List.of(),
                null, now.minusMonths(12), now, 3, 12);
        folder = AdvisorPlan.write(node, plans, r);
    }

    @AfterAll
    static void dropped() {
        if (db != null) db.close();
    }

    @Test
    @Order(1)
    void thePlanFolderHoldsTheManifestAndThreeFilesPsqlCanRun() throws Exception {
        assertEquals(plans.resolve("app.readings"), folder);
        for (String f : List.of("plan.json", "migrate.sql", "rollback.sql", "verify.sql")) assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        var manifest = AdvisorPlan.manifest(folder);
        assertEquals("app.readings", manifest.table());
        assertEquals("id", manifest.keyColumn());
        String migrate = Files.readString(folder.resolve("migrate.sql"));
        assertTrue(migrate.contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS readings_id_recorded_at_key ON app.readings (id, recorded_at);"), migrate);
        assertTrue(migrate.contains("maintenance.register_table(current_setting('lab.table_name'), current_setting('lab.time_column'), 12, 3,"), migrate);
        assertTrue(migrate.contains("-- Needs installed first"), migrate);
        assertFalse(migrate.lines().anyMatch(l -> l.startsWith("\\")), "no psql meta-command: the lab runs the same text");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), AdvisorPlan.steps(migrate).stream().map(AdvisorPlan.Step::number).toList());
        for (var s : AdvisorPlan.steps(Files.readString(folder.resolve("rollback.sql")))) assertFalse(s.locks().isBlank(), s.toString());

        assertEquals(AdvisorPlan.ONLINE_MIGRATION, manifest.method());
        // a layout that says too little is refused with one line (the layouts themselves: AdvisorPlanLayoutsTest)
        var hash = new Recommendation("app.readings", Recommendation.Strategy.HASH, "sensor_id", null, 1, List.of(), null, null, null, 0, null);
        BadInput refused = assertThrows(BadInput.class, () -> AdvisorPlan.write(plans, hash, "id"));
        assertTrue(refused.getMessage().contains("hash needs 2 to 1024 partitions"), refused.getMessage());
    }

    @Test
    @Order(2)
    void aDryRunShowsEveryStepAndWhatItLocksAndChangesNothing() {
        List<String> before = db.fingerprint();
        var run = run(new ApplyPlanCommand(), folder.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("dry run: nothing changed"), run.toString());
        assertTrue(run.out().contains("SHARE UPDATE EXCLUSIVE on app.readings"), run.toString());
        assertTrue(run.out().contains("next"), run.toString());
        assertEquals(before, db.fingerprint(), "a dry run installs nothing and changes nothing");

        Table preview = AdvisorPlan.preview(node, folder, AdvisorPlan.File.MIGRATE);
        assertEquals(10, preview.rowCount());
        assertEquals("next", preview.stringColumn("status").get(0));
        assertEquals(before, db.fingerprint());
    }

    @Test
    @Order(3)
    void badInputExitsTwoWithOneLineAndChangesNothing() throws Exception {
        List<String> before = db.fingerprint();
        Path notAPlan = Files.createDirectories(plans.resolve("not-a-plan"));
        Files.writeString(notAPlan.resolve("migrate.sql"), "SELECT 1;\n");
        var noPlan = run(new ApplyPlanCommand(), notAPlan.toString(), "--confirm");
        assertOneLineError(noPlan, "is not a plan");

        var neverApplied = run(new RollbackPlanCommand(), folder.toString(), "--confirm");
        assertOneLineError(neverApplied, "no migration of it was applied");

        var missing = new Recommendation("app.no_such_readings", Recommendation.Strategy.RANGE, "recorded_at", Recommendation.Interval.MONTH, 0,
                List.of(), null, YearMonth.of(2020, 1), YearMonth.of(2020, 2), 3, 12);
        Path noTable = AdvisorPlan.write(plans, missing, "id");
        assertOneLineError(run(new ApplyPlanCommand(), noTable.toString(), "--confirm"), "no table app.no_such_readings");
        assertOneLineError(run(new RollbackPlanCommand(), noTable.toString()), "no table app.no_such_readings");
        assertThrows(BadInput.class, () -> AdvisorPlan.write(node, plans, missing));
        assertEquals(before, db.fingerprint(), "bad input changes nothing");
    }

    @Test
    @Order(4)
    void appliedUnderLoadThenRolledBackUnderLoadEveryRowStays() {
        var load = LoadSimulator.start(node, LoadSimulator.Options.defaults().withMix(Map.of(Target.readings, 1))
                .withInterval(Duration.ofMillis(3)).withSeed(11));
        AdvisorPlan.Result back;
        try {
            awaitRows(load, 30);
            var applied = run(new ApplyPlanCommand(), folder.toString(), "--confirm", "--no-progress");
            assertEquals(0, applied.exit(), applied.toString());
            assertTrue(applied.out().contains("app.readings partitioned online (range by month on recorded_at)"), applied.toString());

            // partitioned by month, the months ahead made, registered with the partition manager
            assertEquals("p", node.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
            List<String> leaves = Partitions.leafNames(node, "app.readings");
            YearMonth now = YearMonth.parse((String) node.scalar("SELECT to_char(now(), 'YYYY-MM')"));
            for (int ahead = -12; ahead <= 3; ahead++) {
                YearMonth m = now.plusMonths(ahead);
                String name = String.format("app.readings_%d_%02d", m.getYear(), m.getMonthValue());
                assertTrue(leaves.contains(name), name + " in " + leaves);
            }
            assertTrue(leaves.contains("app.readings_default"), leaves.toString());
            Table config = node.query("SELECT premake_months, retention_months FROM maintenance.partition_config WHERE parent_table = 'app.readings'");
            assertEquals(1, config.rowCount());
            assertEquals(3, ((Number) config.get(0, 0)).intValue());
            assertEquals(12, ((Number) config.get(0, 1)).intValue());

            // row parity per partition (count and checksum) against app.readings_old; no row the load wrote lost
            Table parity = AdvisorPlan.verify(node, folder);
            assertTrue(parity.longColumn("missing").asList().stream().allMatch(v -> v == 0), parity::printAll);
            assertEquals(node.count("app.readings_old"), (long) parity.longColumn("source_rows").sum());
            assertTrue(load.verify().everyRowPresent(), load.verify()::verdict);
            // the move's window caught up with the changes, not the table; verified at the window
            Table move = node.query("SELECT window_rows, window_ms, rows_before, rows_after, state FROM online.swaps "
                    + "WHERE label = 'online migration of app.readings'");
            assertEquals("finished", move.getString(0, "state"));
            assertEquals(((Number) move.get(0, 2)).longValue(), ((Number) move.get(0, 3)).longValue());
            assertTrue(((Number) move.get(0, 0)).longValue() < ROWS / 10, move::printAll);

            Table rollbackPlan = AdvisorPlan.preview(node, folder, AdvisorPlan.File.ROLLBACK);
            assertEquals(List.of("next", "to do", "to do", "to do", "to do"), rollbackPlan.stringColumn("status").asList());
            assertTrue(rollbackPlan.stringColumn("locks").get(2).startsWith("ACCESS EXCLUSIVE on app.readings and app.readings_restored"),
                    rollbackPlan::printAll);

            long beforeRollback = load.snapshot().written();
            awaitRows(load, 30); // rows written in between
            List<String> progress = new ArrayList<>();
            back = AdvisorPlan.rollback(node, folder, LockDiscipline.defaults(), progress::add);
            assertTrue(load.snapshot().written() > beforeRollback + 30);
            awaitRows(load, 20); // and after
        } finally {
            load.stop();
        }
        var summary = load.snapshot();
        var check = load.verify();
        assertEquals(0, summary.errors(), summary::toString);
        assertTrue(check.everyRowPresent(), check::verdict);

        assertTrue(back.verified(), back.verdict());
        assertTrue(back.parityHolds(), back.parity()::printAll);
        assertEquals(List.of(1, 2, 3, 4, 5), back.steps().stream().map(AdvisorPlan.StepRun::number).toList());
        var window = back.window();
        assertEquals(0L, window.rowsRead(), "the window reads no row of the partitioned table");
        assertTrue(window.windowRows() < ROWS / 10, "the window caught up with the changes, not the table: " + window);
        assertTrue(window.windowMillis() < 2000, window.toString());
        System.out.printf("rollback window: %.1f ms, %d changed rows, %d lock attempts; rows at the window %d%n",
                window.windowMillis(), window.windowRows(), window.lockAttempts(), back.rowsAtWindow());

        // the original plain table under its name: every row, key and indexes of its own, ids from the same sequence
        assertEquals("r", node.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
        assertEquals("p", node.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings_partitioned'::regclass"));
        assertEquals("PRIMARY KEY (id)", node.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'app.readings'::regclass AND contype = 'p'"));
        assertEquals("readings_pkey", node.scalar("SELECT conname::text FROM pg_constraint WHERE conrelid = 'app.readings'::regclass AND contype = 'p'"));
        for (String index : List.of("readings_recorded_at_idx", "readings_sensor_id_recorded_at_idx")) {
            assertEquals(Boolean.TRUE, node.scalar("SELECT indrelid = 'app.readings'::regclass FROM pg_index WHERE indexrelid = to_regclass(?)", "app." + index), index);
        }
        assertEquals("app.readings_id_seq", node.scalar("SELECT pg_get_serial_sequence('app.readings', 'id')"));
        assertEquals(0L, ((Number) node.scalar("SELECT count(*) FROM maintenance.partition_config WHERE parent_table = 'app.readings'")).longValue());
        assertEquals(0L, ((Number) node.scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'online_capture_%'")).longValue());
        long restored = node.count("app.readings");
        assertEquals(ROWS + summary.written(), restored, "the seeded rows and every row the load wrote");
        assertTrue(restored > node.count("app.readings_partitioned"), "rows written after the rollback's window are in the plain table only");
        Table parity = AdvisorPlan.verify(node, folder);
        assertTrue(parity.longColumn("missing").asList().stream().allMatch(v -> v == 0), parity::printAll);

        // rolled back: a second rollback has nothing to do, the plan applies again only once its tables are out of the way
        assertOneLineError(run(new RollbackPlanCommand(), folder.toString(), "--confirm"), "rolled back before");
    }

    @Test
    @Order(5)
    void psqlRunsTheSameFilesAsTheHeaderSaysAndApplyContinuesWhereItStopped() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("psql"), "psql is not installed here");
        try (var other = new FreshDatabase("advisor_plan_psql")) {
            Node n = other.node();
            n.run("base/00_lab_functions.sql");
            n.run("12-advisor/01_readings.sql", Map.of("lab.rows", "500"));
            for (String prerequisite : List.of("sql/base/00_lab_functions.sql", "sql/maintenance/install.sql", "sql/migrate/online/00_functions.sql",
                    "sql/advisor/install.sql")) {
                psql(n, Settings.projectDir().orElseThrow().resolve(prerequisite));
            }
            // interrupted after the switch (psql ran steps 1 to 3), apply continues from step 4
            String migrate = Files.readString(folder.resolve("migrate.sql"));
            Path firstSteps = plans.resolve("first-steps.sql");
            Files.writeString(firstSteps, migrate.substring(0, migrate.indexOf("-- step 4:")));
            psql(n, firstSteps);
            assertEquals("p", n.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
            var applied = AdvisorPlan.apply(n, folder, LockDiscipline.defaults());
            assertEquals(List.of(false, false, false, true, true, true, true, true, true, true),
                    applied.steps().stream().map(AdvisorPlan.StepRun::ran).toList(), applied.stepsTable()::printAll);
            assertTrue(applied.verified() && applied.parityHolds(), applied.verdict());
            assertEquals(500L, applied.rowsAtWindow());
            assertTrue(applied.before().sameRowsAs(applied.after()), "no load here: the same rows before and after");
            String parity = psql(n, folder.resolve("verify.sql"));
            assertTrue(parity.contains("identical") && !parity.contains("MISSING"), parity);
            psql(n, folder.resolve("rollback.sql"));
            assertEquals("r", n.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
            assertEquals(500L, n.count("app.readings"));
            assertEquals(500L, n.count("app.readings_partitioned"));
            parity = psql(n, folder.resolve("verify.sql"));
            assertTrue(parity.contains("identical") && !parity.contains("MISSING"), parity);
        }
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** psql -v ON_ERROR_STOP=1 -f FILE, the password through the environment; its output, or a failure with it. */
    private static String psql(Node n, Path file) throws Exception {
        Dsn d = n.dsn();
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", d.host(), "-p", Integer.toString(d.port()),
                "-U", d.user(), "-d", d.database(), "-f", file.toString()).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", d.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), file + ":\n" + out);
        return out;
    }

    private static void awaitRows(LoadSimulator load, long more) {
        long target = load.snapshot().written() + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.snapshot().written() < target) {
            assertTrue(System.nanoTime() < deadline, "the load wrote too little: " + load.snapshot());
            assertTrue(load.running(), "the load stopped: " + load.stoppedBecause());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(command, new PrintWriter(out), new PrintWriter(err), db.withDsn(args));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertOneLineError(Run run, String words) {
        assertEquals(2, run.exit(), run.toString());
        assertEquals(1, run.err().strip().lines().count(), run.toString());
        assertTrue(run.err().startsWith("error: ") && run.err().contains(words), run.toString());
    }
}
