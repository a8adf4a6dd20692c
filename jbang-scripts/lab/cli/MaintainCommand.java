package lab.cli;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import lab.ApiBench;
import lab.BadInput;
import lab.Bench;
import lab.DailySchedule;
import lab.Dsn;
import lab.LockDiscipline;
import lab.MaintenanceBench;
import lab.MaintenanceService;
import lab.Node;
import lab.PartitionManager;
import lab.ServiceToken;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/**
 * {@code jbang scripts/Maintain.java}: the partition manager's subcommands for operators and cron. The command tree
 * lives in the library (the runbook's {@code main} only calls {@link Cli#exit}), so tests run every subcommand in
 * one JVM. Exit codes: 0 done and healthy, 1 a failure, an unhealthy table or a problem found, 2 bad input.
 */
@Command(name = "Maintain", sortOptions = false,
        description = "Keeps monthly RANGE-partitioned tables healthy from the configuration in maintenance.partition_config "
                + "(sql/maintenance): creates months ahead, moves rows out of DEFAULT partitions, analyzes, applies retention "
                + "(drop, detach or archive), reports health. Retention (alone or in run) and uninstall are dry runs unless "
                + "--apply is given; create, create-missing, analyze, vacuum and config act at once.",
        subcommands = {MaintainCommand.Run.class, MaintainCommand.Create.class, MaintainCommand.CreateMissing.class,
            MaintainCommand.Retention.class, MaintainCommand.Analyze.class, MaintainCommand.Vacuum.class,
            MaintainCommand.Health.class, MaintainCommand.ListPartitions.class, MaintainCommand.Validate.class,
            MaintainCommand.Config.class, MaintainCommand.Install.class, MaintainCommand.Uninstall.class,
            MaintainCommand.Serve.class, MaintainCommand.Bench.class, MaintainCommand.BenchApi.class},
        footer = {"",
            "Daily, from cron (02:00 UTC):",
            "  0 2 * * * cd /opt/partition-lab && jbang scripts/Maintain.java run --apply",
            "Set ENABLE_PARTITION_MAINTENANCE=false to make run do nothing (and exit 0).",
            "--today counts for run, create-missing, retention, health and validate; the others ignore it.",
            "",
            "A --today other than the server's date makes run, create-missing and",
            "retention --apply a dry run (nothing changed, a note says so) unless",
            "--allow-time-travel is given; even then retention never drops or detaches",
            "a partition whose range reaches the server's own date, or a later one.",
            "Days and months lie in 2000-01-01 to 2100-12-31; create makes at most 240",
            "months; --months and --retention are 1 to 1200, --ahead 0 to 120. Dry runs",
            "and refused input change nothing in the database (without the manager",
            "installed, they are refused: install first).",
            "",
            "Every change to a live table takes its locks under lock_timeout, retrying",
            "within a budget (--lock-timeout, --lock-budget; else the table's",
            "lock_timeout_ms, lock_budget_ms).",
            "",
            "Every command that changes something holds the maintenance lock and is",
            "recorded in maintenance.run_history (SELECT * FROM maintenance.runs:",
            "running, ok, failed, or interrupted when its session died).",
            "",
            "Exit: 0 done and healthy, 1 a failure (a lock not got within its budget:",
            "the session in the way named, that step changed nothing), an unhealthy",
            "table, a validation problem or another run holding the lock, 2 bad input",
            "(nothing changed)."})
public final class MaintainCommand implements Callable<Integer> {
    @Mixin Cli.Output output;

    @Override
    public Integer call() {
        Cli.commandLine(new MaintainCommand()).usage(output.out());
        return Cli.OK;
    }

