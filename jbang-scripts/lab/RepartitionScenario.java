package lab;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The five re-partitioning scenarios of lesson 05 and {@code jbang scripts/Repartition.java}: each changes the
 * layout of a live table through the files in {@code sql/repartition} and proves that no row was lost.
 *
 * <pre>{@code
 * RepartitionScenario.prepare(db);                                   // tables and functions, if missing
 * var outcome = RepartitionScenario.ADD.run(db, RepartitionScenario.Options.defaults());
 * Claim.that(outcome.verdict(), outcome.noRowLost());
 * }</pre>
 *
 * A scenario first checks its precondition and lists its plan ({@code lab.plan_<scenario>}): a missing precondition
 * is a {@link BadInput} (nothing changed); an empty plan means it ran before and there is nothing to do. Then its
 * steps run, each one file, while a {@link LockProbe} measures how long a writer would have waited for the tables.
 */
public enum RepartitionScenario {
    ADD("add the month's partition (default 2024-04), moving its rows out of the DEFAULT", "2024-04", false,
            Step.of("naive CREATE", "repartition/add_0_naive_create.sql"), Step.of("stage", "repartition/add_1_stage.sql"),
            Step.of("attach", "repartition/add_2_attach.sql")),
    SPLIT("split a month partition (default 2024-02) into weekly partitions", "2024-02", false,
            Step.of("stage", "repartition/split_1_stage.sql"), Step.of("swap", "repartition/split_2_swap.sql")),
    DETACH("archive a month partition (default 2024-01) into app.event_logs_archive, then detach and drop it", "2024-01", true,
            Step.of("archive", "repartition/detach_1_archive.sql"), Step.of("detach", "repartition/detach_2_detach.sql")),
    MIGRATE("build app.users_by_date (RANGE by quarter) from the HASH-partitioned app.users_distributed; keep both", null, false,
            Step.of("build", "repartition/migrate_1_build.sql")),
    CLEANUP("undo all of the above: back to 2024_01..2024_03 and a DEFAULT, every row back in app.event_logs", null, true,
            Step.of("stage", "repartition/cleanup_1_stage.sql"), Step.of("restore", "repartition/cleanup_2_restore.sql"));

    /** The tables whose locks a writer would wait for: the ones the load simulator writes and the scenarios change. */
    public static final List<String> PROBED_TABLES = List.of("app.event_logs", "app.users_distributed");
    public static final String ARCHIVE = "app.event_logs_archive";
    /** The steps a test (or a learner) can make fail, with {@link Options#withFailAt}: the SQL's lab.fail_point names. */
    public static final List<String> FAIL_POINTS = List.of("staged", "detached", "verified", "archived", "copied", "restored");

    private final String description;
    private final String defaultMonth;
    private final boolean destructive;
    private final List<Step> steps;

    RepartitionScenario(String description, String defaultMonth, boolean destructive, Step... steps) {
        this.description = description;
        this.defaultMonth = defaultMonth;
        this.destructive = destructive;
        this.steps = List.of(steps);
    }

    /** One step: a file of sql/, run in its own session. */
    public record Step(String name, String file) {
        static Step of(String name, String file) {
            return new Step(name, file);
        }
    }

    /** Which month (add, split, detach), and an injected failure (tests, curious learners). */
    public record Options(YearMonth month, String failAt) {
        public static Options defaults() {
            return new Options(null, null);
        }

        public Options withMonth(YearMonth month) {
            return new Options(month, failAt);
        }

        public Options withFailAt(String step) {
            if (step != null && !FAIL_POINTS.contains(step)) {
                throw new BadInput("unknown failure point '" + step + "': use one of " + String.join(", ", FAIL_POINTS));
            }
            return new Options(month, step);
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
     * LAB_SCALE, as the lessons do), and the functions of sql/repartition. Tables that exist are left as they are.
     */
    public static void prepare(Node node) {
        for (Migration m : List.of(Migration.RANGE, Migration.HASH)) {
            if (m.state(node) == Migration.State.MISSING) m.ensure(node);
        }
        Migration.installFunctions(node);
        node.run("repartition/00_functions.sql");
        node.run("repartition/01_scenarios.sql");
    }

