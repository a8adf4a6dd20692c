package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The helpers lesson 06's cells claim on, on a real server: the seed's expectations against the partitions' exact
 * counts, the state of the seven tables (equal states: nothing changed), one column by table, a refusal's message.
 */
class ManagedTablesTest extends LessonTables {
    @Override
    int rowsPerMonth() {
        return 20;
    }

    @Test
    void startOverSeedsAndTheSeedsExpectationsMatchThePartitions() {
        var seeded = ManagedTables.startOver(db, YearMonth.of(2025, 1), YearMonth.of(2025, 9), 20);
        assertEquals(9, seeded.months());
        assertEquals(ManagedTables.TABLES, List.copyOf(seeded.prints().keySet()));
        var health = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).health(null);
        assertEquals(seeded.inTheDefaultsBut("app.events"), ManagedTables.byTable(health, "default_rows"));
        assertEquals(45L, seeded.inTheDefaultsBut("app.events").get("analytics.goal_completions"), "a quarter of 20 rows, 9 months");

        var perPartition = db.run("06-maintenance/q_rows_per_partition.sql").lastTable();
        Map<String, Long> inDefaults = Map.of("analytics.events", 180L, "analytics.goal_completions", 45L, "audit.audit_logs", 180L,
                "audit.chat_messages", 180L, "audit.object_history", 180L, "audit.slow_query_log", 180L);
        assertEquals(List.of(), seeded.partitionsOffTheirMonth(perPartition, inDefaults));
        // told the DEFAULTs are empty, it names every DEFAULT that holds rows
        assertEquals(6, seeded.partitionsOffTheirMonth(perPartition, Map.of()).size());
        assertTrue(seeded.unchanged(db, "audit.audit_logs"));
    }

    @Test
    void theStateChangesWithTheCatalogsAndNotWithoutThem() {
        var before = ManagedTables.state(db);
        assertEquals(before, ManagedTables.state(db), "nothing done, nothing changed");
        assertEquals(12 + 7, before.partitionCount(), "app.events' 12 months and a DEFAULT in each table");
        assertTrue(before.everyTableHasItsDefault());
        assertEquals(ManagedTables.each(0L, Map.of("app.events", 12L)), before.monthlyPartitions());

        String refusal = BadInput.refusalOf(() -> PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).withTimeTravel()
                .retention("audit.audit_logs", true, 0));
        assertTrue(refusal.contains("would drop current data"), refusal);
        assertEquals(before, ManagedTables.state(db), "the refusal changed nothing");
        assertEquals("", BadInput.refusalOf(() -> { }), "not refused: no message");

        db.query("DROP TABLE app.events_2025_06");
        var after = ManagedTables.state(db);
        assertNotEquals(before, after);
        assertEquals(before.partitionCount() - 1, after.partitionCount());

        var health = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).health(null);
        // the gauge's number of each status: HEALTHY 0, NO_PARTITIONS 4 (the six tables with only their DEFAULT)
        assertEquals(ManagedTables.each(4L, Map.of("app.events", 0L)), PartitionMetrics.healthCodes(health));
    }
}
