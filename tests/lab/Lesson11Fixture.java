package lab;

import java.util.Map;

/** Lesson 11's tables in a database of their own (a {@link FreshDatabase}), small: 10 readings a month. */
final class Lesson11Fixture implements AutoCloseable {
    private final FreshDatabase fresh;

    Lesson11Fixture(String database) {
        fresh = new FreshDatabase(database);
        fresh.node().run("11-indexes/01_tables.sql", Map.of("lab.rows_per_month", "10"));
    }

    Node node() {
        return fresh.node();
    }

    @Override
    public void close() {
        fresh.close();
    }
}
