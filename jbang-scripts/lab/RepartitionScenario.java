package lab;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The five re-partitioning scenarios of lesson 05 and {@code jbang scripts/Repartition.java}: each changes the layout
 * of a live table through the files of {@code sql/repartition}, one file a step, under the online discipline of
 * {@code sql/online} ({@link OnlineSwap}, {@link LockDiscipline}), and proves that no row was lost.
 *
 * <pre>{@code
 * RepartitionScenario.prepare(db);                                   // tables and functions, if missing
 * var outcome = RepartitionScenario.SPLIT.run(db, RepartitionScenario.Options.defaults());
 * Claim.that(outcome.verdict(), outcome.completed() && outcome.noRowLost());
 * }</pre>
 *
 * add, split and cleanup are each one online swap: stage (copies, while readers and writers go on), swap (a short
 * window: catch-up of the changes made meanwhile, catalog-only DETACH and ATTACH), verify (count and checksum against
 * the old data, kept until then; revert when they differ). detach is a catalog-only DETACH in a window of its own, then
 * an archive copy of the detached table. migrate only reads the live table. A scenario first checks its precondition
 * and lists its plan ({@code lab.plan_<scenario>}): a missing precondition is a {@link BadInput} (nothing changed); an
 * empty plan means it ran before. A {@link LockProbe} measures meanwhile how long a writer and a reader would have
 * waited for each table, per step.
 */
public enum RepartitionScenario {
    ADD("add the month's partition (default 2024-04): its rows sit in the DEFAULT, so the DEFAULT is replaced, online, "
            + "by the month and a new DEFAULT", "2024-04", false, List.of("window", "verify"),
            Step.of("stage", "repartition/add_1_stage.sql"), Step.window("swap", "repartition/add_2_swap.sql"),
            Step.of("verify", "repartition/add_3_verify.sql")),
    SPLIT("split a month partition (default 2024-02) into weeks, online: days 1-7, 8-14, 15-21, the 22nd to the end",
            "2024-02", false, List.of("window", "verify"),
            Step.of("stage", "repartition/split_1_stage.sql"), Step.window("swap", "repartition/split_2_swap.sql"),
            Step.of("verify", "repartition/split_3_verify.sql")),
    DETACH("detach a month partition (default 2024-01) in a catalog-only window, then archive it into "
            + "app.event_logs_archive and drop it", "2024-01", true, List.of("window", "archive"),
            Step.window("detach", "repartition/detach_1_detach.sql"), Step.of("archive", "repartition/detach_2_archive.sql")),
    MIGRATE("build app.users_by_date (RANGE by quarter) from the HASH-partitioned app.users_distributed, only reading "
            + "it; keep both", null, false, List.of("copy"),
            Step.of("build", "repartition/migrate_1_build.sql")),
    CLEANUP("undo all of the above with one online swap: back to 2024_01..2024_03 and a DEFAULT, every row back in "
            + "app.event_logs, then the archive and app.users_by_date dropped", null, true, List.of("window", "verify", "drop"),
            Step.of("stage", "repartition/cleanup_1_stage.sql"), Step.window("swap", "repartition/cleanup_2_swap.sql"),
            Step.of("verify", "repartition/cleanup_3_verify.sql"), Step.of("drop", "repartition/cleanup_4_drop.sql"));

    /** The tables whose locks the probe asks for: the ones the load simulator writes and the scenarios change. */
    public static final List<String> PROBED_TABLES = List.of("app.event_logs", "app.users_distributed");
    public static final String ARCHIVE = "app.event_logs_archive";
    /**
     * The steps a test (or a learner) can make fail, with {@link Options#withFailAt} (setting online.fail_at):
     * {@code window} (a swap's or detach's window rolls back), {@code verify} (the verification reports a mismatch, so
     * the swap is reverted, online), {@code archive} (detach's archive step rolls back), {@code copy} (migrate rolls
     * back), {@code drop} (cleanup's last step rolls back). Each scenario has the ones of its steps.
     */
    public static final List<String> FAIL_POINTS = List.of("window", "verify", "archive", "copy", "drop");

    private final String description;
    private final String defaultMonth;
    private final boolean destructive;
    private final List<String> failPoints;
    private final List<Step> steps;

    RepartitionScenario(String description, String defaultMonth, boolean destructive, List<String> failPoints, Step... steps) {
        this.description = description;
        this.defaultMonth = defaultMonth;
        this.destructive = destructive;
        this.failPoints = failPoints;
        this.steps = List.of(steps);
    }

