package lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * An ordinary table becomes a table RANGE-partitioned by month on a time column while the application reads and
 * writes through the same name (sql/migrate/online, one file per step):
 * <ol>
 *   <li><b>unique index</b> (key, time column), built CONCURRENTLY: readers and writers go on;</li>
 *   <li><b>partitioned table</b> {@code <table>_next}, prepared empty: readers and writers go on;</li>
 *   <li><b>switch</b>, one short window under the {@link LockDiscipline}: the table becomes {@code <table>_old}, the
 *       DEFAULT partition of the partitioned table, which takes the name; catalog only, no row read;</li>
 *   <li><b>move</b>: the {@link OnlineSwap} of {@code <table>_old} for a partition per month and a new DEFAULT, its
 *       rows copied in batches, its window catching up with the changes only; verified; <b>finish</b> keeps
 *       {@code <table>_old}, verified identical, as the one-transaction {@link Migration} keeps its original.</li>
 * </ol>
 * Every step runs again after a crash and continues from what the catalogs and {@code online.swaps} say.
 *
 * <pre>{@code
 * var plan = OnlineMigration.plan(db, "app.event_logs", null);      // the dry run: every step, what it locks
 * var report = OnlineMigration.run(db, "app.event_logs", null, OnlineMigration.Options.defaults().probed());
 * Claim.that(report.verdict(), report.noRowLost());
 * render(Render.html(report.stepsTable()), "text/html")              // time, rows each window touched, waits
 * }</pre>
 */
public final class OnlineMigration {
    private OnlineMigration() {}

    /** The steps, each with its file in sql/migrate/online. */
    public enum Step {
        INDEX("unique index", "1_unique_index.sql"),
        PARENT("partitioned table", "2_parent.sql"),
        SWITCH("switch", "3_switch.sql"),
        MOVE_BEGIN("move: begin", "4_move_begin.sql"),
        MOVE_BATCHES("move: batches", "5_move_batches.sql"),
        MOVE_WINDOW("move: window", "6_move_window.sql"),
        VERIFY("verify", "7_verify.sql"),
        FINISH("finish", "8_finish.sql");

        private final String label;
        private final String file;

        Step(String label, String file) {
            this.label = label;
            this.file = file;
        }

        public String label() {
            return label;
        }

        /** The file below sql/, e.g. {@code migrate/online/3_switch.sql}. */
        public String file() {
            return "migrate/online/" + file;
        }
    }

    /**
     * The lock discipline; rows per batch and a pause between batches (less load on a busy server); progress of the
     * batches on stderr and a line per step ({@code log}); whether a {@link LockProbe} measures what a reader and a
     * writer of the table wait in each step; how long each window lingers before it commits, while another session
     * looks at pg_locks ({@code holdWindow}: lessons only, never in production); an injected failure
     * ({@code online.fail_at}: switch, window, verify).
     */
    public record Options(LockDiscipline discipline, Long batchRows, Duration batchPause, Progress.Mode progress,
                          Consumer<String> log, boolean probe, Duration holdWindow, String failAt, Step stopAfter) {
        public static final List<String> FAIL_POINTS = List.of("switch", "window", "verify");
        /** The steps a run can stop after: the move, once begun, runs to its end. */
        public static final List<Step> STOPS = List.of(Step.INDEX, Step.PARENT, Step.SWITCH, Step.MOVE_BEGIN);

        public static Options defaults() {
            return new Options(LockDiscipline.defaults(), null, null, Progress.Mode.OFF, null, false, null, null, null);
        }

        /** Stops after a step (index, partitioned table, switch, move: begin); the next run continues from there. */
        public Options stoppingAfter(Step step) {
            if (step != null && !STOPS.contains(step)) throw new BadInput("a run can stop after " + STOPS + ", not after " + step);
            return new Options(discipline, batchRows, batchPause, progress, log, probe, holdWindow, failAt, step);
        }

        boolean runs(Step step) {
            return stopAfter == null || step.ordinal() <= stopAfter.ordinal();
        }

        public Options with(LockDiscipline d) {
            return new Options(d, batchRows, batchPause, progress, log, probe, holdWindow, failAt, stopAfter);
        }

        public Options withBatchRows(long rows) {
            if (rows < 1) throw new BadInput("rows per batch must be 1 or more, not " + rows);
            return new Options(discipline, rows, batchPause, progress, log, probe, holdWindow, failAt, stopAfter);
        }

        public Options withBatchPause(Duration pause) {
            if (pause != null && pause.isNegative()) throw new BadInput("the pause between batches must be 0 or more");
            return new Options(discipline, batchRows, pause, progress, log, probe, holdWindow, failAt, stopAfter);
        }

        public Options withProgress(Progress.Mode mode, Consumer<String> stepLog) {
            return new Options(discipline, batchRows, batchPause, mode, stepLog, probe, holdWindow, failAt, stopAfter);
        }

        public Options probed() {
            return new Options(discipline, batchRows, batchPause, progress, log, true, holdWindow, failAt, stopAfter);
        }

        /** Each window lingers this long before its commit, and the report carries the pg_locks seen meanwhile. */
        public Options withHoldWindow(Duration hold) {
            return new Options(discipline, batchRows, batchPause, progress, log, probe, hold, failAt, stopAfter);
        }

        public Options withFailAt(String step) {
            if (step != null && !FAIL_POINTS.contains(step)) {
                throw new BadInput("unknown failure point '" + step + "': use one of " + String.join(", ", FAIL_POINTS));
            }
            return new Options(discipline, batchRows, batchPause, progress, log, probe, holdWindow, step, stopAfter);
        }

        Map<String, String> settings() {
            Map<String, String> s = new HashMap<>(discipline.settings());
            if (holdWindow != null) s.put("online.hold_window_ms", Long.toString(holdWindow.toMillis()));
            if (failAt != null) s.put("online.fail_at", failAt);
            return s;
        }

        OnlineSwap.Options swapOptions(OnlineSwap.StepListener listener) {
            OnlineSwap.Options o = OnlineSwap.Options.defaults().with(discipline).keepingOld().withProgress(progress)
                    .withBatchPause(batchPause).withStepListener(listener);
            if (batchRows != null) o = o.withBatchRows(batchRows);
            if (holdWindow != null) o = o.withHoldWindow(holdWindow);
            if (failAt != null && !failAt.equals("switch")) o = o.withFailAt(failAt);
            return o;
        }

        void note(String line) {
            if (log != null) log.accept(line);
        }
    }

