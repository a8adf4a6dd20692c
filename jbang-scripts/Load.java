///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.Cli;
import lab.EventGenerator;
import lab.LoadSimulator;
import lab.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "Load", sortOptions = false,
        description = "Simulates an application writing to the partition-types tables (app.event_logs, "
                + "app.users_distributed, app.orders_by_region, app.sales_data), one INSERT at a time, while you "
                + "re-partition them. Creates and partitions the tables first if they are missing. "
                + "Shows live counts per table on stderr (redrawn every second on a terminal, a line every 5 seconds "
                + "elsewhere, none with --no-progress); at the end (--duration-s or Ctrl+C) prints rows written and "
                + "errors per table, and checks that every row it reported written is in its table.",
        footer = {"",
            "Example (an insert every 100 ms for a minute, mostly events):",
            "  jbang scripts/Load.java --duration-s 60 \\",
            "      --mix events=70,users=10,orders=10,sales=10",
            "",
            "Failed inserts (a table being re-partitioned, say) are counted per table",
            "and the load goes on. Ctrl+C stops it and prints the summary; a second",
            "Ctrl+C quits at once (exit 130).",
            "",
            "Exit: 0 done (after Ctrl+C too), 1 a row it reported written is missing",
            "or the load could not start, 2 bad input (nothing written)."})
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
            description = "Stop after this many seconds. Default: run until Ctrl+C.")
    Long durationS;

    @Option(names = "--mix", paramLabel = "MIX", defaultValue = LoadSimulator.DEFAULT_MIX,
            description = "Which tables get the inserts, as TABLE=WEIGHT,...: events (app.event_logs), users "
                    + "(app.users_distributed), orders (app.orders_by_region), sales (app.sales_data); tables left out "
                    + "get none. Default: ${DEFAULT-VALUE}.")
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

    @Override
    public Integer call() throws InterruptedException {
        // every option checked before anything touches a server: bad input writes nothing
        var options = new LoadSimulator.Options(Duration.ofMillis(intervalMs),
                durationS == null ? null : Duration.ofSeconds(durationS), LoadSimulator.parseMix(mix),
                seed != null ? seed : EventGenerator.randomSeed());
        var node = target.node("partitioned");

        CountDownLatch interrupted = stopOnCtrlC();
        LoadSimulator.Summary summary;
        LoadSimulator.Verification verification;
        try (var load = LoadSimulator.start(node, options)) {
            var status = new StatusLine(progress.mode(), System.err);
            while (load.running() && !interrupted.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) status.show(load.snapshot());
            summary = load.stop();
            status.end(summary);
            verification = load.verify();
        }
        output.note(summary.toString());
        output.print(summary.toTable(verification));
        output.verdict(verification.verdict());
        return verification.everyRowPresent() ? Cli.OK : Cli.FAILURE;
    }

    /**
     * Ctrl+C asks the load to stop, so it still prints its summary and exits 0 (the JVM's default would exit 130 with
     * nothing printed). Installed before the tables are prepared: a Ctrl+C meanwhile stops the load as soon as it starts.
     * A second Ctrl+C is someone who will not wait for the end (a verification held up by a lock, say).
     */
    private static CountDownLatch stopOnCtrlC() {
        CountDownLatch interrupted = new CountDownLatch(1);
        try {
            Signal.handle(new Signal("INT"), signal -> {
                if (interrupted.getCount() == 0) System.exit(130);
                interrupted.countDown();
            });
        } catch (IllegalArgumentException e) {
            // no SIGINT to catch here (java -Xrs): Ctrl+C ends the JVM the ordinary way
        }
        return interrupted;
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
