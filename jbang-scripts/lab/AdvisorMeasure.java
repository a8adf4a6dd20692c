package lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The advisor's measured estimate: what a recommended layout really gains, measured on a sample instead of guessed.
 * It copies a time-stratified sample of the candidate into two tables on a scratch server, the table as it is and
 * the recommended partitioned layout, runs the queries on each (several runs, alternating, after a warm-up; each
 * {@code $n} bound from the sample, see {@link MeasureBinding}), and measures one interval's retention both ways:
 * DELETE + VACUUM against DETACH + DROP.
 *
 * <p>It writes only to the scratch server: the analysed database is read in one READ ONLY transaction (its catalogs,
 * then {@code COPY ... TO STDOUT}), and a scratch server that is the analysed database itself is refused. The copies
 * live in two schemas of their own there ({@value #AS_IS_SCHEMA}, {@value #PARTITIONED_SCHEMA}), dropped and made
 * again by every run, and left behind for a look afterwards.
 */
public final class AdvisorMeasure {
    /** Where the copy of the table as it is goes on the scratch server. */
    public static final String AS_IS_SCHEMA = "advisor_measure_as_is";
    /** Where the recommended layout goes on the scratch server. */
    public static final String PARTITIONED_SCHEMA = "advisor_measure_partitioned";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WRITES = Pattern.compile("(?is)\\b(INSERT\\s+INTO|UPDATE\\s+\\S+\\s+SET|DELETE\\s+FROM|MERGE\\s+INTO|TRUNCATE)\\b");
    private static final Pattern READS = Pattern.compile("(?is)^(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/|\\()*(SELECT|WITH|TABLE|VALUES)\\b");

    private AdvisorMeasure() {}

    /**
     * @param sampleRows rows copied (fewer if the table has fewer)
     * @param runs       timed runs per query and layout, after one warm-up run each
     * @param seed       the sample's and the bound values' seed: the same seed, the same sample and values
     */
    public record Options(long sampleRows, int runs, long seed) {
        public static final long DEFAULT_SAMPLE_ROWS = 100_000;
        public static final int DEFAULT_RUNS = 7;
        public static final long DEFAULT_SEED = 42;

        public Options {
            if (sampleRows <= 0) throw new BadInput("--sample-rows must be at least 1, got " + sampleRows);
            if (runs < 1 || runs > Bench.Options.MAX_RUNS) {
                throw new BadInput("--runs must be between 1 and " + Bench.Options.MAX_RUNS + ", got " + runs);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_SAMPLE_ROWS, DEFAULT_RUNS, DEFAULT_SEED);
        }

        public Options withSampleRows(long rows) {
            return new Options(rows, runs, seed);
        }

        public Options withRuns(int count) {
            return new Options(sampleRows, count, seed);
        }
    }

    /**
     * One query: measured (times per run on each layout, the partitioned layout's plan) or skipped with its reason.
     *
     * @param status  {@code measured}, or {@code skipped: <reason>}
     * @param binding what each {@code $n} was given ("" for a query without any)
     */
    public record QueryResult(String query, String status, String binding, double[] asIsMs, double[] partitionedMs,
            PlanSummary plan) {
        public boolean measured() {
            return plan != null;
        }

        public double asIsMedianMs() {
            return Bench.percentile(asIsMs, 50);
        }

        public double partitionedMedianMs() {
            return Bench.percentile(partitionedMs, 50);
        }

        /** The partitioned layout's median over the as-is one's: 0.5 means twice as fast partitioned. */
        public double ratio() {
            return partitionedMedianMs() / asIsMedianMs();
        }

        /** Each run's partitioned time over the same run's as-is time (the same values bound in both). */
        public double[] runRatios() {
            double[] ratios = new double[asIsMs.length];
            for (int i = 0; i < ratios.length; i++) ratios[i] = partitionedMs[i] / asIsMs[i];
            return ratios;
        }

        /** A nearest-rank percentile of the per-run ratios: 25 and 75 give the interquartile range. */
        public double ratioPercentile(double p) {
            return Bench.percentile(runRatios(), p);
        }

        /** e.g. "1 of 13": partitions the partitioned layout scanned, of all it has. */
        public String partitions() {
            return plan == null ? "" : plan.partitionsScanned() + " of " + plan.partitionsTotal();
        }
    }

    /**
     * What a measurement found.
     *
     * @param tableRows  the analysed table's rows when the sample was read
     * @param sampleRows rows in each copy
     * @param partitions leaf partitions of the partitioned copy
     * @param retention  one row per layout: one interval removed, its times and the heap before and after
     * @param notes      the sample and its caveat first, then what the copies could not keep as it is
     */
    public record Result(String table, Recommendation recommendation, long tableRows, long sampleRows, int partitions,
            List<QueryResult> queries, Table retention, List<String> notes) {
        /** One row per query: medians, the ratio with its spread over the runs, partitions scanned; skipped ones with why. */
        public Table queryTable() {
            StringColumn query = StringColumn.create("query");
            StringColumn status = StringColumn.create("status");
            DoubleColumn asIs = DoubleColumn.create("as_is_ms");
            DoubleColumn partitioned = DoubleColumn.create("partitioned_ms");
            DoubleColumn ratio = DoubleColumn.create("ratio");
            DoubleColumn q1 = DoubleColumn.create("ratio_q1");
            DoubleColumn q3 = DoubleColumn.create("ratio_q3");
            DoubleColumn min = DoubleColumn.create("ratio_min");
            DoubleColumn max = DoubleColumn.create("ratio_max");
            StringColumn scanned = StringColumn.create("partitions_scanned");
            StringColumn binding = StringColumn.create("bound");
            for (QueryResult q : queries) {
                query.append(q.query().strip().replaceAll("\\s+", " "));
                status.append(q.status());
                binding.append(q.binding());
                scanned.append(q.partitions());
                if (!q.measured()) {
                    for (DoubleColumn c : List.of(asIs, partitioned, ratio, q1, q3, min, max)) c.appendMissing();
                    continue;
                }
                asIs.append(Bench.round(q.asIsMedianMs()));
                partitioned.append(Bench.round(q.partitionedMedianMs()));
                ratio.append(Bench.round(q.ratio()));
                q1.append(Bench.round(q.ratioPercentile(25)));
                q3.append(Bench.round(q.ratioPercentile(75)));
                min.append(Bench.round(q.ratioPercentile(0)));
                max.append(Bench.round(q.ratioPercentile(100)));
            }
            return Table.create("measured on a sample of " + String.format(Locale.ROOT, "%,d", sampleRows) + " rows: "
                    + recommendation.describe() + " / as is", query, status, asIs, partitioned, ratio, q1, q3, min, max, scanned, binding);
        }

        /** The sample's size and that ratios at full size may differ: the line to print with the tables. */
        public String note() {
            return notes.get(0);
        }

        public List<Table> tables() {
            return List.of(queryTable(), retention);
        }
    }

    /**
     * Measures {@code r} on a sample of its table. Bad input (a scratch server that is the analysed database, a table or
     * column that is not there, a layout the table cannot take) is refused before anything is written anywhere.
     *
     * @param analysed where the table lives: only read, in a READ ONLY transaction
     * @param scratch  where the copies go: the only server written to
     * @param queries  statements on the table, with {@code $n} placeholders as pg_stat_statements normalizes them or not
     */
    public static Result measure(Node analysed, Node scratch, Recommendation r, List<String> queries, Options options) {
        return measure(analysed, scratch, r, queries, options, Progress.Mode.OFF);
    }

    /** {@link #measure(Node, Node, Recommendation, List, Options)} with a progress display: the sample, each query, the retention. */
    public static Result measure(Node analysed, Node scratch, Recommendation r, List<String> queries, Options options, Progress.Mode progressMode) {
        refuseSameDatabase(analysed.dsn(), scratch.dsn());
        Sample sample;
        List<QueryResult> results = new ArrayList<>();
        Table retention;
        try (Progress progress = Progress.start("measure " + r.table(), queries.size() + 2L, "steps", progressMode)) {
            sample = Sample.copy(analysed, scratch, r, options);
            String asIs = Explain.qualified(AS_IS_SCHEMA, sample.table().name());
            String partitioned = Explain.qualified(PARTITIONED_SCHEMA, sample.table().name());
            Table settle = scratch.run("advisor/measure/analyze.sql", Map.of("lab.as_is", asIs, "lab.partitioned", partitioned)).lastTable();
            for (String statement : settle.stringColumn("statement")) Sql.text("measure: settle the copies", statement).run(scratch, Map.of());
            progress.step(1);
            Random random = new Random(options.seed());
            for (String q : queries) {
                results.add(query(scratch, sample, r, q, options, random));
                progress.step(1);
            }
            retention = retention(scratch, sample, r, asIs, partitioned);
            progress.step(1);
        }

        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "a sample of %,d of the %,d rows of %s (%s), copied as it is and as %s to %s; %d runs per query "
                        + "and layout after a warm-up, the layouts alternating; ratios at full size may differ: a larger table has deeper "
                        + "indexes, less of it in memory, and more partitions for a query to skip",
                sample.rows(), sample.tableRows(), r.table(), sample.stratifiedBy(), r.describe(), scratch.name(), options.runs()));
        if (retention.rowCount() == 0) notes.add("retention not measured: " + retention.name());
        notes.addAll(sample.notices());
        return new Result(r.table(), r, sample.tableRows(), sample.rows(), sample.partitions(), List.copyOf(results), retention, List.copyOf(notes));
    }

    /**
     * Refuses a scratch server that is the analysed database: the same port and database on the same host (names that
     * resolve to one address, or both loopback). {@link Sample#copy} checks once more with the servers' own answer.
     */
    public static void refuseSameDatabase(Dsn analysed, Dsn scratch) {
        if (analysed.port() == scratch.port() && analysed.database().equals(scratch.database()) && sameHost(analysed.host(), scratch.host())) {
            throw sameDatabase(scratch);
        }
    }

    static BadInput sameDatabase(Dsn scratch) {
        return new BadInput("the scratch server " + scratch + " is the analysed database itself: --measure writes to its scratch server, "
                + "give another (--scratch-dsn, or LAB_DSN_SCRATCH)");
    }

    private static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) return true;
        try {
            List<InetAddress> left = Arrays.asList(InetAddress.getAllByName(a));
            List<InetAddress> right = Arrays.asList(InetAddress.getAllByName(b));
            boolean bothLoopback = left.stream().allMatch(InetAddress::isLoopbackAddress) && right.stream().allMatch(InetAddress::isLoopbackAddress);
            return bothLoopback || left.stream().anyMatch(right::contains);
        } catch (UnknownHostException e) {
            return false; // one does not resolve: the connection will say so
        }
    }

    // ------------------------------------------------------------------------------------------------ the queries

    private static QueryResult query(Node scratch, Sample sample, Recommendation r, String text, Options options, Random random) {
        String query = text.strip().replaceFirst(";\\s*$", "");
        TableDefinition table = sample.table();
        if (!READS.matcher(query).find() || WRITES.matcher(query).find()) {
            return skipped(query, "it writes: only reads are measured, the copies stay as sampled");
        }
        String local = table.unqualified(query);
        if (local == null) return skipped(query, "it does not name " + r.table());
        MeasureBinding.Parsed parsed = MeasureBinding.parse(local, table.timeColumns());
        if (!parsed.bindable()) return skipped(query, parsed.unbindable());
        String binding = String.join("; ", parsed.slots().stream()
                .map(s -> s.describe(s.kind() == MeasureBinding.Kind.RANGE_HIGH && !Boolean.TRUE.equals(table.timeColumns().get(s.column()))
                        ? null : width(r, s.column()))).toList());
        Binder binder = new Binder(scratch, sample, random);
        try {
            String bound = binder.bind(local, parsed, r);
            for (String schema : List.of(AS_IS_SCHEMA, PARTITIONED_SCHEMA)) BenchTiming.execute(scratch, on(schema, bound)); // warm-up
            double[] asIs = new double[options.runs()];
            double[] partitioned = new double[options.runs()];
            for (int run = 0; run < options.runs(); run++) {
                bound = binder.bind(local, parsed, r);
                if (run % 2 == 0) {
                    asIs[run] = BenchTiming.execute(scratch, on(AS_IS_SCHEMA, bound)).ms();
                    partitioned[run] = BenchTiming.execute(scratch, on(PARTITIONED_SCHEMA, bound)).ms();
                } else {
                    partitioned[run] = BenchTiming.execute(scratch, on(PARTITIONED_SCHEMA, bound)).ms();
                    asIs[run] = BenchTiming.execute(scratch, on(AS_IS_SCHEMA, bound)).ms();
                }
            }
            PlanSummary plan = Explain.analyze(scratch, on(PARTITIONED_SCHEMA, bound));
            return new QueryResult(query, "measured", binding, asIs, partitioned, plan);
        } catch (LabSqlException e) {
            return skipped(query, "it fails on the copies: " + e.serverMessage());
        } catch (IllegalArgumentException e) {
            return skipped(query, e.getMessage());
        }
    }

    private static QueryResult skipped(String query, String why) {
        return new QueryResult(query, "skipped: " + why, "", new double[0], new double[0], null);
    }

    /** The query on one copy: the copy's schema first on the search path, where the table's name finds it. */
    private static Sql on(String schema, String query) {
        return Sql.text("measured query on " + schema, "SET search_path = " + schema + ", public;\n" + query);
    }

    /** How far a range on a time column reaches: one interval of the recommendation on its key, else a day. */
    private static String width(Recommendation r, String column) {
        boolean key = column == null || column.equals(r.column()) || column.equals(r.subColumn());
        return "1 " + (key && r.interval() != null ? r.interval().name().toLowerCase(Locale.ROOT) : "day");
    }

    /** Values for a query's placeholders from random rows of the as-is copy, on the scratch server. */
    private record Binder(Node scratch, Sample sample, Random random) {
        String bind(String query, MeasureBinding.Parsed parsed, Recommendation r) {
            return MeasureBinding.bind(query, parsed, sample.table().timeColumns(), column -> width(r, column), this::row, this::plus);
        }

        private Map<String, String> row() {
            String sql = "SELECT * FROM " + Explain.qualified(AS_IS_SCHEMA, sample.table().name()) + " OFFSET ? LIMIT 1";
            try (Connection c = scratch.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, (long) (random.nextDouble() * sample.rows()));
                Map<String, String> values = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) values.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                }
                return values;
            } catch (SQLException e) {
                throw new LabSqlException(scratch.name(), sql, e);
            }
        }

        /** A time value plus an interval, as the server computes it for the column's type (a catalog name). */
        private String plus(String column, String value, String width) {
            String type = sample.table().types().get(column);
            return String.valueOf(scratch.scalar("SELECT (CAST(? AS " + type + ") + CAST(? AS interval))::text", value, width));
        }
    }

    // ------------------------------------------------------------------------------------------------ retention

    /** One interval removed from each copy: DELETE + VACUUM on the table as it is, DETACH + DROP of its partition. */
    private static Table retention(Node scratch, Sample sample, Recommendation r, String asIs, String partitioned) {
        StringColumn layout = StringColumn.create("layout");
        StringColumn operation = StringColumn.create("operation");
        StringColumn removed = StringColumn.create("removed");
        LongColumn rows = LongColumn.create("rows");
        DoubleColumn first = DoubleColumn.create("first_ms");
        DoubleColumn second = DoubleColumn.create("second_ms");
        DoubleColumn total = DoubleColumn.create("total_ms");
        LongColumn heapBefore = LongColumn.create("heap_bytes_before");
        LongColumn heapAfter = LongColumn.create("heap_bytes_after");
        LongColumn allBefore = LongColumn.create("total_bytes_before");
        LongColumn allAfter = LongColumn.create("total_bytes_after");
        Table target = scratch.run("advisor/measure/retention.sql",
                Map.of("lab.as_is", asIs, "lab.partitioned", partitioned, "lab.column", r.column())).lastTable();
        if (target.rowCount() == 0) {
            return Table.create("no interval to remove: " + r.describe() + " has no range or list partition to drop", layout, operation,
                    removed, rows, first, second, total, heapBefore, heapAfter, allBefore, allAfter);
        }
        String partition = target.stringColumn("partition").get(0);
        String bound = target.stringColumn("bound").get(0).replaceFirst("^FOR VALUES ", "");
        long[] asIsBefore = sizes(scratch, asIs);
        long inPartition = scratch.count(partition);
        Timed delete = timed(scratch, target.stringColumn("delete_sql").get(0));
        Timed vacuum = timed(scratch, target.stringColumn("vacuum_sql").get(0));
        long[] asIsAfter = sizes(scratch, asIs);
        long[] partitionedBefore = sizes(scratch, partitioned);
        Timed detach = timed(scratch, target.stringColumn("detach_sql").get(0));
        Timed drop = timed(scratch, target.stringColumn("drop_sql").get(0));
        long[] partitionedAfter = sizes(scratch, partitioned);

        layout.append("as is").append("partitioned");
        operation.append("DELETE + VACUUM").append("DETACH + DROP " + partition);
        removed.append(bound).append(bound);
        rows.append(delete.rows()).append(inPartition);
        first.append(Bench.round(delete.ms())).append(Bench.round(detach.ms()));
        second.append(Bench.round(vacuum.ms())).append(Bench.round(drop.ms()));
        total.append(Bench.round(delete.ms() + vacuum.ms())).append(Bench.round(detach.ms() + drop.ms()));
        heapBefore.append(asIsBefore[0]).append(partitionedBefore[0]);
        heapAfter.append(asIsAfter[0]).append(partitionedAfter[0]);
        allBefore.append(asIsBefore[1]).append(partitionedBefore[1]);
        allAfter.append(asIsAfter[1]).append(partitionedAfter[1]);
        return Table.create("retention of one interval on the sample", layout, operation, removed, rows, first, second, total,
                heapBefore, heapAfter, allBefore, allAfter);
    }

    private record Timed(long rows, double ms) {}

    /** A maintenance statement's wall time (VACUUM cannot run inside the transaction {@link BenchTiming#execute} opens). */
    private static Timed timed(Node node, String statement) {
        long started = System.nanoTime();
        Sql.Result result = Sql.text("retention", statement).run(node, Map.of());
        return new Timed(result.statements().get(0).updateCount(), (System.nanoTime() - started) / 1e6);
    }

    /** Heap and total bytes of a copy, over its leaves. */
    private static long[] sizes(Node node, String table) {
        Table t = node.run("advisor/measure/sizes.sql", Map.of("lab.table_name", table)).lastTable();
        return new long[] {Tables.number(t, "heap_bytes", 0), Tables.number(t, "total_bytes", 0)};
    }

    // ------------------------------------------------------------------------------------------------ the sample

    /** The analysed table as definition.sql reads it. */
    record TableDefinition(String schema, String name, String kind, String columnsJson, String primaryKeyJson,
            String indexesJson, Map<String, String> types, Map<String, Boolean> timeColumns, Map<String, Boolean> notNull) {
        static TableDefinition of(Table t) {
            String columns = t.stringColumn("columns").get(0);
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, Boolean> time = new LinkedHashMap<>();
            Map<String, Boolean> notNull = new LinkedHashMap<>();
            try {
                for (JsonNode c : JSON.readTree(columns)) {
                    types.put(c.get("name").asText(), c.get("type").asText());
                    time.put(c.get("name").asText(), c.get("time").asBoolean());
                    notNull.put(c.get("name").asText(), c.get("not_null").asBoolean());
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable column list from definition.sql: " + e.getMessage(), e);
            }
            String pk = t.stringColumn("primary_key").get(0);
            return new TableDefinition(t.stringColumn("schema_name").get(0), t.stringColumn("table_name").get(0), t.stringColumn("kind").get(0),
                    columns, pk == null ? "" : pk, t.stringColumn("indexes").get(0), types, time, notNull);
        }

        /**
         * The query with this table's schema qualification removed, so that the copy's schema on the search path finds
         * it; null when the query does not name the table.
         */
        String unqualified(String query) {
            String table = "(?:\"" + Pattern.quote(name) + "\"|(?i:" + Pattern.quote(name) + "))";
            String schemaName = "(?:\"" + Pattern.quote(schema) + "\"|(?i:" + Pattern.quote(schema) + "))";
            if (!Pattern.compile("(?<![\\w$\"])" + table + "(?![\\w$\"])").matcher(query).find()) return null;
            return query.replaceAll("(?<![\\w$.\"])" + schemaName + "\\s*\\.\\s*(?=" + table + "(?![\\w$\"]))", "");
        }
    }

    /** The copies made on the scratch server, and what they hold. */
    record Sample(TableDefinition table, long tableRows, long rows, int partitions, String stratifiedBy, List<String> notices) {
        /**
         * Reads the definition and the sample from the analysed database in one READ ONLY transaction, makes the two
         * copies on the scratch server and streams the sample into both with COPY.
         */
        static Sample copy(Node analysed, Node scratch, Recommendation r, Options options) {
            try (Connection source = analysed.connection()) {
                source.setAutoCommit(false);
                try (Statement s = source.createStatement()) {
                    // one snapshot for catalogs, range and rows; and a guarantee, not a promise, that nothing is written there
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    return copy(source, analysed, scratch, r, options);
                } finally {
                    source.rollback();
                    source.setAutoCommit(true);
                    Node.resetSession(source);
                }
            } catch (SQLException e) {
                throw new LabSqlException(analysed.name(), "(the sample, read only)", e);
            }
        }

        private static Sample copy(Connection source, Node analysed, Node scratch, Recommendation r, Options options) throws SQLException {
            String sourceIdentity = Sql.file("advisor/measure/server.sql").runOn(source, analysed.name(), Map.of()).lastTable().stringColumn(0).get(0);
            if (sourceIdentity.equals(scratch.run("advisor/measure/server.sql").lastTable().stringColumn(0).get(0))) {
                throw sameDatabase(scratch.dsn());
            }
            Table found = Sql.file("advisor/measure/definition.sql").runOn(source, analysed.name(), Map.of("lab.table_name", r.table())).lastTable();
            if (found.rowCount() == 0) throw new BadInput("no table " + r.table() + " in the analysed database " + analysed.dsn().database());
            TableDefinition table = TableDefinition.of(found);
            if (!"r".equals(table.kind())) {
                throw new BadInput(r.table() + " is not an ordinary table (relkind " + table.kind() + "): only an ordinary table is measured against a partitioned layout");
            }
            String stratum = stratumColumn(table, r);
            String unit = r.interval() == null ? "month" : r.interval().name().toLowerCase(Locale.ROOT);
            boolean time = table.timeColumns().get(stratum);
            Table statements = Sql.file("advisor/measure/sample.sql").runOn(source, analysed.name(), Map.of(
                    "lab.table_name", r.table(), "lab.stratum_column", stratum, "lab.time", Boolean.toString(time),
                    "lab.unit", unit, "lab.sample_rows", Long.toString(options.sampleRows()))).lastTable();
            long tableRows;
            String first;
            String last;
            try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(statements.stringColumn("range_query").get(0))) {
                rs.next();
                tableRows = rs.getLong(1);
                first = rs.getString(2);
                last = rs.getString(3);
            }
            if (tableRows == 0) throw new BadInput(r.table() + " has no rows to sample");
            // a range layout's partitions cover first..last: its key is the stratum column (stratumColumn)
            Sql.Result made = scratch.run("advisor/measure/create.sql", createSettings(table, r, unit, first, last));
            Table copies = made.lastTable();
            int partitions = (int) Tables.number(copies, "partitions", copies.rowCount() - 1);

            try (Statement s = source.createStatement()) {
                s.execute("SELECT setseed(" + (Math.floorMod(options.seed(), 1_000_000) / 1_000_000.0) + ")");
            }
            long rows = stream(source, scratch, statements.stringColumn("copy_query").get(0), table);
            String stratifiedBy = time ? "an equal share of each " + unit + " of " + stratum : "an equal share of each value of " + stratum;
            return new Sample(table, tableRows, rows, partitions, stratifiedBy, made.notices());
        }

        /** COPY out of the analysed database, the same rows into both copies at once. */
        private static long stream(Connection source, Node scratch, String copyOut, TableDefinition table) throws SQLException {
            try (Connection asIs = scratch.connection(); Connection partitioned = scratch.connection()) {
                CopyIn intoAsIs = asIs.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY " + Explain.qualified(AS_IS_SCHEMA, table.name()) + " FROM STDIN");
                CopyIn intoPartitioned = partitioned.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY " + Explain.qualified(PARTITIONED_SCHEMA, table.name()) + " FROM STDIN");
                CopyOut out = null;
                try {
                    out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut);
                    byte[] row;
                    while ((row = out.readFromCopy()) != null) {
                        intoAsIs.writeToCopy(row, 0, row.length);
                        intoPartitioned.writeToCopy(row, 0, row.length);
                    }
                    long copied = intoAsIs.endCopy();
                    long copiedToo = intoPartitioned.endCopy();
                    if (copied != copiedToo) throw new IllegalStateException("the copies took " + copied + " and " + copiedToo + " rows");
                    return copied;
                } catch (SQLException | RuntimeException e) {
                    // a COPY left open keeps its connection from anything else, the rollback and the pool's reset included
                    for (var open : java.util.Arrays.asList(out, intoAsIs, intoPartitioned)) {
                        if (open != null && open.isActive()) cancelQuietly(open);
                    }
                    throw e;
                }
            }
        }

        private static void cancelQuietly(org.postgresql.copy.CopyOperation copy) {
            try {
                copy.cancelCopy();
            } catch (SQLException ignored) {
                // the failure that got us here is the one to report
            }
        }

        /**
         * The column the sample is stratified by: a range key (which must be a time column); for hash and list the
         * table's first time column (NOT NULL preferred), else the key itself, each value an equal share.
         */
        private static String stratumColumn(TableDefinition table, Recommendation r) {
            for (String c : List.of(r.column(), r.subColumn() == null ? r.column() : r.subColumn())) {
                if (!table.types().containsKey(c)) throw new BadInput(r.table() + " has no column " + c);
            }
            switch (r.strategy()) {
                case RANGE, RANGE_HASH -> {
                    if (!table.timeColumns().get(r.column())) {
                        throw new BadInput("measuring " + r.describe() + " needs a time column (timestamptz, timestamp or date); "
                                + r.column() + " is " + table.types().get(r.column()));
                    }
                    if (r.interval() == null) throw new BadInput("measuring " + r.describe() + " needs an interval (day, week or month)");
                    if (r.strategy() == Recommendation.Strategy.RANGE_HASH && r.modulus() < 1) {
                        throw new BadInput("measuring " + r.describe() + " needs a modulus of at least 1");
                    }
                    return r.column();
                }
                case HASH -> {
                    if (r.modulus() < 1) throw new BadInput("measuring " + r.describe() + " needs a modulus of at least 1");
                }
                case LIST -> {
                    if (r.listValues().isEmpty()) throw new BadInput("measuring " + r.describe() + " needs the values that get a partition");
                }
            }
            return table.timeColumns().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                    .sorted((a, b) -> Boolean.compare(table.notNull().get(b), table.notNull().get(a)))
                    .findFirst().orElse(r.column());
        }

        private static Map<String, String> createSettings(TableDefinition table, Recommendation r, String unit, String first, String last) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("lab.schema_as_is", AS_IS_SCHEMA);
            settings.put("lab.schema_partitioned", PARTITIONED_SCHEMA);
            settings.put("lab.table", table.name());
            settings.put("lab.columns", table.columnsJson());
            settings.put("lab.primary_key", table.primaryKeyJson());
            settings.put("lab.indexes", table.indexesJson());
            settings.put("lab.strategy", r.strategy().name());
            settings.put("lab.column", r.column());
            settings.put("lab.sub_column", r.subColumn() == null ? "" : r.subColumn());
            settings.put("lab.unit", unit);
            settings.put("lab.first", first == null ? "" : first);
            settings.put("lab.last", last == null ? "" : last);
            settings.put("lab.modulus", Integer.toString(r.modulus()));
            try {
                settings.put("lab.list_values", JSON.writeValueAsString(r.listValues()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return settings;
        }
    }
}
