package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pictures of lessons 01 and 04, drawn from a real server's catalogs and plans, and written as PNG. */
class PartitionTreeChartTest {
    private static final String TABLE = "lab_tree_test.sales";
    private static Node node;

    @BeforeAll
    static void fixture() {
        node = Lab.connect("embedded").node("partitioned");
        node.run("lab/partition_tree_fixture.sql");
    }

    @AfterAll
    static void dropFixture() {
        node.query("DROP SCHEMA lab_tree_test CASCADE");
    }

    @Test
    void theTreeDrawsEveryMemberTheCatalogHolds() throws Exception {
        PartitionTreeChart chart = PartitionTreeChart.of(node, TABLE);
        long inCatalog = ((Number) node.scalar("SELECT count(*) FROM pg_partition_tree('" + TABLE + "')")).longValue();
        assertEquals(6, inCatalog);
        assertEquals(inCatalog, chart.drawn(), "one label per member of pg_partition_tree");
        assertEquals(3, chart.levels());
        assertTrue(chart.verdict().contains("6 members on 3 levels"), chart.verdict());
        var png = png(chart.image());
        assertEquals(1100, png.getWidth());
    }

    @Test
    void theBuffersChartDrawsEachPlansBuffers() throws Exception {
        var all = Explain.analyze(node, Sql.text("every sale", "SELECT count(*) FROM lab_tree_test.sales"));
        var q1 = Explain.analyze(node, Sql.text("January", "SELECT count(*) FROM lab_tree_test.sales WHERE sold_on < DATE '2024-02-01'"));
        PlanChart chart = PlanChart.buffers("buffers", List.of("all", "January"), List.of(all, q1));
        assertEquals(List.of(all.sharedBuffers(), q1.sharedBuffers()), chart.buffers());
        assertTrue(all.sharedBuffers() > q1.sharedBuffers(), "pruning reads fewer buffers: " + chart.buffers());
        assertTrue(chart.ratio("all", "January") > 1);
        assertEquals(800, png(chart.image()).getWidth());
        assertThrows(IllegalArgumentException.class, () -> PlanChart.buffers("x", List.of("one"), List.of(all, q1)));
    }

    /** Encodes as PNG and reads it back: the picture a notebook shows. */
    private static java.awt.image.BufferedImage png(java.awt.image.BufferedImage image) throws Exception {
        var out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", out));
        assertTrue(out.size() > 1000, "a PNG of " + out.size() + " bytes");
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }
}