    /** Schema online, the base functions and the migration's (sql/migrate/online/00_functions.sql); idempotent. */
    public static void install(Node node) {
        Migration.installFunctions(node);
        node.run("migrate/online/00_functions.sql");
    }

    /**
     * Where the migration of a table stands (sql/migrate/online/state.sql): next_step (index, parent, switch, move,
     * finish, done), the unique index, the prepared table, the kept original, the swap. Refusals are {@link BadInput}.
     */
    public static Table state(Node node, String table, String timeColumn) {
        return installedAndRolledBack(node, "migrate/online/state.sql", table, timeColumn).setName("online migration of " + table);
    }

    /** The dry run: every step, done, next or to do, what it does and what it locks for how long. Changes nothing. */
    public static Table plan(Node node, String table, String timeColumn) {
        return installedAndRolledBack(node, "migrate/online/plan.sql", table, timeColumn).setName("plan: online migration of " + table);
    }

    /** The plan and where the table stands, from one install in a transaction rolled back (a runbook's dry run). */
    public record Preview(Table plan, Table state) {}

    /** {@link #plan} and {@link #state} at once, installing nothing. Refusals are {@link BadInput}. */
    public static Preview preview(Node node, String table, String timeColumn) {
        parameters(table, timeColumn);
        return node.rolledBack(inside -> {
            install(inside);
            return new Preview(query(inside, "migrate/online/plan.sql", table, timeColumn).setName("plan: online migration of " + table),
                    query(inside, "migrate/online/state.sql", table, timeColumn).setName("online migration of " + table));
        });
    }

    /** A query over the functions this version installs, in a transaction rolled back: a dry run installs nothing. */
    private static Table installedAndRolledBack(Node node, String file, String table, String timeColumn) {
        parameters(table, timeColumn); // a table not named is refused before anything reaches the server
        return node.rolledBack(inside -> {
            install(inside);
            return query(inside, file, table, timeColumn);
        });
    }

    private static Table query(Node node, String file, String table, String timeColumn) {
        try {
            return node.run(file, parameters(table, timeColumn)).lastTable();
        } catch (LabSqlException e) {
            throw e.classified();
        }
    }

    private static Map<String, String> parameters(String table, String timeColumn) {
        if (table == null || table.isBlank()) throw new BadInput("name the table to migrate, e.g. app.event_logs");
        Map<String, String> p = new HashMap<>();
        p.put("lab.table_name", table);
        if (timeColumn != null && !timeColumn.isBlank()) p.put("lab.time_column", timeColumn);
        return p;
    }

