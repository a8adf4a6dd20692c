package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import lab.LoadSimulator.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Load runbook as a user runs it: a JVM of its own, real exit codes, a real SIGINT for Ctrl+C. */
class LoadRunbookIT {
    private static final Pattern STATUS_LINE = Pattern.compile("\\d+\\.\\d s  events \\d+  users \\d+  orders \\d+  sales \\d+  errors \\d+  \\(\\d+ rows/s\\)");

    private static Node node;

    /** Started here, the servers outlive every runbook process, which attaches to them. */
    @BeforeAll
    static void partitionedTables() {
        node = LoadTables.partitioned();
    }

    @Test
    void runsForItsDurationThenPrintsTheSummaryAndTheCheck() {
        var run = RunbookProcess.run("Load", "--duration-s", "3", "--interval-ms", "10");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("wrote "), run::toString);
        for (Target target : Target.defaultMix().keySet()) assertTrue(run.out().contains(target.table()), run::toString);
        assertTrue(run.out().contains("rows the load reported written are in their tables"), run::toString);
        assertEquals("", run.err(), "not on a terminal and no --progress: no status lines");
    }

    @Test
    void jsonHasOneRowPerTableOfTheMixWithNothingMissing() throws IOException {
        var run = RunbookProcess.run("Load", "--duration-s", "2", "--interval-ms", "5", "--mix", "orders=2,sales=1",
                "--seed", "11", "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode doc = new ObjectMapper().readTree(run.out());
        JsonNode rows = doc.elements().next(); // the one table, named "load: <rows> rows in <s> s"
        assertEquals(2, rows.size(), run::toString);
        assertTrue(doc.get("verdict").asText().contains("rows the load reported written are in their tables"), run::toString);
        assertTrue(doc.get("notes").get(0).asText().startsWith("wrote "), run::toString);
        assertEquals("app.orders_by_region", rows.get(0).get("table").asText());
        assertEquals("app.sales_data", rows.get(1).get("table").asText());
        for (JsonNode row : rows) {
            assertTrue(row.get("written").asLong() > 0, row::toString);
            assertEquals(row.get("written").asLong(), row.get("present").asLong(), row::toString);
            assertEquals(0, row.get("missing").asLong(), row::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--interval-ms -5       | interval must be 0 ms or more",
            "--duration-s 0         | duration must be more than 0 s",
            "--mix nosuch=10        | unknown table 'nosuch'",
            "--mix events           | mix entry 'events' is not TABLE=WEIGHT",
            "--mix events=0         | every weight in the mix is 0",
            "--interval-ms often    | often",
            "--duration-s 9223372036854775807 | duration must be at most 31536000 s",
            "--duration-s 31536001  | duration must be at most 31536000 s",
            "--max-consecutive-failures 0 | must be 1 or more"})
    void badInputExitsTwoWithOneLineAndWritesNothing(String arguments, String message) {
        Map<Target, Long> before = LoadTables.rowCounts(node);
        var run = RunbookProcess.run("Load", arguments.split(" "));
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        assertTrue(run.err().startsWith("error: ") && run.err().contains(message), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(before, LoadTables.rowCounts(node), "nothing written");
    }

    @Test
    void helpDescribesTheOptionsAndExitsZero() {
        var run = RunbookProcess.run("Load", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String option : List.of("--interval-ms", "--duration-s", "--mix", "--seed", "--max-consecutive-failures", "--dsn", "--node", "--format", "--[no-]progress", "Exit:")) {
            assertTrue(run.out().contains(option), () -> option + " missing from --help:\n" + run.out());
        }
    }

    /**
     * Issue 17, defect 7: its server goes away mid-run (its database refuses connections, its sessions terminated): the
     * first failed insert is printed as it happens (no password), the load stops by itself after
     * --max-consecutive-failures, prints the summary of what it wrote and that it could not check it, and exits 1.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whenItsServerGoesAwayItSaysWhyStopsAfterTheFailuresInARowAndSummarizes() throws Exception {
        try (var gone = new FreshDatabase("lab_load_server_gone")) {
            Process process = RunbookProcess.start(Settings.labHome(), "Load", "--dsn", withMarkerPassword(gone), "--interval-ms", "5",
                    "--max-consecutive-failures", "10", "--no-progress");
            try (var output = new Lines(process)) {
                awaitRows(gone.node());
                goAway(gone);
                assertTrue(process.waitFor(90, TimeUnit.SECONDS), output::all);
                String all = output.all();
                assertEquals(1, process.exitValue(), all);
                assertTrue(all.lines().anyMatch(l -> l.startsWith("first failed insert into app.")), all);
                assertTrue(all.contains("stopped after 10 inserts failed in a row; the last: "), all);
                assertTrue(all.lines().anyMatch(l -> l.startsWith("wrote ")), all);
                assertTrue(all.contains("could not check the rows written: "), all);
                assertFalse(all.contains(MARKER_PASSWORD), all);
                assertFalse(all.contains("Exception"), "no stack trace:\n" + all);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** Issue 17, defect 7: Ctrl+C stops it while every insert fails (its server gone), with the summary, at once. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ctrlCWhileItsServerIsGoneStopsItWithTheSummary() throws Exception {
        assumeTrue(RunbookProcess.ctrlCReachesStartedProcesses(),
                "SIGINT is ignored in this JVM and there is no `env --default-signal`: Ctrl+C check skipped");
        try (var gone = new FreshDatabase("lab_load_ctrl_c_gone")) {
            Process process = RunbookProcess.start(Settings.labHome(), "Load", "--dsn", withMarkerPassword(gone), "--interval-ms", "5",
                    "--max-consecutive-failures", "1000000", "--no-progress");
            try (var output = new Lines(process)) {
                awaitRows(gone.node());
                goAway(gone);
                output.await(l -> l.startsWith("first failed insert into app."), Duration.ofSeconds(30));
                ctrlC(process);
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), () -> "still running 30 s after Ctrl+C:\n" + output.all());
                String all = output.all();
                assertEquals(1, process.exitValue(), all);
                assertTrue(all.lines().anyMatch(l -> l.startsWith("wrote ")), all);
                assertTrue(all.contains("could not check the rows written: "), all);
                assertFalse(all.contains(MARKER_PASSWORD), all);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** What a terminal sends on Ctrl+C: SIGINT to the process. */
    private static void ctrlC(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static final String MARKER_PASSWORD = "Mark3rPassw0rd";

    /** The database's DSN with its password, or a marker one where the server trusts local connections (it is then ignored). */
    private static String withMarkerPassword(FreshDatabase db) {
        Dsn d = db.node().dsn();
        if (d.password() != null) return db.url();
        return new Dsn(d.host(), d.port(), d.database(), d.user() == null ? "postgres" : d.user(), MARKER_PASSWORD, d.query()).url(true);
    }

    /** Until the load has written (it prepares its tables first). */
    private static void awaitRows(Node db) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            try {
                if (Migration.RANGE.state(db) == Migration.State.PARTITIONED && Migration.COMPOSITE.state(db) == Migration.State.PARTITIONED
                        && db.count("app.event_logs") + db.count("app.users_distributed") > Math.round(1.5 * Scale.current().seedRows()) + 20) {
                    return;
                }
            } catch (RuntimeException preparing) {
                // a table being created
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the load wrote nothing in 90 s");
    }

    /** Its server gone, as far as the load can tell: no new connection to its database, and its sessions terminated. */
    private static void goAway(FreshDatabase db) {
        Node server = Lab.connect("embedded").node("partitioned");
        server.query("ALTER DATABASE " + db.node().dsn().database() + " ALLOW_CONNECTIONS false");
        db.node().close();
        server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", db.node().dsn().database());
    }

    /** A process's merged output, read as it comes. */
    private static final class Lines implements AutoCloseable {
        private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Lines(Process process) {
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) lines.add(line);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void await(java.util.function.Predicate<String> wanted, Duration within) throws InterruptedException {
            long until = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < until) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(wanted)) return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no such line in " + within + ":\n" + all());
        }

        String all() {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() {
            reader.interrupt();
        }
    }

    /** A guard against a hung runbook, not a speed requirement: the status line comes after 5 seconds. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ctrlCStopsTheLoadPrintsTheSummaryAndExitsZero() throws Exception {
        assumeTrue(RunbookProcess.ctrlCReachesStartedProcesses(),
                "SIGINT is ignored in this JVM and there is no `env --default-signal`: Ctrl+C check skipped");
        Process process = RunbookProcess.start(Settings.labHome(), "Load", "--interval-ms", "5", "--progress");
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = output.readLine()) != null && !STATUS_LINE.matcher(line).matches()) lines.add(line);
            assertNotNull(line, () -> "ended before a status line:\n" + String.join("\n", lines));

            ctrlC(process);

            while ((line = output.readLine()) != null) lines.add(line);
            String all = String.join("\n", lines);
            assertEquals(0, process.waitFor(), all);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("wrote ")), all);
            assertTrue(all.contains("app.event_logs") && all.contains("rows the load reported written are in their tables"), all);
        } finally {
            process.destroyForcibly();
        }
    }
}
