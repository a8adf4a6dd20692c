package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import lab.LoadSimulator.Options;
import lab.LoadSimulator.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.Table;

/** The load simulator against the embedded partitioned node: what it reports written is what the tables gained. */
class LoadSimulatorTest {
    /** Only a guard against a hung test: waits end as soon as the awaited state is reached. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    private static Node node;

    @BeforeAll
    static void partitionedTables() {
        node = LoadTables.partitioned();
    }

    @Test
    void everyRowItReportsWrittenIsInItsTableAndTheTablesGrewByExactlyThat() {
        Map<Target, Long> before = LoadTables.rowCounts(node);
        Options options = Options.defaults().withInterval(Duration.ZERO).withDuration(Duration.ofSeconds(3)).withSeed(7);
        LoadSimulator load = LoadSimulator.start(node, options);
        LoadSimulator.Summary summary = load.awaitEnd();

        assertFalse(load.running());
        assertEquals(0, summary.errors(), summary.toTable()::printAll);
        Map<Target, Long> after = LoadTables.rowCounts(node);
        for (Target target : Target.defaultMix().keySet()) {
            long written = summary.count(target).written();
            assertTrue(written > 0, target + " got no rows: " + summary);
            assertEquals(before.get(target) + written, after.get(target), target.table() + " grew by what the load reported");
        }

        // the default mix is 30/25/25/20; a few thousand draws stay well within 10 points of it
        assertTrue(summary.written() >= 200, "too few rows to judge the mix: " + summary);
        Map<Target, Integer> weights = Target.defaultMix();
        for (Target target : Target.defaultMix().keySet()) {
            double share = 100.0 * summary.count(target).written() / summary.written();
            assertEquals(weights.get(target), share, 10.0, target + "'s share of " + summary);
        }

        LoadSimulator.Verification check = load.verify();
        assertTrue(check.everyRowPresent(), check::verdict);
        assertEquals(summary.written(), check.written());
        Table table = check.table();
        assertEquals(4, table.rowCount());
        assertEquals(0L, (long) table.longColumn("missing").sum());

        Table report = summary.toTable(check);
        assertEquals(List.of("target", "table", "weight_pct", "share_pct", "written", "errors", "rows_per_s", "present", "missing",
                "last_error"), report.columnNames());
        assertEquals("app.event_logs", report.stringColumn("table").get(0));
        assertTrue(summary.statusLine().matches("\\d+\\.\\d s  events \\d+  users \\d+  orders \\d+  sales \\d+  errors 0  \\(\\d+ rows/s\\)"),
                summary.statusLine());
    }

    @Test
    void aTableDroppedMidRunCountsErrorsWhileTheOthersGoOnAndVerifyFindsItsRowsMissing() {
        Options options = Options.defaults().withInterval(Duration.ofMillis(1)).withMix(LoadSimulator.parseMix("events=1,sales=1"));
        try (LoadSimulator load = LoadSimulator.start(node, options)) {
            waitFor(() -> load.snapshot().count(Target.sales).written() > 0);
            node.query("DROP TABLE app.sales_data CASCADE");
            long eventsAtDrop = load.snapshot().count(Target.events).written();
            waitFor(() -> load.snapshot().count(Target.sales).errors() >= 3
                    && load.snapshot().count(Target.events).written() > eventsAtDrop + 3);

            LoadSimulator.Summary summary = load.stop();
            LoadSimulator.Count sales = summary.count(Target.sales);
            assertTrue(sales.lastError().contains("sales_data"), sales::toString);
            assertEquals(0, summary.count(Target.events).errors(), summary::toString);
            assertEquals(sales.errors(), summary.errors());

            LoadSimulator.Verification check = load.verify();
            assertFalse(check.everyRowPresent());
            assertEquals(sales.written(), check.of(Target.sales).missing(), "the dropped table's rows are all gone");
            assertEquals(0, check.of(Target.events).missing());
            assertTrue(check.verdict().contains("MISSING") && check.verdict().contains("app.sales_data"), check::verdict);
        } finally {
            Migration.COMPOSITE.createBase(node);
            Migration.COMPOSITE.migrate(node);
        }
    }

    /** Issue 17, defect 7: inserts failing in a row stop the load by itself, saying why; each table's first failure kept. */
    @Test
    void insertsFailingInARowStopTheLoadSayingWhy() {
        Options options = Options.defaults().withInterval(Duration.ofMillis(1)).withMix(LoadSimulator.parseMix("sales=1"))
                .withMaxConsecutiveFailures(5);
        try (LoadSimulator load = LoadSimulator.start(node, options)) {
            waitFor(() -> load.snapshot().written() > 0);
            assertNull(load.stoppedBecause());
            assertEquals(Map.of(), load.firstErrors());
            node.query("DROP TABLE app.sales_data CASCADE");
            waitFor(() -> !load.running());

            LoadSimulator.Summary summary = load.stop();
            assertEquals(5, summary.count(Target.sales).errors(), summary::toString);
            assertTrue(load.stoppedBecause().startsWith("stopped after 5 inserts failed in a row; the last: ")
                    && load.stoppedBecause().contains("sales_data"), load::stoppedBecause);
            assertTrue(load.firstErrors().get(Target.sales).contains("sales_data"), load.firstErrors()::toString);
        } finally {
            Migration.COMPOSITE.createBase(node);
            Migration.COMPOSITE.migrate(node);
        }
    }

