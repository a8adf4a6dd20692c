package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock probe sees what readers and writers would wait for: a writer waits for a lock that blocks writers while a
 * reader does not; a lock that blocks everyone shows for both; the control table shows the probe's own noise floor.
 */
class LockProbeTest {
    private static final String TABLE = "app.lock_probe_target";

    @Test
    void aLockHeldElsewhereShowsForTheRolesItBlocks() throws Exception {
        Node db = Lab.connect("embedded").node("partitioned");
        Migration.installFunctions(db); // schema app
        db.query("CREATE TABLE IF NOT EXISTS app.lock_probe_target (id int)");
        List<LockProbe.Wait> waits;
        long exclusiveFrom;
        long exclusiveUntil;
        long shareFrom;
        long shareUntil;
        try (var probe = LockProbe.start(db, TABLE)) {
            Thread.sleep(50);
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE app.lock_probe_target IN SHARE MODE"); // blocks writers, not readers (CREATE INDEX takes it)
                shareFrom = System.nanoTime();
                Thread.sleep(300);
                shareUntil = System.nanoTime();
                c.rollback();
                Thread.sleep(50);
                s.execute("LOCK TABLE app.lock_probe_target IN ACCESS EXCLUSIVE MODE"); // blocks everyone
                exclusiveFrom = System.nanoTime();
                Thread.sleep(300);
                exclusiveUntil = System.nanoTime();
                c.rollback();
                c.setAutoCommit(true);
            }
            Thread.sleep(50);
            waits = probe.stop();
        }
        var share = LockProbe.longest(waits, List.of(TABLE), shareFrom, exclusiveFrom);
        assertEquals(LockProbe.Role.WRITER, share.get(0).role());
        assertTrue(share.get(0).millis() >= 250 && share.get(0).millis() < 1_000 && share.get(0).aboveFloor(),
                "a writer waited for SHARE held 300 ms: " + share.get(0));
        // a reader did not wait for it: its longest request is the probe's own round trip, which on a busy machine can
        // now and then exceed the floor the control measured, but never comes near the 300 ms the writer waited
        assertTrue(share.get(1).millis() < 100, "a reader did not: " + share.get(1));

        var exclusive = LockProbe.longest(waits, List.of(TABLE), exclusiveFrom, Long.MAX_VALUE);
        for (var role : exclusive) {
            assertTrue(role.millis() >= 250 && role.millis() < 1_000, role.role() + " waited for ACCESS EXCLUSIVE held 300 ms: " + role);
        }
        assertTrue(waits.stream().anyMatch(w -> w.endNanos() >= exclusiveUntil), "the waits ended when the lock was released");
        double floor = LockProbe.floor(waits, shareFrom, Long.MAX_VALUE);
        assertTrue(floor >= LockProbe.MIN_FLOOR_MILLIS && floor < 250, "the floor is the probe's round trip, not a lock: " + floor);
        assertTrue(shareUntil > shareFrom);
    }
}
