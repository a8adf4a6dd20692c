package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import lab.cli.Cli;
import lab.cli.MeasureOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tech.tablesaw.api.Table;

/**
 * The measured estimate on real servers: app.readings seeded in a database of its own (the analysed one, on the main
 * server), its monthly layout measured on the embedded scratch server. The analysed database is the same before and
 * after, to the last row; the scratch server holds both copies of the sample; a time range scans fewer partitions
 * than the copy has; queries with $n run bound, those that cannot be bound are reported with why. Times are reported,
 * never asserted.
 */
class AdvisorMeasureTest {
    private static final long SAMPLE = 2_000;
    private static final int RUNS = 3;
    private static final String RANGE = "SELECT count(*), avg(value) FROM app.readings WHERE recorded_at >= $1 AND recorded_at < $2";
    private static final String SENSOR = "SELECT id, recorded_at, value FROM app.readings WHERE sensor_id = $1 ORDER BY recorded_at DESC LIMIT $2";
    private static final String RECENT = "SELECT count(*) FROM readings WHERE recorded_at >= now() - $1::interval";
    private static final String SELECT_LIST = "SELECT $1 FROM app.readings";
    private static final String OTHER_TABLE = "SELECT count(*) FROM app.sensors WHERE id = $1";
    private static final String WRITES = "DELETE FROM app.readings WHERE id = $1";

    private static FreshDatabase analysed;
    private static Node scratch;
    private static List<String> before;
    private static List<String> after;
    private static AdvisorMeasure.Result result;
    private static long asIsRows;
    private static long partitionedRows;
    private static long misplaced;
    private static Table perMonth;

    @BeforeAll
    static void measureTheReadings() {
        analysed = new FreshDatabase("advisor_measure_test");
        Node db = analysed.node();
        Migration.installFunctions(db);
        db.run("12-advisor/01_readings.sql", Map.of("lab.rows", "6000"));
        db.query("CREATE UNIQUE INDEX readings_id_sensor_idx ON app.readings (id, sensor_id)"); // unique without the key
        scratch = Lab.connect("embedded").node(Topology.SCRATCH);
        before = analysed.fingerprint();
        result = AdvisorMeasure.measure(db, scratch, monthly(db),
                List.of(RANGE, SENSOR, RECENT, SELECT_LIST, OTHER_TABLE, WRITES), new AdvisorMeasure.Options(SAMPLE, RUNS, 7));
        after = analysed.fingerprint();
        // the scratch server as this measurement left it (other tests measure again, which makes the copies anew)
        asIsRows = scratch.count(AdvisorMeasure.AS_IS_SCHEMA + ".readings");
        partitionedRows = scratch.count(AdvisorMeasure.PARTITIONED_SCHEMA + ".readings");
        misplaced = ((Number) scratch.scalar("SELECT count(*) FROM advisor_measure_partitioned.readings "
                + "WHERE tableoid::regclass::text <> 'advisor_measure_partitioned.readings_' || to_char(recorded_at, 'YYYY_MM')")).longValue();
        perMonth = scratch.query("SELECT date_trunc('month', recorded_at) AS month, count(*) AS n FROM advisor_measure_as_is.readings "
                + "GROUP BY 1 ORDER BY n");
    }

    @AfterAll
    static void dropTheAnalysedDatabase() {
        if (analysed != null) analysed.close();
    }

    /** app.readings by month on recorded_at, its months from the server's calendar. */
    private static Recommendation monthly(Node db) {
        YearMonth now = YearMonth.parse(String.valueOf(db.scalar("SELECT to_char(now(), 'YYYY-MM')")));
        return new Recommendation("app.readings", Recommendation.Strategy.RANGE, "recorded_at", Recommendation.Interval.MONTH, 0,
                List.of(), null, now.minusMonths(12), now, 3, 12);
    }

    @Test
    void theAnalysedDatabaseIsTheSameAfterToTheLastRow() {
        assertTrue(before.stream().anyMatch(l -> l.startsWith("rows of app.readings: 6000:")), "the fingerprint counts the readings");
        assertEquals(before, after);
    }

    @Test
    void theScratchNodeIsAServerOfItsOwn() {
        assertNotEquals(Lab.connect("embedded").node("partitioned").dsn().port(), scratch.dsn().port());
        assertTrue(Topology.NODES.contains("scratch") && Lab.SERVERS.contains("scratch"));
    }