    /** The plan, changing nothing: what each step would do, and to how many rows. Empty: nothing left to do. */
    public Table plan(Node node, Options options) {
        try {
            return node.run("repartition/plan.sql", settings(options, false)).lastTable().setName("plan: " + label());
        } catch (LabSqlException e) {
            throw e.asBadInputIfRefused();
        }
    }

    /** The month the scenario works on, as the SQL takes it (YYYY-MM); null for migrate and cleanup. */
    public String month(Options options) {
        if (!takesMonth()) {
            if (options.month() != null) throw new BadInput("a month applies to add, split and detach, not to " + label());
            return null;
        }
        return options.month() == null ? defaultMonth : options.month().toString();
    }

    private Map<String, String> settings(Options options, boolean withFailure) {
        Map<String, String> settings = new HashMap<>();
        settings.put("lab.scenario", label());
        String month = month(options);
        if (month != null) settings.put("lab.month", month);
        if (withFailure && options.failAt() != null) settings.put("lab.fail_at", options.failAt());
        return settings;
    }

    /** Tables and archive of app.event_logs (or app.users_by_date for migrate) as they are now: partitions and rows. */
    public Table state(Node node) {
        String table = this == MIGRATE && Partitions.exists(node, "app.users_by_date") ? "app.users_by_date"
                : this == MIGRATE ? "app.users_distributed" : "app.event_logs";
        Table tree = Partitions.tree(node, table);
        Table state = Table.create("layout of " + table,
                StringColumn.create("partition", tree.stringColumn("partition").asList()),
                StringColumn.create("bound", tree.column("bound").asList().stream().map(b -> b == null ? "" : b.toString()).toList()),
                tech.tablesaw.api.LongColumn.create("rows", tree.column("row_count").asList().stream()
                        .mapToLong(n -> ((Number) n).longValue()).toArray()));
        if (this != MIGRATE && Partitions.exists(node, ARCHIVE)) {
            state.stringColumn("partition").append(ARCHIVE);
            state.stringColumn("bound").append("(an ordinary table: the archive)");
            state.longColumn("rows").append(node.count(ARCHIVE));
        }
        return state;
    }

    /** Runs the scenario: plan, then each step, with the lock probe on; throws (after a rollback) if a step fails. */
    public Outcome run(Node node, Options options) {
        return run(node, options, Progress.Mode.OFF);
    }

    public Outcome run(Node node, Options options, Progress.Mode progress) {
        Table before = state(node);
        Table plan = plan(node, options);
        if (plan.rowCount() == 0) {
            return new Outcome(this, month(options), before, plan, List.of(), moves(List.of()), List.of(), null, before, true);
        }
        Map<String, String> settings = settings(options, true);
        List<StepRun> runs = new ArrayList<>();
        List<Sql.Result> results = new ArrayList<>();
        List<LockProbe.Wait> waits;
        try (var probe = LockProbe.start(node, PROBED_TABLES.toArray(String[]::new));
             var bar = Progress.start(label(), steps.size(), "steps", progress)) {
            try {
                for (Step step : steps) {
                    long start = System.nanoTime();
                    results.add(node.run(step.file(), settings));
                    runs.add(new StepRun(step, start, System.nanoTime()));
                    bar.step(1);
                }
            } catch (LabSqlException e) {
                throw e.asBadInputIfRefused();
            } finally {
                waits = probe.stop();
            }
        }
        List<StepReport> reports = new ArrayList<>();
        for (StepRun r : runs) {
            Map<String, Double> longest = new java.util.LinkedHashMap<>();
            for (String table : PROBED_TABLES) longest.put(table, 0.0);
            for (LockProbe.Longest l : LockProbe.longest(waits, PROBED_TABLES, r.start, r.end)) {
                if (l.role() == LockProbe.Role.WRITER) longest.put(l.table(), l.measured());
            }
            reports.add(new StepReport(r.step.name(), r.step.file(), (r.end - r.start) / 1e6, longest));
        }
        List<String> scans = new ArrayList<>();
        NaiveCreate naive = null;
        List<Table> moved = new ArrayList<>();
        for (Sql.Result result : results) {
            for (String notice : result.notices()) {
                if (notice.contains("implied by existing constraints") || notice.startsWith("verifying table")) scans.add(notice);
            }
            for (Sql.StatementResult s : result.statements()) {
                if (!s.hasRows()) continue;
                if (s.table().columnNames().contains("refused")) naive = NaiveCreate.from(s.table());
                if (s.table().columnNames().contains("checksum_before")) moved.add(s.table());
            }
        }
        return new Outcome(this, month(options), before, plan, reports, moves(moved), scans, naive, state(node), false);
    }

