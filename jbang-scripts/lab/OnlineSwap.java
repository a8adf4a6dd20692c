package lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Replaces partitions of a live RANGE-partitioned table by new ones without making its readers and writers queue,
 * through the functions of {@code sql/online} (schema {@code online}):
 * <ol>
 *   <li><b>begin</b>: a trigger on each old partition captures every change; the new partitions are created empty,
 *       standalone, each with a CHECK matching its bound (SHARE ROW EXCLUSIVE on the old partitions for a moment);</li>
 *   <li><b>stage</b>: rows copied in batches, each a short transaction, while readers and writers go on;</li>
 *   <li><b>window</b>: ACCESS EXCLUSIVE on the parent and the partitions it changes, for the catch-up of the captured
 *       changes and catalog-only DETACH and ATTACH (no scan); its length grows with the changes, not the table;</li>
 *   <li><b>verify</b>: the old partitions, kept detached, against the new ones as they were at the window;</li>
 *   <li><b>finish</b> (the old data and the capture removed), or <b>revert</b> when the rows differ.</li>
 * </ol>
 * Every lock is taken under the {@link LockDiscipline}. Giving up before the window aborts the swap: nothing changed.
 *
 * <pre>{@code
 * var plan = OnlineSwap.Plan.of("app.event_logs", "split 2024-02", List.of("app.event_logs_2024_02"),
 *         List.of(OnlineSwap.NewPartition.range("app.event_logs_2024_02_w1", "2024-02-01 00:00:00+00", "2024-02-08 00:00:00+00"), ...));
 * var report = OnlineSwap.run(db, plan, OnlineSwap.Options.defaults());
 * Claim.that(report.verdict(), report.verified());
 * }</pre>
 */
public final class OnlineSwap {
    private OnlineSwap() {}

    /** Installs (or updates) schema online from sql/online/install.sql; keeps the record of swaps. */
    public static void install(Node node) {
        node.run("online/install.sql");
    }

    /** A new partition: a range (bounds as values, MINVALUE/MAXVALUE allowed) or, with null bounds, the DEFAULT. */
    public record NewPartition(String name, String lower, String upper) {
        public static NewPartition range(String name, String lower, String upper) {
            return new NewPartition(name, lower, upper);
        }

        public static NewPartition defaultPartition(String name) {
            return new NewPartition(name, null, null);
        }
    }

    /** What replaces what: the old partitions by name, the new ones, and other tables rows may come from (an archive). */
    public record Plan(String parent, String label, List<String> oldLeaves, List<NewPartition> newPartitions, List<String> sources) {
        public static Plan of(String parent, String label, List<String> oldLeaves, List<NewPartition> newPartitions) {
            return new Plan(parent, label, oldLeaves, newPartitions, List.of());
        }

        public Plan withSources(List<String> more) {
            return new Plan(parent, label, oldLeaves, newPartitions, more);
        }
    }

    /**
     * The discipline, an injected failure (online.fail_at: window, verify), rows per batch, progress, whether the old
     * partitions stay as standalone tables once verified (keepOld), how long the window lingers before it commits
     * (holdWindow: for a lesson to look at pg_locks meanwhile; never in production), a pause between two batches
     * (batchPause: less load on a busy server, as pg_partman's partition_data_proc waits between batches), and who
     * hears when each step began and ended (stepListener: a caller that measures waits per step).
     */
    public record Options(LockDiscipline discipline, String failAt, Long batchRows, Progress.Mode progress, boolean keepOld,
                          java.time.Duration holdWindow, java.time.Duration batchPause, StepListener stepListener) {
        public static Options defaults() {
            return new Options(LockDiscipline.defaults(), null, null, Progress.Mode.OFF, false, null, null, null);
        }

        public Options with(LockDiscipline d) {
            return new Options(d, failAt, batchRows, progress, keepOld, holdWindow, batchPause, stepListener);
        }

        public Options withFailAt(String step) {
            return new Options(discipline, step, batchRows, progress, keepOld, holdWindow, batchPause, stepListener);
        }

        public Options withBatchRows(long rows) {
            if (rows < 1) throw new BadInput("rows per batch must be 1 or more, not " + rows);
            return new Options(discipline, failAt, rows, progress, keepOld, holdWindow, batchPause, stepListener);
        }

        public Options withProgress(Progress.Mode mode) {
            return new Options(discipline, failAt, batchRows, mode, keepOld, holdWindow, batchPause, stepListener);
        }

        public Options keepingOld() {
            return new Options(discipline, failAt, batchRows, progress, true, holdWindow, batchPause, stepListener);
        }

        public Options withHoldWindow(java.time.Duration hold) {
            return new Options(discipline, failAt, batchRows, progress, keepOld, hold, batchPause, stepListener);
        }

        public Options withBatchPause(java.time.Duration pause) {
            if (pause != null && pause.isNegative()) throw new BadInput("the pause between batches must be 0 or more, not " + pause.toMillis() + " ms");
            return new Options(discipline, failAt, batchRows, progress, keepOld, holdWindow, pause, stepListener);
        }

        public Options withStepListener(StepListener listener) {
            return new Options(discipline, failAt, batchRows, progress, keepOld, holdWindow, batchPause, listener);
        }

        Map<String, String> settings(long swapId) {
            Map<String, String> s = new HashMap<>(discipline.settings());
            if (swapId > 0) s.put("lab.swap_id", Long.toString(swapId));
            if (failAt != null) s.put("online.fail_at", failAt);
            if (batchRows != null) s.put("online.batch_rows", batchRows.toString());
            if (keepOld) s.put("lab.keep_old", "true");
            if (holdWindow != null) s.put("online.hold_window_ms", Long.toString(holdWindow.toMillis()));
            return s;
        }

        private void ended(String step, long startNanos) {
            if (stepListener != null) stepListener.stepEnded(step, startNanos, System.nanoTime());
        }
    }

