///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.EventGenerator;
import lab.LoadSimulator;
import lab.Progress;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "Load", sortOptions = false,
        description = "Simulates an application writing to the partition-types tables (app.event_logs, "
                + "app.users_distributed, app.orders_by_region, app.sales_data), one INSERT at a time, while you "
                + "re-partition them. Creates and partitions the tables first if they are missing. "
                + "Shows live counts per table on stderr (redrawn every second on a terminal, a line every 5 seconds "
                + "elsewhere, none with --no-progress), and the first failed insert of each table as it happens (one line); "
                + "at the end (--duration-s, Ctrl+C, or --max-consecutive-failures inserts failed in a row) prints rows "
                + "written and errors per table, and checks that every row it reported written is in its table.",
        footer = {"",
            "Example (an insert every 100 ms for a minute, mostly events):",
            "  jbang scripts/Load.java --duration-s 60 \\",
            "      --mix events=70,users=10,orders=10,sales=10",
            "",
            "Failed inserts (a table being re-partitioned, say) are counted per table,",
            "the first of each table printed on stderr, and the load goes on; after",
            "--max-consecutive-failures in a row (the server gone, say) it stops with",
            "the summary of what was written. Ctrl+C stops it and prints the summary,",
            "then checks the rows; a second Ctrl+C (or one before the load started)",
            "quits at once with the one-line summary (exit 130).",
            "",
            "Exit: 0 done (after Ctrl+C too) and every row it reported written is",
            "there, 1 a row is missing, the rows could not be checked (the server",
            "gone), it stopped after failing inserts in a row, or it could not start,",
            "2 bad input (nothing written), 130 quit at once (a second Ctrl+C)."})
