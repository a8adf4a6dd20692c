package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import lab.cli.Cli;
import lab.cli.MaintainCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 9: what runbooks print with {@code --format json} is one JSON document (each table under its name, the
 * notes and the verdict as fields) that a JSON parser reads whole, and {@code --format markdown} gives each table a
 * title and a blank line. Runbooks run in this JVM, on the tests' embedded servers.
 */
class OutputFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void managedTables() {
        ManagedTables.createAndConfigure(db);
        ManagedTables.seed(db, YearMonth.parse("2025-01"), YearMonth.parse("2025-09"), 20);
    }

    record Outcome(int code, String out, String err) {}

    private static Outcome run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(command, new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static Object runbook(String className) throws ReflectiveOperationException {
        return Class.forName(className).getDeclaredConstructor().newInstance();
    }

    /** The one document: the parser reads it whole (a second document after it is an error). */
    private static JsonNode document(Outcome o) throws Exception {
        JsonNode doc;
        try (var parser = JSON.createParser(o.out())) {
            doc = JSON.readTree(parser);
            assertEquals(null, parser.nextToken(), () -> "nothing after the one document:\n" + o);
        }
        assertTrue(doc.isObject(), o::toString);
        assertTrue(doc.get("notes").isArray(), () -> "notes is a field:\n" + o);
        return doc;
    }

    private static List<String> tableNames(JsonNode doc) {
        List<String> names = new ArrayList<>();
        doc.fields().forEachRemaining(f -> {
            if (f.getValue().isArray() && !List.of("notes", "errors").contains(f.getKey())) names.add(f.getKey());
        });
        return names;
    }

    @Test
    void maintainHealthIsOneDocumentWithItsTable() throws Exception {
        Outcome o = run(new MaintainCommand(), "health", "--today", "2025-07-15", "--format", "json");
        JsonNode doc = document(o);
        assertEquals(List.of("partition health as of 2025-07-15"), tableNames(doc), o::toString);
        JsonNode rows = doc.get("partition health as of 2025-07-15");
        assertEquals(ManagedTables.TABLES.size(), rows.size(), o::toString);
        assertTrue(rows.get(0).has("parent_table") && rows.get(0).get("parent_table").isTextual(), o::toString);
    }

    @Test
    void maintainsDryRunsCarryTheirNotesInTheDocument() throws Exception {
        // retention as of a later day: partitions past it, listed only
        Outcome retention = run(new MaintainCommand(), "retention", "--today", "2027-06-15", "--format", "json");
        assertEquals(0, retention.code(), retention::toString);
        JsonNode doc = document(retention);
        assertEquals(1, tableNames(doc).size(), retention::toString);
        assertTrue(doc.get(tableNames(doc).get(0)).size() > 0, retention::toString);
        assertTrue(doc.get("notes").toString().contains("dry run: nothing changed"), retention::toString);

        // the daily run prints its report and the health table, two tables and its notes in one document
        Outcome daily = run(new MaintainCommand(), "run", "--today", "2025-07-15", "--no-progress", "--format", "json");
        JsonNode both = document(daily);
        assertTrue(tableNames(both).contains("partition health as of 2025-07-15"), daily::toString);
        assertEquals(2, tableNames(both).size(), daily::toString);
    }

    @Test
    void aRepartitionPlanIsOneDocument() throws Exception {
        // the scenarios start from the lessons' layout, whatever the tests before left
        Migration.RANGE.createBase(db, 2_000, Migration.DEFAULT_SEED);
        Migration.RANGE.migrate(db);
        Migration.HASH.createBase(db, 500, Migration.DEFAULT_SEED);
        Migration.HASH.migrate(db);
        Outcome o = run(runbook("Repartition"), "add", "--dry-run", "--format", "json");
        assertEquals(0, o.code(), o::toString);
        JsonNode doc = document(o);
        assertFalse(tableNames(doc).isEmpty(), o::toString);
        assertTrue(doc.get("notes").toString().contains("dry run"), o::toString);
    }

    @Test
    void serversStatusIsOneDocumentWithANodeARow() throws Exception {
        Outcome o = run(runbook("Servers"), "status", "--topology", "embedded", "--format", "json");
        assertEquals(0, o.code(), o::toString);
        JsonNode doc = document(o);
        assertEquals(List.of("nodes (embedded)"), tableNames(doc), o::toString);
        assertEquals(Topology.NODES.size(), doc.get("nodes (embedded)").size());
        assertEquals("plain", doc.get("nodes (embedded)").get(0).get("node").asText());
    }

    /** Markdown: "## title", a blank line, the header row, the separator row, the rows; a blank line between blocks. */
    @Test
    void markdownGivesEachTableATitleAndABlankLine() throws Exception {
        for (Outcome o : List.of(run(new MaintainCommand(), "run", "--today", "2025-07-15", "--no-progress", "--format", "markdown"),
                run(runbook("Servers"), "status", "--topology", "embedded", "--format", "markdown"))) {
            List<String> lines = o.out().lines().toList();
            int titles = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("## ")) continue;
                titles++;
                int at = i;
                assertTrue(at == 0 || lines.get(at - 1).isEmpty(), () -> "a blank line before the title at " + at + ":\n" + o.out());
                assertEquals("", lines.get(at + 1), () -> "a blank line after the title:\n" + o.out());
                assertTrue(lines.get(at + 2).startsWith("| ") && lines.get(at + 2).endsWith(" |"), () -> "the header row:\n" + o.out());
                assertTrue(lines.get(at + 3).matches("\\|( -{3}:? \\|)+"), () -> "the separator row:\n" + o.out());
                assertEquals(lines.get(at + 2).split(" \\| ", -1).length, lines.get(at + 3).split(" \\| ", -1).length,
                        "as many separators as columns");
            }
            assertTrue(titles >= 1, o.out());
            assertEquals(lines.stream().filter(l -> l.startsWith("| ---") || l.startsWith("| ---:")).count(), titles,
                    () -> "every table has its title:\n" + o.out());
        }
    }
}