    @Test
    void composeAndDsnTopologiesTakeTheScratchServerFromLabDsnScratch() {
        try {
            var missing = assertThrows(BadInput.class, () -> Topology.of("compose").node(Topology.SCRATCH));
            assertTrue(missing.getMessage().startsWith("LAB_DSN_SCRATCH is not set: the compose topology"), missing.getMessage());
            System.setProperty("lab.dsn.scratch", "postgresql://app:app@scratch.example:6000/lab");
            assertEquals("jdbc:postgresql://scratch.example:6000/lab", Topology.of("compose").node(Topology.SCRATCH).dsn().jdbcUrl());
            assertEquals(54322, Topology.of("compose").node("partitioned").dsn().port());
        } finally {
            System.clearProperty("lab.dsn.scratch");
        }
    }

    @Test
    void bothCopiesHoldTheSampleLessTheIntervalRetentionRemoved() {
        assertEquals(SAMPLE, result.sampleRows());
        assertEquals(6000, result.tableRows());
        Table retention = result.retention();
        long removed = Tables.number(retention, "rows", 0);
        assertTrue(removed > 0, retention::print);
        assertEquals(removed, Tables.number(retention, "rows", 1), "the same interval's rows on both layouts");
        assertEquals(SAMPLE, asIsRows + removed);
        assertEquals(SAMPLE, partitionedRows + removed);
    }

    @Test
    void eachRowIsInThePartitionOfItsMonth() {
        assertEquals(0, misplaced);
        // an equal share of each month: every month but the thinnest (this one, begun days ago) within one row of the others
        List<Long> counts = java.util.stream.IntStream.range(1, perMonth.rowCount()).mapToObj(i -> Tables.number(perMonth, "n", i)).toList();
        assertTrue(counts.size() >= 10, perMonth::print);
        assertTrue(counts.get(counts.size() - 1) - counts.get(0) <= 1, perMonth::print);
    }

    @Test
    void aTimeRangeScansFewerPartitionsThanThereAre() {
        AdvisorMeasure.QueryResult range = result.queries().get(0);
        assertEquals("measured", range.status());
        assertTrue(result.partitions() >= 13, "a partition per month of the sample: " + result.partitions());
        assertEquals(result.partitions(), range.plan().partitionsTotal());
        assertTrue(range.plan().partitionsScanned() < range.plan().partitionsTotal(), range.plan()::report);
        assertTrue(range.binding().contains("$2 recorded_at: $1 + 1 month"), range.binding());
    }

    @Test
    void normalizedQueriesAreBoundAndRun() {
        AdvisorMeasure.QueryResult sensor = result.queries().get(1);
        assertEquals("measured", sensor.status());
        assertTrue(sensor.binding().contains("$2: LIMIT 10"), sensor.binding());
        assertEquals(RUNS, sensor.asIsMs().length);
        assertEquals(RUNS, sensor.partitionedMs().length);
        assertTrue(sensor.ratio() > 0);
        AdvisorMeasure.QueryResult recent = result.queries().get(2);
        assertEquals("measured", recent.status(), "an unqualified name, an interval placeholder");
        assertTrue(recent.binding().contains("1 month"), recent.binding());
    }

    @Test
    void theChartDrawsOneBoxPerMeasuredQuery() {
        MeasureChart chart = MeasureChart.of(result);
        long measured = result.queries().stream().filter(AdvisorMeasure.QueryResult::measured).count();
        assertEquals(measured, chart.labels().size(), chart.queries()::toString);
        assertEquals("Q1", chart.labels().get(0));
        assertEquals(800, chart.image().getWidth());
    }

    @Test
    void queriesThatCannotBeMeasuredAreReportedWithWhy() {
        assertTrue(result.queries().get(3).status().startsWith("skipped: $1 is not compared with a column"), result.queries().get(3).status());
        assertEquals("skipped: it does not name app.readings", result.queries().get(4).status());
        assertTrue(result.queries().get(5).status().startsWith("skipped: it writes"), result.queries().get(5).status());
        Table table = result.queryTable();
        assertEquals(6, table.rowCount());
        assertTrue(table.doubleColumn("ratio").isMissing(5) && !table.doubleColumn("ratio").isMissing(0), table::print);
        assertTrue(table.columnNames().containsAll(List.of("as_is_ms", "partitioned_ms", "ratio_q1", "ratio_q3", "partitions_scanned")));
    }