    private record StepRun(Step step, long start, long end) {}

    private static Table moves(List<Table> tables) {
        StringColumn range = StringColumn.create("moved range");
        tech.tablesaw.api.LongColumn rowsBefore = tech.tablesaw.api.LongColumn.create("rows before");
        StringColumn checksumBefore = StringColumn.create("checksum before");
        tech.tablesaw.api.LongColumn rowsAfter = tech.tablesaw.api.LongColumn.create("rows after");
        StringColumn checksumAfter = StringColumn.create("checksum after");
        StringColumn detached = StringColumn.create("from");
        StringColumn attached = StringColumn.create("to");
        for (Table t : tables) {
            for (int i = 0; i < t.rowCount(); i++) {
                range.append(String.valueOf(t.get(i, t.columnIndex("moved_range"))));
                rowsBefore.append(((Number) t.column("rows_before").get(i)).longValue());
                checksumBefore.append(String.valueOf(t.column("checksum_before").get(i)));
                rowsAfter.append(((Number) t.column("rows_after").get(i)).longValue());
                checksumAfter.append(String.valueOf(t.column("checksum_after").get(i)));
                Object from = t.column("detached").get(i);
                Object to = t.column("attached").get(i);
                detached.append(from == null ? "" : from.toString());
                attached.append(to == null ? "" : to.toString());
            }
        }
        return Table.create("rows moved, counted and checksummed before and after", range, rowsBefore, checksumBefore,
                rowsAfter, checksumAfter, detached, attached);
    }

    /** How long a step took, and the longest a writer would have waited for each probed table meanwhile. */
    public record StepReport(String step, String file, double millis, Map<String, Double> longestWaitMillis) {
        public double longestWait(String table) {
            return longestWaitMillis.getOrDefault(table, 0.0);
        }
    }

    /** The naive CREATE ... PARTITION OF that add tries first (and always rolls back). */
    public record NaiveCreate(boolean refused, String sqlState, String message) {
        static NaiveCreate from(Table t) {
            return new NaiveCreate(Boolean.TRUE.equals(t.column("refused").get(0)),
                    t.column("sql_state").get(0) == null ? null : t.getString(0, "sql_state"), t.getString(0, "message"));
        }
    }

