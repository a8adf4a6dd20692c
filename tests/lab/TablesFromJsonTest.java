package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** JSON rows, as the service answers them (Render's JSON), back into a table a lesson can compare and render. */
class TablesFromJsonTest {
    @Test
    void theRowsRenderWroteComeBackColumnByColumn() {
        Table health = Table.create("health",
                StringColumn.create("parent_table", "app.events", "audit.audit_logs"),
                StringColumn.create("status", "HEALTHY", null),
                LongColumn.create("default_rows", 0L, 12L),
                DoubleColumn.create("ratio", 0.5, 2),
                BooleanColumn.create("enabled", true, false),
                DateColumn.create("oldest_month", LocalDate.parse("2025-04-01"), null));
        String answer = "{\"asOf\": \"2026-04-15\", \"healthy\": false, \"tables\": " + Render.json(health) + "}";
        Table back = Tables.fromJson(answer, "tables");
        assertEquals("tables", back.name());
        assertEquals(health.columnNames(), back.columnNames());
        assertEquals(List.of(ColumnType.STRING, ColumnType.STRING, ColumnType.LONG, ColumnType.DOUBLE, ColumnType.BOOLEAN, ColumnType.STRING),
                back.columns().stream().map(c -> c.type()).toList());
        assertEquals(List.of("app.events", "audit.audit_logs"), back.stringColumn("parent_table").asList());
        assertTrue(back.stringColumn("status").isMissing(1), "null is a missing value");
        assertEquals(List.of(0L, 12L), back.longColumn("default_rows").asList());
        assertEquals(List.of(0.5, 2.0), back.doubleColumn("ratio").asList(), "a column with a fraction is double throughout");
        assertEquals(List.of(true, false), back.booleanColumn("enabled").asList());
        assertEquals("2025-04-01", back.stringColumn("oldest_month").get(0), "dates stay ISO text");
    }

    @Test
    void aKeyMissingInSomeRowsIsMissingThereAndNestedValuesStayJson() {
        Table t = Tables.fromJson("{\"lines\": [{\"a\": 1}, {\"b\": {\"x\": [1]}, \"a\": null}]}", "lines");
        assertEquals(List.of("a", "b"), t.columnNames());
        assertTrue(t.longColumn("a").isMissing(1));
        assertTrue(t.stringColumn("b").isMissing(0));
        assertEquals("{\"x\":[1]}", t.stringColumn("b").get(1));
        assertEquals(0, Tables.fromJson("{\"lines\": []}", "lines").rowCount());
    }

    @Test
    void noArrayThereOrNoJsonIsSaidSo() {
        assertEquals("no array 'tables' in the JSON document",
                assertThrows(IllegalArgumentException.class, () -> Tables.fromJson("{\"error\": \"wrong token\"}", "tables")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.fromJson("{\"tables\": [", "tables")).getMessage()
                .startsWith("not JSON: "));
    }
}
