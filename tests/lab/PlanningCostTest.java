package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Lesson 11's planning measures: the plans' structure at each size, memory where the major has it, the chart, the drop. */
class PlanningCostTest {

    @Test
    void eachSizeIsPlannedAsExpectedAndTheTablesGoAway() throws Exception {
        try (var fresh = new FreshDatabase("lab_planning_cost_test")) {
            Node db = fresh.node();
            db.query("CREATE SCHEMA app");
            PlanningCost cost = PlanningCost.measure(db, List.of(12, 60), 3);
            assertEquals(List.of(12, 60), cost.sizes().stream().map(PlanningCost.Size::partitions).toList());
            assertTrue(cost.plansAsExpected(), cost.sizes().toString());
            assertEquals(60, cost.sizes().get(1).wholeInPlan());
            assertEquals(1, cost.sizes().get(1).oneDayInPlan());
            assertEquals(1.0, cost.ratio(12, true, false));
            assertTrue(cost.sizes().stream().allMatch(s -> s.oneDayMs() > 0 && s.wholeMs() > 0), cost.sizes().toString());
            boolean memory = MajorFeature.EXPLAIN_MEMORY.on(db);
            assertEquals(memory, cost.memoryMeasured());
            assertEquals(memory, cost.memoryGrowsWithPartitions(), cost.sizes().toString());
            assertEquals(memory ? 10 : 7, cost.table().columnCount());
            assertEquals(2, cost.table().rowCount());
            var png = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(cost.image(), "png", png));
            assertEquals(900, cost.image().getWidth());
            assertThrows(IllegalArgumentException.class, () -> cost.ratio(13, true, false));

            // kept when it already has that many partitions: the same table, not a new one
            Object oid = db.scalar("SELECT 'app.planning_60'::regclass::oid");
            PlanningCost.table(db, 60);
            assertEquals(oid, db.scalar("SELECT 'app.planning_60'::regclass::oid"));

            cost.dropTables(db);
            assertEquals(true, db.scalar("SELECT to_regclass('app.planning_60') IS NULL AND to_regclass('app.planning_12') IS NULL"));
        }
    }

    @Test
    void ciStandsInForTheLargestTable() {
        assertEquals(List.of(12, 365, 1_000), PlanningCost.sizes(Scale.ci));
        assertEquals(List.of(12, 365, 3_650), PlanningCost.sizes(Scale.demo));
        assertEquals(List.of(12, 365, 3_650), PlanningCost.sizes(Scale.full));
    }
}
