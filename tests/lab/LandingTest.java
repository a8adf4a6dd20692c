package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The checks behind lessons 01, 02 and 03's claims on where rows landed: each holds on a right table, fails on a wrong one. */
class LandingTest {

    @Test
    void aMonthHoldsOnlyWithItsOwnPartitionAndAllItsRows() {
        StringColumn month = StringColumn.create("month");
        StringColumn partition = StringColumn.create("partition");
        LongColumn rows = LongColumn.create("row_count");
        for (int m = 1; m <= 12; m++) {
            month.append(String.format("2024-%02d", m));
            partition.append(String.format("app.events_2024_%02d", m == 6 ? 7 : m));  // June in July's partition
            rows.append(m == 3 ? 99 : 100);                                            // March short of a row
        }
        List<Landing.Check> checks = Landing.monthByMonth(Table.create(month, partition, rows), "app.events", 2024, 100);
        assertEquals(12, checks.size());
        assertEquals("2024-01: all 100 rows are in app.events_2024_01", checks.get(0).message());
        assertTrue(checks.get(0).holds());
        assertFalse(checks.get(2).holds(), "March misses a row");
        assertFalse(checks.get(5).holds(), "June is in the wrong partition");
        assertEquals(10, checks.stream().filter(Landing.Check::holds).count());
    }

    @Test
    void aRowHoldsOnlyOnThePartitionOfItsRemainder() {
        Table right = Table.create(StringColumn.create("stored_in", "app.u_p1", "app.u_p3"), IntColumn.create("remainder_of_hash", 1, 3));
        Table wrong = Table.create(StringColumn.create("stored_in", "app.u_p1", "app.u_p2"), IntColumn.create("remainder_of_hash", 1, 3));
        assertTrue(Landing.everyRowOnItsRemainder(right, "app.u_p"));
        assertFalse(Landing.everyRowOnItsRemainder(wrong, "app.u_p"));
        assertFalse(Landing.everyRowOnItsRemainder(right.emptyCopy(), "app.u_p"), "no row proves nothing");
    }

    @Test
    void casesKeepTheirPartition() {
        Table landed = Table.create(StringColumn.create("case_name", "a", "b"), StringColumn.create("landed_in", "x.p1", "x.p2"));
        assertEquals(List.of("a", "b"), List.copyOf(Landing.byCase(landed).keySet()));
        assertEquals("x.p2", Landing.byCase(landed).get("b"));
    }
}
