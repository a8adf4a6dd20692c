///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.util.Locale;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.Fingerprint;
import lab.LockDiscipline;
import lab.Migration;
import lab.OnlineMigration;
import lab.Progress;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "Migrate", sortOptions = false,
        description = "Turns an ordinary table into a partitioned one, keeping its name and the original as <table>_old, "
                + "and proves that no row was lost. With --online: any plain table with a primary key, RANGE-partitioned "
                + "by month on a time column while readers and writers go on (sql/migrate/online, one file per step; "
                + "killed at any point, run it again and it continues). Without: one of the lessons' four tables, in one "
                + "transaction (sql/migrate), which holds ACCESS EXCLUSIVE on the table until it commits: every reader "
                + "and writer waits for the whole copy. Both take their locks under lock_timeout, retried within a budget.",
        footer = {"",
            "The online migration, step by step (each reruns safely):",
            "  1 unique index      (id, time column) built CONCURRENTLY: nobody waits",
            "  2 partitioned table <table>_next, empty: nobody waits",
            "  3 switch            the table becomes <table>_old, the DEFAULT partition",
            "                      of <table>_next, which takes its name: ACCESS",
            "                      EXCLUSIVE for catalog work only (milliseconds)",
            "  4-7 move            the online swap of <table>_old for one partition",
            "                      per month: rows copied in batches, a short window",
            "                      for the changes made meanwhile, then verified",
            "  8 finish            <table>_old kept, verified identical",
            "",
            "Examples:",
            "  jbang scripts/Migrate.java app.event_logs --online --dry-run",
            "  jbang scripts/Migrate.java app.event_logs --online \\",
            "      --batch-rows 10000 --batch-pause 200ms",
            "  jbang scripts/Migrate.java app.event_logs --online --stop-after table",
            "  jbang scripts/Migrate.java app.users_distributed   (in one transaction)",
            "",
            "Exit: 0 migrated (or stopped where asked), 1 a step failed or a lock was",
            "not got within --lock-budget (that step changed nothing; run again), 2 bad",
            "input or nothing to do (a table partitioned already): nothing changed."})