    @Test
    void retentionIsMeasuredBothWays() {
        Table retention = result.retention();
        assertEquals(List.of("as is", "partitioned"), retention.stringColumn("layout").asList());
        assertTrue(Tables.number(retention, "heap_bytes_after", 1) < Tables.number(retention, "heap_bytes_before", 1),
                "dropping the partition frees its heap: " + retention.print());
        // the oldest rows lie at the start of a settled heap: VACUUM marks their space free, the file keeps its size
        assertEquals(Tables.number(retention, "heap_bytes_before", 0), Tables.number(retention, "heap_bytes_after", 0), retention::print);
        assertTrue(result.note().contains("2,000") && result.note().contains("may differ"), result.note());
    }

    @Test
    void aUniqueIndexWithoutTheKeyStaysUniqueOnlyAsIs() {
        assertTrue(result.notes().stream().anyMatch(n -> n.contains("unique index readings_id_sensor_idx lacks the partition key")), result.notes()::toString);
    }

    @Test
    void weeksHashListAndTwoLevelsAreMeasuredToo() {
        Node db = analysed.node();
        YearMonth now = monthly(db).lastMonth();
        AdvisorMeasure.Options small = new AdvisorMeasure.Options(500, 2, 3);
        var weekly = AdvisorMeasure.measure(db, scratch, new Recommendation("app.readings", Recommendation.Strategy.RANGE, "recorded_at",
                Recommendation.Interval.WEEK, 0, List.of(), null, now.minusMonths(12), now, 3, 12), List.of(RANGE), small);
        assertEquals(500, weekly.sampleRows());
        assertTrue(weekly.partitions() >= 52, "a partition per week: " + weekly.partitions());
        assertTrue(weekly.queries().get(0).binding().contains("1 week"), weekly.queries().get(0).binding());
        assertTrue(weekly.queries().get(0).plan().partitionsScanned() <= 2, weekly.queries().get(0).plan()::report);
        assertEquals(2, weekly.retention().rowCount(), weekly.retention()::print);

        var hashed = AdvisorMeasure.measure(db, scratch, new Recommendation("app.readings", Recommendation.Strategy.HASH, "sensor_id",
                null, 4, List.of(), null, null, null, 0, null), List.of(SENSOR), small);
        assertEquals(4, hashed.partitions());
        assertEquals("1 of 4", hashed.queries().get(0).partitions());
        assertEquals(0, hashed.retention().rowCount(), "a hash partition holds no interval");
        assertTrue(hashed.notes().stream().anyMatch(n -> n.startsWith("retention not measured")), hashed.notes()::toString);
        assertTrue(hashed.note().contains("each month of recorded_at"), "stratified by the table's time column: " + hashed.note());

        var listed = AdvisorMeasure.measure(db, scratch, new Recommendation("app.readings", Recommendation.Strategy.LIST, "status",
                null, 0, List.of("ok", "warn"), null, null, null, 0, null), List.of("SELECT count(*) FROM app.readings WHERE status = $1"), small);
        assertEquals(3, listed.partitions(), "ok, warn and the DEFAULT");
        assertEquals("1 of 3", listed.queries().get(0).partitions());
        assertTrue(Tables.number(listed.retention(), "rows", 0) > 0, listed.retention()::print);
        assertEquals(Tables.number(listed.retention(), "rows", 0), Tables.number(listed.retention(), "rows", 1));

        var twoLevels = AdvisorMeasure.measure(db, scratch, new Recommendation("app.readings", Recommendation.Strategy.RANGE_HASH,
                "recorded_at", Recommendation.Interval.MONTH, 2, List.of(), "sensor_id", now.minusMonths(12), now, 3, 12),
                List.of(RANGE + " AND sensor_id = $3"), small);
        assertEquals(2 * 13, twoLevels.partitions(), "two hash partitions in each month");
        assertTrue(twoLevels.queries().get(0).plan().partitionsScanned() <= 2, twoLevels.queries().get(0).plan()::report);
        assertTrue(twoLevels.retention().stringColumn("operation").get(1).endsWith("readings_" + now.minusMonths(12).toString().replace('-', '_')),
                twoLevels.retention()::print);
        assertEquals(before, analysed.fingerprint());
    }

    @Test
    void aScratchServerThatIsTheAnalysedDatabaseIsRefused() {
        Node db = analysed.node();
        Recommendation r = monthly(db);
        var same = assertThrows(BadInput.class, () -> AdvisorMeasure.measure(db, db, r, List.of(RANGE), AdvisorMeasure.Options.defaults()));
        assertTrue(same.getMessage().contains("is the analysed database itself"), same.getMessage());
        Dsn d = db.dsn();
        Node byAddress = new Node("scratch", new Dsn("127.0.0.1", d.port(), d.database(), d.user(), d.password(), d.query()));
        try {
            assertThrows(BadInput.class, () -> AdvisorMeasure.measure(db, byAddress, r, List.of(RANGE), AdvisorMeasure.Options.defaults()));
        } finally {
            byAddress.close();
        }
        assertEquals(before, analysed.fingerprint());
    }