    @Test
    void aBrokenConnectionIsOpenedAgainAndTheLoadGoesOn() {
        Options options = Options.defaults().withInterval(Duration.ofMillis(1)).withMix(LoadSimulator.parseMix("users=1"));
        try (LoadSimulator load = LoadSimulator.start(node, options)) {
            waitFor(() -> load.snapshot().written() > 0);
            // the simulator's session is the one whose last statement is a load insert (its text names the simulator)
            Object terminated = node.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE pid <> pg_backend_pid() AND query LIKE '%Load simulator:%'");
            assertEquals(1L, ((Number) terminated).longValue());
            long writtenAtBreak = load.snapshot().written();
            waitFor(() -> load.snapshot().errors() > 0 && load.snapshot().written() > writtenAtBreak + 10);

            LoadSimulator.Summary summary = load.stop();
            assertTrue(summary.errors() >= 1, summary::toString);
            LoadSimulator.Verification check = load.verify();
            assertTrue(check.everyRowPresent(), check::verdict);
        }
    }

    @Test
    void stopEndsARunWithoutDurationAndAwaitEndRefusesIt() {
        LoadSimulator load = LoadSimulator.start(node, Options.defaults().withInterval(Duration.ofMillis(5)).withMix(Map.of(Target.orders, 1)));
        assertTrue(load.running());
        assertThrows(IllegalStateException.class, load::awaitEnd);
        LoadSimulator.Summary summary = load.stop();
        assertFalse(load.running());
        assertEquals(List.of(Target.orders), summary.counts().stream().map(LoadSimulator.Count::target).toList());
        assertEquals(summary.written(), load.stop().written(), "a second stop changes nothing");
        assertNull(summary.count(Target.orders).lastError());
        assertTrue(summary.toString().startsWith("wrote "), summary::toString);
    }

    @ParameterizedTest
    @CsvSource({"events, events", "event_logs, events", "app.event_logs, events", " Users , users",
            "users_distributed, users", "app.orders_by_region, orders", "sales_data, sales"})
    void targetsAreNamedByShortOrTableName(String name, Target expected) {
        assertEquals(expected, Target.named(name));
    }

    @Test
    void anUnknownTableNamesTheValidOnes() {
        BadInput e = assertThrows(BadInput.class, () -> Target.named("app.events"));
        assertEquals("unknown table 'app.events' in the mix: use events (app.event_logs), users (app.users_distributed), "
                + "orders (app.orders_by_region), sales (app.sales_data), readings (app.readings)", e.getMessage());
    }

    @Test
    void readingsIsLoadedOnlyWhereItExists() {
        assertEquals(Target.readings, Target.named("app.readings"));
        assertEquals("app.readings", Target.readings.table());
        assertFalse(Target.defaultMix().containsKey(Target.readings), "the lessons' default load leaves the advisor's table alone");
        try (var fresh = new FreshDatabase("load_readings_missing")) {
            BadInput e = assertThrows(BadInput.class, () -> LoadSimulator.start(fresh.node(),
                    Options.defaults().withMix(Map.of(Target.readings, 1)).withDuration(Duration.ofSeconds(1))));
            assertEquals("no table app.readings to load: create it first (sql/12-advisor/01_readings.sql)", e.getMessage());
        }
    }

