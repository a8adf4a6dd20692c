package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tech.tablesaw.api.Table;

/**
 * The four migrations from ordinary tables (sql/base, sql/migrate) on a real server: no row lost, every row in the
 * partition its key says, indexes on every leaf, a second run changes nothing, an empty table migrates, a failed
 * migration changes nothing; the lock it holds (ACCESS EXCLUSIVE, under the lock discipline) makes readers wait as
 * well as writers, and a long reader makes it give up, naming the reader and changing nothing; and where NULL keys
 * and out-of-range rows go.
 */
class MigrationTest {
    private static final long ROWS = 600;
    /** Leaf partitions each migration builds, by the count: 3 months + DEFAULT, 4 hash, 4 list, 2 x 3. */
    private static final Map<Migration, Integer> LEAVES = Map.of(Migration.RANGE, 4, Migration.HASH, 4, Migration.LIST, 4, Migration.COMPOSITE, 6);

    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @ParameterizedTest
    @EnumSource(Migration.class)
    void migratesEveryRowIntoThePartitionItsKeySaysAndKeepsTheOriginal(Migration migration) {
        migration.createBase(db, ROWS, Migration.DEFAULT_SEED);
        assertEquals(Migration.State.PLAIN, migration.state(db));
        Fingerprint original = Fingerprint.of(db, migration.table());
        assertEquals(ROWS, original.rows());

        var outcome = migration.migrate(db);

        assertTrue(outcome.migrated(), outcome::verdict);
        assertTrue(outcome.noRowLost(), outcome::verdict);
        assertTrue(outcome.after().sameRowsAs(original), "the partitioned table holds the original rows");
        assertTrue(outcome.kept().sameRowsAs(original), "the _old table holds the original rows");
        assertEquals(Migration.State.PARTITIONED, migration.state(db));
        Table parity = Partitions.parity(db, migration.table(), migration.oldTable());
        assertEquals(LEAVES.get(migration), parity.rowCount(), parity::print);
        assertTrue(Partitions.parityHolds(parity, ROWS), parity::print);
        Table coverage = Partitions.indexCoverage(db, migration.table());
        assertTrue(Partitions.everyLeafIndexed(coverage), coverage::print);
        assertTrue(outcome.message().contains(ROWS + " rows copied"), outcome.message());
    }

    @ParameterizedTest
    @EnumSource(Migration.class)
    void aSecondRunSaysSoAndChangesNothing(Migration migration) {
        migration.createBase(db, ROWS, Migration.DEFAULT_SEED);
        var first = migration.migrate(db);
        List<String> leaves = Partitions.leafNames(db, migration.table());

        var second = migration.migrate(db);

        assertFalse(second.migrated(), second::verdict);
        assertTrue(second.message().contains("already partitioned"), second.message());
        assertTrue(second.after().sameRowsAs(first.after()));
        assertTrue(Fingerprint.of(db, migration.oldTable()).sameRowsAs(first.kept()), "the _old table changed");
        assertEquals(leaves, Partitions.leafNames(db, migration.table()));
        assertTrue(second.kept().sameRowsAs(first.kept()));
        assertTrue(second.noRowLost());
    }

    @ParameterizedTest
    @EnumSource(Migration.class)
    void anEmptyTableMigrates(Migration migration) {
        migration.createBase(db, 0, Migration.DEFAULT_SEED);
        var outcome = migration.migrate(db);
        assertTrue(outcome.migrated() && outcome.noRowLost(), outcome::verdict);
        assertEquals(0, outcome.after().rows());
        assertEquals(LEAVES.get(migration), Partitions.leafNames(db, migration.table()).size());
        assertTrue(Partitions.everyLeafIndexed(Partitions.indexCoverage(db, migration.table())));
    }

    /**
     * While the load simulator writes into all four tables, each is migrated in turn. Writers wait on the migration's
     * lock for the whole copy, then find the partitioned table under the name: no insert fails, and every row the load
     * reported written is in the (now partitioned) table at the end.
     */
    @Test
    void migratesWhileAnApplicationWritesWithoutLosingOrRefusingARow() {
        for (Migration migration : Migration.values()) migration.createBase(db, ROWS, Migration.DEFAULT_SEED);
        var load = LoadSimulator.start(db, LoadSimulator.Options.defaults().withInterval(Duration.ofMillis(1)));
        try {
            for (Migration migration : Migration.values()) {
                awaitRowsWritten(load, 20);
                assertTrue(migration.migrate(db).migrated());
            }
            awaitRowsWritten(load, 20);
        } finally {
            load.stop();
        }
        var summary = load.snapshot();
        var check = load.verify();
        assertEquals(0, summary.errors(), summary::toString);
        assertTrue(check.everyRowPresent(), check::verdict);
        for (LoadSimulator.Target target : LoadSimulator.Target.defaultMix().keySet()) {
            assertEquals(Migration.State.PARTITIONED, target.migration().state(db));
            assertTrue(summary.count(target).written() > 0, target + " got no rows");
            // every row is in the partitioned table: the original rows and all the load wrote, before and after
            assertEquals(ROWS + summary.count(target).written(), db.count(target.table()), target.table());
        }
    }