    /** One step: a file of sql/, run in a session of its own; a window takes the strong locks (and reports them). */
    public record Step(String name, String file, boolean window) {
        static Step of(String name, String file) {
            return new Step(name, file, false);
        }

        static Step window(String name, String file) {
            return new Step(name, file, true);
        }
    }

    /**
     * Which month (add, split, detach); the lock discipline (lock_timeout, budget; {@link LockDiscipline#unbounded()}
     * to watch the queue it prevents); how long a window lingers before it commits (holdWindow: a lesson looking at
     * pg_locks; never in production); a long reader started just before the first window (a session holding ACCESS
     * SHARE on app.event_logs that long, {@link Locks#holdAccessShare}: what the discipline is for); rows per staging
     * batch; an injected failure.
     */
    public record Options(YearMonth month, String failAt, LockDiscipline discipline, Duration holdWindow, Duration longReader,
                          Long batchRows) {
        public static Options defaults() {
            return new Options(null, null, LockDiscipline.defaults(), null, null, null);
        }

        public Options withMonth(YearMonth m) {
            return new Options(m, failAt, discipline, holdWindow, longReader, batchRows);
        }

        public Options withFailAt(String step) {
            if (step != null && !FAIL_POINTS.contains(step)) {
                throw new BadInput("unknown failure point '" + step + "': use one of " + String.join(", ", FAIL_POINTS));
            }
            return new Options(month, step, discipline, holdWindow, longReader, batchRows);
        }

        public Options with(LockDiscipline d) {
            return new Options(month, failAt, d, holdWindow, longReader, batchRows);
        }

        public Options withHoldWindow(Duration hold) {
            return new Options(month, failAt, discipline, hold, longReader, batchRows);
        }

        public Options withLongReader(Duration reading) {
            return new Options(month, failAt, discipline, holdWindow, reading, batchRows);
        }

        public Options withBatchRows(long rows) {
            if (rows < 1) throw new BadInput("rows per batch must be 1 or more, not " + rows);
            return new Options(month, failAt, discipline, holdWindow, longReader, rows);
        }

        /** The same discipline, as the engine's options (to abort a swap given up). */
        OnlineSwap.Options swapOptions() {
            return OnlineSwap.Options.defaults().with(discipline);
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    public boolean takesMonth() {
        return defaultMonth != null;
    }

    /** Drops or detaches something (its rows kept elsewhere): runbooks show a dry run unless confirmed. */
    public boolean destructive() {
        return destructive;
    }

    public List<Step> steps() {
        return steps;
    }

    /** The failure points of this scenario's steps (see {@link #FAIL_POINTS}). */
    public List<String> failPoints() {
        return failPoints;
    }

    /**
     * Refuses a failure point this scenario does not have (another scenario's, or none's), listing its own: what stops
     * {@code split --fail-at archive} from running the split for real, with nothing to fail.
     */
    public void requireFailPoint(String step) {
        if (step != null && !failPoints.contains(step)) {
            throw new BadInput(label() + " has no failure point '" + step + "': its steps to fail at are " + String.join(", ", failPoints));
        }
    }

    public static RepartitionScenario named(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (RepartitionScenario s : values()) {
            if (s.label().equals(wanted)) return s;
        }
        throw new BadInput("unknown scenario '" + name + "': use one of " + String.join(", ", labels()));
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(RepartitionScenario::label).toList();
    }

    /**
     * What the scenarios need: app.event_logs and app.users_distributed created and partitioned when missing (at
     * LAB_SCALE, as the lessons do), schema online (sql/online) and the functions of sql/repartition. Tables that exist
     * are left as they are.
     */
    public static void prepare(Node node) {
        Migration.installFunctions(node);
        for (Migration m : List.of(Migration.RANGE, Migration.HASH)) {
            if (m.state(node) == Migration.State.MISSING) m.ensure(node);
        }
        OnlineSwap.install(node);
        node.run("repartition/00_functions.sql");
        node.run("repartition/01_scenarios.sql");
    }

    /**
     * What {@link #prepare} would do now, changing nothing: one row per thing it would create, partition or install, with
     * its rows (a table created is seeded at LAB_SCALE; a plain one is migrated with its rows). Empty: all there.
     */
    public static Table preparation(Node node) {
        StringColumn what = StringColumn.create("would prepare");
        StringColumn how = StringColumn.create("how");
        LongColumn rows = LongColumn.create("rows");
        Table there = node.run("repartition/prepared.sql").lastTable();
        for (int i = 0; i < there.rowCount(); i++) {
            String relation = there.getString(i, "relation");
            String state = there.getString(i, "state");
            if (state.equals("partitioned") || state.equals("installed")) continue;
            Migration m = relation.startsWith("app.") ? Migration.named(relation) : null;
            what.append(relation);
            if (m == null) {
                how.append(relation.equals("schema online") ? "installed: sql/online/install.sql"
                        : "installed: sql/repartition/00_functions.sql and 01_scenarios.sql");
                rows.appendMissing();
            } else if (state.equals("missing")) {
                how.append("created (sql/" + m.baseFile() + ", LAB_SCALE " + Scale.current() + ") and partitioned " + m.layout()
                        + " (sql/" + m.migrationFile() + "), keeping " + m.oldTable());
                rows.append(m.seedRows(Scale.current()));
            } else {
                how.append("partitioned " + m.layout() + " (sql/" + m.migrationFile() + "), keeping " + m.oldTable()
                        + ": ACCESS EXCLUSIVE on it for the copy");
                rows.append(node.count(relation));
            }
        }
        return Table.create("what a real run prepares first", what, how, rows);
    }

    /** The layout and the plan as a real run would find them after {@link #prepare}: see {@link #preview}. */
    public record Preview(Table preparation, Table before, Table plan) {}

    /**
     * The plan, changing nothing even where {@link #prepare} has work to do: what it would prepare ({@link #preparation}),
     * then the preparation, the layout and the plan in one transaction rolled back ({@link Node#rolledBack}), so that the
     * plan is the one of the tables the real run will have (same rows, same partitions) and its precondition is checked
     * against them: a missing one throws {@link BadInput} with nothing created or installed. A table still to be created
     * is seeded there as prepare seeds it (at LAB_SCALE), so a dry run on an empty database takes as long as preparing.
     */
    public Preview preview(Node node, Options options) {
        Table preparation = preparation(node);
        return node.rolledBack(inside -> {
            prepare(inside); // also where all is there: the plan of the functions this version installs
            return new Preview(preparation, state(inside), plan(inside, options));
        });
    }

    /**
     * Starts over with the original layout (app.event_logs by month, 2024_01..2024_03 and a DEFAULT, seeded at LAB_SCALE
     * over 2024; app.users_distributed by hash), migrated as in lessons 01 and 02, then {@link #prepare}.
     */
    public static void startOver(Node node) {
        startOver(node, Migration.RANGE.seedRows(Scale.current()), Migration.HASH.seedRows(Scale.current()));
    }

    /**
     * Starts over with the original layout holding {@code eventsPerMonth} events in each month of 2024 and {@code users}
     * users, whatever LAB_SCALE says: what a benchmark runs the scenarios on (500,000 a month at full scale).
     */
    public static void seed(Node node, long eventsPerMonth, long users) {
        if (eventsPerMonth < 0 || users < 0) throw new BadInput("rows to seed must be 0 or more");
        startOver(node, 12 * eventsPerMonth, users);
    }

    private static void startOver(Node node, long events, long users) {
        Migration.RANGE.createBase(node, events, Migration.DEFAULT_SEED);
        Migration.RANGE.migrate(node);
        Migration.HASH.createBase(node, users, Migration.DEFAULT_SEED);
        Migration.HASH.migrate(node);
        prepare(node);
    }

    /** The month the scenario works on, as the SQL takes it (YYYY-MM); null for migrate and cleanup. */
    public String month(Options options) {
        if (!takesMonth()) {
            if (options.month() != null) throw new BadInput("a month applies to add, split and detach, not to " + label());
            return null;
        }
        return options.month() == null ? defaultMonth : options.month().toString();
    }

    private Map<String, String> settings(Options options) {
        Map<String, String> settings = new HashMap<>(options.discipline().settings());
        settings.put("lab.scenario", label());
        String month = month(options);
        if (month != null) settings.put("lab.month", month);
        if (options.failAt() != null) settings.put("online.fail_at", options.failAt());
        if (options.holdWindow() != null) settings.put("online.hold_window_ms", Long.toString(options.holdWindow().toMillis()));
        if (options.batchRows() != null) settings.put("online.batch_rows", options.batchRows().toString());
        return settings;
    }

    private Sql.Result run(Node node, String file, Options options) {
        try {
            return node.run(file, settings(options));
        } catch (LabSqlException e) {
            throw e.classified();
        }
    }

    /** The plan, changing nothing: each step, what it does and locks, and its rows. Empty: nothing left to do. */
    public Table plan(Node node, Options options) {
        return run(node, "repartition/plan.sql", options).lastTable().setName("plan: " + label());
    }

    /**
     * The relations of app.event_logs this scenario's window would lock now, and in which mode (as pg_locks names it),
     * as its plan states them; empty for migrate (no window) or when there is nothing to do. Compare with
     * {@link Locks#whileInWindow}.
     */
    public Table windowLocks(Node node, Options options) {
        return run(node, "repartition/window_locks.sql", options).lastTable().setName("what the window of " + label() + " locks, as planned");
    }

    /** The layout of app.event_logs (or app.users_by_date for migrate) now, with the archive and any month detached half way. */
    public Table state(Node node) {
        String table = this == MIGRATE && Partitions.exists(node, "app.users_by_date") ? "app.users_by_date"
                : this == MIGRATE ? "app.users_distributed" : "app.event_logs";
        Table tree = Partitions.tree(node, table);
        Table state = Table.create("layout of " + table,
                StringColumn.create("partition", tree.stringColumn("partition").asList()),
                StringColumn.create("bound", tree.column("bound").asList().stream().map(b -> b == null ? "" : b.toString()).toList()),
                LongColumn.create("rows", tree.column("row_count").asList().stream().mapToLong(n -> ((Number) n).longValue()).toArray()));
        if (this != MIGRATE) {
            Table aside = run(node, "repartition/tables_aside.sql", Options.defaults()).lastTable();
            for (int i = 0; i < aside.rowCount(); i++) {
                state.stringColumn("partition").append(aside.getString(i, "relation"));
                state.stringColumn("bound").append(aside.getString(i, "what"));
                state.longColumn("rows").append(((Number) aside.column("row_count").get(i)).longValue());
            }
        }
        return state;
    }

    /** Count and checksum of every row the scenario must keep: every event wherever it is (migrate: the users). */
    public Fingerprint wholeFingerprint(Node node) {
        if (this == MIGRATE) return Fingerprint.of(node, "app.users_distributed");
        Table t = run(node, "repartition/event_rows.sql", Options.defaults()).lastTable();
        return new Fingerprint("every event (app.event_logs, the archive, a month detached)", ((Number) t.get(0, 0)).longValue(),
                t.getString(0, "row_checksum"));
    }

    /** Runs the scenario: plan, then each step with the lock probe on; throws if a step fails (see {@link #FAIL_POINTS}). */
    public Outcome run(Node node, Options options) {
        return run(node, options, Progress.Mode.OFF);
    }

    public Outcome run(Node node, Options options, Progress.Mode progress) {
        requireFailPoint(options.failAt());
        Table before = state(node);
        Table plan = plan(node, options);
        String month = month(options);
        if (plan.rowCount() == 0) {
            return new Outcome(this, month, before, plan, List.of(), verificationTable(List.of()), List.of(), null, null,
                    before, null, null, true);
        }
        Fingerprint wholeBefore = wholeFingerprint(node);
        List<Sql.Result> results = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        List<LockProbe.Wait> waits;
        Locks.LongReader reader = null;
        try (var probe = LockProbe.start(node, PROBED_TABLES.toArray(String[]::new));
             var bar = Progress.start(label(), steps.size(), "steps", progress)) {
            try {
                for (Step step : steps) {
                    if (step.window() && options.longReader() != null && reader == null) {
                        reader = Locks.holdAccessShare(node, "app.event_logs", options.longReader());
                    }
                    long start = System.nanoTime();
                    results.add(runStep(node, step, options));
                    spans.add(new long[] {start, System.nanoTime()});
                    bar.step(1);
                    if ("reverted".equals(swapState(results))) break; // the verification failed: nothing more to do
                }
            } finally {
                waits = probe.stop();
                if (reader != null) reader.close();
            }
        }
        List<List<LockProbe.Longest>> longest = LockProbe.longestPerInterval(waits, PROBED_TABLES, spans);
        List<StepReport> reports = new ArrayList<>();
        List<Table> verifications = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        Table heldLocks = null;
        for (int i = 0; i < results.size(); i++) {
            Long windowRows = null;
            Integer attempts = null;
            Double windowMillis = null;
            for (Sql.StatementResult s : results.get(i).statements()) {
                if (!s.hasRows() || s.table().rowCount() == 0) continue;
                List<String> columns = s.table().columnNames();
                if (columns.contains("lock_attempts") && columns.contains("window_ms")) {
                    windowRows = ((Number) s.table().column("window_rows").get(0)).longValue();
                    attempts = ((Number) s.table().column("lock_attempts").get(0)).intValue();
                    windowMillis = ((Number) s.table().column("window_ms").get(0)).doubleValue();
                }
                if (columns.contains("checksum_before") && columns.contains("rows_after")) verifications.add(s.table());
                if (columns.contains("mode") && columns.contains("granted")) heldLocks = s.table().setName("locks " + label() + " held on app.users_distributed (pg_locks)");
            }
            for (String n : results.get(i).notices()) {
                if (n.contains("implied by existing constraints") || n.startsWith("verifying table") || n.contains("retrying")) notices.add(n);
            }
            long[] span = spans.get(i);
            reports.add(new StepReport(steps.get(i).name(), steps.get(i).file(), (span[1] - span[0]) / 1e6, windowRows, attempts, windowMillis,
                    longest.get(i)));
        }
        return new Outcome(this, month, before, plan, reports, verificationTable(verifications), notices, heldLocks, swapState(results),
                state(node), wholeBefore, wholeFingerprint(node), false);
    }

    /**
     * One step. A window (or a swap's begin) that could not get its locks within the budget changed nothing; the swap
     * under way is then given up (aborted: staged tables and capture removed), so that nothing is left behind.
     */
    private Sql.Result runStep(Node node, Step step, Options options) {
        try {
            return run(node, step.file(), options);
        } catch (LockGiveUp giveUp) {
            Table underWay = swapUnderWay(node, options);
            if (underWay.rowCount() == 0 || !"staging".equals(underWay.getString(0, "state"))) throw giveUp;
            throw new LockGiveUp(giveUp.getMessage() + " (" + OnlineSwap.abort(node, swapId(underWay), options.swapOptions()) + ")", giveUp);
        } catch (BadInput refused) {
            throw refused;
        } catch (RuntimeException failed) {
            throw leftBehind(node, options, failed);
        }
    }

    /**
     * A step that failed otherwise (a window rolled back, say) keeps what the steps before it did, for a rerun to
     * continue from: the failure then names the swap under way and its staged tables, and how to remove them instead, so
     * that nothing is left behind unsaid. As it was when nothing is left, or when the server cannot say.
     */
    private RuntimeException leftBehind(Node node, Options options, RuntimeException failed) {
        if (!(failed instanceof LabSqlException sqlFailure)) return failed;
        Table underWay;
        try {
            underWay = swapUnderWay(node, options);
        } catch (RuntimeException unknown) {
            return failed;
        }
        if (underWay.rowCount() == 0) return failed;
        long swapId = swapId(underWay);
        String staged = underWay.getString(0, "staged_left");
        return sqlFailure.withMore("; left for a rerun: swap " + swapId + " (" + underWay.getString(0, "state") + ")"
                + (staged.isEmpty() ? "" : ", its staged tables " + staged) + " and the capture of changes on " + underWay.getString(0, "captured")
                + ": run " + label() + " again and it continues, or remove them with psql: SELECT online.abort_swap(" + swapId + ");");
    }

    /** The scenario's swap not finished yet, if any (sql/repartition/swap_under_way.sql): a row, or none. */
    private Table swapUnderWay(Node node, Options options) {
        return run(node, "repartition/swap_under_way.sql", options).lastTable();
    }

    private static long swapId(Table underWay) {
        return ((Number) underWay.column("swap_id").get(0)).longValue();
    }

    /** The state of the scenario's swap as the last step that showed it said (finished, reverted, ...), or null. */
    private static String swapState(List<Sql.Result> results) {
        String state = null;
        for (Sql.Result r : results) {
            for (Sql.StatementResult s : r.statements()) {
                if (s.hasRows() && s.table().rowCount() > 0 && s.table().columnNames().contains("state")) state = s.table().getString(0, "state");
            }
        }
        return state;
    }

    private static Table verificationTable(List<Table> tables) {
        StringColumn what = StringColumn.create("moved");
        LongColumn rowsBefore = LongColumn.create("rows before");
        StringColumn checksumBefore = StringColumn.create("checksum before");
        LongColumn rowsAfter = LongColumn.create("rows after");
        StringColumn checksumAfter = StringColumn.create("checksum after");
        StringColumn from = StringColumn.create("from");
        StringColumn to = StringColumn.create("to");
        for (Table t : tables) {
            for (int i = 0; i < t.rowCount(); i++) {
                if (t.column("rows_before").get(i) == null) continue; // a swap not verified yet
                what.append(String.valueOf(t.column("moved_range").get(i)));
                rowsBefore.append(((Number) t.column("rows_before").get(i)).longValue());
                checksumBefore.append(String.valueOf(t.column("checksum_before").get(i)));
                rowsAfter.append(((Number) t.column("rows_after").get(i)).longValue());
                checksumAfter.append(String.valueOf(t.column("checksum_after").get(i)));
                from.append(String.valueOf(t.column("detached").get(i)));
                to.append(String.valueOf(t.column("attached").get(i)));
            }
        }
        return Table.create("rows moved: count and checksum of the old data and of the new (at the window)", what, rowsBefore,
                checksumBefore, rowsAfter, checksumAfter, from, to);
    }

    /**
     * One step: how long it took; for a window, the rows it wrote (the changes captured meanwhile, never the partition's
     * rows), its lock attempts and how long it held its locks; and the longest a writer and a reader would have waited
     * for each probed table meanwhile (with the probe's noise floor).
     */
    public record StepReport(String step, String file, double millis, Long windowRows, Integer lockAttempts, Double windowMillis,
                             List<LockProbe.Longest> waits) {
        public LockProbe.Longest longest(String table, LockProbe.Role role) {
            return waits.stream().filter(w -> w.table().equals(table) && w.role() == role).findFirst()
                    .orElse(new LockProbe.Longest(table, role, 0, LockProbe.MIN_FLOOR_MILLIS));
        }
    }

    /** What one run did: the layout before and after, its plan, steps, the moved rows' proof, and every row's. */
    public record Outcome(RepartitionScenario scenario, String month, Table before, Table plan, List<StepReport> steps,
                          Table verification, List<String> notices, Table heldLocks, String swapState, Table after,
                          Fingerprint wholeBefore, Fingerprint wholeAfter, boolean nothingToDo) {

        /** The verification failed, so the swap was reverted, online: the old partitions are back, with every row. */
        public boolean reverted() {
            return "reverted".equals(swapState);
        }

        /** Every moved set of rows had the same count and checksum in the old and the new place. */
        public boolean movedRowsMatch() {
            for (int i = 0; i < verification.rowCount(); i++) {
                if (verification.longColumn("rows before").get(i).longValue() != verification.longColumn("rows after").get(i).longValue()
                        || !verification.stringColumn("checksum before").get(i).equals(verification.stringColumn("checksum after").get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** The scenario did what it set out to do, and proved it. */
        public boolean completed() {
            return nothingToDo || !reverted() && movedRowsMatch();
        }

        /** Every row the scenario must keep (every event wherever it is; the users), same count and checksum before and after. */
        public boolean wholeTableUnchanged() {
            return nothingToDo || wholeBefore.sameRowsAs(wholeAfter);
        }

        /**
         * No row lost: the moved rows verified (or the swap reverted with them), and every row the scenario must keep there
         * afterwards: the same count and checksum as before, or, when others wrote meanwhile (a load), not fewer rows; the
         * writers' own rows are theirs to check ({@link LoadSimulator#verify}).
         */
        public boolean noRowLost() {
            return nothingToDo || (reverted() || movedRowsMatch()) && (wholeTableUnchanged() || wholeAfter.rows() > wholeBefore.rows());
        }

        public long rowsMoved() {
            return (long) verification.longColumn("rows before").sum();
        }

        /** Rows the windows wrote: the changes made meanwhile that they caught up with, never the rows moved. */
        public long windowRows() {
            return steps.stream().filter(s -> s.windowRows() != null).mapToLong(StepReport::windowRows).sum();
        }

        /** How long the windows held their locks, together, in ms. */
        public double windowMillis() {
            return steps.stream().filter(s -> s.windowMillis() != null).mapToDouble(StepReport::windowMillis).sum();
        }

        public int lockAttempts() {
            return steps.stream().filter(s -> s.lockAttempts() != null).mapToInt(StepReport::lockAttempts).sum();
        }

        /** ATTACHes for which PostgreSQL proved a new partition's bound from its CHECK instead of scanning it. */
        public long attachScansSkipped() {
            return notices.stream().filter(s -> s.startsWith("partition constraint for table")).count();
        }

        /** ATTACHes for which PostgreSQL scanned a table. */
        public long attachScans() {
            return notices.stream().filter(s -> s.startsWith("verifying table")).count();
        }

        /**
         * The longest wait of a role on a table over the whole run: the step where it was longest above the probe's noise
         * floor, or, when no step's was, "&lt; floor".
         */
        public LockProbe.Longest longest(String table, LockProbe.Role role) {
            LockProbe.Longest longest = new LockProbe.Longest(table, role, 0, LockProbe.MIN_FLOOR_MILLIS);
            for (StepReport s : steps) {
                LockProbe.Longest l = s.longest(table, role);
                if (l.measured() > longest.measured() || !longest.aboveFloor() && !l.aboveFloor() && l.floorMillis() > longest.floorMillis()) longest = l;
            }
            return longest;
        }

        public double totalMillis() {
            return steps.stream().mapToDouble(StepReport::millis).sum();
        }

        /** The table the scenario changes: app.users_distributed for migrate (read only), app.event_logs otherwise. */
        public String table() {
            return scenario == MIGRATE ? "app.users_distributed" : "app.event_logs";
        }

        /** Per step: its file and time, the window's rows, attempts and length, and the longest wait of each role per table. */
        public Table timings() {
            StringColumn step = StringColumn.create("step");
            StringColumn file = StringColumn.create("file");
            DoubleColumn millis = DoubleColumn.create("ms");
            StringColumn rows = StringColumn.create("rows in window");
            StringColumn attempts = StringColumn.create("lock attempts");
            Table t = Table.create("steps of " + name() + ": time, the window's rows, and the longest a writer and a reader waited (ms)",
                    step, file, millis, rows, attempts);
            List<StringColumn> waits = waitColumns(t);
            for (StepReport r : steps) {
                step.append(r.step());
                file.append("sql/" + r.file());
                millis.append(round1(r.millis()));
                rows.append(r.windowRows() == null ? "" : r.windowRows().toString());
                attempts.append(r.lockAttempts() == null ? "" : r.lockAttempts().toString());
                int i = 0;
                for (String table : PROBED_TABLES) {
                    for (LockProbe.Role role : List.of(LockProbe.Role.WRITER, LockProbe.Role.READER)) waits.get(i++).append(r.longest(table, role).shown());
                }
            }
            return t;
        }

        static double round1(double v) {
            return Math.round(v * 10) / 10.0;
        }

        /** The scenario and its month, as a person would say it: {@code split 2024-02}, {@code cleanup}. */
        public String name() {
            return scenario.label() + (month == null ? "" : " " + month);
        }

        public String verdict() {
            if (nothingToDo) return name() + ": done before, nothing to do (nothing changed)";
            String waited = "; the longest waits on " + table() + ": a writer " + waited(longest(table(), LockProbe.Role.WRITER))
                    + ", a reader " + waited(longest(table(), LockProbe.Role.READER));
            String kept = wholeTableUnchanged() ? "every row kept (" + wholeAfter.rows() + ", same count and checksum before and after)"
                    : noRowLost() ? String.format(Locale.ROOT, "%,d rows before, %,d after: others wrote meanwhile", wholeBefore.rows(), wholeAfter.rows())
                    : String.format(Locale.ROOT, "ROWS LOST: %,d before, %,d after", wholeBefore.rows(), wholeAfter.rows());
            if (reverted()) {
                return name() + ": the verification failed, so the swap was reverted, online: the old partitions are back; " + kept + waited;
            }
            String windows = steps.stream().anyMatch(s -> s.windowMillis() != null)
                    ? String.format(Locale.ROOT, "; the window wrote %,d rows (the changes made meanwhile) in %.1f ms, %d lock attempt%s",
                            windowRows(), windowMillis(), lockAttempts(), lockAttempts() == 1 ? "" : "s")
                    : "; no exclusive window";
            return name() + String.format(Locale.ROOT, ": %,d rows moved in %.0f ms", rowsMoved(), totalMillis()) + windows + "; "
                    + (movedRowsMatch() ? "verified (same count and checksum)" : "MOVED ROWS DIFFER") + "; " + kept + waited;
        }
    }

    /** A wait as a sentence says it: "12.3 ms", or "< floor" within the probe's noise. */
    static String waited(LockProbe.Longest longest) {
        return longest.aboveFloor() ? longest.shown() + " ms" : longest.shown();
    }

    /** The wait columns of a report: writer and reader per probed table, in PROBED_TABLES order. */
    private static List<StringColumn> waitColumns(Table table) {
        List<StringColumn> waits = new ArrayList<>();
        for (String probed : PROBED_TABLES) {
            for (LockProbe.Role role : List.of(LockProbe.Role.WRITER, LockProbe.Role.READER)) {
                StringColumn c = StringColumn.create(role.label() + " on " + probed);
                waits.add(c);
                table.addColumns(c);
            }
        }
        return waits;
    }

    /** Several runs side by side: rows moved, time, the windows' rows and attempts, the longest waits, and the verdict. */
    public static Table summary(List<Outcome> outcomes) {
        StringColumn scenario = StringColumn.create("scenario");
        LongColumn rows = LongColumn.create("rows moved");
        DoubleColumn millis = DoubleColumn.create("ms");
        LongColumn windowRows = LongColumn.create("rows in windows");
        DoubleColumn windowMillis = DoubleColumn.create("window ms");
        IntColumn attempts = IntColumn.create("lock attempts");
        Table t = Table.create("re-partitioning runs: the longest a writer and a reader waited (ms; < floor: within the probe's noise)",
                scenario, rows, millis, windowRows, windowMillis, attempts);
        List<StringColumn> waits = waitColumns(t);
        StringColumn lost = StringColumn.create("no row lost");
        t.addColumns(lost);
        for (Outcome o : outcomes) {
            scenario.append(o.name());
            rows.append(o.rowsMoved());
            millis.append(Outcome.round1(o.totalMillis()));
            windowRows.append(o.windowRows());
            windowMillis.append(Outcome.round1(o.windowMillis()));
            attempts.append(o.lockAttempts());
            int i = 0;
            for (String table : PROBED_TABLES) {
                for (LockProbe.Role role : List.of(LockProbe.Role.WRITER, LockProbe.Role.READER)) waits.get(i++).append(o.longest(table, role).shown());
            }
            lost.append(o.nothingToDo() ? "nothing to do" : o.reverted() ? "reverted, every row kept" : o.noRowLost() ? "yes" : "ROWS DIFFER");
        }
        return t;
    }

    /** Steps as a table (for help text and the lesson): scenario, what it does, its steps. */
    public static Table catalog() {
        StringColumn scenario = StringColumn.create("scenario");
        StringColumn what = StringColumn.create("what it does");
        StringColumn names = StringColumn.create("steps");
        for (RepartitionScenario s : values()) {
            scenario.append(s.label());
            what.append(s.description());
            names.append(String.join(", ", s.steps.stream().map(Step::name).toList()));
        }
        return Table.create("re-partitioning scenarios", scenario, what, names);
    }

    /**
     * The naive CREATE TABLE ... PARTITION OF for a month, tried and always rolled back, with the lock probe on: not a step
     * of add, the trap it avoids. Under the lock discipline (it never queues readers behind a long query), it holds ACCESS
     * EXCLUSIVE on app.event_logs and its DEFAULT while PostgreSQL scans the DEFAULT: refused (23514) at the first row of
     * the month found; with none, after reading all of it.
     */
    public static NaiveCreate tryNaiveCreate(Node node, YearMonth month, LockDiscipline discipline) {
        Options options = Options.defaults().withMonth(month).with(discipline);
        List<LockProbe.Wait> waits;
        Table t;
        long start;
        long end;
        try (var probe = LockProbe.start(node, "app.event_logs")) {
            start = System.nanoTime();
            try {
                t = ADD.run(node, "repartition/naive_create.sql", options).lastTable();
            } finally {
                end = System.nanoTime();
                waits = probe.stop();
            }
        }
        var longest = LockProbe.longestPerInterval(waits, List.of("app.event_logs"), List.of(new long[] {start, end})).get(0);
        return new NaiveCreate(month.toString(), Boolean.TRUE.equals(t.column("refused").get(0)),
                t.column("sql_state").get(0) == null ? null : t.getString(0, "sql_state"), t.getString(0, "message"),
                ((Number) t.column("lock_attempts").get(0)).intValue(), ((Number) t.column("window_ms").get(0)).doubleValue(),
                ((Number) t.column("default_rows").get(0)).longValue(), longest.get(0), longest.get(1));
    }

    /** The naive CREATE: refused or not, why, how long it held its locks over how big a DEFAULT, and who waited. */
    public record NaiveCreate(String month, boolean refused, String sqlState, String message, int lockAttempts, double windowMillis,
                              long defaultRows, LockProbe.Longest writer, LockProbe.Longest reader) {
        public String verdict() {
            return String.format(Locale.ROOT, "naive CREATE of %s: %s after holding ACCESS EXCLUSIVE on app.event_logs and its DEFAULT "
                    + "(%,d rows) for %.1f ms; the longest waits on app.event_logs: a writer %s, a reader %s", month,
                    refused ? "refused (" + sqlState + ": " + message + ")" : "would succeed (rolled back)", defaultRows, windowMillis,
                    waited(writer), waited(reader));
        }
    }
}
