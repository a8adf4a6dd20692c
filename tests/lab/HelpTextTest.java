package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import lab.cli.BenchCommand;
import lab.cli.CitusCommand;
import lab.cli.Cli;
import lab.cli.MaintainCommand;
import org.junit.jupiter.api.Test;

/**
 * The --help texts say what the commands do: claims that once differed from the code, checked against it (the
 * scenarios' failure points, the generator's slice size) or against what the command accepts.
 */
class HelpTextTest {
    /** The help as one line of words, so that a claim does not depend on where picocli wraps it. */
    private static String help(String runbook, String... args) {
        var run = RunbookProcess.run(runbook, args);
        assertEquals(0, run.exitCode(), run::toString);
        return run.out().replaceAll("\\s+", " ");
    }

    private static String helpOf(Object command, String... args) {
        StringWriter out = new StringWriter();
        int exit = Cli.run(command, new PrintWriter(out), new PrintWriter(new StringWriter()), args);
        assertEquals(0, exit, out::toString);
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void repartitionNamesEachScenariosOwnFailurePoints() {
        String help = help("Repartition", "--help");
        for (RepartitionScenario scenario : RepartitionScenario.values()) {
            String points = String.join(", ", scenario.failPoints());
            assertTrue(help.contains(scenario.label() + ": " + points + (scenario.ordinal() + 1 < RepartitionScenario.values().length ? ";" : ".")),
                    () -> scenario.label() + "'s failure points (" + points + ") missing from --fail-at's help: "
                            + help.substring(help.indexOf("--fail-at=STEP"), help.indexOf("--lock-timeout=DURATION")));
        }
    }

    @Test
    void generateDescribesTheSlicesItsConnectionsShare() {
        String help = help("Generate", "--help");
        assertTrue(help.contains(String.format(Locale.ROOT, "up to %,d rows of one month", EventGenerator.SLICE_ROWS)), help);
        assertFalse(help.contains("one month slice at a time"), help);
    }

    @Test
    void benchWritesIntoOutAndLoadsOnlyTheNamedLayouts() {
        String help = helpOf(new BenchCommand(), "--help");
        assertTrue(help.contains("into --out") && !help.contains("Writes tmp/benchmarks/report.md"), help);
        assertTrue(help.contains("the table of each layout in --layouts"), help);
    }

    @Test
    void maintainSaysWhichCommandsAreDryRunsAndWhichHeedToday() {
        String help = helpOf(new MaintainCommand(), "--help");
        assertTrue(help.contains("Retention (alone or in run) and uninstall are dry runs unless --apply"), help);
        assertTrue(help.contains("--today counts for run, create-missing, retention, health and validate"), help);
        assertTrue(help.contains("recorded in maintenance.run_history (SELECT * FROM maintenance.runs"), help);
    }

    @Test
    void citusOffersProgressOnlyWhereAStepShowsIt() {
        for (String step : List.of("load", "rebalance", "all")) {
            assertTrue(helpOf(new CitusCommand(), step, "--help").contains("--[no-]progress"), step);
        }
        for (String step : List.of("setup", "demo", "enable-citus", "add-worker", "isolate", "drain", "undistribute", "status", "reset")) {
            assertFalse(helpOf(new CitusCommand(), step, "--help").contains("progress"), step + " shows no progress: no option");
            StringWriter err = new StringWriter();
            int exit = Cli.run(new CitusCommand(), new PrintWriter(new StringWriter()), new PrintWriter(err), step, "--no-progress");
            assertEquals(2, exit, step + " --no-progress: " + err);
        }
    }

    @Test
    void theNodeOptionNamesItsDefault() {
        assertTrue(help("Load", "--help").contains("shard1 or shard2. Default: partitioned."));
    }
}
