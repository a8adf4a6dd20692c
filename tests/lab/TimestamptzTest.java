package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A timestamptz read from a real server shows with its zone in every face of a table; its value stays a UTC instant. */
class TimestamptzTest {
    private final Node node = Lab.connect("embedded").node("partitioned");

    private Table read() {
        return node.query("""
                SELECT timestamptz '2026-12-02 23:59:01+00' AS at_utc, timestamptz '2026-12-03 01:59:01.5+02' AS at_plus_two,
                       timestamp '2026-12-02 23:59:01' AS local_time, NULL::timestamptz AS never""");
    }

    @Test
    void anInstantShowsInUtcWithItsZone() {
        Table t = read();
        assertEquals("2026-12-02 23:59:01+00", t.getString(0, "at_utc"));
        assertEquals("2026-12-02 23:59:01.5+00", t.getString(0, "at_plus_two"), "the same instant, in UTC, with its fraction");
        assertEquals(LocalDateTime.of(2026, 12, 2, 23, 59, 1), t.dateTimeColumn("at_utc").get(0), "still a date-time column, in UTC");
        for (String shown : new String[] {Render.text(t), Render.html(t), Render.markdown(t), Render.json(t)}) {
            assertTrue(shown.contains("2026-12-02 23:59:01+00") && shown.contains("2026-12-02 23:59:01.5+00"), shown);
        }
        assertTrue(Render.json(t).contains("\"never\" : null"), Render.json(t));
    }

    @Test
    void aTimestampWithoutZoneShowsNoZone() {
        Table t = read();
        assertEquals("2026-12-02T23:59:01.000", t.getString(0, "local_time"));
    }

    @Test
    void aFilteredOrCopiedTableKeepsTheZone() {
        Table t = read();
        assertEquals("2026-12-02 23:59:01+00", t.first(1).getString(0, "at_utc"));
        assertEquals("2026-12-02 23:59:01+00", t.copy().getString(0, "at_utc"));
        assertEquals("2026-12-02 23:59:01+00", t.where(t.dateTimeColumn("at_utc").isNotMissing()).getString(0, "at_utc"));
        assertEquals("2026-12-02 23:59:01+00", t.selectColumns("at_utc").getString(0, "at_utc"));
    }
}
