package lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a concurrent writer would wait for while tables are being changed: a thread on its own connection asks,
 * again and again, for the lock every INSERT takes on each table ({@code LOCK TABLE ONLY ... IN ROW EXCLUSIVE
 * MODE}, rolled back at once, so it writes nothing) and times how long each request waited.
 *
 * <pre>{@code
 * try (var probe = LockProbe.start(db, "app.event_logs")) {
 *     ... change the layout ...
 *     waits = probe.stop();          // every wait, with when it ended
 * }
 * }</pre>
 */
public final class LockProbe implements AutoCloseable {
    /** Pause between two rounds of lock requests: often enough to catch a lock held for a few milliseconds. */
    private static final long PAUSE_MILLIS = 2;
    /** Waits shorter than this are the round trip itself, not a lock. */
    public static final Duration NOISE = Duration.ofMillis(1);

    private final List<String> tables;
    private final Connection connection;
    private final Thread thread;
    private final List<Wait> waits = new ArrayList<>();
    private final AtomicReference<Statement> current = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile String failure;

    /** One lock request that waited: which table, and when the wait began and ended (System.nanoTime). */
    public record Wait(String table, long startNanos, long endNanos) {
        public double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private final List<String> lockStatements;

    private LockProbe(Node node, List<String> tables, List<String> lockStatements) throws SQLException {
        this.tables = List.copyOf(tables);
        this.lockStatements = List.copyOf(lockStatements);
        this.connection = node.connection();
        this.thread = new Thread(this::probe, "lab-lock-probe");
        thread.setDaemon(true);
    }

    /** Starts probing the tables (schema-qualified names); they must exist. */
    public static LockProbe start(Node node, String... tables) {
        List<String> statements = new ArrayList<>();
        for (String table : tables) {
            Partitions.requireTable(node, table);
            // the server quotes the name (a regclass printed as text), so nothing from the caller is spliced in
            statements.add("LOCK TABLE ONLY " + node.scalar("SELECT to_regclass(?)::text", table) + " IN ROW EXCLUSIVE MODE");
        }
        try {
            LockProbe probe = new LockProbe(node, List.of(tables), statements);
            probe.thread.start();
            return probe;
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), "lock probe", e);
        }
    }

    private void probe() {
        try (Statement s = connection.createStatement()) {
            current.set(s);
            connection.setAutoCommit(false);
            while (!stopping) {
                for (int i = 0; i < tables.size(); i++) {
                    long start = System.nanoTime();
                    try {
                        s.execute(lockStatements.get(i));
                    } catch (SQLException e) {
                        // canceled by stop(), or the table is gone for a moment: not a wait a writer would see
                    }
                    long end = System.nanoTime();
                    connection.rollback();
                    if (end - start >= NOISE.toNanos()) record(new Wait(tables.get(i), start, end));
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (SQLException | RuntimeException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void record(Wait wait) {
        waits.add(wait);
    }

    /** Stops probing (a request waiting now is canceled) and returns every wait longer than {@link #NOISE}. */
    public List<Wait> stop() {
        if (!stopping) {
            stopping = true;
            try {
                thread.join(200);
                Statement s = current.get();
                if (thread.isAlive() && s != null) s.cancel();
                thread.join(5_000);
            } catch (SQLException | InterruptedException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            } finally {
                release();
            }
        }
        synchronized (this) {
            return List.copyOf(waits);
        }
    }

    /** Back to the pool as it came: autocommit on, session reset (a failure here only costs the pool a connection). */
    private void release() {
        try (connection) {
            connection.rollback();
            connection.setAutoCommit(true);
            Node.resetSession(connection);
        } catch (SQLException ignored) {
            // closed all the same; the pool replaces a broken connection
        }
    }

    /** Why probing stopped early, if it did (null: it ran until stopped). */
    public String failure() {
        return failure;
    }

    /** The longest wait per table among the waits that ended between two instants (System.nanoTime), in ms. */
    public static Map<String, Double> longestWaits(List<Wait> waits, List<String> tables, long fromNanos, long toNanos) {
        Map<String, Double> longest = new LinkedHashMap<>();
        for (String table : tables) longest.put(table, 0.0);
        for (Wait w : waits) {
            if (w.endNanos() > fromNanos && w.endNanos() <= toNanos) longest.merge(w.table(), w.millis(), Math::max);
        }
        return longest;
    }

    public List<String> tables() {
        return tables;
    }

    @Override
    public void close() {
        stop();
    }
}
