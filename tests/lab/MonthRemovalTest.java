package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Lesson 06's month removed two ways, on a real server: DELETE from the plain copy leaves the heap as big as before
 * and the rows dead, DROP TABLE of the partition gives its space back; the chart draws exactly the sizes measured,
 * which are the catalogs' sizes after the removal.
 */
class MonthRemovalTest extends LessonTables {
    private static final int PER_MONTH = 400;

    @Override
    int rowsPerMonth() {
        return PER_MONTH;
    }

    private static long bytes(String sql) {
        return ((Number) db.scalar(sql)).longValue();
    }

    @Test
    void deleteLeavesTheHeapDropGivesItBackAndTheChartDrawsTheMeasurement() throws Exception {
        // audit.audit_logs' months out of its DEFAULT, then the plain copy of its rows
        var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).withTimeTravel();
        assertTrue(!PartitionManager.anyError(manager.run("audit.audit_logs", false, Progress.Mode.OFF)));
        db.run("06-maintenance/04_plain_copy.sql");
        long rows = db.count("audit.audit_logs");

        MonthRemoval removal = MonthRemoval.of(db, "2025-04");
        assertEquals(List.of((long) PER_MONTH, (long) PER_MONTH), removal.rowsRemoved());
        assertEquals(rows - PER_MONTH, db.count("audit.audit_logs_plain"));
        assertEquals(rows - PER_MONTH, db.count("audit.audit_logs"));
        assertTrue(!Partitions.exists(db, "audit.audit_logs_p2025_04"), "April's partition is gone");
        assertEquals(removal.deleted("heap_bytes_before"), removal.deleted("heap_bytes_after"), "DELETE left the heap as it was");
        assertEquals(PER_MONTH, removal.deleted("dead_rows"), "every deleted row dead");
        assertTrue(removal.bytesFreedByDrop() > 0, "DROP TABLE gave space back: " + removal.bytesFreedByDrop());

        // the measured sizes after are the catalogs' own now
        assertEquals(bytes("SELECT pg_relation_size('audit.audit_logs_plain')"), removal.deleted("heap_bytes_after"));
        assertEquals(bytes("SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs')"), removal.dropped("heap_bytes_after"));

        MonthRemoval.Chart chart = removal.chart();
        assertEquals(List.of(removal.deleted("heap_bytes_before"), removal.deleted("heap_bytes_after")), chart.drawnFor("plain"));
        assertEquals(List.of(removal.dropped("heap_bytes_before"), removal.dropped("heap_bytes_after")), chart.drawnFor("partitioned"));
        assertTrue(chart.bytesDrawn().keySet().stream().anyMatch(s -> s.contains(PER_MONTH + " dead rows")), chart.bytesDrawn().keySet()::toString);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(chart.image(), "png", png));
        assertEquals(900, chart.image().getWidth());
    }
}
