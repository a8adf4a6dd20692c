package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lab.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defect 3: no password is ever printed. Every runbook's error paths run with a marker password in malformed and
 * unreachable connection strings (--dsn, LAB_DSN_&lt;NODE&gt;) and in unknown options, and stdout, stderr and the
 * JVM's System.err (the libraries' log lines, stack traces with LAB_DEBUG) are searched for it.
 */
class SecretsTest {
    /** Every marker password below starts with it. */
    private static final String MARKER = "S3cret";

    private static final List<String> NODES_USED = List.of("plain", "partitioned", "coordinator", "shard1", "shard2",
            "citus", "worker1", "worker2", "worker3");

    private static int livePort;

    @BeforeAll
    static void aServerThatAnswers() {
        livePort = Lab.connect("embedded").node("partitioned").dsn().port();
    }

    @AfterAll
    static void backToTheEmbeddedTopology() {
        clearDsnSettings();
        Lab.connect("embedded");
    }

    /** Connection strings that fail to parse, to connect, or to find their database, each with a marker password. */
    private static List<String> badDsns() {
        return List.of(
                "postgresql://app:S3cretMarker@localhost:5432",             // no database
                "postgresql://app:S3cretMarker@/app",                       // no host
                "postgresql://app:S3cret Marker@localhost:5432/app",        // a space: the URI parser's message echoes it
                "postgresql://app:S3cret@Marker@localhost:5432/app",        // an @ not encoded
                "postgresql://app:S3cret'Marker\"@localhost:5432/app",      // quotes
                "app:S3cretMarker@localhost:5432/app",                      // no scheme
                "jdbc:postgresql://app:S3cretMarker@localhost:5432",        // JDBC form, no database
                "postgresql://app:S3cretMarker@localhost:99999/app",        // no such port
                "postgresql://app:S3cretMarker@localhost:1/app",            // refused
                "postgresql://localhost:1/app?user=app&password=S3cretMarker", // password as a parameter, refused
                "postgresql://app:S3cretMarker@localhost:" + livePort + "/no_such_database"); // the server says no
    }

