package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The partition manager changes live tables online, on the seven tables of lesson 06 (rows 2025-01..2025-09, most of
 * them waiting in the DEFAULTs): the rescue's window touches the changes made while it copied, not the months; the
 * create window and the retention window hold the locks the SQL says, as pg_locks shows them; a long reader makes a
 * step retry while other readers wait no longer than about lock_timeout; a budget shorter than the reader makes the
 * run give up naming it, changing nothing; a run with nothing to do changes and analyzes nothing.
 */
class MaintainOnlineTest extends LessonTables {
    private static final int ROWS_PER_MONTH = 40;
    private static final String FIRST_RUN = "2025-07-15";
    private static final String TABLE = "audit.audit_logs";
    @Override
    int rowsPerMonth() {
        return ROWS_PER_MONTH;
    }

    private static PartitionManager manager(String day) {
        return PartitionManager.on(db).asOf(LocalDate.parse(day)).withTimeTravel(); // the test acts as of that day
    }

    @Test
    void theRescueWindowTouchesTheDeltaNotTheMonth() {
        Table begun = db.query("SELECT * FROM maintenance.begin_rescue(?, ?::date[])", TABLE, "{2025-03-01,2025-04-01,2025-05-01}");
        long swap = begun.longColumn("swap_id").get(0);
        // written while the rescue is under way: 3 rows of March, 2 of April's rows changed, 1 of May's deleted
        Sql.text("changes during the rescue", """
                INSERT INTO audit.audit_logs (created_at, user_id, action, object_type, object_id)
                SELECT '2025-03-20 12:00:00+00'::timestamptz + n * interval '1 minute', n, 'late', 'room', 'obj_late' FROM generate_series(1, 3) AS n;
                UPDATE audit.audit_logs SET action = 'changed' WHERE id IN (SELECT id FROM audit.audit_logs
                    WHERE created_at >= '2025-04-01' AND created_at < '2025-05-01' ORDER BY id LIMIT 2);
                DELETE FROM audit.audit_logs WHERE id = (SELECT min(id) FROM audit.audit_logs WHERE created_at >= '2025-05-01' AND created_at < '2025-06-01');
                """).run(db, Map.of());
        var report = OnlineSwap.complete(db, swap, OnlineSwap.Options.defaults());
        Table lines = db.query("SELECT * FROM maintenance.rescue_lines(?)", swap);

        assertTrue(report.verified(), report::verdict);
        assertEquals(6, report.windowRows(), "the window caught up with the 6 changes made while the rows were copied");
        assertEquals(List.of(6L, 6L, 6L), lines.longColumn("window_rows").asList(), lines::print);
        assertEquals(List.of(ROWS_PER_MONTH + 3L, (long) ROWS_PER_MONTH, ROWS_PER_MONTH - 1L), lines.longColumn("rows").asList(),
                "each month's partition holds its rows; the window touched 6 of them, not the months");
        assertEquals(0, report.scans(), "no ATTACH scanned a table: " + report.notices());
        assertEquals(2L, db.scalar("SELECT count(*) FROM audit.audit_logs_p2025_04 WHERE action = 'changed'"));
        assertEquals(6L * ROWS_PER_MONTH, db.count("audit.audit_logs_p_default"), "the other months stay in the new DEFAULT");
        assertEquals(9L * ROWS_PER_MONTH + 3 - 1, db.count(TABLE));
    }