    /** Hears when each step of {@link #complete} began and ended (System.nanoTime): stage, window, verify, finish or revert. */
    @FunctionalInterface
    public interface StepListener {
        void stepEnded(String step, long startNanos, long endNanos);
    }

    /**
     * What a swap did: rows staged; the window's rows written (the catch-up), lock attempts and length; the old and the
     * new partitions' rows at the window (count and checksum); whether it was verified, or reverted; what PostgreSQL
     * said while attaching (DEBUG: proved from constraints, or scanned) and while retrying locks; each step's time.
     */
    public record Report(long swapId, String label, String detached, String attached, long rowsStaged, long windowRows,
                         int lockAttempts, double windowMillis, Fingerprint before, Fingerprint after, boolean verified,
                         boolean reverted, String ending, List<String> notices, Map<String, Double> stepMillis) {

        /** ATTACHes for which PostgreSQL proved the bound from a CHECK instead of scanning. */
        public long scansSkipped() {
            return notices.stream().filter(n -> n.contains("is implied by existing constraints")).count();
        }

        /** ATTACHes for which PostgreSQL scanned a table ("verifying table"). */
        public long scans() {
            return notices.stream().filter(n -> n.startsWith("verifying table")).count();
        }

        /** Lock attempts that timed out and were retried, in any step. */
        public long retries() {
            return notices.stream().filter(n -> n.contains("retrying")).count();
        }

        public String verdict() {
            if (reverted) return label + ": the rows differed after the swap (" + before.rows() + " before, " + after.rows()
                    + " after), so it was reverted: the old partitions are back, with every row written since";
            return label + ": " + detached + " replaced by " + attached + "; the window wrote " + windowRows + " rows in "
                    + String.format(java.util.Locale.ROOT, "%.1f", windowMillis) + " ms (" + lockAttempts + " lock attempt"
                    + (lockAttempts == 1 ? "" : "s") + "); " + before.rows() + " rows, the same before and after (count and checksum)";
        }
    }

    /** Begins the swap (or continues it, if one with this label is under way) and runs it to its end. */
    public static Report run(Node node, Plan plan, Options options) {
        return complete(node, begin(node, plan, options), options);
    }

    /** Step 1: returns the swap's id. Refusals (not partitions, overlapping ranges, ...) are {@link BadInput}. */
    public static long begin(Node node, Plan plan, Options options) {
        Map<String, String> settings = options.settings(0);
        settings.put("lab.parent", plan.parent());
        settings.put("lab.label", plan.label());
        settings.put("lab.old_leaves", arrayLiteral(plan.oldLeaves()));
        settings.put("lab.new_names", arrayLiteral(plan.newPartitions().stream().map(NewPartition::name).toList()));
        settings.put("lab.new_lowers", arrayLiteral(plan.newPartitions().stream().map(NewPartition::lower).toList()));
        settings.put("lab.new_uppers", arrayLiteral(plan.newPartitions().stream().map(NewPartition::upper).toList()));
        settings.put("lab.sources", arrayLiteral(plan.sources()));
        return ((Number) run(node, "online/commands/begin.sql", settings).lastTable().get(0, 0)).longValue();
    }

