package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lab.cli.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jbang scripts/Analyze.java on the advisor's cases (database advisor): its three formats, --output, and bad input
 * (an unreachable --dsn, an unknown database, schema or table, a malformed option): exit 2, one line, no password,
 * nothing changed.
 */
class AnalyzeRunbookTest {
    private static Node db;

    @BeforeAll
    static void cases() {
        db = AdvisorCases.create(Lab.connect("embedded"), Scale.ci);
    }

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Run analyze(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Object command;
        try {
            command = Class.forName("Analyze").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no runbook Analyze", e);
        }
        int exit = Cli.run(command, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpSaysWhatItReadsAndGivesExamples() {
        var run = RunbookProcess.run("Analyze", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        String help = run.out().replaceAll("\\s+", " ");
        for (String expected : List.of("--schema", "--table", "--database", "--min-rows", "--output", "--format", "--dsn", "--node",
                "READ ONLY", "pg_stat_statements", "Examples:", "Exit: 0")) {
            assertTrue(help.contains(expected), expected + " in\n" + run);
        }
    }

    @Test
    void textJsonAndMarkdown() {
        var text = analyze("--database", "advisor", "--min-rows", "5000");
        assertEquals(0, text.exit(), text::toString);
        assertTrue(text.out().contains("advisor_verdicts") && text.out().contains("range by month on recorded_at")
                && text.out().contains("too small: ~1,000 estimated rows"), text::toString);

        var json = analyze("--database", "advisor", "--min-rows", "5000", "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        var recommendations = Tables.fromJson(json.out(), "advisor_recommendations");
        assertTrue(recommendations.stringColumn("layout").asList().contains("range by month on recorded_at"), json::toString);
        assertTrue(json.out().contains("\"notes\""), json::toString);

        var markdown = analyze("--database", "advisor", "--schema", "audit", "--min-rows", "5000", "--format", "markdown");
        assertEquals(0, markdown.exit(), markdown::toString);
        assertTrue(markdown.out().contains("## advisor_metrics") && markdown.out().contains("audit.audit_logs")
                && !markdown.out().contains("app.readings"), markdown::toString);
    }

    @Test
    void outputWritesTheReportToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("advice.md");
        var run = analyze("--database", "advisor", "--table", "app.readings", "--min-rows", "5000", "--format", "markdown", "--output", file.toString());
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.out(), "nothing on stdout");
        String written = Files.readString(file);
        assertTrue(written.contains("## advisor_recommendations") && written.contains("range by month on recorded_at"), written);
        assertTrue(run.err().contains("report written to " + file), run::toString);
    }

    @Test
    void badInputIsOneLineExitTwoAndChangesNothing(@TempDir Path dir) {
        List<String> before = DatabaseSnapshot.of(db);
        String[][] bad = {
            {"--dsn", "postgresql://app:S3cretMarker@localhost:1/advisor"},
            {"--database", "advisor", "--schema", "no_such_schema"},
            {"--database", "advisor", "--table", "app.no_such_table"},
            {"--database", "advisor", "--table", "no_such_table"},
            {"--database", "no_such_database"},
            {"--database", "advisor; DROP TABLE app.readings"},
            {"--database", "advisor", "--min-rows", "many"},
            {"--database", "advisor", "--min-rows", "-1"},
            {"--database", "advisor", "--format", "yaml"},
            {"--database", "advisor", "--output", dir.resolve("no/such/dir/advice.txt").toString()},
            {"--database", "advisor", "--schema", "app", "--table", "audit.audit_logs"},
        };
        for (String[] args : bad) {
            var run = analyze(args);
            assertEquals(2, run.exit(), () -> String.join(" ", args) + "\n" + run);
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1, () -> String.join(" ", args) + "\n" + run);
            assertFalse(run.err().contains("S3cret") || run.out().contains("S3cret"), run::toString);
            assertEquals("", run.out(), run::toString);
        }
        assertTrue(analyze(bad[0]).err().contains("Connection refused") || analyze(bad[0]).err().contains("cannot connect"), "the driver's reason");
        assertEquals(before, DatabaseSnapshot.of(db));
        assertEquals(AdvisorCases.Sizes.of(Scale.ci).readings() + 3, db.count("app.readings"), "the workload's 3 readings, no more");
    }

    @Test
    void planWritesEachCandidatesFolderAndApplyIsADryRunWithoutConfirm(@TempDir Path dir) throws Exception {
        var run = analyze("--database", "advisor", "--min-rows", "5000", "--table", "app.readings", "--plan", dir.toString());
        assertEquals(0, run.exit(), run::toString);
        Path folder = dir.resolve("app.readings");
        for (String file : List.of("plan.json", "migrate.sql", "rollback.sql", "verify.sql")) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file + "\n" + run);
        }
        assertTrue(run.out().contains("plan written: " + folder), run::toString);

