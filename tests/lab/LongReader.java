package lab;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A session that reads a table and keeps its transaction open for a while, holding the ACCESS SHARE lock its SELECT
 * took, as a long report query would: what a step under the lock discipline must wait for, retry, or give up on.
 *
 * <pre>{@code
 * try (var reader = LongReader.hold(db, "app.event_logs", Duration.ofSeconds(3))) {
 *     var gaveUp = assertThrows(LockGiveUp.class, () -> ...);
 *     assertTrue(gaveUp.getMessage().contains("pid " + reader.pid()));
 * }
 * }</pre>
 */
final class LongReader implements AutoCloseable {
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CompletableFuture<Void> session;
    private volatile int pid;

    private LongReader(Node db, String table, Duration hold) {
        session = CompletableFuture.runAsync(() -> {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                var rs = s.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                pid = rs.getInt(1);
                s.execute("SELECT count(*) FROM " + table);
                holding.countDown();
                Thread.sleep(hold.toMillis());
                c.rollback();
                c.setAutoCommit(true);
            } catch (Exception e) {
                throw new IllegalStateException("the long reader failed: " + e.getMessage(), e);
            } finally {
                holding.countDown();
            }
        });
    }

    /** Starts the reader and returns once it holds its lock. */
    static LongReader hold(Node db, String table, Duration hold) throws InterruptedException {
        LongReader reader = new LongReader(db, table, hold);
        if (!reader.holding.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the long reader did not start");
        return reader;
    }

    /** The reader's server process, as a message naming the session in the way shows it. */
    int pid() {
        return pid;
    }

    /** Waits until the reader has let go (its transaction ended). */
    @Override
    public void close() throws Exception {
        session.get(60, TimeUnit.SECONDS);
    }
}
