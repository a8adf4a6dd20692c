package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {
    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE t (a text DEFAULT 'x;y');
                /* block; /* nested; */ still comment */
                INSERT INTO "we;ird" VALUES (E'it\\'s; fine');
                DO $$ BEGIN RAISE NOTICE 'one; two'; END $$;
                CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;
                SELECT $1::int;
                """;
        List<String> statements = SqlSplitter.split(script, "test");
        assertEquals(5, statements.size(), statements.toString());
        assertTrue(statements.get(0).endsWith("DEFAULT 'x;y')"));
        assertTrue(statements.get(1).startsWith("/* block") && statements.get(1).endsWith("'it\\'s; fine')"));
        assertTrue(statements.get(2).startsWith("DO $$"));
        assertTrue(statements.get(3).contains("$fn$ SELECT 1; $fn$"));
        assertEquals("SELECT $1::int", statements.get(4));
    }

    @Test
    void dropsCommentOnlyTail() {
        assertEquals(List.of("SELECT 1"), SqlSplitter.split("SELECT 1;\n-- done\n", "test"));
    }

    @Test
    void refusesPsqlMetaCommands() {
        var e = assertThrows(IllegalArgumentException.class, () -> SqlSplitter.split("\\set x 1\nSELECT :x;", "f.sql"));
        assertTrue(e.getMessage().contains("f.sql") && e.getMessage().contains("\\set"), e.getMessage());
    }

    @Test
    void reportsUnterminatedDollarQuote() {
        var e = assertThrows(IllegalArgumentException.class, () -> SqlSplitter.split("DO $$ BEGIN", "f.sql"));
        assertTrue(e.getMessage().contains("dollar"), e.getMessage());
    }
}
