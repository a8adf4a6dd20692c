package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Lesson 09's picture of the journey: shards per node after each phase. On any server, the drawing is fed a placement
 * table of the shape the lesson reads (lab_node, role, distributed_shards as bigint counts) from a real query over a
 * real catalog, and draws what that query counted, phase after phase. On a Citus cluster (skipped with the reason
 * where there is none) it draws what citus_shards holds on each worker.
 */
class CitusPlacementChartTest {

    /**
     * A placement table from a plain server's catalog: the hash partitions of a scratch table, each "placed" on worker1
     * or worker2 by its remainder, counted per node as nodes.sql counts citus_shards, with the coordinator holding none.
     */
    private static final String PLACEMENT_FROM_CATALOG = """
            SELECT lab_node, role, distributed_shards FROM (
              SELECT 'citus' AS lab_node, 'coordinator' AS role, 0::bigint AS distributed_shards, 0 AS o
              UNION ALL
              SELECT 'worker' || (1 + substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\\d+)')::int % 2), 'worker', count(*), 1
              FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'lab_citus_chart_test.orders'::regclass
              GROUP BY 2, 1) AS placement
            ORDER BY o, lab_node""";

    @Test
    void drawsWhatARealCatalogQueryCountedPhaseByPhase() throws Exception {
        Node node = Lab.connect("embedded").node("partitioned");
        try {
            node.query("DROP SCHEMA IF EXISTS lab_citus_chart_test CASCADE");
            node.query("CREATE SCHEMA lab_citus_chart_test");
            node.query("CREATE TABLE lab_citus_chart_test.orders (user_id bigint, order_id bigint) PARTITION BY HASH (user_id)");
            for (int r = 0; r < 4; r++) {
                node.query("CREATE TABLE lab_citus_chart_test.orders_" + r + " PARTITION OF lab_citus_chart_test.orders "
                        + "FOR VALUES WITH (MODULUS 4, REMAINDER " + r + ")");
            }
            Table first = node.query(PLACEMENT_FROM_CATALOG);
            assertEquals(List.of("citus", "worker1", "worker2"), first.stringColumn("lab_node").asList());
            var history = new CitusPlacement.History().remember("four partitions", first);
            node.query("ALTER TABLE lab_citus_chart_test.orders DETACH PARTITION lab_citus_chart_test.orders_3");
            history.remember("one detached", node.query(PLACEMENT_FROM_CATALOG));

            CitusPlacementChart chart = history.picture();
            assertEquals(Map.of("citus", 0L, "worker1", 2L, "worker2", 2L), chart.drawnIn("four partitions"), "remainders 0, 2 and 1, 3");
            assertEquals(Map.of("citus", 0L, "worker1", 2L, "worker2", 1L), chart.drawnIn("one detached"), "remainder 3 is gone from worker2");
            assertEquals(List.of(4L, 3L), history.shardsPerPhase());
            assertEquals(4L, chart.totalIn("four partitions"));
            assertTrue(history.drawnAsRemembered(chart));
            assertEquals(List.of("four partitions", "one detached"), List.copyOf(chart.drawn().keySet()), "the phases in the order remembered");
            BufferedImage png = png(chart.image());
            assertEquals(CitusPlacementChart.WIDTH, png.getWidth());
            assertEquals(CitusPlacementChart.HEIGHT, png.getHeight());
        } finally {
            node.query("DROP SCHEMA IF EXISTS lab_citus_chart_test CASCADE");
        }
    }

    @Test
    void aNodeOutsideTheClusterInAPhaseDrawsNoBarAndNothingToDrawIsRefused() {
        Node node = Lab.connect("embedded").node("partitioned");
        Table alone = node.query("SELECT 'citus' AS lab_node, 'coordinator' AS role, 0::bigint AS distributed_shards");
        Table two = node.query("SELECT 'worker' || n AS lab_node, 'worker' AS role, 8::bigint AS distributed_shards "
                + "FROM generate_series(1, 2) AS n ORDER BY 1");
        var history = new CitusPlacement.History().remember("1", alone).remember("2", two);
        CitusPlacementChart chart = history.picture();
        assertFalse(chart.drawnIn("1").containsKey("worker1"), "worker1 was in no placement of phase 1");
        assertFalse(chart.drawnIn("2").containsKey("citus"));
        assertEquals(16L, chart.totalIn("2"));
        assertEquals(0L, chart.totalIn("no such phase"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new CitusPlacement.History().picture());
        assertEquals("no phase to draw: the table 'shards per node after each phase' is empty", empty.getMessage());
    }

    @Test
    void onACitusClusterItDrawsWhatCitusShardsHoldsPerWorker() throws Exception {
        Lab lab = Lab.connect();
        Optional<String> missing = Citus.unavailable(lab);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "no Citus cluster: " + missing.orElse(""));
        Citus citus = Citus.on(lab);
        citus.reset(true);
        citus.setup(Scale.ci);
        var history = new CitusPlacement.History().remember("1 regular tables", citus.monitor().placement());
        citus.enableCitus();
        history.remember("2 distributed", citus.monitor().placement());
        Map<String, Long> distributed = citusShardsPerNode(citus);
        citus.addWorker();
        citus.rebalance(true, Progress.Mode.OFF);
        history.remember("3 rebalanced", citus.monitor().placement());
        Map<String, Long> rebalanced = citusShardsPerNode(citus);

        CitusPlacementChart chart = history.picture();
        assertEquals(Map.of("citus", 0L), chart.drawnIn("1 regular tables"));
        assertEquals(distributed, withoutEmpty(chart.drawnIn("2 distributed")), "phase 2 as citus_shards counted it");
        assertEquals(rebalanced, withoutEmpty(chart.drawnIn("3 rebalanced")), "phase 3 as citus_shards counted it");
        assertEquals(2 * citus.monitor().shardCount("app.orders"), chart.totalIn("3 rebalanced"));
        assertTrue(chart.drawnIn("3 rebalanced").get("worker3") > 0, "worker3 holds shards after the rebalance: " + chart.drawn());
        assertTrue(history.drawnAsRemembered(chart));
        assertEquals(CitusPlacementChart.WIDTH, png(chart.image()).getWidth());
        assertTrue(citus.undistribute(true).changed(), "the cluster left as the lesson leaves it: regular tables");
    }

    /** Distributed shards per node, by the lab's name, straight from citus_shards. */
    private static Map<String, Long> citusShardsPerNode(Citus citus) {
        Table t = citus.coordinator().query("SELECT nodename || ':' || nodeport AS node, count(*) AS shards FROM citus_shards "
                + "WHERE citus_table_type = 'distributed' GROUP BY 1");
        Map<String, Long> perNode = new TreeMap<>();
        for (int r = 0; r < t.rowCount(); r++) perNode.put(citus.monitor().labNodeAt(t.getString(r, "node")), Tables.number(t, "shards", r));
        return perNode;
    }

    /** The nodes drawn with at least one shard (citus_shards lists no node that holds none). */
    private static Map<String, Long> withoutEmpty(Map<String, Long> drawn) {
        Map<String, Long> some = new TreeMap<>(drawn);
        some.values().removeIf(n -> n == 0);
        return some;
    }

    /** Encodes as PNG and reads it back: the picture a notebook shows. */
    private static BufferedImage png(BufferedImage image) throws Exception {
        var out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out));
        assertTrue(out.size() > 1000, "a PNG of " + out.size() + " bytes");
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }
}
