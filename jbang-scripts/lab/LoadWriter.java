package lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.LoadSimulator.Count;
import lab.LoadSimulator.Options;
import lab.LoadSimulator.Summary;
import lab.LoadSimulator.Target;

/**
 * The writer of a {@link LoadSimulator}: a daemon thread with its own connection that picks a table by weight,
 * inserts one row, counts it (keeping its id) or its failure, and pauses; it opens its connection again after it
 * breaks, stops by itself after too many failures in a row, and stops on request without waiting on a dead server.
 */
final class LoadWriter {
    private static final Duration RECONNECT_BACKOFF = Duration.ofMillis(200);
    /** How long {@link #stop()} lets a running insert finish (it may wait for a lesson's lock) before cancelling it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Node node;
    private final Options options;
    private final Map<Target, String> inserts;
    private final Map<Target, Tally> tallies = new EnumMap<>(Target.class);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Thread writer;
    private final long startedAt;
    private volatile long endedAt; // 0 while running
    private volatile PreparedStatement insertUnderWay; // the insert under way, for stop() to cancel
    private volatile Connection connectionInUse; // the writer's, for stop() to abort when a cancel cannot reach the server
    private volatile String stoppedBecause; // why the load stopped by itself (inserts failing in a row), or null

    private LoadWriter(Node node, Options options, Map<Target, String> inserts, Session session) {
        this.node = node;
        this.options = options;
        this.inserts = inserts;
        for (Target target : options.mix().keySet()) tallies.put(target, new Tally());
        this.writer = new Thread(() -> write(session), "load-simulator-" + node.name());
        writer.setDaemon(true); // a forgotten load must not keep a notebook's JVM alive
        this.startedAt = System.nanoTime();
    }

    /** Connects and prepares one insert per table; the thread starts with {@link #start()}. */
    static LoadWriter open(Node node, Options options, Map<Target, String> inserts) throws SQLException {
        return new LoadWriter(node, options, inserts, Session.open(node, inserts));
    }

    void start() {
        writer.start();
    }

    /** The connection the writer uses and one prepared insert per table; opened again after it breaks. */
    private record Session(Connection connection, Map<Target, PreparedStatement> inserts) {
        static Session open(Node node, Map<Target, String> statements) throws SQLException {
            Connection connection = node.dsn().open();
            try {
                connection.setAutoCommit(true);
                Map<Target, PreparedStatement> inserts = new EnumMap<>(Target.class);
                for (var e : statements.entrySet()) inserts.put(e.getKey(), connection.prepareStatement(e.getValue()));
                return new Session(connection, inserts);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }

        boolean broken() {
            try {
                return !connection.isValid(2);
            } catch (SQLException e) {
                return true;
            }
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection has nothing left to release
            }
        }
    }

    /** The writer thread: pick a table, insert, count, pause; until stopped or the duration is over. */
    private void write(Session opened) {
        SplittableRandom random = new SplittableRandom(options.seed());
        Target[] targets = options.mix().keySet().toArray(Target[]::new);
        int[] cumulativeWeights = new int[targets.length];
        int total = 0;
        for (int i = 0; i < targets.length; i++) cumulativeWeights[i] = total += options.mix().get(targets[i]);
        Session current = opened;
        int failedInARow = 0;
        try {
            while (stopRequested.getCount() > 0 && !durationOver()) {
                Target target = pick(targets, cumulativeWeights, random.nextInt(total));
                Tally tally = tallies.get(target);
                try {
                    if (current == null) current = Session.open(node, inserts);
                    connectionInUse = current.connection();
                    PreparedStatement insert = current.inserts().get(target);
                    insertUnderWay = insert;
                    try (ResultSet rs = insert.executeQuery()) {
                        if (!rs.next()) throw new SQLException("sql/" + target.insertFile() + " returned no id");
                        tally.written(rs.getLong(1));
                    }
                    failedInARow = 0;
                } catch (SQLException | RuntimeException e) {
                    String failure = masked(oneLine(e));
                    tally.failed(failure);
                    if (stopRequested.getCount() > 0 && ++failedInARow >= options.maxConsecutiveFailures()) {
                        stoppedBecause = String.format(Locale.ROOT, "stopped after %,d inserts failed in a row; the last: %s", failedInARow, failure);
                        break;
                    }
                    if (current != null && current.broken()) {
                        current.close();
                        current = null;
                    }
                    if (current == null) pause(RECONNECT_BACKOFF);
                } finally {
                    insertUnderWay = null;
                }
                if (!options.interval().isZero()) pause(shorterOfIntervalAndRemaining());
            }
        } finally {
            if (current != null) current.close();
            connectionInUse = null;
            endedAt = System.nanoTime();
        }
    }

