package lab.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.Citus;
import lab.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/**
 * {@code jbang scripts/Citus.java <step>}: the Citus journey's steps for operators, in the library so tests run them
 * in one JVM. Every step shows the shard placement before and after and checks the rows against phase 1's baseline.
 */
@Command(name = "Citus", sortOptions = false,
        description = "The Citus journey on the topology's Citus cluster (node citus and worker1..3): regular tables "
                + "(setup, demo), distributed (enable-citus), grown and rebalanced (add-worker, rebalance, isolate, drain), "
                + "and back to regular tables (undistribute). Each step does only what is missing, so it is safe to run "
                + "again, and ends by checking every table's row count and checksum against the baseline setup recorded. "
                + "The SQL is in sql/citus/.",
        subcommands = {CitusCommand.Setup.class, CitusCommand.Load.class, CitusCommand.Demo.class, CitusCommand.EnableCitus.class,
            CitusCommand.AddWorker.class, CitusCommand.Rebalance.class, CitusCommand.Isolate.class, CitusCommand.Drain.class,
            CitusCommand.Undistribute.class, CitusCommand.All.class, CitusCommand.Status.class, CitusCommand.Reset.class},
        footer = {"",
            "The whole journey, on the local installation's servers or on compose (docker compose --profile citus",
            "--profile citus-worker3 up -d, then --topology compose):",
            "  jbang scripts/Citus.java all --confirm",
            "Step by step: setup, demo, enable-citus, add-worker, rebalance, isolate, drain --confirm, undistribute --confirm.",
            "A drained worker comes back with add-worker --worker worker2 (then rebalance).",
            "",
            "Embedded topology: the Citus nodes are local servers the lab starts from a PostgreSQL installation with",
            "Citus (LAB_PG_BIN=<its bin folder>, else pg_config on PATH or /usr/lib/postgresql/*/bin).",
            "",
            "Exit: 0 done, 1 a failure (no Citus cluster, rows differing from the baseline), 2 bad input",
            "(an unknown step, a step whose precondition is missing): nothing changed."})
public final class CitusCommand implements Callable<Integer> {
    @Mixin Cli.Output output;

    @Override
    public Integer call() {
        Cli.commandLine(new CitusCommand()).usage(output.out());
        return Cli.OK;
    }

    /** What every step takes: the topology, the output format (progress only where a step shows one). */
    abstract static class Step implements Callable<Integer> {
        @Mixin Cli.TopologyOption topology;
        @Mixin Cli.Output output;

        Citus citus() {
            return Citus.on(topology.lab());
        }

        /** The step's line, placement before and after (once, when nothing moved), and the rows against the baseline. */
        int report(Citus.Step step) {
            output.note(step.name() + ": " + step.summary());
            if (step.changed()) {
                output.print(step.before().copy().setName("placement before " + step.name()));
                output.print(step.after().copy().setName("placement after " + step.name()));
            } else {
                output.print(step.after());
            }
            output.print(step.fingerprints());
            return Cli.OK;
        }
    }

    static final class ConfirmOption {
        @Option(names = "--confirm", description = "Do it; without this flag the step is a dry run that shows what would happen.")
        boolean confirm;
    }

    static final class BlockingOption {
        @Option(names = "--blocking", description = "Move shards with writes to them blocked while they are copied "
                + "(block_writes: fastest), instead of online by logical replication.")
        boolean blocking;
    }

    @Command(name = "setup", description = "Phase 1: the regular tables users, regions, orders, order_items on the coordinator, "
            + "seeded when empty (1,000 users and 10,000 orders at LAB_SCALE=demo), and the baseline row counts and checksums.")
    static final class Setup extends Step {
        @Option(names = "--scale", paramLabel = "SCALE", description = "ci, demo or full (100 / 1,000 / 100,000 users, "
                + "10 orders each). Default: LAB_SCALE, else demo.")
        String scale;

        @Override
        public Integer call() {
            Scale chosen = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
            return report(citus().setup(chosen));
        }
    }

    @Command(name = "load", description = "Writes new orders (with their lines) for a while, as the application would: each "
            + "batch in one transaction that also adds its rows to the baseline. Run it beside a rebalance to see moves online.")
    static final class Load extends Step {
        @Option(names = "--seconds", paramLabel = "N", defaultValue = "10", description = "How long. Default: ${DEFAULT-VALUE}.")
        int seconds;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "Orders per transaction. Default: ${DEFAULT-VALUE}.")
        int batch;

        @Mixin Cli.ProgressOption progress;

