package lab;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The partitioning advisor's analysis: which tables of a database are worth partitioning, how, and how urgently,
 * from the catalogs and statistics only (sql/advisor: sizes, row estimates and write rates, column statistics, keys,
 * indexes, and the workload pg_stat_statements recorded). It never writes: every read runs in one READ ONLY
 * transaction, rolled back.
 *
 * <p>How it decides, per table (each step one line of {@link TableAdvice#reasons}):
 * <ul>
 *   <li>partitioned already: nothing to do;
 *   <li>too small: fewer estimated rows than {@link Options#minRows} (default 1,000,000; {@link Options#forScale}): no
 *       layout is suggested, whatever the queries;
 *   <li>the key: among the table's columns its statements filter on ({@link Workload}), weighted by their calls, the
 *       time column if it is filtered in at least half as many calls as the most filtered column, else that column;
 *       without pg_stat_statements, its time column, unchecked. No key the queries filter on: not a candidate;
 *   <li>the layout: a time key gets RANGE by MONTH, or WEEK or DAY when a month (a week) would hold more than
 *       {@link Options#partitionRows} rows, and RANGE_HASH when even a day would, with a second filtered column; a
 *       key with at most {@link Options#maxListValues} values gets LIST, any other HASH, with a power of two of
 *       partitions of about {@link Options#minRows} rows each (4 to 64);
 *   <li>foreign keys pointing at it, to columns without the key: not a candidate (a partitioned table's referenced
 *       key must include the partition key); a primary key or unique constraint without the key: said, as the
 *       migration widens it;
 *   <li>the retention its time column suggests: whole months from its oldest row to the current month;
 *   <li>the priority: HIGH for a candidate ten times the threshold, one whose rows are deleted (DROP of a partition
 *       would replace the DELETEs) or with many dead rows; MEDIUM for another candidate; LOW otherwise.
 * </ul>
 */
public final class Advisor {
    private Advisor() {}

    public enum Priority { HIGH, MEDIUM, LOW }

    /**
     * What to analyse and the thresholds.
     *
     * @param schema        one schema, or null for every user schema
     * @param table         one table (a name, or schema.name), or null for all
     * @param minRows       fewer estimated rows: too small to partition
     * @param partitionRows at most this many rows per RANGE partition: a month above it gets weeks, a week days
     * @param maxListValues a key with at most this many distinct values gets LIST
     * @param monthsAhead   partitions to create ahead of the data, for the plan
     */
    public record Options(String schema, String table, long minRows, long partitionRows, int maxListValues, int monthsAhead) {
        /** A real database's threshold: below about a million rows one index finds any row. */
        public static final long DEFAULT_MIN_ROWS = 1_000_000;

        public Options {
            if (minRows < 0) throw new BadInput("the minimum rows must be 0 or more, not " + minRows);
            if (partitionRows < 1) throw new BadInput("rows per partition must be at least 1");
            if (schema != null && schema.isBlank()) schema = null;
            if (table != null && table.isBlank()) table = null;
        }

        /** For real databases: min rows 1,000,000, at most 10,000,000 rows a partition, LIST up to 20 values, 3 months ahead. */
        public static Options defaults() {
            return new Options(null, null, DEFAULT_MIN_ROWS, 10 * DEFAULT_MIN_ROWS, 20, 3);
        }

        /**
         * For the lab's cases at a scale ({@link AdvisorCases}): min rows 5,000 at ci, 50,000 at demo, 1,000,000 at full
         * (the defaults), partitions of ten times that.
         */
        public static Options forScale(Scale scale) {
            long min = switch (scale) {
                case ci -> 5_000;
                case demo -> 50_000;
                case full -> DEFAULT_MIN_ROWS;
            };
            return defaults().withMinRows(min).withPartitionRows(10 * min);
        }

        public Options withSchema(String schema) {
            return new Options(schema, table, minRows, partitionRows, maxListValues, monthsAhead);
        }

        public Options withTable(String table) {
            return new Options(schema, table, minRows, partitionRows, maxListValues, monthsAhead);
        }

        public Options withMinRows(long minRows) {
            return new Options(schema, table, minRows, partitionRows, maxListValues, monthsAhead);
        }

        public Options withPartitionRows(long partitionRows) {
            return new Options(schema, table, minRows, partitionRows, maxListValues, monthsAhead);
        }
    }

    /** Sizes, estimates and write rates (per second since the statistics were reset, or the server started). */
    public record Metrics(long estimatedRows, long totalBytes, long tableBytes, long indexBytes, long deadRows,
            double insertsPerSecond, double updatesPerSecond, double deletesPerSecond) {}

    /** A timestamptz, timestamp or date column and the range its statistics saw (null before ANALYZE). */
    public record TimeColumn(String name, String dataType, boolean notNull, LocalDateTime first, LocalDateTime last) {}

    /** One column's statistics: its distinct values (estimated) and, when few, the most common ones. */
    public record ColumnStats(String name, String dataType, boolean notNull, Long distinctValues, boolean lowCardinality, List<String> commonValues) {}

    /** A primary key, unique constraint or foreign key (out: this table references another; in: another references it). */
    public record Key(String kind, String name, List<String> columns, String otherTable, List<String> otherColumns) {
        /** E.g. "app.order_lines (order_id) -> (id)". */
        public String describe() {
            return switch (kind) {
                case "foreign key in" -> otherTable + " (" + String.join(", ", otherColumns) + ") -> (" + String.join(", ", columns) + ")";
                case "foreign key out" -> "(" + String.join(", ", columns) + ") -> " + otherTable + " (" + String.join(", ", otherColumns) + ")";
                default -> kind + " (" + String.join(", ", columns) + ")";
            };
        }
    }

    /**
     * The advice on one table: its metrics and what the advisor read, whether it is a {@link #candidate}, why or why
     * not (one line each), the layout recommended (null when no key was found or it is partitioned already; set for a
     * table that foreign keys block, to show what it would take), the retention in months and the priority.
     */
    public record TableAdvice(String schema, String table, boolean partitioned, String partitionKey, Metrics metrics,
            List<TimeColumn> timeColumns, List<ColumnStats> columns, List<Key> keys, List<String> indexes,
            List<Workload.Statement> workload, boolean candidate, List<String> reasons, Recommendation recommendation,
            Integer retentionMonths, Priority priority, String priorityReason) {
        public TableAdvice {
            timeColumns = List.copyOf(timeColumns);
            columns = List.copyOf(columns);
            keys = List.copyOf(keys);
            indexes = List.copyOf(indexes);
            workload = List.copyOf(workload);
            reasons = List.copyOf(reasons);
        }

        /** schema.table */
        public String name() {
            return schema + "." + table;
        }

        public List<Key> foreignKeysIn() {
            return keys.stream().filter(k -> k.kind().equals("foreign key in")).toList();
        }

        public List<Key> foreignKeysOut() {
            return keys.stream().filter(k -> k.kind().equals("foreign key out")).toList();
        }

        public Optional<Key> primaryKey() {
            return keys.stream().filter(k -> k.kind().equals("primary key")).findFirst();
        }

        /** The reasons in one string, "; " between them. */
        public String why() {
            return String.join("; ", reasons);
        }
    }

    /** What {@link #analyze} found: one {@link TableAdvice} per table, and whether the workload was known. */
    public record Report(String database, Workload.Status workload, Options options, List<TableAdvice> tables) {
        public Report {
            tables = List.copyOf(tables);
        }

        /** The advice on one table ("schema.table", or a name in schema app). */
        public TableAdvice advice(String table) {
            String[] name = Workload.split(table);
            return tables.stream().filter(t -> t.schema().equals(name[0]) && t.table().equals(name[1])).findFirst()
                    .orElseThrow(() -> new BadInput("the report has no table " + table));
        }

        public List<TableAdvice> candidates() {
            return tables.stream().filter(TableAdvice::candidate).toList();
        }

        /**
         * Per table: rows, sizes, dead rows, write rates, time columns and their range, low-cardinality columns (with
         * their number of values), primary key, number of indexes, foreign keys in and out, statements and calls.
         */
        public Table metricsTable() {
            Table t = Table.create("advisor_metrics", StringColumn.create("table_name"), LongColumn.create("estimated_rows"),
                    StringColumn.create("total_size"), StringColumn.create("table_size"), StringColumn.create("index_size"),
                    LongColumn.create("dead_rows"), DoubleColumn.create("inserts_per_s"), DoubleColumn.create("updates_per_s"),
                    DoubleColumn.create("deletes_per_s"), StringColumn.create("time_columns"), StringColumn.create("low_cardinality"),
                    StringColumn.create("primary_key"), IntColumn.create("indexes"), StringColumn.create("foreign_keys_in"),
                    StringColumn.create("foreign_keys_out"), IntColumn.create("statements"), LongColumn.create("calls"));
            for (TableAdvice a : tables) {
                Metrics m = a.metrics();
                t.stringColumn("table_name").append(a.name());
                t.longColumn("estimated_rows").append(m.estimatedRows());
                t.stringColumn("total_size").append(DiskSpace.human(m.totalBytes()));
                t.stringColumn("table_size").append(DiskSpace.human(m.tableBytes()));
                t.stringColumn("index_size").append(DiskSpace.human(m.indexBytes()));
                t.longColumn("dead_rows").append(m.deadRows());
                t.doubleColumn("inserts_per_s").append(m.insertsPerSecond());
                t.doubleColumn("updates_per_s").append(m.updatesPerSecond());
                t.doubleColumn("deletes_per_s").append(m.deletesPerSecond());
                t.stringColumn("time_columns").append(String.join(", ", a.timeColumns().stream().map(Advisor::range).toList()));
                t.stringColumn("low_cardinality").append(String.join(", ", a.columns().stream().filter(ColumnStats::lowCardinality)
                        .map(c -> c.name() + " (" + c.distinctValues() + ")").toList()));
                t.stringColumn("primary_key").append(a.primaryKey().map(k -> String.join(", ", k.columns())).orElse(""));
                t.intColumn("indexes").append(a.indexes().size());
                t.stringColumn("foreign_keys_in").append(String.join("; ", a.foreignKeysIn().stream().map(Key::describe).toList()));
                t.stringColumn("foreign_keys_out").append(String.join("; ", a.foreignKeysOut().stream().map(Key::describe).toList()));
                t.intColumn("statements").append(a.workload().size());
                t.longColumn("calls").append(a.workload().stream().mapToLong(Workload.Statement::calls).sum());
            }
            return t;
        }

        /** One row per reason: the table, whether it is a candidate, its priority and the reason. */
        public Table verdictsTable() {
            Table t = Table.create("advisor_verdicts", StringColumn.create("table_name"), BooleanColumn.create("candidate"),
                    StringColumn.create("priority"), StringColumn.create("reason"));
            for (TableAdvice a : tables) {
                for (String reason : a.reasons()) {
                    t.stringColumn("table_name").append(a.name());
                    t.booleanColumn("candidate").append(a.candidate());
                    t.stringColumn("priority").append(a.priority().name().toLowerCase(Locale.ROOT));
                    t.stringColumn("reason").append(reason);
                }
            }
            return t;
        }

        /** The tables with a layout: the layout, its key, interval or partitions, months, retention and priority. */
        public Table recommendationsTable() {
            Table t = Table.create("advisor_recommendations", StringColumn.create("table_name"), BooleanColumn.create("candidate"),
                    StringColumn.create("layout"), StringColumn.create("strategy"), StringColumn.create("column_name"),
                    StringColumn.create("partition_interval"), IntColumn.create("modulus"), StringColumn.create("list_values"),
                    StringColumn.create("first_month"), StringColumn.create("last_month"), IntColumn.create("months_ahead"),
                    IntColumn.create("retention_months"), StringColumn.create("priority"), StringColumn.create("priority_reason"));
            for (TableAdvice a : tables) {
                Recommendation r = a.recommendation();
                if (r == null) continue;
                t.stringColumn("table_name").append(a.name());
                t.booleanColumn("candidate").append(a.candidate());
                t.stringColumn("layout").append(r.describe());
                t.stringColumn("strategy").append(r.strategy().name());
                t.stringColumn("column_name").append(r.column());
                t.stringColumn("partition_interval").append(r.interval() == null ? "" : r.interval().name());
                t.intColumn("modulus").append(r.modulus());
                t.stringColumn("list_values").append(String.join(", ", r.listValues()));
                t.stringColumn("first_month").append(r.firstMonth() == null ? "" : r.firstMonth().toString());
                t.stringColumn("last_month").append(r.lastMonth() == null ? "" : r.lastMonth().toString());
                t.intColumn("months_ahead").append(r.monthsAhead());
                if (a.retentionMonths() == null) t.intColumn("retention_months").appendMissing();
                else t.intColumn("retention_months").append(a.retentionMonths());
                t.stringColumn("priority").append(a.priority().name().toLowerCase(Locale.ROOT));
                t.stringColumn("priority_reason").append(a.priorityReason());
            }
            return t;
        }

        /** The three tables, for a runbook's --format and notebooks. */
        public List<Table> tablesToShow() {
            return List.of(metricsTable(), verdictsTable(), recommendationsTable());
        }

        /** Lines for people: what was analysed, the thresholds, where the workload came from. */
        public List<String> notes() {
            List<String> notes = new ArrayList<>();
            notes.add(String.format(Locale.ROOT, "database %s: %d table(s) analysed, %d candidate(s); too small below %,d estimated rows",
                    database, tables.size(), candidates().size(), options.minRows()));
            notes.add("workload: " + workload.note());
            notes.add("read from the catalogs and statistics only, in a READ ONLY transaction: nothing was written");
            return notes;
        }
    }

    /**
     * Analyses the tables of the node's database that the options select, in one READ ONLY transaction rolled back.
     * An unknown schema or table is {@link BadInput}.
     */
    public static Report analyze(Node node, Options options) {
        Options o = options == null ? Options.defaults() : options;
        String schema = o.schema();
        String table = o.table();
        if (table != null && table.contains(".")) {
            String[] name = Workload.split(table);
            if (schema != null && !schema.equals(name[0])) throw new BadInput("--table " + table + " is not in --schema " + schema);
            schema = name[0];
            table = name[1];
        }
        final String s = schema;
        final String t = table;
        return node.rolledBack(inside -> {
            inside.query("SET TRANSACTION READ ONLY");
            String database = String.valueOf(inside.scalar("SELECT current_database()"));
            if (s != null && !Boolean.TRUE.equals(inside.scalar("SELECT to_regnamespace(?) IS NOT NULL", quoteIdent(s)))) {
                throw new BadInput("no schema " + s + " in database " + database);
            }
            Map<String, String> where = new LinkedHashMap<>();
            if (s != null) where.put("lab.schema", s);
            if (t != null) where.put("lab.table_name", t);
            Table tables = inside.run("advisor/tables.sql", where).lastTable();
            if (t != null && tables.rowCount() == 0) {
                throw new BadInput("no table " + t + (s == null ? " in any schema" : " in schema " + s) + " of database " + database
                        + " (an ordinary or partitioned table)");
            }
            Map<String, String> columnsWhere = new LinkedHashMap<>(where);
            columnsWhere.put("lab.max_list_values", Integer.toString(o.maxListValues()));
            Table columns = inside.run("advisor/columns.sql", columnsWhere).lastTable();
            Table keys = inside.run("advisor/keys.sql", where).lastTable();
            Table indexes = inside.run("advisor/indexes.sql", where).lastTable();
            Workload.Status status = Workload.status(inside);
            YearMonth now = YearMonth.parse(String.valueOf(inside.scalar("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')")));
            List<TableAdvice> advice = new ArrayList<>();
            for (int i = 0; i < tables.rowCount(); i++) {
                String sc = tables.getString(i, "schema_name");
                String tn = tables.getString(i, "table_name");
                List<ColumnStats> cols = columnsOf(columns, sc, tn);
                List<Workload.Statement> workload = status.available()
                        ? Workload.of(inside, sc, tn, cols.stream().map(ColumnStats::name).toList()) : List.of();
                advice.add(advise(new Facts(sc, tn, Boolean.TRUE.equals(tables.get(i, tables.columnIndex("is_partitioned"))),
                        text(tables, "partition_key", i), metrics(tables, i), timeColumnsOf(columns, sc, tn), cols,
                        keysOf(keys, sc, tn), indexesOf(indexes, sc, tn), workload, status.available()), o, now));
            }
            advice.sort(Comparator.comparing((TableAdvice a) -> !a.candidate()).thenComparing(a -> a.priority().ordinal())
                    .thenComparing(a -> -a.metrics().estimatedRows()).thenComparing(TableAdvice::name));
            return new Report(database, status, o, advice);
        });
    }

    /** A --database option's value, refused (bad input) before any server is touched unless it is a plain name. */
    public static String checkedDatabaseName(String database) {
        if (database != null && !database.matches("[A-Za-z_][A-Za-z0-9_$-]{0,62}")) {
            throw new BadInput("--database '" + database + "' is not a database name");
        }
        return database;
    }

    /**
     * Another database on the same server as {@code server}, as a node of its own (close it when done); a database
     * the server does not have is {@link BadInput}.
     */
    public static Node onDatabase(Node server, String database) {
        if (!Boolean.TRUE.equals(server.scalar("SELECT EXISTS (SELECT FROM pg_database WHERE datname = ?)", database))) {
            throw new BadInput("no database " + database + " on the server of node " + server.name());
        }
        Dsn d = server.dsn();
        return new Node(database, new Dsn(d.host(), d.port(), database, d.user(), d.password(), d.query()));
    }

    /** Everything read about one table, before deciding. */
    record Facts(String schema, String table, boolean partitioned, String partitionKey, Metrics metrics, List<TimeColumn> timeColumns,
            List<ColumnStats> columns, List<Key> keys, List<String> indexes, List<Workload.Statement> workload, boolean workloadKnown) {}

    /** The decision on one table (see the class comment): pure, from what was read. */
    static TableAdvice advise(Facts f, Options o, YearMonth now) {
        List<String> reasons = new ArrayList<>();
        long rows = f.metrics().estimatedRows();
        if (f.partitioned()) {
            reasons.add("already partitioned: " + f.partitionKey());
            return new TableAdvice(f.schema(), f.table(), true, f.partitionKey(), f.metrics(), f.timeColumns(), f.columns(), f.keys(),
                    f.indexes(), f.workload(), false, reasons, null, null, Priority.LOW, "already partitioned");
        }
        boolean tooSmall = rows < o.minRows();
        reasons.add(String.format(Locale.ROOT, tooSmall ? "too small: ~%,d estimated rows, below %,d" : "big enough: ~%,d estimated rows (threshold %,d)",
                rows, o.minRows()));
        if (tooSmall) {
            // no layout for it: a lookup or a small log stays as it is, whatever its queries (the foreign keys still said)
            for (Key fk : f.keys()) {
                if (fk.kind().equals("foreign key in")) reasons.add("foreign keys point at it: " + fk.describe());
            }
            return new TableAdvice(f.schema(), f.table(), false, null, f.metrics(), f.timeColumns(), f.columns(), f.keys(), f.indexes(),
                    f.workload(), false, reasons, null, null, Priority.LOW, "too small");
        }

        // the key: what the statements filter on, weighted by their calls
        Map<String, Long> filterCalls = new LinkedHashMap<>();
        Map<String, Integer> filterStatements = new LinkedHashMap<>();
        for (Workload.Statement st : f.workload()) {
            for (String c : st.filterColumns()) {
                filterCalls.merge(c, st.calls(), Long::sum);
                filterStatements.merge(c, 1, Integer::sum);
            }
        }
        String key = null;
        TimeColumn timeKey = null;
        if (f.workloadKnown()) {
            if (f.workload().isEmpty()) {
                reasons.add("no partition key the queries filter on: pg_stat_statements has no statement that mentions it");
            } else if (filterCalls.isEmpty()) {
                reasons.add("no partition key the queries filter on: none of its " + f.workload().size() + " statement(s) filters on one of its columns");
            } else {
                long top = filterCalls.values().stream().mapToLong(Long::longValue).max().orElse(0);
                timeKey = f.timeColumns().stream().filter(tc -> filterCalls.getOrDefault(tc.name(), 0L) * 2 >= top)
                        .max(Comparator.comparingLong(tc -> filterCalls.get(tc.name()))).orElse(null);
                key = timeKey != null ? timeKey.name()
                        : filterCalls.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
                reasons.add(String.format(Locale.ROOT, "the queries filter on %s: %d of %d statement(s), %,d of %,d calls", key,
                        filterStatements.get(key), f.workload().size(), filterCalls.get(key),
                        f.workload().stream().mapToLong(Workload.Statement::calls).sum()));
                if (timeKey == null) {
                    for (TimeColumn tc : f.timeColumns()) {
                        if (!filterCalls.containsKey(tc.name())) reasons.add("the queries never filter on its time column " + tc.name());
                    }
                }
            }
        } else {
            timeKey = f.timeColumns().stream().filter(TimeColumn::notNull).findFirst().orElse(f.timeColumns().stream().findFirst().orElse(null));
            if (timeKey != null) {
                key = timeKey.name();
                reasons.add("workload unknown (no pg_stat_statements): the key is its time column " + key + ", unchecked against the queries");
            } else {
                reasons.add("no partition key the queries filter on: workload unknown (no pg_stat_statements) and no time column");
            }
        }

        Recommendation recommendation = null;
        Integer retention = null;
        if (key != null) {
            final String k = key;
            YearMonth first = timeKey == null || timeKey.first() == null ? null : YearMonth.from(timeKey.first());
            YearMonth last = timeKey == null || timeKey.last() == null ? null : YearMonth.from(timeKey.last());
            if (timeKey != null) {
                if (first == null) reasons.add("no statistics on " + key + " yet: run ANALYZE for its range");
                long months = first == null ? 1 : Math.max(1, ChronoUnit.MONTHS.between(first, last) + 1);
                double perMonth = (double) rows / months;
                Recommendation.Interval interval = interval(perMonth, o.partitionRows());
                String second = interval == Recommendation.Interval.DAY && perMonth / 30 > o.partitionRows()
                        ? filterCalls.keySet().stream().filter(c -> !c.equals(k)).findFirst().orElse(null) : null;
                if (first != null) {
                    retention = (int) Math.max(1, ChronoUnit.MONTHS.between(first, now));
                    reasons.add(String.format(Locale.ROOT, "%s spans %s to %s: ~%,d rows a month, one partition a %s; its oldest rows suggest keeping %d month(s)",
                            key, first, last, Math.round(perMonth), interval.name().toLowerCase(Locale.ROOT), retention));
                }
                recommendation = second == null
                        ? new Recommendation(f.schema() + "." + f.table(), Recommendation.Strategy.RANGE, key, interval, 0, List.of(), null,
                                first, last, o.monthsAhead(), retention)
                        : new Recommendation(f.schema() + "." + f.table(), Recommendation.Strategy.RANGE_HASH, key, interval,
                                modulus(perMonth / 30, o.partitionRows()), List.of(), second, first, last, o.monthsAhead(), retention);
            } else {
                ColumnStats stats = f.columns().stream().filter(c -> c.name().equals(k)).findFirst().orElse(null);
                Long distinct = stats == null ? null : stats.distinctValues();
                if (stats != null && stats.lowCardinality() && !stats.commonValues().isEmpty()) {
                    reasons.add(key + " has " + distinct + " values: one LIST partition each");
                    recommendation = new Recommendation(f.schema() + "." + f.table(), Recommendation.Strategy.LIST, key, null, 0,
                            stats.commonValues(), null, null, null, o.monthsAhead(), null);
                } else {
                    int modulus = modulus(rows, o.minRows());
                    reasons.add(String.format(Locale.ROOT, "%s has %s values, too many for LIST: HASH into %d partitions", key,
                            distinct == null ? "unknown" : String.format(Locale.ROOT, "~%,d", distinct), modulus));
                    recommendation = new Recommendation(f.schema() + "." + f.table(), Recommendation.Strategy.HASH, key, null, modulus,
                            List.of(), null, null, null, o.monthsAhead(), null);
                }
            }
        }

        // what the keys allow
        boolean blocked = false;
        if (key != null) {
            for (Key fk : f.keys()) {
                if (fk.kind().equals("foreign key in") && !fk.columns().contains(key)) {
                    blocked = true;
                    reasons.add("foreign keys point at it: " + fk.describe() + "; partitioned, its referenced key must include " + key);
                }
                if ((fk.kind().equals("primary key") || fk.kind().equals("unique")) && !fk.columns().contains(key)) {
                    reasons.add("a " + fk.kind() + " without the key: (" + String.join(", ", fk.columns()) + ") becomes ("
                            + String.join(", ", fk.columns()) + ", " + key + ")");
                }
            }
        } else {
            for (Key fk : f.keys()) {
                if (fk.kind().equals("foreign key in")) reasons.add("foreign keys point at it: " + fk.describe());
            }
        }
        boolean candidate = key != null && !blocked;
        if (candidate) {
            // a candidate all the same; only the lab's generated plan cannot move it (AdvisorPlan refuses it with this reason)
            f.columns().stream().filter(c -> c.dataType().endsWith(" as identity")).findFirst().ifPresent(c -> reasons.add("an identity column, "
                    + c.name() + ": the generated online migration needs ids from a sequence default (as bigserial has), so --plan writes none"));
        }

        Priority priority;
        String why;
        boolean deletes = f.metrics().deletesPerSecond() > 0
                || f.workload().stream().anyMatch(st -> st.query().strip().toLowerCase(Locale.ROOT).startsWith("delete") && st.calls() > 0);
        if (!candidate) {
            priority = Priority.LOW;
            why = key == null ? "no partition key the queries filter on" : "foreign keys point at it";
        } else if (deletes && retention != null) {
            priority = Priority.HIGH;
            why = "rows are deleted: dropping a month's partition would replace the DELETEs and their VACUUM";
        } else if (rows >= 10 * o.minRows()) {
            priority = Priority.HIGH;
            why = String.format(Locale.ROOT, "%.0f times the threshold", (double) rows / Math.max(1, o.minRows()));
        } else if (f.metrics().deadRows() > Math.max(1, rows) / 5) {
            priority = Priority.HIGH;
            why = "many dead rows: partitions would keep VACUUM's work small";
        } else {
            priority = Priority.MEDIUM;
            why = String.format(Locale.ROOT, "a candidate at %.1f times the threshold", (double) rows / Math.max(1, o.minRows()));
        }
        return new TableAdvice(f.schema(), f.table(), false, null, f.metrics(), f.timeColumns(), f.columns(), f.keys(), f.indexes(),
                f.workload(), candidate, reasons, recommendation, retention, priority, why);
    }

    /** MONTH when a month holds at most {@code partitionRows} rows, else WEEK when a week does, else DAY. */
    static Recommendation.Interval interval(double rowsPerMonth, long partitionRows) {
        if (rowsPerMonth <= partitionRows) return Recommendation.Interval.MONTH;
        if (rowsPerMonth * 7 / 30 <= partitionRows) return Recommendation.Interval.WEEK;
        return Recommendation.Interval.DAY;
    }

    /** A power of two of partitions of about {@code perPartition} rows each, 4 to 64. */
    static int modulus(double rows, long perPartition) {
        double wanted = Math.ceil(rows / Math.max(1, perPartition));
        int m = 4;
        while (m < wanted && m < 64) m *= 2;
        return m;
    }

    private static String range(TimeColumn c) {
        return c.first() == null ? c.name() + " (no statistics)" : c.name() + " " + c.first().toLocalDate() + ".." + c.last().toLocalDate();
    }

    private static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static Metrics metrics(Table t, int i) {
        return new Metrics(num(t, "estimated_rows", i), num(t, "total_bytes", i), num(t, "table_bytes", i), num(t, "index_bytes", i),
                num(t, "dead_rows", i), dbl(t, "inserts_per_second", i), dbl(t, "updates_per_second", i), dbl(t, "deletes_per_second", i));
    }

    private static List<ColumnStats> columnsOf(Table t, String schema, String table) {
        List<ColumnStats> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!t.getString(i, "schema_name").equals(schema) || !t.getString(i, "table_name").equals(table)) continue;
            Long distinct = t.column("distinct_values").isMissing(i) ? null : num(t, "distinct_values", i);
            out.add(new ColumnStats(t.getString(i, "column_name"), t.getString(i, "data_type"), bool(t, "not_null", i), distinct,
                    bool(t, "low_cardinality", i), arrayText(text(t, "common_values", i))));
        }
        return out;
    }

    private static List<TimeColumn> timeColumnsOf(Table t, String schema, String table) {
        List<TimeColumn> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!t.getString(i, "schema_name").equals(schema) || !t.getString(i, "table_name").equals(table) || !bool(t, "is_time", i)) continue;
            out.add(new TimeColumn(t.getString(i, "column_name"), t.getString(i, "data_type"), bool(t, "not_null", i),
                    (LocalDateTime) t.get(i, t.columnIndex("first_value")), (LocalDateTime) t.get(i, t.columnIndex("last_value"))));
        }
        return out;
    }

    private static List<Key> keysOf(Table t, String schema, String table) {
        List<Key> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!t.getString(i, "schema_name").equals(schema) || !t.getString(i, "table_name").equals(table)) continue;
            out.add(new Key(t.getString(i, "kind"), t.getString(i, "constraint_name"), list(text(t, "columns", i)),
                    text(t, "other_table", i), list(text(t, "other_columns", i))));
        }
        return out;
    }

    private static List<String> indexesOf(Table t, String schema, String table) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (t.getString(i, "schema_name").equals(schema) && t.getString(i, "table_name").equals(table)) {
                out.add(t.getString(i, "index_name") + " (" + text(t, "columns", i) + ")");
            }
        }
        return out;
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) return List.of();
        return List.of(commaSeparated.split(",\\s*"));
    }

    /** {a,b,"c d"} (a text[] as text) as its elements. */
    static List<String> arrayText(String array) {
        if (array == null || array.length() < 2) return List.of();
        List<String> out = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|([^,{}]+)").matcher(array.substring(1, array.length() - 1));
        while (m.find()) out.add(m.group(1) != null ? m.group(1).replaceAll("\\\\(.)", "$1") : m.group(2));
        return out;
    }

    private static String text(Table t, String column, int i) {
        return t.column(column).isMissing(i) ? null : String.valueOf(t.get(i, t.columnIndex(column)));
    }

    private static long num(Table t, String column, int i) {
        return t.column(column).isMissing(i) ? 0 : ((Number) t.get(i, t.columnIndex(column))).longValue();
    }

    private static double dbl(Table t, String column, int i) {
        return t.column(column).isMissing(i) ? 0 : ((Number) t.get(i, t.columnIndex(column))).doubleValue();
    }

    private static boolean bool(Table t, String column, int i) {
        return !t.column(column).isMissing(i) && Boolean.TRUE.equals(t.get(i, t.columnIndex(column)));
    }
}
