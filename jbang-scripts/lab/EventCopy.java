package lab;

import static lab.EventGenerator.COLUMNS;
import static lab.EventGenerator.SLICE_ROWS;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lab.EventGenerator.Destination;
import lab.EventGenerator.Request;
import lab.EventGenerator.Stats;
import lab.EventGenerator.Target;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tech.tablesaw.api.Table;

/**
 * The rows of an {@link EventGenerator} load and the COPY that writes them: the months cut into slices, each drawn
 * from its own random stream (so the rows are a function of the seed alone), and the binary COPY streams that write
 * each row to its tenant's destination and commit together once all have finished.
 */
final class EventCopy {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final int MAX_ROW_BYTES = 256;
    private static final int MAX_DURATION_MS = 5_000;

    /** Event types and their share of rows: mostly views and clicks, a few purchases, rare errors. */
    private static final List<Share> EVENT_TYPES = List.of(new Share("page_view", 50), new Share("click", 25),
            new Share("search", 10), new Share("add_to_cart", 6), new Share("purchase", 4), new Share("signup", 3),
            new Share("error", 2));
    private static final byte[][] EVENT_TYPE_BY_PERCENTILE = percentileTable(EVENT_TYPES);
    private static final List<String> SOURCES = List.of("web", "ios", "android", "api");
    /** The payload is {"source": ..., "duration_ms": n}; everything before n is fixed per source. */
    private static final byte[][] PAYLOAD_PREFIX_BY_SOURCE = SOURCES.stream()
            .map(s -> ("{\"source\": \"" + s + "\", \"duration_ms\": ").getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);

    private EventCopy() {}

    private record Share(String value, int percent) {}

    /** A run of rows in one month drawn from one random stream. */
    record Slice(YearMonth month, int index, int rows, long startsAtMicros, long spanMicros) {
        long randomSeed(long seed) {
            long monthNumber = month.getYear() * 12L + month.getMonthValue() - 1;
            return mix(mix(seed ^ mix(monthNumber)) + index);
        }
    }

    static List<Slice> slices(Node node, Request request) {
        Table bounds = node.run("generate/month_bounds.sql",
                Map.of("lab.from_month", request.from().toString(), "lab.to_month", request.to().toString())).lastTable();
        List<Slice> slices = new ArrayList<>();
        for (int m = 0; m < bounds.rowCount(); m++) {
            YearMonth month = YearMonth.parse(bounds.stringColumn("month").get(m));
            long startsAt = bounds.longColumn("starts_at_micros").get(m);
            long span = bounds.longColumn("ends_at_micros").get(m) - startsAt;
            for (long first = 0, index = 0; first < request.perMonth(); first += SLICE_ROWS, index++) {
                int rows = (int) Math.min(SLICE_ROWS, request.perMonth() - first);
                slices.add(new Slice(month, (int) index, rows, startsAt, span));
            }
        }
        return slices;
    }

