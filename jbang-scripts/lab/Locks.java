package lab;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import tech.tablesaw.api.Table;

/**
 * What pg_locks shows while an exclusive window holds a table: the lessons print it, so that what they say about
 * locks is what PostgreSQL reports. A window marks its session (application_name 'online window: ...', see
 * sql/online/window_marks.sql); a second session polls sql/lab/window_locks.sql meanwhile and keeps the fullest view.
 *
 * <pre>{@code
 * var seen = Locks.whileInWindow(db, "app.event_logs",
 *         () -> OnlineSwap.run(db, plan, options.withHoldWindow(Duration.ofMillis(300))));
 * render(Render.html(seen.locks()), "text/html")
 * }</pre>
 */
public final class Locks {
    private static final long POLL_MILLIS = 5;

    private Locks() {}

    /** The result of the action, and the locks its window held on the table and its partitions (empty: none seen). */
    public record Seen<T>(T result, Table locks) {
        /** The lock modes pg_locks showed on one relation, e.g. {@code [AccessExclusiveLock, ShareUpdateExclusiveLock]}. */
        public java.util.List<String> modesOn(String relation) {
            return locks.where(locks.stringColumn("relation").isEqualTo(relation)).stringColumn("mode").asList();
        }

        /** The strongest of them (the one that decides who waits), or null when none was seen. */
        public String strongestOn(String relation) {
            return modesOn(relation).stream().max(java.util.Comparator.comparingInt(STRENGTH::indexOf)).orElse(null);
        }
    }

    /** Table lock modes as pg_locks names them, in the documentation's order: the later, the more modes it conflicts with. */
    public static final java.util.List<String> STRENGTH = java.util.List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    /** The locks sessions in a window hold on the table and its partitions now. */
    public static Table inWindowNow(Node node, String table) {
        return node.run("lab/window_locks.sql", Map.of("lab.table_name", table)).lastTable()
                .setName("pg_locks while a window holds " + table);
    }

    /**
     * Runs the action (in this thread) while another thread polls pg_locks for a window on the table; returns the
     * action's result and the fullest view seen. Give the window time to be seen (online.hold_window_ms).
     */
    public static <T> Seen<T> whileInWindow(Node node, String table, Supplier<T> action) {
        Partitions.requireTable(node, table);
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Table> poller = CompletableFuture.supplyAsync(() -> {
            Table fullest = null;
            while (!done.get()) {
                Table now = inWindowNow(node, table);
                if (fullest == null || now.rowCount() > fullest.rowCount()) fullest = now;
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return fullest;
        });
        T result;
        try {
            result = action.get();
        } finally {
            done.set(true);
        }
        try {
            return new Seen<>(result, poller.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking at pg_locks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not look at pg_locks: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
