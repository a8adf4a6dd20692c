package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The lessons under a real Jupyter with a Java kernel named {@code java} (IJava 1.3 or JJava):
 * {@code jupyter nbconvert --to notebook --execute}, unchanged notebooks, LAB_HOME the build's and LAB_SCALE ci; each
 * table a lesson shows has text/html and an aligned text/plain under the kernel. Also checks that the replay and the
 * kernel give the same outputs for tests/fixtures/notebooks/parity.ipynb. Where {@code jupyter}, nbconvert or a kernel
 * named {@code java} is missing, the tests are skipped with one line saying which.
 */
class JupyterExecuteIT {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();
    private static final Path OUTPUT = PROJECT.resolve("target/nbconvert");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 1800;
    private static final Pattern SHOWN_TABLE = Pattern.compile("\\b(display|render)\\(Render\\.table\\(");

    @TestFactory
    Stream<DynamicTest> everyLessonRunsUnderJupyter() throws IOException {
        String jupyter = jupyterWithJavaKernel();
        // -Djupyter.lessons=01,04: only those lessons (name prefixes); a whole run takes about 13 minutes on 2 cores
        List<String> only = Stream.of(System.getProperty("jupyter.lessons", "").split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
        List<Path> lessons = NotebookReplayIT.lessons(PROJECT.resolve("notebooks")).stream()
                .filter(l -> only.isEmpty() || only.stream().anyMatch(l.getFileName().toString()::startsWith)).toList();
        Assumptions.assumeFalse(lessons.isEmpty(), "notebooks/ holds no *.ipynb to run" + (only.isEmpty() ? "" : " named " + only));
        return lessons.stream().map(lesson -> dynamicTest(lesson.getFileName().toString(), lesson.toUri(), () -> {
            NotebookFile executed = NotebookFile.read(execute(jupyter, lesson));
            List<String> problems = new ArrayList<>();
            tablesShowBothFaces(executed, problems);
            NotebookRulesTest.aTablesTextPlainIsNotHtmlRule(executed, problems);
            assertEquals("", String.join("\n", problems), "tables under the kernel");
        }));
    }

    /**
     * Each cell that shows a table with {@code display(Render.table(t))} or {@code render(Render.table(t))} has an
     * output with text/html and a text/plain that is not markup: what the view gives when the kernel finds it a
     * {@code DisplayDataRenderable} of its own. Had the view missed the kernel's interface, the kernel would show its
     * text alone.
     */
    static void tablesShowBothFaces(NotebookFile executed, List<String> problems) {
        for (NotebookFile.Cell cell : executed.codeCells()) {
            if (!SHOWN_TABLE.matcher(cell.source()).find()) continue;
            boolean both = false;
            for (JsonNode output : cell.outputs()) {
                JsonNode data = output.path("data");
                both |= data.has("text/html") && data.has("text/plain") && !NotebookFile.joinLines(data.get("text/plain")).strip().startsWith("<");
            }
            if (!both) problems.add(executed.name() + ", cell " + cell.number() + ": no output with text/html and an aligned text/plain");
        }
    }

    @Test
    void theReplayShowsWhatTheKernelShows() throws Exception {
        String jupyter = jupyterWithJavaKernel();
        Path fixture = PROJECT.resolve("tests/fixtures/notebooks/parity.ipynb");
        JsonNode replayed = JSON.readTree(NotebookRunner.run(fixture).orThrow().executed().toJson());
        JsonNode executed = JSON.readTree(execute(jupyter, fixture).toFile());

        List<JsonNode> replayCells = codeCells(replayed);
        List<JsonNode> kernelCells = codeCells(executed);
        assertEquals(kernelCells.size(), replayCells.size());
        for (int i = 0; i < kernelCells.size(); i++) {
            assertEquals(comparable(kernelCells.get(i)), comparable(replayCells.get(i)), "code cell " + (i + 1) + " of parity.ipynb");
        }
    }

    /** Runs the notebook through nbconvert and returns the executed copy; fails with nbconvert's report. */
    private static Path execute(String jupyter, Path notebook) throws IOException, InterruptedException {
        Files.createDirectories(OUTPUT);
        Path log = Files.createTempFile(OUTPUT, notebook.getFileName().toString(), ".log");
        ProcessBuilder nbconvert = new ProcessBuilder(jupyter, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=" + TIMEOUT_SECONDS, "--output-dir", OUTPUT.toString(), notebook.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = nbconvert.environment();
        env.put("LAB_HOME", System.getProperty("lab.home", PROJECT.resolve("target/lab-home").toString()));
        env.put("LAB_SCALE", "ci");
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1"); // Debian's python warns about frozen modules otherwise
        Process process = nbconvert.start();
        if (!process.waitFor(TIMEOUT_SECONDS + 120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("jupyter nbconvert did not finish " + notebook.getFileName() + " within " + (TIMEOUT_SECONDS + 120) + " s");
        }
        String report = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
        if (process.exitValue() != 0) {
            // A lesson whose server does not exist here (no Citus) stops with ServerUnavailable, which IJava reports as an
            // EvalException with the message alone. The replay sees the exception's class: if it skips the lesson for the
            // reason the kernel printed, the lesson is skipped here too.
            Optional<String> skipped = NotebookRunner.run(notebook).skipped();
            if (skipped.isPresent() && report.contains(skipped.get())) {
                Assumptions.abort(notebook.getFileName() + " skipped: " + skipped.get());
            }
            // nbclient's CellExecutionError names the cell and carries the kernel's traceback; the rest is Python's stack
            int cellError = report.indexOf("CellExecutionError:");
            fail("jupyter nbconvert --execute failed on " + notebook.getFileName() + " (exit " + process.exitValue() + "):\n"
                    + (cellError >= 0 ? report.substring(cellError) : lastLines(report, 80)));
        }
        Files.delete(log);
        Path executed = OUTPUT.resolve(notebook.getFileName());
        assertTrue(Files.isRegularFile(executed), "nbconvert wrote no " + executed);
        return executed;
    }

    /**
     * The jupyter command to use, once: the first of PATH's and /usr/bin's that has nbconvert and a kernel named
     * {@code java}; otherwise the test is skipped saying what is missing.
     */
    private static String jupyterWithJavaKernel() {
        List<String> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "jupyter");
            if (Files.isExecutable(candidate)) candidates.add(candidate.toString());
        }
        if (Files.isExecutable(Path.of("/usr/bin/jupyter"))) candidates.add("/usr/bin/jupyter");
        Assumptions.assumeFalse(candidates.isEmpty(), "skipped: no jupyter on PATH or at /usr/bin/jupyter");
        String missing = null;
        for (String jupyter : candidates.stream().distinct().toList()) {
            if (run(jupyter, "nbconvert", "--version").isEmpty()) {
                missing = jupyter + " has no nbconvert";
                continue;
            }
            Optional<String> kernels = run(jupyter, "kernelspec", "list", "--json");
            try {
                if (kernels.isPresent() && JSON.readTree(kernels.get()).path("kernelspecs").has("java")) return jupyter;
                missing = "no Jupyter kernel named 'java' (" + jupyter + " kernelspec list"
                        + kernels.map(k -> " shows " + kernelNames(k)).orElse(" failed") + ")";
            } catch (IOException e) {
                missing = jupyter + " kernelspec list --json gave no JSON";
            }
        }
        Assumptions.abort("skipped: " + missing);
        return null;
    }

    private static String kernelNames(String kernelspecJson) {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(kernelspecJson).path("kernelspecs").fieldNames().forEachRemaining(names::add);
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IOException e) {
            return "nothing readable";
        }
    }