        @Override
        public Integer call() {
            if (seconds < 1) throw new BadInput("--seconds must be at least 1, got " + seconds);
            Citus citus = citus();
            long added = citus.load(Duration.ofSeconds(seconds), batch, progress.mode());
            output.note("load: " + added + " orders added in " + seconds + " s; the baseline includes them");
            output.print(citus.monitor().fingerprints());
            return Cli.OK;
        }
    }

    @Command(name = "demo", description = "The baseline queries (one user's orders, revenue by region, the colocated join, "
            + "the join on order_id alone, top users), each with its rows and where it ran: the coordinator, one worker, "
            + "or every shard.")
    static final class Demo extends Step {
        @Override
        public Integer call() {
            for (Citus.Query query : citus().demo()) {
                output.note(query.file() + ": " + query.routing().describe());
                query.refused().ifPresent(error -> output.note("  Citus refused it: " + error + "; run again with citus.enable_repartition_joins = on"));
                output.print(query.rows());
            }
            return Cli.OK;
        }
    }

    @Command(name = "enable-citus", description = "Phase 2: CREATE EXTENSION citus on the coordinator and worker1-2, register "
            + "them, widen the keys to include user_id, make regions a reference table and distribute orders and "
            + "order_items by user_id, colocated.")
    static final class EnableCitus extends Step {
        @Override
        public Integer call() {
            return report(citus().enableCitus());
        }
    }

    @Command(name = "add-worker", description = "Phase 3: a worker joins the cluster (empty until a rebalance): --worker, else "
            + "the first of worker1..3 not in it (worker3 on the journey; a drained worker2 comes back the same way).")
    static final class AddWorker extends Step {
        @Option(names = "--worker", paramLabel = "WORKER", description = "worker1, worker2 or worker3. Default: the first "
                + "that is not in the cluster.")
        String worker;

        @Override
        public Integer call() {
            Optional<String> named = Optional.ofNullable(worker).map(Citus::requireWorkerName); // bad input before connecting
            return report(citus().addWorker(named));
        }
    }

    @Command(name = "rebalance", description = "Phase 3: spread the shards evenly over the workers: a background job with "
            + "its progress (online), or --blocking.")
    static final class Rebalance extends Step {
        @Mixin BlockingOption blocking;
        @Mixin Cli.ProgressOption progress;

        @Override
        public Integer call() {
            Citus citus = citus();
            Table plan = citus.rebalancePlan();
            if (plan.rowCount() > 0) output.print(plan);
            return report(citus.rebalance(blocking.blocking, progress.mode()));
        }
    }

    @Command(name = "isolate", description = "Phase 3: give a hot tenant a shard of its own (split with its order lines), "
            + "then move that shard to a worker.")
    static final class Isolate extends Step {
        @Option(names = "--tenant", paramLabel = "USER_ID", defaultValue = "" + Citus.HOT_TENANT,
                description = "The tenant (user_id). Default: ${DEFAULT-VALUE}, who places every tenth order.")
        long tenant;

        @Option(names = "--to", paramLabel = "WORKER", description = "worker1, worker2 or worker3. Default: when the tenant is "
                + "split off, the active worker with the fewest shards other than the tenant's; an isolated tenant stays put.")
        String to;

        @Mixin BlockingOption blocking;

        @Override
        public Integer call() {
            Citus citus = citus();
            int code = report(citus.isolate(tenant, Optional.ofNullable(to), blocking.blocking));
            output.print(citus.monitor().tenantShard(tenant));
            return code;
        }
    }

    @Command(name = "drain", description = "Phase 3: move every shard off a worker and remove it from the cluster. A dry run "
            + "unless --confirm.")
    static final class Drain extends Step {
        @Option(names = "--worker", paramLabel = "WORKER", defaultValue = "worker2",
                description = "worker1, worker2 or worker3. Default: ${DEFAULT-VALUE}.")
        String worker;

        @Mixin ConfirmOption confirm;
        @Mixin BlockingOption blocking;

        @Override
        public Integer call() {
            return report(citus().drain(worker, confirm.confirm, blocking.blocking));
        }
    }

    @Command(name = "undistribute", description = "Phase 4: every table back to a regular PostgreSQL table on the coordinator; "
            + "the emptied workers leave the cluster. A dry run unless --confirm.")
    static final class Undistribute extends Step {
        @Mixin ConfirmOption confirm;

        @Override
        public Integer call() {
            return report(citus().undistribute(confirm.confirm));
        }
    }

    @Command(name = "all", description = "The four phases in order: setup, demo, enable-citus, add-worker, rebalance, isolate, "
            + "drain worker2, undistribute. Without --confirm, drain and undistribute are shown as dry runs.")
    static final class All extends Step {
        @Option(names = "--scale", paramLabel = "SCALE", description = "As for setup. Default: LAB_SCALE, else demo.")
        String scale;

        @Mixin ConfirmOption confirm;
        @Mixin BlockingOption blocking;
        @Mixin Cli.ProgressOption progress;

        @Override
        public Integer call() {
            Scale chosen = scale == null ? Scale.current() : Scale.parse(scale, "--scale");
            Citus citus = citus();
            report(citus.setup(chosen));
            for (Citus.Query query : citus.demo()) output.note(query.file() + ": " + query.routing().describe());
            report(citus.enableCitus());
            report(citus.addWorker());
            report(citus.rebalance(blocking.blocking, progress.mode()));
            report(citus.isolate(Citus.HOT_TENANT, Optional.empty(), blocking.blocking));
            report(citus.drain("worker2", confirm.confirm, blocking.blocking));
            report(citus.undistribute(confirm.confirm));
            output.verdict(confirm.confirm ? "all four phases done; the rows equal the baseline after each"
                    : "drain and undistribute were dry runs: run again with --confirm to finish phases 3 and 4");
            return Cli.OK;
        }
    }

    @Command(name = "status", description = "Where the journey stands: the phase, every node with its shards (active workers), "
            + "citus_tables, the hot tenant's shard, and the rows against the baseline.")
    static final class Status extends Step {
        @Override
        public Integer call() {
            List<Table> tables = citus().monitor().status();
            tables.forEach(output::print);
            return Cli.OK;
        }
    }

    @Command(name = "reset", description = "Start over: drop the four tables (and their shards) and the baseline, take every "
            + "node out of the metadata. A dry run unless --confirm.")
    static final class Reset extends Step {
        @Mixin ConfirmOption confirm;

        @Override
        public Integer call() {
            Citus.Step step = citus().reset(confirm.confirm);
            output.note(step.name() + ": " + step.summary());
            output.print(step.fingerprints());
            return Cli.OK;
        }
    }
}