        List<String> before = DatabaseSnapshot.of(db);
        var dry = analyze("apply", folder.toString(), "--database", "advisor", "--no-progress");
        assertEquals(0, dry.exit(), dry::toString);
        assertTrue(dry.out().contains("dry run: nothing changed") && dry.out().contains("ACCESS EXCLUSIVE"), dry::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "a dry run changes nothing");

        var neverApplied = analyze("rollback", folder.toString(), "--database", "advisor", "--confirm");
        assertEquals(2, neverApplied.exit(), neverApplied::toString);
        assertTrue(neverApplied.err().startsWith("error: ") && neverApplied.err().strip().lines().count() == 1, neverApplied::toString);
        var notAPlan = analyze("apply", dir.toString(), "--database", "advisor");
        assertEquals(2, notAPlan.exit(), notAPlan::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "refusals change nothing");
    }

    @Test
    void planWritesAFolderForEveryCandidateAndSaysWhyWhenItCannot(@TempDir Path dir) throws Exception {
        var run = analyze("--database", "advisor", "--min-rows", "5000", "--plan", dir.toString());
        assertEquals(0, run.exit(), run::toString);
        for (String table : List.of("app.readings", "app.tenant_documents", "audit.audit_logs", "audit.object_history", "audit.chat_messages")) {
            assertTrue(Files.isRegularFile(dir.resolve(table).resolve("migrate.sql")), table + "\n" + run);
        }
        assertFalse(run.out().contains("no plan for"), run::toString);
        assertFalse(Files.exists(dir.resolve("app.orders")), "a table foreign keys point at gets no plan");

        db.run("12-advisor/05_audit_tables.sql", java.util.Map.of("lab.audit_logs_rows", "10"));
        db.query("ALTER TABLE audit.audit_logs ALTER COLUMN id DROP DEFAULT");
        db.query("ALTER TABLE audit.audit_logs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY");
        try {
            var identity = analyze("--database", "advisor", "--min-rows", "5", "--schema", "audit", "--plan", dir.resolve("again").toString());
            assertEquals(0, identity.exit(), identity::toString);
            assertTrue(identity.out().contains("no plan for audit.audit_logs: audit.audit_logs has an identity column"), identity::toString);
            assertTrue(identity.out().replaceAll("\\s+", " ").contains("an identity column, id: the generated online migration needs"), "the verdict says so too\n" + identity);
            assertTrue(Files.isRegularFile(dir.resolve("again").resolve("audit.object_history").resolve("migrate.sql")), "the others get theirs");
        } finally {
            AdvisorCases.create(Lab.connect("embedded"), Scale.ci);
        }
    }

    @Test
    void measureRunsOnTheScratchServerOnly() {
        List<String> before = DatabaseSnapshot.of(db);
        var run = analyze("--database", "advisor", "--min-rows", "5000", "--table", "app.readings", "--measure", "--sample-rows", "2000",
                "--runs", "2", "--no-progress", "--format", "json");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("measured on a sample of 2,000 rows") && run.out().contains("DELETE + VACUUM"), run::toString);
        assertTrue(run.out().contains("ratios at full size may differ"), run::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "--measure writes only to the scratch server");

        var orphan = analyze("--database", "advisor", "--sample-rows", "10");
        assertEquals(2, orphan.exit(), orphan::toString);
    }
}
