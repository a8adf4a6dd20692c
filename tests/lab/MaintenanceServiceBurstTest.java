package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bounded burst on loopback: 500 requests from 20 threads, reads and dry runs mixed with calls that run maintenance
 * (no per-client limit, so they contend for the lock). Every request gets an answer the API documents (200, or 409
 * when another run holds the lock), none a 5xx or a transport error, and the lock records show no two runs
 * overlapping. Not a benchmark: nothing here is timed.
 */
class MaintenanceServiceBurstTest {
    private static final int REQUESTS = 500;
    private static final int THREADS = 20;

    @Test
    void fiveHundredRequestsFromTwentyThreadsGetNoErrorAndRunsNeverOverlap() throws Exception {
        Node db = ServiceCalls.demoTables(Lab.connect("embedded").node("partitioned"), 3);
        var rowsBefore = ManagedTables.fingerprints(db);
        String token = ServiceToken.random();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        var options = ServiceCalls.options(token, log::add);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (var service = MaintenanceService.start(db, options)) {
            var calls = new ServiceCalls(service.url(), token);
            ExecutorService clients = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                sent.add(clients.submit(() -> {
                    try {
                        var answer = switch (n % 10) {
                            case 0, 1, 2 -> calls.get(MaintenanceService.API + "health");
                            case 3, 4 -> calls.get(MaintenanceService.API + "list?table=audit.audit_logs");
                            case 5 -> calls.get(MaintenanceService.API + "status");
                            case 6 -> calls.post(MaintenanceService.API + "maintenance", "{\"dryRun\": true}");
                            case 7 -> calls.post(MaintenanceService.API + "cleanup", "{\"table\": \"audit.audit_logs\"}");
                            case 8 -> calls.post(MaintenanceService.API + "analyze", "{\"table\": \"audit.object_history\"}");
                            default -> calls.post(MaintenanceService.API + "maintenance", "{\"dryRun\": false, \"table\": \"audit.audit_logs\"}");
                        };
                        statuses.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (answer.status() >= 500 || (answer.status() != 200 && answer.status() != 409)) failures.add(n + ": " + answer);
                    } catch (Throwable e) {
                        failures.add(n + ": " + e);
                    }
                }));
            }
            for (Future<?> f : sent) f.get(5, TimeUnit.MINUTES);
            clients.shutdown();
        }
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, count) -> counted.put(status, count.get()));
        assertTrue(failures.isEmpty(), () -> failures.size() + " failures, statuses " + counted + ":\n" + String.join("\n", failures));
        assertEquals(REQUESTS, counted.values().stream().mapToInt(Integer::intValue).sum(), counted::toString);

        List<RunRecord> runs = PartitionManager.on(db).runs(1000).stream().filter(r -> r.trigger().equals("api")).toList();
        assertEquals(counted.get(200) - 400, runs.size(),
                "every 200 of a call that runs maintenance is one run in the lock records (the 400 reads and dry runs record none)");
        assertFalse(runs.isEmpty());
        List<RunRecord> byStart = runs.stream().sorted(java.util.Comparator.comparing(RunRecord::startedAt)).toList();
        for (int i = 1; i < byStart.size(); i++) {
            RunRecord before = byStart.get(i - 1);
            RunRecord next = byStart.get(i);
            assertEquals("ok", before.result(), before::toString);
            assertFalse(next.startedAt().isBefore(before.finishedAt()), () -> "overlapping runs: " + before + " and " + next);
        }
        assertEquals(rowsBefore, ManagedTables.fingerprints(db), "no row lost or duplicated by the runs");
        assertTrue(log.stream().noneMatch(line -> line.contains(token)));
    }
}
