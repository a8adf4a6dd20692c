package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What the partition manager's daily run costs, beside pg_partman's {@code run_maintenance} doing the same work on a
 * twin table ({@code jbang scripts/Maintain.java bench}): a table of {@code rows} rows, monthly, with a DEFAULT, 3
 * months ahead and 12 months of retention (sql/bench/maintenance). Two cases, each the median of {@code runs} runs
 * in this process after {@code warmup} untimed ones (a session's first call compiles the PL/pgSQL functions it
 * uses, for either tool), timed as a client sees them (the call sent, its answer read):
 * <ul>
 *   <li><b>create one month and drop eleven</b>: the table rebuilt before each run (not timed), with its newest
 *       month ahead missing and eleven months past retention;</li>
 *   <li><b>nothing to do</b>: the run again, once the first has done everything.</li>
 * </ul>
 * pg_partman's side runs only when its extension is installed in the database; the lab's run keeps its guards (the
 * plan, the DEFAULT checked for rows, the newest partition never dropped, ANALYZE of the new partition). A benchmark,
 * not a test: the numbers depend on the machine and go to the notes.
 */
public final class MaintenanceBench {
    static final String LAB_TABLE = "maintbench.lab_events";
    static final String PARTMAN_TABLE = "maintbench.partman_events";

    private MaintenanceBench() {}

    /** One case: each run's milliseconds, the lab's and (when installed) pg_partman's. */
    public record Case(String name, List<Double> labMillis, List<Double> partmanMillis) {
        public double labMedian() {
            return median(labMillis);
        }

        public Double partmanMedian() {
            return partmanMillis.isEmpty() ? null : median(partmanMillis);
        }
    }

    /**
     * The cases, the lab's lines of its last "create and drop" run (each step's time, and its window's rows, length
     * and lock attempts), the server, and whether both tables ended with the same months.
     */
    public record Report(String server, int rows, int runs, List<Case> cases, Table lastRun, boolean partman, boolean sameMonths) {
        public Table summary() {
            var name = StringColumn.create("run");
            var lab = DoubleColumn.create("lab ms (median)");
            var partman = DoubleColumn.create("pg_partman ms (median)");
            var ratio = DoubleColumn.create("lab / pg_partman");
            for (Case c : cases) {
                name.append(c.name());
                lab.append(round(c.labMedian()));
                if (c.partmanMedian() == null) {
                    partman.appendMissing();
                    ratio.appendMissing();
                } else {
                    partman.append(round(c.partmanMedian()));
                    ratio.append(round(c.labMedian() / c.partmanMedian()));
                }
            }
            return Table.create("daily run on " + rows + " rows, median of " + runs + " (" + server + ")", name, lab, partman, ratio);
        }
    }

    /** Builds the tables, times both cases, and leaves the tables behind (schema maintbench) as the last run left them. */
    public static Report run(Node node, int rows, int runs, int warmup, Progress.Mode progress) {
        if (rows < 24 || rows > 50_000_000) throw new BadInput("--rows must be 24 (one a month) to 50000000, not " + rows);
        if (runs < 1 || runs > 100) throw new BadInput("--runs must be 1 to 100, not " + runs);
        if (warmup < 0 || warmup > 100) throw new BadInput("--warmup must be 0 to 100, not " + warmup);
        var manager = PartitionManager.on(node);
        manager.install();
        String partman = partmanSchema(node);
        Map<String, String> settings = Map.of("lab.rows", Integer.toString(rows), "lab.partman_schema", partman == null ? "" : partman);
        var createAndDrop = new Case("create one month and drop eleven", new ArrayList<>(), new ArrayList<>());
        var nothing = new Case("nothing to do", new ArrayList<>(), new ArrayList<>());
        Table lastRun = null;
        try (var bar = Progress.start("maintenance bench", 2L * (warmup + runs), "runs", progress)) {
            for (int i = -warmup; i < runs; i++) {
                node.run("bench/maintenance/lab_table.sql", settings);
                long started = System.nanoTime();
                Table lines = manager.locked(false, "bench", LAB_TABLE, () -> manager.run(LAB_TABLE, true, Progress.Mode.OFF));
                double millis = millisSince(started);
                if (PartitionManager.anyError(lines)) throw new IllegalStateException("the lab's run failed:\n" + lines.print());
                lastRun = lines.selectColumns("action", "partition_name", "duration_ms", "window_rows", "window_ms", "lock_attempts");
                Double partmanMillis = null;
                if (partman != null) {
                    node.run("bench/maintenance/partman_table.sql", settings);
                    partmanMillis = timed(node, settings);
                }
                if (i >= 0) {
                    createAndDrop.labMillis().add(millis);
                    if (partmanMillis != null) createAndDrop.partmanMillis().add(partmanMillis);
                }
                bar.step(1);
            }
            for (int i = -warmup; i < runs; i++) {
                long started = System.nanoTime();
                Table lines = manager.locked(false, "bench", LAB_TABLE, () -> manager.run(LAB_TABLE, true, Progress.Mode.OFF));
                double millis = millisSince(started);
                if (lines.rowCount() > 0) throw new IllegalStateException("the lab found something to do:\n" + lines.print());
                Double partmanMillis = partman == null ? null : timed(node, settings);
                if (i >= 0) {
                    nothing.labMillis().add(millis);
                    if (partmanMillis != null) nothing.partmanMillis().add(partmanMillis);
                }
                bar.step(1);
            }
        }
        boolean same = partman != null && months(node, LAB_TABLE).equals(months(node, PARTMAN_TABLE));
        return new Report(node.serverVersion(), rows, runs, List.of(createAndDrop, nothing),
                lastRun.setName("the lab's last 'create one month and drop eleven' run: each step, and its window"), partman != null, same);
    }

    /** The schema pg_partman is installed in here, or null when it is not. */
    static String partmanSchema(Node node) {
        Table t = node.query("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_partman'");
        return t.rowCount() == 0 ? null : t.getString(0, 0);
    }

    private static double timed(Node node, Map<String, String> settings) {
        long started = System.nanoTime();
        node.run("bench/maintenance/partman_run.sql", settings);
        return millisSince(started);
    }

    private static String months(Node node, String table) {
        return String.valueOf(node.run("bench/maintenance/partitions.sql", Map.of("lab.table_name", table)).lastTable().get(0, 0));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
    }
}