    /**
     * One step of a run: whether it ran now (or was done before), its time; for a window, the rows it touched, how long
     * it held its locks (from the server) and the attempts they took; the longest waits a writer and a reader saw.
     */
    public record StepReport(Step step, boolean ran, double millis, Long windowRows, Double windowMillis, Integer lockAttempts,
                             LockProbe.Longest writer, LockProbe.Longest reader) {}

    /**
     * What a run did: the step it started from and the one the table waits for now (done: migrated); each step; the move's swap report; the pg_locks seen during the
     * switch's window and the move's (with holdWindow); the table's fingerprint when the run began and when it ended,
     * and the kept original's; how the migration ended.
     */
    public record Report(String table, String timeColumn, String startedAt, String endedAt, List<StepReport> steps, OnlineSwap.Report move,
                         Locks.Seen<?> switchWindow, Locks.Seen<?> moveWindow, Fingerprint before, Fingerprint after, Fingerprint kept,
                         String ending) {
        public boolean nothingToDo() {
            return "done".equals(startedAt);
        }



        /** The move's verification held (old and new partitions identical at the window), or nothing needed moving now. */
        public boolean noRowLost() {
            if (nothingToDo() || move == null) return true; // the steps before the move copy no row, the switch moves none
            return move.verified();
        }

        public StepReport step(Step step) {
            return steps.stream().filter(s -> s.step() == step).findFirst().orElse(null);
        }

        /** The longest wait of a role over every step that ran (0 when within the noise floor or not probed). */
        public double longestWait(LockProbe.Role role) {
            return steps.stream().map(s -> role == LockProbe.Role.WRITER ? s.writer() : s.reader())
                    .filter(java.util.Objects::nonNull).mapToDouble(LockProbe.Longest::measured).max().orElse(0);
        }

        public String verdict() {
            if (nothingToDo()) return table + " was migrated online before: nothing to do (nothing changed)";
            if (move != null && move.reverted()) return table + ": " + move.verdict();
            String rows = move == null ? "" : String.format(Locale.ROOT, "; the move's window caught up with %,d changed rows and "
                    + "%s (count and checksum at the window)", move.windowRows(),
                    move.verified() ? "found the old and the new partitions identical" : "FOUND THE ROWS DIFFERENT");
            StepReport switched = step(Step.SWITCH);
            String window = switched == null || !switched.ran() ? "" : String.format(Locale.ROOT, "; the switch held its locks %.1f ms and read %d rows",
                    switched.windowMillis(), switched.windowRows());
            String where = endedAt.equals("done") ? " partitioned online by month on " + timeColumn
                    : " on its way to partitions by month on " + timeColumn + ", next step: " + endedAt;
            return table + where + " (this run began at step " + startedAt + ")" + window + rows + (ending == null ? "" : "; " + ending);
        }

        /** Per step: ran now or done before, its file, time, rows its window touched, lock attempts, the waits seen. */
        public Table stepsTable() {
            StringColumn step = StringColumn.create("step");
            StringColumn status = StringColumn.create("run");
            StringColumn file = StringColumn.create("file");
            DoubleColumn millis = DoubleColumn.create("ms");
            StringColumn held = StringColumn.create("locks held (ms)");
            StringColumn rows = StringColumn.create("rows its window touched");
            StringColumn attempts = StringColumn.create("lock attempts");
            StringColumn writer = StringColumn.create("writer waited (ms)");
            StringColumn reader = StringColumn.create("reader waited (ms)");
            for (StepReport r : steps) {
                step.append(r.step().label());
                status.append(r.ran() ? "now" : "done before");
                file.append("sql/" + r.step().file());
                millis.append(Math.round(r.millis() * 10) / 10.0);
                held.append(r.windowMillis() == null ? "" : String.format(Locale.ROOT, "%.1f", r.windowMillis()));
                rows.append(r.windowRows() == null ? "" : Long.toString(r.windowRows()));
                attempts.append(r.lockAttempts() == null ? "" : Integer.toString(r.lockAttempts()));
                writer.append(r.writer() == null ? "" : r.writer().shown());
                reader.append(r.reader() == null ? "" : r.reader().shown());
            }
            return Table.create("steps of the online migration of " + table, step, status, file, millis, held, rows, attempts, writer, reader);
        }
    }

