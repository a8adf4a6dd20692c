package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import lab.Claim;
import lab.Render;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay itself, on the small notebooks in tests/fixtures/notebooks (no servers, no packaged jars needed). */
class NotebookReplayTest {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();
    private static final Path FIXTURES = PROJECT.resolve("tests/fixtures/notebooks");

    private static NotebookRunner.Run run(String fixture) {
        return NotebookRunner.run(FIXTURES.resolve(fixture + ".ipynb"));
    }

    private static NotebookFailure failureOf(String fixture) {
        NotebookRunner.Run run = run(fixture);
        assertFalse(run.passed(), fixture + " should fail");
        return assertThrows(NotebookFailure.class, run::orThrow);
    }

    private static JsonNode outputs(NotebookRunner.Run run, int codeCell) {
        return run.executed().codeCells().get(codeCell - 1).outputs();
    }

    @Test
    void aLessonWhoseServerIsMissingIsSkippedWithTheReason() {
        NotebookRunner.Run run = run("unavailable");
        assertTrue(run.passed(), "a missing server is not the lesson's fault");
        assertEquals("no Citus here: set LAB_PG_BIN", run.skipped().orElseThrow());
        assertTrue(run.verdict().startsWith("SKIP unavailable  no Citus here: set LAB_PG_BIN  ("), run.verdict());
        assertEquals("the lesson starts\n", outputs(run, 1).get(0).get("text").asText());
        assertTrue(outputs(run, 3).isEmpty(), "the cells after the skip are not run");
    }

    /**
     * Render.table in every way a cell shows a value: display, display with a type, updateDisplay, render, a last
     * expression, render with a type. Each output carries the HTML and, as text/plain, the aligned text table, not markup.
     */
    @Test
    void aTableShowsAsHtmlAndAsAlignedText() {
        NotebookRunner.Run run = run("tables").orThrow();
        tech.tablesaw.api.Table table = tech.tablesaw.api.Table.create("numbers", tech.tablesaw.api.IntColumn.create("n", 1, 2, 3),
                tech.tablesaw.api.StringColumn.create("word", "one", "two", "three"));
        String[][] expected = {
            {"display_data", Render.html(table), Render.text(table)},
            {"display_data", Render.html(table.first(1)), Render.text(table.first(1))}, // updateDisplay from cell 3
            {"execute_result", Render.html(table), Render.text(table)},
            {"execute_result", Render.html(table), Render.text(table)},
            {"execute_result", Render.html(table), Render.text(table)},
        };
        int[] cells = {1, 2, 4, 5, 6};
        for (int i = 0; i < cells.length; i++) {
            JsonNode output = outputs(run, cells[i]).get(0);
            String where = "code cell " + cells[i] + ": " + output;
            assertEquals(expected[i][0], output.get("output_type").asText(), where);
            assertEquals(expected[i][1], output.at("/data/text~1html").asText(), where);
            assertEquals(expected[i][2], output.at("/data/text~1plain").asText(), where);
            assertFalse(output.at("/data/text~1plain").asText().contains("<"), where);
        }
        assertTrue(Render.text(table).contains("\n n  |  word   |\n---------------\n 1  |    one  |\n"), "aligned columns:\n" + Render.text(table));
        assertTrue(outputs(run, 3).isEmpty(), "updateDisplay adds no output of its own");
    }

