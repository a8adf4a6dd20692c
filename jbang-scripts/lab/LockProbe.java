package lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the application's readers and writers would wait for while tables are being changed. Threads, each on a
 * connection of its own, ask again and again for the locks they take, each request rolled back at once (it reads
 * and writes nothing), and time every request:
 * <ul>
 *   <li>a <b>writer</b>: {@code LOCK TABLE t IN ROW EXCLUSIVE MODE}, the lock an INSERT, UPDATE or DELETE takes, on the
 *       table and every partition (the lab's writers write into any month, the DEFAULT included);</li>
 *   <li>a <b>reader</b>: {@code LOCK TABLE t IN ACCESS SHARE MODE}, the lock a SELECT takes, on the table and every
 *       partition, as a query that partition pruning does not narrow down takes it;</li>
 *   <li>the <b>control</b>: the same request on a table nobody uses ({@code lab.lock_probe_control}). It never waits
 *       for a lock, so its time is the probe's own round trip under the load of the moment: the noise floor. A wait
 *       no longer than the floor measured over the same interval is shown as "&lt; floor", not as a measurement.</li>
 * </ul>
 *
 * <pre>{@code
 * try (var probe = LockProbe.start(db, "app.event_logs")) {
 *     ... change the layout ...
 *     waits = probe.stop();
 * }
 * var longest = LockProbe.longest(waits, List.of("app.event_logs"), from, to);   // per table and role, with the floor
 * }</pre>
 */
public final class LockProbe implements AutoCloseable {
    /** Pause between two rounds of lock requests: often enough to catch a lock held for a few milliseconds. */
    private static final long PAUSE_MILLIS = 2;
    /** The floor is never below this: a millisecond is below what a person, or an application, can tell. */
    public static final double MIN_FLOOR_MILLIS = 1.0;
    /** Requests shorter than this are not kept: every wait that matters is longer, and the floor is at least 1 ms. */
    private static final long KEEP_NANOS = 200_000;
    public static final String CONTROL = "lab.lock_probe_control";

    /** Whose wait a request stands for. */
    public enum Role {
        WRITER("ROW EXCLUSIVE"), READER("ACCESS SHARE"), CONTROL("ACCESS SHARE");

        private final String mode;

        Role(String mode) {
            this.mode = mode;
        }

        public String lockMode() {
            return mode;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One lock request: which table, whose role, and when it began and ended (System.nanoTime). */
    public record Wait(String table, Role role, long startNanos, long endNanos) {
        public double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    /** The longest wait of one role on one table over an interval, and the noise floor over the same interval. */
    public record Longest(String table, Role role, double millis, double floorMillis) {
        /** A wait longer than the probe's own round trip at the time: a lock really held someone up. */
        public boolean aboveFloor() {
            return millis > floorMillis;
        }

        /** As a report shows it: the milliseconds, or "< floor" when the wait is within the probe's noise. */
        public String shown() {
            return aboveFloor() ? String.format(Locale.ROOT, "%.1f", millis) : "< floor";
        }

        /** The wait when above the floor, else 0: what a summary adds up or compares. */
        public double measured() {
            return aboveFloor() ? millis : 0;
        }
    }

    private record Probe(String table, Role role, String statement) {}

    private final List<String> tables;
    private final List<Requester> requesters = new ArrayList<>();
    private final List<Wait> waits = new ArrayList<>();
    private volatile boolean stopping;
    private volatile String failure;

    private LockProbe(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    /**
     * Starts probing the tables (schema-qualified names; they must exist) as a writer and as a reader. Each role
     * asks on a connection of its own (not the pool's), so that one request waiting does not hide another's wait.
     */
    public static LockProbe start(Node node, String... tables) {
        node.run("lab/lock_probe_control.sql");
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe(CONTROL, Role.CONTROL, "LOCK TABLE " + CONTROL + " IN ACCESS SHARE MODE"));
        for (String table : tables) {
            Partitions.requireTable(node, table);
            // the server quotes the name (a regclass printed as text), so nothing from the caller is spliced in
            String quoted = String.valueOf(node.scalar("SELECT to_regclass(?)::text", table));
            for (Role role : List.of(Role.WRITER, Role.READER)) {
                probes.add(new Probe(table, role, "LOCK TABLE " + quoted + " IN " + role.lockMode() + " MODE"));
            }
        }
        LockProbe probe = new LockProbe(List.of(tables));
        try {
            for (Probe p : probes) probe.requesters.add(probe.new Requester(p, node.dsn().open()));
        } catch (SQLException e) {
            probe.stop();
            throw new LabSqlException(node.name(), "lock probe", e);
        }
        probe.requesters.forEach(r -> r.thread.start());
        return probe;
    }

    /** One role on one table: a thread and its connection, asking for the lock again and again. */
    private final class Requester {
        private final Probe probe;
        private final Connection connection;
        private final Thread thread;
        private final AtomicReference<Statement> current = new AtomicReference<>();

        Requester(Probe probe, Connection connection) {
            this.probe = probe;
            this.connection = connection;
            this.thread = new Thread(this::run, "lab-lock-probe-" + probe.role().label());
            thread.setDaemon(true);
        }

        private void run() {
            try (Statement s = connection.createStatement()) {
                current.set(s);
                connection.setAutoCommit(false);
                while (!stopping) {
                    long start = System.nanoTime();
                    try {
                        s.execute(probe.statement());
                    } catch (SQLException e) {
                        // canceled by stop(), or a partition gone for a moment: not a wait anyone would see
                    }
                    long end = System.nanoTime();
                    connection.rollback();
                    if (end - start >= KEEP_NANOS) record(new Wait(probe.table(), probe.role(), start, end));
                    Thread.sleep(PAUSE_MILLIS);
                }
            } catch (SQLException | RuntimeException e) {
                failure = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void cancelIfWaiting() throws SQLException {
            Statement s = current.get();
            if (thread.isAlive() && s != null) s.cancel();
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server ends the session with the connection either way
            }
        }
    }

    private synchronized void record(Wait wait) {
        waits.add(wait);
    }

    /** Stops probing (a request waiting now is canceled) and returns every request that took 0.2 ms or more. */
    public List<Wait> stop() {
        if (!stopping) {
            stopping = true;
            try {
                for (Requester r : requesters) r.thread.join(200);
                for (Requester r : requesters) r.cancelIfWaiting();
                for (Requester r : requesters) r.thread.join(5_000);
            } catch (SQLException | InterruptedException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            } finally {
                requesters.forEach(Requester::close);
            }
        }
        synchronized (this) {
            return List.copyOf(waits);
        }
    }

    /** Why probing stopped early, if it did (null: it ran until stopped). */
    public String failure() {
        return failure;
    }

    public List<String> tables() {
        return tables;
    }

    /** The noise floor over an interval: the longest control request that ended in it, and never below 1 ms. */
    public static double floor(List<Wait> waits, long fromNanos, long toNanos) {
        double floor = MIN_FLOOR_MILLIS;
        for (Wait w : waits) {
            if (w.role() == Role.CONTROL && w.endNanos() > fromNanos && w.endNanos() <= toNanos) floor = Math.max(floor, w.millis());
        }
        return floor;
    }

    /** Per table, the longest writer's and reader's wait among the requests that ended between two instants. */
    public static List<Longest> longest(List<Wait> waits, List<String> tables, long fromNanos, long toNanos) {
        double floor = floor(waits, fromNanos, toNanos);
        List<Longest> longest = new ArrayList<>();
        for (String table : tables) {
            for (Role role : List.of(Role.WRITER, Role.READER)) {
                double max = 0;
                for (Wait w : waits) {
                    if (w.table().equals(table) && w.role() == role && w.endNanos() > fromNanos && w.endNanos() <= toNanos) {
                        max = Math.max(max, w.millis());
                    }
                }
                longest.add(new Longest(table, role, max, floor));
            }
        }
        return longest;
    }

    /**
     * Per interval (consecutive steps, each {@code {fromNanos, toNanos}}), the longest writer's and reader's wait per
     * table, as {@link #longest} gives them, each request counted for the interval it overlaps most: a request queued
     * behind a step's window is granted as the window commits, and may end a moment after that step has returned; it is
     * that step's wait, not the next one's. The floor of each interval comes from the control requests counted for it.
     */
    public static List<List<Longest>> longestPerInterval(List<Wait> waits, List<String> tables, List<long[]> intervals) {
        List<List<Wait>> counted = new ArrayList<>();
        for (int i = 0; i < intervals.size(); i++) counted.add(new ArrayList<>());
        for (Wait w : waits) {
            int best = -1;
            long bestOverlap = 0;
            for (int i = 0; i < intervals.size(); i++) {
                long overlap = Math.min(w.endNanos(), intervals.get(i)[1]) - Math.max(w.startNanos(), intervals.get(i)[0]);
                if (overlap > bestOverlap) {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best >= 0) counted.get(best).add(w);
        }
        List<List<Longest>> longest = new ArrayList<>();
        for (List<Wait> c : counted) longest.add(longest(c, tables, Long.MIN_VALUE, Long.MAX_VALUE));
        return longest;
    }

    @Override
    public void close() {
        stop();
    }
}
