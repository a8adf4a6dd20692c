package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Seed Variant B (lesson 07) on three embedded servers: app.events_sharded on the coordinator, hash-partitioned on
 * tenant_id into foreign partitions on shard1 and shard2. Loaded once through the coordinator and once straight into
 * the shards twice, by the coordinator's per-tenant map and shard-aware (3 months x 500 events, 1000 tenants, seed 42);
 * every test reads what the last load, the shard-aware one, left, and the limits put back what they change.
 */
class FdwShardingTest {
    private static final int PER_MONTH = 500;
    private static final int TENANTS = 1000;
    private static final long ROWS = 3L * PER_MONTH;
    private static final Map<String, String> PARTITION_OF_SHARD =
            Map.of("shard1", "app.events_mod2_r0", "shard2", "app.events_mod2_r1");

    private static Sharding sharding;
    private static Node coordinator;
    private static Fingerprint viaCoordinator;
    private static Fingerprint direct;
    private static Fingerprint shardAware;

    @BeforeAll
    static void buildAndLoadTwice() {
        Lab lab = Lab.connect("embedded");
        sharding = Sharding.on(lab);
        coordinator = sharding.coordinator();
        var request = EventGenerator.Request.of(Sharding.TABLE, YearMonth.of(2024, 1), YearMonth.of(2024, 3), PER_MONTH, TENANTS, 42)
                .withProgress(Progress.Mode.OFF);
        sharding.build();
        sharding.loadThroughCoordinator(request);
        viaCoordinator = Fingerprint.of(coordinator, Sharding.TABLE);
        sharding.build();
        assertEquals(0, coordinator.count(Sharding.TABLE), "build() starts over, empty");
        sharding.loadDirect(request);
        direct = Fingerprint.of(coordinator, Sharding.TABLE);
        sharding.build();
        sharding.loadShardAware(request);
        shardAware = Fingerprint.of(coordinator, Sharding.TABLE);
    }

    @Test
    void theDirectLoadGivesTheCoordinatorsRowsEachOnTheShardTheBoundsName() {
        assertEquals(ROWS, viaCoordinator.rows());
        assertTrue(direct.sameRowsAs(viaCoordinator), direct + " vs " + viaCoordinator);
        assertTrue(shardAware.sameRowsAs(viaCoordinator), "the shard-aware load: " + shardAware + " vs " + viaCoordinator);

        Table placement = sharding.tenantPlacement();
        assertTrue(placement.rowCount() > 0 && placement.rowCount() <= TENANTS, placement.rowCount() + " tenants");
        for (int i = 0; i < placement.rowCount(); i++) {
            assertEquals(1, Tables.number(placement, "partitions", i), "tenant " + placement.intColumn("tenant_id").get(i) + " on one partition");
            assertTrue(placement.booleanColumn("belongs_there").get(i), "tenant " + placement.intColumn("tenant_id").get(i) + " where its hash says");
        }
        assertEquals(ROWS, (long) placement.longColumn("row_count").sum());
        // and the same answer from the Java side: each tenant's partition is the one on the shard shardOf names
        for (int i = 0; i < 20; i++) {
            int tenant = placement.intColumn("tenant_id").get(i);
            assertEquals(PARTITION_OF_SHARD.get(sharding.shardOf(tenant)), "app." + placement.getString(i, "held_by"), "tenant " + tenant);
        }
    }

    @Test
    void bothShardsHoldRowsAndTheCountsAgreeOnBothSides() {
        Table distribution = sharding.distribution();
        assertEquals(List.of("events_mod2_r0", "events_mod2_r1"), distribution.stringColumn("partition").asList());
        assertEquals(List.of("shard1", "shard2"), distribution.stringColumn("shard").asList());
        long sum = 0;
        for (int i = 0; i < distribution.rowCount(); i++) {
            assertTrue(Tables.number(distribution, "rows_on_shard", i) > 0, distribution::print);
            assertEquals(Tables.number(distribution, "rows_on_shard", i), Tables.number(distribution, "rows_via_coordinator", i), distribution::print);
            assertTrue(distribution.booleanColumn("counts_equal").get(i));
            sum += Tables.number(distribution, "rows_on_shard", i);
        }
        assertEquals(ROWS, sum);
    }

    @Test
    void everyTenantIsMappedToOneShard() {
        Table map = coordinator.run("fdw/shard_map.sql", Map.of("lab.tenants", Integer.toString(TENANTS))).lastTable();
        assertEquals(TENANTS, map.rowCount());
        var tenantsPerShard = new TreeMap<String, Long>();
        for (int i = 0; i < map.rowCount(); i++) tenantsPerShard.merge(map.getString(i, "shard"), 1L, Long::sum);
        // PostgreSQL's hash of 1..1000 with modulus 2: not an even split
        assertEquals(Map.of("shard1", 535L, "shard2", 465L), tenantsPerShard);
    }

