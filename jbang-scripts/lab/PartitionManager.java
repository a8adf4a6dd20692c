package lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The partition manager of lesson 06 and {@code jbang scripts/Maintain.java}: config-driven maintenance of monthly
 * RANGE-partitioned tables, by the functions of {@code sql/maintenance} (schema {@code maintenance}).
 *
 * <pre>{@code
 * var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-07-15"));   // "today", for rehearsals
 * manager.install();
 * var lines = manager.run(null, false, Progress.Mode.OFF);                      // every enabled table; retention dry
 * Claim.that("every table healthy", PartitionManager.healthy(manager.health(null)));
 * }</pre>
 *
 * Every action comes back as a line (table, action, partition, rows, duration_ms, detail): one table shape for all
 * of them, so that a run's report is their concatenation. A table name or a month the SQL refuses (SQLSTATE 22023)
 * becomes a {@link BadInput}; nothing has changed then. VACUUM and ANALYZE run here, one statement per relation
 * the SQL lists, because VACUUM cannot run inside a function.
 */
public final class PartitionManager {
    /** The switch the daily run honours: {@code ENABLE_PARTITION_MAINTENANCE=false} makes {@code run} do nothing. */
    public static final String ENABLE_SWITCH = "ENABLE_PARTITION_MAINTENANCE";

    private final Node node;
    private final LocalDate today;

    private PartitionManager(Node node, LocalDate today) {
        this.node = node;
        this.today = today;
    }

    /** The manager on a node, as of today's date in UTC. */
    public static PartitionManager on(Node node) {
        return new PartitionManager(node, LocalDate.now(ZoneOffset.UTC));
    }

    /** The same manager as if today were another day: how a lesson fast-forwards time, and how a rehearsal looks ahead. */
    public PartitionManager asOf(LocalDate day) {
        return new PartitionManager(node, day);
    }

    public boolean installed() {
        return Boolean.TRUE.equals(command("installed", null).lastTable().get(0, 0));
    }

    /** Installs (or updates) schema maintenance from {@code sql/maintenance/install.sql}; keeps an existing configuration. */
    public Table install() {
        long started = System.nanoTime();
        node.run("maintenance/install.sql");
        Table lines = actions();
        add(lines, null, "install", "maintenance", null, millisSince(started), "schema maintenance: configuration kept, functions replaced");
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
        if (table == null) throw new BadInput("say which table to configure: --table");
        Map<String, String> settings = settings(table);
        if (retentionMonths != null) settings.put("lab.retention_months", retentionMonths.toString());
        if (premakeMonths != null) settings.put("lab.premake_months", premakeMonths.toString());
        if (enabled != null) settings.put("lab.enabled", enabled.toString());
        return command("set_config", settings).lastTable().setName("maintenance.partition_config");
    }

    /**
     * One row per table: partitions, size, months, and its status: HEALTHY, CLEANUP_NEEDED, NO_PARTITIONS,
     * MISSING_FUTURE, DEFAULT_HAS_ROWS or TABLE_MISSING (maintenance.partition_health_summary).
     */
    public Table health(String table) {
        return command("health", settings(table)).lastTable().setName("partition health as of " + today);
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
        return command("validate", settings(table)).lastTable().setName("validation as of " + today);
    }

    public static boolean valid(Table validation) {
        return validation.rowCount() > 0 && validation.booleanColumn("ok").asList().stream().allMatch(Boolean.TRUE::equals);
    }

    /** The current month and the configured months ahead. */
    public Table createFuture(String table) {
        return lines("create_future", settings(table), "partitions created ahead as of " + today);
    }

    /** The partitions of one table for a range of months, both included; rows waiting in the DEFAULT move in. */
    public Table create(String table, YearMonth from, YearMonth to) {
        if (table == null) throw new BadInput("say which table: --table");
        requireMonthRange(from, to);
        Map<String, String> settings = settings(table);
        settings.put("lab.from_month", from.toString());
        settings.put("lab.to_month", to.toString());
        return lines("create", settings, "partitions created for " + from + " to " + to);
    }

    /** A range of months runs forwards: checked before anything touches a server. */
    public static void requireMonthRange(YearMonth from, YearMonth to) {
        if (from.isAfter(to)) throw new BadInput("--from " + from + " is after --to " + to);
    }

    /** Every missing month from the oldest partition (not before the retention cutoff) to the months ahead. */
    public Table createMissing(String table) {
        return lines("create_missing", settings(table), "missing partitions created as of " + today);
    }

    /** Rows waiting in the DEFAULT partition move into new partitions for their months. */
    public Table moveDefaultRows(String table) {
        return lines("move_default_rows", settings(table), "rows moved out of the DEFAULT as of " + today);
    }

    /**
     * Partitions past retention: with {@code apply} false a dry run ("would drop"), else dropped, detached or archived
     * as configured. {@code retentionMonths} overrides the configuration (null: as configured; 0 or less is refused).
     */
    public Table retention(String table, boolean apply, Integer retentionMonths) {
        Map<String, String> settings = settings(table);
        settings.put("lab.apply", Boolean.toString(apply));
        if (retentionMonths != null) settings.put("lab.retention_months", retentionMonths.toString());
        return lines("retention", settings, "retention as of " + today + (apply ? "" : " (dry run)"));
    }

