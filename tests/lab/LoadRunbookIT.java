package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        for (Target target : Target.values()) assertTrue(run.out().contains(target.table()), run::toString);
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
            "--interval-ms often    | often"})
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
        for (String option : List.of("--interval-ms", "--duration-s", "--mix", "--seed", "--dsn", "--node", "--format", "--[no-]progress", "Exit:")) {
            assertTrue(run.out().contains(option), () -> option + " missing from --help:\n" + run.out());
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

            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());

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
