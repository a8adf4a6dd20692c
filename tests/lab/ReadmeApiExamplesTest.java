package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's curl examples, sent as written (method, headers, body; {@code $TOKEN} filled in) to the service on
 * the embedded server, on a free port instead of 3001: every one is answered 200 with what its endpoint promises.
 * The service runs without the per-client limit, since the examples' maintenance calls come back to back here.
 */
class ReadmeApiExamplesTest {
    @Test
    void everyCurlExampleOfTheReadmeIsAnsweredByTheService() {
        Node db = ServiceCalls.demoTables(Lab.connect("embedded").node("partitioned"), 2);
        String token = ServiceToken.random();
        var options = ServiceCalls.options(token, line -> { });
        List<String> problems = new ArrayList<>();
        var examples = ReadmeCurlExamples.all();
        assertTrue(examples.size() >= 11, () -> "the README's examples: " + examples.size());
        try (var service = MaintenanceService.start(db, options)) {
            for (var example : examples) {
                var answer = ServiceCalls.send(example.toHttpRequest(service.url(), token));
                if (answer.status() != 200) {
                    problems.add(example.where() + " -> " + answer);
                } else if (example.path().equals(MaintenanceService.METRICS)) {
                    if (!answer.body().contains("partitionlab_health{table=\"audit.audit_logs\"}")) problems.add(example.where() + ": no health gauge");
                } else if (answer.json().isEmpty()) {
                    problems.add(example.where() + ": an empty answer");
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