    /** The command's standard output when it exits 0 within a minute. */
    private static Optional<String> run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            boolean done = process.waitFor(60, TimeUnit.SECONDS);
            return done && process.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<JsonNode> codeCells(JsonNode notebook) {
        List<JsonNode> cells = new ArrayList<>();
        notebook.path("cells").forEach(cell -> {
            if (cell.path("cell_type").asText().equals("code")) cells.add(cell);
        });
        return cells;
    }

    /**
     * A cell's execution count and outputs, minus what legitimately differs: the error's traceback (the kernel colours
     * it) and its wrapper ({@link #errorMessage}), an image's identity hash, and the end of an image/png (IJava does not
     * flush the last Base64 group, the replay writes the whole PNG; the kernel's is a prefix of the replay's).
     */
    private static JsonNode comparable(JsonNode cell) {
        ObjectNode comparable = JSON.createObjectNode();
        comparable.set("execution_count", cell.path("execution_count"));
        var outputs = comparable.putArray("outputs");
        for (JsonNode output : cell.path("outputs")) {
            ObjectNode o = output.deepCopy();
            o.remove("traceback");
            if (o.has("evalue")) o.put("evalue", errorMessage(o.remove("ename").asText(), o.get("evalue").asText()));
            if (o.get("data") instanceof ObjectNode data) {
                List<String> mimes = new ArrayList<>();
                data.fieldNames().forEachRemaining(mimes::add);
                for (String mime : mimes) {
                    String text = NotebookFile.joinLines(data.get(mime));
                    data.put(mime, mime.equals("image/png") ? text.substring(0, Math.min(text.length(), 64)) : text);
                }
                // an image's text/plain carries its identity hash under the kernel; the replay leaves it out
                if (data.has("image/png")) data.put("text/plain", data.get("text/plain").asText().replaceFirst("@[0-9a-f]+", ""));
            }
            if (o.has("text")) o.put("text", NotebookFile.joinLines(o.get("text")));
            outputs.add(o);
        }
        return comparable;
    }

    /**
     * What an error output says to the learner, the same under both kernels: IJava (and the replay) publish an
     * EvalException with the thrown exception's message, JJava a RuntimeException whose message is the thrown class, a
     * comma and the message. The wrapper's name (ename) differs by kernel and is left out; so is JJava's class prefix.
     */
    static String errorMessage(String ename, String evalue) {
        return ename.equals("RuntimeException") ? evalue.replaceFirst("^[\\w.$]+, ", "") : evalue;
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