    @Test
    void theWindowsHoldTheLocksTheirStepsSay() {
        var hold = Duration.ofMillis(400);
        // the rescue (July's run): ACCESS EXCLUSIVE on the parent and the DEFAULT, for the delta and the catalogs
        var rescue = Locks.whileInWindow(db, TABLE,
                () -> manager(FIRST_RUN).withHoldWindow(hold).create(TABLE, YearMonth.parse("2025-01"), YearMonth.parse("2025-09")));
        assertFalse(PartitionManager.anyError(rescue.result()), rescue.result()::print);
        assertEquals("AccessExclusiveLock", rescue.strongestOn(TABLE), rescue.locks()::print);
        assertEquals("AccessExclusiveLock", rescue.strongestOn("audit.audit_logs_p_default"), rescue.locks()::print);

        // a month ahead: the parent in SHARE ROW EXCLUSIVE (readers go on), the DEFAULT in ACCESS EXCLUSIVE (ATTACH)
        var create = Locks.whileInWindow(db, TABLE,
                () -> manager(FIRST_RUN).withHoldWindow(hold).create(TABLE, YearMonth.parse("2025-10"), YearMonth.parse("2025-10")));
        assertEquals(List.of("audit.audit_logs_p2025_10"), PartitionManager.partitionsWith(create.result(), "create"));
        assertEquals("ShareRowExclusiveLock", create.strongestOn(TABLE), create.locks()::print);
        assertEquals("AccessExclusiveLock", create.strongestOn("audit.audit_logs_p_default"), create.locks()::print);
        assertEquals(0L, create.result().longColumn("window_rows").get(0), "the DEFAULT was empty: the ATTACH scanned no row");

        // retention: one window, ACCESS EXCLUSIVE on the parent, the DEFAULT and the partitions it detaches (then drops)
        var retention = Locks.whileInWindow(db, TABLE,
                () -> manager("2026-10-15").withHoldWindow(hold).retention(TABLE, true, null));
        assertEquals(9, PartitionManager.partitionsWith(retention.result(), "drop").size(), retention.result()::print);
        for (String relation : List.of(TABLE, "audit.audit_logs_p_default", "audit.audit_logs_p2025_01", "audit.audit_logs_p2025_09")) {
            assertEquals("AccessExclusiveLock", retention.strongestOn(relation), relation + "\n" + retention.locks().print());
        }
        assertEquals(List.of(0L), retention.result().longColumn("window_rows").asSet().stream().toList(), "catalog work only");
        assertFalse(Partitions.exists(db, "audit.audit_logs_p2025_01"), "the detached partitions were dropped after the window");

        // without a DEFAULT, ATTACH needs only SHARE UPDATE EXCLUSIVE on the parent: readers and writers go on
        Sql.text("a table without a DEFAULT", """
                CREATE TABLE audit.no_default (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL,
                                               PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
                SELECT maintenance.register_table('audit.no_default', 'created_at', NULL, 0, '{table}_p{YYYY}_{MM}', NULL, 'drop');
                """).run(db, Map.of());
        var bare = Locks.whileInWindow(db, "audit.no_default",
                () -> manager(FIRST_RUN).withHoldWindow(hold).create("audit.no_default", YearMonth.parse("2025-07"), YearMonth.parse("2025-07")));
        assertEquals("ShareUpdateExclusiveLock", bare.strongestOn("audit.no_default"), bare.locks()::print);
    }

    @Test
    void identityAndGeneratedColumnsComeWithTheAttach() {
        Sql.text("identity and a generated column", """
                CREATE TABLE audit.computed (id bigint GENERATED ALWAYS AS IDENTITY, created_at timestamptz NOT NULL,
                                             amount integer NOT NULL, doubled integer GENERATED ALWAYS AS (amount * 2) STORED,
                                             PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
                CREATE TABLE audit.computed_p_default PARTITION OF audit.computed DEFAULT;
                SELECT maintenance.register_table('audit.computed', 'created_at', NULL, 1);
                """).run(db, Map.of());
        Table created = manager(FIRST_RUN).create("audit.computed", YearMonth.parse("2025-07"), YearMonth.parse("2025-08"));
        assertEquals(List.of("audit.computed_p2025_07", "audit.computed_p2025_08"), PartitionManager.partitionsWith(created, "create"));
        Table row = db.query("INSERT INTO audit.computed (created_at, amount) VALUES ('2025-07-04', 21) RETURNING tableoid::regclass::text AS part, id, doubled");
        assertEquals("audit.computed_p2025_07", row.getString(0, "part"));
        assertEquals(42, row.intColumn("doubled").get(0), "the generated column is computed in the attached partition");
        assertTrue(row.longColumn("id").get(0) > 0, "the identity gives the id");
        assertEquals(true, db.scalar("SELECT attgenerated = 's' FROM pg_attribute WHERE attrelid = 'audit.computed_p2025_08'::regclass AND attname = 'doubled'"));
    }

