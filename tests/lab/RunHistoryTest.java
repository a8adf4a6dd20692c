package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lock records (maintenance.run_history): every run that holds the maintenance lock writes its start and end from
 * the lock's own session, so the history says which runs happened, how they ended, and that none overlapped; a run
 * whose session dies reads as interrupted. On the embedded server, over lesson 06's tables ({@link LessonTables}).
 */
class RunHistoryTest extends LessonTables {
    private static final String FIRST_RUN = "2025-07-15";

    @Override
    int rowsPerMonth() {
        return 20;
    }

    @Test
    void aCliRunRecordsOneRowThatSaysOkOrFailed() {
        var manager = PartitionManager.on(db);
        assertEquals(List.of(), manager.runs(10));
        // a step that cannot get its lock within the budget is an error line: the run is recorded as failed
        Maintained gaveUp;
        try (var reader = Locks.holdAccessShare(db, "audit.audit_logs", Duration.ofSeconds(4))) {
            gaveUp = Maintained.run("create", "--table", "audit_logs", "--from", "2025-01", "--to", "2025-01", "--lock-budget", "400ms");
        }
        assertEquals(1, gaveUp.exit(), gaveUp::toString);
        RunRecord failed = manager.lastRun(null).orElseThrow();
        assertEquals(1, manager.runs(10).size());
        assertEquals(List.of("create", "audit.audit_logs", "failed"), List.of(failed.what(), failed.table(), failed.result()),
                "the table as the configuration names it");
        assertTrue(failed.detail().startsWith("failed: audit.audit_logs: ") && failed.detail().contains("gave up"), failed.detail());
        assertFalse(failed.detail().contains("\n"));

        var ran = Maintained.run("run", "--allow-time-travel", "--today", FIRST_RUN);
        assertEquals(0, ran.exit(), ran::toString);
        List<RunRecord> runs = manager.runs(10);
        assertEquals(2, runs.size(), runs::toString);
        RunRecord run = runs.get(0);
        assertEquals(List.of("run", "cli", "ok"), List.of(run.what(), run.trigger(), run.result()));
        assertNull(run.table(), "a run over every enabled table");
        assertNotNull(run.finishedAt());
        assertTrue(!run.duration().isNegative() && run.duration().compareTo(Duration.ofMinutes(5)) < 0, run::toString);
        assertTrue(run.detail().matches("\\d+ lines: .*\\d+ create.*"), run.detail());
        assertEquals(run, manager.lastRun("cli").orElseThrow());
        assertTrue(manager.lastRun("schedule").isEmpty());
        assertEquals("failed", runs.get(1).result());

        // refused input changed nothing and leaves no record
        var refused = Maintained.run("create", "--table", "no_such_table", "--from", "2025-01", "--to", "2025-02");
        assertEquals(2, refused.exit(), refused::toString);
        assertEquals(2, manager.runs(10).size());
        var next = manager.asOf(LocalDate.parse(FIRST_RUN)).withTimeTravel();
        next.locked(false, "retention", null, () -> next.retention(null, true, null));
        assertEquals(run.id() + 1, manager.lastRun(null).orElseThrow().id(), "the refused run gave its id back");
        // a manager triggered by the service records its runs so
        var api = manager.asOf(LocalDate.parse(FIRST_RUN)).withTimeTravel().triggeredBy("api");
        api.locked(false, "analyze", "app.events", () -> api.analyze("app.events", true, Progress.Mode.OFF));
        assertEquals(List.of("analyze", "api", "app.events", "ok"), fields(manager.lastRun("api").orElseThrow()));
        assertThrows(BadInput.class, () -> manager.triggeredBy("Robert'); DROP TABLE x"));
    }

    @Test
    void runsNeverOverlap() throws Exception {
        List<CompletableFuture<Maintained>> started = List.of(
                CompletableFuture.supplyAsync(() -> Maintained.run("run", "--wait", "--allow-time-travel", "--today", FIRST_RUN)),
                CompletableFuture.supplyAsync(() -> Maintained.run("create-missing", "--wait", "--allow-time-travel", "--today", FIRST_RUN)),
                CompletableFuture.supplyAsync(() -> Maintained.run("analyze", "--wait")),
                CompletableFuture.supplyAsync(() -> Maintained.run("run", "--wait", "--allow-time-travel", "--today", "2025-08-15")));
        for (var run : started) assertEquals(0, run.get(120, TimeUnit.SECONDS).linesWith("error"));
        List<RunRecord> runs = PartitionManager.on(db).runs(100).stream().sorted(Comparator.comparing(RunRecord::startedAt)).toList();
        assertEquals(4, runs.size(), runs::toString);
        for (int i = 0; i < runs.size(); i++) {
            assertEquals("ok", runs.get(i).result(), runs::toString);
            if (i > 0) assertFalse(runs.get(i).startedAt().isBefore(runs.get(i - 1).finishedAt()), "overlap: " + runs);
        }
    }

