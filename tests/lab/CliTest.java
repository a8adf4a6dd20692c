package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import lab.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The exit codes and the one-line errors every runbook gets from {@link Cli}. */
class CliTest {
    /** What a runbook might do: succeed, fail, or find the user's input wrong half-way through. */
    @Command(name = "probe", subcommands = Probe.Sub.class)
    static class Probe implements Callable<Integer> {
        @Option(names = "--outcome", defaultValue = "ok") String outcome;
        @Option(names = "--month") YearMonth month;
        @Mixin Cli.Output output;
        @Mixin Cli.Target target;
        @Mixin Resource resource;
        @ArgGroup(exclusive = true) Switch onOff;

        static final class Switch {
            @Option(names = "--enable") boolean enable;
            @Option(names = "--disable") boolean disable;
        }

        @Override
        public Integer call() {
            switch (outcome) {
                case "report" -> {
                    output.note("first note");
                    output.print(Table.create("before", StringColumn.create("month", "2024-06")));
                    output.note("second note");
                    output.print(Table.create("after", StringColumn.create("month", "2024-07"), IntColumn.create("n", new int[] {2})));
                    output.print(Table.create("after", IntColumn.create("n", new int[] {3}))); // the same name again
                    output.verdict("every row there");
                }
                case "app-name" -> {
                    // a pooled session, the same after the reset every pooled session gets, and a session of its own
                    Node node = target.node("plain");
                    List<String> names = new java.util.ArrayList<>();
                    try (java.sql.Connection c = node.connection()) {
                        names.add(applicationName(c));
                        Node.resetSession(c);
                        names.add(applicationName(c));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    try (java.sql.Connection c = node.dsn().open()) {
                        names.add(applicationName(c));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    output.print(Table.create("sessions", StringColumn.create("application_name", names)));
                }
                case "fail-after-table" -> {
                    output.print(Table.create("done so far", IntColumn.create("n", new int[] {1})));
                    output.note("then it broke");
                    throw new IllegalStateException("the server went away");
                }
                case "bad" -> throw new BadInput("table app.nope does not exist");
                case "bad-inside" -> throw new IllegalStateException("while loading", new BadInput("month 2024-13 is not a month"));
                case "bad-multiline" -> throw new BadInput("first line\n  second line");
                case "boom" -> throw new IllegalStateException("the server went away");
                case "node" -> output.print(Table.create("node", StringColumn.create("name", target.node("plain").name())));
                default -> output.print(Table.create("result", StringColumn.create("month", String.valueOf(month)),
                        IntColumn.create("n", new int[] {1})));
            }
            return Cli.OK;
        }

        private static String applicationName(java.sql.Connection c) throws java.sql.SQLException {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
                rs.next();
                return rs.getString(1);
            }
        }

        @Command(name = "sub")
        static class Sub implements Callable<Integer> {
            @Option(names = "--level", required = true) int level;

            @Override
            public Integer call() {
                return level == 0 ? Cli.FAILURE : Cli.OK;
            }
        }
    }

    /** A mixin holding something to release, as Cli.Target holds a --dsn pool. */
    @Command
    static class Resource implements AutoCloseable {
        static boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new Probe(), new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void successExitsZeroAndPrintsTheResultInTheChosenFormat() throws Exception {
        Outcome text = run("--month", "2024-06");
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("2024-06"), text.out());
        assertEquals("", text.err());

        Outcome json = run("--format", "json");
        assertEquals(1, new ObjectMapper().readTree(json.out()).get("result").size(), json.out());
        assertTrue(run("--format", "markdown").out().startsWith("## result\n\n| month | n |"), run("--format", "markdown")::toString);
    }

    /** Defect 9: several tables, notes and a verdict are one JSON document that a JSON parser reads whole. */
    @Test
    void jsonIsOneDocumentWithEveryTableUnderItsNameAndTheNotesAndVerdict() throws Exception {
        Outcome o = run("--outcome", "report", "--format", "json");
        assertEquals(0, o.code(), o::toString);
        JsonNode doc = new ObjectMapper().readTree(o.out()); // throws on a second document after the first
        assertEquals(List.of("before", "after", "after (2)", "notes", "verdict"), fieldNames(doc), o::toString);
        assertEquals("2024-06", doc.get("before").get(0).get("month").asText());
        assertEquals(2, doc.get("after").get(0).get("n").asInt(), "numbers stay numbers");
        assertEquals(3, doc.get("after (2)").get(0).get("n").asInt());
        assertEquals(List.of("first note", "second note"), texts(doc.get("notes")));
        assertEquals("every row there", doc.get("verdict").asText());
        assertEquals("", o.err());
    }

