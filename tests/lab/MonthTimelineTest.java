package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Lesson 06's month timeline, drawn from a real server: the partitions it draws are pg_inherits' children of the
 * table, the DEFAULT's rows its count, the months ahead and the ones past the retention cut what the configuration and
 * the manager's own retention dry run say; and the next picture follows a change in the catalogs (a month dropped by
 * hand shows as a gap).
 */
class MonthTimelineTest extends LessonTables {
    private static final String TABLE = "audit.slow_query_log";

    @Override
    int rowsPerMonth() {
        return 20;
    }

    private static Set<String> children(String table) {
        Table children = db.query("SELECT format('%I.%I', n.nspname, c.relname) AS partition FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhparent = ?::regclass", table);
        return new TreeSet<>(children.stringColumn("partition").asList());
    }

    private static List<String> partitions(int year, int... months) {
        return java.util.Arrays.stream(months).mapToObj(m -> String.format("%s_p%d_%02d", TABLE, year, m)).toList();
    }

    @Test
    void drawsTheCatalogsMonthsTheDefaultTheMonthsAheadAndTheRetentionCut() throws Exception {
        var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).withTimeTravel();
        assertTrue(!PartitionManager.anyError(manager.run(null, false, Progress.Mode.OFF)));

        // slow_query_log keeps 6 months: the cut is 2025-03-01, so January and February stay in the DEFAULT
        MonthTimeline timeline = MonthTimeline.of(manager, TABLE);
        assertEquals(children(TABLE), new TreeSet<>(timeline.partitionsDrawn()), "the partitions drawn are pg_inherits' children");
        assertEquals(TABLE + "_p_default", timeline.partitionsDrawn().get(timeline.partitionsDrawn().size() - 1), "the DEFAULT drawn last");
        assertEquals(LocalDate.parse("2025-03-01"), timeline.retentionCutoff());
        assertEquals(2L * rowsPerMonth(), timeline.defaultRows(), "January and February's rows wait in the DEFAULT");
        assertEquals(db.count(TABLE + "_p_default"), timeline.defaultRows());
        assertEquals(partitions(2025, 10, 11, 12), timeline.ahead(), "premake_months 3 after September");
        assertEquals(List.of(), timeline.pastRetention(), "no partition before the cut yet");
        assertEquals(List.of(), timeline.gaps());

        // their months created by hand: now retention would take them, and the picture says so
        manager.create(TABLE, YearMonth.of(2025, 1), YearMonth.of(2025, 2));
        timeline = MonthTimeline.of(manager, TABLE);
        assertEquals(children(TABLE), new TreeSet<>(timeline.partitionsDrawn()));
        assertEquals(partitions(2025, 1, 2), timeline.pastRetention());
        assertEquals(PartitionManager.partitionsWith(manager.retention(TABLE, false, null), "would drop"), timeline.pastRetention(),
                "past the cut: what the retention dry run would drop");
        assertEquals(0L, timeline.defaultRows());

        // a month dropped by hand in the middle: the next picture draws a gap there
        db.query("DROP TABLE " + TABLE + "_p2025_06");
        timeline = MonthTimeline.of(manager, TABLE);
        assertEquals(children(TABLE), new TreeSet<>(timeline.partitionsDrawn()));
        assertEquals(List.of(YearMonth.of(2025, 6)), timeline.gaps());
        assertTrue(timeline.verdict().contains("gaps [2025-06]"), timeline.verdict());

        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(timeline.image(), "png", png), "the picture encodes as PNG");
        var decoded = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertEquals(timeline.image().getWidth(), decoded.getWidth());
        assertEquals(380, decoded.getHeight());
    }
}
