///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.time.YearMonth;
import java.util.Map;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.EventGenerator;
import lab.LoadSimulator;
import lab.OnlineBench;
import lab.RepartitionScenario;
import lab.Scale;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "Repartition", sortOptions = false,
        description = "Changes the layout of a live partitioned table, online, and proves that no row was lost: shows the "
                + "partitions before, runs the scenario's steps (files in sql/repartition, on the online discipline of "
                + "sql/online), shows the partitions after, and prints each step's time, the rows its window wrote (the "
                + "changes made meanwhile, never the partition's rows), its lock attempts, and the longest a writer and a "
                + "reader waited for app.event_logs and app.users_distributed meanwhile (\"< floor\": within the probe's own "
                + "noise), then the moved rows' count and checksum, old and new. Every strong lock is asked for under "
                + "lock_timeout and retried within a budget, so that no query queues behind the scenario for longer than "
                + "lock_timeout. Plans first, in a transaction rolled back, so that a refused input changes nothing; then "
                + "creates and partitions app.event_logs and app.users_distributed if they are missing, and installs "
                + "schema online and the scenarios' functions (a dry run only lists what it would prepare).",
        footer = {"",
            "Scenarios (each step a file of sql/repartition):",
            "  add      the month's partition (default 2024-04). Its rows sit in the",
            "           DEFAULT, so the DEFAULT is replaced by the month and a new",
            "           DEFAULT: stage (copies; readers and writers go on), swap",
            "           (window: catch-up, DETACH/ATTACH, no scan), verify",
            "  split    a month partition (default 2024-02) into weeks: days 1-7,",
            "           8-14, 15-21, the 22nd to the end; stage, swap, verify",
            "  detach   a month partition (default 2024-01): a catalog-only DETACH",
            "           window, then archived into app.event_logs_archive and",
            "           dropped (needs --confirm)",
            "  migrate  build app.users_by_date (RANGE by quarter) from the HASH-",
            "           partitioned app.users_distributed, only reading it",
            "  cleanup  undo all of the above with one swap, every row back, then",
            "           drop the archive and app.users_by_date (needs --confirm)",
            "  bench    every online change the lab makes (the five scenarios, the",
            "           partition manager's create-with-rescue and retention, the",
            "           online migration), each on a month of --scale rows while the",
            "           load simulator writes: the longest wait of a writer and of a",
            "           reader (target: 100 ms), rows lost (none). Starts app.event_logs",
            "           and app.users_distributed over.",
            "",
            "Windows take ACCESS EXCLUSIVE on app.event_logs: readers and writers",
            "wait for the window only. Each scenario runs again safely: done",
            "before, it changes nothing; stopped half way, it continues.",
            "",
            "Examples:",
            "  jbang scripts/Repartition.java add",
            "  jbang scripts/Repartition.java split --month 2024-03 --with-load",
            "  jbang scripts/Repartition.java split --lock-timeout 50ms --lock-budget 10s",
            "  jbang scripts/Repartition.java cleanup --confirm",
            "  jbang scripts/Repartition.java bench --scale full",
            "",
            "Exit: 0 done (or nothing to do, or a dry run: nothing changed, nothing",
            "prepared), 1 a step failed (what it left for a rerun named), a",
            "verification failed (the swap reverted), rows differ, or a lock was",
            "not granted within --lock-budget (nothing changed; the session in the",
            "way named), 2 bad input or a missing precondition (nothing changed)."})