    @Test
    void aRunWhoseSessionIsKilledReadsInterruptedAndTheLockHolderIsNamedMeanwhile() throws Exception {
        var manager = PartitionManager.on(db).triggeredBy("schedule");
        assertTrue(manager.lockHolder().isEmpty());
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var run = CompletableFuture.supplyAsync(() -> manager.locked(false, "run", null, () -> {
            inside.countDown();
            await(release);
            return "held";
        }));
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        try {
            RunRecord running = manager.lastRun("schedule").orElseThrow();
            assertEquals("running", running.result());
            assertNull(running.finishedAt());
            assertNull(running.duration());
            var holder = manager.lockHolder().orElseThrow();
            assertEquals(running.pid(), holder.pid(), "the session that holds the lock wrote the record");
            assertEquals(running.startedAt(), holder.since());
            assertFalse(holder.application().isBlank());

            // a second run is refused at once, and the refusal names the holder
            var refused = assertThrows(PartitionManager.LockedOut.class, () -> manager.locked(false, "analyze", null, () -> "never"));
            assertEquals(holder, refused.holder().orElseThrow());
            assertTrue(refused.getMessage().contains("pid " + holder.pid()), refused.getMessage());
            var cli = Maintained.run("analyze");
            assertEquals(1, cli.exit(), cli::toString);
            assertTrue(cli.err().startsWith("error: another maintenance run is in progress") && cli.err().contains("pid " + holder.pid()), cli::toString);

            // the server ends the session (as a restart would): the lock goes with it, the run never finishes
            assertEquals(true, db.scalar("SELECT pg_terminate_backend(?)", holder.pid()));
            Instant deadline = Instant.now().plusSeconds(10);
            while (manager.lockHolder().isPresent() && Instant.now().isBefore(deadline)) Thread.sleep(50);
            assertTrue(manager.lockHolder().isEmpty(), "the lock went with the session");
        } finally {
            release.countDown();
        }
        assertEquals("held", run.get(30, TimeUnit.SECONDS), "the work itself ran on");
        RunRecord interrupted = manager.lastRun("schedule").orElseThrow();
        assertEquals(List.of("run", "schedule", "interrupted"), List.of(interrupted.what(), interrupted.trigger(), interrupted.result()));
        assertNull(interrupted.finishedAt());
        assertEquals(1, PartitionManager.on(db).runs(10).size(), "the refused runs left no record");

        // the next run takes the lock and completes
        var next = Maintained.run("run", "--allow-time-travel", "--today", FIRST_RUN);
        assertEquals(0, next.exit(), next::toString);
        assertEquals(List.of("ok", "interrupted"), PartitionManager.on(db).runs(10).stream().map(RunRecord::result).toList());
    }

    /** The procedure pg_cron calls records its runs too: trigger pg_cron in pg_cron's session, psql elsewhere. */
    @Test
    void theProcedureRecordsPgCronAndPsqlRuns() throws Exception {
        try (Connection c = DriverManager.getConnection(db.dsn().jdbcUrl(), db.dsn().user(), db.dsn().password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CALL maintenance.run_maintenance_proc('app.events', current_date, true)");
            s.execute("SET application_name = 'pg_cron'");
            s.execute("CALL maintenance.run_maintenance_proc(NULL, current_date, true)");
        }
        List<RunRecord> runs = PartitionManager.on(db).runs(10);
        assertEquals(List.of("run", "pg_cron", "", "ok"), fields(runs.get(0)).stream().map(f -> f == null ? "" : f).toList(), runs::toString);
        assertEquals(List.of("run", "psql", "app.events", "ok"), fields(runs.get(1)), runs::toString);
        assertTrue(runs.get(0).detail().matches("\\d+ lines.*"), runs.get(0).detail());
        assertTrue(PartitionManager.on(db).lockHolder().isEmpty(), "the procedure let go of the lock");
    }

    @Test
    void reinstallKeepsTheHistoryUpdatesAnOlderInstallationAndUninstallRemovesIt() {
        // a record older than 90 days goes when the next run starts
        db.query("INSERT INTO maintenance.run_history (what, trigger, started_at, finished_at, ok) "
                + "VALUES ('run', 'cli', now() - interval '91 days', now() - interval '91 days', true)");
        assertEquals(1, PartitionManager.on(db).runs(10).size());
        assertEquals(0, Maintained.run("run", "--allow-time-travel", "--today", FIRST_RUN).exit());
        assertEquals(List.of("run"), PartitionManager.on(db).runs(10).stream().map(RunRecord::what).toList());
        var install = Maintained.run("install");
        assertEquals(0, install.exit(), install::toString);
        assertEquals(List.of("install", "run"), PartitionManager.on(db).runs(10).stream().map(RunRecord::what).toList());

        // an installation from before the lock records: install adds them (that install itself goes unrecorded)
        Sql.text("an installation from before the lock records", """
                DROP VIEW maintenance.runs;
                DROP FUNCTION maintenance.run_started, maintenance.run_finished, maintenance.run_refused;
                DROP TABLE maintenance.run_history;
                """).run(db, java.util.Map.of());
        assertEquals(true, db.scalar("SELECT to_regclass('maintenance.run_history') IS NULL"));
        install = Maintained.run("install");
        assertEquals(0, install.exit(), install::toString);
        assertEquals(List.of(), PartitionManager.on(db).runs(10));
        assertEquals(0, Maintained.run("analyze", "--table", "app.events").exit());
        assertEquals(List.of("analyze"), PartitionManager.on(db).runs(10).stream().map(RunRecord::what).toList());

        assertEquals(0, Maintained.run("uninstall", "--apply").exit());
        assertEquals(true, db.scalar("SELECT to_regclass('maintenance.run_history') IS NULL"));
        assertEquals(0L, db.scalar("SELECT count(*) FROM pg_proc WHERE proname IN ('run_started', 'run_finished', 'run_refused')"));
    }

    private static List<String> fields(RunRecord run) {
        return java.util.Arrays.asList(run.what(), run.trigger(), run.table(), run.result());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
