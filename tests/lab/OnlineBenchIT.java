package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code jbang scripts/Repartition.java bench} as an operator runs it, at ci scale: every online change runs and loses
 * no row (its report says so per operation). What it measures is reported, never asserted: a benchmark, not a test.
 */
class OnlineBenchIT {
    private static final List<String> OPERATIONS = List.of("add 2024-04", "split 2024-02", "detach 2024-01", "migrate", "cleanup",
            "manager: create with rescue", "manager: retention (drop)", "online migration");

    @Test
    void everyOnlineChangeRunsLosingNoRow() {
        Node db = Lab.connect("embedded").node("partitioned"); // the servers outlive the runbook's JVM, which attaches to them
        var run = RunbookProcess.run("Repartition", "bench", "--scale", "ci", "--no-progress");
        assertEquals(0, run.exitCode(), run::toString);
        for (String operation : OPERATIONS) {
            assertTrue(run.out().lines().anyMatch(l -> l.contains(" " + operation + " ") && l.contains("no row lost")), operation + "\n" + run);
        }
        assertTrue(run.out().contains("no row lost in any operation"), run::toString);
        assertTrue(run.out().contains("writer waited (ms)") && run.out().contains("reader waited (ms)"), run::toString);
        // the manager's case hands its table back: lesson 06 and the daily run find no benchmark table under management
        var managed = PartitionManager.on(db).health(null).stringColumn("parent_table").asList();
        assertTrue(!managed.contains("app.event_logs"), "still managed after the bench: " + managed);
    }

    @Test
    void badInputIsOneLineExitTwo() {
        for (String[] args : new String[][] {{"bench", "--scale", "huge"}, {"bench", "--month", "2024-01"}, {"add", "--scale", "ci"}}) {
            var run = RunbookProcess.run("Repartition", args);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().startsWith("error: ") && run.err().strip().lines().count() == 1, run::toString);
        }
    }
}