    /** What every subcommand takes (picocli reads a superclass's options): the server, the output format, the day. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin Cli.Target target;
        @Mixin Cli.Output output;

        @Option(names = "--today", paramLabel = "YYYY-MM-DD",
                description = "Plan as if today were this day (2000-01-01 to 2100-12-31). Other than the server's date, "
                        + "run, create-missing and retention --apply only plan (a dry run) unless --allow-time-travel; "
                        + "create (its months are given), config, analyze and vacuum do not use it. Default: the server's date.")
        LocalDate today;

        @Option(names = "--allow-time-travel",
                description = "Act as of --today even when it is not the server's date (rehearsals on a copy, the lesson's "
                        + "fast-forward). Retention still never drops a partition that reaches the server's date.")
        boolean allowTimeTravel;

        PartitionManager manager() {
            PartitionManager.requireDay(today, "--today"); // before connecting: a bad day changes nothing, anywhere
            var manager = PartitionManager.on(target.node("partitioned"));
            if (today != null) manager = manager.asOf(today);
            return allowTimeTravel ? manager.withTimeTravel() : manager;
        }

        /** The note of a command that changes tables but was told a day other than the server's: it only planned. */
        void rehearsalNote(PartitionManager manager) {
            output.note("--today " + today + " is not the server's date (" + manager.serverToday() + "): a dry run, nothing changed "
                    + "(--allow-time-travel to act as of that day)");
        }

        /** Every table healthy; no table at all is not healthy either, and says why instead of exiting 1 in silence. */
        boolean healthy(Table health) {
            if (health.rowCount() == 0) {
                output.error("no table is managed yet: register one with maintenance.register_table (README, Maintain)");
            }
            return PartitionManager.healthy(health);
        }

        /** Prints an action report, with a line for people when nothing happened. */
        void report(Table lines, String nothing) {
            output.print(lines);
            if (lines.rowCount() == 0) output.note(nothing);
        }