    @Test
    void retentionUnderALongReaderRetriesAndOtherReadersGoOn() {
        assertEquals(0, maintain("run", "--apply", "--allow-time-travel", "--today", FIRST_RUN, "--table", TABLE).exit());
        long rows = db.count(TABLE);
        var beside = BesideLongReader.run(db, TABLE, Duration.ofSeconds(3), () -> manager("2026-10-15").retention(TABLE, true, null));

        Table lines = beside.result();
        assertEquals(9, PartitionManager.partitionsWith(lines, "drop").size(), lines::print);
        int attempts = lines.intColumn("lock_attempts").get(0);
        assertTrue(attempts > 1, "retention retried while the reader held the table: " + attempts + " attempts");
        assertTrue(beside.millis() >= 2_000, "it got its locks once the reader had ended: " + beside.millis() + " ms");
        // without lock_timeout the queue behind retention's request would last as long as the reader: about 3 s
        assertTrue(beside.reader().millis() < 3 * LockDiscipline.DEFAULT_LOCK_TIMEOUT.toMillis() + 100,
                "other readers waited at most " + beside.reader().millis() + " ms, about lock_timeout, not the reader's 3 s");
        assertEquals(rows - 9L * ROWS_PER_MONTH, db.count(TABLE));
    }

    @Test
    void aBudgetShorterThanAHeldLockExitsOneNamingTheHolderAndChangesNothing() {
        var leaves = Partitions.leafNames(db, TABLE);
        var prints = ManagedTables.fingerprints(db);
        Maintained gaveUp;
        int holder;
        try (var reader = Locks.holdAccessShare(db, TABLE, Duration.ofSeconds(4))) {
            holder = reader.pid();
            gaveUp = maintain("run", "--apply", "--allow-time-travel", "--today", FIRST_RUN, "--table", TABLE, "--lock-budget", "600ms");
        }
        assertEquals(1, gaveUp.exit(), gaveUp::toString);
        assertTrue(gaveUp.err().contains("gave up") && gaveUp.err().contains("pid " + holder) && gaveUp.err().contains("SELECT count(*) FROM audit.audit_logs"),
                gaveUp::toString);
        assertEquals(1, gaveUp.err().strip().lines().count(), gaveUp::toString);
        assertEquals(leaves, Partitions.leafNames(db, TABLE), "no partition came or went");
        assertEquals(prints, ManagedTables.fingerprints(db), "every row where it was");

        var again = maintain("run", "--apply", "--allow-time-travel", "--today", FIRST_RUN, "--table", TABLE);
        assertEquals(0, again.exit(), "once the reader is gone, the same run does it all: " + again);
        assertEquals(prints, ManagedTables.fingerprints(db));
    }

    @Test
    void theDailyRunWithNothingToDoChangesAndAnalyzesNothing() {
        assertEquals(0, maintain("run", "--apply", "--allow-time-travel", "--today", FIRST_RUN).exit());
        var catalog = ManagedTables.catalog(db).print(Integer.MAX_VALUE);
        var prints = ManagedTables.fingerprints(db);
        Object analyzed = analyzeCount();
        Object metadata = db.scalar("SELECT max(refreshed_at)::text FROM maintenance.partition_metadata");

        Table lines = manager(FIRST_RUN).locked(false, "run", null, () -> manager(FIRST_RUN).run(null, true, Progress.Mode.OFF));

        assertEquals(0, lines.rowCount(), lines::print);
        assertEquals(catalog, ManagedTables.catalog(db).print(Integer.MAX_VALUE), "no relation came, went or changed");
        assertEquals(prints, ManagedTables.fingerprints(db));
        assertEquals(analyzed, analyzeCount(), "nothing was analyzed");
        assertEquals(metadata, db.scalar("SELECT max(refreshed_at)::text FROM maintenance.partition_metadata"), "no metadata rewritten");
    }

    private static Object analyzeCount() {
        return db.scalar("SELECT sum(analyze_count) FROM pg_stat_all_tables WHERE schemaname IN ('app', 'audit', 'analytics')");
    }

    private static Maintained maintain(String... args) {
        return Maintained.run(args);
    }
}
