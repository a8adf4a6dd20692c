package lab;

import java.time.Duration;
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

        /** Per relation seen, in name order, the strongest mode the window held on it: relation and mode. */
        public Table strongest() {
            var relations = new java.util.TreeSet<>(locks.stringColumn("relation").asList());
            var relation = tech.tablesaw.api.StringColumn.create("relation");
            var mode = tech.tablesaw.api.StringColumn.create("mode");
            for (String r : relations) {
                relation.append(r);
                mode.append(strongestOn(r));
            }
            return Table.create("the strongest lock the window held on each, as pg_locks showed it", relation, mode);
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

    /**
     * A long reader: a session of its own running {@code SELECT count(*)} on the table with a {@code pg_sleep} beside it,
     * so that it holds ACCESS SHARE on the table and every partition for {@code duration} (then it ends, or at
     * {@link LongReader#close()}), as a report or a slow query would. Returns once pg_locks shows the lock granted. What
     * a strong lock requested meanwhile does to everyone after it is what lessons and tests show.
     */
    public static LongReader holdAccessShare(Node node, String table, Duration duration) {
        Partitions.requireTable(node, table);
        // the server quotes the name, schema-qualified whatever the search_path: nothing from the caller is spliced in
        String quoted = String.valueOf(node.scalar("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)", table));
        String query = String.format(java.util.Locale.ROOT, "SELECT count(*) FROM %s, pg_sleep(%.3f)", quoted, duration.toMillis() / 1000.0);
        try {
            var connection = node.dsn().open();
            int pid;
            try (var s = connection.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
                s.execute("SET application_name = 'lab long reader'");
            }
            var statement = connection.createStatement();
            var running = CompletableFuture.runAsync(() -> {
                try {
                    statement.execute(query);
                } catch (java.sql.SQLException e) {
                    // canceled by close(): the reader ends early, as a canceled query does
                }
            });
            var reader = new LongReader(node, table, pid, connection, statement, running);
            reader.awaitGranted(Duration.ofSeconds(10));
            return reader;
        } catch (java.sql.SQLException e) {
            throw new LabSqlException(node.name(), query, e);
        }
    }

    /** A session holding ACCESS SHARE on a table for a while ({@link #holdAccessShare}): its pid; close() ends it. */
    public static final class LongReader implements AutoCloseable {
        private final Node node;
        private final String table;
        private final int pid;
        private final java.sql.Connection connection;
        private final java.sql.Statement statement;
        private final CompletableFuture<Void> running;

        private LongReader(Node node, String table, int pid, java.sql.Connection connection, java.sql.Statement statement,
                           CompletableFuture<Void> running) {
            this.node = node;
            this.table = table;
            this.pid = pid;
            this.connection = connection;
            this.statement = statement;
            this.running = running;
        }

        public int pid() {
            return pid;
        }

        /** Whether its query still runs (and holds the lock). */
        public boolean running() {
            return !running.isDone();
        }

        /** Waits until the query ends by itself. */
        public void awaitEnd(Duration timeout) {
            try {
                running.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the long reader on " + table + " did not end within " + timeout, e);
            }
        }

        private void awaitGranted(Duration timeout) {
            long until = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < until && running()) {
                Object held = node.scalar("SELECT count(*) FROM pg_locks WHERE pid = ? AND relation = to_regclass(?) AND granted", pid, table);
                if (((Number) held).longValue() > 0) return;
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            close();
            throw new IllegalStateException("the long reader on " + table + " did not get its lock within " + timeout);
        }

        /** Ends the reader now (its query canceled, if it still runs) and closes its session. */
        @Override
        public void close() {
            try {
                if (running()) statement.cancel();
                running.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // ended either way: the connection goes below
            } finally {
                try {
                    connection.close();
                } catch (java.sql.SQLException ignored) {
                    // the server ends the session with the connection
                }
            }
        }
    }
}