    @Command(name = "measure")
    static final class Measure implements Callable<Integer> {
        @Mixin MeasureOptions measure;
        List<String> queries;

        @Override
        public Integer call() {
            measure.check();
            if (measure.enabled()) queries = measure.queries(List::of);
            return Cli.OK;
        }
    }

    private static String[] run(Measure command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(command, new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void badMeasureOptionsExitTwoWithOneLine(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.sql"), "-- nothing here\n");
        Path two = Files.writeString(dir.resolve("two.sql"), "SELECT 1 FROM app.readings WHERE id = $1;\n\nSELECT 2 FROM app.readings;\n");
        for (String[] args : List.of(new String[] {"--measure", "--sample-rows", "0"},
                new String[] {"--measure", "--queries", dir.resolve("missing.sql").toString()},
                new String[] {"--measure", "--queries", empty.toString()},
                new String[] {"--measure", "--scratch-dsn", "not a url"},
                new String[] {"--sample-rows", "10"})) {
            String[] outcome = run(new Measure(), args);
            assertEquals("2", outcome[0], String.join(" ", args) + ": " + outcome[1]);
            assertEquals(1, outcome[1].lines().count(), outcome[1]);
            assertTrue(outcome[1].startsWith("error: "), outcome[1]);
        }
        Measure ok = new Measure();
        assertEquals("0", run(ok, "--measure", "--queries", two.toString(), "--sample-rows", "500")[0]);
        assertEquals(2, ok.queries.size());
        assertEquals(500, ok.measure.options().sampleRows());
    }

    @Test
    void placeholdersBindByWhatTheyAreComparedWith() {
        Map<String, Boolean> columns = Map.of("recorded_at", true, "sensor_id", false, "id", false);
        var between = MeasureBinding.parse("SELECT 1 FROM t WHERE recorded_at BETWEEN $1 AND $2 AND $3 = sensor_id AND id IN ($4, $5)", columns);
        assertTrue(between.bindable(), between.unbindable());
        assertEquals(List.of(MeasureBinding.Kind.RANGE_LOW, MeasureBinding.Kind.RANGE_HIGH, MeasureBinding.Kind.VALUE,
                MeasureBinding.Kind.VALUE, MeasureBinding.Kind.VALUE), between.slots().stream().map(MeasureBinding.Slot::kind).toList());
        var numeric = MeasureBinding.parse("SELECT 1 FROM t WHERE id > $1 AND id <= $2 OFFSET $3", columns);
        String bound = MeasureBinding.bind("SELECT 1 FROM t WHERE id > $1 AND id <= $2 OFFSET $3", numeric, columns, c -> "1 day",
                new java.util.Iterator<Map<String, String>>() {
                    int i;

                    public boolean hasNext() {
                        return true;
                    }

                    public Map<String, String> next() {
                        return Map.of("id", i++ == 0 ? "90" : "10");
                    }
                }::next, (c, v, w) -> v);
        assertEquals("SELECT 1 FROM t WHERE id > '10' AND id <= '90' OFFSET 0", bound, "a numeric range in order");
        assertTrue(MeasureBinding.parse("SELECT 1 FROM t WHERE other = $1", columns).unbindable().contains("not a column"));
        assertTrue(MeasureBinding.parse("SELECT 1 FROM t WHERE id = ANY($1)", columns).unbindable().contains("array"));
    }

    @Test
    void intervalsAndDateTruncUnitsAsPgStatStatementsNormalizesThem() {
        Map<String, Boolean> columns = Map.of("recorded_at", true);
        String query = "SELECT date_trunc($1, recorded_at), count(*) FROM t WHERE recorded_at >= now() - interval $2 "
                + "AND recorded_at < date_trunc($3, now()) + $4::interval GROUP BY 1";
        var parsed = MeasureBinding.parse(query, columns);
        assertTrue(parsed.bindable(), parsed.unbindable());
        String bound = MeasureBinding.bind(query, parsed, columns, c -> "1 month", Map::<String, String>of, (c, v, w) -> v);
        assertEquals("SELECT date_trunc('month', recorded_at), count(*) FROM t WHERE recorded_at >= now() - interval '1 month' "
                + "AND recorded_at < date_trunc('month', now()) + '1 month'::interval GROUP BY 1", bound);
    }
}
