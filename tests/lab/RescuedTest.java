package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What lesson 06's first daily run did with the rows waiting in the DEFAULTs, on a real server: the rows its create
 * lines rescued plus the rows its keep lines left are every row that waited, and what it left is what the DEFAULT
 * still holds.
 */
class RescuedTest extends LessonTables {
    @Override
    int rowsPerMonth() {
        return 20;
    }

    @Test
    void createdAndKeptAccountForEveryRowThatWaitedInTheDefault() {
        var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).withTimeTravel();
        var waited = ManagedTables.byTable(manager.health(null), "default_rows");
        var run = manager.run(null, false, Progress.Mode.OFF);
        assertFalse(PartitionManager.anyError(run));

        Rescued rescued = Rescued.from(run);
        assertEquals(waited, rescued.rowsAccountedFor(), "created + kept, per table, are the rows that waited");
        assertEquals(List.of("audit.slow_query_log: 40"), rescued.keptInTheDefault(), "slow_query_log keeps 6 months: January and February stay");
        assertEquals(40L, db.count("audit.slow_query_log_p_default"));
        // every table but app.events (whose months of 2025 exist) had months created
        assertEquals(6, rescued.perTable("per table").rowCount());
        var slow = rescued.of("audit.slow_query_log");
        assertEquals(List.of("keep"), slow.where(slow.stringColumn("action").isEqualTo("keep")).stringColumn("action").asList());
        long createdRows = (long) rescued.created().longColumn("rows").sum();
        assertEquals(ManagedTables.state(db).rows().values().stream().mapToLong(Long::longValue).sum() - 9L * 20 - 40, createdRows,
                "the rows created are every row but app.events' (in its own months) and the 40 kept");
    }
}