    /**
     * Runs the steps still to do, from where the table stands. Refusals are {@link BadInput} (nothing changed); a lock
     * not got within the budget is {@link LockGiveUp} (that step changed nothing; run again later); a table migrated
     * before gives a report that says so.
     */
    public static Report run(Node node, String table, String timeColumn, Options options) {
        Table state = state(node, table, timeColumn); // refusals first: nothing installed for a table refused
        install(node);
        String name = state.getString(0, "table_name");
        String column = state.getString(0, "time_column");
        String startedAt = state.getString(0, "next_step");
        if (startedAt.equals("done")) {
            return new Report(name, column, startedAt, startedAt, List.of(), null, null, null, null, null, null, null);
        }
        Map<String, String> settings = new HashMap<>(options.settings());
        settings.putAll(parameters(name, column));
        Supplier<String> next = () -> query(node, "migrate/online/state.sql", name, column).getString(0, "next_step");
        Fingerprint before = Fingerprint.of(node, name);
        Map<Step, long[]> spans = new LinkedHashMap<>();
        Map<Step, Long> windowRows = new HashMap<>();
        Map<Step, Integer> attempts = new HashMap<>();
        Map<Step, Double> windowMillis = new HashMap<>();
        Locks.Seen<?>[] windowLocks = new Locks.Seen<?>[2];
        OnlineSwap.Report move = null;
        String ending = null;
        List<LockProbe.Wait> waits = List.of();
        try (var probe = options.probe() ? LockProbe.start(node, name) : null) {
            try {
                if (startedAt.equals("index") && options.runs(Step.INDEX)) {
                    timed(spans, Step.INDEX, options, () -> buildIndex(node, state, options));
                }
                if (options.runs(Step.PARENT) && next.get().equals("parent")) timed(spans, Step.PARENT, options, () -> run(node, Step.PARENT, settings));
                if (options.runs(Step.SWITCH) && next.get().equals("switch")) {
                    Table switched = timed(spans, Step.SWITCH, options, () -> watched(node, name, options, 0, windowLocks,
                            () -> run(node, Step.SWITCH, settings).lastTable()));
                    windowRows.put(Step.SWITCH, ((Number) switched.column("rows_read").get(0)).longValue());
                    attempts.put(Step.SWITCH, ((Number) switched.column("lock_attempts").get(0)).intValue());
                    windowMillis.put(Step.SWITCH, ((Number) switched.column("window_ms").get(0)).doubleValue());
                }
                long swap = !options.runs(Step.MOVE_BEGIN) || !next.get().equals("move") ? 0 : timed(spans, Step.MOVE_BEGIN, options,
                        () -> ((Number) run(node, Step.MOVE_BEGIN, settings).lastTable().get(0, 0)).longValue());
                if (swap > 0 && options.runs(Step.MOVE_BATCHES)) {
                    OnlineSwap.StepListener listener = (step, from, to) -> {
                        Step done = switch (step) {
                            case "stage" -> Step.MOVE_BATCHES;
                            case "window" -> Step.MOVE_WINDOW;
                            case "verify" -> Step.VERIFY;
                            default -> Step.FINISH; // finish, or revert
                        };
                        spans.put(done, new long[] {from, to});
                        options.note(String.format(Locale.ROOT, "%s (%s): %.0f ms", done.label(), step, (to - from) / 1e6));
                    };
                    move = watched(node, name, options, 1, windowLocks, () -> OnlineSwap.complete(node, swap, options.swapOptions(listener)));
                    windowRows.put(Step.MOVE_WINDOW, move.windowRows());
                    attempts.put(Step.MOVE_WINDOW, move.lockAttempts());
                    windowMillis.put(Step.MOVE_WINDOW, move.windowMillis());
                }
                if (options.runs(Step.FINISH) && (move == null || move.verified())) {
                    long[] swapFinish = spans.get(Step.FINISH);
                    ending = String.valueOf(timed(spans, Step.FINISH, options, () -> run(node, Step.FINISH, settings).lastTable().get(0, 0)));
                    if (swapFinish != null) spans.get(Step.FINISH)[0] = swapFinish[0]; // the swap's finish and the file's: one step
                }
            } catch (LabSqlException e) {
                throw e.classified();
            } finally {
                if (probe != null) waits = probe.stop();
            }
        }
        Map<Step, LockProbe.Longest[]> waited = options.probe() ? longest(waits, name, spans) : Map.of();
        List<StepReport> steps = new ArrayList<>();
        for (Step step : Step.values()) {
            long[] span = spans.get(step);
            LockProbe.Longest[] roles = waited.getOrDefault(step, new LockProbe.Longest[2]);
            steps.add(new StepReport(step, span != null, span == null ? 0 : (span[1] - span[0]) / 1e6, windowRows.get(step),
                    windowMillis.get(step), attempts.get(step), roles[0], roles[1]));
        }
        Fingerprint after = Fingerprint.of(node, name);
        String keptName = state.getString(0, "kept_table");
        return new Report(name, column, startedAt, next.get(), steps, move, windowLocks[0], windowLocks[1], before, after,
                Partitions.exists(node, keptName) ? Fingerprint.of(node, keptName) : null, ending);
    }

