package lab.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import lab.ServerUnavailable;

/**
 * The notebook replay: runs a notebook's code cells in order, in a fresh {@link NotebookShell}, the way Jupyter runs
 * them on the IJava kernel (nbclient's rules: empty cells and cells tagged {@code skip-execution} are not run), and
 * records their outputs. The first cell that does not compile or throws stops the run, unless the cell is tagged
 * {@code raises-exception}, in which case it must fail. A cell's metadata may name what its outputs must contain:
 * <pre>"lab_expect": {"output_contains": ["rows in app.events_2024_06", "Subplans Removed"]}</pre>
 */
public final class NotebookRunner {
    /** nbclient's tag for a cell that is expected to fail; the replay also insists that it does. */
    public static final String RAISES_EXCEPTION = "raises-exception";
    /** nbclient's tag for a cell that is not run. */
    public static final String SKIP_EXECUTION = "skip-execution";
    /** The cell metadata key for what the replay checks in a cell's outputs. */
    public static final String EXPECT = "lab_expect";
    /** What {@link Claim} prints for every claim that holds; counting these lines counts the claims checked. */
    static final String CLAIM_HELD = "\u2714 ";

    private static final Object ONE_AT_A_TIME = new Object();

    private NotebookRunner() {}

    /** Runs the notebook; the result holds the executed copy and, if it failed, why. */
    public static Run run(Path notebookPath) {
        long started = System.nanoTime();
        NotebookFile notebook = NotebookFile.read(notebookPath);
        NotebookFile executed = notebook.copy();
        executed.recordKernel();
        List<NotebookFile.Cell> codeCells = executed.codeCells();
        String fileName = notebookPath.getFileName().toString();
        if (!notebook.kernelName().equals("java")) {
            NotebookFailure wrongKernel = new NotebookFailure(fileName, "metadata.kernelspec.name is '" + notebook.kernelName()
                    + "'; Jupyter must start the IJava kernel, so it has to be 'java'");
            return new Run(executed, codeCells.size(), 0, elapsedSince(started), Optional.of(wrongKernel), Optional.empty());
        }
        // One replay at a time in a JVM: the standard streams and the kernel statics are the JVM's, not a notebook's.
        synchronized (ONE_AT_A_TIME) {
            try (NotebookShell shell = new NotebookShell(executed)) {
                int executionCount = 0;
                int claims = 0;
                for (int i = 0; i < codeCells.size(); i++) {
                    NotebookFile.Cell cell = codeCells.get(i);
                    if (cell.source().isBlank() || cell.tags().contains(SKIP_EXECUTION)) continue;
                    executionCount++;
                    Optional<NotebookFailure> failure = runCell(shell, cell, i + 1, executionCount, fileName);
                    claims += claimsIn(cell.outputs());
                    if (failure.isPresent()) {
                        for (NotebookFile.Cell notRun : codeCells.subList(i + 1, codeCells.size())) {
                            notRun.recordRun(NotebookFile.JSON.arrayNode(), null);
                        }
                        Optional<String> unavailable = failure.get().thrown().flatMap(NotebookRunner::serverUnavailable);
                        if (unavailable.isPresent()) {
                            return new Run(executed, codeCells.size(), claims, elapsedSince(started), Optional.empty(), unavailable);
                        }
                        return new Run(executed, codeCells.size(), claims, elapsedSince(started), failure, Optional.empty());
                    }
                }
                return new Run(executed, codeCells.size(), claims, elapsedSince(started), Optional.empty(), Optional.empty());
            }
        }
    }

