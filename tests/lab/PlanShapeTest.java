package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lesson 11's plan shapes: partitionwise join and aggregate off and on, counted from EXPLAIN on a real server. */
class PlanShapeTest {

    @Test
    void partitionwiseJoinAndAggregateChangeWhereTheWorkSits() {
        try (var lesson = new Lesson11Fixture("lab_plan_shape_test")) {
            Node db = lesson.node();
            db.run("11-indexes/13_sensor_checks.sql");

            PlanShape joinOff = PlanShape.of(db, "11-indexes/q_sensor_join.sql", Map.of("enable_partitionwise_join", "off"));
            assertEquals(1, joinOff.joins(), joinOff.text());
            assertEquals(0, joinOff.joinsBelowAppend(), joinOff.text());
            assertTrue(joinOff.verdict().startsWith("1 join, above the Append"), joinOff.verdict());

            PlanShape joinOn = PlanShape.of(db, "11-indexes/q_sensor_join.sql", Map.of("enable_partitionwise_join", "on"));
            assertEquals(4, joinOn.joins(), joinOn.text());
            assertEquals(4, joinOn.joinsBelowAppend(), joinOn.text());
            assertTrue(joinOn.text().contains("-> Seq Scan on sensors_r3"), joinOn.text());

            PlanShape aggOff = PlanShape.of(db, "11-indexes/q_checks_per_sensor.sql", Map.of("enable_partitionwise_aggregate", "off"));
            assertEquals(1, aggOff.aggregates(), aggOff.text());
            assertEquals(0, aggOff.aggregatesBelowAppend(), aggOff.text());
            PlanShape aggOn = PlanShape.of(db, "11-indexes/q_checks_per_sensor.sql", Map.of("enable_partitionwise_aggregate", "on"));
            assertEquals(4, aggOn.aggregatesBelowAppend(), aggOn.text());
            assertEquals("4 aggregates, each below the Append (one per partition)", aggOn.verdict());

            // the settings lived in that one session only: the pool's next session has the defaults again
            assertEquals("off", db.scalar("SHOW enable_partitionwise_join"));
            assertEquals("off", db.scalar("SHOW enable_partitionwise_aggregate"));
        }
    }
}
