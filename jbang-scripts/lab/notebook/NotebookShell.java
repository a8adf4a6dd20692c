package lab.notebook;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * One kernel for one notebook: a JShell that evaluates cells as IJava's {@code CodeEvaluator} does. The code runs in
 * this JVM (so {@code display} reaches the replay's collector), on a thread of its own as in IJava. As in IJava, the
 * JVM's class path is visible to the cells: JShell's compiler reads {@code java.class.path}, and the shell's class loader
 * asks the JVM's loader first (so {@code %classpath ../target/lab/*.jar} adds nothing new to a test JVM, and the
 * classes are the build's either way). A cell is split into snippets with JShell's source analysis and
 * each snippet evaluated in turn; the value of the last one, when it is an expression, is the cell's result.
 */
final class NotebookShell implements AutoCloseable {
    /** IJava's {@code ijava-jshell-init.jshell}, with the replay's kernel statics in place of IJava's runtime classes. */
    static final String STARTUP_SCRIPT = """
            import java.util.*;
            import java.io.*;
            import java.math.*;
            import java.net.*;
            import java.util.concurrent.*;
            import java.util.prefs.*;
            import java.util.regex.*;

            import static lab.notebook.NotebookKernel.*;

            public void printf(String format, Object... args) {
                System.out.printf(format, args);
            }
            """;

    private static final Set<Snippet.SubKind> RESULT_KINDS = Set.of(
            Snippet.SubKind.VAR_VALUE_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND, Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);

    private final JShell shell;
    private final Engine engine;
    private final SourceCodeAnalysis analysis;
    private final NotebookOutputs outputs;
    private final NotebookMagics magics;
    private boolean initialised;
    /** Where each snippet came from (by JShell's snippet id), so stack frames like {@code .(#12:3)} can name the cell. */
    private final Map<String, Origin> origins = new HashMap<>();

    /** A snippet's source: the cell ("code cell 3") or loaded file ("helper.jsh"), and the line its code starts on. */
    private record Origin(String where, int firstLine) {
        /** "line 4" within the failing cell itself, "helper.jsh line 4" within a file the cell loaded. */
        String at(int line) {
            return (where.startsWith("code cell ") ? "" : where + " ") + "line " + line;
        }
    }

    NotebookShell(NotebookFile notebook) {
        EngineProvider provider = new EngineProvider();
        ClassLoader runnerLoader = Thread.currentThread().getContextClassLoader();
        try {
            this.shell = JShell.builder().executionEngine(provider, Map.of()).build();
        } finally {
            // JShell's class loader makes itself the creating thread's context loader; the runner's thread keeps its own.
            Thread.currentThread().setContextClassLoader(runnerLoader);
        }
        this.engine = provider.engine;
        this.analysis = shell.sourceCodeAnalysis();
        this.outputs = new NotebookOutputs(notebook.name());
        this.magics = new NotebookMagics(notebook.folder(), shell::addToClasspath, this::eval);
        NotebookKernel.attach(this);
    }

    NotebookOutputs outputs() {
        return outputs;
    }

    NotebookMagics magics() {
        return magics;
    }

    /**
     * IJava's {@code JavaKernel.eval}: runs the cell and gives its result as a MIME bundle, or null when the cell has
     * none. A {@code render(...)} result is shown as it is; any other value is rendered.
     */
    NotebookKernel.Data evalCell(String cellSource, String where) throws CellFailed {
        Object result = eval(cellSource, where);
        if (result == null || result instanceof NotebookKernel.Data) return (NotebookKernel.Data) result;
        try {
            return NotebookKernel.render(result);
        } catch (RuntimeException e) { // the value's own toString() threw
            String message = String.valueOf(e.getMessage());
            throw new CellFailed(e.getClass().getSimpleName(), message, "rendering the cell's result failed: " + e, trace(e, null), e);
        }
    }

    /**
     * IJava's {@code JavaKernel.evalRaw}: magic lines become calls, then the cell is evaluated snippet by snippet.
     * Returns the value of the last expression snippet (possibly null). {@code where} names the source in stack traces
     * ("code cell 3", "helper.jsh").
     */
    Object eval(String cellSource, String where) throws CellFailed {
        if (!initialised) {
            initialised = true;
            evaluate(STARTUP_SCRIPT, "start-up script");
        }
        return evaluate(NotebookMagics.transform(cellSource), where);
    }

    /** IJava's {@code CodeEvaluator.eval}. */
    private Object evaluate(String code, String where) throws CellFailed {
        Object result = null;
        String rest = code;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
        while (info.completeness().isComplete()) {
            // JShell numbers a snippet's lines from its first non-blank one
            result = evalSingle(info.source(), new Origin(where, lineOf(code, code.length() - rest.stripLeading().length())));
            rest = info.remaining();
            info = analysis.analyzeCompletion(rest);
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            String incomplete = info.remaining().trim();
            throw new CellFailed("IncompleteSourceException", incomplete, "incomplete input (an unclosed brace, parenthesis or string?)",
                    List.of("Incomplete input:", incomplete), null);
        }
        return result;
    }

    /** 1-based line of the offset. */
    private static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, code.length()); i++) if (code.charAt(i) == '\n') line++;
        return line;
    }

    /** IJava's {@code CodeEvaluator.evalSingle}: results first, then the first failure of a fresh snippet. */
    private Object evalSingle(String snippetSource, Origin origin) throws CellFailed {
        List<SnippetEvent> events = shell.eval(snippetSource);
        for (SnippetEvent event : events) if (event.causeSnippet() == null) origins.put(event.snippet().id(), origin);
        Object result = null;
        for (SnippetEvent event : events) {
            String key = event.value();
            if (key == null) continue;
            Object value = event.snippet().subKind().isExecutable() ? engine.takeResult(key) : key;
            result = RESULT_KINDS.contains(event.snippet().subKind()) ? value : null;
        }
        engine.forgetResults();
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) continue;
            JShellException e = event.exception();
            if (e instanceof EvalException eval) throw threw(eval, engine.takeThrown());
            if (e instanceof UnresolvedReferenceException unresolved) throw unresolved(unresolved.getSnippet());
            if (e != null) {
                String message = String.valueOf(e.getMessage());
                throw new CellFailed(e.getClass().getSimpleName(), message, message, trace(e, e), e);
            }
            if (!event.status().isDefined()) throw compileError(event.snippet(), origin);
        }
        return result;
    }

    private CellFailed compileError(Snippet snippet, Origin origin) {
        List<String> report = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<Diag> diagnostics = shell.diagnostics(snippet).toList();
        diagnostics.forEach(d -> {
            report.addAll(highlight(snippet.source(), d));
            for (String message : d.getMessage(Locale.ROOT).split("\\R")) {
                // IJava leaves out "location:" lines, since the highlight shows where
                if (!message.strip().startsWith("location:")) {
                    report.add(message);
                    messages.add(message.strip());
                }
            }
            report.add("");
        });
        if (snippet instanceof DeclarationSnippet declaration) {
            List<String> unresolved = shell.unresolvedDependencies(declaration).toList();
            if (!unresolved.isEmpty()) {
                report.add("Unresolved dependencies:");
                unresolved.forEach(dependency -> report.add("   - " + dependency));
                messages.add("unresolved " + String.join(", ", unresolved));
            }
        }
        // diagnostic positions count from the snippet's source, blank lines before its code included
        String source = snippet.source();
        int position = diagnostics.isEmpty() ? 0 : (int) Math.max(0, diagnostics.get(0).getStartPosition());
        int blankLinesBefore = lineOf(source, source.length() - source.stripLeading().length()) - 1;
        int line = origin.firstLine() + lineOf(source, position) - 1 - blankLinesBefore;
        String summary = "does not compile (" + origin.at(line) + "): " + (messages.isEmpty() ? snippet.source().strip() : messages.get(0));
        return new CellFailed("CompilationException", "", summary, report, null);
    }

    /** The snippet's lines with the diagnostic's span underlined. */
    private static List<String> highlight(String source, Diag d) {
        List<String> lines = new ArrayList<>();
        int offset = 0;
        for (String text : source.split("\n", -1)) {
            if (lines.isEmpty() && text.isBlank()) {
                offset += text.length() + 1; // the blank lines a snippet starts with say nothing
                continue;
            }
            lines.add("    " + text);
            int lineEnd = offset + text.length();
            if (d.getStartPosition() >= 0 && d.getStartPosition() <= lineEnd && d.getEndPosition() >= offset) {
                int from = (int) Math.max(d.getStartPosition(), offset) - offset;
                int to = (int) Math.min(Math.max(d.getEndPosition(), d.getStartPosition() + 1), lineEnd) - offset;
                lines.add("    " + " ".repeat(from) + "^".repeat(Math.max(1, to - from)));
            }
            offset = lineEnd + 1;
        }
        return lines;
    }

    private CellFailed unresolved(DeclarationSnippet snippet) {
        List<String> dependencies = shell.unresolvedDependencies(snippet).toList();
        List<String> report = new ArrayList<>(List.of(snippet.source().split("\n")));
        report.add("Unresolved dependencies:");
        dependencies.forEach(dependency -> report.add("   - " + dependency));
        return new CellFailed("UnresolvedReferenceException", "", "uses " + snippet.name() + ", which needs " + String.join(", ", dependencies)
                + " (not declared)", report, null);
    }

    /** A snippet threw: IJava shows {@code EvalException} with the real exception's class, message and stack. */
    private CellFailed threw(EvalException eval, Throwable thrown) {
        String className = thrown != null ? thrown.getClass().getName() : eval.getExceptionClassName();
        String message = thrown != null ? thrown.getMessage() : eval.getMessage();
        String summary = className + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
        List<String> trace = thrown != null ? trace(thrown, eval) : trace(eval, eval).stream()
                .map(line -> line.replace(EvalException.class.getName(), className)).toList();
        return new CellFailed("EvalException", message == null ? "" : message, summary, trace, thrown);
    }

    /**
     * The stack trace as JShell shows it: snippet frames as {@code .(#12:3)} (snippet 12, its line 3) and nothing below
     * the cell's code. JShell has translated the frames of each exception in the chain into {@code translated}, level by
     * level; the real exception keeps its class, message, causes and suppressed exceptions.
     */
    private List<String> trace(Throwable thrown, Throwable translated) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = thrown, j = translated; t != null && seen.add(t); t = t.getCause(), j = j == null ? null : j.getCause()) {
            if (j != null) t.setStackTrace(j.getStackTrace());
        }
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString().lines().map(line -> withOrigin(line.replace("\t", "    "))).toList();
    }

    private static final Pattern SNIPPET_FRAME = Pattern.compile("\\(#(\\w+):(\\d+)\\)$");

    /** {@code at .connect(#10:2)} becomes {@code at .connect(#10:2) in code cell 1, line 2}. */
    private String withOrigin(String line) {
        Matcher frame = SNIPPET_FRAME.matcher(line);
        if (!frame.find() || !origins.containsKey(frame.group(1))) return line;
        Origin origin = origins.get(frame.group(1));
        return line + " in " + origin.where() + ", line " + (origin.firstLine() + Integer.parseInt(frame.group(2)) - 1);
    }

    @Override
    public void close() {
        NotebookKernel.detach(this);
        shell.close();
    }

    /**
     * Why a cell failed: the error output IJava would publish (ename, evalue, traceback) plus a one-line summary and,
     * when the cell's code threw, the exception itself.
     */
    static final class CellFailed extends Exception {
        final String ename;
        final String evalue;
        final String summary;
        final List<String> report;
        final Throwable thrown;

        CellFailed(String ename, String evalue, String summary, List<String> report, Throwable thrown) {
            super(summary, thrown);
            this.ename = ename;
            this.evalue = evalue;
            this.summary = summary;
            this.report = List.copyOf(report);
            this.thrown = thrown;
        }
    }

    private static final class EngineProvider implements ExecutionControlProvider {
        Engine engine;

        @Override
        public String name() {
            return "lab-notebook";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            engine = new Engine();
            return engine;
        }
    }

    /**
     * IJava's {@code IJavaExecutionControl}: a direct (in-process) control that runs each snippet on an executor thread
     * and keeps the snippet's actual value, so the result is rendered from the object, not from its string. It also
     * keeps what a snippet threw, so a failure can show the real exception with its causes.
     */
    private static final class Engine extends DirectExecutionControl {
        private static final Object NULL = new Object();
        private static final AtomicInteger THREADS = new AtomicInteger();

        private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "notebook-cell-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        private final Map<String, Object> results = new ConcurrentHashMap<>();
        private volatile Throwable thrown;

        @Override
        protected String invoke(Method doit) throws Exception {
            Future<Object> running = executor.submit(() -> {
                // The snippet's own loader, so ServiceLoader and friends see what %classpath added.
                Thread.currentThread().setContextClassLoader(doit.getDeclaringClass().getClassLoader());
                return doit.invoke(null);
            });
            Object value;
            try {
                value = running.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvocationTargetException invocation) throw invocation;
                throw e;
            }
            String key = UUID.randomUUID().toString();
            results.put(key, value == null ? NULL : value);
            return key;
        }

        @Override
        protected String throwConvertedInvocationException(Throwable cause) throws RunException, InternalException {
            thrown = cause;
            return super.throwConvertedInvocationException(cause);
        }

        Object takeResult(String key) {
            Object value = results.remove(key);
            return value == NULL ? null : value;
        }

        void forgetResults() {
            results.clear();
        }

        Throwable takeThrown() {
            Throwable t = thrown;
            thrown = null;
            return t;
        }

        @Override
        public void close() {
            executor.shutdownNow();
            super.close();
        }
    }
}
