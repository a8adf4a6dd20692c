package lab;

import java.time.YearMonth;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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

    /**
     * Lesson 06's start: the six tables with only a DEFAULT partition, app.events with the months of
     * {@link #EVENTS_YEAR} and a DEFAULT, and rows for every month from..to in all seven (the manager and its
     * configuration untouched). Returns what was seeded, with each table's count and checksum.
     */
    public static Seeded startOver(Node db, YearMonth from, YearMonth to, int rowsPerMonth) {
        db.run("06-maintenance/01_tables.sql");
        db.run("01-range/03_partitioned_table.sql", Map.of("lab.year", EVENTS_YEAR));
        seed(db, from, to, rowsPerMonth);
        return new Seeded(from, to, rowsPerMonth, fingerprints(db));
    }

    /** What {@link #startOver} seeded: the months, the rows a month, and each table's rows (count and checksum). */
    public record Seeded(YearMonth first, YearMonth last, int perMonth, Map<String, Fingerprint> prints) {
        /** The seed's rows a month in one table: the goal completions get a quarter of the others' (03_seed_rows.sql). */
        public long rowsPerMonth(String table) {
            return table.equals("analytics.goal_completions") ? perMonth / 4 : perMonth;
        }

        public int months() {
            return (int) (last.getYear() * 12L + last.getMonthValue() - first.getYear() * 12L - first.getMonthValue()) + 1;
        }

        public boolean seeded(YearMonth month) {
            return month != null && !month.isBefore(first) && !month.isAfter(last);
        }

        /** Each table's seeded rows, except the one table that has its months (0 there): what waits in the DEFAULTs. */
        public SortedMap<String, Object> inTheDefaultsBut(String tableWithMonths) {
            SortedMap<String, Object> rows = new TreeMap<>();
            for (String t : TABLES) rows.put(t, t.equals(tableWithMonths) ? 0L : months() * rowsPerMonth(t));
            return rows;
        }

        /**
         * The partitions whose exact row count (a {@code q_rows_per_partition.sql} table) is not what the seed put in
         * their month: rowsPerMonth for a seeded month, 0 for any other month, and for a DEFAULT the rows
         * {@code leftInDefaults} names (0 for the others). Empty when every partition holds exactly its month's rows.
         */
        public List<String> partitionsOffTheirMonth(Table perPartition, Map<String, Long> leftInDefaults) {
            List<String> off = new java.util.ArrayList<>();
            for (int i = 0; i < perPartition.rowCount(); i++) {
                String t = perPartition.getString(i, "parent_table");
                java.time.LocalDate month = perPartition.dateColumn("partition_month").get(i);
                long expected = perPartition.booleanColumn("is_default").get(i) ? leftInDefaults.getOrDefault(t, 0L)
                        : month != null && seeded(YearMonth.from(month)) ? rowsPerMonth(t) : 0;
                if (perPartition.longColumn("rows").get(i) != expected) off.add(perPartition.getString(i, "partition_name"));
            }
            return off;
        }

        /** Whether the table holds exactly the rows seeded (count and checksum), now. */
        public boolean unchanged(Node db, String table) {
            return Fingerprint.of(db, table).sameRowsAs(prints.get(table));
        }

        public Table table() {
            return Fingerprint.table(prints.values().toArray(new Fingerprint[0])).setName("seeded: " + perMonth + " rows a month, " + first + " to " + last);
        }
    }

    /** The seven tables' partitions and rows, now: equal states, nothing changed. */
    public record State(SortedMap<String, List<String>> partitions, SortedMap<String, Long> rows) {
        /** All partitions of the seven tables, DEFAULTs included. */
        public int partitionCount() {
            return partitions.values().stream().mapToInt(List::size).sum();
        }

        /** Each table still has its DEFAULT partition. */
        public boolean everyTableHasItsDefault() {
            return partitions.values().stream().allMatch(leaves -> leaves.stream().anyMatch(p -> p.endsWith("default")));
        }

        /** Each table's partitions, the DEFAULT not counted. */
        public SortedMap<String, Object> monthlyPartitions() {
            SortedMap<String, Object> n = new TreeMap<>();
            partitions.forEach((t, leaves) -> n.put(t, leaves.stream().filter(p -> !p.endsWith("default")).count()));
            return n;
        }
    }

    /** The leaf partitions (from the catalogs) and the row count of every managed table, now. */
    public static State state(Node db) {
        SortedMap<String, List<String>> leaves = new TreeMap<>();
        SortedMap<String, Long> rows = new TreeMap<>();
        for (String t : TABLES) {
            leaves.put(t, List.copyOf(Partitions.leafNames(db, t)));
            rows.put(t, db.count(t));
        }
        return new State(Collections.unmodifiableSortedMap(leaves), Collections.unmodifiableSortedMap(rows));
    }

    /** One column of a report with a line per table (health, config, metrics), by table. */
    public static SortedMap<String, Object> byTable(Table report, String column) {
        SortedMap<String, Object> values = new TreeMap<>();
        for (int i = 0; i < report.rowCount(); i++) values.put(report.getString(i, "parent_table"), report.column(column).get(i));
        return values;
    }

    /** What a lesson expects of every table: {@code value}, except the tables {@code except} names with their own. */
    public static SortedMap<String, Object> each(Object value, Map<String, ?> except) {
        SortedMap<String, Object> expected = new TreeMap<>();
        for (String t : TABLES) expected.put(t, except.containsKey(t) ? except.get(t) : value);
        return expected;
    }
}
