package lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The partition manager of lesson 06 and {@code jbang scripts/Maintain.java}: config-driven maintenance of monthly
 * RANGE-partitioned tables, by the functions of {@code sql/maintenance} (schema {@code maintenance}).
 *
 * <pre>{@code
 * var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-07-15"))    // "today", for rehearsals
 *         .withTimeTravel();                                                   // and allowed to act as of that day
 * manager.install();
 * var lines = manager.run(null, false, Progress.Mode.OFF);                      // every enabled table; retention dry
 * Claim.that("every table healthy", PartitionManager.healthy(manager.health(null)));
 * }</pre>
 *
 * Every action comes back as a line (table, action, partition, rows, duration_ms, detail, and for a step that changed
 * a live table its exclusive window: window_rows, window_ms, lock_attempts): one table shape for all of them, so that
 * a run's report is their concatenation. Every change to a live table follows the lab's lock discipline (each lock
 * under lock_timeout, retried within a budget: {@link #withDiscipline}, else the table's configuration): months whose
 * rows wait in the DEFAULT are rescued by an {@link OnlineSwap} of the DEFAULT, empty months are created standalone and
 * ATTACHed in one window, retention drops or detaches in one window per table. A lock not got within its budget is a
 * {@link LockGiveUp} naming the session in the way; that step changed nothing. A table name or a month the SQL refuses
 * (SQLSTATE 22023) becomes a {@link BadInput}; nothing has changed then. VACUUM and ANALYZE run here, one statement per
 * relation the SQL lists, because VACUUM cannot run inside a function.
 *
 * <p>Time is a parameter ({@link #asOf}), and a dangerous one: a "today" that is not the server's date
 * ({@code current_date}) only plans ({@link #rehearsal()}: run, createMissing and an applied retention return what
 * they would do and change nothing) unless time travel is allowed ({@link #withTimeTravel()}, the runbook's
 * {@code --allow-time-travel}). Even then the SQL never retires a partition whose range reaches the server's own date
 * ({@code maintenance.current_day}). Every day and month must lie in {@link #EARLIEST_DAY} to {@link #LATEST_DAY}, a
 * create spans at most {@link #MAX_CREATE_MONTHS} months, a retention is 1 to {@link #MAX_RETENTION_MONTHS} months:
 * anything else is a {@link BadInput}, refused before anything touches the server.
 */
public final class PartitionManager {
    /** The switch the daily run honours: {@code ENABLE_PARTITION_MAINTENANCE=false} makes {@code run} do nothing. */
    public static final String ENABLE_SWITCH = "ENABLE_PARTITION_MAINTENANCE";

    /**
     * The switch as set (environment, .env or system property; unset: true): true or false, in any case, else a
     * {@link BadInput}.
     */
    public static boolean maintenanceEnabled() {
        String enabled = Settings.get(ENABLE_SWITCH, "true").strip().toLowerCase(java.util.Locale.ROOT);
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new BadInput(ENABLE_SWITCH + " must be true or false, not '" + enabled + "'");
        }
        return enabled.equals("true");
    }
    /** The dates the manager accepts, for today and for months (sql/maintenance/checked_day.sql says the same). */
    public static final LocalDate EARLIEST_DAY = LocalDate.of(2000, 1, 1);
    public static final LocalDate LATEST_DAY = LocalDate.of(2100, 12, 31);
    /** The most months one create makes (sql/maintenance/months_between.sql): 20 years. */
    public static final int MAX_CREATE_MONTHS = 240;
    /** The longest retention (sql/maintenance/checked_retention.sql): 100 years. */
    public static final int MAX_RETENTION_MONTHS = 1200;

    private final Node node;
    private final LocalDate today; // null: the server's date
    private final boolean timeTravel;
    private final LockDiscipline discipline;
    private final Duration holdWindow;
    private final String trigger; // who starts the runs this manager records: cli, api, schedule

    private PartitionManager(Node node, LocalDate today, boolean timeTravel, LockDiscipline discipline, Duration holdWindow,
                             String trigger) {
        this.node = node;
        this.today = today;
        this.timeTravel = timeTravel;
        this.discipline = discipline;
        this.holdWindow = holdWindow;
        this.trigger = trigger;
    }

    /** The manager on a node, as of the server's date, with each table's lock discipline as configured. */
    public static PartitionManager on(Node node) {
        return new PartitionManager(node, null, false, LockDiscipline.of(null, null), null, "cli");
    }

    /**
     * The same manager as if today were another day: how a rehearsal looks ahead. A day that is not the server's
     * date only plans ({@link #rehearsal()}) until {@link #withTimeTravel()}. A day outside {@link #EARLIEST_DAY} to
     * {@link #LATEST_DAY} is a {@link BadInput}.
     */
    public PartitionManager asOf(LocalDate day) {
        requireDay(day, "today");
        return new PartitionManager(node, day, timeTravel, discipline, holdWindow, trigger);
    }

    /**
     * The same manager allowed to change tables as of a day that is not the server's date: how a lesson fast-forwards
     * time. Retention still never retires a partition whose range reaches the server's own date (the SQL refuses).
     */
    public PartitionManager withTimeTravel() {
        return new PartitionManager(node, today, true, discipline, holdWindow, trigger);
    }

    /** The node this manager works on. */
    public Node node() {
        return node;
    }

    /** The server's date (its current_date). */
    public LocalDate serverToday() {
        return LocalDate.parse(command("server_today", null).lastTable().get(0, 0).toString());
    }

    /** The day this manager works as of: the one given to {@link #asOf}, else the server's date. */
    public LocalDate today() {
        return today == null ? serverToday() : today;
    }

    /**
     * This manager only plans: its day is not the server's date and time travel was not allowed. Then run,
     * createMissing and an applied retention say what they would do ("would create", "would drop", ...) and change
     * nothing.
     */
    public boolean rehearsal() {
        return !timeTravel && today != null && !today.equals(serverToday());
    }

    /** A day in the window the manager accepts, else a {@link BadInput} naming it (what: the option, e.g. --today). */
    public static LocalDate requireDay(LocalDate day, String what) {
        if (day != null && (day.isBefore(EARLIEST_DAY) || day.isAfter(LATEST_DAY))) {
            throw new BadInput(what + " " + day + " is outside the dates the partition manager accepts: " + EARLIEST_DAY + " to " + LATEST_DAY);
        }
        return day;
    }

    /** A month in the window the manager accepts, else a {@link BadInput} naming it. */
    public static YearMonth requireMonth(YearMonth month, String what) {
        if (month != null && (month.isBefore(YearMonth.from(EARLIEST_DAY)) || month.isAfter(YearMonth.from(LATEST_DAY)))) {
            throw new BadInput(what + " " + month + " is outside the months the partition manager accepts: "
                    + YearMonth.from(EARLIEST_DAY) + " to " + YearMonth.from(LATEST_DAY));
        }
        return month;
    }

    /** A retention of 1 to {@link #MAX_RETENTION_MONTHS} months (null: as configured), else a {@link BadInput}. */
    public static Integer requireRetention(Integer months, String what) {
        if (months != null && months < 1) {
            throw new BadInput("a retention of " + months + " months would drop current data: use 1 to " + MAX_RETENTION_MONTHS + " (" + what + ")");
        }
        if (months != null && months > MAX_RETENTION_MONTHS) {
            throw new BadInput("a retention of " + months + " months is more than the manager accepts: use 1 to " + MAX_RETENTION_MONTHS
                    + ", 100 years (" + what + ")");
        }
        return months;
    }

    /** Months created ahead: 0 to 120 (null: as configured), else a {@link BadInput}. */
    public static Integer requireAhead(Integer months, String what) {
        if (months != null && (months < 0 || months > 120)) throw new BadInput(what + " must be 0 to 120 months, not " + months);
        return months;
    }

    /**
     * The same manager with this lock discipline for every table (the runbook's {@code --lock-timeout} and
     * {@code --lock-budget}); a number left null stays the table's configuration ({@code lock_timeout_ms},
     * {@code lock_budget_ms}).
     */
    public PartitionManager withDiscipline(LockDiscipline given) {
        return new PartitionManager(node, today, timeTravel, given, holdWindow, trigger);
    }

    /** The same manager whose exclusive windows linger this long before they commit: for a lesson to look at pg_locks. */
    public PartitionManager withHoldWindow(Duration hold) {
        return new PartitionManager(node, today, timeTravel, discipline, hold, trigger);
    }

    /**
     * The same manager whose runs go into the lock records ({@link #locked(boolean, String, String, Supplier)}) as
     * started by this trigger: {@code cli} (the default), {@code api}, {@code schedule}. A word of lower-case letters
     * and underscores, else a {@link BadInput}.
     */
    public PartitionManager triggeredBy(String trigger) {
        if (trigger == null || !trigger.matches("[a-z][a-z_]{0,31}")) {
            throw new BadInput("a run's trigger is a lower-case word such as cli, api or schedule, not '" + trigger + "'");
        }
        return new PartitionManager(node, today, timeTravel, discipline, holdWindow, trigger);
    }

    public boolean installed() {
        return Boolean.TRUE.equals(command("installed", null).lastTable().get(0, 0));
    }

    /**
     * Installs (or updates) schemas online and maintenance from {@code sql/maintenance/install.sql}; keeps an existing
     * configuration.
     */
    public Table install() {
        long started = System.nanoTime();
        node.run("maintenance/install.sql");
        Table lines = actions();
        add(lines, null, "install", "maintenance", null, millisSince(started), "schemas online and maintenance: configuration kept, functions replaced");
        return lines;
    }

    /** What {@link #uninstall()} would remove, and the partitions it keeps. Changes nothing. */
    public Table uninstallPlan() {
        requireInstalled();
        return command("uninstall_plan", null).lastTable().setName("uninstall (dry run)");
    }

    /** Drops schema maintenance (configuration, metadata, functions); every partition and row stays. */
    public Table uninstall() {
        Table plan = uninstallPlan().setName("uninstalled");
        node.run("maintenance/uninstall.sql");
        return plan;
    }

    /** The configuration of every managed table, or of the one named. */
    public Table config(String table) {
        return command("config", settings(table)).lastTable().setName("maintenance.partition_config");
    }

    /** Changes retention, months ahead or enabled for one table; null leaves a value as it is. */
    public Table setConfig(String table, Integer retentionMonths, Integer premakeMonths, Boolean enabled) {
        return setConfig(table, retentionMonths, premakeMonths, enabled, LockDiscipline.of(null, null));
    }

    /**
     * Changes retention, months ahead, enabled, or the lock discipline of the table's exclusive steps (its
     * lock_timeout_ms and lock_budget_ms); null leaves a value as it is.
     */
    public Table setConfig(String table, Integer retentionMonths, Integer premakeMonths, Boolean enabled, LockDiscipline locks) {
        if (table == null) throw new BadInput("say which table to configure: --table");
        requireRetention(retentionMonths, "retention");
        requireAhead(premakeMonths, "months ahead");
        Map<String, String> settings = settings(table);
        if (retentionMonths != null) settings.put("lab.retention_months", retentionMonths.toString());
        if (premakeMonths != null) settings.put("lab.premake_months", premakeMonths.toString());
        if (enabled != null) settings.put("lab.enabled", enabled.toString());
        if (locks.lockTimeout() != null) settings.put("lab.lock_timeout_ms", Long.toString(locks.lockTimeout().toMillis()));
        if (locks.budget() != null) settings.put("lab.lock_budget_ms", Long.toString(locks.budget().toMillis()));
        return command("set_config", settings).lastTable().setName("maintenance.partition_config");
    }

    /**
     * One row per table: partitions, size, months, and its status: HEALTHY, CLEANUP_NEEDED, NO_PARTITIONS,
     * MISSING_FUTURE, DEFAULT_HAS_ROWS or TABLE_MISSING (maintenance.partition_health_summary).
     */
    public Table health(String table) {
        return command("health", settings(table)).lastTable().setName("partition health as of " + today());
    }

    /** Every table's status is HEALTHY (and there is at least one table). */
    public static boolean healthy(Table health) {
        return health.rowCount() > 0 && health.stringColumn("status").asList().stream().allMatch("HEALTHY"::equals);
    }

    public Table list(String table) {
        return command("list", settings(table)).lastTable().setName("partitions");
    }

    /** Every check for every table: ok, the number of problems, and what they are. */
    public Table validate(String table) {
        return command("validate", settings(table)).lastTable().setName("validation as of " + today());
    }

    public static boolean valid(Table validation) {
        return validation.rowCount() > 0 && validation.booleanColumn("ok").asList().stream().allMatch(Boolean.TRUE::equals);
    }

    /**
     * The partitions of one table for a range of months, both included ({@code CALL maintenance.create_partitions}).
     * Rows of those months waiting in the DEFAULT are rescued by one online swap of the DEFAULT; the empty months are
     * created standalone and attached in one window. A step that fails is an {@code error} line.
     */
    public Table create(String table, YearMonth from, YearMonth to) {
        if (table == null) throw new BadInput("say which table: --table");
        requireMonthRange(from, to);
        Map<String, String> settings = settings(table);
        settings.put("lab.from_month", from.toString());
        settings.put("lab.to_month", to.toString());
        return said("create", settings).setName("partitions created for " + from + " to " + to);
    }

    /**
     * A range of months runs forwards, within the months the manager accepts, and spans at most
     * {@link #MAX_CREATE_MONTHS}: checked before anything touches a server.
     */
    public static void requireMonthRange(YearMonth from, YearMonth to) {
        requireMonth(from, "--from");
        requireMonth(to, "--to");
        if (from.isAfter(to)) throw new BadInput("--from " + from + " is after --to " + to);
        long months = from.until(to, java.time.temporal.ChronoUnit.MONTHS) + 1;
        if (months > MAX_CREATE_MONTHS) {
            throw new BadInput("--from " + from + " --to " + to + " is " + months + " months: at most " + MAX_CREATE_MONTHS
                    + " (20 years) at once");
        }
    }

    /**
     * Every missing month from the oldest partition or the oldest row waiting in the DEFAULT (not before the
     * retention cutoff) to the months ahead, for every enabled table (or the one named); waiting rows rescued
     * ({@code CALL maintenance.create_missing_partitions}).
     */
    public Table createMissing(String table) {
        if (rehearsal()) return lines("create_missing_plan", settings(table), "missing partitions as of " + today + " (dry run: not the server's date)");
        return said("create_missing", settings(table)).setName("missing partitions created as of " + today());
    }

    /**
     * Partitions past retention: with {@code apply} false a dry run ("would drop", exact row counts), else dropped,
     * detached or archived as configured, one short exclusive window per partition ({@code CALL
     * maintenance.apply_retention}). {@code retentionMonths} overrides the configuration (null: as configured; 1 to
     * {@link #MAX_RETENTION_MONTHS}, else a {@link BadInput}). A {@link #rehearsal()} is a dry run, applied or not.
     */
    public Table retention(String table, boolean apply, Integer retentionMonths) {
        requireRetention(retentionMonths, "--months");
        Map<String, String> settings = settings(table);
        if (retentionMonths != null) settings.put("lab.retention_months", retentionMonths.toString());
        boolean planOnly = apply && rehearsal();
        apply = apply && !planOnly;
        String title = "retention as of " + today() + (apply ? "" : planOnly ? " (dry run: not the server's date)" : " (dry run)");
        return (apply ? said("apply_retention", settings) : lines("retention", settings, title)).setName(title);
    }

    /** ANALYZE, one relation at a time: every partition then the parent, or (staleOnly) what changed since. */
    public Table analyze(String table, boolean staleOnly, Progress.Mode progress) {
        Map<String, String> settings = settings(table);
        settings.put("lab.stale_only", Boolean.toString(staleOnly));
        Table targets = command("targets", settings).lastTable();
        return each(targets, "analyze", progress, relation -> "ANALYZE " + relation).setName(staleOnly ? "stale partitions analyzed" : "analyzed");
    }

    /** VACUUM (or VACUUM FULL, which rewrites each partition under an exclusive lock) of every partition. */
    public Table vacuum(String table, boolean full, Progress.Mode progress) {
        Table targets = command("targets", settings(table)).lastTable();
        // VACUUM on the parent would only process every partition a second time
        targets = targets.where(targets.booleanColumn("is_parent").isFalse());
        return each(targets, full ? "vacuum full" : "vacuum", progress, relation -> (full ? "VACUUM (FULL) " : "VACUUM ") + relation)
                .setName(full ? "vacuumed (full)" : "vacuumed");
    }

    /**
     * The daily job for every enabled table (or the one named): {@code CALL maintenance.run_maintenance_proc}, the
     * same procedure psql and pg_cron call, one step per transaction. Each table's plan is read from the catalogs
     * ({@code maintenance.daily_plan}); a table with nothing to do costs that and nothing else. For the others: rows
     * waiting in the DEFAULT rescued (one online swap), the missing months created (one window), retention (applied
     * only with {@code apply}; one window), ANALYZE of only what changed ({@code maintenance.analyze_after}), the
     * metadata of the partitions that changed. A step that fails (a lock not got within its budget, naming the session
     * in the way) is an {@code error} line and changed nothing: the rest of that table waits for the next run, the
     * other tables go on. Hold the lock around it ({@link #locked(boolean, String, String, Supplier)}; the procedure,
     * told so, neither takes it again nor records the run a second time).
     */
    public Table run(String table, boolean apply, Progress.Mode progress) {
        Map<String, String> settings = settings(table);
        if (rehearsal()) return lines("plan", settings, "maintenance run as of " + today + " (dry run: not the server's date)");
        settings.put("lab.apply", Boolean.toString(apply));
        try (var bar = Progress.start("maintenance", 1, "runs", progress)) {
            Table lines = said("run", settings);
            bar.step(1);
            return lines.setName("maintenance run as of " + today() + (apply ? "" : " (retention: dry run)"));
        }
    }

    /**
     * What the daily run would do today for every enabled table (or the one named), changing nothing: no lock, no run
     * id, no line in the run log ({@code maintenance.daily_plan}). The service's dry run of {@code maintenance}.
     */
    public Table plan(String table) {
        return lines("plan", settings(table), "maintenance plan as of " + today() + " (dry run)");
    }

    /**
     * CALLs one of the procedures (commands/{@code name}.sql, one session: a new run id, the CALL, the lines it said
     * under that id in maintenance.run_log). A step that failed is an {@code error} line among them; a call refused
     * before anything happened (an unknown table, a malformed month) is a {@link BadInput}.
     */
    private Table said(String name, Map<String, String> settings) {
        return command(name, settings).lastTable();
    }

    /** Lines whose action is {@code error}: a step that failed. */
    public static boolean anyError(Table lines) {
        return lines.stringColumn("action").asList().contains("error");
    }

    /** The tables a run over every table maintains: the configured ones not disabled. */
    public List<String> enabledTables() {
        Table config = config(null);
        return config.where(config.booleanColumn("enabled").isTrue()).stringColumn("parent_table").asList();
    }

    /**
     * The maintenance advisory lock, held on a session of its own until closed: two runs never interleave. With
     * {@code wait} false, a run already in progress makes this fail at once with a {@link LockedOut} naming it; with
     * {@code wait} true it tries again, pausing up to a second between attempts, until the holder is done. This
     * alone records nothing: runs take the lock with {@link #locked(boolean, String, String, Supplier)}.
     */
    public RunLock lock(boolean wait) {
        requireInstalled();
        // waiting takes no session: each attempt borrows one and gives it back unless it got the lock, so runs waiting
        // in one JVM never starve the pool the holder's own work needs (pg_advisory_lock would hold one each meanwhile)
        for (long pauseMillis = 50; ; pauseMillis = Math.min(1000, pauseMillis * 2)) {
            try {
                Connection c = node.connection();
                try {
                    c.setAutoCommit(true);
                    if (holds(c, "try_lock")) return new RunLock(c, node.name());
                    Node.resetSession(c);
                    c.close();
                } catch (SQLException | RuntimeException e) {
                    if (!c.isClosed()) c.close();
                    throw e;
                }
            } catch (SQLException e) {
                throw new LabSqlException(node.name(), "maintenance lock", e);
            }
            if (!wait) {
                Optional<LockHolder> holder = holderIfKnown();
                throw new LockedOut("another maintenance run is in progress on " + node.name() + ": "
                        + holder.map(LockHolder::toString).orElse("another session") + "; nothing done (--wait waits for it)", holder);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the maintenance lock", e);
            }
        }
    }


    /**
     * Runs work while holding the maintenance lock (see {@link #lock}), and releases it whatever happens; the run goes
     * into the lock records (maintenance.run_history) from the lock's own session, each write committed at once: its
     * start right after the lock is taken (what: the subcommand, "run", "create", ...; table: the one named, null for
     * every enabled table; the trigger of {@link #triggeredBy}), its end before the lock goes. ok when work returns
     * and, for a report (a table with an {@code action} column), has no {@code error} line; the detail is a one-line
     * summary ("12 lines: 9 create, 3 analyze"), the first error line, or the exception's first line. Work that refuses
     * its input ({@link BadInput}: it changed nothing) leaves no record. A run whose session dies on the way (the
     * server restarted, the session was killed) stays unfinished: {@link #runs} reports it as interrupted. On an
     * installation older than the records (install updating it), the run is not recorded.
     */
    public <T> T locked(boolean wait, String what, String table, Supplier<T> work) {
        Objects.requireNonNull(what, "what");
        try (var held = lock(wait)) {
            Long run = held.started(what, trigger, table);
            T result;
            try {
                result = work.get();
            } catch (BadInput refused) {
                held.refused(run);
                throw refused;
            } catch (RuntimeException | Error failed) {
                held.finished(run, false, oneLine(failed));
                throw failed;
            }
            held.finished(run, succeeded(result), summary(result));
            return result;
        }
    }

    /** The newest runs in the lock records, newest first, with their results (running, ok, failed, interrupted). */
    public List<RunRecord> runs(int limit) {
        if (limit < 1) throw new BadInput("the number of runs to show must be at least 1, not " + limit);
        return runs(limit, null);
    }

    /** The newest run in the lock records started by this trigger (null: any), whatever its result. */
    public Optional<RunRecord> lastRun(String trigger) {
        return runs(1, trigger).stream().findFirst();
    }

    private List<RunRecord> runs(int limit, String trigger) {
        Map<String, String> settings = new HashMap<>();
        settings.put("lab.limit", Integer.toString(limit));
        if (trigger != null) settings.put("lab.trigger", trigger);
        return RunRecord.from(command("runs", settings).lastTable());
    }

    /** The session that holds the maintenance lock now, if any: its pid, application and since when. */
    public Optional<LockHolder> lockHolder() {
        Table holder = command("lock_holder", null).lastTable();
        if (holder.rowCount() == 0) return Optional.empty();
        return Optional.of(new LockHolder(((Number) holder.get(0, 0)).intValue(), holder.getString(0, "application_name"),
                instant(holder.dateTimeColumn("since").get(0))));
    }

    /** The holder for a refusal's message; an installation older than the lock records cannot say more than "another session". */
    private Optional<LockHolder> holderIfKnown() {
        try {
            return lockHolder();
        } catch (LabSqlException olderInstallation) {
            return Optional.empty();
        }
    }

    /** The session holding the maintenance lock: its backend pid, application_name, and since when it holds it. */
    public record LockHolder(int pid, String application, Instant since) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + (application == null || application.isBlank() ? "no application name" : application) + ", since " + since + ")";
        }
    }

    /** A report ran without an error line; anything else that came back ran. */
    private static boolean succeeded(Object result) {
        return !(result instanceof Table lines && lines.columnNames().contains("action")) || !anyError((Table) result);
    }

    /** One line for the lock records: a report's actions counted, its first error, or a table's size. */
    static String summary(Object result) {
        if (!(result instanceof Table table)) return "done";
        if (!table.columnNames().contains("action")) return table.rowCount() + " rows";
        Table errors = table.where(table.stringColumn("action").isEqualTo("error"));
        if (errors.rowCount() > 0) {
            return flat("failed: " + errors.getString(0, "parent_table") + ": " + errors.getString(0, "detail")
                    + (errors.rowCount() > 1 ? " (and " + (errors.rowCount() - 1) + " more errors)" : ""));
        }
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (String action : table.stringColumn("action")) counts.merge(action, 1, Integer::sum);
        StringBuilder line = new StringBuilder(table.rowCount() + " lines");
        String sep = ": ";
        for (var count : counts.entrySet()) {
            line.append(sep).append(count.getValue()).append(' ').append(count.getKey());
            sep = ", ";
        }
        return flat(line.toString());
    }

    private static String oneLine(Throwable failed) {
        String message = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
        return flat(message.lines().findFirst().orElse(failed.getClass().getSimpleName()));
    }

    /** One line, no password, at most 1000 characters. */
    private static String flat(String text) {
        String line = Dsn.mask(text.replaceAll("\\s+", " ").strip());
        return line.length() <= 1000 ? line : line.substring(0, 999) + "…";
    }

    static Instant instant(java.time.LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static boolean holds(Connection c, String file) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(Sql.file("maintenance/commands/" + file + ".sql").statements().get(0))) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Another run holds the lock: not bad input, and not this run's failure either. {@link #holder()} says whose. */
    public static final class LockedOut extends RuntimeException {
        private final transient Optional<LockHolder> holder;

        LockedOut(String message, Optional<LockHolder> holder) {
            super(message);
            this.holder = holder;
        }

        /** The session holding the lock when this run was refused (empty if it let go meanwhile). */
        public Optional<LockHolder> holder() {
            return holder;
        }
    }

    /**
     * The held advisory lock; closing the session releases it (DISCARD ALL unlocks every advisory lock). The lock
     * records are written on this session, so that they die with the lock.
     */
    public static final class RunLock implements AutoCloseable {
        private final Connection session;
        private final String node;

        private RunLock(Connection session, String node) {
            this.session = session;
            this.node = node;
        }

        /** The run's row in the lock records, or null on an installation older than them. */
        private Long started(String what, String trigger, String table) {
            Map<String, String> settings = new HashMap<>(Map.of("lab.what", what, "lab.trigger", trigger));
            if (table != null) settings.put("lab.table", table);
            try {
                return ((Number) Sql.file("maintenance/commands/run_started.sql").runOn(session, node, settings).lastTable().get(0, 0)).longValue();
            } catch (LabSqlException e) {
                // 42883: no maintenance.run_started yet (install is updating an older installation); anything else is real
                if ("42883".equals(e.sqlState())) return null;
                throw e;
            }
        }

        private void finished(Long run, boolean ok, String detail) {
            if (run == null) return;
            write("run_finished", Map.of("lab.run_id", run.toString(), "lab.ok", Boolean.toString(ok), "lab.detail", detail));
        }

        private void refused(Long run) {
            if (run == null) return;
            write("run_refused", Map.of("lab.run_id", run.toString()));
        }

        private void write(String command, Map<String, String> settings) {
            try {
                Sql.file("maintenance/commands/" + command + ".sql").runOn(session, node, settings);
            } catch (LabSqlException e) {
                // the session died with the lock (the run reads as interrupted, which it was), or uninstall took the
                // records away: nothing left to write to
            }
        }

        @Override
        public void close() {
            try (session) {
                Node.resetSession(session);
            } catch (SQLException e) {
                // the pool discards a broken session, and the server releases its locks with it
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private interface StatementFor {
        String of(String relation);
    }

    private Table each(Table targets, String action, Progress.Mode progress, StatementFor statement) {
        Table lines = actions();
        try (var bar = Progress.start(action, targets.rowCount(), "relations", progress); Connection c = node.connection()) {
            c.setAutoCommit(true);
            try {
                for (int i = 0; i < targets.rowCount(); i++) {
                    String relation = targets.stringColumn("relation").get(i);
                    long started = System.nanoTime();
                    try (Statement s = c.createStatement()) {
                        s.execute(statement.of(relation)); // relation: format('%I.%I') from the catalogs
                    }
                    add(lines, targets.stringColumn("parent_table").get(i), action, relation, null, millisSince(started),
                            targets.stringColumn("reason").get(i));
                    bar.step(1);
                }
            } finally {
                Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), action, e);
        }
        return lines;
    }

    /** An empty report, in the columns of maintenance.action_line. */
    public static Table actions() {
        return Table.create("maintenance actions", StringColumn.create("parent_table"), StringColumn.create("action"),
                StringColumn.create("partition_name"), LongColumn.create("rows"), DoubleColumn.create("duration_ms"),
                StringColumn.create("detail"), LongColumn.create("window_rows"), DoubleColumn.create("window_ms"),
                IntColumn.create("lock_attempts"));
    }

    private static void add(Table lines, String table, String action, String partition, Long rows, double millis, String detail) {
        lines.stringColumn("parent_table").append(table);
        lines.stringColumn("action").append(action);
        lines.stringColumn("partition_name").append(partition);
        if (rows == null) lines.longColumn("rows").appendMissing(); else lines.longColumn("rows").append(rows);
        lines.doubleColumn("duration_ms").append(millis);
        lines.stringColumn("detail").append(detail);
        lines.longColumn("window_rows").appendMissing();
        lines.doubleColumn("window_ms").appendMissing();
        lines.intColumn("lock_attempts").appendMissing();
    }

    private static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
    }

    /** A command's parameters: the day, the table, and the lock discipline and window hold when given. */
    private Map<String, String> settings(String table) {
        Map<String, String> settings = new HashMap<>(discipline.settings());
        if (today != null) settings.put("lab.today", today.toString());
        if (table != null) settings.put("lab.table", table);
        if (holdWindow != null) settings.put("online.hold_window_ms", Long.toString(holdWindow.toMillis()));
        return settings;
    }

    /**
     * The commands that only read: run again when the catalogs changed under them (see {@link Node#runReading}), since
     * a run may be swapping or dropping the very partitions they list. Every other command writes and runs once.
     */
    private static final java.util.Set<String> READS = java.util.Set.of("server_today", "installed", "uninstall_plan", "config",
            "health", "list", "validate", "create_missing_plan", "retention", "targets", "plan", "runs", "lock_holder");

    private Sql.Result command(String name, Map<String, String> settings) {
        try {
            String file = "maintenance/commands/" + name + ".sql";
            Map<String, String> given = settings == null ? Map.of() : settings;
            return READS.contains(name) ? node.runReading(file, given) : node.run(file, given);
        } catch (LabSqlException e) {
            // 3F000, invalid_schema_name: the functions are called as maintenance.<name>, so no schema, no manager
            if ("3F000".equals(e.sqlState())) throw notInstalled(node);
            throw e.classified();
        }
    }

    private Table lines(String command, Map<String, String> settings, String title) {
        return command(command, settings).lastTable().setName(title);
    }

    private void requireInstalled() {
        if (!installed()) throw notInstalled(node);
    }

    /** The refusal of anything that needs the manager where schema maintenance is missing. */
    static BadInput notInstalled(Node node) {
        return new BadInput("the partition manager is not installed on node " + node.name() + ": run Maintain.java install first");
    }

    /** The partitions named in a report's lines with one action ("create", "would drop", "keep", ...). */
    public static List<String> partitionsWith(Table lines, String action) {
        List<String> partitions = new ArrayList<>();
        for (int i = 0; i < lines.rowCount(); i++) {
            if (lines.stringColumn("action").get(i).equals(action)) partitions.add(lines.stringColumn("partition_name").get(i));
        }
        return partitions;
    }

    /** How many lines of each action per table ("analytics.events: would drop" -> 3), e.g. what a dry run would do. */
    public static java.util.SortedMap<String, Long> actionsPerTable(Table lines) {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        for (int i = 0; i < lines.rowCount(); i++) counts.merge(lines.getString(i, "parent_table") + ": " + lines.getString(i, "action"), 1L, Long::sum);
        return counts;
    }
}
