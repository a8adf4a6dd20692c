package lab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.Advisor;
import lab.AdvisorPlan;
import lab.Fingerprint;
import lab.LockDiscipline;
import lab.Node;
import lab.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@link ApplyPlanCommand} and {@link RollbackPlanCommand} share: a plan folder ({@link AdvisorPlan}), a dry run
 * unless {@code --confirm} (each step of the file, done or to do, and what it locks; planned in a transaction rolled
 * back, so nothing changes at all), then the run with a line per step, the fingerprints before and after, the
 * verification and the verdict. Exit 0 done and verified, 1 a step failed or the rows differ, 2 bad input (not a
 * plan, no such table, a rollback of a migration never applied): nothing changed.
 */
abstract class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "A plan's folder: DIR/<schema.table>, as --plan DIR wrote it.")
    Path folder;

    @Option(names = "--confirm", description = "Run it. Without: a dry run that shows each step and what it locks, and changes nothing.")
    boolean confirm;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Another database on the node's server (e.g. advisor, the lab's cases). Default: the node's or --dsn's own.")
    String database;

    @Mixin Cli.LockOptions lock;
    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    abstract AdvisorPlan.File file();

    @Override
    public Integer call() {
        if (folder == null) {
            Cli.commandLine(this).usage(output.out());
            return Cli.OK;
        }
        LockDiscipline discipline = lock.disciplineOrDefaults(); // bad options before any server is touched
        AdvisorPlan.manifest(folder); // not a plan: bad input before any server is touched
        Advisor.checkedDatabaseName(database);
        Node server = target.node("partitioned");
        if (database == null) return run(server, discipline);
        try (Node other = Advisor.onDatabase(server, database)) {
            return run(other, discipline);
        }
    }

    private int run(Node node, LockDiscipline discipline) {
        output.print(AdvisorPlan.preview(node, folder, file()));
        if (!confirm) {
            if (file() == AdvisorPlan.File.MIGRATE) output.print(AdvisorPlan.outline(folder, AdvisorPlan.File.ROLLBACK).setName("the way back: rollback.sql"));
            output.print(AdvisorPlan.outline(folder, AdvisorPlan.File.VERIFY).setName("then: verify.sql"));
            output.note("dry run: nothing changed (--confirm runs " + folder.resolve(file().fileName()) + ")");
            return Cli.OK;
        }
        var result = file() == AdvisorPlan.File.MIGRATE
                ? AdvisorPlan.apply(node, folder, discipline, progress.mode() == Progress.Mode.OFF ? null : this::progressLine)
                : AdvisorPlan.rollback(node, folder, discipline, progress.mode() == Progress.Mode.OFF ? null : this::progressLine);
        output.print(result.stepsTable());
        output.print(result.kept() == null ? Fingerprint.table(named(result.before(), "before"), named(result.after(), "after"))
                : Fingerprint.table(named(result.before(), "before"), named(result.after(), "after"), result.kept()));
        if (result.parity() != null) output.print(result.parity());
        output.verdict(result.verdict());
        return result.verified() && result.parityHolds() ? Cli.OK : Cli.FAILURE;
    }

    private void progressLine(String line) {
        System.err.println("  " + line);
        System.err.flush();
    }

    private static Fingerprint named(Fingerprint f, String when) {
        return new Fingerprint(f.table() + " (" + when + ")", f.rows(), f.checksum());
    }
}