public class Load implements Callable<Integer> {
    /** How often the live counts are redrawn on a terminal, and written as a line elsewhere. */
    private static final Duration TERMINAL_REFRESH = Duration.ofSeconds(1);
    private static final Duration LOG_REFRESH = Duration.ofSeconds(5);
    /** How soon the end of a --duration-s run is noticed. */
    private static final long TICK_MILLIS = 100;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "" + LoadSimulator.DEFAULT_INTERVAL_MS,
            description = "Pause between two inserts, 0 for as fast as one connection goes. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Option(names = "--duration-s", paramLabel = "S",
            description = "Stop after this many seconds, at most 31536000 (365 days; more is bad input). Default: run until Ctrl+C.")
    Long durationS;

    @Option(names = "--max-consecutive-failures", paramLabel = "N", defaultValue = "" + LoadSimulator.DEFAULT_MAX_CONSECUTIVE_FAILURES,
            description = "Stop after this many inserts failed in a row (the server gone, say), with the summary of what was "
                    + "written, and exit 1. Default: ${DEFAULT-VALUE}.")
    int maxConsecutiveFailures;

    @Option(names = "--mix", paramLabel = "MIX", defaultValue = LoadSimulator.DEFAULT_MIX,
            description = "Which tables get the inserts, as TABLE=WEIGHT,...: events (app.event_logs), users "
                    + "(app.users_distributed), orders (app.orders_by_region), sales (app.sales_data), readings (app.readings, "
                    + "the advisor's time series: never created here, it must exist); tables left out get none. Default: ${DEFAULT-VALUE}.")
    String mix;

    @Option(names = "--seed", paramLabel = "N",
            description = "Same seed, same sequence of tables (the rows' values are drawn by the server). Default: a "
                    + "random one, reported at the end.")
    Long seed;

    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    public static void main(String... args) {
        Cli.exit(new Load(), args);
    }

    /** The load once started, for Ctrl+C and the exit hook; the summary is printed once, by whoever gets there first. */
    private volatile LoadSimulator load;
    private final AtomicBoolean summarized = new AtomicBoolean();

    @Override
    public Integer call() throws InterruptedException {
        // every option checked before anything touches a server: bad input writes nothing
        var options = new LoadSimulator.Options(Duration.ofMillis(intervalMs),
                durationS == null ? null : Duration.ofSeconds(durationS), LoadSimulator.parseMix(mix),
                seed != null ? seed : EventGenerator.randomSeed(), maxConsecutiveFailures);
        var node = target.node("partitioned");

        CountDownLatch interrupted = stopOnCtrlC();
        LoadSimulator.Summary summary;
        try (var started = LoadSimulator.start(node, options)) {
            load = started;
            Runtime.getRuntime().addShutdownHook(new Thread(this::summaryAtExit, "load-summary-at-exit"));
            var status = new StatusLine(progress.mode(), System.err);
            var firstErrors = new FirstErrors(status);
            while (started.running() && !interrupted.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                status.show(started.snapshot());
                firstErrors.show(started.firstErrors());
            }
            summary = started.stop();
            status.end(summary);
            firstErrors.show(started.firstErrors());
            if (!summarized.compareAndSet(false, true)) return 130; // quit meanwhile: the exit hook printed the summary
            output.note(summary.toString());
            String stopped = started.stoppedBecause();
            if (stopped != null) output.note(stopped);
            LoadSimulator.Verification verification;
            try {
                verification = checked(node, started);
            } catch (RuntimeException | SQLException unchecked) {
                // the server gone: what was written is told, and that it could not be looked up
                output.print(summary.toTable());
                output.note("could not check the rows written: " + oneLine(unchecked));
                return Cli.FAILURE;
            }
            output.print(summary.toTable(verification));
            output.verdict(verification.verdict());
            return verification.everyRowPresent() && stopped == null ? Cli.OK : Cli.FAILURE;
        }
    }

    /** Looks every row up, after asking the server once (a dead one answers at once, a pool would wait for it). */
    private static LoadSimulator.Verification checked(lab.Node node, LoadSimulator load) throws SQLException {
        try (var reachable = node.dsn().open()) {
            return load.verify();
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return message.startsWith("ERROR: ") ? message.substring(7) : message;
    }

    /**
     * At exit before the summary was printed (a second Ctrl+C, SIGTERM): stops the writer and prints the one-line
     * summary of what it wrote, unchecked, so that no way of stopping a started load says nothing.
     */
    private void summaryAtExit() {
        if (!summarized.compareAndSet(false, true)) return;
        System.out.println(load.stop() + " (interrupted: the rows were not checked)");
        System.out.flush();
    }

    /**
     * Ctrl+C asks the load to stop, so it still prints its summary and checks the rows (the JVM's default would exit 130
     * with nothing printed). A second Ctrl+C, or one before the load started (tables being prepared), quits at once:
     * exit 130, the exit hook printing what was written. Someone who will not wait is not made to.
     */
    private CountDownLatch stopOnCtrlC() {
        CountDownLatch interrupted = new CountDownLatch(1);
        try {
            Signal.handle(new Signal("INT"), signal -> {
                if (load == null) {
                    System.out.println("interrupted before the load started: nothing written");
                    System.out.flush();
                    System.exit(130);
                }
                if (interrupted.getCount() == 0) System.exit(130);
                interrupted.countDown();
            });
        } catch (IllegalArgumentException e) {
            // no SIGINT to catch here (java -Xrs): Ctrl+C ends the JVM the ordinary way, and the exit hook still reports
        }
        return interrupted;
    }

    /** Each table's first failed insert, once, as a line on stderr (with --no-progress too: it is the cause of what follows). */
    static final class FirstErrors {
        private final StatusLine status;
        private final java.util.Set<LoadSimulator.Target> shown = java.util.EnumSet.noneOf(LoadSimulator.Target.class);

        FirstErrors(StatusLine status) {
            this.status = status;
        }

        void show(java.util.Map<LoadSimulator.Target, String> firstErrors) {
            firstErrors.forEach((target, error) -> {
                if (shown.add(target)) status.message("first failed insert into " + target.table() + ": " + error);
            });
        }
    }

    /**
     * The live counts on stderr: redrawn in place every second on a terminal; a plain line every 5 seconds elsewhere
     * (carriage returns would garble a log); nothing with --no-progress. Live counts are what this runbook is for, so
     * unlike a progress bar they show by default off a terminal too.
     */
    static final class StatusLine {
        private final PrintStream err;
        private final boolean redraw;
        private final long everyNanos; // 0: silent
        private long nextAt;
        private int width;

        StatusLine(Progress.Mode mode, PrintStream err) {
            this.err = err;
            this.redraw = System.console() != null;
            boolean shown = mode != Progress.Mode.OFF;
            this.everyNanos = !shown ? 0 : (redraw ? TERMINAL_REFRESH : LOG_REFRESH).toNanos();
            this.nextAt = System.nanoTime() + everyNanos;
        }

        void show(LoadSimulator.Summary snapshot) {
            if (everyNanos == 0 || System.nanoTime() < nextAt) return;
            nextAt += everyNanos;
            print(snapshot.statusLine());
        }

        /** The final counts; on a terminal also ends the redrawn line, so the summary starts on a line of its own. */
        void end(LoadSimulator.Summary summary) {
            if (everyNanos == 0 || !redraw) return;
            print(summary.statusLine());
            err.println();
            err.flush();
        }

        /** A line of its own, between redraws of the live counts. */
        void message(String line) {
            if (redraw && width > 0) err.print("\r" + " ".repeat(width) + "\r");
            width = 0;
            err.println(line);
            err.flush();
        }

        private void print(String line) {
            if (redraw) {
                err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                width = line.length();
            } else {
                err.println(line);
            }
            err.flush();
        }
    }
}
