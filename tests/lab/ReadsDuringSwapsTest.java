package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the service's readers do while maintenance swaps partitions: health, list and the metrics, in a loop, while
 * twelve creates each rescue a month's rows from the DEFAULT by an online swap (the DEFAULT renamed aside, then
 * dropped). A reader that found a partition in the catalogs just before it went must look again, not fail.
 */
class ReadsDuringSwapsTest {
    @Test
    void healthListAndMetricsReadThroughSwapsOfTheDefault() throws Exception {
        Node db = Lab.connect("embedded").node("partitioned");
        ManagedTables.createAndConfigure(db);
        PartitionManager manager = PartitionManager.on(db);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    manager.health(null);
                    manager.list(null);
                    PartitionMetrics.scrape(db);
                    reads.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                }
            }
        });
        reader.start();
        try {
            YearMonth first = YearMonth.of(2030, 1);
            for (int i = 0; i < 12; i++) {
                YearMonth month = first.plusMonths(i);
                ManagedTables.seed(db, month, month, 5);
                var lines = manager.create("audit.audit_logs", month, month);
                assertTrue(lines.stringColumn("detail").asList().stream().anyMatch(d -> d != null && d.contains("online swap")), lines::print);
            }
        } finally {
            done.set(true);
            reader.join(60_000);
        }
        assertTrue(reads.get() > 0);
        assertEquals(List.of(), failures, reads.get() + " rounds of reads");
    }
}