    public Table refreshMetadata(String table) {
        return lines("refresh_metadata", settings(table), "metadata refreshed");
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
     * The daily job for every enabled table (or the one named): create the months ahead, move rows out of the DEFAULT,
     * ANALYZE what is stale, retention (applied only with {@code apply}), refresh the metadata. A step that fails is an
     * {@code error} line and the run goes on with the next table. Hold a {@link #lock} around it.
     */
    public Table run(String table, boolean apply, Progress.Mode progress) {
        List<String> tables = table == null ? enabledTables() : List.of(config(table).stringColumn("parent_table").get(0));
        Table lines = actions();
        try (var bar = Progress.start("maintenance", (long) tables.size() * 5, "steps", progress)) {
            for (String each : tables) {
                runStep(lines, each, "create ahead", bar, () -> createFuture(each));
                runStep(lines, each, "move default rows", bar, () -> moveDefaultRows(each));
                runStep(lines, each, "analyze", bar, () -> analyze(each, true, Progress.Mode.OFF));
                runStep(lines, each, "retention", bar, () -> retention(each, apply, null));
                runStep(lines, each, "refresh metadata", bar, () -> refreshMetadata(each));
            }
        }
        return lines.setName("maintenance run as of " + today + (apply ? "" : " (retention: dry run)"));
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
     * {@code wait} false, a run already in progress makes this fail at once, naming it.
     */
    public RunLock lock(boolean wait) {
        requireInstalled();
        try {
            Connection c = node.connection();
            try {
                c.setAutoCommit(true);
                if (!holds(c, wait ? "lock" : "try_lock")) {
                    Table holder = command("lock_holder", null).lastTable();
                    String who = holder.rowCount() == 0 ? "another session"
                            : "pid " + holder.get(0, 0) + " (" + holder.get(0, 1) + ", since " + holder.get(0, 3) + ")";
                    Node.resetSession(c);
                    c.close();
                    throw new LockedOut("another maintenance run is in progress on " + node.name() + ": " + who
                            + "; nothing done (--wait waits for it)");
                }
                return new RunLock(c);
            } catch (SQLException | RuntimeException e) {
                if (!c.isClosed()) c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), "maintenance lock", e);
        }
    }

    /** Runs work while holding the maintenance lock (see {@link #lock}), and releases it whatever happens. */
    public <T> T locked(boolean wait, java.util.function.Supplier<T> work) {
        try (var held = lock(wait)) {
            return work.get();
        }
    }

    private static boolean holds(Connection c, String file) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(Sql.file("maintenance/commands/" + file + ".sql").statements().get(0))) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** Another run holds the lock: not bad input, and not this run's failure either. */
    public static final class LockedOut extends RuntimeException {
        LockedOut(String message) {
            super(message);
        }
    }

    /** The held advisory lock; closing the session releases it (DISCARD ALL unlocks every advisory lock). */
    public static final class RunLock implements AutoCloseable {
        private final Connection session;

        private RunLock(Connection session) {
            this.session = session;
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

    private interface Step {
        Table run();
    }

    private void runStep(Table lines, String table, String step, Progress bar, Step work) {
        long started = System.nanoTime();
        try {
            lines.append(work.run());
        } catch (LabSqlException e) {
            add(lines, table, "error", null, null, millisSince(started), step + ": " + e.serverMessage());
        } finally {
            bar.step(1);
        }
    }

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
                StringColumn.create("detail"));
    }

    private static void add(Table lines, String table, String action, String partition, Long rows, double millis, String detail) {
        lines.stringColumn("parent_table").append(table);
        lines.stringColumn("action").append(action);
        lines.stringColumn("partition_name").append(partition);
        if (rows == null) lines.longColumn("rows").appendMissing(); else lines.longColumn("rows").append(rows);
        lines.doubleColumn("duration_ms").append(millis);
        lines.stringColumn("detail").append(detail);
    }

    private static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
    }

    private Map<String, String> settings(String table) {
        Map<String, String> settings = new HashMap<>();
        settings.put("lab.today", today.toString());
        if (table != null) settings.put("lab.table", table);
        return settings;
    }

    private Sql.Result command(String name, Map<String, String> settings) {
        try {
            return node.run("maintenance/commands/" + name + ".sql", settings == null ? Map.of() : settings);
        } catch (LabSqlException e) {
            // 3F000, invalid_schema_name: the functions are called as maintenance.<name>, so no schema, no manager
            if ("3F000".equals(e.sqlState())) throw notInstalled();
            throw e.asBadInputIfRefused();
        }
    }

    private Table lines(String command, Map<String, String> settings, String title) {
        return command(command, settings).lastTable().setName(title);
    }

    private void requireInstalled() {
        if (!installed()) throw notInstalled();
    }

    private BadInput notInstalled() {
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
}