    @Test
    void aGoodNotebookPassesAndRecordsItsOutputs() {
        NotebookRunner.Run run = run("good").orThrow();
        assertEquals(12, run.codeCells());
        assertEquals(1, run.claims());
        assertTrue(run.verdict().startsWith("PASS good  12 cells, 1 claims checked, "), run.verdict());

        JsonNode first = outputs(run, 1);
        assertEquals(4, first.size(), first.toString());
        assertEquals("stdout", first.get(0).get("name").asText());
        assertEquals("hello from the replay\n", first.get(0).get("text").asText());
        assertEquals("stderr", first.get(1).get("name").asText());
        assertEquals("display_data", first.get(2).get("output_type").asText());
        assertEquals("<b>bold</b>", first.get(2).at("/data/text~1html").asText());
        assertEquals("<b>bold</b>", first.get(2).at("/data/text~1plain").asText());
        assertEquals("execute_result", first.get(3).get("output_type").asText());
        assertEquals("42", first.get(3).at("/data/text~1plain").asText());
        assertEquals(1, first.get(3).get("execution_count").asInt());

        // updateDisplay in cell 3 rewrote the display cell 2 made; the assignment leaves no result
        assertEquals(1, outputs(run, 2).size());
        assertEquals("<i>second</i>", outputs(run, 2).get(0).at("/data/text~1html").asText());
        assertEquals(0, outputs(run, 3).size());

        // the empty cell is not run, so the next one has execution count 4, as under nbclient
        assertTrue(outputs(run, 4).isEmpty());
        assertEquals(4, outputs(run, 5).get(0).get("execution_count").asInt());
        assertTrue(outputs(run, 5).get(0).at("/data/image~1png").asText().startsWith("iVBOR"), "a BufferedImage is a PNG");
        assertEquals("<p>rendered</p>", outputs(run, 6).get(0).at("/data/text~1html").asText());

        JsonNode raised = outputs(run, 7).get(0);
        assertEquals("error", raised.get("output_type").asText());
        assertEquals("EvalException", raised.get("ename").asText());
        assertEquals("42", outputs(run, 9).get(0).at("/data/text~1plain").asText(), "%load ran helper.jsh from the notebook's folder");
        assertEquals("a=5", outputs(run, 10).get(0).at("/data/text~1plain").asText(), "a '%' inside a string is no magic");
        assertTrue(outputs(run, 12).isEmpty(), "a cell tagged skip-execution is not run");
    }

    @Test
    void theExecutedNotebookIsWrittenAsJupyterWritesIt() throws IOException {
        NotebookRunner.Run run = run("good");
        String json = run.executed().toJson();
        assertTrue(json.startsWith("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n"), json.substring(0, 80));
        assertTrue(json.endsWith("\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"));
        assertTrue(json.contains("\"execution_count\": 1,"));
        assertTrue(json.contains("\"language_info\": {"));
        // sources and metadata stay as they were: only outputs and execution counts differ
        String original = Files.readString(FIXTURES.resolve("good.ipynb"));
        NotebookFile reread = NotebookFile.read(FIXTURES.resolve("good.ipynb"));
        for (int i = 0; i < reread.cells().size(); i++) {
            assertEquals(reread.cells().get(i).source(), run.executed().cells().get(i).source());
        }
        assertEquals(original, reread.toJson(), "a notebook written by nbformat is read and written back byte for byte");
        assertEquals(json, run("good").executed().toJson(), "two runs give the same executed notebook");
    }

    @Test
    void everyLessonIsWrittenBackByteForByte() throws IOException {
        for (Path lesson : NotebookReplayIT.lessons(PROJECT.resolve("notebooks"))) {
            assertEquals(Files.readString(lesson), NotebookFile.read(lesson).toJson(),
                    lesson.getFileName() + ": regenerating the outputs would also change what is not an output");
        }
    }

    @Test
    void classpathAndJarsGlobsResolveAgainstTheNotebooksFolder(@TempDir Path folder) throws IOException {
        Files.copy(FIXTURES.resolve("classpath.ipynb"), folder.resolve("classpath.ipynb"));
        Path greeting = compile(folder.resolve("src-greeting"), "Greeting", "hello", "hello from a jar");
        jar(greeting, folder.resolve("lib/greeting.jar"));
        compile(folder.resolve("build/classes"), "Farewell", "bye", "bye from a folder");

        NotebookRunner.Run run = NotebookRunner.run(folder.resolve("classpath.ipynb")).orThrow();
        assertEquals("hello from a jar", outputs(run, 1).get(0).at("/data/text~1plain").asText());
        assertEquals("bye from a folder", outputs(run, 2).get(0).at("/data/text~1plain").asText());
    }

    @Test
    void mavenOfADependencyTheBuildHasPasses() {
        NotebookRunner.Run run = run("maven").orThrow();
        assertEquals("{\"a\":1}", outputs(run, 1).get(0).at("/data/text~1plain").asText());
    }

    @Test
    void mavenOfAnythingElseFailsNamingTheCoordinate() {
        NotebookFailure failure = failureOf("maven-unknown");
        assertTrue(failure.getMessage().contains("%maven com.example:not-in-the-build:1.0"), failure.getMessage());
        assertTrue(failure.getMessage().contains("com.example:not-in-the-build is not among the build's dependencies"), failure.getMessage());
    }

