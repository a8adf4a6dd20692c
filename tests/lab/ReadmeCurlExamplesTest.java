package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.ReadmeCurlExamples.Request;
import org.junit.jupiter.api.Test;

/**
 * The README's curl examples for {@code Maintain.java serve} cover every endpoint of the service, each as an operator
 * can paste it: the bearer header naming {@code $TOKEN} (never a token), JSON bodies that parse, the service's
 * default address, tables that lesson 06 registers. Sending them to a running service is another test's job, with
 * the same parser ({@link ReadmeCurlExamples}), which this test also checks on examples of its own.
 */
class ReadmeCurlExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_BASE = "http://127.0.0.1:3001";
    private static final String API = "/api/v1/partitions/";

    /** Every endpoint of the service (the shared contract of issue 18), as "METHOD path". */
    private static final Set<String> ENDPOINTS = new TreeSet<>(List.of(
            "GET " + API + "health", "GET " + API + "list", "GET " + API + "status",
            "POST " + API + "maintenance", "POST " + API + "create", "POST " + API + "analyze", "POST " + API + "vacuum",
            "POST " + API + "cleanup", "GET /api/v1/openapi.json", "GET /metrics"));

    /** The fields each POST body may carry (the contract); the first ones are required. */
    private static final Map<String, List<String>> BODY_FIELDS = Map.of(
            "maintenance", List.of("dryRun", "table"),
            "create", List.of("table", "monthsAhead"),
            "analyze", List.of("table"),
            "vacuum", List.of("table", "full"),
            "cleanup", List.of("table", "retentionMonths", "dryRun"));

    @Test
    void readmeHasAnExampleForEveryEndpoint() {
        List<Request> examples = ReadmeCurlExamples.all();
        Set<String> covered = new TreeSet<>();
        examples.forEach(r -> covered.add(r.method() + " " + r.path()));
        Set<String> missing = new TreeSet<>(ENDPOINTS);
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "README.md has no curl example for these endpoints");
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(ENDPOINTS);
        assertEquals(Set.of(), unknown, "README.md has curl examples for endpoints the service does not have");

        assertTrue(examples.stream().anyMatch(r -> r.path().equals(API + "list") && r.query() == null),
                "README.md needs GET list without a table");
        assertTrue(examples.stream().anyMatch(r -> r.path().equals(API + "list") && r.query() != null && r.query().startsWith("table=")),
                "README.md needs GET list?table=T");
        assertTrue(examples.stream().anyMatch(r -> r.path().equals(API + "cleanup") && json(r).path("dryRun").asBoolean(false)),
                "README.md needs a cleanup dry run ({\"dryRun\": true})");
        assertTrue(examples.stream().anyMatch(r -> r.path().equals(API + "maintenance") && json(r).path("dryRun").asBoolean(false)),
                "README.md needs a maintenance dry run ({\"dryRun\": true})");
    }

    @Test
    void everyExampleCarriesTheBearerHeaderWithTheTokenVariable() {
        for (Request r : ReadmeCurlExamples.all()) {
            assertEquals("Bearer " + ReadmeCurlExamples.TOKEN_VARIABLE, r.header("Authorization").orElse(null),
                    r.where() + ": needs -H \"Authorization: Bearer $TOKEN\" (double quotes, so that the shell expands it)");
            // Nothing that looks like a token written out (32 hex digits or more, or a long base64 run).
            Matcher literal = Pattern.compile("[0-9a-fA-F]{32,}|[A-Za-z0-9+/]{40,}={0,2}").matcher(r.command());
            assertFalse(literal.find(), r.where() + ": holds what looks like a token; use $TOKEN");
        }
    }

    @Test
    void everyExampleIsSentToTheServiceDefaultsWithValidJson() {
        List<Request> examples = ReadmeCurlExamples.all();
        assertFalse(examples.isEmpty(), "no curl example in the ```bash blocks of README.md");
        for (Request r : examples) {
            assertTrue(r.url().toString().startsWith(DEFAULT_BASE + "/"),
                    r.where() + ": should call the service on its defaults, " + DEFAULT_BASE);
            if (r.method().equals("GET")) {
                assertNull(r.body(), r.where() + ": a GET with a body");
                continue;
            }
            assertEquals("POST", r.method(), r.where());
            assertEquals("application/json", r.header("Content-Type").orElse(null),
                    r.where() + ": a POST needs -H 'Content-Type: application/json' (curl -d sends a form otherwise)");
            JsonNode body = json(r);
            assertTrue(body.isObject(), r.where() + ": the body should be a JSON object");
            String endpoint = r.path().substring(API.length());
            List<String> fields = BODY_FIELDS.get(endpoint);
            Set<String> given = new LinkedHashSet<>();
            body.fieldNames().forEachRemaining(given::add);
            assertTrue(fields.containsAll(given), r.where() + ": fields " + given + ", the service knows " + fields);
            if (!endpoint.equals("maintenance")) {
                assertTrue(given.contains("table"), r.where() + ": needs a table");
            }
        }
    }

    @Test
    void examplesNameTablesThatTheMaintenanceLessonRegisters() throws IOException {
        Set<String> registered = registeredTables();
        assertTrue(registered.contains("audit.audit_logs"), "sql/06-maintenance/02_configure.sql should register audit.audit_logs: " + registered);
        int tablesNamed = 0;
        for (Request r : ReadmeCurlExamples.all()) {
            String table = null;
            if (r.body() != null && json(r).hasNonNull("table")) table = json(r).get("table").asText();
            if (r.query() != null && r.query().startsWith("table=")) {
                table = URLDecoder.decode(r.query().substring("table=".length()), StandardCharsets.UTF_8);
            }
            if (table == null) continue;
            tablesNamed++;
            assertTrue(registered.contains(table), r.where() + ": " + table + " is not one of the tables lesson 06 registers "
                    + registered);
        }
        assertTrue(tablesNamed >= 5, "the examples should name a table (list?table=, create, analyze, vacuum, cleanup): " + tablesNamed);
    }

    // The parser itself, on examples of its own -------------------------------------------------------------------

    @Test
    void parserSplitsAsTheShellDoes() {
        List<Request> requests = ReadmeCurlExamples.parse("""
                text: curl http://not-in-a-block/
                ```text
                curl http://not-bash/
                ```
                ```bash
                # a comment line, then a GET, a POST with a continuation, and an explicit method
                curl -fsS -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:3001/api/v1/partitions/list?table=a.b'   # trailing comment
                curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                    -d '{"dryRun": true, "note": "it''s"}' http://127.0.0.1:3001/api/v1/partitions/cleanup
                curl -sS -X put -H "X-Quoted: a \\"b\\" \\$c" http://127.0.0.1:3001/x
                jbang scripts/Maintain.java serve
                ```
                """);
        assertEquals(3, requests.size(), requests.toString());

        Request get = requests.get(0);
        assertEquals(7, get.line());
        assertEquals("GET", get.method());
        assertEquals("/api/v1/partitions/list?table=a.b", get.pathAndQuery());
        assertEquals("table=a.b", get.query());
        assertEquals(Map.of("Authorization", "Bearer $TOKEN"), get.headers());
        assertNull(get.body());
        assertEquals(URI.create("http://localhost:45678/api/v1/partitions/list?table=a.b"), get.uri(URI.create("http://localhost:45678")));

        Request post = requests.get(1);
        assertEquals(8, post.line());
        assertEquals("POST", post.method());
        assertEquals("{\"dryRun\": true, \"note\": \"its\"}", post.body());
        assertEquals("application/json", post.header("content-type").orElseThrow());

        Request put = requests.get(2);
        assertEquals("PUT", put.method());
        assertEquals("a \"b\" $c", put.header("X-Quoted").orElseThrow());

        HttpRequest http = post.toHttpRequest(URI.create("http://127.0.0.1:40000/"), "t0k3n");
        assertEquals(URI.create("http://127.0.0.1:40000/api/v1/partitions/cleanup"), http.uri());
        assertEquals("POST", http.method());
        assertEquals(List.of("Bearer t0k3n"), http.headers().allValues("Authorization"));
        assertEquals(post.body().getBytes(StandardCharsets.UTF_8).length, http.bodyPublisher().orElseThrow().contentLength());
    }

    @Test
    void parserRefusesWhatItDoesNotCheck() {
        for (String line : List.of(
                "curl -k https://127.0.0.1:3001/metrics",
                "curl --data-binary @body.json http://127.0.0.1:3001/x",
                "curl -o out.json http://127.0.0.1:3001/x",
                "curl http://127.0.0.1:3001/x | jq .",
                "curl http://127.0.0.1:3001/x; rm -rf tmp",
                "curl -H \"Authorization: Bearer $(cat token)\" http://127.0.0.1:3001/x",
                "curl -d 'unclosed http://127.0.0.1:3001/x",
                "curl -H NoColon http://127.0.0.1:3001/x",
                "curl -fsS",
                "curl http://127.0.0.1:3001/a http://127.0.0.1:3001/b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReadmeCurlExamples.parse("```bash\n" + line + "\n```\n"), line);
            assertTrue(e.getMessage().startsWith("README.md:2: curl example not understood: "), e.getMessage());
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    private static JsonNode json(Request r) {
        if (r.body() == null) return NullNode.getInstance();
        try {
            return JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            return fail(r.where() + ": the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The tables sql/06-maintenance/02_configure.sql registers: maintenance.register_table('schema.table', ...). */
    private static Set<String> registeredTables() throws IOException {
        Path project = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize();
        String sql = Files.readString(project.resolve("sql/06-maintenance/02_configure.sql"), StandardCharsets.UTF_8);
        Set<String> tables = new TreeSet<>();
        Matcher m = Pattern.compile("maintenance\\.register_table\\('([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)'").matcher(sql);
        while (m.find()) tables.add(m.group(1));
        return tables;
    }
}
