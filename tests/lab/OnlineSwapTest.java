package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.OnlineSwap.NewPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The online swap (sql/online) on a real server, on app.swap_demo and its plain twin (sql/lab/online_swap_fixture.sql):
 * the same rows as the twin after every swap, whatever was written meanwhile; a window that catches up with the
 * changes, not the partition; the lock discipline against a long reader (readers not queued for long, the swap
 * retrying until it can, or giving up naming the reader and changing nothing); a failed window and a failed
 * verification leaving every row in place.
 */
class OnlineSwapTest {
    private static final String TABLE = "app.swap_demo";
    private static final List<String> ORIGINAL = List.of("app.swap_demo_2024_01", "app.swap_demo_2024_02", "app.swap_demo_2024_03",
            "app.swap_demo_default");
    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void freshTable() {
        OnlineSwap.install(db);
        db.run("lab/online_swap_fixture.sql", Map.of("lab.rows", "20000"));
    }

    private static OnlineSwap.Plan splitFebruary() {
        return OnlineSwap.Plan.of(TABLE, "split 2024-02", List.of("app.swap_demo_2024_02"), List.of(
                NewPartition.range("app.swap_demo_2024_02_a", "2024-02-01 00:00:00+00", "2024-02-15 00:00:00+00"),
                NewPartition.range("app.swap_demo_2024_02_b", "2024-02-15 00:00:00+00", "2024-03-01 00:00:00+00")));
    }

    /** April out of the DEFAULT: the DEFAULT is replaced by April and a new DEFAULT. */
    private static OnlineSwap.Plan addApril() {
        return OnlineSwap.Plan.of(TABLE, "add 2024-04", List.of("app.swap_demo_default"), List.of(
                NewPartition.range("app.swap_demo_2024_04", "2024-04-01 00:00:00+00", "2024-05-01 00:00:00+00"),
                NewPartition.defaultPartition("app.swap_demo_default")));
    }

    /** Rounds of an application's changes to February (6 row changes a round), the same to the twin. */
    private static long write(int rounds) {
        return write(rounds, "2024-02");
    }

    private static long write(int rounds, String month) {
        return ((Number) db.scalar("SELECT lab.swap_demo_write(?, ?)", rounds, month)).longValue();
    }