    @Test
    void aFailureAfterATableStillPrintsTheJsonDocument() throws Exception {
        Outcome o = run("--outcome", "fail-after-table", "--format", "json");
        assertEquals(1, o.code(), o::toString);
        JsonNode doc = new ObjectMapper().readTree(o.out());
        assertEquals(1, doc.get("done so far").get(0).get("n").asInt(), o::toString);
        assertEquals("then it broke", doc.get("notes").get(0).asText());
        assertEquals(List.of("error: the server went away"), o.errLines());
    }

    @Test
    void textPrintsTablesNotesAndVerdictAsTheyCome() {
        Outcome o = run("--outcome", "report");
        assertEquals(0, o.code(), o::toString);
        String out = o.out();
        assertTrue(out.startsWith("first note\n"), out);
        assertTrue(out.indexOf("2024-06") < out.indexOf("second note") && out.indexOf("second note") < out.indexOf("2024-07"), out);
        assertTrue(out.endsWith("every row there\n"), out);
    }

    /** Defect 9: each table in markdown has a title line and a blank line before it; notes are paragraphs. */
    @Test
    void markdownGivesEachTableATitleAndABlankLine() {
        Outcome o = run("--outcome", "report", "--format", "markdown");
        assertEquals(0, o.code(), o::toString);
        List<String> lines = o.out().lines().toList();
        for (String title : List.of("before", "after")) {
            int at = lines.indexOf("## " + title);
            assertTrue(at > 0, () -> title + " has a title: " + o.out());
            assertEquals("", lines.get(at - 1), "a blank line before the title");
            assertEquals("", lines.get(at + 1), "a blank line after the title");
            assertTrue(lines.get(at + 2).startsWith("| "), "then the header row: " + o.out());
            assertTrue(lines.get(at + 3).matches("\\|( -{3}:? \\|)+"), "then the separator row: " + o.out());
        }
        assertEquals(List.of("first note", "", "## before", "", "| month |", "| --- |", "| 2024-06 |", "", "second note"),
                lines.subList(0, 9), o.out());
        assertEquals("every row there", lines.get(lines.size() - 1));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(e -> texts.add(e.asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode doc) {
        List<String> names = new java.util.ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Defect 8: picocli's ArgGroup message begins with "Error: ", which the line's own "error: " made twice. */
    @Test
    void anExclusiveGroupSaysErrorOnce() {
        Outcome o = run("--enable", "--disable");
        assertEquals(2, o.code(), o::toString);
        assertEquals(1, o.errLines().size(), o::toString);
        assertTrue(o.err().startsWith("error: --enable=<enable>, --disable=<disable> are mutually exclusive")
                || o.err().startsWith("error: --enable, --disable are mutually exclusive"), o::toString);
        assertFalse(o.err().toLowerCase(java.util.Locale.ROOT).contains("error: error"), o::toString);
    }

    @Test
    void badInputThrownWhileRunningExitsTwoWithOneLine() {
        Outcome o = run("--outcome", "bad");
        assertEquals(2, o.code());
        assertEquals(List.of("error: table app.nope does not exist"), o.errLines());
        assertEquals("", o.out());
    }

    @Test
    void badInputFoundAsTheCauseOfAnotherExceptionIsStillBadInput() {
        Outcome o = run("--outcome", "bad-inside");
        assertEquals(2, o.code());
        assertEquals(List.of("error: month 2024-13 is not a month"), o.errLines());
    }

    @Test
    void aMessageOverSeveralLinesIsPrintedOnOne() {
        assertEquals(List.of("error: first line second line"), run("--outcome", "bad-multiline").errLines());
    }

    @Test
    void anyOtherExceptionExitsOne() {
        Outcome o = run("--outcome", "boom");
        assertEquals(1, o.code());
        assertEquals(List.of("error: the server went away"), o.errLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--no-such-option", "--month=2024-13", "--month=2024-1", "--format=xml", "--topology=cloud", "extra"})
    void parameterErrorsExitTwoWithOneLine(String arg) {
        Outcome o = run(arg);
        assertEquals(2, o.code(), o::toString);
        assertEquals(1, o.errLines().size(), o::toString);
        assertTrue(o.err().startsWith("error: "), o::toString);
        assertEquals("", o.out());
    }

    @Test
    void subcommandsFollowTheSameRules() {
        assertEquals(0, run("sub", "--level", "1").code());
        assertEquals(1, run("sub", "--level", "0").code());
        Outcome missing = run("sub");
        assertEquals(2, missing.code());
        assertEquals(List.of("error: Missing required option: '--level=<level>'"), missing.errLines());
        assertTrue(run("sub", "--help").out().contains("--level"), "standard options reach subcommands");
    }

    @Test
    void helpAndVersionExitZero() {
        Outcome help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--dsn") && help.out().contains("--format") && help.out().contains("--version"), help.out());
        Outcome version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("Partition Lab"), version.out());
    }

    @Test
    void dsnAndTopologyExcludeEachOtherAndABadDsnIsBadInput() {
        Outcome both = run("--outcome", "node", "--dsn", "postgresql://app:app@localhost:5432/app", "--topology", "compose");
        assertEquals(2, both.code());
        assertEquals(List.of("error: --dsn and --topology exclude each other: give one"), both.errLines());

        Outcome malformed = run("--outcome", "node", "--dsn", "localhost:5432");
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().startsWith("error: --dsn must look like postgresql://"), malformed.err());
    }

    @Test
    void aDsnNodeIsNamedAfterTheRunbooksDefaultOrTheNodeOption() {
        String dsn = Lab.connect("embedded").node("plain").dsn().url(true);
        Outcome o = run("--outcome", "node", "--dsn", dsn, "--node", "shard1", "--format", "json");
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("\"shard1\""), o.out());
    }

    @Test
    void anUnreachableDsnFailsAtOnceWithTheDriversReason() {
        long started = System.nanoTime();
        Outcome o = run("--outcome", "node", "--dsn", "postgresql://app:app@localhost:1/app");
        assertEquals(1, o.code(), o::toString);
        assertTrue(o.err().startsWith("error: cannot connect to postgresql://app@localhost:1/app: Connection to localhost:1 refused"),
                o::toString);
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "no pool timeout to wait for");
    }

    /**
     * Defect 8: sessions name the runbook in pg_stat_activity (what a lock holder's message shows), pooled ones too
     * after the DISCARD ALL that cleans them (pgjdbc's default SET application_name did not survive it: the name was
     * empty).
     */
    @Test
    void theSessionsOfARunbookCarryItsNameInPgStatActivity() throws Exception {
        String before = Dsn.applicationName();
        String dsn = Lab.connect("embedded").node("plain").dsn().url(true);
        Outcome o = run("--outcome", "app-name", "--dsn", dsn, "--format", "json");
        assertEquals(0, o.code(), o::toString);
        List<String> names = new java.util.ArrayList<>();
        new ObjectMapper().readTree(o.out()).get("sessions").forEach(row -> names.add(row.get("application_name").asText()));
        assertEquals(List.of("partition-lab probe", "partition-lab probe", "partition-lab probe"), names, o::toString);
        assertEquals(before, Dsn.applicationName(), "the name is the runbook's while it runs only");
    }

    /** The same from outside: a runbook in its own JVM (Load, writing for a few seconds) is seen by its name. */
    @Test
    void aRunningRunbookIsSeenByItsNameFromAnotherSession() throws Exception {
        Node plain = Lab.connect("embedded").node("partitioned");
        Process load = RunbookProcess.start(Settings.labHome(), "Load", "--duration-s", "6", "--interval-ms", "20");
        try {
            long seen = 0;
            for (long deadline = System.nanoTime() + 60_000_000_000L; seen == 0 && System.nanoTime() < deadline && load.isAlive(); ) {
                seen = ((Number) plain.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'partition-lab Load'")).longValue();
                if (seen == 0) Thread.sleep(100);
            }
            assertTrue(seen > 0, "no session named 'partition-lab Load' while Load ran");
            assertTrue(load.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
            String printed = new String(load.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, load.exitValue(), printed);
        } finally {
            load.destroy();
        }
    }

    @Test
    void mixinsThatHoldResourcesAreClosedWhateverTheOutcome() {
        Resource.closed = false;
        run("--outcome", "boom");
        assertTrue(Resource.closed);
    }

    @Test
    void monthsAreStrictlyYearDashMonth() {
        assertEquals(YearMonth.of(2024, 12), Cli.month("2024-12"));
        for (String bad : List.of("2024-13", "2024-00", "2024-1", "24-01", "2024/01", "")) {
            assertThrows(CommandLine.TypeConversionException.class, () -> Cli.month(bad), bad);
        }
    }

    @Test
    void theServersRunbookShowsTheNodesAndItsResetIsADryRunWithoutYes() throws Exception {
        var status = RunbookProcess.run("Servers", "status", "--format", "json");
        assertEquals(0, status.exitCode(), status::toString);
        assertEquals(Topology.NODES.size(), new ObjectMapper().readTree(status.out()).get("nodes (embedded)").size(), status::toString);

        var plan = RunbookProcess.run("Servers", "reset");
        assertEquals(0, plan.exitCode(), plan::toString);
        assertTrue(plan.out().contains("dry run"), plan::toString);
        assertEquals(1L, ((Number) Lab.connect("embedded").node("partitioned").scalar("SELECT 1")).longValue(),
                "a dry run leaves the servers running");

        var noCommand = RunbookProcess.run("Servers");
        assertEquals(2, noCommand.exitCode(), noCommand::toString);
        assertEquals(1, noCommand.errLines().size(), noCommand::toString);
    }
}
