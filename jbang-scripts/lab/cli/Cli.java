package lab.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import lab.BadInput;
import lab.Dsn;
import lab.Lab;
import lab.LockDiscipline;
import lab.Logs;
import lab.Node;
import lab.Progress;
import lab.Render;
import lab.Settings;
import lab.Topology;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/**
 * The one way runbooks run: {@code public static void main(String... args) { Cli.exit(new Generate(), args); }}.
 *
 * <p>Every runbook gets {@code --help} and {@code --version} and the same exit codes: 0 success, 1 failure,
 * 2 bad input. Bad input is a picocli parameter error or a {@link BadInput} thrown while the command runs; it
 * prints exactly one line, {@code error: <message>}, on stderr. The options runbooks share are mixins:
 * {@link Target} ({@code --dsn} or {@code --topology} and {@code --node}), {@link TopologyOption},
 * {@link Output} ({@code --format}) and {@link ProgressOption} ({@code --[no-]progress}).
 *
 * <p>Nothing a runbook writes to stderr shows a password: the error channel masks every one it sees ({@link Dsn#mask}),
 * as does System.err in a runbook's own JVM (the libraries' log lines). While a command runs, the sessions it opens
 * name it in pg_stat_activity ({@code partition-lab Maintain run}, see {@link Dsn#applicationName()}).
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    static {
        Logs.quiet(); // before any library logs: an INFO line on stderr would break the one-line error
    }

    private Cli() {}

    /** Runs the runbook and ends the JVM with its exit code: what a runbook's {@code main} does. */
    public static void exit(Object command, String... args) {
        Logs.maskPasswords();
        System.exit(run(command, args));
    }

    /**
     * Calls {@code stop} on SIGTERM (systemd, docker stop, kill) or Ctrl+C instead of ending the JVM at once (exit 143 or
     * 130 with work cut off): a service then finishes what it is doing and exits 0. A second signal quits at once.
     */
    public static void onStopSignal(Runnable stop) {
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (asked.getAndSet(true)) Runtime.getRuntime().halt(128 + signal.getNumber());
                    stop.run();
                });
            } catch (IllegalArgumentException e) {
                // not catchable here (java -Xrs): the signal ends the JVM the ordinary way
            }
        }
    }

    /** Runs the runbook in this JVM, writing to System.out and System.err, and returns its exit code. */
    public static int run(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /** Runs the runbook with its output and errors captured (tests). */
    public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(command);
        cl.setOut(out);
        cl.setErr(new Masking(err));
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The picocli command line with the lab's conventions applied to the command and all its subcommands. */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        applyStandardOptions(cl);
        cl.setErr(new Masking(cl.getErr()));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(YearMonth.class, Cli::month);
        cl.registerConverter(java.time.LocalDate.class, Cli::day);
        cl.setParameterExceptionHandler((e, args) -> badInput(e.getCommandLine(), parameterError(e)));
        cl.setExecutionExceptionHandler((e, failed, parseResult) -> {
            BadInput bad = badInputIn(e);
            if (bad != null) return badInput(failed, bad.getMessage());
            PrintWriter err = failed.getErr(); // a Masking writer: no password, also in the stack trace
            err.println("error: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
            if (Settings.get("LAB_DEBUG").isPresent()) e.printStackTrace(err);
            err.flush();
            return FAILURE;
        });
        cl.setExecutionStrategy(parseResult -> {
            String previousName = Dsn.applicationName(applicationName(parseResult));
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } finally {
                Dsn.applicationName(previousName);
                finish(parseResult);
            }
        });
        return cl;
    }

    /** {@code YYYY-MM}, strictly: {@code 2024-1} or {@code 2024-13} are mistakes, not months. */
    public static YearMonth month(String text) {
        if (text != null && MONTH.matcher(text.strip()).matches()) {
            int monthOfYear = Integer.parseInt(text.strip().substring(5));
            if (monthOfYear >= 1 && monthOfYear <= 12) return YearMonth.parse(text.strip());
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not a month: use YYYY-MM, e.g. 2024-01");
    }

    /** {@code YYYY-MM-DD}, a real calendar day: {@code 2025-02-30} is a mistake, not a date. */
    public static java.time.LocalDate day(String text) {
        try {
            return java.time.LocalDate.parse(text == null ? "" : text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a day: use YYYY-MM-DD, e.g. 2025-07-15");
        }
    }

    private static int badInput(CommandLine cl, String message) {
        PrintWriter err = cl.getErr();
        err.println("error: " + BadInput.oneLine(message));
        err.flush();
        return BAD_INPUT;
    }

    /** What sessions opened while the command runs are called: the lab, the runbook and its subcommand. */
    private static String applicationName(ParseResult parseResult) {
        List<String> names = new ArrayList<>();
        for (CommandLine executed : parseResult.asCommandLineList()) names.add(executed.getCommandName());
        return Dsn.APPLICATION + " " + String.join(" ", names);
    }

    /** picocli's message, except for an unknown subcommand, which is named with the ones there are. */
    private static String parameterError(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !cl.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "': " + cl.getCommandName() + " takes one of "
                    + String.join(", ", cl.getSubcommands().keySet());
        }
        return e.getMessage();
    }

    private static BadInput badInputIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadInput bad) return bad;
        }
        return null;
    }

    private static void applyStandardOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        if (spec.versionProvider() == null && spec.version().length == 0) spec.versionProvider(Cli::version);
        cl.getSubcommands().values().forEach(Cli::applyStandardOptions);
    }

    private static String[] version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return new String[] {
            "Partition Lab " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + ", picocli " + CommandLine.VERSION
        };
    }

    /**
     * When the command ends, whatever it returned or threw: a json {@link Output} prints its one document, then
     * mixins that hold resources (a --dsn pool) release them.
     */
    private static void finish(ParseResult parseResult) {
        List<Object> mixins = new ArrayList<>();
        for (CommandLine executed : parseResult.asCommandLineList()) collect(executed.getCommandSpec(), mixins);
        for (Object mixin : mixins) {
            if (mixin instanceof Output output) output.finish();
        }
        for (Object mixin : mixins) {
            if (!(mixin instanceof AutoCloseable)) continue;
            try {
                ((AutoCloseable) mixin).close();
            } catch (Exception ignored) {
                // the command's own outcome is what the user needs to see
            }
        }
    }

    private static void collect(CommandSpec spec, List<Object> mixins) {
        for (CommandSpec mixin : spec.mixins().values()) {
            mixins.add(mixin.userObject());
            collect(mixin, mixins);
        }
    }

    /**
     * The error channel's last line of defence: whatever is written through it has its passwords masked. A message is
     * written as one string (println), so a connection string never arrives in pieces.
     */
    static final class Masking extends PrintWriter {
        Masking(Writer out) {
            super(out instanceof Masking masking ? masking.out : out, true);
        }

        @Override
        public void write(String text, int offset, int length) {
            String masked = Dsn.mask(text.substring(offset, offset + length));
            super.write(masked, 0, masked.length());
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            write(new String(chars, offset, length), 0, length);
        }
    }

    /** {@code --topology}: which servers the lab uses when no {@code --dsn} is given. */
    public static final class TopologyOption {
        @Option(names = "--topology", paramLabel = "KIND",
                description = "Servers to use: embedded (started by the lab), compose (docker compose ports) or dsn "
                        + "(LAB_DSN_<NODE> settings). Default: LAB_TOPOLOGY, else embedded.")
        Topology.Kind topology;

        public Lab lab() {
            return topology == null ? Lab.connect() : Lab.connect(topology.name());
        }

        public boolean given() {
            return topology != null;
        }
    }

    /** {@code --dsn URL}, or a node of the topology ({@code --topology}, {@code --node}): the server a runbook works on. */
    public static final class Target implements AutoCloseable {
        @CommandLine.Mixin
        TopologyOption topology;

        @Option(names = "--dsn", paramLabel = "URL",
                description = "Connection string, e.g. postgresql://app:app@localhost:54322/app (instead of --topology).")
        String dsn;

        @Option(names = "--node", paramLabel = "NAME",
                description = "Node of the topology: plain, partitioned, coordinator, shard1 or shard2. Default: partitioned.")
        String node;

        private Node adHoc;

        /** The server to work on: the --dsn one, else the named (or the runbook's default) node of the topology. */
        public Node node(String defaultNode) {
            String name = node == null ? defaultNode : node;
            if (dsn == null) return topology.lab().node(name);
            if (topology.given()) throw new BadInput("--dsn and --topology exclude each other: give one");
            if (adHoc == null) {
                Dsn parsed = Dsn.parse(dsn, "--dsn");
                requireReachable(parsed);
                adHoc = new Node(name, parsed);
            }
            return adHoc;
        }

        /** Whether --dsn named the server (else a node of the topology). */
        public boolean dsnGiven() {
            return dsn != null;
        }

        /** The topology itself, for runbooks that work on several of its nodes; --dsn names one server and cannot serve. */
        public Lab lab() {
            if (dsn != null) throw new BadInput("--dsn names one server; this needs the topology's nodes (--topology)");
            return topology.lab();
        }

        /** One plain connection first: the driver's own reason (refused, no such database) instead of a pool timeout. */
        private static void requireReachable(Dsn dsn) {
            try (Connection probe = dsn.open()) {
                probe.isValid(5);
            } catch (SQLException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                throw new IllegalStateException("cannot connect to " + dsn + ": " + reason, e);
            }
        }

        @Override
        public void close() {
            if (adHoc != null) adHoc.close();
        }
    }

    /**
     * {@code --format text|json|markdown}, and printing a command's results in it: its tables, its notes (lines for
     * people) and its verdict. Text prints each as it comes. Markdown gives each table a title ({@code ## name}) and a
     * blank line before it, and notes and verdict as paragraphs. JSON keeps everything until the command ends, then
     * prints one document (see {@link Render#document}), also when the command fails after printing a table.
     */
    public static final class Output {
        public enum Format { text, json, markdown }

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "Output as text, json (one document: each table under its name, notes and verdict as "
                        + "fields) or markdown (a title before each table). Default: ${DEFAULT-VALUE}.")
        Format format;

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        private final List<Table> tables = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private String verdict;
        private boolean markdownStarted;

        public Format format() {
            return format;
        }

        public PrintWriter out() {
            return command.commandLine().getOut();
        }

        /** A failure the command reports and goes on after, as one line on stderr (the exit code says it failed). */
        public void error(String line) {
            String flat = BadInput.oneLine(line);
            if (format == Format.json) errors.add(flat);
            PrintWriter err = command.commandLine().getErr();
            err.println("error: " + flat);
            err.flush();
        }

        public void print(Table table) {
            switch (format) {
                case json -> tables.add(table.copy()); // as it is now: the command may change it before the end
                case markdown -> block(Render.markdownSection(table).stripTrailing());
                case text -> {
                    out().println(Render.text(table).stripTrailing());
                    out().flush();
                }
            }
        }

        /** A remark for people: a line in text, a paragraph in markdown, an entry of {@code notes} in json. */
        public void note(String line) {
            String masked = Dsn.mask(line);
            switch (format) {
                case json -> notes.add(masked);
                case markdown -> block(masked);
                case text -> {
                    out().println(masked);
                    out().flush();
                }
            }
        }

        /**
         * What the command concludes (rows all there, waits within target): printed like a note, and in json the
         * {@code verdict} field (two verdicts, such as a scenario's and its load's, joined with "; ").
         */
        public void verdict(String line) {
            if (format != Format.json) {
                note(line);
                return;
            }
            String masked = Dsn.mask(line);
            verdict = verdict == null ? masked : verdict + "; " + masked;
        }

        /** Markdown blocks are separated by a blank line. */
        private void block(String text) {
            if (markdownStarted) out().println();
            out().println(text);
            out().flush();
            markdownStarted = true;
        }

        /** The end of the command: json prints its document, if the command printed anything. */
        void finish() {
            if (format == Format.json && (!tables.isEmpty() || !notes.isEmpty() || verdict != null)) {
                out().println(Render.document(tables, notes, verdict, errors));
                out().flush();
            }
            tables.clear();
            notes.clear();
            errors.clear();
            verdict = null;
        }
    }

    /**
     * {@code --lock-timeout} and {@code --lock-budget}: how long each attempt at a strong lock on a live table may wait,
     * and how long all attempts together ({@link LockDiscipline}). Not given: the table's configuration, else
     * 100 ms and 30 s.
     */
    public static final class LockOptions {
        @Option(names = "--lock-timeout", paramLabel = "DURATION",
                description = "How long one attempt at a strong lock may wait (lock_timeout), e.g. 100ms or 1s; "
                        + "readers and writers that come after it wait no longer. 0: as long as it takes "
                        + "(PostgreSQL's default, which lets a queue form behind a long query). Default: 100ms.")
        String lockTimeout;

        @Option(names = "--lock-budget", paramLabel = "DURATION",
                description = "How long all attempts together may take, retrying with backoff, before the step gives up "
                        + "(exit 1, nothing changed, the session in the way named). Default: 30s.")
        String lockBudget;

        /** What was given, checked (bad input before anything runs); nulls are left to the configuration. */
        public LockDiscipline discipline() {
            return LockDiscipline.of(lockTimeout == null ? null : LockDiscipline.parse(lockTimeout, "--lock-timeout"),
                    lockBudget == null ? null : LockDiscipline.parse(lockBudget, "--lock-budget"));
        }

        /** What was given, the lab's defaults for the rest. */
        public LockDiscipline disciplineOrDefaults() {
            LockDiscipline given = discipline();
            return new LockDiscipline(given.lockTimeout() == null ? LockDiscipline.DEFAULT_LOCK_TIMEOUT : given.lockTimeout(),
                    given.budget() == null ? LockDiscipline.DEFAULT_BUDGET : given.budget());
        }
    }

    /** {@code --[no-]progress}: a bar on a terminal by default; forced on elsewhere it logs a line now and then. */
    public static final class ProgressOption {
        @Option(names = "--progress", negatable = true,
                description = "Show progress on stderr (default: only when on a terminal, except Load's live counts and "
                        + "Migrate --online's steps, shown everywhere; off: --no-progress).")
        Boolean progress;

        public Progress.Mode mode() {
            return progress == null ? Progress.Mode.AUTO : progress ? Progress.Mode.ON : Progress.Mode.OFF;
        }
    }
}