    private static void awaitRowsWritten(LoadSimulator load, long more) {
        long target = load.snapshot().written() + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.snapshot().written() < target) {
            assertTrue(System.nanoTime() < deadline, "the load wrote nothing for 30 s: " + load.snapshot());
            Thread.onSpinWait();
        }
    }

    /**
     * The migration holds ACCESS EXCLUSIVE from its first statement to its commit (the RENAME needs it anyway): a reader
     * waits as well as a writer, for the copy and the index builds. The probe measures both.
     */
    @Test
    void readersWaitAsWellAsWritersForTheWholeMigration() {
        Migration events = Migration.RANGE;
        events.createBase(db, 20_000, Migration.DEFAULT_SEED);
        var outcome = events.migrate(db, Migration.Options.defaults().probed());
        assertTrue(outcome.migrated() && outcome.noRowLost(), outcome::verdict);
        var writer = outcome.longestWait(LockProbe.Role.WRITER);
        var reader = outcome.longestWait(LockProbe.Role.READER);
        // the lock is held from the migration's first statement to its commit: a request made meanwhile waits for most of it
        assertTrue(writer.millis() > outcome.millis() / 2, "a writer waited for the migration (" + outcome.millis() + " ms): " + writer);
        assertTrue(reader.millis() > outcome.millis() / 2, "a reader waited for the migration too: " + reader);
        assertEquals(2, outcome.waitsTable().rowCount(), outcome.waitsTable()::print);
    }

    @Test
    void aBudgetShorterThanAHeldAccessShareGivesUpNamingTheReaderAndChangesNothing() throws Exception {
        Migration users = Migration.HASH;
        users.createBase(db, ROWS, Migration.DEFAULT_SEED);
        Fingerprint before = Fingerprint.of(db, users.table());
        var shortBudget = Migration.Options.defaults().with(LockDiscipline.defaults().withBudget(Duration.ofMillis(600)));
        LockGiveUp gaveUp;
        int readerPid;
        try (var reader = LongReader.hold(db, users.table(), Duration.ofSeconds(3))) {
            readerPid = reader.pid();
            gaveUp = assertThrows(LockGiveUp.class, () -> users.migrate(db, shortBudget));
        }

        assertTrue(gaveUp.getMessage().contains("migrate app.users_distributed in one transaction: gave up")
                && gaveUp.getMessage().contains("pid " + readerPid), gaveUp.getMessage());
        assertEquals(Migration.State.PLAIN, users.state(db));
        assertFalse(Partitions.exists(db, users.oldTable()));
        assertTrue(Fingerprint.of(db, users.table()).sameRowsAs(before));
        assertTrue(users.migrate(db).migrated(), "once the reader is gone, it migrates");
    }

    @Test
    void aMigrationThatFailsHalfwayLeavesTheOrdinaryTableAsItWas() {
        Migration sales = Migration.COMPOSITE;
        sales.createBase(db, ROWS, Migration.DEFAULT_SEED);
        db.run("edge-cases/sale_outside_quarters.sql"); // a row no quarter takes: the copy fails on it
        Fingerprint before = Fingerprint.of(db, sales.table());

        var failed = assertThrows(LabSqlException.class, () -> sales.migrate(db));

        assertEquals("23514", failed.sqlState(), failed.getMessage());
        assertTrue(failed.serverMessage().contains("no partition of relation"), failed.serverMessage());
        assertEquals(Migration.State.PLAIN, sales.state(db), "the DO block is one transaction: nothing of it stays");
        assertFalse(Partitions.exists(db, sales.oldTable()));
        assertTrue(Fingerprint.of(db, sales.table()).sameRowsAs(before));
        assertEquals(ROWS + 1, before.rows());
    }

    @Test
    void refusesToOverwriteAKeptOriginal() {
        Migration orders = Migration.LIST;
        orders.createBase(db, ROWS, Migration.DEFAULT_SEED);
        Fingerprint before = Fingerprint.of(db, orders.table());
        db.query("CREATE TABLE app.orders_by_region_old (squatter int)"); // left over from an earlier attempt, say

        var refused = assertThrows(LabSqlException.class, () -> orders.migrate(db));

        assertTrue(refused.serverMessage().contains("app.orders_by_region_old already exists"), refused.serverMessage());
        assertEquals(Migration.State.PLAIN, orders.state(db));
        assertTrue(Fingerprint.of(db, orders.table()).sameRowsAs(before));
        orders.createBase(db, ROWS, Migration.DEFAULT_SEED); // drops the squatter again
    }

    @Test
    void aMissingTableIsBadInputAndUnknownNamesAreRefused() {
        db.query("DROP TABLE IF EXISTS app.users_distributed, app.users_distributed_old CASCADE");
        assertEquals(Migration.State.MISSING, Migration.HASH.state(db));
        var missing = assertThrows(BadInput.class, () -> Migration.HASH.migrate(db));
        assertTrue(missing.getMessage().startsWith("no table app.users_distributed"), missing.getMessage());

        assertEquals(Migration.HASH, Migration.named("users_distributed"));
        assertEquals(Migration.COMPOSITE, Migration.named("app.sales_data"));
        assertEquals(Migration.LIST, Migration.named("List"));
        var unknown = assertThrows(BadInput.class, () -> Migration.named("app.users; DROP TABLE x"));
        assertTrue(unknown.getMessage().startsWith("unknown migration 'app.users; DROP TABLE x': use one of range"), unknown.getMessage());
        assertThrows(BadInput.class, () -> Migration.RANGE.createBase(db, -1, Migration.DEFAULT_SEED));
    }

    @Test
    void ensureCreatesAndMigratesAMissingTableOnce() {
        db.query("DROP TABLE IF EXISTS app.event_logs, app.event_logs_old CASCADE");
        var created = Migration.RANGE.ensure(db);
        assertTrue(created.migrated() && created.noRowLost(), created::verdict);
        assertEquals(Migration.RANGE.seedRows(Scale.current()), created.after().rows());
        var again = Migration.RANGE.ensure(db);
        assertFalse(again.migrated());
        assertTrue(again.after().sameRowsAs(created.after()));
    }

    @Test
    void theSameSeedGivesTheSameRowsWithTheSkewOfRealData() {
        Migration orders = Migration.LIST;
        orders.createBase(db, 2_000, Migration.DEFAULT_SEED);
        Fingerprint first = Fingerprint.of(db, orders.table());
        orders.createBase(db, 2_000, Migration.DEFAULT_SEED);
        assertTrue(Fingerprint.of(db, orders.table()).sameRowsAs(first), "same seed, same rows");
        orders.createBase(db, 2_000, 0.7);
        assertFalse(Fingerprint.of(db, orders.table()).sameRowsAs(first), "another seed, other rows");

        assertTrue(orders.migrate(db).migrated());
        Table perRegion = db.run("03-list/01_rows_per_region.sql").lastTable();
        Map<String, Long> count = new HashMap<>();
        for (int i = 0; i < perRegion.rowCount(); i++) count.put(perRegion.getString(i, "region"), perRegion.longColumn("orders").get(i));
        assertTrue(count.get("us-east") > 4 * count.get("af-south"), "us-east far more common than af-south: " + count);
    }

    @Test
    void aNullKeyGoesWhereEachStrategySaysAndIsRefusedWhereItHasNowhereToGo() {
        Table landed = db.run("edge-cases/null_keys.sql").lastTable();
        Map<String, String> where = new HashMap<>();
        for (int i = 0; i < landed.rowCount(); i++) where.put(landed.getString(i, "case_name"), landed.getString(i, "landed_in"));
        assertEquals("lab_edge.by_range_default", where.get("range: NULL key"));
        assertEquals("lab_edge.by_range_default", where.get("range: 500, beyond every range"), "a row outside every range goes to the DEFAULT");
        assertEquals("lab_edge.by_range_0_100", where.get("range: 7"));
        assertEquals("lab_edge.by_list_null", where.get("list: NULL key, a partition lists NULL"));
        assertEquals("lab_edge.by_list_without_null_default", where.get("list: NULL key, no partition lists NULL"));
        assertEquals("lab_edge.by_list_default", where.get("list: unlisted value z"));
        assertEquals("lab_edge.by_hash_r0", where.get("hash: NULL key"));
        Table skipped = db.run("edge-cases/null_hash_column_skipped.sql").lastTable();
        assertEquals(8, skipped.rowCount());
        assertEquals(8, skipped.booleanColumn("same_remainder").isTrue().size(), "(NULL, b) hashes as b alone: " + skipped.print());
        assertTrue(skipped.intColumn("remainder_of_b_alone").countUnique() > 1, "the 8 values spread over several remainders");

        var refused = assertThrows(LabSqlException.class, () -> db.run("edge-cases/null_key_nowhere.sql"));
        assertEquals("23514", refused.sqlState());
        assertTrue(refused.serverMessage().contains("no partition of relation \"by_range_without_default\" found for row"), refused.serverMessage());
    }
}
