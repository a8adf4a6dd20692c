package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Maintain.java bench-api} with tiny numbers: the report's shape and counts (every request answered 200, each
 * batch exactly --requests), the lesson tables prepared only in a database without them, a running service loaded
 * through --url, and bad input refused. Never a timing: the numbers are the benchmark's, not the test's.
 */
class BenchApiTest {
    private static final int REQUESTS = 12;

    @Test
    void preparesAnEmptyDatabaseMeasuresBothEndpointsBothWaysThenMeasuresARunningServiceThroughUrl() throws Exception {
        try (var fresh = new FreshDatabase("bench_api_fresh")) {
            Maintained first = Maintained.run(fresh.withDsn("bench-api", "--requests", "" + REQUESTS, "--concurrency", "3",
                    "--warmup", "2", "--runs", "2", "--format", "json"));
            assertEquals(0, first.exit(), first::toString);
            JsonNode doc = ServiceCalls.json(first.out());
            assertReport(doc, 2);
            assertTrue(notes(doc).stream().anyMatch(n -> n.startsWith("prepared the lesson 06 tables")), first::toString);
            // the seven tables, managed and partitioned: health has a row for each
            assertEquals(ManagedTables.TABLES, PartitionManager.on(fresh.node()).config(null).column("parent_table").asList()
                    .stream().map(String::valueOf).toList());
            assertTrue(notes(doc).stream().anyMatch(n -> n.startsWith("health answers 7 tables, list ")), first::toString);

            // a second run finds them and changes nothing in them
            var before = ManagedTables.fingerprints(fresh.node());
            Maintained again = Maintained.run(fresh.withDsn("bench-api", "--requests", "" + REQUESTS, "--concurrency", "2",
                    "--warmup", "0", "--runs", "1", "--format", "json"));
            assertEquals(0, again.exit(), again::toString);
            assertReport(ServiceCalls.json(again.out()), 1);
            assertTrue(notes(ServiceCalls.json(again.out())).stream().anyMatch(n -> n.startsWith("the lesson 06 tables found managed here")), again::toString);
            assertEquals(before, ManagedTables.fingerprints(fresh.node()));

            // a service running elsewhere (here: started by the test), its token from a file only its owner reads
            String token = ServiceToken.random();
            Path tokenFile = Files.createTempFile("bench-api-token", "");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tokenFile, token);
            var options = MaintenanceService.Options.of(ServiceToken.of(token)).withPort(0)
                    .withSchedule(DailySchedule.off("test")).withLog(line -> { });
            try (var service = MaintenanceService.start(fresh.node(), options)) {
                Maintained remote = Maintained.run(fresh.withDsn("bench-api", "--url", service.url().toString(), "--token-file",
                        tokenFile.toString(), "--requests", "" + REQUESTS, "--concurrency", "4", "--warmup", "1", "--runs", "1", "--format", "json"));
                assertEquals(0, remote.exit(), remote::toString);
                assertReport(ServiceCalls.json(remote.out()), 1);
                assertFalse(remote.out().contains(token) || remote.err().contains(token), "the token is never printed");
                assertTrue(notes(ServiceCalls.json(remote.out())).stream().anyMatch(n -> n.startsWith("the service at " + service.url())), remote::toString);

                // the wrong token: refused before any load, one line, exit 2
                Files.writeString(tokenFile, ServiceToken.random());
                Maintained wrong = Maintained.run(fresh.withDsn("bench-api", "--url", service.url().toString(), "--token-file",
                        tokenFile.toString(), "--requests", "" + REQUESTS));
                assertEquals(2, wrong.exit(), wrong::toString);
                assertEquals(1, wrong.err().lines().count(), wrong::toString);
                assertTrue(wrong.err().startsWith("error: the service at " + service.url() + " refused the token (401)"), wrong::toString);
            } finally {
                Files.deleteIfExists(tokenFile);
            }
        }
    }

    @Test
    void refusesToPrepareWhereTheLessonsObjectsAreButNotAllManaged() {
        try (var fresh = new FreshDatabase("bench_api_occupied")) {
            fresh.node().query("CREATE SCHEMA audit");
            fresh.node().query("CREATE TABLE audit.mine (id int)");
            fresh.node().query("INSERT INTO audit.mine VALUES (1), (2)");
            List<String> before = fresh.fingerprint();
            Maintained refused = Maintained.run(fresh.withDsn("bench-api", "--requests", "10"));
            assertEquals(2, refused.exit(), refused::toString);
            assertEquals(1, refused.err().lines().count(), refused::toString);
            assertTrue(refused.err().startsWith("error: this database holds schema audit but not the seven lesson 06 tables"), refused::toString);
            assertEquals(before, fresh.fingerprint(), "nothing changed");
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        Map<List<String>, String> cases = Map.of(
                List.of("--requests", "0"), "error: --requests must be 1 to 1000000, not 0",
                List.of("--concurrency", "0"), "error: --concurrency must be 1 to 256, not 0",
                List.of("--concurrency", "300"), "error: --concurrency must be 1 to 256, not 300",
                List.of("--requests", "3", "--concurrency", "4"), "error: --concurrency (4) must not exceed --requests (3)",
                List.of("--runs", "0"), "error: --runs must be 1 to 100, not 0",
                List.of("--warmup", "-1"), "error: --warmup must be 0 to 1000000, not -1",
                List.of("--url", "not a url"), "error: --url is not a URL",
                List.of("--url", "ftp://127.0.0.1:3001"), "error: --url must be the service's address",
                List.of("--url", "http://127.0.0.1:3001/api/v1/partitions/health"), "error: --url is the service's address only",
                List.of("--token", "abcdefabcdefabcdef"), "error: the token is never given on the command line");
        for (var c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("bench-api"));
            args.addAll(c.getKey());
            Maintained bad = Maintained.run(args.toArray(String[]::new));
            assertEquals(2, bad.exit(), () -> c.getKey() + ": " + bad);
            assertEquals(1, bad.err().lines().count(), () -> c.getKey() + ": " + bad);
            assertTrue(bad.err().startsWith(c.getValue()), () -> c.getKey() + ": " + bad);
            assertEquals("", bad.out(), () -> c.getKey() + ": " + bad);
            assertFalse(bad.err().contains("abcdefabcdefabcdef"), "the token is never echoed");
        }
    }

    /** Both endpoints, service and direct, each run: every batch exactly --requests, every request answered 200. */
    private static void assertReport(JsonNode doc, int runs) {
        JsonNode summary = table(doc, "GET health and list");
        assertEquals(2, summary.size(), doc::toPrettyString);
        assertEquals(List.of("GET health", "GET list"), List.of(summary.get(0).path("endpoint").asText(), summary.get(1).path("endpoint").asText()));
        for (JsonNode row : summary) {
            for (String column : List.of("service rps", "direct rps", "rps service / direct", "service p50 ms", "service p99 ms",
                    "service max ms", "direct p50 ms", "direct p99 ms", "p99 service / direct")) {
                assertTrue(row.path(column).isNumber() && row.path(column).asDouble() > 0, () -> column + " in " + row);
            }
        }
        JsonNode each = table(doc, "each run");
        assertEquals(runs * 4, each.size(), doc::toPrettyString);
        for (JsonNode row : each) {
            assertEquals(REQUESTS, row.path("requests").asInt(), row::toString);
            assertEquals(REQUESTS, row.path("ok").asInt(), row::toString);
        }
        assertEquals("every request answered 200", doc.path("verdict").asText());
        assertTrue(doc.path("errors").isMissingNode(), doc::toPrettyString);
    }

    private static JsonNode table(JsonNode doc, String prefix) {
        for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith(prefix)) return doc.get(name);
        }
        throw new AssertionError("no table '" + prefix + "...' in " + doc.toPrettyString());
    }

    private static List<String> notes(JsonNode doc) {
        List<String> notes = new ArrayList<>();
        doc.path("notes").forEach(n -> notes.add(n.asText()));
        return notes;
    }
}
