package lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock probe sees what a writer would wait for: a lock held elsewhere for 300 ms shows as a wait of about that. */
class LockProbeTest {
    @Test
    void aLockHeldElsewhereShowsAsAWaitOfItsLength() throws Exception {
        Node db = Lab.connect("embedded").node("partitioned");
        Migration.installFunctions(db); // schema app
        db.query("CREATE TABLE IF NOT EXISTS app.lock_probe_target (id int)");
        List<LockProbe.Wait> waits;
        long heldFrom;
        long heldUntil;
        try (var probe = LockProbe.start(db, "app.lock_probe_target")) {
            Thread.sleep(50);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE app.lock_probe_target IN ACCESS EXCLUSIVE MODE");
                heldFrom = System.nanoTime();
                Thread.sleep(300);
                heldUntil = System.nanoTime();
                c.rollback();
                c.setAutoCommit(true);
            }
            Thread.sleep(50);
            waits = probe.stop();
        }
        double longest = LockProbe.longestWaits(waits, List.of("app.lock_probe_target"), heldFrom, Long.MAX_VALUE).get("app.lock_probe_target");
        assertTrue(longest >= 250 && longest < 1_000, "longest wait " + longest + " ms for a lock held 300 ms; " + waits);
        assertTrue(waits.stream().anyMatch(w -> w.endNanos() >= heldUntil), "the wait ended when the lock was released");
    }
}
