package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The database restarts under the running service: a server of the test's own (zonky, its own data folder and port),
 * stopped in fast mode while a run waits on a lock and started again on the same port. Requests during the outage get
 * 503 with the reason, the first request after it is served by the same service, the cut-off run shows as failed in
 * status, and the next run completes.
 */
class MaintenanceServiceRestartTest {
    private static final String API = MaintenanceService.API;

    @Test
    void theServiceOutlivesARestartOfItsDatabase() throws Exception {
        Path data = Files.createTempDirectory(Settings.labHome(), "restart-");
        EmbeddedPostgres pg = start(data, 0);
        int port = pg.getPort();
        Node db = new Node("restarting", Dsn.local(port, "postgres", "postgres", null));
        String token = ServiceToken.random();
        var options = ServiceCalls.options(token, line -> { });
        try {
            ServiceCalls.demoTables(db, 2);
            try (var service = MaintenanceService.start(db, options)) {
                var calls = new ServiceCalls(service.url(), token);
                assertEquals(200, calls.get(API + "health").status());

                CompletableFuture<ServiceCalls.Answer> cutOff = null;
                try (Connection blocker = db.connection(); Statement s = blocker.createStatement()) {
                    blocker.setAutoCommit(false);
                    s.execute("LOCK TABLE audit.chat_messages_p_default IN SHARE UPDATE EXCLUSIVE MODE");
                    cutOff = CompletableFuture.supplyAsync(() -> calls.post(API + "analyze", "{\"table\": \"audit.chat_messages\"}"));
                    MaintenanceServiceTest.awaitAnalyzeWaiting(db);
                    pg.close(); // fast shutdown: every session ends, the run's among them
                } catch (java.sql.SQLException sessionGone) {
                    // the blocker's rollback on a terminated session
                }
                var answer = cutOff.get(1, TimeUnit.MINUTES);
                assertEquals(503, answer.status(), answer::toString);

                var down = calls.get(API + "health");
                assertEquals(503, down.status(), down::toString);
                assertTrue(down.error().startsWith("database unavailable: "), down::toString);
                assertEquals(1, down.error().lines().count());
                assertEquals(503, calls.get(API + "status").status());

                pg = start(data, port);
                var back = calls.get(API + "health");
                assertEquals(200, back.status(), "the first request after the restart is served: " + back);

                JsonNode lastRun = calls.get(API + "status").json().get("lastRun");
                assertEquals("analyze", lastRun.get("what").asText());
                assertEquals("failed", lastRun.get("result").asText(), lastRun::toString);
                assertTrue(lastRun.get("detail").asText().startsWith("interrupted"), lastRun::toString);

                var next = calls.post(API + "analyze", "{\"table\": \"audit.chat_messages\"}");
                assertEquals(200, next.status(), next::toString);
                lastRun = calls.get(API + "status").json().get("lastRun");
                assertEquals("ok", lastRun.get("result").asText(), lastRun::toString);
            }
        } finally {
            db.close();
            pg.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        var log = ProcessBuilder.Redirect.appendTo(data.resolveSibling(data.getFileName() + ".log").toFile());
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(true).setOutputRedirector(log).setErrorRedirector(log)
                .setServerConfig("lc_messages", "C").start();
    }
}
