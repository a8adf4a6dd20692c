package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defect 8: the session in the way is named by its application, and the lab's sessions have one (their runbook's or
 * notebook's) that the reset of a pooled session keeps.
 */
class SessionNamesTest {
    private static Node db;

    @BeforeAll
    static void table() {
        db = Lab.connect("embedded").node("partitioned");
        OnlineSwap.install(db);
        db.query("CREATE SCHEMA IF NOT EXISTS session_names");
        db.query("CREATE TABLE IF NOT EXISTS session_names.t (id int)");
    }

    @Test
    void aLockGiveUpNamesTheApplicationInTheWay() throws Exception {
        LabSqlException gaveUp;
        try (var reader = Locks.holdAccessShare(db, "session_names.t", Duration.ofSeconds(5));
             Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                gaveUp = assertThrows(LabSqlException.class, () -> {
                    try {
                        s.execute("SELECT online.lock_relations(ARRAY['session_names.t'::regclass], ARRAY['ACCESS EXCLUSIVE'], "
                                + "'a test', 20, 200)");
                    } catch (java.sql.SQLException e) {
                        throw new LabSqlException(db.name(), "lock_relations", e);
                    }
                });
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            assertTrue(gaveUp.serverMessage().contains("pid " + reader.pid() + " (lab long reader, "), gaveUp.serverMessage());
        }
        assertEquals("55P03", gaveUp.sqlState());
    }

    @Test
    void aPooledSessionKeepsItsNameAfterItsReset() throws Exception {
        String previous = Dsn.applicationName("partition-lab SessionNamesTest");
        Node node = new Node("partitioned", db.dsn());
        try (Connection c = node.connection()) {
            Node.resetSession(c); // DISCARD ALL: a name set by SET after connecting would be gone
            try (var s = c.createStatement(); var rs = s.executeQuery("SHOW application_name")) {
                rs.next();
                assertEquals("partition-lab SessionNamesTest", rs.getString(1));
            }
        } finally {
            node.close();
            Dsn.applicationName(previous);
        }
    }
}
