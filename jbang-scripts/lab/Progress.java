package lab;

import java.io.PrintStream;
import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on stderr, in a form that suits where it shows: a redrawn bar on a terminal, a plain
 * line every few seconds in a log (a bar's carriage returns would garble CI output), nothing when not wanted.
 * Safe to step from several threads.
 */
public final class Progress implements AutoCloseable {
    /** AUTO: a bar on a terminal, else silent. ON: a bar on a terminal, else log lines. OFF: silent. */
    public enum Mode { AUTO, ON, OFF }

    private static final int LOG_INTERVAL_MILLIS = 5_000;
    private static final int LOG_LINE_WIDTH = 100;

    private final ProgressBar bar; // null when silent

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param unit what is counted, e.g. "rows"; for totals of 10,000 or more the counts and the speed show in thousands
     */
    public static Progress start(String task, long total, String unit, Mode mode) {
        boolean terminal = System.console() != null;
        if (mode == Mode.OFF || mode == Mode.AUTO && !terminal) return new Progress(null);
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(total >= 10_000 ? "k " + unit : " " + unit, total >= 10_000 ? 1000 : 1)
                .showSpeed();
        if (!terminal) {
            builder.setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(LOG_INTERVAL_MILLIS)
                    .setConsumer(new DelegatingProgressBarConsumer(new LogLines(System.err), LOG_LINE_WIDTH));
        }
        return new Progress(builder.build());
    }

    public void step(long done) {
        if (bar != null) bar.stepBy(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }

    /** One line per update; the bar renders its final state twice on close, a log needs it once. */
    private static final class LogLines implements Consumer<String> {
        private final PrintStream out;
        private String last;

        LogLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void accept(String line) {
            if (!line.equals(last)) out.println(line);
            last = line;
        }
    }
}
