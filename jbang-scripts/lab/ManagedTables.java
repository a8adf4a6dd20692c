package lab;

import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * The seven tables of lesson 06 that the {@link PartitionManager} keeps: app.events (the range lesson's), the four
 * audit tables of seed 003 and the analytics pair of seed 004, each with its own key, naming pattern and retention
 * ({@code sql/06-maintenance}). For the lesson, the runbook tests and anyone who wants to try the manager.
 */
public final class ManagedTables {
    public static final List<String> TABLES = List.of("analytics.events", "analytics.goal_completions", "app.events",
            "audit.audit_logs", "audit.chat_messages", "audit.object_history", "audit.slow_query_log");
    /** Where the managed tables, their archive and the manager live: what a catalog snapshot covers. */
    public static final List<String> SCHEMAS = List.of("analytics", "app", "archive", "audit", "maintenance");
    /** The year app.events gets its monthly partitions for, from the range lesson's file. */
    public static final String EVENTS_YEAR = "2025";

    private ManagedTables() {}

    /**
     * Starts the seven tables over (app.events with the months of 2025, the others with only a DEFAULT partition),
     * and the manager too (a fresh install, no configuration or metadata left from before); registers the tables and
     * returns the configuration.
     */
    public static Table createAndConfigure(Node db) {
        db.run("01-range/03_partitioned_table.sql", Map.of("lab.year", EVENTS_YEAR));
        db.run("06-maintenance/01_tables.sql");
        db.run("maintenance/uninstall.sql");
        PartitionManager.on(db).install();
        return db.run("06-maintenance/02_configure.sql").lastTable().setName("maintenance.partition_config");
    }

    /** Rows in every table for every month from..to; rows of months without a partition land in the DEFAULT. */
    public static void seed(Node db, YearMonth from, YearMonth to, int rowsPerMonth) {
        if (from.isAfter(to)) throw new BadInput("from " + from + " is after to " + to);
        db.run("06-maintenance/03_seed_rows.sql", Map.of("lab.from_month", from.toString(), "lab.to_month", to.toString(),
                "lab.rows_per_month", Integer.toString(rowsPerMonth)));
    }

    /** Count and checksum of each table's rows, by table. */
    public static Map<String, Fingerprint> fingerprints(Node db) {
        Map<String, Fingerprint> prints = new LinkedHashMap<>();
        for (String table : TABLES) prints.put(table, Fingerprint.of(db, table));
        return prints;
    }

    /** Every relation in the lesson's schemas with its parent, bound and comment: equal snapshots, nothing changed. */
    public static Table catalog(Node db) {
        return db.run("lab/catalog_snapshot.sql", Map.of("lab.schemas", String.join(",", SCHEMAS))).lastTable()
                .setName("catalog of " + String.join(", ", SCHEMAS));
    }
}