        /** Each step that failed as one line on stderr (a lock not got names the session in the way): exit 1 if any. */
        int failures(Table lines) {
            Table errors = lines.where(lines.stringColumn("action").isEqualTo("error"));
            for (int i = 0; i < errors.rowCount(); i++) output.error(errors.getString(i, "parent_table") + ": " + errors.getString(i, "detail"));
            return errors.rowCount() == 0 ? Cli.OK : Cli.FAILURE;
        }
    }

    static final class TableOption {
        @Option(names = "--table", paramLabel = "TABLE",
                description = "One managed table (schema.table, or the bare name when unique). Default: every enabled table.")
        String table;
    }

    /** Where the service's bearer token comes from: a file only its owner reads, or MAINTENANCE_API_TOKEN; never an argument. */
    static final class TokenOptions {
        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File holding the API's bearer token (chmod 600). Default: the MAINTENANCE_API_TOKEN setting.")
        java.nio.file.Path tokenFile;
        /** Refused with its own message: ps shows a command line to every user, and the value is never echoed back. */
        @Option(names = {"--token", "--api-token"}, hidden = true, arity = "0..1")
        String tokenOnCommandLine;

        void refuseCommandLine() {
            if (tokenOnCommandLine != null) {
                throw new BadInput("the token is never given on the command line (ps shows it to every user): use --token-file FILE "
                        + "or the MAINTENANCE_API_TOKEN setting");
            }
        }

        ServiceToken token() {
            refuseCommandLine();
            return tokenFile != null ? ServiceToken.fromFile(tokenFile) : ServiceToken.fromEnvironment();
        }
    }

    static final class LockOption {
        @Option(names = "--wait", description = "If another run holds the maintenance lock, wait for it (default: exit 1 at once).")
        boolean waitForLock;
    }

    @Command(name = "run", description = "The daily job, for the tables that have something to do: rescue rows waiting in "
            + "the DEFAULT (an online swap), create the months ahead (standalone tables, attached in one short window), "
            + "retention (a dry run unless --apply), ANALYZE what changed, refresh its metadata; then the health table. "
            + "With a --today other than the server's date (and no --allow-time-travel): only the plan, nothing changed. "
            + "Honours ENABLE_PARTITION_MAINTENANCE=false.")
    static final class Run extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.LockOptions locks;
        @Mixin Cli.ProgressOption progress;
        @Option(names = "--apply", description = "Apply retention (drop, detach or archive as configured); without it, a dry run.")
        boolean apply;

        @Override
        public Integer call() {
            if (!PartitionManager.maintenanceEnabled()) {
                output.note("partition maintenance is disabled (" + PartitionManager.ENABLE_SWITCH + "=false): nothing done");
                return Cli.OK;
            }
            var manager = manager().withDiscipline(locks.discipline());
            boolean rehearsal = manager.rehearsal();
            // a plan changes nothing and needs no lock
            Table lines = rehearsal ? manager.run(table.table, apply, progress.mode())
                    : manager.locked(lock.waitForLock, "run", table.table, () -> manager.run(table.table, apply, progress.mode()));
            output.print(lines);
            if (lines.rowCount() == 0) output.note("nothing to do: every month there, nothing waiting in a DEFAULT, nothing past retention");
            Table health = manager.health(table.table);
            output.print(health);
            // a plan exits as the run would: 1 when a table is not healthy as of that day
            if (rehearsal) {
                rehearsalNote(manager);
            } else if (lines.stringColumn("action").asList().stream().anyMatch(a -> a.startsWith("would "))) {
                output.note("retention was a dry run: add --apply to drop, detach or archive what it lists");
            }
            return failures(lines) == Cli.FAILURE || !healthy(health) ? Cli.FAILURE : Cli.OK;
        }
    }

    @Command(name = "create", description = "Create one table's partitions for a range of months (both included, at most "
            + "240, within 2000-01 to 2100-12), rescuing rows of those months from the DEFAULT partition (an online swap).")
    static final class Create extends Subcommand {
        @Mixin LockOption lock;
        @Mixin Cli.LockOptions locks;
        @Option(names = "--table", required = true, paramLabel = "TABLE", description = "The managed table.")
        String table;
        @Option(names = "--from", required = true, paramLabel = "YYYY-MM", description = "First month.")
        YearMonth from;
        @Option(names = "--to", required = true, paramLabel = "YYYY-MM", description = "Last month.")
        YearMonth to;

        @Override
        public Integer call() {
            PartitionManager.requireMonthRange(from, to);
            var manager = manager().withDiscipline(locks.discipline());
            Table lines = manager.locked(lock.waitForLock, "create", table, () -> manager.create(table, from, to));
            report(lines, "nothing to do: every month from " + from + " to " + to + " has its partition");
            return failures(lines);
        }
    }

    @Command(name = "create-missing", description = "Create every missing month: gaps from the oldest partition (not before "
            + "the retention cutoff) to the configured months ahead, and months with rows waiting in the DEFAULT. With a "
            + "--today other than the server's date (and no --allow-time-travel): only the plan, nothing changed.")
    static final class CreateMissing extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.LockOptions locks;

        @Override
        public Integer call() {
            var manager = manager().withDiscipline(locks.discipline());
            if (manager.rehearsal()) {
                report(manager.createMissing(table.table), "nothing to do: no month is missing");
                rehearsalNote(manager);
                return Cli.OK;
            }
            Table lines = manager.locked(lock.waitForLock, "create-missing", table.table, () -> manager.createMissing(table.table));
            report(lines, "nothing to do: no month is missing");
            return failures(lines);
        }
    }

    @Command(name = "retention", description = "Partitions past retention: listed with their rows (dry run) unless --apply, "
            + "then dropped, detached or archived as configured, in one short window per table. Never the DEFAULT, the "
            + "newest partition, or one whose range reaches the server's date (whatever --today says).")
    static final class Retention extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.LockOptions locks;
        @Option(names = "--apply", description = "Drop, detach or archive (without it: a dry run).")
        boolean apply;
        @Option(names = "--months", paramLabel = "N", description = "Retention in months for this run, instead of the configured one (1 to 1200).")
        Integer months;

        @Override
        public Integer call() {
            PartitionManager.requireRetention(months, "--months");
            var manager = manager().withDiscipline(locks.discipline());
            boolean act = apply && !manager.rehearsal();
            // only an applied retention changes something, and so needs the lock
            Table lines = act ? manager.locked(lock.waitForLock, "retention", table.table, () -> manager.retention(table.table, true, months))
                    : manager.retention(table.table, apply, months); // a rehearsal's --apply plans only
            report(lines, "nothing past retention");
            if (apply && !act) rehearsalNote(manager);
            else if (!apply && lines.rowCount() > 0) output.note("dry run: nothing changed (add --apply to act)");
            return Cli.OK;
        }
    }

    @Command(name = "analyze", description = "ANALYZE every partition, then the parent (autovacuum never analyzes a "
            + "partitioned table itself); with --stale, only what changed since the last ANALYZE.")
    static final class Analyze extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.ProgressOption progress;
        @Option(names = "--stale", description = "Only partitions never analyzed or with 10% (plus 50) of their rows changed since.")
        boolean stale;

        @Override
        public Integer call() {
            var manager = manager();
            report(manager.locked(lock.waitForLock, "analyze", table.table, () -> manager.analyze(table.table, stale, progress.mode())), "nothing to analyze");
            return Cli.OK;
        }
    }

    @Command(name = "vacuum", description = "VACUUM every partition, one at a time (VACUUM cannot run inside a function). "
            + "--full rewrites each partition and holds an exclusive lock on it meanwhile.")
    static final class Vacuum extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.ProgressOption progress;
        @Option(names = "--full", description = "VACUUM (FULL): gives space back to the operating system; blocks the partition.")
        boolean full;

        @Override
        public Integer call() {
            var manager = manager();
            report(manager.locked(lock.waitForLock, "vacuum", table.table, () -> manager.vacuum(table.table, full, progress.mode())), "nothing to vacuum");
            return Cli.OK;
        }
    }

    @Command(name = "health", description = "One row per managed table: partitions, size, months, status (HEALTHY, "
            + "CLEANUP_NEEDED, NO_PARTITIONS, MISSING_FUTURE, DEFAULT_HAS_ROWS). Exit 1 if any is not HEALTHY.")
    static final class Health extends Subcommand {
        @Mixin TableOption table;

        @Override
        public Integer call() {
            Table health = manager().health(table.table);
            output.print(health);
            return healthy(health) ? Cli.OK : Cli.FAILURE;
        }
    }

    @Command(name = "list", description = "Every partition: bounds, month, estimated rows, size, last ANALYZE and VACUUM.")
    static final class ListPartitions extends Subcommand {
        @Mixin TableOption table;

        @Override
        public Integer call() {
            output.print(manager().list(table.table));
            return Cli.OK;
        }
    }

    @Command(name = "validate", description = "Check gaps and overlaps in bounds, monthly bounds, names, indexes on every "
            + "partition, rows in the DEFAULT, months ahead, retention. Exit 1 if any check finds a problem.")
    static final class Validate extends Subcommand {
        @Mixin TableOption table;

        @Override
        public Integer call() {
            Table validation = manager().validate(table.table);
            output.print(validation);
            return PartitionManager.valid(validation) ? Cli.OK : Cli.FAILURE;
        }
    }

    @Command(name = "config", description = "Show the configuration, or change one table's retention, months ahead, "
            + "whether maintenance runs for it, or its lock discipline (--lock-timeout, --lock-budget: stored as the "
            + "table's lock_timeout_ms and lock_budget_ms).")
    static final class Config extends Subcommand {
        @Mixin TableOption table;
        @Mixin LockOption lock;
        @Mixin Cli.LockOptions locks;
        @Option(names = "--retention", paramLabel = "MONTHS", description = "Keep this many months besides the current one (1 to 1200).")
        Integer retention;
        @Option(names = "--ahead", paramLabel = "MONTHS", description = "Create this many months ahead (0 to 120).")
        Integer ahead;
        @ArgGroup(exclusive = true)
        Switch enabled;

        static final class Switch {
            @Option(names = "--enable", description = "Maintain this table in runs over every table.") boolean enable;
            @Option(names = "--disable", description = "Leave this table out of runs over every table.") boolean disable;
        }

        @Override
        public Integer call() {
            PartitionManager.requireRetention(retention, "--retention");
            PartitionManager.requireAhead(ahead, "--ahead");
            LockDiscipline given = locks.discipline();
            var manager = manager();
            if (retention == null && ahead == null && enabled == null && given.lockTimeout() == null && given.budget() == null) {
                output.print(manager.config(table.table));
                return Cli.OK;
            }
            output.print(manager.locked(lock.waitForLock, "config", table.table,
                    () -> manager.setConfig(table.table, retention, ahead, enabled == null ? null : enabled.enable, given)));
            return Cli.OK;
        }
    }

    @Command(name = "install", description = "Install or update the partition manager (schema maintenance, from "
            + "sql/maintenance/install.sql). An existing configuration is kept.")
    static final class Install extends Subcommand {
        @Mixin LockOption lock;

        @Override
        public Integer call() {
            var manager = manager();
            // reinstalling replaces functions a run may be using: wait for (or refuse beside) a run in progress
            output.print(manager.installed() ? manager.locked(lock.waitForLock, "install", null, manager::install) : manager.install());
            return Cli.OK;
        }
    }

    @Command(name = "uninstall", description = "Remove schema maintenance (configuration, metadata, functions); every "
            + "partition and row stays. A dry run unless --apply.")
    static final class Uninstall extends Subcommand {
        @Mixin LockOption lock;
        @Option(names = "--apply", description = "Remove it (without it: show what would go and what stays).")
        boolean apply;

        @Override
        public Integer call() {
            var manager = manager();
            if (!apply) {
                output.print(manager.uninstallPlan());
                output.note("dry run: nothing changed (add --apply to remove the manager; partitions and rows stay)");
                return Cli.OK;
            }
            output.print(manager.locked(lock.waitForLock, "uninstall", null, manager::uninstall));
            return Cli.OK;
        }
    }

    @Command(name = "serve", description = "The partition manager as an HTTP service: the API under "
            + MaintenanceService.API + " (bearer token), GET /metrics (Prometheus), and the daily run at --at UTC "
            + "(a missed day runs at start-up; off with ENABLE_PARTITION_MAINTENANCE=false). Runs until SIGTERM or Ctrl+C, "
            + "then finishes the request in flight and a run under way, and exits 0. The token comes from --token-file "
            + "(readable by its owner only) or MAINTENANCE_API_TOKEN, never from the command line, and is never printed.")
    static final class Serve implements Callable<Integer> {
        @Mixin Cli.Target target;
        @Mixin Cli.Output output;
        @Option(names = "--port", paramLabel = "PORT", defaultValue = "3001", description = "TCP port, 1 to 65535 (0: a free one). Default: ${DEFAULT-VALUE}.")
        int port;
        @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); 0.0.0.0 for every interface.")
        String bind;
        @Mixin TokenOptions tokenOptions;
        @Option(names = "--at", paramLabel = "HH:MM", description = "The daily run's time, UTC. Default: 02:00.")
        String at;
        @Option(names = "--metrics-public", description = "Serve /metrics without the token (for a scraper on a private network).")
        boolean metricsPublic;
        @Option(names = "--min-interval", paramLabel = "DURATION", defaultValue = "10s",
                description = "How often one client may start a maintenance call that changes something (429 sooner). Default: ${DEFAULT-VALUE}.")
        String minInterval;

        @Override
        public Integer call() throws InterruptedException {
            tokenOptions.refuseCommandLine();
            if (port < 0 || port > 65535) throw new BadInput("--port must be 1 to 65535 (0: a free one), not " + port);
            java.time.Duration interval = LockDiscipline.parse(minInterval, "--min-interval");
            DailySchedule schedule = DailySchedule.fromSettings(at);
            ServiceToken token = tokenOptions.token();
            // every line straight out as it comes, whatever --format (a json document would hold them till the end)
            java.util.function.Consumer<String> say = line -> {
                output.out().println(Dsn.mask(line));
                output.out().flush();
            };
            var options = MaintenanceService.Options.of(token).withPort(port).withBind(bind).withMetricsPublic(metricsPublic)
                    .withSchedule(schedule).withMinInterval(interval).withLog(say);
            var stop = new java.util.concurrent.CountDownLatch(1);
            Cli.onStopSignal(stop::countDown);
            try (var service = MaintenanceService.start(target.node("partitioned"), options)) {
                say.accept("serving the partition maintenance API at " + service.url() + MaintenanceService.API + " (token from "
                        + token.source() + "; /metrics " + (metricsPublic ? "public" : "behind the token") + ")");
                say.accept(schedule.enabled() ? "daily run at " + schedule.at() + " UTC, next at " + schedule.nextRun(java.time.Instant.now())
                        : "no daily run: " + schedule.offReason());
                stop.await();
                say.accept("stopping: finishing the request in flight and any run under way");
            }
            say.accept("stopped");
            return Cli.OK;
        }
    }

    @Command(name = "bench", description = "A benchmark, not a test: the daily run on a table of --rows rows (monthly, a "
            + "DEFAULT, 3 months ahead, 12 months retention; schema maintbench), for 'create one month and drop eleven' "
            + "and 'nothing to do', median of --runs runs; beside pg_partman's run_maintenance on a twin table when the "
            + "pg_partman extension is installed in the database, with the ratio.")
    static final class Bench extends Subcommand {
        @Mixin Cli.ProgressOption progress;
        @Option(names = "--rows", paramLabel = "N", defaultValue = "480000", description = "Rows in each table (24 to 50,000,000). Default: ${DEFAULT-VALUE}.")
        int rows;
        @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per case, 1 to 100 (the median is reported). Default: ${DEFAULT-VALUE}.")
        int runs;
        @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Untimed runs per case first, 0 to 100. Default: ${DEFAULT-VALUE}.")
        int warmup;

        @Override
        public Integer call() {
            var report = MaintenanceBench.run(target.node("partitioned"), rows, runs, warmup, progress.mode());
            output.print(report.summary());
            output.print(report.lastRun());
            if (!report.partman()) {
                output.note("pg_partman is not installed in this database: the lab's side only (CREATE EXTENSION pg_partman SCHEMA partman to compare)");
            } else {
                output.verdict(report.sameMonths() ? "both tables ended with the same months" : "the two tables ended with different months");
            }
            return !report.partman() || report.sameMonths() ? Cli.OK : Cli.FAILURE;
        }
    }

    @Command(name = "bench-api", description = "A benchmark, not a test: GET " + MaintenanceService.API + "health and list of the "
            + "maintenance service, --requests of each from --concurrency clients at once after --warmup untimed ones, --runs "
            + "times: requests per second, p50, p99 and max latency; beside the same library calls made directly in this "
            + "process (no HTTP, a pool of the service's size), with the ratios. Without --url it starts the service in this "
            + "process on a free port (its own random token) over the lesson 06 tables: used as they are when all seven are "
            + "managed in the database, else PREPARED when the database holds none of them (the seven tables, "
            + ApiBench.PREPARED_MONTHS + " months up to this one, " + ApiBench.PREPARED_ROWS_PER_MONTH + " rows a month, one "
            + "maintenance run), else refused (exit 2, nothing changed). With --url it loads a service already running (e.g. "
            + "pinned to one core with taskset) and runs the direct calls against --dsn (or the topology's node), which "
            + "should be the service's database.",
            footer = {"",
                "The service on core 0, the load and the baseline on core 1:",
                "  taskset -c 0 jbang scripts/Maintain.java serve --port 3001 --token-file ~/.partition-lab-token &",
                "  taskset -c 1 jbang scripts/Maintain.java bench-api --url http://127.0.0.1:3001 --token-file ~/.partition-lab-token",
                "",
                "Exit: 0 every request answered 200, 1 a request failed or was refused,",
                "2 bad input (nothing run)."})
    static final class BenchApi implements Callable<Integer> {
        @Mixin Cli.Target target;
        @Mixin Cli.Output output;
        @Mixin Cli.ProgressOption progress;
        @Option(names = "--requests", paramLabel = "N", defaultValue = "1000",
                description = "Timed requests per endpoint, way and run, 1 to 1,000,000. Default: ${DEFAULT-VALUE}.")
        int requests;
        @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
                description = "Clients sending at once, 1 to 256 (at most --requests). Default: ${DEFAULT-VALUE}.")
        int concurrency;
        @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
                description = "Untimed requests per endpoint and way first, 0 to 1,000,000. Default: ${DEFAULT-VALUE}.")
        int warmup;
        @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
                description = "Runs, 1 to 100 (the summary shows the median run). Default: ${DEFAULT-VALUE}.")
        int runs;
        @Option(names = "--url", paramLabel = "URL",
                description = "A running service's address, e.g. http://127.0.0.1:3001 (default: start one in this process).")
        String url;
        @Mixin TokenOptions tokenOptions;

        @Override
        public Integer call() {
            tokenOptions.refuseCommandLine();
            var options = new ApiBench.Options(requests, concurrency, warmup, runs);
            java.net.URI given = url == null ? null : ApiBench.serviceUrl(url);
            if (given == null && tokenOptions.tokenFile != null) {
                throw new BadInput("--token-file goes with --url: the service started here makes its own token");
            }
            // every input checked before anything connects
            ServiceToken serviceToken = given == null ? null : tokenOptions.token();
            Node node = target.node("partitioned");
            ApiBench.Report report;
            if (given != null) {
                ServiceToken token = serviceToken;
                report = ApiBench.measure(node, given, token, "the service at " + given, options, progress.mode(),
                        java.util.List.of("the service at " + given + " (token from " + token.source() + "), the direct calls on "
                                + node.dsn() + " in this process"));
            } else {
                String prepared = ApiBench.prepare(node);
                ServiceToken token = ServiceToken.of(ServiceToken.random());
                var serviceOptions = MaintenanceService.Options.of(token).withPort(0)
                        .withSchedule(DailySchedule.off("a benchmark: no daily run"))
                        .withLog(line -> { }); // the access log: not what is measured here (serve prints it)
                try (var service = MaintenanceService.start(node, serviceOptions)) {
                    report = ApiBench.measure(node, service.url(), token, "the service in this process", options,
                            progress.mode(), java.util.List.of(prepared, "the service started in this process at " + service.url()
                                    + " (access log off), sharing its cores with the load: for a service on its own core, --url"));
                }
            }
            output.print(report.summary());
            output.print(report.runs());
            report.notes().forEach(output::note);
            output.note(String.format(java.util.Locale.ROOT, "health answers %d tables, list %d partitions; the service's health also "
                    + "asks the server's date, and both write JSON, check the token and log each request: the direct calls do none of it",
                    report.tables(), report.partitions()));
            report.failures().forEach(output::error);
            output.verdict(report.allOk() ? "every request answered 200" : "some requests failed: see the errors");
            return report.allOk() ? Cli.OK : Cli.FAILURE;
        }
    }
}
