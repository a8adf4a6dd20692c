package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files run against a real embedded server, parameters as custom settings. */
class SqlTest {
    private final Node node = Lab.connect("embedded").node("partitioned");

    @Test
    void psqlVariablesBecomeQuotedLiteralsAndIdentifiersAsPsqlWouldWriteThem() {
        Sql sql = Sql.text("vars", "SELECT :'month'::date, x::\"char\" FROM app.:\"table\" WHERE note = :'note'");
        String text = sql.withVariables(Map.of("month", "2024-06-01", "table", "odd\"name", "note", "it's; DROP TABLE x")).text();
        assertEquals("SELECT '2024-06-01'::date, x::\"char\" FROM app.\"odd\"\"name\" WHERE note = 'it''s; DROP TABLE x'", text);
        var missing = assertThrows(IllegalArgumentException.class, () -> sql.withVariables(Map.of("month", "2024-06-01")));
        assertTrue(missing.getMessage().contains(":\"table\""), missing.getMessage());
    }

    @Test
    void parametersArriveAsSettingsAndDoNotLeakIntoTheNextUse() {
        Sql sql = Sql.text("params", """
                DO $$ BEGIN RAISE NOTICE 'month is %', current_setting('lab.month'); END $$;
                SELECT current_setting('lab.month') AS month;
                """);
        Sql.Result result = sql.run(node, Map.of("lab.month", "2024-06'; DROP TABLE x; --"));
        assertEquals("2024-06'; DROP TABLE x; --", result.lastTable().getString(0, "month"));
        assertTrue(result.notices().get(0).contains("month is 2024-06"), result.notices().toString());
        for (int i = 0; i < 8; i++) { // every pooled connection: the setting is gone
            assertEquals("", node.scalar("SELECT coalesce(current_setting('lab.month', true), '')"));
        }
    }

    @Test
    void settingNamesMustBeCustomSettings() {
        var e = assertThrows(BadInput.class, () -> Sql.text("x", "SELECT 1").run(node, Map.of("search_path", "evil")));
        assertTrue(e.getMessage().contains("search_path"));
    }

    @Test
    void failureNamesNodeStatementAndSqlState() {
        var e = assertThrows(LabSqlException.class, () -> Sql.text("x", "SELECT 1; SELECT * FROM app.no_such_table").run(node, Map.of()));
        assertEquals("42P01", e.sqlState());
        assertTrue(e.getMessage().contains("[partitioned]") && e.getMessage().contains("no_such_table"), e.getMessage());
    }

    @Test
    void countRowsRefusesWhatIsNotATable() {
        node.query("CREATE TABLE IF NOT EXISTS public.count_me AS SELECT g FROM generate_series(1, 7) g");
        assertEquals(7, node.count("public.count_me"));
        assertThrows(BadInput.class, () -> node.count("public.count_me; DROP TABLE public.count_me"));
        assertEquals(7, node.count("public.count_me"));
    }
}