    /** A driver's message never shows the password of the node's DSN, whatever it quotes. */
    private String masked(String message) {
        String password = node.dsn().password();
        return password == null || password.isEmpty() ? message : message.replace(password, "***");
    }

    private static Target pick(Target[] targets, int[] cumulativeWeights, int draw) {
        for (int i = 0; i < targets.length; i++) {
            if (draw < cumulativeWeights[i]) return targets[i];
        }
        return targets[targets.length - 1];
    }

    private Duration shorterOfIntervalAndRemaining() {
        if (options.duration() == null) return options.interval();
        Duration remaining = options.duration().minusNanos(System.nanoTime() - startedAt);
        return remaining.compareTo(options.interval()) < 0 ? remaining : options.interval();
    }

    private boolean durationOver() {
        return options.duration() != null && System.nanoTime() - startedAt >= options.duration().toNanos(); // bounded: MAX_DURATION
    }

    /** Sleeps, but wakes at once when asked to stop. */
    private void pause(Duration pause) {
        try {
            stopRequested.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            stopRequested.countDown();
            Thread.currentThread().interrupt();
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (message.startsWith("ERROR: ")) message = message.substring(7);
        return e instanceof SQLException sql && sql.getSQLState() != null ? message + " (SQLSTATE " + sql.getSQLState() + ")" : message;
    }

    /** Still writing: neither stopped nor at the end of its duration. */
    boolean running() {
        return writer.isAlive();
    }

    /** What it has done so far; safe to call at any time, from any thread. */
    Summary snapshot() {
        List<Count> counts = new ArrayList<>();
        tallies.forEach((target, tally) -> counts.add(tally.count(target)));
        long end = endedAt == 0 ? System.nanoTime() : endedAt;
        return new Summary(options, counts, Duration.ofNanos(end - startedAt));
    }

    /** {@link LoadSimulator#stop()}: a grace for the insert under way, then a cancel, then the connection aborted. */
    Summary stop() {
        stopRequested.countDown();
        try {
            writer.join(STOP_GRACE.toMillis());
            PreparedStatement stuck = insertUnderWay;
            if (writer.isAlive() && stuck != null) {
                try {
                    stuck.cancel(); // e.g. waiting for a lock the stopping thread itself holds
                } catch (SQLException ignored) {
                    // it finished meanwhile, or the server cannot be reached: aborted below
                }
            }
            writer.join(STOP_GRACE.toMillis());
            Connection stuckConnection = connectionInUse;
            if (writer.isAlive() && stuckConnection != null) {
                try {
                    stuckConnection.abort(Runnable::run); // closes its socket at once
                } catch (SQLException ignored) {
                    // closed meanwhile
                }
            }
            writer.join(STOP_GRACE.toMillis()); // a daemon still stuck (opening a connection) cannot hold the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return snapshot();
    }

    /** Why the load stopped by itself, or null. */
    String stoppedBecause() {
        return stoppedBecause;
    }

    /** Per table that has failed, its first failure. */
    Map<Target, String> firstErrors() {
        Map<Target, String> first = new EnumMap<>(Target.class);
        tallies.forEach((target, tally) -> {
            String error = tally.firstError();
            if (error != null) first.put(target, error);
        });
        return first;
    }

    /** Waits for the end of a run with a duration. */
    Summary awaitEnd() {
        if (options.duration() == null) throw new IllegalStateException("this load has no duration: it runs until stop()");
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return snapshot();
    }

    /** The tables it writes to, in {@link Target} order. */
    Set<Target> targets() {
        return tallies.keySet();
    }

    /** The ids of the rows it has written into a table. */
    long[] ids(Target target) {
        return tallies.get(target).ids();
    }

    /** One table's rows and errors, written by the writer thread, read by anyone. */
    private static final class Tally {
        private long[] ids = new long[1024]; // primitive: a long run keeps millions of ids
        private int size;
        private long errors;
        private String firstError;
        private String lastError;

        synchronized void written(long id) {
            if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
            ids[size++] = id;
        }

        synchronized void failed(String message) {
            errors++;
            if (firstError == null) firstError = message;
            lastError = message;
        }

        synchronized String firstError() {
            return firstError;
        }

        synchronized long[] ids() {
            return Arrays.copyOf(ids, size);
        }

        synchronized Count count(Target target) {
            return new Count(target, size, errors, lastError);
        }
    }
}
