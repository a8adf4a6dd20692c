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
            assertTrue(EmbeddedServer.canConnect(home, port), "the dry run stopped the server");
            assertTrue(Files.isDirectory(home.resolve("servers").resolve(EmbeddedServer.major()).resolve("main/data")), "the dry run deleted data");

            var reset = RunbookProcess.runWithHome(home, "Servers", "reset", "--yes");
            assertEquals(0, reset.exitCode(), reset::toString);
            assertTrue(reset.out().contains("stopped and removed"), reset::toString);
            assertFalse(EmbeddedServer.canConnect(home, port), "the owner's server still answers");
            assertFalse(Files.exists(home.resolve("servers")), "the data is still there");
        } finally {
            owner.destroy();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 17, defect 4: a link under LAB_HOME/servers/x/ made reset --yes delete what it pointed at, and the dry run
     * did not list it. Now the dry run lists it as a link to unlink, and --yes unlinks it and keeps its target.
     */
    @Test
    void resetUnlinksALinkOutOfLabHomeAndKeepsItsTarget(@TempDir Path home, @TempDir Path outside) throws Exception {
        Path precious = Files.writeString(Files.createDirectories(outside.resolve("keep")).resolve("precious.txt"), "not the lab's");
        Path x = Files.createDirectories(home.resolve("servers/x"));
        Files.writeString(x.resolve("server.log"), "a server folder's file");
        Path link = Files.createSymbolicLink(x.resolve("link"), outside.resolve("keep"));
        Path topLink = Files.createSymbolicLink(home.resolve("servers/elsewhere"), outside);

        var plan = RunbookProcess.runWithHome(home, "Servers", "reset");
        assertEquals(0, plan.exitCode(), plan::toString);
        var linkRows = plan.out().lines().filter(l -> l.contains("x/link")).toList();
        assertEquals(1, linkRows.size(), plan::toString);
        assertTrue(linkRows.get(0).contains("would unlink, its target kept"), plan::toString);
        assertFalse(linkRows.get(0).contains("remove"), plan::toString);
        assertTrue(plan.out().lines().anyMatch(l -> l.contains(" elsewhere ") && l.contains("would unlink")), plan::toString);
        assertTrue(plan.out().lines().anyMatch(l -> l.contains(" x ") && l.contains("would stop and remove")), plan::toString);
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(topLink), "the dry run removed a link");

        var reset = RunbookProcess.runWithHome(home, "Servers", "reset", "--yes");
        assertEquals(0, reset.exitCode(), reset::toString);
        assertTrue(reset.out().lines().anyMatch(l -> l.contains("x/link") && l.contains("unlinked, its target kept")), reset::toString);
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is still there");
        assertFalse(Files.exists(home.resolve("servers")), "the servers folder is still there");
        assertEquals("not the lab's", Files.readString(precious), "reset deleted the link's target outside LAB_HOME");
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
