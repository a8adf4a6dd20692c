package lab;

import java.time.YearMonth;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the partition manager's tests: lesson 06's seven tables on the embedded server, started over before
 * each test with a fresh install of the manager (no configuration, metadata or lock records left from before), and
 * rows seeded for 2025-01..2025-09 while only app.events has partitions, so most rows wait in DEFAULTs.
 */
abstract class LessonTables {
    static final YearMonth FIRST = YearMonth.parse("2025-01");
    static final YearMonth LAST = YearMonth.parse("2025-09");
    static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void lessonTables() {
        ManagedTables.createAndConfigure(db);
        ManagedTables.seed(db, FIRST, LAST, rowsPerMonth());
    }

    /** The rows each table gets for each month. */
    abstract int rowsPerMonth();
}
