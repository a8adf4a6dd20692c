package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers with a life of their own (issue 17, defect 2): the process that started a server exits, by Ctrl+C, while
 * another process is in the middle of its work on it; the server keeps running and the other finishes. The last
 * lab process out still stops it, unless `Servers.java up` started it. Each test has a LAB_HOME of its own.
 */
class ServersLifeTest {
    @Test
    void ctrlCOnTheStarterDoesNotStopTheServerUnderAnotherProcesssWork(@TempDir Path home) throws Exception {
        Process starter = RunbookProcess.start(home, Starter.class.getName());
        Process worker = null;
        try {
            int port = startedPort(reader(starter));

            worker = RunbookProcess.start(home, Worker.class.getName());
            BufferedReader workerOut = reader(worker);
            String attached = workerOut.readLine();
            assertEquals("attached port=" + port, attached, "the worker did not attach to the starter's server");
            Thread.sleep(1000); // the worker is now inside its 8 s statement

            // Ctrl+C on the starter, as from its terminal
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(starter.pid())).start().waitFor());
            assertTrue(starter.waitFor(60, TimeUnit.SECONDS), "the starter did not exit on SIGINT");
            assertTrue(EmbeddedServer.canConnect(home, port), "the starter's exit stopped the server under the worker");

            assertTrue(worker.waitFor(120, TimeUnit.SECONDS), "the worker did not finish");
            String rest = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, worker.exitValue(), "the worker failed: " + rest);
            assertTrue(rest.contains("done rows=1"), rest);
            // the last lab process out stops the server it did not start, as nobody keeps it up
            assertFalse(EmbeddedServer.canConnect(home, port), "the server outlived its last user");
        } finally {
            stop(starter);
            if (worker != null) stop(worker);
        }
    }

    @Test
    void upKeepsServersRunningAfterItsUsersExitAndDownStopsThem(@TempDir Path home) throws Exception {
        var up = RunbookProcess.runWithHome(home, "Servers", "up", "--nodes", "partitioned");
        assertEquals(0, up.exitCode(), up::toString);
        assertFalse(up.out().contains(LabPassword.of(home)), "up printed the password");
        int port = EmbeddedServer.PostmasterPid.read(home.resolve("servers").resolve(EmbeddedServer.major()).resolve("main/data")).orElseThrow().port();
        assertTrue(up.out().contains("postgresql://app@localhost:" + port + "/app"), up::toString);
        assertTrue(up.out().contains("PGPASSFILE=" + home.resolve("pgpass") + " psql postgresql://app@localhost:" + port + "/app"), up::toString);
        assertTrue(EmbeddedServer.canConnect(home, port), "up returned but its server does not answer");

        var runbook = RunbookProcess.runWithHome(home, Worker.class.getName());
        assertEquals(0, runbook.exitCode(), runbook::toString);
        assertTrue(EmbeddedServer.canConnect(home, port), "a process that used the server stopped what up started");

        var status = RunbookProcess.runWithHome(home, "Servers", "status");
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().lines().anyMatch(l -> l.contains("partitioned") && l.contains("running") && l.contains("Servers.java up")), status::toString);

        var down = RunbookProcess.runWithHome(home, "Servers", "down");
        assertEquals(0, down.exitCode(), down::toString);
        assertTrue(down.out().lines().anyMatch(l -> l.contains("/main") && l.contains("stopped")), down::toString);
        assertTrue(down.out().lines().anyMatch(l -> l.contains("/shard1") && l.contains("not running")), down::toString);
        assertFalse(EmbeddedServer.canConnect(home, port), "down did not stop the server");

        var after = RunbookProcess.runWithHome(home, "Servers", "status");
        assertTrue(after.out().lines().anyMatch(l -> l.contains("partitioned") && l.contains("not started")), after::toString);
    }

    @Test
    void theStarterLeavesTheServerRunningWhileAnotherClientIsConnected(@TempDir Path home) throws Exception {
        Process starter = RunbookProcess.start(home, Starter.class.getName());
        try {
            int port = startedPort(reader(starter));
            // a client that is no lab process (psql, say): only pg_stat_activity shows it
            try (Connection psql = Dsn.local(port, "app", "app", LabPassword.of(home)).open()) {
                starter.destroy(); // SIGTERM
                assertTrue(starter.waitFor(60, TimeUnit.SECONDS), "the starter did not exit on SIGTERM");
                assertTrue(EmbeddedServer.canConnect(home, port), "the starter stopped the server under a connected client");
            }
        } finally {
            stop(starter);
            var down = RunbookProcess.runWithHome(home, "Servers", "down");
            assertEquals(0, down.exitCode(), down::toString);
        }
    }

    @Test
    void downLeavesAServerAnotherLabProcessUsesUnlessForced(@TempDir Path home) throws Exception {
        Process starter = RunbookProcess.start(home, Starter.class.getName());
        try {
            int port = startedPort(reader(starter));

            var down = RunbookProcess.runWithHome(home, "Servers", "down", "--nodes", "main");
            assertEquals(0, down.exitCode(), down::toString);
            assertTrue(down.out().contains("kept running: in use by process [" + starter.pid() + "]"), down::toString);
            assertTrue(EmbeddedServer.canConnect(home, port), "down stopped a server another lab process uses");

            var forced = RunbookProcess.runWithHome(home, "Servers", "down", "--nodes", "main", "--force");
            assertEquals(0, forced.exitCode(), forced::toString);
            assertTrue(forced.out().contains("stopped (pid") && forced.out().contains("under process [" + starter.pid() + "]"), forced::toString);
            assertFalse(EmbeddedServer.canConnect(home, port), "down --force did not stop it");
        } finally {
            stop(starter);
        }
    }

    @Test
    void aServerStoppedUnderThisJvmStartsAgainInIt(@TempDir Path home) {
        EmbeddedServer first = EmbeddedServer.obtain(home, "main");
        EmbeddedServer.stopForeign(first.dataDir()); // as down --force from another process does
        assertFalse(EmbeddedServer.canConnect(home, first.port()));
        EmbeddedServer again = EmbeddedServer.obtain(home, "main"); // zonky's lock from the first start is let go
        assertTrue(EmbeddedServer.canConnect(home, again.port()));
        again.stop();
    }

    /** The port the starter's first line announces ({@code port=N}) once its server runs. */
    private static int startedPort(BufferedReader starterOut) throws java.io.IOException {
        String first = starterOut.readLine();
        assertTrue(first != null && first.startsWith("port="), "the starter did not start its server: " + first);
        return Integer.parseInt(first.substring(5));
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the server (a fresh LAB_HOME has none), says its port, and waits (a notebook kernel left open). */
    public static final class Starter {
        public static void main(String[] args) throws Exception {
            Node node = Lab.connect("embedded").node("partitioned");
            System.out.println("port=" + node.dsn().port());
            System.out.flush();
            Thread.sleep(300_000);
        }
    }

    /** Attaches, then does 8 s of work in one statement and one more after it (a runbook's long command). */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            Node node = Lab.connect("embedded").node("partitioned");
            try (Connection c = node.connection(); var s = c.createStatement()) {
                System.out.println("attached port=" + node.dsn().port());
                System.out.flush();
                s.execute("SELECT pg_sleep(8)");
                try (var rs = s.executeQuery("SELECT count(*) FROM (VALUES (1)) v")) {
                    rs.next();
                    System.out.println("done rows=" + rs.getLong(1));
                }
            }
        }
    }
}
