package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reset stops servers even when another process owns them (a notebook kernel holding open sessions) and deletes
 * their data; without --yes it changes nothing. Runs on a LAB_HOME of its own, not the shared test servers.
 */
class ResetTest {
    @Test
    void resetStopsAnotherProcesssServerOnlyWhenConfirmed(@TempDir Path home) throws Exception {
        Process owner = RunbookProcess.start(home, ServerOwner.class.getName());
        try {
            String first = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(first != null && first.startsWith("port="), "the owner did not start its server: " + first);
            int port = Integer.parseInt(first.substring(5));

            var plan = RunbookProcess.runWithHome(home, "Servers", "reset");
            assertEquals(0, plan.exitCode(), plan::toString);
            assertTrue(plan.out().contains("would stop and remove"), plan::toString);
            assertTrue(EmbeddedServer.canConnect(port), "the dry run stopped the server");
            assertTrue(Files.isDirectory(home.resolve("servers/main/data")), "the dry run deleted data");

            var reset = RunbookProcess.runWithHome(home, "Servers", "reset", "--yes");
            assertEquals(0, reset.exitCode(), reset::toString);
            assertTrue(reset.out().contains("stopped and removed"), reset::toString);
            assertFalse(EmbeddedServer.canConnect(port), "the owner's server still answers");
            assertFalse(Files.exists(home.resolve("servers")), "the data is still there");
        } finally {
            owner.destroy();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Another process that starts the server, holds a session open, and waits. */
    public static final class ServerOwner {
        public static void main(String[] args) throws Exception {
            Node node = Lab.connect("embedded").node("partitioned");
            try (var session = node.connection()) {
                System.out.println("port=" + node.dsn().port());
                System.out.flush();
                Thread.sleep(120_000);
            }
        }
    }
}
