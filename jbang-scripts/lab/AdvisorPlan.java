package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The advisor's migration plan for one table: a folder {@code <dir>/<schema.table>/} with
 * <ul>
 *   <li>{@code plan.json}: what makes the folder a plan (table, layout, time column, key, months, when written);</li>
 *   <li>{@code migrate.sql}: for RANGE by MONTH, the online migration of sql/migrate/online for this table, step by
 *       step, then the registration with the partition manager and the months ahead; for the other layouts (hash,
 *       list, weeks, days, two levels) {@code <table>_next} made by the plan's DDL, filled by a copy with capture, and
 *       renamed in one short window (sql/advisor/replace), the plain table kept as {@code <table>_old};</li>
 *   <li>{@code rollback.sql}: the way back, online too (sql/advisor/rollback): the plain table rebuilt beside the
 *       partitioned one, filled in batches while a capture records the changes, one short window that catches up
 *       and renames, the partitioned table kept as {@code <table>_partitioned};</li>
 *   <li>{@code verify.sql}: count and checksum per partition against the source (sql/advisor/plan_parity.sql).</li>
 * </ul>
 * Each file runs with {@code psql -v ON_ERROR_STOP=1 -f FILE} (its header says what to install first) and is exactly
 * what {@link #apply}, {@link #rollback} and {@link #verify} run, block by block: each {@code -- step N: ...} block
 * with its {@code -- locks: ...} line, on one session, outside a transaction block (the copy commits per batch,
 * CREATE INDEX CONCURRENTLY needs it). A run continues from where the table stands: the steps done are skipped.
 *
 * <pre>{@code
 * Path folder = AdvisorPlan.write(db, Path.of("plans"), recommendation);
 * Table steps = AdvisorPlan.preview(db, folder, AdvisorPlan.File.MIGRATE);   // the dry run: changes nothing
 * var applied = AdvisorPlan.apply(db, folder, LockDiscipline.defaults());      // runs migrate.sql
 * Claim.that(applied.verdict(), applied.verified());
 * var back = AdvisorPlan.rollback(db, folder, LockDiscipline.defaults());     // runs rollback.sql
 * }</pre>
 */
public final class AdvisorPlan {
    private AdvisorPlan() {}

    public static final String MANIFEST = "plan.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUALIFIED = Pattern.compile("([a-z_][a-z0-9_$]*)\\.([a-z_][a-z0-9_$]*)");

    /** The three files of a plan, as they sit in its folder. */
    public enum File {
        MIGRATE("migrate.sql"), ROLLBACK("rollback.sql"), VERIFY("verify.sql");

        private final String fileName;

        File(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    /** What {@code plan.json} says: the table, its layout, the key the migration partitions by, the months. */
    public record Manifest(String table, String layout, String method, String timeColumn, String keyColumn, YearMonth firstMonth,
                           YearMonth lastMonth, int monthsAhead, Integer retentionMonths, String written) {
        /** RANGE by MONTH: the online migration of sql/migrate/online, kept as it is. */
        public boolean byMonth() {
            return ONLINE_MIGRATION.equals(method);
        }
    }

    /** How a plan migrates: the online migration by month, or (other layouts) a copy with capture, then a rename. */
    public static final String ONLINE_MIGRATION = "online migration by month";
    public static final String COPY_AND_RENAME = "copy with capture, then rename";

    // ---------------------------------------------------------------- writing

    /**
     * Writes the plan for a recommendation, reading from the server only the table's primary key (in a transaction
     * rolled back, with the migration's functions installed there: nothing changes). Refusals (no such table, one the
     * plan cannot move, a layout that says too little) are {@link BadInput}. Returns the plan's folder.
     */
    public static Path write(Node node, Path dir, Recommendation r) {
        checkLayout(r);
        Table state = node.rolledBack(inside -> {
            install(inside);
            return byMonth(r) ? query(inside, "migrate/online/state.sql", Map.of("lab.table_name", r.table(), "lab.time_column", r.column()))
                    : query(inside, "advisor/replace_state.sql", Map.of("lab.table_name", r.table()));
        });
        return write(dir, r, state.getString(0, "key_column"));
    }

    /** Writes the plan without a server: the table's primary key (one column, e.g. id) given. */
    public static Path write(Path dir, Recommendation r, String keyColumn) {
        checkLayout(r);
        Matcher m = QUALIFIED.matcher(r.table() == null ? "" : r.table());
        if (!m.matches()) throw new BadInput("a plan needs a schema-qualified lower-case table name, e.g. app.readings, not '" + r.table() + "'");
        if (!identifier(r.column()) || !identifier(keyColumn) || r.column().equals(keyColumn)) {
            throw new BadInput("the time column and the key must be plain lower-case names, not '" + r.column() + "' and '" + keyColumn + "'");
        }
        boolean ranged = r.strategy() == Recommendation.Strategy.RANGE || r.strategy() == Recommendation.Strategy.RANGE_HASH;
        if (ranged && (r.firstMonth() == null || r.lastMonth() == null || r.lastMonth().isBefore(r.firstMonth()))) {
            throw new BadInput("a plan by time needs the data's first and last month, in order");
        }
        if (r.monthsAhead() < 0 || r.monthsAhead() > 120) throw new BadInput("months ahead must be 0..120, not " + r.monthsAhead());
        if (r.retentionMonths() != null && r.retentionMonths() < 1) throw new BadInput("retention must be 1 month or more");
        Manifest manifest = new Manifest(r.table(), r.describe(), byMonth(r) ? ONLINE_MIGRATION : COPY_AND_RENAME, r.column(), keyColumn, r.firstMonth(), r.lastMonth(), r.monthsAhead(),
                r.retentionMonths(), Instant.now().toString());
        Path folder = dir.resolve(r.table());
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(File.MIGRATE.fileName()), manifest.byMonth() ? migrateSql(manifest, m.group(1), m.group(2))
                    : replaceSql(manifest, r, m.group(1), m.group(2)));
            Files.writeString(folder.resolve(File.ROLLBACK.fileName()), rollbackSql(manifest));
            Files.writeString(folder.resolve(File.VERIFY.fileName()), verifySql(manifest));
            ObjectNode json = JSON.createObjectNode();
            json.put("format", FORMAT).put("kind", "partition-lab advisor plan").put("table", manifest.table()).put("layout", manifest.layout())
                    .put("method", manifest.method()).put("time_column", manifest.timeColumn()).put("key_column", manifest.keyColumn())
                    .put("first_month", manifest.firstMonth() == null ? null : manifest.firstMonth().toString())
                    .put("last_month", manifest.lastMonth() == null ? null : manifest.lastMonth().toString())
                    .put("months_ahead", manifest.monthsAhead()).put("written", manifest.written());
            if (manifest.retentionMonths() == null) json.putNull("retention_months"); else json.put("retention_months", manifest.retentionMonths());
            Files.writeString(folder.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the plan into " + folder + ": " + e.getMessage(), e);
        }
        return folder;
    }

    private static boolean byMonth(Recommendation r) {
        return r.strategy() == Recommendation.Strategy.RANGE && r.interval() == Recommendation.Interval.MONTH;
    }

    private static void checkLayout(Recommendation r) {
        if (r.strategy() == null) throw new BadInput("no layout recommended for " + r.table() + ": no plan");
        boolean ranged = r.strategy() == Recommendation.Strategy.RANGE || r.strategy() == Recommendation.Strategy.RANGE_HASH;
        if (ranged && r.interval() == null) throw new BadInput("no plan for " + r.table() + " (" + r.describe() + "): a range needs its interval");
        if ((r.strategy() == Recommendation.Strategy.HASH || r.strategy() == Recommendation.Strategy.RANGE_HASH) && (r.modulus() < 2 || r.modulus() > 1024)) {
            throw new BadInput("no plan for " + r.table() + " (" + r.describe() + "): hash needs 2 to 1024 partitions");
        }
        if (r.strategy() == Recommendation.Strategy.LIST && r.listValues().isEmpty()) {
            throw new BadInput("no plan for " + r.table() + " (" + r.describe() + "): list needs the values that get a partition");
        }
        if (r.strategy() == Recommendation.Strategy.RANGE_HASH && !identifier(r.subColumn())) {
            throw new BadInput("no plan for " + r.table() + " (" + r.describe() + "): two levels need the second level's column");
        }
    }

    private static boolean identifier(String name) {
        return name != null && name.matches("[a-z_][a-z0-9_$]*");
    }

    private static String migrateSql(Manifest p, String schema, String relation) {
        String t = p.table();
        String index = cut(relation + "_" + p.keyColumn() + "_" + p.timeColumn(), 59) + "_key";
        String retention = p.retentionMonths() == null ? "NULL" : Integer.toString(p.retentionMonths());
        return header(p, "migrate.sql: the online migration of " + t + " to " + p.layout() + " (sql/migrate/online, inlined step by step),",
                "then its registration with the partition manager and the partitions " + p.monthsAhead() + " months ahead.",
                "Run once from the start. Interrupted after step 3, run its steps 4 on (or `apply`, which skips the steps done).")
                + settings(p, true)
                + step(1, "unique index (" + p.keyColumn() + ", " + p.timeColumn() + "), built CONCURRENTLY",
                        "SHARE UPDATE EXCLUSIVE on " + t + " for the build: readers and writers go on (not in a transaction block)",
                        "SET client_connection_check_interval = '1s';\n"
                        + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + index + " ON " + schema + "." + relation + " (" + p.keyColumn() + ", "
                        + p.timeColumn() + ");")
                + step(2, "partitioned table " + t + "_next, empty, with the same columns, defaults and indexes",
                        "ACCESS SHARE on " + t + " for a moment: readers and writers go on",
                        "SELECT lab.online_migration_prepare(current_setting('lab.table_name'), current_setting('lab.time_column')) AS prepared;")
                + step(3, "switch: " + t + " becomes " + t + "_old, the DEFAULT partition of the partitioned table, which takes the name",
                        "ACCESS EXCLUSIVE on " + t + " for the window, catalog only (milliseconds, no row read): readers and writers wait that long",
                        "SELECT * FROM lab.online_migration_switch(current_setting('lab.table_name'), current_setting('lab.time_column'));")
                + step(4, "move begins: a partition per month " + p.firstMonth() + " .. (the data's range) and a DEFAULT, empty; a capture trigger on "
                                + t + "_old",
                        "SHARE ROW EXCLUSIVE on " + t + "_old for a moment (CREATE TRIGGER): writers wait that moment, readers go on",
                        "SELECT lab.online_migration_begin_move(current_setting('lab.table_name')) AS swap_id;")
                + step(5, "move: the rows copied in batches (online.batch_rows), each its own transaction, then the changes caught up in rounds",
                        "ACCESS SHARE (reads) on " + t + "_old; SHARE on it for an instant per round: readers and writers go on",
                        "CALL online.stage(lab.online_migration_swap(current_setting('lab.table_name')));")
                + step(6, "move: the window catches up with the last changes, detaches " + t + "_old (kept) and attaches the new partitions",
                        "ACCESS EXCLUSIVE on " + t + ", " + t + "_old and the new partitions: readers and writers wait for the changes, not the table",
                        "SELECT * FROM online.swap_window(lab.online_migration_swap(current_setting('lab.table_name')));")
                + step(7, "verify: count and checksum of " + t + "_old against the new partitions as they were at the window",
                        "ACCESS SHARE (reads): nobody waits",
                        "SELECT * FROM online.verify_swap(lab.online_migration_swap(current_setting('lab.table_name')));")
                + step(8, "finish: the capture removed (a mismatch at step 7 stops here), " + t + "_old kept, statistics",
                        "ACCESS EXCLUSIVE on each new partition in turn (DROP TRIGGER, catalog only); ANALYZE takes SHARE UPDATE EXCLUSIVE",
                        "SELECT lab.online_migration_finish(current_setting('lab.table_name')) AS finished;\n"
                        + ANALYZE_TABLE)
                + step(9, "registration with the partition manager: monthly, " + p.monthsAhead() + " months ahead, retention "
                                + (p.retentionMonths() == null ? "none" : p.retentionMonths() + " months") + ", the migration's partition names",
                        "none on the table (a row in maintenance.partition_config)",
                        "SELECT (maintenance.register_table(current_setting('lab.table_name'), current_setting('lab.time_column'), " + retention + ", "
                        + p.monthsAhead() + ", '{table}_{YYYY}_{MM}', '{table}_default')).parent_table AS registered;")
                + step(10, "the partitions for the months ahead, by the partition manager",
                        "under the table's lock discipline, per month: ACCESS SHARE to create, a moment of ACCESS EXCLUSIVE to attach",
                        "CALL maintenance.create_missing_partitions(current_setting('lab.table_name'), current_date);");
    }

    /**
     * migrate.sql for a layout other than months: {@code <table>_next} created by this DDL, empty, with its partitions;
     * then the copy with capture and the window of sql/advisor/replace. The partition manager manages monthly ranges
     * only: no registration; ranges get their partitions for the data's months and the months ahead now, and a DEFAULT.
     */
    private static String replaceSql(Manifest p, Recommendation r, String schema, String relation) {
        String t = p.table();
        String next = schema + "." + cut(relation, 58) + "_next";
        String base = schema + "." + cut(relation, 44);
        StringBuilder ddl = new StringBuilder("BEGIN;\n")
                .append("SELECT online.lock_relations(ARRAY[to_regclass(current_setting('lab.table_name'))], ARRAY['ACCESS SHARE'], 'prepare ")
                .append(next).append("') AS lock_attempts;\n")
                .append("CREATE TABLE ").append(next).append(" (LIKE ").append(t)
                .append(" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)\n    PARTITION BY ")
                .append(switch (r.strategy()) {
                    case HASH -> "HASH (" + r.column() + ")";
                    case LIST -> "LIST (" + r.column() + ")";
                    default -> "RANGE (" + r.column() + ")";
                }).append(";\n");
        int partitions = 0;
        switch (r.strategy()) {
            case HASH -> {
                for (int i = 0; i < r.modulus(); i++, partitions++) {
                    ddl.append("CREATE TABLE ").append(base).append("_p").append(i).append(" PARTITION OF ").append(next)
                            .append(" FOR VALUES WITH (MODULUS ").append(r.modulus()).append(", REMAINDER ").append(i).append(");\n");
                }
            }
            case LIST -> {
                for (int i = 0; i < r.listValues().size(); i++, partitions++) {
                    ddl.append("CREATE TABLE ").append(base).append("_l").append(i + 1).append(" PARTITION OF ").append(next)
                            .append(" FOR VALUES IN ('").append(r.listValues().get(i).replace("'", "''")).append("');\n");
                }
                ddl.append("CREATE TABLE ").append(base).append("_default PARTITION OF ").append(next).append(" DEFAULT;\n");
                partitions++;
            }
            default -> {
                java.time.LocalDate from = r.firstMonth().atDay(1);
                java.time.LocalDate to = r.lastMonth().plusMonths(r.monthsAhead() + 1L).atDay(1);
                if (r.interval() == Recommendation.Interval.WEEK) from = from.with(java.time.DayOfWeek.MONDAY);
                for (java.time.LocalDate d = from; d.isBefore(to); ) {
                    java.time.LocalDate end = switch (r.interval()) {
                        case DAY -> d.plusDays(1);
                        case WEEK -> d.plusWeeks(1);
                        case MONTH -> d.plusMonths(1);
                    };
                    String name = base + switch (r.interval()) {
                        case DAY -> String.format(Locale.ROOT, "_d%04d_%02d_%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
                        case WEEK -> String.format(Locale.ROOT, "_w%04d_%02d_%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
                        case MONTH -> String.format(Locale.ROOT, "_%04d_%02d", d.getYear(), d.getMonthValue());
                    };
                    ddl.append("CREATE TABLE ").append(name).append(" PARTITION OF ").append(next).append(" FOR VALUES FROM ('").append(d)
                            .append(" 00:00:00+00') TO ('").append(end).append(" 00:00:00+00')");
                    if (r.strategy() == Recommendation.Strategy.RANGE_HASH) {
                        ddl.append(" PARTITION BY HASH (").append(r.subColumn()).append(");\n");
                        for (int i = 0; i < r.modulus(); i++, partitions++) {
                            ddl.append("CREATE TABLE ").append(name).append("_h").append(i).append(" PARTITION OF ").append(name)
                                    .append(" FOR VALUES WITH (MODULUS ").append(r.modulus()).append(", REMAINDER ").append(i).append(");\n");
                        }
                    } else {
                        ddl.append(";\n");
                        partitions++;
                    }
                    d = end;
                }
                ddl.append("CREATE TABLE ").append(base).append("_default PARTITION OF ").append(next).append(" DEFAULT;\n");
                partitions++;
            }
        }
        ddl.append("SELECT lab.replace_keys(current_setting('lab.table_name')) AS prepared;\nCOMMIT;");
        return header(p, "migrate.sql: " + t + " to " + p.layout() + ", online, by a copy with capture, then a rename (sql/advisor/replace):",
                "the online migration of sql/migrate/online partitions by month only. " + t + " is kept as " + t + "_old.",
                "The partition manager manages monthly ranges only: this layout is not registered with it.",
                "Each step continues from where the table stands (apply skips the steps done); step 1 runs once: interrupted, drop "
                        + next + " first.")
                + settings(p, false)
                + step(1, next + ", partitioned (" + p.layout() + "), " + partitions + " partitions, empty; its key (" + p.keyColumn()
                                + " and the partition keys) and the table's other indexes, in one transaction",
                        "ACCESS SHARE on " + t + " (its definition is read), under the lock discipline: readers and writers go on",
                        ddl.toString())
                + step(2, "begin: a capture trigger on " + t + " records every change from now on",
                        "SHARE ROW EXCLUSIVE on " + t + " for a moment (CREATE TRIGGER): writers wait that moment, readers go on",
                        "SELECT lab.replace_begin(current_setting('lab.table_name')) AS swap_id;")
                + step(3, "copy: the rows of " + t + " into " + next + " in batches (online.batch_rows), each its own transaction, then the changes caught up in rounds",
                        "ACCESS SHARE (reads) on " + t + "; SHARE on it for an instant per round: readers and writers go on",
                        "CALL online.stage(lab.replace_swap(current_setting('lab.table_name')));")
                + step(4, "window: the last changes caught up; " + t + " renamed " + t + "_old, " + next + " takes the name, indexes renamed, the sequence moved",
                        "ACCESS EXCLUSIVE on " + t + " and " + next + ": readers and writers wait for the changes and catalog work, not the table",
                        "SELECT * FROM lab.replace_window(current_setting('lab.table_name'));")
                + step(5, "verify: count and checksum of " + t + "_old against the partitioned table as it was at the window",
                        "ACCESS SHARE (reads): nobody waits",
                        "SELECT * FROM online.verify_swap(lab.replace_swap(current_setting('lab.table_name')));")
                + step(6, "finish: the capture removed (a mismatch at step 5 stops here), " + t + "_old kept (no longer drawing ids); statistics",
                        "ACCESS EXCLUSIVE on " + t + " and its partitions, and on " + t + "_old, for a moment (DROP TRIGGER, catalog only)",
                        "SELECT lab.replace_finish(current_setting('lab.table_name')) AS finished;\n" + ANALYZE_TABLE);
    }

    private static String rollbackSql(Manifest p) {
        String t = p.table();
        return header(p, "rollback.sql: " + t + " back to the plain table it was, online, with every row written since the migration:",
                "the _old pattern in reverse (sql/advisor/rollback). The partitioned table is kept as " + t + "_partitioned.",
                "Each step continues from where the table stands; run again after an interruption.")
                + settings(p, false)
                + step(1, "begin: " + t + "_restored, the plain table (same columns, defaults, key " + p.keyColumn() + ", indexes), empty; "
                                + "a capture trigger on " + t + "; the partition manager stops managing it",
                        "ACCESS SHARE on " + t + ", then SHARE ROW EXCLUSIVE on it and its partitions for a moment (CREATE TRIGGER): writers wait that moment",
                        "SELECT lab.rollback_begin(current_setting('lab.table_name')) AS swap_id;")
                + step(2, "copy: every partition's rows into " + t + "_restored in batches, each its own transaction, then the changes caught up in rounds",
                        "ACCESS SHARE (reads) on the partitions; SHARE on them for an instant per round: readers and writers go on",
                        "CALL online.stage(lab.rollback_swap(current_setting('lab.table_name')));")
                + step(3, "window: the last changes caught up; " + t + " renamed " + t + "_partitioned, " + t + "_restored takes the name, "
                                + "indexes renamed, the sequence moved",
                        "ACCESS EXCLUSIVE on " + t + " and " + t + "_restored: readers and writers wait for the changes and catalog work, not the table",
                        "SELECT * FROM lab.rollback_window(current_setting('lab.table_name'));")
                + step(4, "verify: count and checksum of " + t + "_partitioned against the plain table as it was at the window",
                        "ACCESS SHARE (reads): nobody waits",
                        "SELECT * FROM online.verify_swap(lab.rollback_swap(current_setting('lab.table_name')));")
                + step(5, "finish: the capture removed, " + t + "_partitioned kept (no longer drawing ids), the partition manager forgets the table; statistics",
                        "ACCESS EXCLUSIVE on " + t + " and " + t + "_partitioned (with its partitions) for a moment (DROP TRIGGER, catalog only)",
                        "SELECT lab.rollback_finish(current_setting('lab.table_name')) AS finished;\n"
                        + ANALYZE_TABLE);
    }

    private static String verifySql(Manifest p) {
        return header(p, "verify.sql: count and checksum per partition against the source. After migrate.sql: each partition of "
                        + p.table() + " against", "the rows of " + p.table() + "_old its bound takes; after rollback.sql: each partition of "
                        + p.table() + "_partitioned against the plain", "table. Rows written since are counted, not missing. Reads only.")
                + settings(p, false)
                + step(1, "per partition: rows and checksum, source and copy, rows missing, rows written since",
                        "ACCESS SHARE (reads): nobody waits",
                        "SELECT * FROM lab.plan_parity(current_setting('lab.table_name'));");
    }

    private static String header(Manifest p, String... lines) {
        StringBuilder s = new StringBuilder();
        for (String line : lines) s.append("-- ").append(line).append('\n');
        s.append("-- Plan written ").append(p.written()).append(" by the partitioning advisor for ").append(p.table()).append(": ")
                .append(p.layout()).append(p.firstMonth() == null ? "" : ", data " + p.firstMonth() + " .. " + p.lastMonth()).append(".\n")
                .append("--\n")
                .append("-- Needs installed first (once; each file is safe to run again):\n")
                .append("--   psql -v ON_ERROR_STOP=1 -f sql/base/00_lab_functions.sql\n")
                .append("--   psql -v ON_ERROR_STOP=1 -f sql/maintenance/install.sql        (brings sql/online/install.sql)\n")
                .append("--   psql -v ON_ERROR_STOP=1 -f sql/migrate/online/00_functions.sql\n")
                .append("--   psql -v ON_ERROR_STOP=1 -f sql/advisor/install.sql\n")
                .append("-- Then, outside a transaction block (no --single-transaction: steps commit on their own):\n")
                .append("--   psql -v ON_ERROR_STOP=1 -f FILE\n")
                .append("-- The lock discipline comes from online.lock_timeout_ms and online.lock_budget_ms (default 100 and 30000), e.g.\n")
                .append("--   PGOPTIONS='-c online.lock_timeout_ms=100 -c online.lock_budget_ms=30000' psql ...\n")
                .append("-- Each step below says what it does and what it locks; `jbang scripts/Analyze.java apply|rollback DIR/")
                .append(p.table()).append("` runs the same\n-- statements, step by step, and without --confirm shows them and changes nothing.\n\n");
        return s.toString();
    }

    private static String settings(Manifest p, boolean timeColumn) {
        return "SET lab.table_name = '" + p.table() + "';\n" + (timeColumn ? "SET lab.time_column = '" + p.timeColumn() + "';\n" : "") + "\n";
    }

    /** Fresh statistics for the table at the end of a file (ANALYZE takes SHARE UPDATE EXCLUSIVE: nobody waits). */
    private static final String ANALYZE_TABLE = "DO $$\nBEGIN\n    EXECUTE format('ANALYZE %s', to_regclass(current_setting('lab.table_name')));\nEND\n$$;";

    private static String step(int n, String what, String locks, String sql) {
        return "-- step " + n + ": " + what + "\n-- locks: " + locks + "\n" + sql + "\n\n";
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    // ---------------------------------------------------------------- reading a plan

    /** The manifest of a plan folder; a folder without a valid one is not a plan ({@link BadInput}). */
    public static Manifest manifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.isDirectory(folder)) throw new BadInput(folder + " is not a plan: no such folder");
        if (!Files.isRegularFile(file)) throw new BadInput(folder + " is not a plan: it has no " + MANIFEST + " (the advisor's --plan DIR writes one per table)");
        try {
            JsonNode json = JSON.readTree(Files.readString(file));
            if (json == null || json.path("format").asInt(0) != FORMAT || !"partition-lab advisor plan".equals(json.path("kind").asText())) {
                throw new BadInput(folder + " is not a plan: its " + MANIFEST + " is not an advisor plan's (format " + FORMAT + ")");
            }
            Manifest m = new Manifest(json.path("table").asText(), json.path("layout").asText(), json.path("method").asText(ONLINE_MIGRATION),
                    json.path("time_column").asText(),
                    json.path("key_column").asText(), month(json.path("first_month")), month(json.path("last_month")),
                    json.path("months_ahead").asInt(), json.path("retention_months").isNull() ? null : json.path("retention_months").asInt(),
                    json.path("written").asText());
            if (!QUALIFIED.matcher(m.table()).matches()) throw new BadInput(folder + " is not a plan: no table in its " + MANIFEST);
            for (File f : File.values()) {
                if (!Files.isRegularFile(folder.resolve(f.fileName()))) throw new BadInput(folder + " is not a whole plan: " + f.fileName() + " is missing");
            }
            return m;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInput bad) throw bad;
            throw new BadInput(folder + " is not a plan: its " + MANIFEST + " cannot be read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static YearMonth month(JsonNode node) {
        return node.isTextual() ? YearMonth.parse(node.asText()) : null;
    }

    /** One {@code -- step N: ...} block of a plan file: its number, what it does, what it locks, its statements. */
    public record Step(int number, String what, String locks, String sql) {}

    private static final Pattern STEP = Pattern.compile("(?m)^-- step (\\d+): (.*)\\n-- locks: (.*)\\n");

    /** The statements before the first step (the parameters), then each step. */
    static List<Step> steps(String text) {
        List<Step> steps = new ArrayList<>();
        Matcher m = STEP.matcher(text);
        int previousEnd = -1;
        Step pending = null;
        while (m.find()) {
            if (pending == null) {
                steps.add(new Step(0, "parameters", "none", text.substring(0, m.start())));
            } else {
                steps.add(new Step(pending.number(), pending.what(), pending.locks(), text.substring(previousEnd, m.start())));
            }
            pending = new Step(Integer.parseInt(m.group(1)), m.group(2), m.group(3), null);
            previousEnd = m.end();
        }
        if (pending != null) steps.add(new Step(pending.number(), pending.what(), pending.locks(), text.substring(previousEnd)));
        return steps;
    }

    private static String read(Path folder, File file) {
        try {
            return Files.readString(folder.resolve(file.fileName()));
        } catch (IOException e) {
            throw new BadInput(folder + " is not a whole plan: cannot read " + file.fileName());
        }
    }

    // ---------------------------------------------------------------- running a plan

    /** What a plan's files need on the server: schema online, the base functions, the migration's, the partition manager, the advisor's. */
    public static void install(Node node) {
        Migration.installFunctions(node);
        node.run("maintenance/install.sql");
        node.run("migrate/online/00_functions.sql");
        node.run("advisor/install.sql");
    }

    /**
     * The dry run of a file: every step with what it does and locks, and whether it is done, next or to do where the
     * table stands now; checked on the server in a transaction rolled back (functions installed there only), so that
     * refusals come out ({@link BadInput}: no such table, a rollback of a migration never applied) and nothing changes.
     */
    public static Table preview(Node node, Path folder, File file) {
        Manifest m = manifest(folder);
        int from = node.rolledBack(inside -> {
            install(inside);
            return firstStepToRun(inside, m, file);
        });
        List<Step> steps = steps(read(folder, file));
        IntColumn number = IntColumn.create("step");
        StringColumn status = StringColumn.create("status");
        StringColumn what = StringColumn.create("what");
        StringColumn locks = StringColumn.create("locks");
        for (Step s : steps) {
            if (s.number() == 0) continue;
            number.append(s.number());
            status.append(s.number() < from ? "done" : s.number() == from ? "next" : "to do");
            what.append(s.what());
            locks.append(s.locks());
        }
        return Table.create(file.fileName() + " of " + m.table(), number, status, what, locks);
    }

    /** A file's steps, what each does and locks, read from the file alone (no server): what a dry run shows of the files it does not run. */
    public static Table outline(Path folder, File file) {
        Manifest m = manifest(folder);
        IntColumn number = IntColumn.create("step");
        StringColumn what = StringColumn.create("what");
        StringColumn locks = StringColumn.create("locks");
        for (Step s : steps(read(folder, file))) {
            if (s.number() == 0) continue;
            number.append(s.number());
            what.append(s.what());
            locks.append(s.locks());
        }
        return Table.create(file.fileName() + " of " + m.table(), number, what, locks);
    }

    /** The first step a run of the file must do, from where the table stands (refusals as {@link BadInput}). */
    private static int firstStepToRun(Node node, Manifest m, File file) {
        switch (file) {
            case MIGRATE -> {
                if (!m.byMonth()) {
                    String next = query(node, "advisor/replace_state.sql", Map.of("lab.table_name", m.table())).getString(0, "next_step");
                    return switch (next) {
                        case "prepare" -> 1;
                        case "begin" -> 2;
                        case "copy" -> 3;
                        case "verify" -> 5;
                        case "finish" -> 6;
                        default -> throw new BadInput(m.table() + " was migrated by this plan before: nothing to apply (nothing changed)");
                    };
                }
                String next;
                try {
                    next = query(node, "migrate/online/state.sql", Map.of("lab.table_name", m.table(), "lab.time_column", m.timeColumn()))
                            .getString(0, "next_step");
                } catch (BadInput e) {
                    if (String.valueOf(e.getMessage()).contains("partitioned already")) {
                        throw new BadInput(m.table() + " is partitioned already, and not by an online migration under way: nothing to apply");
                    }
                    throw e;
                }
                if (next.equals("done")) {
                    boolean registered = Boolean.TRUE.equals(node.scalar(
                            "SELECT EXISTS (SELECT FROM maintenance.partition_config WHERE parent_table = ?)", m.table()));
                    if (registered) throw new BadInput(m.table() + " was migrated by this plan before: nothing to apply (nothing changed)");
                    return 9;
                }
                return switch (next) {
                    case "index" -> 1;
                    case "parent" -> 2;
                    case "switch" -> 3;
                    case "move" -> 4; // begun before: step 4 returns the same swap
                    default -> 8; // finish
                };
            }
            case ROLLBACK -> {
                String next = query(node, "advisor/rollback_state.sql", Map.of("lab.table_name", m.table())).getString(0, "next_step");
                return switch (next) {
                    case "begin" -> 1;
                    case "copy" -> 2;
                    case "verify" -> 4;
                    case "finish" -> 5;
                    default -> throw new BadInput(m.table() + " was rolled back before: nothing to roll back (nothing changed)");
                };
            }
            default -> {
                if (!Partitions.exists(node, m.table())) throw new BadInput("no table " + m.table() + ": nothing to verify");
                return 1;
            }
        }
    }

    private static Table query(Node node, String file, Map<String, String> settings) {
        try {
            return node.run(file, settings).lastTable();
        } catch (LabSqlException e) {
            throw e.classified();
        }
    }

    /** One step of a run: whether it ran now, its time; for a window, its rows, how long it held its locks, attempts, rows read. */
    public record StepRun(int number, String what, String locks, boolean ran, double millis, Long windowRows, Double windowMillis,
                          Integer lockAttempts, Long rowsRead, String said) {}

    /**
     * What running a file did: each step; the table's fingerprint before and after (and the source's: {@code <table>_old}
     * after the migration, {@code <table>_partitioned} after the rollback); the verification at the window (count and
     * checksum, exact), and the per-partition parity afterwards ({@link #verify}).
     */
    public record Result(String table, String layout, File file, int windowStep, List<StepRun> steps, Fingerprint before, Fingerprint after, Fingerprint kept,
                         Long rowsAtWindow, String checksumAtWindow, boolean verified, Table parity, String ending) {
        public StepRun step(int number) {
            return steps.stream().filter(s -> s.number() == number).findFirst().orElse(null);
        }

        /** The window that swapped the table's rows: the migration's move window (6), the rollback's (3). */
        public StepRun window() {
            return step(windowStep);
        }

        /** No row of the source missing from any partition (the parity's {@code missing} column all 0). */
        public boolean parityHolds() {
            return parity != null && parity.rowCount() > 0 && parity.longColumn("missing").asList().stream().allMatch(v -> v == 0);
        }

        public String verdict() {
            StepRun w = window();
            String window = w == null || !w.ran() ? "" : String.format(Locale.ROOT, "; its window held its locks %.1f ms and caught up with %d changed rows%s",
                    w.windowMillis(), w.windowRows(), w.rowsRead() == null ? "" : ", reading " + w.rowsRead() + " rows of the table");
            String what = file == File.MIGRATE ? table + " partitioned online (" + layout + ")" : table + " a plain table again, " + table + "_partitioned kept";
            String proof = verified ? String.format(Locale.ROOT, "; count and checksum identical at the window (%,d rows)", rowsAtWindow)
                    : "; THE ROWS DIFFERED AT THE WINDOW (the finish did not run: look, then revert)";
            String parityLine = parityHolds() ? "; every source row in its partition" : "; PARITY FAILED: see the parity table";
            return what + window + proof + parityLine;
        }

        public Table stepsTable() {
            IntColumn number = IntColumn.create("step");
            StringColumn what = StringColumn.create("what");
            StringColumn run = StringColumn.create("run");
            DoubleColumn ms = DoubleColumn.create("ms");
            StringColumn held = StringColumn.create("locks held (ms)");
            StringColumn rows = StringColumn.create("rows its window touched");
            StringColumn read = StringColumn.create("table rows its window read");
            StringColumn attempts = StringColumn.create("lock attempts");
            for (StepRun s : steps) {
                number.append(s.number());
                what.append(s.what());
                run.append(s.ran() ? "now" : "done before");
                ms.append(Math.round(s.millis() * 10) / 10.0);
                held.append(s.windowMillis() == null ? "" : String.format(Locale.ROOT, "%.1f", s.windowMillis()));
                rows.append(s.windowRows() == null ? "" : Long.toString(s.windowRows()));
                read.append(s.rowsRead() == null ? "" : Long.toString(s.rowsRead()));
                attempts.append(s.lockAttempts() == null ? "" : Integer.toString(s.lockAttempts()));
            }
            return Table.create("steps of " + file.fileName() + " for " + table, number, what, run, ms, held, rows, read, attempts);
        }
    }

    /** Runs migrate.sql (the steps not done yet). Refusals are {@link BadInput}, nothing changed; a lock not got, {@link LockGiveUp}. */
    public static Result apply(Node node, Path folder, LockDiscipline discipline) {
        return apply(node, folder, discipline, null);
    }

    public static Result apply(Node node, Path folder, LockDiscipline discipline, Consumer<String> log) {
        return run(node, folder, File.MIGRATE, discipline, log);
    }

    /** Runs rollback.sql (the steps not done yet): the table plain again under its name, the partitioned one kept. */
    public static Result rollback(Node node, Path folder, LockDiscipline discipline) {
        return rollback(node, folder, discipline, null);
    }

    public static Result rollback(Node node, Path folder, LockDiscipline discipline, Consumer<String> log) {
        return run(node, folder, File.ROLLBACK, discipline, log);
    }

    /** Runs verify.sql: per partition, source and copy, count and checksum, rows missing and written since. */
    public static Table verify(Node node, Path folder) {
        Manifest m = manifest(folder);
        List<Step> steps = steps(read(folder, File.VERIFY));
        try (Connection c = node.connection()) {
            c.setAutoCommit(true);
            try {
                Table last = null;
                for (Step s : steps) {
                    Sql.Result r = Sql.text(File.VERIFY.fileName(), s.sql()).runOn(c, node.name(), Map.of());
                    for (Sql.StatementResult st : r.statements()) if (st.hasRows()) last = st.table();
                }
                if (last == null) throw new IllegalStateException(File.VERIFY.fileName() + " returned no rows");
                return last.setName("parity of " + m.table() + " per partition");
            } finally {
                Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), File.VERIFY.fileName(), e);
        } catch (LabSqlException e) {
            throw e.classified();
        }
    }

    private static Result run(Node node, Path folder, File file, LockDiscipline discipline, Consumer<String> log) {
        Manifest m = manifest(folder);
        // refusals first, in a transaction rolled back: a plan refused installs nothing
        node.rolledBack(inside -> {
            install(inside);
            return firstStepToRun(inside, m, file);
        });
        install(node);
        int from = firstStepToRun(node, m, file);
        Fingerprint before = Fingerprint.of(node, m.table());
        Map<String, String> settings = new HashMap<>(discipline == null ? Map.of() : discipline.settings());
        List<StepRun> runs = new ArrayList<>();
        Long rowsAtWindow = null;
        String checksumAtWindow = null;
        Boolean matches = null;
        String ending = null;
        try (Connection c = node.connection()) {
            c.setAutoCommit(true);
            try {
                boolean first = true;
                for (Step s : steps(read(folder, file))) {
                    if (s.number() != 0 && s.number() < from) {
                        runs.add(new StepRun(s.number(), s.what(), s.locks(), false, 0, null, null, null, null, null));
                        continue;
                    }
                    if (s.number() == 0 && !first) continue;
                    if (Boolean.FALSE.equals(matches)) break; // the rows differed at the window: the finish does not run
                    long start = System.nanoTime();
                    Sql.Result r;
                    try {
                        r = Sql.text(file.fileName() + " step " + s.number(), s.sql()).runOn(c, node.name(), first ? settings : Map.of());
                    } catch (LabSqlException e) {
                        // the refusals came before anything ran: a failure now is no bad input, the steps before it stay done
                        if ("55P03".equals(e.sqlState())) {
                            throw new LockGiveUp("step " + s.number() + " of " + file.fileName() + ": " + e.serverMessage()
                                    + " (the steps before it are done: run it again to continue)", e);
                        }
                        throw new IllegalStateException("step " + s.number() + " of " + file.fileName() + " failed: " + e.serverMessage()
                                + " (the steps before it are done; run it again to continue)", e);
                    }
                    first = false;
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (s.number() == 0) continue;
                    Table shown = r.statements().stream().filter(Sql.StatementResult::hasRows).map(Sql.StatementResult::table)
                            .reduce((a, b) -> b).orElse(null);
                    Long windowRows = null, rowsRead = null;
                    Double windowMs = null;
                    Integer attempts = null;
                    String said = null;
                    if (shown != null && shown.rowCount() > 0) {
                        if (shown.columnNames().contains("window_ms")) {
                            windowMs = number(shown, "window_ms").doubleValue();
                            attempts = number(shown, "lock_attempts").intValue();
                            windowRows = number(shown, shown.columnNames().contains("window_rows") ? "window_rows" : "rows_read").longValue();
                            if (shown.columnNames().contains("rows_read")) rowsRead = number(shown, "rows_read").longValue();
                        } else if (shown.columnNames().contains("matches")) {
                            matches = (Boolean) shown.column("matches").get(0);
                            rowsAtWindow = number(shown, "rows_before").longValue();
                            checksumAtWindow = String.valueOf(shown.column("checksum_before").get(0));
                        } else if (shown.columnNames().contains("finished")) {
                            said = shown.getString(0, "finished");
                            ending = said;
                        }
                    }
                    runs.add(new StepRun(s.number(), s.what(), s.locks(), true, ms, windowRows, windowMs, attempts, rowsRead, said));
                    if (log != null) {
                        log.accept(String.format(Locale.ROOT, "step %d (%s): %.0f ms%s", s.number(), s.what(), ms, windowMs == null ? ""
                                : String.format(Locale.ROOT, ", locks held %.1f ms, %d rows", windowMs, windowRows)));
                    }
                }
            } finally {
                Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), file.fileName(), e).classified();
        } catch (LabSqlException e) {
            throw e.classified();
        }
        if (matches == null) { // verified by an earlier run: the numbers are in online.swaps
            Table w = node.query("SELECT rows_before, checksum_before::text, state IN ('verified', 'finished') AS ok FROM online.swaps "
                    + "WHERE label = ? ORDER BY swap_id DESC LIMIT 1", (file == File.ROLLBACK ? "rollback of " : m.byMonth() ? "online migration of " : "advisor migration of ") + m.table());
            if (w.rowCount() > 0) {
                rowsAtWindow = number(w, "rows_before") == null ? null : number(w, "rows_before").longValue();
                checksumAtWindow = String.valueOf(w.get(0, 1));
                matches = (Boolean) w.get(0, 2);
            }
        }
        Fingerprint after = Fingerprint.of(node, m.table());
        String keptName = m.table() + (file == File.MIGRATE ? "_old" : "_partitioned");
        Fingerprint kept = Partitions.exists(node, keptName) ? Fingerprint.of(node, keptName) : null;
        Table parity = Boolean.TRUE.equals(matches) ? verify(node, folder) : null;
        int windowStep = file == File.ROLLBACK ? 3 : m.byMonth() ? 6 : 4;
        return new Result(m.table(), m.layout(), file, windowStep, runs, before, after, kept, rowsAtWindow, checksumAtWindow, Boolean.TRUE.equals(matches), parity, ending);
    }

    private static Number number(Table t, String column) {
        return (Number) t.column(column).get(0);
    }
}