    private static Optional<NotebookFailure> runCell(NotebookShell shell, NotebookFile.Cell cell, int codeCellNumber,
                                                     int executionCount, String notebook) {
        String source = cell.source();
        NotebookShell.CellFailed failed = null;
        shell.outputs().startCell();
        try {
            NotebookKernel.Data result = shell.evalCell(source, "code cell " + codeCellNumber);
            if (result != null) shell.outputs().result(result, executionCount);
        } catch (NotebookShell.CellFailed e) {
            failed = e;
            List<String> traceback = new ArrayList<>();
            traceback.add("-".repeat(75));
            traceback.addAll(e.report);
            shell.outputs().error(e.ename, e.evalue, traceback);
        } finally {
            cell.recordRun(shell.outputs().finishCell(), executionCount);
        }

        boolean mustRaise = cell.tags().contains(RAISES_EXCEPTION);
        if (failed != null && !mustRaise) {
            return Optional.of(new NotebookFailure(notebook, codeCellNumber, cell.number(), source, failed.summary, "error", failed.report,
                    failed.thrown));
        }
        if (failed == null && mustRaise) {
            return Optional.of(new NotebookFailure(notebook, codeCellNumber, cell.number(), source,
                    "is tagged " + RAISES_EXCEPTION + " but ran without an error", "error", List.of(), null));
        }
        return unmetExpectation(cell).map(reason -> new NotebookFailure(notebook, codeCellNumber, cell.number(), source, reason,
                "the cell's outputs as text", NotebookOutputs.text(cell.outputs()).stripTrailing().lines().toList(), null));
    }

    /** The first {@code lab_expect} the cell's outputs do not meet; an unknown key is an error, not a silent pass. */
    private static Optional<String> unmetExpectation(NotebookFile.Cell cell) {
        JsonNode expect = cell.metadata(EXPECT);
        if (expect.isMissingNode() || expect.isNull()) return Optional.empty();
        if (!expect.isObject()) return Optional.of(EXPECT + " must be an object such as {\"output_contains\": [\"...\"]}");
        String text = NotebookOutputs.text(cell.outputs());
        for (Iterator<String> keys = expect.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("output_contains")) return Optional.of("unknown " + EXPECT + " key '" + key + "' (known: output_contains)");
            JsonNode wanted = expect.get(key);
            for (JsonNode piece : wanted.isArray() ? wanted : NotebookFile.JSON.arrayNode().add(wanted)) {
                if (!piece.isTextual()) return Optional.of(EXPECT + ".output_contains must hold strings, found " + piece);
                if (!text.contains(piece.asText())) {
                    return Optional.of("expected the outputs to contain \"" + piece.asText() + "\" (" + EXPECT + ".output_contains), but they do not");
                }
            }
        }
        return Optional.empty();
    }

    /** The claims a cell's outputs show as checked (the ClaimBaselineTest counts the committed outputs with it). */
    static int claimsIn(ArrayNode outputs) {
        int claims = 0;
        for (JsonNode output : outputs) {
            if (!"stdout".equals(output.path("name").asText())) continue;
            for (String line : NotebookFile.joinLines(output.get("text")).split("\n")) if (line.startsWith(CLAIM_HELD)) claims++;
        }
        return claims;
    }

    /**
     * A cell that threw {@link ServerUnavailable} (no Citus here, say) skips the rest of the lesson with its reason.
     * Matched by class name: the cell's classes come from the notebook's own class loader.
     */
    private static Optional<String> serverUnavailable(Throwable thrown) {
        for (Class<?> c = thrown.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ServerUnavailable.class.getName())) return Optional.ofNullable(thrown.getMessage());
        }
        return Optional.empty();
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * A finished replay: the notebook with the outputs of this run, and the failure, if any, or why the lesson was
     * skipped (a server it needs does not exist here; the cells up to that point ran).
     */
    public record Run(NotebookFile executed, int codeCells, int claims, Duration elapsed, Optional<NotebookFailure> failure,
                      Optional<String> skipped) {
        /** Passed, or skipped for want of a server: nothing in the lesson went wrong. */
        public boolean passed() {
            return failure.isEmpty();
        }

        /** Throws the failure, so a test fails with the runner's message. */
        public Run orThrow() {
            if (failure.isPresent()) throw failure.get();
            return this;
        }

        /** One line per lesson: {@code PASS 01-range-partitioning  14 cells, 6 claims checked, 12.3 s}. */
        public String verdict() {
            String seconds = String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
            if (skipped.isPresent()) return "SKIP " + executed.name() + "  " + skipped.get() + "  (" + seconds + ")";
            return failure.map(f -> "FAIL " + executed.name() + "  " + f.oneLine() + "  (" + seconds + ")")
                    .orElseGet(() -> "PASS " + executed.name() + "  " + codeCells + " cells, " + claims + " claims checked, " + seconds);
        }
    }
}