    static Stats copy(List<Destination> destinations, List<Target> targets, int[] route, String label,
                              Request request, List<Slice> slices, List<String> notes) {
        int streams = Math.min(request.connections(), slices.size());
        Queue<Slice> work = new ConcurrentLinkedQueue<>(slices);
        AtomicBoolean failed = new AtomicBoolean();
        List<Connection> connections = new ArrayList<>(); // stream-major: stream i, destination d at i * size + d
        ExecutorService executor = Executors.newFixedThreadPool(streams, daemonThreads());
        try (Progress progress = Progress.start("generate " + label, request.rows(), "rows", request.progress())) {
            for (int i = 0; i < streams; i++) {
                for (Destination d : destinations) {
                    Connection c = d.node().connection();
                    connections.add(c);
                    c.setAutoCommit(false);
                }
            }
            long started = System.nanoTime();
            List<Future<Long>> running = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                List<Connection> own = connections.subList(i * destinations.size(), (i + 1) * destinations.size());
                running.add(executor.submit(() -> stream(own, targets, route, request, work, failed, progress)));
            }
            long generatingNanos = 0;
            Throwable failure = null;
            for (Future<Long> f : running) {
                try {
                    generatingNanos += f.get();
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.set(true);
                    if (failure == null) failure = e;
                }
            }
            if (failure != null) {
                for (Connection c : connections) rollbackQuietly(c);
                if (failure instanceof CopyFailure e) throw new LabSqlException(e.node, e.statement, e.cause);
                if (failure instanceof RuntimeException e) throw e;
                throw new IllegalStateException("loading " + label + " failed: " + failure, failure);
            }
            // Every COPY has finished: commit them together, so that a failed stream never leaves half a load.
            for (Connection c : connections) c.commit();
            Duration copying = Duration.ofNanos(System.nanoTime() - started);
            return new Stats(label, request.from(), request.to(), request.rows(), request.tenants(),
                    request.seed(), streams, Duration.ofNanos(generatingNanos), copying, notes);
        } catch (SQLException e) {
            for (Connection c : connections) rollbackQuietly(c);
            throw new LabSqlException(destinations.get(0).node().name(), targets.get(0).copyStatement(), e);
        } finally {
            executor.shutdownNow();
            for (Connection c : connections) closeQuietly(c);
        }
    }

    /** A COPY that failed, with the node and statement it failed on. */
    private static final class CopyFailure extends Exception {
        final String node;
        final String statement;
        final SQLException cause;

        CopyFailure(String node, String statement, SQLException cause) {
            super(cause);
            this.node = node;
            this.statement = statement;
            this.cause = cause;
        }
    }

    /**
     * One stream's COPYs, one per destination on its own connection: takes slices until none are left; returns the
     * nanoseconds spent generating.
     */
    private static long stream(List<Connection> own, List<Target> targets, int[] route, Request request,
                               Queue<Slice> work, AtomicBoolean failed, Progress progress) throws CopyFailure {
        int n = own.size();
        CopyIn[] copies = new CopyIn[n];
        BinaryCopyWriter[] writers = new BinaryCopyWriter[n];
        long started = System.nanoTime();
        int current = 0;
        try {
            for (current = 0; current < n; current++) {
                copies[current] = own.get(current).unwrap(PGConnection.class).getCopyAPI().copyIn(targets.get(current).copyStatement());
                writers[current] = new BinaryCopyWriter(BUFFER_BYTES, MAX_ROW_BYTES, copies[current]::writeToCopy);
                writers[current].header();
            }
            for (Slice slice = work.poll(); slice != null && !failed.get(); slice = work.poll()) {
                write(writers, targets, route, slice, request);
                progress.step(slice.rows());
            }
            if (failed.get()) {
                for (CopyIn copy : copies) copy.cancelCopy();
                return 0;
            }
            for (current = 0; current < n; current++) {
                writers[current].trailer();
                writers[current].flush();
                copies[current].endCopy();
            }
        } catch (SQLException | RuntimeException e) {
            failed.set(true);
            for (CopyIn copy : copies) {
                if (copy != null && copy.isActive()) {
                    try {
                        copy.cancelCopy();
                    } catch (SQLException ignored) {
                        // the first error is the one to report
                    }
                }
            }
            if (e instanceof RuntimeException r) throw r;
            Target failedTarget = targets.get(Math.min(current, n - 1));
            throw new CopyFailure(failedTarget.node(), failedTarget.copyStatement(), (SQLException) e);
        }
        long sinkNanos = 0;
        for (BinaryCopyWriter w : writers) sinkNanos += w.sinkNanos();
        return System.nanoTime() - started - sinkNanos;
    }

    /**
     * The rows of one slice, each written to its tenant's destination; the order of the random draws is part of what a
     * seed means, so a row's values are all drawn before it is written.
     */
    private static void write(BinaryCopyWriter[] writers, List<Target> targets, int[] route, Slice slice, Request request)
            throws SQLException {
        SplittableRandom random = new SplittableRandom(slice.randomSeed(request.seed()));
        int tenants = request.tenants();
        for (int i = 0; i < slice.rows(); i++) {
            // a version 4 (random) UUID: version nibble 0100, variant bits 10
            long mostSignificant = random.nextLong() & ~0xF000L | 0x4000L;
            long leastSignificant = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
            int tenant = 1 + random.nextInt(tenants);
            long occurredAt = slice.startsAtMicros() + random.nextLong(slice.spanMicros());
            byte[] eventType = EVENT_TYPE_BY_PERCENTILE[random.nextInt(100)];
            byte[] payloadPrefix = PAYLOAD_PREFIX_BY_SOURCE[random.nextInt(PAYLOAD_PREFIX_BY_SOURCE.length)];
            int durationMs = random.nextInt(MAX_DURATION_MS);

            int d = route[tenant];
            BinaryCopyWriter w = writers[d];
            Target target = targets.get(d);
            w.row(COLUMNS.size());
            w.uuid(mostSignificant, leastSignificant);
            if (target.bigintTenant()) w.int8(tenant); else w.int4(tenant);
            w.timestamptz(occurredAt);
            w.text(eventType);
            int payload = w.beginValue();
            if (target.jsonbPayload()) w.jsonbVersion();
            w.ascii(payloadPrefix);
            w.digits(durationMs);
            w.ascii('}');
            w.endValue(payload);
        }
    }

    /** SplittableRandom's own 64-bit mixer: neighbouring seeds, months and slices give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One entry per percent, so that drawing a value by its share is one array lookup. */
    private static byte[][] percentileTable(List<Share> shares) {
        List<byte[]> table = new ArrayList<>();
        for (Share share : shares) {
            for (int i = 0; i < share.percent(); i++) table.add(share.value().getBytes(StandardCharsets.UTF_8));
        }
        if (table.size() != 100) throw new IllegalStateException("shares must add up to 100");
        return table.toArray(byte[][]::new);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "generate-copy-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection may be broken; closing it below discards the transaction anyway
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