    /** Steps 2 to 5 of a begun swap: stage, window, verify, then finish, or revert when the rows differ. */
    public static Report complete(Node node, long swapId, Options options) {
        Map<String, String> settings = options.settings(swapId);
        Map<String, Double> millis = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        Table record = run(node, "online/commands/swap.sql", settings).lastTable();
        String label = record.getString(0, "label");

        long started = System.nanoTime();
        try (var bar = Progress.start("stage " + label, Math.max(1, estimateRows(node, record)), "rows", options.progress())) {
            boolean staged = false;
            while (!staged) {
                Table batch = run(node, "online/commands/stage_batch.sql", settings).lastTable();
                staged = Boolean.TRUE.equals(batch.get(0, 2));
                bar.step(((Number) batch.get(0, 1)).longValue());
                if (!staged) pause(options.batchPause());
            }
        }
        millis.put("stage", millisSince(started));
        options.ended("stage", started);

        started = System.nanoTime();
        Sql.Result window;
        try {
            window = node.run("online/commands/window.sql", settings);
        } catch (LabSqlException e) {
            RuntimeException failure = e.classified();
            if (failure instanceof LockGiveUp) {
                String aborted = String.valueOf(run(node, "online/commands/abort.sql", settings).lastTable().get(0, 0));
                throw new LockGiveUp(failure.getMessage() + " (" + aborted + ")", e);
            }
            throw failure;
        }
        millis.put("window", millisSince(started));
        options.ended("window", started);
        notices.addAll(window.notices());

        started = System.nanoTime();
        Table verification = run(node, "online/commands/verify.sql", settings).lastTable();
        millis.put("verify", millisSince(started));
        options.ended("verify", started);
        boolean matches = Boolean.TRUE.equals(verification.get(0, 4));
        String ending;
        started = System.nanoTime();
        if (matches) {
            ending = String.valueOf(run(node, "online/commands/finish.sql", settings).lastTable().get(0, 0));
            millis.put("finish", millisSince(started));
            options.ended("finish", started);
        } else {
            run(node, "online/commands/revert_mark.sql", settings);
            run(node, "online/commands/revert_prepare.sql", settings);
            run(node, "online/commands/validate_helper.sql", settings);
            Sql.Result reverted = node.run("online/commands/revert_window.sql", settings);
            notices.addAll(reverted.notices());
            ending = String.valueOf(reverted.lastTable().get(0, 0));
            millis.put("revert", millisSince(started));
            options.ended("revert", started);
        }
        Table done = run(node, "online/commands/swap.sql", settings).lastTable();
        return new Report(swapId, label, done.getString(0, "old_leaves"), done.getString(0, "new_names"),
                longAt(done, "rows_staged"), longAt(done, "window_rows"), (int) longAt(done, "window_attempts"),
                ((Number) done.column("window_ms").get(0)).doubleValue(),
                new Fingerprint("old partitions at the window", longAt(verification, "rows_before"), verification.getString(0, "checksum_before")),
                new Fingerprint("new partitions at the window", longAt(verification, "rows_after"), verification.getString(0, "checksum_after")),
                matches, !matches, ending, List.copyOf(notices), millis);
    }

    /** Gives up a swap before its window: nothing of the table changes. Returns what it removed. */
    public static String abort(Node node, long swapId, Options options) {
        return String.valueOf(run(node, "online/commands/abort.sql", options.settings(swapId)).lastTable().get(0, 0));
    }

    /** What the record says of the latest swap of a table: its state, window rows, lock attempts, window length. */
    public static Table latest(Node node, String parent) {
        return run(node, "online/commands/latest.sql", Map.of("lab.parent", parent)).lastTable().setName("latest online swap of " + parent);
    }

    /** The swaps of a table (or of every table, with null) begun and not finished. */
    public static Table inProgress(Node node, String parent) {
        Map<String, String> settings = new HashMap<>();
        if (parent != null) settings.put("lab.parent", parent);
        return run(node, "online/commands/in_progress.sql", settings).lastTable().setName("online swaps under way");
    }

    private static Sql.Result run(Node node, String file, Map<String, String> settings) {
        try {
            return node.run(file, settings);
        } catch (LabSqlException e) {
            throw e.classified();
        }
    }

    /** Rows the staging will copy, for the progress bar: the old partitions' and sources' row estimates. */
    private static long estimateRows(Node node, Table record) {
        List<String> tables = new ArrayList<>(List.of(record.getString(0, "old_leaves").split(", ")));
        Object estimate = node.scalar("SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class WHERE oid = ANY (?::regclass[])",
                arrayLiteral(tables));
        return ((Number) estimate).longValue();
    }

    private static long longAt(Table t, String column) {
        Object v = t.column(column).get(0);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static void pause(java.time.Duration pause) {
        if (pause == null || pause.isZero()) return;
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between two batches; the next run continues after the last one", e);
        }
    }

    private static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
    }

    /** A PostgreSQL array literal ('{"a","b",NULL}') of text values: each quoted, NULL for null. */
    static String arrayLiteral(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            String v = values.get(i);
            out.append(v == null ? "NULL" : '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        return out.append('}').toString();
    }
}
