package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import lab.LoadSimulator.Target;
import lab.Recommendation.Interval;
import lab.Recommendation.Strategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans for the layouts the online migration by month does not make (hash, list, weeks, two levels): a copy with
 * capture, then a rename (sql/advisor/replace), applied and rolled back on app.readings, each verified at its window
 * (count and checksum) and per partition; hash while the load writes.
 */
class AdvisorPlanLayoutsTest {
    private static final int ROWS = 600;
    private static FreshDatabase db;
    private static Node node;
    private static YearMonth now;
    @TempDir static Path plans;

    @BeforeAll
    static void database() {
        db = new FreshDatabase("advisor_plan_layouts");
        node = db.node();
        node.run("base/00_lab_functions.sql");
        now = YearMonth.parse((String) node.scalar("SELECT to_char(now(), 'YYYY-MM')"));
    }

    @AfterAll
    static void dropped() {
        if (db != null) db.close();
    }

    @Test
    void hashUnderLoadThereAndBack() {
        var load = roundTrip(new Recommendation("app.readings", Strategy.HASH, "sensor_id", null, 4, List.of(), null, null, null, 0, null), 4, true);
        assertTrue(load.verify().everyRowPresent(), load.verify()::verdict);
        assertEquals(0, load.snapshot().errors(), load.snapshot()::toString);
    }

    @Test
    void listWeeksAndTwoLevelsThereAndBack() {
        roundTrip(new Recommendation("app.readings", Strategy.LIST, "status", null, 0, List.of("ok", "warn"), null, null, null, 0, null), 3, false);
        roundTrip(new Recommendation("app.readings", Strategy.RANGE, "recorded_at", Interval.WEEK, 0, List.of(), null, now.minusMonths(12), now, 1, null),
                -1, false);
        roundTrip(new Recommendation("app.readings", Strategy.RANGE_HASH, "recorded_at", Interval.MONTH, 2, List.of(), "sensor_id",
                now.minusMonths(12), now, 1, null), (13 + 1) * 2 + 1, false);
    }

    /** Seeds app.readings, writes the plan, applies it, checks it, rolls it back, checks again; the load, when asked, all along. */
    private static LoadSimulator roundTrip(Recommendation r, int leaves, boolean underLoad) {
        node.run("12-advisor/01_readings.sql", Map.of("lab.rows", Integer.toString(ROWS)));
        node.query("DROP TABLE IF EXISTS app.readings_next CASCADE");
        Path folder = AdvisorPlan.write(node, plans.resolve(r.strategy().name()), r);
        assertEquals(AdvisorPlan.COPY_AND_RENAME, AdvisorPlan.manifest(folder).method());
        LoadSimulator load = underLoad ? LoadSimulator.start(node, LoadSimulator.Options.defaults().withMix(Map.of(Target.readings, 1))
                .withInterval(Duration.ofMillis(3)).withSeed(5)) : null;
        try {
            var applied = AdvisorPlan.apply(node, folder, LockDiscipline.defaults());
            assertTrue(applied.verified() && applied.parityHolds(), applied.verdict());
            assertEquals(0L, applied.window().rowsRead(), "the window reads no row of the table: " + applied.window());
            assertTrue(applied.window().windowRows() < ROWS / 4, applied.window().toString());
            assertEquals("p", node.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
            long partitions = ((Number) node.scalar("SELECT count(*) FROM pg_partition_tree('app.readings') WHERE isleaf")).longValue();
            if (leaves > 0) assertEquals(leaves, partitions, r.describe());
            assertTrue(((String) node.scalar("SELECT pg_get_partkeydef('app.readings'::regclass)")).contains(r.column().toLowerCase()));
            assertEquals("readings_pkey", node.scalar("SELECT conname::text FROM pg_constraint WHERE conrelid = 'app.readings'::regclass AND contype = 'p'"));

            var back = AdvisorPlan.rollback(node, folder, LockDiscipline.defaults());
            assertTrue(back.verified() && back.parityHolds(), back.verdict());
            assertEquals(0L, back.window().rowsRead());
            assertEquals("r", node.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'app.readings'::regclass"));
            assertEquals("PRIMARY KEY (id)", node.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'app.readings'::regclass AND contype = 'p'"));
            assertEquals(0L, ((Number) node.scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'online_capture_%'")).longValue());
        } finally {
            if (load != null) load.stop();
        }
        long written = load == null ? 0 : load.snapshot().written();
        assertEquals(ROWS + written, node.count("app.readings"), r.describe());
        return load;
    }
}