    @Test
    void theMixIsParsedByTableWithZeroWeightsLeftOut() {
        Map<Target, Integer> expected = new EnumMap<>(Map.of(Target.events, 30, Target.users, 25, Target.orders, 25, Target.sales, 20));
        assertEquals(expected, LoadSimulator.parseMix(LoadSimulator.DEFAULT_MIX));
        assertEquals(Map.of(Target.sales, 3, Target.events, 1), LoadSimulator.parseMix(" sales = 3, app.event_logs=1, users=0 "));
        assertEquals(List.of(Target.events, Target.sales), List.copyOf(LoadSimulator.parseMix("sales=3,events=1").keySet()),
                "in Target order");
    }

    @ParameterizedTest(name = "--mix [{0}]")
    @CsvSource(delimiter = '|', value = {
            "''                     | the mix is empty",
            "nosuch=10              | unknown table 'nosuch'",
            "events                 | mix entry 'events' is not TABLE=WEIGHT",
            "events=                | mix entry 'events=' is not TABLE=WEIGHT",
            "events=30,             | mix entry '' is not TABLE=WEIGHT",
            "events=3=4             | mix entry 'events=3=4' is not TABLE=WEIGHT",
            "events=lots            | weight of events in the mix is not a whole number: 'lots'",
            "events=1,event_logs=2  | events appears twice",
            "events=-1,users=5      | weight of events must be 0 or more, got -1",
            "events=0,users=0       | every weight in the mix is 0",
            "events=2000000000,users=2000000000 | the weights in the mix add up to 4000000000"})
    void aMalformedMixIsBadInput(String mix, String message) {
        BadInput e = assertThrows(BadInput.class, () -> LoadSimulator.parseMix(mix));
        assertTrue(e.getMessage().startsWith(message), e::getMessage);
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void badOptionsAreBadInput() {
        Options ok = Options.defaults();
        assertEquals("interval must be 0 ms or more, got -5 ms",
                assertThrows(BadInput.class, () -> ok.withInterval(Duration.ofMillis(-5))).getMessage());
        assertTrue(assertThrows(BadInput.class, () -> ok.withDuration(Duration.ZERO)).getMessage().startsWith("duration must be more than 0 s, got 0 s"));
        assertTrue(assertThrows(BadInput.class, () -> ok.withDuration(Duration.ofSeconds(-1))).getMessage().startsWith("duration must be more than 0 s"));
        assertTrue(assertThrows(BadInput.class, () -> ok.withMix(Map.of())).getMessage().startsWith("the mix is empty"));
        assertTrue(assertThrows(BadInput.class, () -> ok.withMix(Map.of(Target.users, -2))).getMessage().contains("got -2"));
        assertTrue(assertThrows(BadInput.class, () -> ok.withMix(Map.of(Target.users, 0))).getMessage().startsWith("every weight"));
        assertEquals(Map.of(Target.users, 2), ok.withMix(Map.of(Target.users, 2, Target.sales, 0)).mix(), "zero weights are left out");
        assertEquals(Duration.ZERO, ok.withInterval(Duration.ZERO).interval(), "0 means as fast as it goes");
        // issue 17, defect 7: a huge duration is refused, not an ArithmeticException later
        assertTrue(assertThrows(BadInput.class, () -> ok.withDuration(Duration.ofSeconds(Long.MAX_VALUE))).getMessage()
                .startsWith("duration must be at most 31536000 s (365 days)"));
        assertEquals(LoadSimulator.MAX_DURATION, ok.withDuration(LoadSimulator.MAX_DURATION).duration(), "365 days is allowed");
        assertTrue(assertThrows(BadInput.class, () -> ok.withInterval(Duration.ofSeconds(Long.MAX_VALUE))).getMessage().startsWith("interval must be at most"));
        assertTrue(assertThrows(BadInput.class, () -> ok.withMaxConsecutiveFailures(0)).getMessage().contains("must be 1 or more"));
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("still waiting after " + HANG_GUARD);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