    @Test
    void oneTenantPrunesToTheShardItsHashNames() {
        for (int tenant : List.of(42, 1, 3, 999)) {
            PlanSummary plan = sharding.oneTenant(tenant);
            assertEquals(2, plan.partitionsTotal(), plan::report);
            assertEquals(1, plan.partitionsScanned(), plan::report);
            assertEquals(List.of(PARTITION_OF_SHARD.get(sharding.shardOf(tenant))), plan.scannedPartitions(), plan::report);
            assertTrue(plan.planText().contains("(tenant_id = " + tenant + ")"), plan::report);
        }
    }

    @Test
    void thePerTenantAggregateIsPushedDownToBothShardsAtOnceWhenPartitionwise() {
        PlanSummary pushed = sharding.aggregateByTenant(true);
        assertTrue(pushed.planText().contains("Async Foreign Scan"), pushed::report);
        assertTrue(pushed.planText().contains("Aggregate on"), pushed::report);
        assertEquals(2, pushed.partitionsTotal(), pushed::report);
        assertEquals(2, pushed.partitionsScanned(), pushed::report);

        PlanSummary notPushed = sharding.aggregateByTenant(false);
        assertFalse(notPushed.planText().contains("Aggregate on"), notPushed::report);
        assertEquals(ROWS, notPushed.rowsRead(), notPushed::report);
        assertTrue(pushed.rowsRead() < notPushed.rowsRead(), pushed.rowsRead() + " rows from the shards, pushed down");

        PlanSummary byType = sharding.aggregateByEventType(true);
        assertFalse(byType.planText().contains("Aggregate on"), byType::report);
        assertEquals(2, byType.partitionsScanned(), byType::report);
    }

    @Test
    void theMonitorAlertsOnUnevenShardsBeyondItsThreshold() {
        Sharding.Monitor strict = sharding.monitor(0);
        Table shards = strict.shards();
        assertEquals(List.of("shard1", "shard2"), shards.stringColumn("shard").asList());
        assertNotEquals(Tables.number(shards, "row_count", 0), Tables.number(shards, "row_count", 1), "seed 42 gives the shards different counts");
        assertTrue(strict.alert(), strict::status);
        assertTrue(strict.status().startsWith("ALERT"), strict::status);
        assertTrue(strict.spreadPct() > 0);

        Sharding.Monitor relaxed = sharding.monitor(100);
        assertFalse(relaxed.alert(), relaxed::status);
        assertTrue(relaxed.status().startsWith("ok"), relaxed::status);
        assertEquals(strict.spreadPct(), relaxed.spreadPct());

        Sharding.Monitor byDefault = sharding.monitor(Sharding.DEFAULT_SPREAD_THRESHOLD_PCT);
        assertEquals(byDefault.spreadPct() > Sharding.DEFAULT_SPREAD_THRESHOLD_PCT, byDefault.status().startsWith("ALERT"), byDefault::status);
        assertEquals(byDefault.spreadPct() > Sharding.DEFAULT_SPREAD_THRESHOLD_PCT, byDefault.alert(), byDefault::status);
        assertThrows(BadInput.class, () -> sharding.monitor(-1));
    }