public class Migrate implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE",
            description = "The table, schema-qualified: app.event_logs. Without --online: app.event_logs, app.users_distributed, "
                    + "app.orders_by_region or app.sales_data.")
    String table;

    @Option(names = "--online", description = "Partition by month on a time column while readers and writers go on.")
    boolean online;

    @Option(names = "--column", paramLabel = "NAME",
            description = "With --online: the time column (timestamptz, timestamp or date, NOT NULL). Default: the table's only one.")
    String column;

    @Option(names = "--dry-run", description = "Show where the table stands and what each step would do and lock; change nothing "
            + "(the functions it needs are installed only in a transaction rolled back).")
    boolean dryRun;

    @Option(names = "--batch-rows", paramLabel = "N", description = "With --online: rows copied per batch. Default: 50000.")
    Long batchRows;

    @Option(names = "--batch-pause", paramLabel = "DURATION",
            description = "With --online: a pause between two batches (e.g. 200ms), to spare a busy server. Default: none.")
    String batchPause;

    @Option(names = "--stop-after", paramLabel = "STEP",
            description = "With --online: stop after index, table (the partitioned table), switch or move-begin; run again to continue.")
    String stopAfter;

    @Option(names = "--fail-at", paramLabel = "STEP",
            description = "With --online: make a step fail (switch, window, verify) to watch it roll back; run again to continue.")
    String failAt;

    @Mixin Cli.LockOptions lock;
    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    public static void main(String... args) {
        Cli.exit(new Migrate(), args);
    }

    @Override
    public Integer call() {
        if (table == null) {
            Cli.commandLine(this).usage(output.out());
            return Cli.OK;
        }
        // every option checked before anything touches a server: bad input changes nothing
        LockDiscipline discipline = lock.disciplineOrDefaults();
        if (!online && (column != null || batchRows != null || batchPause != null || stopAfter != null || failAt != null)) {
            throw new BadInput("--column, --batch-rows, --batch-pause, --stop-after and --fail-at apply to --online only");
        }
        return online ? online(discipline) : oneTransaction(discipline);
    }

    private int oneTransaction(LockDiscipline discipline) {
        Migration migration;
        try {
            migration = Migration.named(table);
        } catch (BadInput unknown) {
            throw new BadInput("no one-transaction migration for " + table + ": the lessons' four tables have one ("
                    + "app.event_logs, app.users_distributed, app.orders_by_region, app.sales_data); --online migrates any plain table by month");
        }
        var node = target.node("partitioned");
        // planned with the functions installed in a transaction rolled back: a dry run or a refusal installs nothing
        var plan = node.rolledBack(inside -> {
            Migration.installFunctions(inside);
            return migration.plan(inside);
        });
        if (plan.rowCount() == 0) throw new BadInput(migration.table() + " is partitioned already: nothing to do");
        output.print(plan);
        if (dryRun) {
            output.note("dry run: nothing changed");
            return Cli.OK;
        }
        Migration.installFunctions(node);
        var outcome = migration.migrate(node, Migration.Options.defaults().with(discipline).probed());
        output.print(outcome.table());
        output.print(outcome.waitsTable());
        output.verdict(outcome.verdict());
        return outcome.noRowLost() ? Cli.OK : Cli.FAILURE;
    }

    private int online(LockDiscipline discipline) {
        var options = OnlineMigration.Options.defaults().with(discipline).probed()
                .withProgress(progress.mode(), progress.mode() == Progress.Mode.OFF ? null : line -> {
                    System.err.println("  " + line);
                    System.err.flush();
                })
                .withFailAt(failAt)
                .stoppingAfter(stopAfter == null ? null : step(stopAfter));
        if (batchRows != null) options = options.withBatchRows(batchRows);
        if (batchPause != null) options = options.withBatchPause(LockDiscipline.parse(batchPause, "--batch-pause"));
        if (dryRun && (failAt != null || stopAfter != null)) throw new BadInput("--dry-run changes nothing: it takes no --fail-at or --stop-after");

        var node = target.node("partitioned");
        var preview = OnlineMigration.preview(node, table, column); // installs nothing: a dry run or a refusal changes nothing
        var plan = preview.plan();
        String name = preview.state().getString(0, "table_name");
        if (plan.stringColumn("status").asList().stream().allMatch("done"::equals)) {
            throw new BadInput(name + " was migrated online before, and is partitioned: nothing to do");
        }
        output.print(plan);
        if (dryRun) {
            output.note("dry run: nothing changed");
            return Cli.OK;
        }
        var report = OnlineMigration.run(node, table, column, options);
        output.print(report.stepsTable());
        output.print(Fingerprint.table(report.kept() == null ? new Fingerprint[] {renamed(report.before(), "when this run began"), renamed(report.after(), "now")}
                : new Fingerprint[] {renamed(report.before(), "when this run began"), renamed(report.after(), "now"), report.kept()}));
        output.verdict(report.verdict());
        boolean reachedItsEnd = report.endedAt().equals("done") || stopAfter != null;
        return report.noRowLost() && reachedItsEnd ? Cli.OK : Cli.FAILURE;
    }

    private static Fingerprint renamed(Fingerprint f, String when) {
        return new Fingerprint(f.table() + " (" + when + ")", f.rows(), f.checksum());
    }

    private static OnlineMigration.Step step(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "index" -> OnlineMigration.Step.INDEX;
            case "table" -> OnlineMigration.Step.PARENT;
            case "switch" -> OnlineMigration.Step.SWITCH;
            case "move-begin" -> OnlineMigration.Step.MOVE_BEGIN;
            default -> throw new BadInput("--stop-after '" + name + "': use index, table, switch or move-begin");
        };
    }
}
