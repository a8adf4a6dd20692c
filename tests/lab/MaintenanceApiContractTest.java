package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description the service serves ({@code GET /api/v1/openapi.json}, the file jbang-scripts/lab/openapi.json) holds for
 * the real responses: every endpoint and every error status it documents is called on the embedded server, and
 * each answer is validated against the description (status known, body of the documented schema, content type).
 */
class MaintenanceApiContractTest {
    private static final String API = MaintenanceService.API;

    private record Call(String method, String path, String body, boolean withToken, int status) {}

    @Test
    void everyRealResponseMatchesTheOpenApiDescription() throws Exception {
        Node db = ServiceCalls.demoTables(Lab.connect("embedded").node("partitioned"), 14);
        YearMonth fourteenMonthsAgo = YearMonth.now(ZoneOffset.UTC).minusMonths(14);
        PartitionManager.on(db).create("audit.audit_logs", fourteenMonthsAgo, fourteenMonthsAgo); // past retention
        String token = ServiceToken.random();
        var options = ServiceCalls.options(token, line -> { });
        List<String> problems = new ArrayList<>();
        Set<String> called = new TreeSet<>();
        Set<String> documented = new TreeSet<>();
        try (var service = MaintenanceService.start(db, options)) {
            var calls = new ServiceCalls(service.url(), token);
            var served = calls.get("/api/v1/openapi.json");
            assertEquals(200, served.status());
            assertEquals(ServiceCalls.json(ProjectFile.read("jbang-scripts/lab/openapi.json")), served.json(), "the file is what is served");
            var validator = OpenApiInteractionValidator.createForInlineApiSpecification(served.body()).build();
            served.json().get("paths").fieldNames().forEachRemaining(documented::add);
            List<Call> exercise = List.of(
                    new Call("GET", API + "health", null, true, 200),
                    new Call("GET", API + "list", null, true, 200),
                    new Call("GET", API + "list?table=audit.audit_logs", null, true, 200),
                    new Call("GET", API + "list?table=audit.nope", null, true, 400),
                    new Call("GET", API + "status", null, true, 200),
                    new Call("POST", API + "maintenance", "{\"dryRun\": true}", true, 200),
                    new Call("POST", API + "cleanup", "{\"table\": \"audit.audit_logs\"}", true, 200),
                    new Call("POST", API + "create", "{\"table\": \"audit.audit_logs\", \"monthsAhead\": 2}", true, 200),
                    new Call("POST", API + "analyze", "{\"table\": \"audit.audit_logs\"}", true, 200),
                    new Call("POST", API + "vacuum", "{\"table\": \"audit.audit_logs\"}", true, 200),
                    new Call("POST", API + "cleanup", "{\"table\": \"audit.audit_logs\", \"dryRun\": false}", true, 200),
                    new Call("POST", API + "maintenance", "{\"dryRun\": false}", true, 200),
                    new Call("POST", API + "create", "{\"table\": \"audit.audit_logs\", \"monthsAhead\": 0}", true, 400),
                    new Call("POST", API + "create", "{\"nope\": 1}", true, 400),
                    new Call("POST", API + "vacuum", "{", true, 400),
                    new Call("POST", API + "maintenance", "{\"x\": \"" + "y".repeat(20_000) + "\"}", true, 413),
                    new Call("POST", API + "maintenance", "dryRun=false", true, 400),
                    new Call("GET", API + "maintenance", null, true, 405),
                    new Call("GET", API + "health", null, false, 401),
                    new Call("GET", "/metrics", null, true, 200),
                    new Call("GET", "/metrics", null, false, 401),
                    new Call("GET", "/api/v1/openapi.json", null, true, 200));
            for (Call call : exercise) check(validator, calls, call, token, problems, called);
            try (var held = PartitionManager.on(db).lock(false)) {
                check(validator, calls, new Call("POST", API + "analyze", "{}", true, 409), token, problems, called);
            }
        }
        // the per-client limit, on a service that has one
        try (var service = MaintenanceService.start(db, options.withMinInterval(Duration.ofMinutes(5)))) {
            var calls = new ServiceCalls(service.url(), token);
            var validator = OpenApiInteractionValidator.createForInlineApiSpecification(calls.get("/api/v1/openapi.json").body()).build();
            check(validator, calls, new Call("POST", API + "analyze", "{}", true, 200), token, problems, called);
            check(validator, calls, new Call("POST", API + "analyze", "{}", true, 429), token, problems, called);
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        assertEquals(documented, called, "every documented path is called, and only those");
    }

    private static void check(OpenApiInteractionValidator validator, ServiceCalls calls, Call call, String token, List<String> problems,
                              Set<String> called) {
        var answer = calls.send(call.method(), call.path(), call.body(), call.withToken() ? token : null);
        String path = call.path().replaceAll("\\?.*", "");
        called.add(path);
        String shown = call.method() + " " + call.path() + (call.body() == null ? "" : " " + call.body().substring(0, Math.min(60, call.body().length())));
        if (answer.status() != call.status()) problems.add(shown + ": expected " + call.status() + ", got " + answer);
        if (answer.status() == 405) {
            // an operation the description does not have: it says so in its info, with the Error body
            if (answer.error() == null || answer.headers().firstValue("Allow").isEmpty()) problems.add(shown + ": 405 without error or Allow");
            return;
        }
        var response = SimpleResponse.Builder.status(answer.status())
                .withContentType(answer.headers().firstValue("Content-Type").orElse(null)).withBody(answer.body());
        answer.headers().map().forEach(response::withHeader);
        var report = validator.validateResponse(path, Request.Method.valueOf(call.method()), response.build());
        if (report.hasErrors()) problems.add(shown + " -> " + answer.status() + ":\n" + SimpleValidationReportFormat.getInstance().apply(report));
    }
}
