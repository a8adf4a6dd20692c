package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import lab.cli.CitusCommand;
import lab.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;
import tech.tablesaw.api.Table;

/**
 * The parts of the Citus runbook that need no cluster (CitusTest runs the journey where there is one): which worker
 * add-worker takes, its refusal of a worker that does not exist before anything connects, and the title of the reset's
 * table, which says what happened.
 */
class CitusStepsTest {

    @Test
    void addWorkerTakesTheFirstWorkerNotInTheClusterOrTheOneNamed() {
        assertEquals(Optional.of("worker3"), Citus.workerToAdd(Optional.empty(), Set.of("worker1", "worker2")), "the journey");
        assertEquals(Optional.of("worker2"), Citus.workerToAdd(Optional.empty(), Set.of("worker1", "worker3")), "after draining worker2");
        assertEquals(Optional.of("worker1"), Citus.workerToAdd(Optional.empty(), Set.of()), "none in the cluster");
        assertEquals(Optional.empty(), Citus.workerToAdd(Optional.empty(), Set.of("worker1", "worker2", "worker3")), "all in");
        assertEquals(Optional.of("worker2"), Citus.workerToAdd(Optional.of("worker2"), Set.of("worker1", "worker3")));
        assertEquals(Optional.of("worker1"), Citus.workerToAdd(Optional.of("worker1"), Set.of("worker1")),
                "named and in the cluster: the step then says so and changes nothing");
        BadInput unknown = assertThrows(BadInput.class, () -> Citus.workerToAdd(Optional.of("worker4"), Set.of()));
        assertEquals("unknown worker 'worker4': the workers are worker1, worker2, worker3", unknown.getMessage());
    }

    @Test
    void addWorkerTakesWorkerAsAnOption() {
        for (String worker : List.of("worker1", "worker2", "worker3")) {
            ParseResult parsed = Cli.commandLine(new CitusCommand()).parseArgs("add-worker", "--worker", worker);
            assertEquals(worker, parsed.subcommand().matchedOptionValue("--worker", ""));
        }
    }

    @Test
    void addWorkerRefusesAnUnknownWorkerWithOneLineBeforeConnecting() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // checked after connecting, this would be exit 1 here (no Citus cluster), not 2
        int exit = Cli.run(new CitusCommand(), new PrintWriter(out), new PrintWriter(err),
                "add-worker", "--worker", "worker9", "--topology", "embedded");
        assertEquals(Cli.BAD_INPUT, exit, err.toString());
        assertEquals(List.of("error: unknown worker 'worker9': the workers are worker1, worker2, worker3"), err.toString().lines().toList());
        assertEquals("", out.toString());
    }

    @Test
    void resetTableIsTitledByWhatHappened() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("app.regions", "5");
        rows.put("app.users", "100");
        rows.put("app.orders", "1,000");
        rows.put("app.order_items", "absent");

        Table dryRun = Citus.resetTable(rows, false);
        assertEquals("reset would drop", dryRun.name());
        Table done = Citus.resetTable(rows, true);
        assertEquals("reset dropped", done.name());
        assertEquals(List.of("app.regions", "app.users", "app.orders", "app.order_items"), done.stringColumn("table").asList());
        assertEquals(List.of("5", "100", "1,000", "absent"), done.stringColumn("rows").asList(), "the rows each table had");

        Map<String, String> nothing = new LinkedHashMap<>();
        Citus.TABLES.forEach(t -> nothing.put(t, "absent"));
        assertEquals("reset: nothing to drop", Citus.resetTable(nothing, true).name());
    }
}