public class Repartition implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO",
            description = "add, split, detach, migrate or cleanup; or bench (every online change, measured).")
    String scenarioName;

    @Option(names = "--scale", paramLabel = "SCALE",
            description = "With bench: rows in the month each change moves: ci (500), demo (20,000), full (500,000). "
                    + "Default: LAB_SCALE, else demo.")
    String scale;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "The month for add, split and detach. Defaults: add 2024-04, split 2024-02, detach 2024-01.")
    YearMonth month;

    @Option(names = "--dry-run", description = "Show the partitions, what a real run would prepare first (tables, schema online, "
            + "functions) and the plan (steps, what each locks, rows), made in a transaction rolled back; change nothing.")
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
            description = "Make the scenario fail at a step to watch what stays: window (the window rolls back; run again, "
                    + "it continues), verify (the verification fails: the swap is reverted, online), archive, copy, drop. "
                    + "Each scenario has its own: add: window, verify; split: window, verify; detach: window, archive; "
                    + "migrate: copy; cleanup: window, verify, drop. Every row stays. A step the scenario does not have is "
                    + "refused (exit 2). A window made to fail leaves the staged tables for a rerun, and names them.")
    String failAt;

    @Mixin Cli.LockOptions lock;
    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    public static void main(String... args) {
        Cli.exit(new Repartition(), args);
    }

    private int bench() {
        var benchScale = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
        var discipline = lock.disciplineOrDefaults();
        if (month != null || dryRun || withLoad || failAt != null) {
            throw new BadInput("bench takes --scale, the lock options and the target options only");
        }
        var node = target.node("partitioned");
        var operations = OnlineBench.run(node, benchScale, discipline, progress.mode());
        output.print(OnlineBench.report(operations, benchScale));
        long overTarget = operations.stream().filter(o -> !o.withinTarget()).count();
        boolean whole = operations.stream().allMatch(OnlineBench.Operation::noRowLost);
        output.verdict((whole ? "no row lost in any operation" : "ROWS LOST: see the verdicts") + "; " + (overTarget == 0
                ? "every wait within " + (int) OnlineBench.TARGET_MILLIS + " ms"
                : overTarget + " operation(s) made someone wait over " + (int) OnlineBench.TARGET_MILLIS + " ms") + " (" + discipline + ")");
        return whole ? Cli.OK : Cli.FAILURE;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (scenarioName == null) {
            Cli.commandLine(this).usage(output.out());
            return Cli.OK;
        }
        // every option checked before anything touches a server: bad input changes nothing
        if (scenarioName.strip().equalsIgnoreCase("bench")) return bench();
        if (scale != null) throw new BadInput("--scale applies to bench only");
        var scenario = RepartitionScenario.named(scenarioName);
        scenario.requireFailPoint(failAt); // before the list of all failure points: name this scenario's own
        var options = RepartitionScenario.Options.defaults().withMonth(month).withFailAt(failAt).with(lock.disciplineOrDefaults());
        scenario.month(options);
        if (loadIntervalMs < 0) throw new BadInput("--load-interval-ms must be 0 or more, not " + loadIntervalMs);
        if (dryRun && (withLoad || failAt != null)) throw new BadInput("--dry-run changes nothing: it takes no --with-load or --fail-at");

        var node = target.node("partitioned");
        // The plan first, in a transaction rolled back (with what a real run prepares: the tables, schema online, the
        // functions): a dry run, and an input its precondition refuses (a month with no partition), change nothing.
        var preview = scenario.preview(node, options);
        if (dryRun || scenario.destructive() && !confirm) {
            boolean preparing = preview.preparation().rowCount() > 0;
            output.print(preview.before().setName((preparing ? "before, once prepared: " : "before: ") + preview.before().name()));
            if (preparing) output.print(preview.preparation());
            var plan = preview.plan();
            output.print(plan);
            output.note(plan.rowCount() == 0 ? "nothing to do: " + scenario.label() + " ran before" + (preparing ? " (dry run: nothing prepared)" : "")
                    : "dry run: nothing changed" + (preparing ? ", nothing prepared (a real run first prepares what the table \"" + preview.preparation().name()
                            + "\" lists; this plan was made on them in a transaction rolled back)" : "")
                    + (dryRun ? "" : " (" + scenario.label() + " " + (scenario == RepartitionScenario.DETACH
                            ? "detaches and drops a partition after archiving its rows" : "drops what the scenarios built after moving their rows back")
                            + "; add --confirm to run it)"));
            return Cli.OK;
        }
        RepartitionScenario.prepare(node);
        var before = scenario.state(node);
        output.print(before.setName("before: " + before.name()));

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
            output.print(outcome.verification());
            if (outcome.heldLocks() != null) output.print(outcome.heldLocks());
            if (!outcome.notices().isEmpty()) output.note("PostgreSQL said: " + String.join("; ", outcome.notices()));
            output.print(outcome.after().setName("after: " + outcome.after().name()));
        }
        output.verdict(outcome.verdict());
        boolean loadWhole = true;
        if (summary != null) {
            output.print(summary.toTable(verification));
            output.verdict(summary + "; " + verification.verdict());
            loadWhole = verification.everyRowPresent();
        }
        return outcome.completed() && outcome.noRowLost() && loadWhole ? Cli.OK : Cli.FAILURE;
    }
}
