package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Citus.java as an operator runs it: a JVM of its own and its real exit codes (CitusTest covers the journey in-process).
 * With a Citus cluster, {@code status} reports the phase; without one, it fails with exit 1 and the reason on one line.
 */
class CitusRunbookIT {
    @Test
    void helpListsEveryStepAndAnUnknownStepExitsTwo() {
        var help = RunbookProcess.run("Citus", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String step : new String[] {"setup", "load", "demo", "enable-citus", "add-worker", "rebalance", "isolate", "drain",
            "undistribute", "all", "status", "reset"}) {
            assertTrue(help.out().contains(step), step + "\n" + help);
        }
        var unknown = RunbookProcess.run("Citus", "shard-everything");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().startsWith("error: unknown command 'shard-everything': Citus takes one of setup, load, demo, "
                + "enable-citus, add-worker, rebalance, isolate, drain, undistribute, all, status, reset")
                && unknown.err().strip().lines().count() == 1, unknown::toString);
    }

    @Test
    void statusReportsThePhaseOrWhyThereIsNoCluster() {
        Optional<String> missing = Citus.unavailable(Lab.connect());
        var status = RunbookProcess.run("Citus", "status");
        if (missing.isPresent()) {
            assertEquals(1, status.exitCode(), status::toString);
            assertTrue(status.err().startsWith("error: no Citus") && status.err().strip().lines().count() == 1, status::toString);
        } else {
            assertEquals(0, status.exitCode(), status::toString);
            assertTrue(status.out().contains("phase") && status.out().contains("lab_node"), status::toString);
        }
    }
}