    /** A runbook, made fresh for each run, with the arguments that reach its server. */
    private record Runbook(String name, Supplier<Object> command, List<String> args) {
        List<String> with(String... more) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of(more));
            return all;
        }
    }

    private static Runbook runbook(String className, String... args) {
        return new Runbook(className + (args.length == 0 ? "" : " " + String.join(" ", args)), () -> {
            try {
                return Class.forName(className).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no runbook " + className, e);
            }
        }, List.of(args));
    }

    /** Runbooks that take --dsn, with the arguments that make them work on its server (a dry run where there is one). */
    private static final List<Runbook> TAKING_DSN = List.of(
            runbook("Generate", "--from", "2024-01", "--to", "2024-01", "--per-month", "10"),
            runbook("Load", "--duration-s", "1"),
            runbook("Repartition", "add", "--dry-run"),
            runbook("Migrate", "app.event_logs", "--dry-run"),
            runbook("lab.cli.MaintainCommand", "health"),
            runbook("Analyze"));

    private static final List<Runbook> WITH_DSN = plus(TAKING_DSN, runbook("lab.cli.MaintainCommand", "retention"));

    /** Every runbook, as it runs on a topology's nodes. */
    private static final List<Runbook> ON_TOPOLOGY = plus(TAKING_DSN, runbook("lab.cli.BenchCommand", "--runs", "1", "--warmup", "0"),
            runbook("Servers", "status"), runbook("lab.cli.CitusCommand", "status"));

    private static List<Runbook> plus(List<Runbook> runbooks, Runbook... more) {
        List<Runbook> all = new ArrayList<>(runbooks);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    record Outcome(int code, String out, String err, String systemStreams) {
        String all() {
            return out + err + systemStreams;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err + "--- System.out/err\n" + systemStreams;
        }
    }

    /** Runs in this JVM with stack traces on (LAB_DEBUG), capturing the command's streams and System.out/err too. */
    private static Outcome run(Runbook runbook, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream system = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream capture = new PrintStream(system, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        System.setProperty("lab.debug", "1");
        int code;
        try {
            code = Cli.run(runbook.command().get(), new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        } finally {
            System.clearProperty("lab.debug");
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Outcome(code, out.toString(), err.toString(), system.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoMarker(Outcome o, String what) {
        assertFalse(o.all().contains(MARKER), () -> what + " printed the password:\n" + o);
    }

    @Test
    void noMalformedOrUnreachableDsnIsPrintedWithItsPassword() {
        for (Runbook runbook : WITH_DSN) {
            for (String dsn : badDsns()) {
                Outcome o = run(runbook, runbook.with("--dsn", dsn));
                String what = runbook.name() + " --dsn " + dsn;
                assertNotEquals(0, o.code(), () -> what + " succeeded:\n" + o);
                assertTrue(o.err().startsWith("error: "), () -> what + ":\n" + o);
                assertNoMarker(o, what);
            }
        }
    }

    @Test
    void noLabDsnSettingIsPrintedWithItsPassword() {
        try {
            System.setProperty("lab.topology", "dsn");
            for (String dsn : badDsns()) {
                clearDsnSettings();
                for (String node : NODES_USED) System.setProperty("lab.dsn." + node, dsn);
                for (Runbook runbook : ON_TOPOLOGY) {
                    Outcome o = run(runbook, runbook.args());
                    String what = runbook.name() + " with every LAB_DSN_<NODE>=" + dsn;
                    if (!runbook.name().startsWith("Servers")) {
                        assertNotEquals(0, o.code(), () -> what + " succeeded:\n" + o);
                        assertTrue(o.err().startsWith("error: "), () -> what + ":\n" + o);
                    }
                    assertNoMarker(o, what);
                }
            }
        } finally {
            System.clearProperty("lab.topology");
            clearDsnSettings();
        }
    }

    @Test
    void noUnknownOptionOrArgumentIsEchoedWithItsPassword() {
        List<Runbook> all = plus(ON_TOPOLOGY, runbook("lab.cli.MaintainCommand"), runbook("lab.cli.CitusCommand"));
        String dsn = "postgresql://app:S3cretMarker@localhost:5432/app";
        for (Runbook runbook : all) {
            for (List<String> extra : List.of(List.of("--no-such-option=" + dsn), List.of("--no-such-option", dsn),
                    List.of(dsn), List.of("--format=" + dsn), List.of("--dsn=" + dsn, "--dsn=" + dsn))) {
                Outcome o = run(runbook, runbook.with(extra.toArray(String[]::new)));
                String what = runbook.name() + " " + String.join(" ", extra);
                assertEquals(2, o.code(), () -> what + ":\n" + o);
                assertEquals(1, o.err().lines().count(), () -> what + ": one line\n" + o);
                assertNoMarker(o, what);
            }
        }
    }

    /** The messages still say what is wrong, and show the string with the password masked. */
    @Test
    void theMessagesShowTheDsnMasked() {
        Runbook health = runbook("lab.cli.MaintainCommand", "health");
        assertEquals("error: --dsn names no database: 'postgresql://app:***@localhost:5432'",
                run(health, health.with("--dsn", "postgresql://app:S3cretMarker@localhost:5432")).err().strip());
        assertEquals("error: --dsn is not a valid connection URL (Illegal character in authority; the password holds a "
                        + "character a URL cannot: percent-encode it, e.g. a space as %20): 'postgresql://app:***@localhost:5432/app'",
                run(health, health.with("--dsn", "postgresql://app:S3cret Marker@localhost:5432/app")).err().strip());
        assertEquals("error: --dsn has no host (an @ in the password must be percent-encoded as %40): "
                        + "'postgresql://app:***@localhost:5432/app'",
                run(health, health.with("--dsn", "postgresql://app:S3cret@Marker@localhost:5432/app")).err().strip());
        assertTrue(run(health, health.with("--dsn", "postgresql://localhost:1/app?user=app&password=S3cretMarker")).err()
                .startsWith("error: cannot connect to postgresql://localhost:1/app?user=app&password=***: "));
        try {
            System.setProperty("lab.topology", "dsn");
            System.setProperty("lab.dsn.partitioned", "postgresql://app:S3cretMarker@localhost:5432");
            Runbook load = runbook("Load");
            assertEquals("error: LAB_DSN_PARTITIONED names no database: 'postgresql://app:***@localhost:5432'",
                    run(load, load.args()).err().strip());
        } finally {
            System.clearProperty("lab.topology");
            clearDsnSettings();
        }
    }

    @Test
    void maskCoversUrlsParametersAndSqlOptions() {
        Map<String, String> cases = Map.of(
                "postgresql://app:pw@h:5432/db", "postgresql://app:***@h:5432/db",
                "postgres://:pw@h/db", "postgres://:***@h/db",
                "'postgresql://app:p w@h/db' and postgresql://b:x@h2/db", "'postgresql://app:***@h/db' and postgresql://b:***@h2/db",
                "postgresql://app:p@s/s@h/db", "postgresql://app:***@h/db",
                "jdbc:postgresql://h/db?user=app&password=pw&ssl=true", "jdbc:postgresql://h/db?user=app&password=***&ssl=true",
                "host=h PGPASSWORD=pw user=app", "host=h PGPASSWORD=*** user=app",
                "OPTIONS (user 'app', password 'p''w')", "OPTIONS (user 'app', password '***')",
                "cannot connect to postgresql://app@h:1/db: password authentication failed for user \"app\"",
                "cannot connect to postgresql://app@h:1/db: password authentication failed for user \"app\"");
        cases.forEach((text, masked) -> assertEquals(masked, Dsn.mask(text), text));
        assertEquals(Dsn.mask("postgresql://app:pw@h/db"), Dsn.mask(Dsn.mask("postgresql://app:pw@h/db")), "masking twice changes nothing");
    }

    /** What the libraries log goes through System.err, which a runbook's JVM masks line by line (Cli.exit). */
    @Test
    void theRunbooksStandardErrorMasksLogLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream masked = new Logs.MaskingStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        masked.println("WARN lab-plain - cannot reach postgresql://app:S3cretMarker@localhost:1/app");
        masked.print("progress postgresql://app:S3cretMarker@h/db\r");
        new IllegalStateException("in postgresql://app:S3cretMarker@h/db").printStackTrace(masked);
        masked.flush();
        String written = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(written.contains("postgresql://app:***@localhost:1/app"), written);
        assertFalse(written.contains(MARKER), written);
    }

    /** The real thing: a runbook in its own JVM, an unknown option holding a DSN (Bench) and a malformed --dsn. */
    @Test
    void aRunbooksOwnJvmPrintsNoPassword() {
        var bench = RunbookProcess.run("Bench", "--dsn", "postgresql://app:S3cretMarker@localhost:5432/app");
        assertEquals(2, bench.exitCode(), bench::toString);
        assertFalse(bench.toString().contains(MARKER), bench::toString);
        var generate = RunbookProcess.run("Generate", "--dsn", "postgresql://app:S3cret Marker@localhost:5432/app");
        assertEquals(2, generate.exitCode(), generate::toString);
        assertEquals(1, generate.errLines().size(), generate::toString);
        assertFalse(generate.toString().contains(MARKER), generate::toString);
    }

    private static void clearDsnSettings() {
        for (String node : NODES_USED) System.clearProperty("lab.dsn." + node);
    }
}