    @Test
    void theLimitsShowWhatTheyClaimAndLeaveTheLoadedRowsAsTheyWere() {
        var limits = sharding.limits();
        try {
            Table tenants = limits.tenants();
            int onShard1 = (int) Tables.number(tenants, "on_shard1", 0);
            int onShard2 = (int) Tables.number(tenants, "on_shard2", 0);
            assertEquals("shard1", sharding.shardOf(onShard1));
            assertEquals("shard2", sharding.shardOf(onShard2));

            // 1. no unique constraint across shards
            Table duplicate = limits.duplicateId();
            assertEquals(2, duplicate.rowCount(), duplicate::print);
            assertEquals(List.of("events_mod2_r0", "events_mod2_r1"), duplicate.stringColumn("partition").asList());
            assertEquals(1, duplicate.column("id").unique().size(), duplicate::print);
            assertEquals("42809", limits.noUniqueIndex().sqlState());

            // 2. no global foreign key
            assertEquals("42830", limits.globalForeignKey().sqlState());
            assertFalse(Partitions.exists(coordinator, "app.lab_limit_event_notes"));

            // 3. no two-phase commit: shard2 refuses at COMMIT, shard1's half stays
            Sharding.FailedCommit failed = limits.writeBothShardsWithShard2Failing();
            assertTrue(failed.error().serverMessage().contains("shard2 refuses to commit"), failed.error().getMessage());
            Table stayed = failed.whatStayed();
            assertEquals(List.of("shard1", "shard2"), stayed.stringColumn("meant_for").asList());
            assertEquals("events_mod2_r0", stayed.getString(0, "found_in"), stayed::print);
            assertTrue(stayed.stringColumn("found_in").isMissing(1), stayed::print);

            // 4. a row cannot move out of its foreign partition
            Table stuck = limits.rowCannotMove();
            assertEquals(1, stuck.rowCount(), stuck::print);
            assertEquals("events_mod2_r0", stuck.getString(0, "stored_in"));
            assertEquals(onShard2, Tables.number(stuck, "tenant_now", 0));
            assertEquals(0, Tables.number(stuck, "found_by_its_tenant", 0));
        } finally {
            limits.cleanup();
        }
        assertTrue(Fingerprint.of(coordinator, Sharding.TABLE).sameRowsAs(direct), "cleanup() leaves exactly the loaded rows");
        assertFalse(Partitions.exists(coordinator, "app.lab_limit_tenants"));

        // 5. resharding 2 -> 4: rows move only to the new shards, about half of them
        Table reshard = limits.reshardCost();
        long moving = 0;
        long staying = 0;
        for (int i = 0; i < reshard.rowCount(); i++) {
            String now = reshard.getString(i, "shard_now");
            String after = reshard.getString(i, "shard_after");
            assertTrue(now.equals(after) || (now.equals("shard1") ? after.equals("shard3") : after.equals("shard4")), reshard::print);
            assertEquals(!now.equals(after), reshard.booleanColumn("rows_move").get(i));
            if (reshard.booleanColumn("rows_move").get(i)) moving += Tables.number(reshard, "row_count", i);
            else staying += Tables.number(reshard, "row_count", i);
        }
        assertEquals(ROWS, moving + staying);
        assertTrue(moving > ROWS * 35 / 100 && moving < ROWS * 65 / 100, moving + " of " + ROWS + " rows move");

        // rows a run of the limits left behind are removed by the next run's tenants(), so the limits show the same again
        try {
            assertEquals(1, limits.tenants().rowCount());
            assertEquals(2, limits.duplicateId().rowCount());
            // within one shard the primary key holds: the same id again for the same tenants is refused
            assertEquals("23505", assertThrows(LabSqlException.class, limits::duplicateId).sqlState());
            limits.tenants();
            assertEquals(2, limits.duplicateId().rowCount());
        } finally {
            limits.cleanup();
        }
        assertTrue(Fingerprint.of(coordinator, Sharding.TABLE).sameRowsAs(direct));
    }

    /**
     * The forms the shards compute: each of the four is pushed down where the query as written is not, and gives the
     * same rows; fetch_size and async_capable are set and put back.
     */
    @Test
    void theAggregatesAreComputedOnTheShardsInTheirPushedForms() {
        List<Sharding.Pushdown> forms = new java.util.ArrayList<>();
        for (String query : List.of("02_month_count.sql", "03_tenant_month.sql", "04_monthly_rollup.sql", "09_audit_by_action.sql")) {
            Sharding.Pushdown p = sharding.pushdown(query, 1);
            assertTrue(p.computedOnShards(), query + " pushed:\n" + p.pushed().planText());
            assertFalse(p.asWritten().planText().contains("Relations: Aggregate on"), query + " as written:\n" + p.asWritten().planText());
            assertTrue(p.sameRows(), query + " answers alike");
            forms.add(p);
        }
        // the year's aggregates: every row travels as written, a few groups when pushed
        Sharding.Pushdown byAction = forms.get(3);
        assertEquals(ROWS, byAction.asWritten().rowsRead(), "as written, every row comes to the coordinator");
        long perType = byAction.pushed().rowsRead();
        assertTrue(perType > 0 && perType <= 2 * 7, "pushed, each shard sends one row per event type: " + perType);
        assertEquals(4, Sharding.pushdownTable(forms).rowCount());
        assertThrows(BadInput.class, () -> sharding.pushdown("01_point_lookup.sql", 1));

        try {
            assertEquals(List.of("5000", "5000"), sharding.fetchSize(5000).stringColumn("fetch_size").asList());
            Table off = sharding.asyncCapable(false);
            assertEquals(List.of("false", "false"), off.stringColumn("async_capable").asList());
            assertFalse(sharding.pushdown("02_month_count.sql", 1).pushed().planText().contains("Async Foreign Scan"), "one shard after the other");
        } finally {
            assertEquals(List.of("100 (default)", "100 (default)"), sharding.fetchSize(null).stringColumn("fetch_size").asList());
            assertEquals(List.of("true", "true"), sharding.asyncCapable(true).stringColumn("async_capable").asList());
        }
        assertTrue(sharding.pushdown("02_month_count.sql", 1).pushed().planText().contains("Async Foreign Scan"), "both shards at once");
    }
}