    private static void assertSameRowsAsTwin() {
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(Fingerprint.of(db, "app.swap_demo_twin")),
                () -> Fingerprint.of(db, TABLE) + " vs " + Fingerprint.of(db, "app.swap_demo_twin"));
    }

    @Test
    void theWindowCatchesUpWithTheChangesNotThePartition() {
        var options = OnlineSwap.Options.defaults().withBatchRows(500);
        long swap = OnlineSwap.begin(db, splitFebruary(), options);
        long changed = write(7); // written after the capture began: the window must catch up with exactly these
        assertEquals(42, changed);
        var report = OnlineSwap.complete(db, swap, options);

        assertTrue(report.verified(), report::verdict);
        long februaryRows = db.count("app.swap_demo_2024_02_a") + db.count("app.swap_demo_2024_02_b");
        assertTrue(februaryRows > 1000, "February holds " + februaryRows + " rows");
        assertEquals(changed, report.windowRows(), "the window caught up with the changes made since staging began");
        assertTrue(report.windowRows() < februaryRows / 10, report::verdict);
        assertEquals(2, report.scansSkipped() - countDefaultProofs(report), report.notices()::toString);
        assertEquals(0, report.scans(), "no ATTACH scanned a table: " + report.notices());
        assertEquals(List.of("app.swap_demo_2024_01", "app.swap_demo_2024_02_a", "app.swap_demo_2024_02_b", "app.swap_demo_2024_03",
                "app.swap_demo_default"), Partitions.leafNames(db, TABLE));
        assertSameRowsAsTwin();
        assertFalse(Partitions.exists(db, "app.swap_demo_2024_02"), "the old partition went once verified");
        assertEquals(0, captureTriggers(), "the capture is gone");
    }

    private static long countDefaultProofs(OnlineSwap.Report report) {
        return report.notices().stream().filter(n -> n.contains("default partition")).count();
    }

    private static long captureTriggers() {
        return ((Number) db.scalar("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'online_capture_%'")).longValue();
    }

    @Test
    void theDefaultIsReplacedWhenAMonthLeavesItWhileTheApplicationWrites() throws Exception {
        var options = OnlineSwap.Options.defaults().withBatchRows(1000);
        long swap = OnlineSwap.begin(db, addApril(), options);
        var writer = CompletableFuture.supplyAsync(() -> write(40, "2024-04"));
        var report = OnlineSwap.complete(db, swap, options);
        writer.get(60, TimeUnit.SECONDS);
        write(3, "2024-04"); // after the swap, into the new partitions

        assertTrue(report.verified(), report::verdict);
        assertEquals("app.swap_demo_default", report.detached());
        assertTrue(Partitions.leafNames(db, TABLE).containsAll(List.of("app.swap_demo_2024_04", "app.swap_demo_default")));
        assertEquals(0, ((Number) db.scalar("SELECT count(*) FROM ONLY app.swap_demo_default WHERE created_at >= '2024-04-01' AND created_at < '2024-05-01'")).longValue(),
                "no April row left in the DEFAULT");
        assertEquals(0, report.scans(), "the new DEFAULT's CHECK spared its scan: " + report.notices());
        assertSameRowsAsTwin();
    }

    @Test
    void whileTheWindowHoldsPgLocksShowsAccessExclusiveOnTheParentAndTheDefault() {
        var options = OnlineSwap.Options.defaults().withHoldWindow(Duration.ofMillis(400));
        var seen = Locks.whileInWindow(db, TABLE, () -> OnlineSwap.run(db, splitFebruary(), options));
        assertTrue(seen.result().verified(), seen.result()::verdict);
        assertEquals("AccessExclusiveLock", seen.strongestOn(TABLE), seen.locks()::print);
        assertEquals("AccessExclusiveLock", seen.strongestOn("app.swap_demo_default"), seen.locks()::print);
        assertEquals("AccessExclusiveLock", seen.strongestOn("app.swap_demo_2024_02"), seen.locks()::print);
        assertTrue(seen.locks().stringColumn("held_by").asList().stream().allMatch(w -> w.startsWith("online window: swap")));
        assertSameRowsAsTwin();
    }

    @Test
    void aFailedWindowChangesNothingAndARerunFinishes() {
        long swap = OnlineSwap.begin(db, splitFebruary(), OnlineSwap.Options.defaults());
        write(2);
        var failing = OnlineSwap.Options.defaults().withFailAt("window");
        assertThrows(LabSqlException.class, () -> OnlineSwap.complete(db, swap, failing));
        assertEquals(ORIGINAL, Partitions.leafNames(db, TABLE));
        assertSameRowsAsTwin();

        write(2);
        var report = OnlineSwap.run(db, splitFebruary(), OnlineSwap.Options.defaults()); // the same label: it continues
        assertEquals(swap, report.swapId());
        assertTrue(report.verified(), report::verdict);
        assertSameRowsAsTwin();
    }

    @Test
    void aFailedVerificationRevertsOnlineWithEveryRowWrittenSince() {
        var report = OnlineSwap.run(db, addApril(), OnlineSwap.Options.defaults().withFailAt("verify"));
        assertTrue(report.reverted(), report::verdict);
        assertEquals(ORIGINAL, Partitions.leafNames(db, TABLE));
        assertSameRowsAsTwin();
        assertEquals(0, captureTriggers());
        assertEquals(0, ((Number) db.scalar("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'online_swap_%'")).longValue());
    }

    @Test
    void aLongReaderMakesTheSwapRetryWhileOtherReadersGoOn() throws Exception {
        long swap = OnlineSwap.begin(db, splitFebruary(), OnlineSwap.Options.defaults());
        var held = new CountDownLatch(1);
        var reader = holdAccessShare(Duration.ofSeconds(5), held);
        held.await(10, TimeUnit.SECONDS);
        long started = System.nanoTime();
        List<LockProbe.Wait> waits;
        OnlineSwap.Report report;
        try (var probe = LockProbe.start(db, TABLE)) {
            report = OnlineSwap.complete(db, swap, OnlineSwap.Options.defaults());
            waits = probe.stop();
        }
        reader.get(30, TimeUnit.SECONDS);
        long ended = System.nanoTime();

        assertTrue(report.verified(), report::verdict);
        assertTrue(report.lockAttempts() > 1, "the window retried while the reader held the table: " + report.lockAttempts());
        assertTrue((ended - started) / 1e9 >= 4, "the swap waited for the reader to finish");
        var readerWait = LockProbe.longest(waits, List.of(TABLE), started, ended).stream()
                .filter(l -> l.role() == LockProbe.Role.READER).findFirst().orElseThrow();
        // without lock_timeout the queue behind the swap's request would last as long as the reader: about 5 s
        assertTrue(readerWait.millis() < 3 * LockDiscipline.DEFAULT_LOCK_TIMEOUT.toMillis() + 100,
                "other readers waited at most " + readerWait.millis() + " ms, about lock_timeout, not the reader's 5 s");
        assertSameRowsAsTwin();
    }

    @Test
    void aBudgetShorterThanTheHoldGivesUpNamingTheReaderAndChangesNothing() throws Exception {
        long swap = OnlineSwap.begin(db, splitFebruary(), OnlineSwap.Options.defaults());
        Fingerprint before = Fingerprint.of(db, TABLE);
        var held = new CountDownLatch(1);
        var reader = holdAccessShare(Duration.ofSeconds(3), held);
        held.await(10, TimeUnit.SECONDS);
        var shortBudget = OnlineSwap.Options.defaults().with(LockDiscipline.defaults().withBudget(Duration.ofMillis(800)));

        var gaveUp = assertThrows(LockGiveUp.class, () -> OnlineSwap.complete(db, swap, shortBudget));
        int readerPid = reader.getNow(-1) == -1 ? readerPid() : reader.getNow(-1);
        reader.get(30, TimeUnit.SECONDS);

        assertTrue(gaveUp.getMessage().contains("gave up") && gaveUp.getMessage().contains("pid " + readerPid)
                && gaveUp.getMessage().contains("SELECT count(*) FROM app.swap_demo"), gaveUp.getMessage());
        assertTrue(gaveUp.getMessage().contains("aborted: nothing of app.swap_demo changed"), gaveUp.getMessage());
        assertEquals(ORIGINAL, Partitions.leafNames(db, TABLE));
        assertTrue(Fingerprint.of(db, TABLE).sameRowsAs(before));
        assertFalse(Partitions.exists(db, "app.swap_demo_2024_02_a"), "the staged tables are gone");
        assertEquals("aborted", db.scalar("SELECT state FROM online.swaps WHERE swap_id = ?", swap));
    }

    private static volatile int lastReaderPid;

    private static int readerPid() {
        return lastReaderPid;
    }

    /** A session that reads the whole table in a transaction and keeps it open: ACCESS SHARE on every partition. */
    private static CompletableFuture<Integer> holdAccessShare(Duration hold, CountDownLatch held) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                var rs = s.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                lastReaderPid = rs.getInt(1);
                s.execute("SELECT count(*) FROM app.swap_demo");
                held.countDown();
                Thread.sleep(hold.toMillis());
                c.rollback();
                c.setAutoCommit(true);
                return lastReaderPid;
            } catch (Exception e) {
                held.countDown();
                throw new IllegalStateException(e);
            }
        });
    }
}
