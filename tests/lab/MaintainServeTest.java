package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code Maintain.java serve} as an operator runs it, in a JVM of its own: it prints where it listens and where the
 * token comes from (never the token), runs the missed daily run at start-up, answers, and on SIGTERM finishes what it
 * is doing and exits 0. Bad input (a token file others can read, a token on the command line, a bad time) is exit 2
 * with one line.
 */
class MaintainServeTest {
    private static final Pattern SERVING = Pattern.compile("serving the partition maintenance API at (http://127\\.0\\.0\\.1:\\d+)/api/v1/partitions/");

    @Test
    void servesUntilSigtermThenFinishesAndExitsZeroWithoutEverPrintingTheToken() throws Exception {
        Node db = Lab.connect("embedded").node("partitioned");
        ManagedTables.createAndConfigure(db);
        String token = ServiceToken.random();
        Path tokenFile = tokenFile(token, "rw-------");
        Process serve = RunbookProcess.start(Settings.labHome(), "Maintain", "serve", "--port", "0", "--token-file", tokenFile.toString());
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (java.io.IOException e) {
                output.add("read failed: " + e);
            }
        });
        reader.start();
        try {
            URI url = awaitUrl(output);
            assertTrue(output.stream().anyMatch(l -> l.contains("token from file " + tokenFile)), () -> String.join("\n", output));
            var calls = new ServiceCalls(url, token);
            assertEquals(200, calls.get(MaintenanceService.API + "health").status());
            // never ran on schedule here: the day's run is missed, and runs at start-up
            awaitLine(output, "scheduled maintenance run");
        } finally {
            // what systemd and docker stop send; Process.destroy() would also close the output this test reads
            new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor();
        }
        assertTrue(serve.waitFor(2, TimeUnit.MINUTES), "stops after SIGTERM");
        reader.join(10_000);
        assertEquals(0, serve.exitValue(), () -> String.join("\n", output));
        assertEquals("stopped", output.get(output.size() - 1), () -> String.join("\n", output));
        assertTrue(output.stream().anyMatch(l -> l.matches(".* GET /api/v1/partitions/health 200 [0-9.]+ms")), () -> String.join("\n", output));
        assertFalse(String.join("\n", output).contains(token), "the token is never printed");
        assertEquals("ok", PartitionManager.on(db).lastRun("schedule").orElseThrow().result(), "the run under way finished first");
    }

    @Test
    void badInputIsExitTwoWithOneLine() throws Exception {
        Path readable = tokenFile(ServiceToken.random(), "rw-r--r--");
        Path shortToken = tokenFile("short", "rw-------");
        record Case(String reason, String... args) {}
        List<Case> cases = List.of(
                new Case("can be read by other users: chmod 600", "serve", "--token-file", readable.toString()),
                new Case("shorter than 16 characters", "serve", "--token-file", shortToken.toString()),
                new Case("the token is never given on the command line", "serve", "--token", "abcdefabcdefabcdefabcdef"),
                new Case("--at must be HH:MM", "serve", "--token-file", readable.toString().replace(".token", "-none.token"), "--at", "25:00"),
                new Case("no token file", "serve", "--token-file", "/nonexistent/token"),
                new Case("--port must be", "serve", "--port", "70000"));
        for (Case c : cases) {
            var result = RunbookProcess.run("Maintain", c.args());
            assertEquals(2, result.exitCode(), result::toString);
            assertEquals(1, result.errLines().size(), result::toString);
            assertTrue(result.err().contains(c.reason()), () -> c.reason() + "\n" + result);
            assertFalse(result.err().contains("abcdefabcdefabcdefabcdef"), "a token typed on the command line is not echoed");
        }
    }

    private static Path tokenFile(String token, String mode) throws java.io.IOException {
        Path file = Files.createTempFile(Settings.labHome(), "api-", ".token");
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static URI awaitUrl(List<String> output) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            synchronized (output) {
                for (String line : output) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) return URI.create(m.group(1));
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("serve never said where it listens:\n" + String.join("\n", output));
    }

    private static void awaitLine(List<String> output, String text) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (output.stream().anyMatch(l -> l.contains(text))) return;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("no line with '" + text + "':\n" + String.join("\n", output));
    }
}