    private static Sql.Result run(Node node, Step step, Map<String, String> settings) {
        return node.run(step.file(), settings);
    }

    /**
     * Step 1: CREATE UNIQUE INDEX CONCURRENTLY. A build under way elsewhere (a run killed a moment ago, whose server
     * session has not noticed yet) is waited for, within the lock budget; an INVALID index it left is dropped
     * CONCURRENTLY first. Neither blocks readers or writers.
     */
    private static void buildIndex(Node node, Table state, Options options) {
        String table = state.getString(0, "table_name");
        Map<String, String> variables = Map.of("schema", state.getString(0, "schema_name"), "table", state.getString(0, "relation"),
                "index", state.getString(0, "unique_index"), "key", state.getString(0, "key_column"), "column", state.getString(0, "time_column"));
        long budget = options.discipline().budget() == null ? LockDiscipline.DEFAULT_BUDGET.toMillis() : options.discipline().budget().toMillis();
        long deadline = System.nanoTime() + budget * 1_000_000;
        Table now = state;
        while (Boolean.TRUE.equals(now.column("index_building").get(0))) {
            if (System.nanoTime() > deadline) {
                throw new LockGiveUp("a CREATE INDEX CONCURRENTLY on " + table + " was still under way after " + budget
                        + " ms: let it finish, then run again (nothing changed)", null);
            }
            options.note("an index build on " + table + " is under way (an interrupted run's?): waiting for it");
            sleep(500);
            now = query(node, "migrate/online/state.sql", table, null);
        }
        if (Boolean.TRUE.equals(now.column("index_valid").get(0))) return;
        if (Boolean.FALSE.equals(now.column("index_valid").get(0))) {
            options.note("dropping the INVALID index " + variables.get("index") + " an interrupted build left (CONCURRENTLY)");
            Sql.file("migrate/online/1_drop_invalid_index.sql").withVariables(variables).run(node, Map.of());
        }
        Sql.file(Step.INDEX.file()).withVariables(variables).run(node, Map.of());
    }

    /** Runs a step while, with holdWindow, another session keeps the fullest view of pg_locks its window held. */
    private static <T> T watched(Node node, String table, Options options, int slot, Locks.Seen<?>[] seen, Supplier<T> step) {
        if (options.holdWindow() == null) return step.get();
        var watched = Locks.whileInWindow(node, table, step);
        seen[slot] = watched;
        return watched.result();
    }

    private static <T> T timed(Map<Step, long[]> spans, Step step, Options options, Supplier<T> action) {
        long start = System.nanoTime();
        T result = action.get();
        long end = System.nanoTime();
        spans.put(step, new long[] {start, end});
        options.note(String.format(Locale.ROOT, "%s: %.0f ms", step.label(), (end - start) / 1e6));
        return result;
    }

    private static void timed(Map<Step, long[]> spans, Step step, Options options, Runnable action) {
        timed(spans, step, options, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Per step, the longest writer's and reader's wait, and the noise floor of its span. A wait belongs to the step its
     * interval overlaps most: a wait a window causes ends at the window's commit, a moment after the step's own end,
     * and may have begun a moment before it.
     */
    private static Map<Step, LockProbe.Longest[]> longest(List<LockProbe.Wait> waits, String table, Map<Step, long[]> spans) {
        Map<Step, List<LockProbe.Wait>> byStep = new HashMap<>();
        for (LockProbe.Wait w : waits) {
            Step owner = null;
            long most = 0;
            for (var span : spans.entrySet()) {
                long overlap = w.role() == LockProbe.Role.CONTROL
                        ? (w.endNanos() > span.getValue()[0] && w.endNanos() <= span.getValue()[1] ? 1 : 0)
                        : Math.min(w.endNanos(), span.getValue()[1]) - Math.max(w.startNanos(), span.getValue()[0]);
                if (overlap > most) {
                    most = overlap;
                    owner = span.getKey();
                }
            }
            if (owner != null) byStep.computeIfAbsent(owner, k -> new ArrayList<>()).add(w);
        }
        Map<Step, LockProbe.Longest[]> longest = new HashMap<>();
        spans.forEach((step, span) -> {
            List<LockProbe.Longest> roles = LockProbe.longest(byStep.getOrDefault(step, List.of()), List.of(table), Long.MIN_VALUE, Long.MAX_VALUE);
            longest.put(step, new LockProbe.Longest[] {roles.get(0), roles.get(1)});
        });
        return longest;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
