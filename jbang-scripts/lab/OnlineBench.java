package lab;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The benchmark of online changes ({@code jbang scripts/Repartition.java bench --scale full}): every change the lab makes
 * to a live table, on a month of {@link Scale#rowsPerMonth()} rows (500,000 at full scale), while the load simulator
 * writes into the table and the lock probe asks for a writer's and a reader's lock; for each, the longest wait each
 * saw, how long its windows held their locks, the rows they wrote, and whether every row the load wrote is there.
 * The target: every wait at most {@link #TARGET_MILLIS} ms. Measured, never asserted: a benchmark, not a test.
 *
 * <p>The operations, in the order they run: the five re-partitioning scenarios on app.event_logs (seeded with January
 * to April full, the original layout: 2024_01..2024_03 and a DEFAULT holding April), the partition manager taking that
 * table on (creating April, its rows rescued from the DEFAULT, then retention dropping January), and the online
 * migration of a plain app.event_logs holding one full month.
 */
public final class OnlineBench {
    /** The target for the longest wait of a reader or a writer. */
    public static final double TARGET_MILLIS = 100;
    private static final String EVENTS = "app.event_logs";
    private static final Duration LOAD_INTERVAL = Duration.ofMillis(5);

    private OnlineBench() {}

    /** One operation measured: its rows, its windows, the longest waits, what the load wrote and whether all of it is there. */
    public record Operation(String name, String table, long rows, long windowRows, double windowMillis, int lockAttempts,
                            LockProbe.Longest writer, LockProbe.Longest reader, long loadWritten, long loadMissing,
                            boolean verified, double millis) {
        public boolean withinTarget() {
            return writer.measured() <= TARGET_MILLIS && reader.measured() <= TARGET_MILLIS;
        }

        public boolean noRowLost() {
            return verified && loadMissing == 0;
        }
    }

    /** Every operation at one scale, under one lock discipline. */
    public static List<Operation> run(Node node, Scale scale, LockDiscipline discipline, Progress.Mode progress) {
        long perMonth = scale.rowsPerMonth();
        List<Operation> done = new ArrayList<>();
        try (var bar = Progress.start("online bench " + scale, 9, "operations", progress)) {
            seedEvents(node, perMonth);
            var options = RepartitionScenario.Options.defaults().with(discipline);
            for (RepartitionScenario scenario : RepartitionScenario.values()) {
                done.add(scenario(node, scenario, options, perMonth));
                bar.step(1);
            }
            done.addAll(manager(node, discipline));
            bar.step(2);
            done.add(onlineMigration(node, discipline, perMonth));
            bar.step(1);
        }
        return done;
    }

    /** app.event_logs with January to April full (perMonth each), migrated to 2024_01..2024_03 and a DEFAULT; the users. */
    static void seedEvents(Node node, long perMonth) {
        Migration.RANGE.createBase(node, 4 * perMonth, Migration.DEFAULT_SEED, YearMonth.of(2024, 1), YearMonth.of(2024, 4));
        Migration.RANGE.migrate(node);
        Migration.HASH.createBase(node, perMonth, Migration.DEFAULT_SEED);
        Migration.HASH.migrate(node);
        RepartitionScenario.prepare(node);
    }

    private static Operation scenario(Node node, RepartitionScenario scenario, RepartitionScenario.Options options, long perMonth) {
        long started = System.nanoTime();
        Loaded<RepartitionScenario.Outcome> loaded = underLoad(node, () -> scenario.run(node, options));
        var outcome = loaded.result();
        String table = outcome.table();
        return new Operation(outcome.name(), table, outcome.rowsMoved(), outcome.windowRows(), outcome.windowMillis(),
                outcome.lockAttempts(), outcome.longest(table, LockProbe.Role.WRITER), outcome.longest(table, LockProbe.Role.READER),
                loaded.written(), loaded.missing(), outcome.completed() && outcome.noRowLost(), millisSince(started));
    }

    /**
     * The partition manager taking app.event_logs on after cleanup (January to March partitions, April's rows in the
     * DEFAULT): creating April, its rows rescued from the DEFAULT by an online swap, while the load writes into the
     * table; then retention (12 months, as of February 2025) dropping January while the load writes users only, since
     * retention removes rows on purpose: the table afterwards holds exactly its rows before less January's. The table
     * leaves the manager's configuration afterwards, whatever happened.
     */
    private static List<Operation> manager(Node node, LockDiscipline discipline) {
        var manager = PartitionManager.on(node).withDiscipline(discipline);
        manager.install();
        node.run("bench/manage_event_logs.sql");
        try {
            return managed(node, manager);
        } finally {
            node.run("bench/unmanage_event_logs.sql");
        }
    }

    private static List<Operation> managed(Node node, PartitionManager manager) {
        long aprilRows = node.count("app.event_logs_default");
        long started = System.nanoTime();
        var rescue = probed(node, () -> underLoad(node, () -> manager.asOf(java.time.LocalDate.of(2024, 4, 15))
                .create(EVENTS, YearMonth.of(2024, 4), YearMonth.of(2024, 4))));
        Table swap = OnlineSwap.latest(node, EVENTS);
        boolean rescued = !PartitionManager.anyError(rescue.result().result()) && "finished".equals(swap.getString(0, "state"))
                && Partitions.exists(node, "app.event_logs_2024_04");
        var create = new Operation("manager: create with rescue", EVENTS, aprilRows, longAt(swap, "window_rows"),
                ((Number) swap.column("window_ms").get(0)).doubleValue(), (int) longAt(swap, "window_attempts"), rescue.writer(),
                rescue.reader(), rescue.result().written(), rescue.result().missing(), rescued, millisSince(started));

        Fingerprint before = Fingerprint.of(node, EVENTS);
        Fingerprint january = Fingerprint.of(node, "app.event_logs_2024_01");
        started = System.nanoTime();
        var retention = probed(node, () -> underLoad(node, Map.of(LoadSimulator.Target.users, 1),
                () -> manager.asOf(java.time.LocalDate.of(2025, 2, 15)).withTimeTravel().retention(EVENTS, true, null)));
        Table lines = retention.result().result();
        Fingerprint after = Fingerprint.of(node, EVENTS);
        boolean onlyJanuaryWent = !PartitionManager.anyError(lines) && !Partitions.exists(node, "app.event_logs_2024_01")
                && after.rows() == before.rows() - january.rows()
                && new java.math.BigDecimal(after.checksum()).equals(new java.math.BigDecimal(before.checksum()).subtract(new java.math.BigDecimal(january.checksum())));
        double held = lines.where(lines.stringColumn("action").isIn("drop", "detach", "archive")).doubleColumn("duration_ms").sum();
        var drop = new Operation("manager: retention (drop)", EVENTS, january.rows(), 0, held, 1, retention.writer(), retention.reader(),
                retention.result().written(), retention.result().missing(), onlyJanuaryWent, millisSince(started));
        return List.of(create, drop);
    }

    private record Probed<T>(T result, LockProbe.Longest writer, LockProbe.Longest reader) {}

    /** Runs the work while the lock probe asks for a writer's and a reader's lock on app.event_logs. */
    private static <T> Probed<T> probed(Node node, Supplier<T> work) {
        long from = System.nanoTime();
        T result;
        List<LockProbe.Wait> waits;
        try (var probe = LockProbe.start(node, EVENTS)) {
            try {
                result = work.get();
            } finally {
                waits = probe.stop();
            }
        }
        var longest = LockProbe.longest(waits, List.of(EVENTS), from, System.nanoTime());
        return new Probed<>(result, longest.get(0), longest.get(1));
    }

    private static long longAt(Table t, String column) {
        Object v = t.column(column).get(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Operation onlineMigration(Node node, LockDiscipline discipline, long perMonth) {
        Migration.RANGE.createBase(node, perMonth, Migration.DEFAULT_SEED, YearMonth.of(2024, 1), YearMonth.of(2024, 1));
        long started = System.nanoTime();
        var options = OnlineMigration.Options.defaults().with(discipline).probed();
        Loaded<OnlineMigration.Report> loaded = underLoad(node, () -> OnlineMigration.run(node, EVENTS, null, options));
        var report = loaded.result();
        long windowRows = 0;
        double windowMillis = 0;
        int attempts = 0;
        LockProbe.Longest writer = new LockProbe.Longest(EVENTS, LockProbe.Role.WRITER, 0, LockProbe.MIN_FLOOR_MILLIS);
        LockProbe.Longest reader = new LockProbe.Longest(EVENTS, LockProbe.Role.READER, 0, LockProbe.MIN_FLOOR_MILLIS);
        for (var step : report.steps()) {
            if (step.windowRows() != null) windowRows += step.windowRows();
            if (step.windowMillis() != null) windowMillis += step.windowMillis();
            if (step.lockAttempts() != null) attempts += step.lockAttempts();
            writer = longer(writer, step.writer());
            reader = longer(reader, step.reader());
        }
        return new Operation("online migration", EVENTS, perMonth, windowRows, windowMillis, attempts, writer, reader,
                loaded.written(), loaded.missing(), report.noRowLost() && report.endedAt().equals("done"), millisSince(started));
    }

    /** The longer of two waits above their floors; within the floor, the one with the higher floor (what "< floor" means). */
    static LockProbe.Longest longer(LockProbe.Longest a, LockProbe.Longest b) {
        if (b == null) return a;
        if (b.measured() > a.measured()) return b;
        return !a.aboveFloor() && !b.aboveFloor() && b.floorMillis() > a.floorMillis() ? b : a;
    }

    private record Loaded<T>(T result, long written, long missing) {}

    /** Runs the work while the load simulator writes events and users; then checks every row it wrote is there. */
    private static <T> Loaded<T> underLoad(Node node, Supplier<T> work) {
        return underLoad(node, Map.of(LoadSimulator.Target.events, 3, LoadSimulator.Target.users, 1), work);
    }

    private static <T> Loaded<T> underLoad(Node node, Map<LoadSimulator.Target, Integer> mix, Supplier<T> work) {
        var options = LoadSimulator.Options.defaults().withInterval(LOAD_INTERVAL).withMix(mix).withSeed(EventGenerator.randomSeed());
        T result;
        LoadSimulator.Summary summary;
        LoadSimulator.Verification verification;
        try (var load = LoadSimulator.start(node, options)) {
            try {
                result = work.get();
            } finally {
                summary = load.stop();
            }
            verification = load.verify(Map.of(LoadSimulator.Target.events, RepartitionScenario.ARCHIVE));
        }
        return new Loaded<>(result, summary.written(), verification.missing() + summary.errors());
    }

    /** The operations side by side, as the closing note and the README show them. */
    public static Table report(List<Operation> operations, Scale scale) {
        StringColumn name = StringColumn.create("operation");
        LongColumn rows = LongColumn.create("rows moved");
        LongColumn windowRows = LongColumn.create("rows in windows");
        DoubleColumn windowMillis = DoubleColumn.create("windows held (ms)");
        LongColumn attempts = LongColumn.create("lock attempts");
        StringColumn writer = StringColumn.create("writer waited (ms)");
        StringColumn reader = StringColumn.create("reader waited (ms)");
        StringColumn floor = StringColumn.create("noise floor (ms, writer / reader)");
        StringColumn load = StringColumn.create("load rows written / missing");
        StringColumn verdict = StringColumn.create("verdict");
        for (Operation o : operations) {
            name.append(o.name());
            rows.append(o.rows());
            windowRows.append(o.windowRows());
            windowMillis.append(Math.round(o.windowMillis() * 10) / 10.0);
            attempts.append(o.lockAttempts());
            writer.append(o.writer().shown());
            reader.append(o.reader().shown());
            // each longest wait comes with the floor of the interval it was measured in
            floor.append(o.writer().floorMillis() == o.reader().floorMillis()
                    ? String.format(Locale.ROOT, "%.1f", o.writer().floorMillis())
                    : String.format(Locale.ROOT, "%.1f / %.1f", o.writer().floorMillis(), o.reader().floorMillis()));
            load.append(o.loadWritten() + " / " + o.loadMissing());
            verdict.append((o.noRowLost() ? "no row lost" : "ROWS LOST") + (o.withinTarget() ? "" : "; over " + (int) TARGET_MILLIS + " ms"));
        }
        return Table.create("online changes at scale " + scale + " (" + scale.rowsPerMonth() + " rows a month), each while the load "
                + "simulator writes: the longest wait a writer and a reader saw", name, rows, windowRows, windowMillis, attempts, writer,
                reader, floor, load, verdict);
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
