package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to a running {@link MaintenanceService} over loopback, as a client would make them (JDK HttpClient, HTTP/1.1). */
final class ServiceCalls {
    static final String API = MaintenanceService.API;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String token;

    ServiceCalls(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Lesson 06's seven tables started over, with rows from {@code monthsBack} months ago to this month (UTC). */
    static Node demoTables(Node db, int monthsBack) {
        ManagedTables.createAndConfigure(db);
        java.time.YearMonth thisMonth = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        ManagedTables.seed(db, thisMonth.minusMonths(monthsBack), thisMonth, 4);
        return db;
    }

    /** A test's service: a free port, the schedule off (the test calls it), no per-client limit, its lines into log. */
    static MaintenanceService.Options options(String token, java.util.function.Consumer<String> log) {
        return MaintenanceService.Options.of(ServiceToken.of(token)).withPort(0).withLog(log)
                .withSchedule(DailySchedule.off("the test calls it")).withMinInterval(Duration.ZERO);
    }

    Answer get(String path) {
        return send("GET", path, null, token);
    }

    Answer post(String path, String body) {
        return send("POST", path, body, token);
    }

    /** Any method, body and token (null: no Authorization header). */
    Answer send(String method, String path, String body, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return send(request.build());
    }

    static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    record Answer(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return ServiceCalls.json(body);
        }

        String error() {
            return json().path("error").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
