package lab;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a step that needs a strong lock on a live table may wait for it: each attempt waits at most
 * {@code lockTimeout} (PostgreSQL's {@code lock_timeout}), so that readers and writers queued behind the request wait
 * no longer than that; attempts repeat, with backoff and jitter, until {@code budget} is spent; then the step gives
 * up, changes nothing and names the session in its way ({@link LockGiveUp}). The SQL does the waiting
 * ({@code online.lock_relations}, sql/online); this class only carries the two numbers there, as the custom
 * settings {@code online.lock_timeout_ms} and {@code online.lock_budget_ms}.
 */
public record LockDiscipline(Duration lockTimeout, Duration budget) {
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofHours(24);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)?");

    public LockDiscipline {
        if (lockTimeout != null && !lockTimeout.isZero()) requireInRange("--lock-timeout", lockTimeout);
        if (budget != null) requireInRange("--lock-budget", budget);
        if (lockTimeout != null && budget != null && budget.compareTo(lockTimeout) < 0) {
            throw new BadInput("--lock-budget " + format(budget) + " is shorter than --lock-timeout " + format(lockTimeout)
                    + ": the budget must allow at least one attempt");
        }
    }

    /** The lab's defaults: 100 ms an attempt, 30 s in all. */
    public static LockDiscipline defaults() {
        return new LockDiscipline(DEFAULT_LOCK_TIMEOUT, DEFAULT_BUDGET);
    }

    /**
     * What the caller gave, nothing else: a null leaves that number to the table's configuration (the partition
     * manager's {@code lock_timeout_ms}) or to the SQL's default.
     */
    public static LockDiscipline of(Duration lockTimeout, Duration budget) {
        return new LockDiscipline(lockTimeout, budget);
    }

    /**
     * No lock_timeout at all: a step waits for its lock as long as it takes, and everyone who asks for the table after
     * it queues behind it meanwhile. PostgreSQL's default, and what the lessons measure to show why the lab never does it.
     */
    public static LockDiscipline unbounded() {
        return new LockDiscipline(Duration.ZERO, DEFAULT_BUDGET);
    }

    public boolean bounded() {
        return lockTimeout == null || !lockTimeout.isZero();
    }

    public LockDiscipline withLockTimeout(Duration timeout) {
        return new LockDiscipline(timeout, budget);
    }

    public LockDiscipline withBudget(Duration newBudget) {
        return new LockDiscipline(lockTimeout, newBudget);
    }

    /** The custom settings a file of sql/ reads the discipline from; a number not given is left out. */
    public Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        if (lockTimeout != null) settings.put("online.lock_timeout_ms", Long.toString(lockTimeout.toMillis()));
        if (budget != null) settings.put("online.lock_budget_ms", Long.toString(budget.toMillis()));
        return settings;
    }

    /** {@code 100ms}, {@code 2s}, {@code 1min}, {@code 1h}, or a bare number of milliseconds; 0 only for a timeout. */
    public static Duration parse(String text, String option) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadInput(option + " '" + text + "' is not a duration: use e.g. 100ms, 2s or 1min");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d = switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        };
        if (!(d.isZero() && option.equals("--lock-timeout"))) requireInRange(option, d);
        return d;
    }

    private static void requireInRange(String option, Duration d) {
        if (d.isNegative() || d.isZero() || d.compareTo(MAX) > 0) {
            throw new BadInput(option + " must be more than 0 and at most 24h, not " + format(d));
        }
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return "lock_timeout " + (lockTimeout == null ? "as configured" : lockTimeout.isZero() ? "none" : format(lockTimeout)) + ", budget "
                + (budget == null ? "as configured" : format(budget));
    }
}