    @Test
    void aCellThatDoesNotCompileFailsWithNotebookCellSourceAndDiagnostic() {
        NotebookFailure failure = failureOf("broken-compile");
        String message = failure.getMessage();
        assertEquals(2, failure.codeCell());
        assertEquals(3, failure.cellNumber());
        assertTrue(message.startsWith("broken-compile.ipynb, code cell 2 (cell 3 of the notebook): does not compile (line 2)"), message);
        assertTrue(message.contains("2 | int broken = \"not a number\";"), message);
        assertTrue(message.contains("incompatible types: java.lang.String cannot be converted to int"), message);
        assertTrue(message.contains("^"), "the diagnostic's span is marked: " + message);
        assertEquals("cell 2: does not compile (line 2): incompatible types: java.lang.String cannot be converted to int",
                failure.oneLine());
        NotebookRunner.Run run = run("broken-compile");
        assertTrue(run.verdict().startsWith("FAIL broken-compile  cell 2: does not compile"), run.verdict());
        assertTrue(run.executed().codeCells().get(2).outputs().isEmpty(), "the cells after the failure did not run");
    }

    @Test
    void aThrowingCellFailsWithTheExceptionAndItsStack() {
        NotebookFailure failure = failureOf("throwing");
        String message = failure.getMessage();
        assertEquals(2, failure.codeCell());
        assertTrue(message.startsWith("throwing.ipynb, code cell 2 (cell 2 of the notebook): java.lang.IllegalStateException: the server did not answer"), message);
        assertTrue(message.contains("3 | connect();"), message);
        assertTrue(message.contains("java.lang.IllegalStateException: the server did not answer"), message);
        assertTrue(message.matches("(?s).*at \\.connect\\(#\\d+:2\\) in code cell 1, line 2\n.*at \\.\\(#\\d+:1\\) in code cell 2, line 3.*"),
                "snippet frames as JShell shows them, with the cell they come from: " + message);
        assertFalse(message.contains("NotebookShell"), "the replay's own frames are cut: " + message);
        assertTrue(failure.thrown().orElseThrow() instanceof IllegalStateException);
    }

    @Test
    void aFalseClaimFailsTheNotebook() {
        NotebookFailure failure = failureOf("false-claim");
        assertTrue(failure.thrown().orElseThrow() instanceof Claim.ClaimFailed);
        assertTrue(failure.getMessage().startsWith("false-claim.ipynb, code cell 1 (cell 1 of the notebook): lab.Claim$ClaimFailed: "
                + "\u2718 claim does not hold: June prunes to one partition"), failure.getMessage());
        assertTrue(failure.getMessage().contains("lab.Claim.that(Claim.java:"), failure.getMessage());
    }

    @Test
    void aCellTaggedRaisesExceptionMustRaise() {
        NotebookFailure failure = failureOf("raises-but-passes");
        assertEquals("cell 1: is tagged raises-exception but ran without an error", failure.oneLine());
    }

    @Test
    void outputContainsFailsNamingTheMissingText() {
        NotebookFailure failure = failureOf("expect-missing");
        assertTrue(failure.oneLine().contains("\"the text that is not printed\""), failure.oneLine());
        assertTrue(failure.getMessage().contains("something else"), "the outputs are shown: " + failure.getMessage());
    }

    @Test
    void magicLinesBecomeCallsInPlaceAsInIJava() {
        assertEquals("int a = 1;\nlineMagic(new String(Base64.getDecoder().decode(\"Y2xhc3NwYXRo\")),List.of(new String(Base64.getDecoder()"
                        + ".decode(\"bGliLyouamFy\"))));{};\na",
                NotebookMagics.transform("int a = 1;\n%classpath lib/*.jar\na"));
        assertEquals("String f = \"x=%d\";", NotebookMagics.transform("String f = \"x=%d\";"));
        assertEquals(List.of("a b", "c"), NotebookMagics.split(" \"a b\"  c "));
    }

    /** Compiles {@code fixture.<name>} with one static method returning the text; returns the classes folder. */
    private static Path compile(Path classes, String name, String method, String text) throws IOException {
        Path source = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src")).resolve(name + ".java");
        Files.writeString(source, "package fixture; public class " + name + " { public static String " + method + "() { return \"" + text + "\"; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), source.toString()));
        return classes;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
