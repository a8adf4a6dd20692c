package lab.notebook;

import java.util.List;
import java.util.Optional;

/**
 * Why a replayed notebook failed, in terms its author can act on: the notebook, the code cell (counted among code cells,
 * and its position among all cells), the cell's source, and the compiler's diagnostics or the exception with its stack.
 * An AssertionError, so that a test reports it as a failed lesson rather than a broken test. The message holds the
 * whole story (the exception's stack included), so the failure carries neither a cause nor a stack of its own, which
 * would only repeat it, or show the replay's frames; {@link #thrown()} gives the cell's exception.
 */
public final class NotebookFailure extends AssertionError {
    private final String notebook;
    private final int codeCell;
    private final int cellNumber;
    private final String reason;
    private final Throwable thrown;

    /** {@code details} follow the source under the heading {@code --- <detailsTitle> ---} (the error, or the outputs). */
    NotebookFailure(String notebook, int codeCell, int cellNumber, String source, String reason, String detailsTitle,
                    List<String> details, Throwable thrown) {
        super(message(notebook, codeCell, cellNumber, source, reason, detailsTitle, details));
        this.notebook = notebook;
        this.codeCell = codeCell;
        this.cellNumber = cellNumber;
        this.reason = reason;
        this.thrown = thrown;
    }

    /** A failure of the notebook as a whole (not a Jupyter notebook, wrong kernel), before any cell ran. */
    NotebookFailure(String notebook, String reason) {
        super(notebook + ": " + reason);
        this.notebook = notebook;
        this.codeCell = 0;
        this.cellNumber = 0;
        this.reason = reason;
        this.thrown = null;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // where the replay noticed the failure says nothing about the lesson
    }

    /** The notebook's file name, e.g. {@code 01-range-partitioning.ipynb}. */
    public String notebook() {
        return notebook;
    }

    /** 1-based among the code cells; 0 when no cell is to blame. */
    public int codeCell() {
        return codeCell;
    }

    /** 1-based among all cells, markdown included; 0 when no cell is to blame. */
    public int cellNumber() {
        return cellNumber;
    }

    /** What the cell threw (a false claim, an SQL error, ...), if it threw; empty for compile errors and unmet expectations. */
    public Optional<Throwable> thrown() {
        return Optional.ofNullable(thrown);
    }

    /** One line: what went wrong in the cell. */
    public String reason() {
        return reason;
    }

    /** For a verdict line: {@code cell 7: <reason>}. */
    public String oneLine() {
        String line = codeCell > 0 ? "cell " + codeCell + ": " + reason : reason;
        return line.replaceAll("\\s*\\R\\s*", " ");
    }

    private static String message(String notebook, int codeCell, int cellNumber, String source, String reason, String detailsTitle,
                                  List<String> details) {
        StringBuilder message = new StringBuilder();
        message.append(notebook).append(", code cell ").append(codeCell).append(" (cell ").append(cellNumber)
                .append(" of the notebook): ").append(reason).append('\n');
        message.append("--- source of code cell ").append(codeCell).append(" ---\n");
        List<String> lines = source.lines().toList();
        int width = String.valueOf(lines.size()).length();
        for (int i = 0; i < lines.size(); i++) {
            message.append(String.format("%" + width + "d | %s\n", i + 1, lines.get(i)));
        }
        if (!details.isEmpty()) {
            message.append("--- ").append(detailsTitle).append(" ---\n");
            details.forEach(line -> message.append(line).append('\n'));
        }
        return message.toString().stripTrailing();
    }
}