    /** What one run did: the layout before and after, its plan, steps, moved rows, ATTACH scan reports. */
    public record Outcome(RepartitionScenario scenario, String month, Table before, Table plan, List<StepReport> steps,
                          Table moves, List<String> scans, NaiveCreate naiveCreate, Table after, boolean nothingToDo) {

        /** Every moved range holds the same rows afterwards: same count, same checksum. */
        public boolean noRowLost() {
            for (int i = 0; i < moves.rowCount(); i++) {
                if (moves.longColumn("rows before").get(i).longValue() != moves.longColumn("rows after").get(i).longValue()
                        || !moves.stringColumn("checksum before").get(i).equals(moves.stringColumn("checksum after").get(i))) {
                    return false;
                }
            }
            return true;
        }

        public long rowsMoved() {
            return (long) moves.longColumn("rows before").sum();
        }

        /** ATTACHes for which PostgreSQL proved the new partition's bound from its CHECK instead of scanning it. */
        public long attachScansSkipped() {
            return scans.stream().filter(s -> s.startsWith("partition constraint for table")).count();
        }

        /** The longest a writer waited for a table in any step, in ms. */
        public double longestWait(String table) {
            return steps.stream().mapToDouble(s -> s.longestWait(table)).max().orElse(0);
        }

        public double totalMillis() {
            return steps.stream().mapToDouble(StepReport::millis).sum();
        }

        /** Per step: its file, how long it took, and the longest wait a writer saw on each probed table. */
        public Table timings() {
            StringColumn step = StringColumn.create("step");
            StringColumn file = StringColumn.create("file");
            DoubleColumn millis = DoubleColumn.create("ms");
            Table t = Table.create("steps of " + scenario.label() + ": time, and the longest lock wait a writer saw", step, file, millis);
            List<DoubleColumn> waits = waitColumns(t, "wait on ");
            for (StepReport r : steps) {
                step.append(r.step());
                file.append("sql/" + r.file());
                millis.append(round1(r.millis()));
                for (int i = 0; i < PROBED_TABLES.size(); i++) waits.get(i).append(round1(r.longestWait(PROBED_TABLES.get(i))));
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
            return name() + String.format(Locale.ROOT, ": %,d rows moved in %.0f ms; ", rowsMoved(), totalMillis())
                    + (noRowLost() ? "no row lost (same count and checksum before and after)" : "ROWS DIFFER before and after")
                    + String.format(Locale.ROOT, "; a writer waited at most %.1f ms for app.event_logs", longestWait("app.event_logs"));
        }
    }

    /** A column per probed table ({@code <prefix>app.event_logs (ms)}), added to the table, in PROBED_TABLES order. */
    private static List<DoubleColumn> waitColumns(Table table, String prefix) {
        List<DoubleColumn> waits = new ArrayList<>();
        for (String probed : PROBED_TABLES) {
            DoubleColumn c = DoubleColumn.create(prefix + probed + " (ms)");
            waits.add(c);
            table.addColumns(c);
        }
        return waits;
    }

    /** Several runs side by side: rows moved, time, the longest wait a writer saw per table, and the verdict. */
    public static Table summary(List<Outcome> outcomes) {
        StringColumn scenario = StringColumn.create("scenario");
        tech.tablesaw.api.LongColumn rows = tech.tablesaw.api.LongColumn.create("rows moved");
        DoubleColumn millis = DoubleColumn.create("ms");
        Table t = Table.create("re-partitioning runs", scenario, rows, millis);
        List<DoubleColumn> waits = waitColumns(t, "longest wait on ");
        StringColumn lost = StringColumn.create("no row lost");
        t.addColumns(lost);
        for (Outcome o : outcomes) {
            scenario.append(o.name());
            rows.append(o.rowsMoved());
            millis.append(Outcome.round1(o.totalMillis()));
            for (int i = 0; i < PROBED_TABLES.size(); i++) waits.get(i).append(Outcome.round1(o.longestWait(PROBED_TABLES.get(i))));
            lost.append(o.nothingToDo() ? "nothing to do" : o.noRowLost() ? "yes" : "ROWS DIFFER");
        }
        return t;
    }

    /** Steps as a table (for help text and the lesson): scenario, step, file. */
    public static Table catalog() {
        StringColumn scenario = StringColumn.create("scenario");
        StringColumn what = StringColumn.create("what it does");
        IntColumn count = IntColumn.create("steps");
        for (RepartitionScenario s : values()) {
            scenario.append(s.label());
            what.append(s.description());
            count.append(s.steps.size());
        }
        return Table.create("re-partitioning scenarios", scenario, what, count);
    }
}
