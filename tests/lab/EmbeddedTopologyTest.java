package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class EmbeddedTopologyTest {
    @Test
    void partitionedNodeIsARealPostgresServerOfTheBinariesMajor() {
        Node node = Lab.connect("embedded").node("partitioned");
        String version = node.serverVersion();
        assertTrue(version.startsWith(EmbeddedServer.major() + "."), version);
        assertEquals(System.getProperty("pg.major", EmbeddedServer.major()), EmbeddedServer.major());
        assertEquals("app", node.scalar("SELECT current_user"));
        assertEquals(1L, ((Number) node.scalar("SELECT 1")).longValue());
    }

    /**
     * Issue 17, "the embedded servers' access": they trusted every local connection. Now every connection, the
     * bootstrap superuser's too, needs the LAB_HOME's password, kept in a file only its owner can read.
     */
    @Test
    void everyConnectionNeedsTheLabHomesPassword() throws Exception {
        Node node = Lab.connect("embedded").node("partitioned");
        int port = node.dsn().port();
        var file = LabPassword.file(Settings.labHome());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = LabPassword.of(Settings.labHome());
        assertTrue(password.length() >= 24, "a short password");
        assertEquals(password, node.dsn().password());

        for (String user : new String[] {"app", "postgres"}) {
            for (String wrong : new String[] {null, "app", "postgres", ""}) {
                SQLException refused = assertThrows(SQLException.class,
                        () -> Dsn.local(port, user, user, wrong).open().close(), user + " got in with password " + wrong);
                assertTrue(refused.getSQLState().startsWith("08") || refused.getSQLState().equals("28P01"), refused.getSQLState() + " " + refused.getMessage());
            }
            Dsn.local(port, "postgres", user, password).open().close();
        }
        // the server's own rules: no trust line left, and every line asks for a SCRAM password
        String rules = (String) node.scalar("SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules");
        assertEquals("scram-sha-256", rules);
        assertFalse(node.dsn().toString().contains(password), "the DSN prints the password");
    }
}
