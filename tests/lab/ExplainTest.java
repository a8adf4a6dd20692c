package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The EXPLAIN summary on a real partitioned table: plan-time and run-time pruning counted. */
class ExplainTest {
    private static Node node;

    @BeforeAll
    static void quarters() {
        node = Lab.connect("embedded").node("partitioned");
        Sql.text("explain fixture", """
                CREATE SCHEMA IF NOT EXISTS explain_test;
                DROP TABLE IF EXISTS explain_test.q CASCADE;
                CREATE TABLE explain_test.q (d date NOT NULL, v int) PARTITION BY RANGE (d);
                CREATE TABLE explain_test.q1 PARTITION OF explain_test.q FOR VALUES FROM ('2024-01-01') TO ('2024-04-01');
                CREATE TABLE explain_test.q2 PARTITION OF explain_test.q FOR VALUES FROM ('2024-04-01') TO ('2024-07-01');
                CREATE TABLE explain_test.q3 PARTITION OF explain_test.q FOR VALUES FROM ('2024-07-01') TO ('2024-10-01');
                CREATE TABLE explain_test.q_rest PARTITION OF explain_test.q DEFAULT;
                INSERT INTO explain_test.q SELECT d::date, 1 FROM generate_series('2024-01-01'::date, '2024-12-31', '1 day') d;
                ANALYZE explain_test.q;
                """).run(node, java.util.Map.of());
    }

    @Test
    void planTimePruningKeepsOnePartition() {
        PlanSummary p = Explain.analyze(node, Sql.text("q2", "SELECT count(*) FROM explain_test.q WHERE d >= '2024-05-01' AND d < '2024-06-01'"));
        assertEquals(4, p.partitionsTotal());
        assertEquals(1, p.partitionsScanned());
        assertEquals(List.of("explain_test.q2"), p.scannedPartitions());
        assertEquals(3, p.prunedAtPlanTime());
        assertEquals(3, p.notInPlan().size());
        assertTrue(p.report().contains("explain_test.q2") && p.report().contains("<== scanned"), p.report());
    }

    @Test
    void runTimePruningCountsSubplansRemoved() {
        PlanSummary p = Explain.analyze(node, Sql.text("generic", """
                SET plan_cache_mode = force_generic_plan;
                PREPARE by_day(date) AS SELECT count(*) FROM explain_test.q WHERE d = $1;
                EXECUTE by_day('2024-08-15');
                """));
        assertEquals(4, p.partitionsTotal());
        assertEquals(3, p.subplansRemoved());
        assertEquals(0, p.prunedAtPlanTime());
        assertEquals(List.of("explain_test.q3"), p.scannedPartitions());
        assertTrue(p.verdict().contains("3 removed at executor start"), p.verdict());
        // DISCARD ALL after the step: the prepared statement does not outlive it
        for (int i = 0; i < 8; i++) {
            assertEquals(0L, ((Number) node.scalar("SELECT count(*) FROM pg_prepared_statements WHERE from_sql")).longValue());
        }
    }

    @Test
    void unprunableFilterScansEverything() {
        PlanSummary p = Explain.analyze(node, Sql.text("cast", "SELECT count(*) FROM explain_test.q WHERE d::text LIKE '2024-05%'"));
        assertEquals(4, p.partitionsScanned());
        assertEquals(366, p.rowsRead());
    }

    @Test
    void plainTableIsNotPartitioned() {
        node.query("CREATE TABLE IF NOT EXISTS explain_test.flat AS SELECT g FROM generate_series(1, 50) g");
        PlanSummary p = Explain.analyze(node, Sql.text("flat", "SELECT count(*) FROM explain_test.flat WHERE g > 10"));
        assertEquals(0, p.partitionsTotal());
        assertEquals(List.of("explain_test.flat"), p.relations());
        assertEquals(50, p.rowsRead());
    }
}
