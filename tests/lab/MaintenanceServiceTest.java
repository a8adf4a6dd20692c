package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The maintenance service on the embedded server, over the seven tables of lesson 06 with rows from fifteen months
 * ago to this month: every endpoint answers what the command line's library code says, every refusal has its status
 * and one-line reason and changes nothing, and the token never reaches a log line.
 */
class MaintenanceServiceTest {
    private static final String TOKEN = ServiceToken.random();
    private static final String API = MaintenanceService.API;
    private static final YearMonth THIS_MONTH = YearMonth.now(ZoneOffset.UTC);

    private static Node db;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private MaintenanceService service;
    private ServiceCalls calls;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void lessonTablesAndAService() {
        ServiceCalls.demoTables(db, 15);
        service = start(options().withMinInterval(Duration.ofMinutes(5)));
        calls = new ServiceCalls(service.url(), TOKEN);
    }

    @AfterEach
    void stop() {
        if (service != null) service.close();
        for (String line : log) assertFalse(line.contains(TOKEN), "the token in a log line: " + line);
    }

    private MaintenanceService.Options options() {
        return ServiceCalls.options(TOKEN, log::add);
    }

    private MaintenanceService start(MaintenanceService.Options options) {
        return MaintenanceService.start(db, options);
    }

    @Test
    void healthListAndStatusSayWhatTheLibrarySays() {
        JsonNode health = calls.get(API + "health").json();
        Table expected = PartitionManager.on(db).health(null);
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), health.get("asOf").asText());
        assertEquals(PartitionManager.healthy(expected), health.get("healthy").asBoolean());
        assertEquals(ManagedTables.TABLES, texts(health.get("tables"), "parent_table"));
        assertEquals(expected.stringColumn("status").asList(), texts(health.get("tables"), "status"));

        JsonNode all = calls.get(API + "list").json().get("partitions");
        assertEquals(PartitionManager.on(db).list(null).rowCount(), all.size());
        JsonNode one = calls.get(API + "list?table=audit.audit_logs").json().get("partitions");
        assertEquals(List.of("audit.audit_logs_p_default"), texts(one, "partition_name"));

        JsonNode status = calls.get(API + "status").json();
        assertFalse(status.get("schedule").get("enabled").asBoolean());
        assertEquals("the test calls it", status.get("schedule").get("offReason").asText());
        assertTrue(status.get("nextRun").isNull() && status.get("lastRun").isNull() && !status.get("running").asBoolean(), status::toString);
        assertTrue(log.stream().anyMatch(line -> line.matches(".* 127\\.0\\.0\\.1 GET /api/v1/partitions/list\\?table=audit.audit_logs 200 [0-9.]+ms")),
                () -> "access log: method, path, status, duration\n" + String.join("\n", log));
    }

    @Test
    void maintenanceIsADryRunUnlessToldOtherwiseAndARealRunIsRecorded() {
        List<String> before = DatabaseSnapshot.of(db);
        JsonNode dry = calls.post(API + "maintenance", "{}").json();
        assertTrue(dry.get("dryRun").asBoolean());
        assertEquals(texts(Render.rows(PartitionManager.on(db).plan(null)), "action"), texts(dry.get("lines"), "action"));
        assertTrue(texts(dry.get("lines"), "action").stream().anyMatch(a -> a.startsWith("would ")), dry::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "a dry run changes nothing");

        var rows = ManagedTables.fingerprints(db);
        JsonNode run = calls.post(API + "maintenance", "{\"dryRun\": false}").json();
        assertFalse(run.get("dryRun").asBoolean());
        assertTrue(run.get("ok").asBoolean(), run::toString);
        assertEquals(rows, ManagedTables.fingerprints(db), "rows moved out of the DEFAULTs, none lost: counts and checksums");
        assertTrue(Partitions.exists(db, "audit.audit_logs_p" + THIS_MONTH.plusMonths(3).toString().replace('-', '_')));
        RunRecord recorded = PartitionManager.on(db).lastRun("api").orElseThrow();
        assertEquals("run", recorded.what());
        assertEquals("ok", recorded.result());
        JsonNode lastRun = calls.get(API + "status").json().get("lastRun");
        assertEquals(recorded.id(), lastRun.get("id").asLong());
        assertEquals("api", lastRun.get("trigger").asText());
        assertEquals("ok", lastRun.get("result").asText());
    }

    @Test
    void switchedOffMaintenanceRefusesARealRunAndStillAnswersADryRun() {
        System.setProperty("enable.partition.maintenance", "false");
        try {
            List<String> before = DatabaseSnapshot.of(db);
            var refused = calls.post(API + "maintenance", "{\"dryRun\": false}");
            assertEquals(409, refused.status(), refused::toString);
            assertEquals("partition maintenance is disabled (ENABLE_PARTITION_MAINTENANCE=false): nothing done", refused.error());
            assertEquals(200, calls.post(API + "maintenance", "{\"dryRun\": true}").status());
            assertEquals(before, DatabaseSnapshot.of(db));
        } finally {
            System.clearProperty("enable.partition.maintenance");
        }
    }

    @Test
    void createAnalyzeVacuumAndCleanupActOnlyOnTheirTable() {
        JsonNode created = calls.post(API + "create", "{\"table\": \"audit.chat_messages\", \"monthsAhead\": 2}").json();
        assertTrue(created.get("ok").asBoolean(), created::toString);
        for (int ahead = 0; ahead <= 2; ahead++) {
            assertTrue(Partitions.exists(db, "audit.chat_messages_p" + THIS_MONTH.plusMonths(ahead).toString().replace('-', '_')));
        }
        assertFalse(Partitions.exists(db, "audit.object_history_p" + THIS_MONTH.toString().replace('-', '_')));

        service.close(); // the per-client limit: a service of its own for each of the next calls
        service = start(options());
        calls = new ServiceCalls(service.url(), TOKEN);
        JsonNode analyzed = calls.post(API + "analyze", "{\"table\": \"audit.chat_messages\"}").json();
        assertTrue(texts(analyzed.get("lines"), "partition_name").contains("audit.chat_messages"), analyzed::toString);
        assertTrue(texts(analyzed.get("lines"), "parent_table").stream().allMatch("audit.chat_messages"::equals));
        JsonNode vacuumed = calls.post(API + "vacuum", "{\"table\": \"audit.chat_messages\", \"full\": false}").json();
        assertEquals(List.of("vacuum"), texts(vacuumed.get("lines"), "action").stream().distinct().toList());

        // two old months of audit_logs, fifteen and fourteen months back: past its 12 months' retention
        PartitionManager.on(db).create("audit.audit_logs", THIS_MONTH.minusMonths(15), THIS_MONTH.minusMonths(14));
        PartitionManager.on(db).create("audit.audit_logs", THIS_MONTH, THIS_MONTH); // the newest partition is never dropped
        long oldRows = db.count("audit.audit_logs_p" + THIS_MONTH.minusMonths(15).toString().replace('-', '_'))
                + db.count("audit.audit_logs_p" + THIS_MONTH.minusMonths(14).toString().replace('-', '_'));
        assertTrue(oldRows > 0);
        List<String> before = DatabaseSnapshot.of(db);
        JsonNode dry = calls.post(API + "cleanup", "{\"table\": \"audit.audit_logs\"}").json();
        assertTrue(dry.get("dryRun").asBoolean());
        assertEquals(2, texts(dry.get("lines"), "action").stream().filter("would drop"::equals).count(), dry::toString);
        assertEquals(before, DatabaseSnapshot.of(db), "a dry-run cleanup changes nothing");

        long rows = db.count("audit.audit_logs");
        var others = ManagedTables.fingerprints(db);
        JsonNode dropped = calls.post(API + "cleanup", "{\"table\": \"audit.audit_logs\", \"dryRun\": false}").json();
        assertEquals(2, texts(dropped.get("lines"), "action").stream().filter("drop"::equals).count(), dropped::toString);
        assertEquals(rows - oldRows, db.count("audit.audit_logs"), "exactly the two months' rows went");
        others.remove("audit.audit_logs");
        var after = ManagedTables.fingerprints(db);
        after.remove("audit.audit_logs");
        assertEquals(others, after, "the other tables keep every row");
    }

    @Test
    void everyAuthFailureIs401WithAChallengeAndMetricsArePrivateUnlessPublic() {
        for (String bearer : new String[] {null, "wrong-token-wrong-token", ""}) {
            var answer = calls.send("GET", API + "health", null, bearer);
            assertEquals(401, answer.status(), answer::toString);
            assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"partition-lab\""));
            assertEquals(1, answer.error().lines().count());
        }
        var basic = ServiceCalls.send(java.net.http.HttpRequest.newBuilder(service.url().resolve(API + "status"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4=").build());
        assertEquals(401, basic.status());
        assertEquals("the Authorization header must be Bearer <token>", basic.error());
        assertEquals(401, calls.send("POST", API + "maintenance", "{}", null).status());
        assertEquals(401, calls.send("GET", "/api/v1/anything", null, null).status(), "no token: not even whether a path exists");
        assertEquals(401, calls.send("GET", MaintenanceService.METRICS, null, null).status());
        assertEquals(200, calls.get(MaintenanceService.METRICS).status());

        service.close();
        service = start(options().withMetricsPublic(true));
        var open = new ServiceCalls(service.url(), null).get(MaintenanceService.METRICS);
        assertEquals(200, open.status());
        assertTrue(open.body().contains("partitionlab_partitions{table=\"audit.audit_logs\"}"), open::body);
        assertEquals(401, new ServiceCalls(service.url(), null).get(API + "health").status(), "only /metrics is public");
    }

    @Test
    void badRequestsGetTheirStatusAndOneLineReasonAndChangeNothing() {
        List<String> before = DatabaseSnapshot.of(db);
        record Bad(String method, String path, String body, int status, String reason) {}
        List<Bad> bad = List.of(
                new Bad("POST", API + "maintenance", "{\"dryRun\": tru", 400, "malformed JSON"),
                new Bad("POST", API + "maintenance", "[true]", 400, "the body must be a JSON object"),
                new Bad("POST", API + "maintenance", "{\"dryrun\": false}", 400, "unknown field 'dryrun'"),
                new Bad("POST", API + "maintenance", "{\"dryRun\": \"false\"}", 400, "field 'dryRun' has the wrong type: expected true or false"),
                new Bad("POST", API + "create", "{\"table\": \"audit.audit_logs\"}", 400, "monthsAhead is required"),
                new Bad("POST", API + "create", "{\"table\": \"audit.audit_logs\", \"monthsAhead\": 0}", 400, "monthsAhead must be 1 to 120, not 0"),
                new Bad("POST", API + "create", "{\"table\": \"audit.audit_logs\", \"monthsAhead\": 121}", 400, "monthsAhead must be 1 to 120, not 121"),
                new Bad("POST", API + "create", "{\"table\": \"audit.audit_logs\", \"monthsAhead\": 1.5}", 400, "field 'monthsAhead' has the wrong type"),
                new Bad("POST", API + "create", "{\"table\": \"audit.nope\", \"monthsAhead\": 1}", 400, "audit.nope"),
                new Bad("POST", API + "analyze", "{\"table\": \"x; DROP TABLE audit.audit_logs\"}", 400, "x; DROP TABLE"),
                new Bad("POST", API + "cleanup", "{\"table\": \"audit.audit_logs\", \"retentionMonths\": 0, \"dryRun\": false}", 400,
                        "a retention of 0 months would drop current data"),
                new Bad("POST", API + "cleanup", "{\"retentionMonths\": -3}", 400, "would drop current data"),
                new Bad("GET", API + "list?table=audit.nope", null, 400, "audit.nope"),
                new Bad("GET", API + "list?tabel=audit.audit_logs", null, 400, "unknown parameter 'tabel'"),
                new Bad("GET", API + "nothing-here", null, 404, "no such endpoint"),
                new Bad("GET", API + "create", null, 405, "GET is not allowed"),
                new Bad("DELETE", API + "health", null, 405, "DELETE is not allowed"),
                new Bad("POST", API + "maintenance", "{\"x\": \"" + "a".repeat(MaintenanceService.MAX_BODY_BYTES) + "\"}", 413, "larger than 16 KiB"));
        for (Bad b : bad) {
            var answer = calls.send(b.method(), b.path(), b.body(), TOKEN);
            String what = b.method() + " " + b.path() + " " + (b.body() == null ? "" : b.body().substring(0, Math.min(60, b.body().length())));
            assertEquals(b.status(), answer.status(), () -> what + " -> " + answer);
            assertTrue(answer.error().contains(b.reason()), () -> what + " -> " + answer);
            assertEquals(1, answer.error().lines().count(), () -> what + ": one line");
        }
        assertEquals("POST", calls.send("GET", API + "create", null, TOKEN).headers().firstValue("Allow").orElse(null));
        assertEquals(before, DatabaseSnapshot.of(db), "no refused request changed anything");
    }

    @Test
    void oneClientCannotStartRunsBackToBackAndARunHoldingTheLockIsNamed() throws Exception {
        var first = calls.post(API + "analyze", "{\"table\": \"audit.audit_logs\"}");
        assertEquals(200, first.status(), first::toString);
        var second = calls.post(API + "analyze", "{\"table\": \"audit.audit_logs\"}");
        assertEquals(429, second.status(), second::toString);
        long retryAfter = Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 300, second::toString);
        assertEquals(200, calls.post(API + "cleanup", "{}").status(), "a dry run is not limited");

        service.close();
        service = start(options());
        calls = new ServiceCalls(service.url(), TOKEN);
        try (var held = PartitionManager.on(db).lock(false)) {
            int holder = ((Number) db.scalar("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND ((classid::bigint << 32) | objid::bigint) = maintenance.lock_key()")).intValue();
            var busy = calls.post(API + "maintenance", "{\"dryRun\": false}");
            assertEquals(409, busy.status(), busy::toString);
            assertEquals(holder, busy.json().get("holder").get("pid").asInt());
            assertTrue(busy.error().startsWith("another maintenance run is in progress"), busy::toString);
            JsonNode status = calls.get(API + "status").json();
            assertTrue(status.get("running").asBoolean());
            assertEquals(holder, status.get("lockHolder").get("pid").asInt());
            assertEquals(200, calls.post(API + "maintenance", "{}").status(), "a dry run during a run: it changes nothing");
        }
    }

    @Test
    void closeFinishesTheRequestInFlightFirst() throws Exception {
        CompletableFuture<ServiceCalls.Answer> analyze;
        CompletableFuture<Void> closed;
        try (Connection blocker = db.connection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // ANALYZE waits for this lock: the request is in flight until the transaction ends
            s.execute("LOCK TABLE audit.chat_messages_p_default IN SHARE UPDATE EXCLUSIVE MODE");
            analyze = CompletableFuture.supplyAsync(() -> calls.post(API + "analyze", "{\"table\": \"audit.chat_messages\"}"));
            awaitAnalyzeWaiting(db);
            closed = CompletableFuture.runAsync(service::close);
            TimeUnit.MILLISECONDS.sleep(500);
            assertFalse(closed.isDone(), "close waits for the request in flight");
            blocker.rollback();
        }
        assertEquals(200, analyze.get(30, TimeUnit.SECONDS).status());
        closed.get(30, TimeUnit.SECONDS);
        service = null;
        assertEquals("ok", PartitionManager.on(db).lastRun("api").orElseThrow().result());
    }

    @Test
    void aMissedDailyRunHappensAtStartUpAndOnlyOnce() throws Exception {
        service.close();
        LocalTime dueAMinuteAgo = LocalTime.now(ZoneOffset.UTC).minusMinutes(1).withSecond(0).withNano(0);
        var schedule = DailySchedule.at(dueAMinuteAgo);
        service = start(options().withSchedule(schedule).withScheduleTick(Duration.ofMillis(100)));
        RunRecord scheduled = awaitRun("schedule");
        assertEquals("run", scheduled.what());
        assertEquals("ok", scheduled.result(), scheduled::toString);
        JsonNode status = new ServiceCalls(service.url(), TOKEN).get(API + "status").json();
        assertEquals(schedule.nextRun(java.time.Instant.now()).toString(), status.get("nextRun").asText());
        assertEquals(scheduled.id(), status.get("lastScheduledRun").get("id").asLong());

        service.close();
        service = start(options().withSchedule(schedule).withScheduleTick(Duration.ofMillis(100)));
        TimeUnit.SECONDS.sleep(1);
        assertEquals(1, PartitionManager.on(db).runs(50).stream().filter(r -> r.trigger().equals("schedule")).count(),
                "the day's run happened: a restart does not repeat it");
    }

    private static RunRecord awaitRun(String trigger) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var run = PartitionManager.on(db).lastRun(trigger);
            if (run.isPresent() && !run.get().result().equals("running")) return run.get();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("no finished " + trigger + " run within a minute");
    }

    /** Until an ANALYZE waits for a lock someone holds: a request is then in flight, and stays so. */
    static void awaitAnalyzeWaiting(Node db) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Object waiting = db.scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ANALYZE%'");
            if (((Number) waiting).longValue() > 0) return;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("ANALYZE never waited for the lock");
    }

    static List<String> texts(JsonNode rows, String field) {
        assertNotNull(rows, field);
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.get(field).isNull() ? null : row.get(field).asText()));
        return values;
    }
}
