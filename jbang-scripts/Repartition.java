///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java

import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.Cli;
import lab.EventGenerator;
import lab.LoadSimulator;
import lab.RepartitionScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "Repartition", sortOptions = false,
        description = "Changes the layout of a live partitioned table and proves that no row was lost: shows the "
                + "partitions before, runs the scenario's steps (files in sql/repartition), shows the partitions after, "
                + "and prints each step's time, the longest a writer waited for app.event_logs and "
                + "app.users_distributed meanwhile, and the rows moved with their count and checksum before and after. "
                + "Creates and partitions app.event_logs and app.users_distributed first if they are missing.",
        footer = {"",
            "Scenarios:",
            "  add      add a month's partition (default 2024-04), moving its rows out of",
            "           the DEFAULT: standalone table + CHECK, then ATTACH (no scan)",
            "  split    split a month partition (default 2024-02) into weeks: days 1-7,",
            "           8-14, 15-21, and the 22nd to the month's end",
            "  detach   archive a month partition (default 2024-01) into",
            "           app.event_logs_archive, detach and drop it (needs --confirm)",
            "  migrate  build app.users_by_date (RANGE by quarter) from the HASH-",
            "           partitioned app.users_distributed; keep both",
            "  cleanup  undo all of the above, every row back (needs --confirm)",
            "",
            "Each scenario runs again safely: done before, it changes nothing.",
            "",
            "Examples:",
            "  jbang scripts/Repartition.java add",
            "  jbang scripts/Repartition.java split --month 2024-03 --with-load",
            "  jbang scripts/Repartition.java cleanup --confirm",
            "",
            "Exit: 0 done (or nothing to do, or a dry run), 1 a step failed (its",
            "transaction rolled back) or rows differ, 2 bad input or a missing",
            "precondition (nothing changed)."})
public class Repartition implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "add, split, detach, migrate or cleanup.")
    String scenarioName;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "The month for add, split and detach. Defaults: add 2024-04, split 2024-02, detach 2024-01.")
    YearMonth month;

    @Option(names = "--dry-run", description = "Show the partitions and the plan (steps, rows); change nothing.")
    boolean dryRun;

    @Option(names = "--confirm", description = "Run detach or cleanup (without it they show a dry run).")
    boolean confirm;

    @Option(names = "--with-load", description = "Run the load simulator meanwhile (inserts into app.event_logs and "
            + "app.users_distributed) and check afterwards that every row it wrote is there.")
    boolean withLoad;

    @Option(names = "--load-interval-ms", paramLabel = "MS", defaultValue = "5",
            description = "With --with-load: pause between two inserts. Default: ${DEFAULT-VALUE}.")
    long loadIntervalMs;

    @Option(names = "--fail-at", paramLabel = "STEP",
            description = "Make the scenario fail at a step (staged, detached, verified, archived, copied, restored) "
                    + "to watch it roll back: the layout and the data stay as they were.")
    String failAt;

    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    public static void main(String... args) {
        Cli.exit(new Repartition(), args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (scenarioName == null) {
            Cli.commandLine(this).usage(output.out());
            return Cli.OK;
        }
        // every option checked before anything touches a server: bad input changes nothing
        var scenario = RepartitionScenario.named(scenarioName);
        var options = RepartitionScenario.Options.defaults().withMonth(month).withFailAt(failAt);
        scenario.month(options);
        if (loadIntervalMs < 0) throw new BadInput("--load-interval-ms must be 0 or more, not " + loadIntervalMs);
        if (dryRun && (withLoad || failAt != null)) throw new BadInput("--dry-run changes nothing: it takes no --with-load or --fail-at");

        var node = target.node("partitioned");
        RepartitionScenario.prepare(node);
        var before = scenario.state(node);
        output.print(before.setName("before: " + before.name()));
        if (dryRun || scenario.destructive() && !confirm) {
            var plan = scenario.plan(node, options);
            output.print(plan);
            output.note(plan.rowCount() == 0 ? "nothing to do: " + scenario.label() + " ran before"
                    : "dry run: nothing changed" + (dryRun ? "" : " (" + scenario.label() + " " + (scenario == RepartitionScenario.DETACH
                            ? "detaches and drops a partition after archiving its rows" : "drops what the scenarios built after moving their rows back")
                            + "; add --confirm to run it)"));
            return Cli.OK;
        }

        RepartitionScenario.Outcome outcome;
        LoadSimulator.Summary summary = null;
        LoadSimulator.Verification verification = null;
        if (withLoad) {
            var loadOptions = LoadSimulator.Options.defaults().withInterval(java.time.Duration.ofMillis(loadIntervalMs))
                    .withMix(Map.of(LoadSimulator.Target.events, 3, LoadSimulator.Target.users, 1))
                    .withSeed(EventGenerator.randomSeed());
            try (var load = LoadSimulator.start(node, loadOptions)) {
                try {
                    outcome = scenario.run(node, options, progress.mode());
                } finally {
                    summary = load.stop();
                    verification = load.verify(Map.of(LoadSimulator.Target.events, RepartitionScenario.ARCHIVE));
                }
            }
        } else {
            outcome = scenario.run(node, options, progress.mode());
        }
        if (!outcome.nothingToDo()) {
            output.print(outcome.timings());
            output.print(outcome.moves());
            if (!outcome.scans().isEmpty()) output.note("PostgreSQL said: " + String.join("; ", outcome.scans()));
            if (outcome.naiveCreate() != null) output.note("naive CREATE ... PARTITION OF, tried first and rolled back: "
                    + (outcome.naiveCreate().refused() ? "refused (" + outcome.naiveCreate().sqlState() + "): " : "") + outcome.naiveCreate().message());
            output.print(outcome.after().setName("after: " + outcome.after().name()));
        }
        output.note(outcome.verdict());
        boolean loadWhole = true;
        if (summary != null) {
            output.print(summary.toTable(verification));
            output.note(summary + "; " + verification.verdict());
            loadWhole = verification.everyRowPresent();
        }
        return outcome.noRowLost() && loadWhole ? Cli.OK : Cli.FAILURE;
    }
}
