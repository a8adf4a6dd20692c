package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Shard-aware reads (lab.ShardMap) on the embedded coordinator and shards: the map routes every tenant where the
 * server's own hash does, a routed read returns the coordinator's rows, a query of no tenant is refused, and a map
 * made stale by a reshard is refused by the coordinator's bounds and by the shard's, while a map read again routes
 * right. The layout is put back as built and loaded (June 2024, 3,000 events over 1,000 tenants, seed 42).
 */
class ShardMapTest {
    private static final List<String> TENANT_QUERIES = List.of("03_tenant_month.sql", "08_audit_by_user.sql");

    private static Lab lab;
    private static Sharding sharding;
    private static Node coordinator;
    private static EventGenerator.Request request;

    @BeforeAll
    static void buildAndLoad() {
        lab = Lab.connect("embedded");
        sharding = Sharding.on(lab);
        coordinator = sharding.coordinator();
        request = EventGenerator.Request.of(Sharding.TABLE, YearMonth.of(2024, 6), YearMonth.of(2024, 6), 3000, Bench.TENANTS, 42)
                .withProgress(Progress.Mode.OFF);
        sharding.build();
        sharding.loadShardAware(request);
    }

    @Test
    void forTenantAgreesWithTheServersRoutingForEveryTenantAndForIdsNoMapHolds() {
        Table server = coordinator.run("fdw/shard_map.sql", Map.of("lab.table", Sharding.TABLE,
                "lab.tenants", Integer.toString(Bench.TENANTS))).lastTable();
        assertEquals(Bench.TENANTS, server.rowCount());
        for (int r = 0; r < server.rowCount(); r++) {
            int tenant = (int) Tables.number(server, "tenant_id", r);
            assertEquals(server.getString(r, "shard"), sharding.forTenant(tenant).name(), "tenant " + tenant);
        }
        Table bounds = sharding.map().bounds();
        for (int id : List.of(0, -1, Bench.TENANTS + 1, 5_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE)) {
            List<String> serverSays = new ArrayList<>();
            for (int r = 0; r < bounds.rowCount(); r++) {
                boolean there = (Boolean) coordinator.scalar("SELECT satisfies_hash_partition(?::regclass, ?, ?, ?::int)", Sharding.TABLE,
                        bounds.intColumn("modulus").get(r), bounds.intColumn("remainder").get(r), id);
                if (there) serverSays.add(bounds.getString(r, "shard"));
            }
            assertEquals(List.of(sharding.forTenant(id).name()), serverSays, "id " + id);
        }
        assertEquals(2, server.stringColumn("shard").unique().size(), "the tenants live on both shards");
    }

    @Test
    void routedReadsReturnTheCoordinatorsRows() {
        List<Integer> tenants = new ArrayList<>(List.of(Bench.TENANT, busiestTenant(), Bench.TENANTS + 5_000));
        Table server = coordinator.run("fdw/shard_map.sql", Map.of("lab.table", Sharding.TABLE, "lab.tenants", "20")).lastTable();
        for (String shard : Sharding.SHARDS) {
            tenants.add((int) Tables.number(server.where(server.stringColumn("shard").isEqualTo(shard)), "tenant_id", 0));
        }
        int nonEmpty = 0;
        for (int tenant : tenants) {
            for (String query : TENANT_QUERIES) {
                ShardMap.Routed routed = sharding.map().route(query, tenant);
                assertEquals(sharding.forTenant(tenant), routed.shard(), query + " for tenant " + tenant);
                Sql throughCoordinator = ShardMap.withTenant(Sql.file("bench/queries/" + query), "events_sharded", tenant);
                List<String> expected = RemoteTiming.asText(routed.rowsThroughCoordinator(sharding));
                assertEquals(expected, RemoteTiming.asText(routed.rows()), query + " for tenant " + tenant);
                assertTrue(routed.sameRowsAsCoordinator(sharding), query + " for tenant " + tenant);
                BenchTiming.Outcome timed = routed.timed();
                BenchTiming.Outcome coordinatorOutcome = BenchTiming.execute(coordinator, throughCoordinator);
                assertEquals(coordinatorOutcome.rows(), timed.rows());
                assertEquals(coordinatorOutcome.checksum(), timed.checksum(), "the benchmark's checksum, routed and through the coordinator");
                if (!expected.isEmpty()) nonEmpty++;
            }
        }
        assertTrue(nonEmpty >= 4, "most of these reads find rows: " + nonEmpty);
    }

    @Test
    void aQueryOfNoTenantIsRefusedAsBadInput() {
        ShardMap map = sharding.map();
        BadInput everyShard = assertThrows(BadInput.class, () -> map.route("02_month_count.sql", Bench.TENANT));
        assertTrue(everyShard.getMessage().contains("names no tenant"), everyShard.getMessage());
        assertTrue(everyShard.getMessage().contains("through the coordinator"), everyShard.getMessage());
        assertThrows(BadInput.class, () -> map.route("05_batch_insert.sql", Bench.TENANT));
        BadInput missing = assertThrows(BadInput.class, () -> map.route("99_nothing.sql", Bench.TENANT));
        assertTrue(missing.getMessage().contains("99_nothing.sql"), missing.getMessage());
    }

    @Test
    void aMapMadeStaleByAReshardIsRefusedAndOneReadAgainRoutesRight() {
        Sharding application = Sharding.on(lab); // a client that read the map before the reshard
        ShardMap stale = application.map();
        int tenant = busiestTenant();
        String before = stale.shardOf(tenant);
        Fingerprint rows = Fingerprint.of(coordinator, Sharding.TABLE);
        try {
            sharding.swapShards(request);
            assertTrue(Fingerprint.of(coordinator, Sharding.TABLE).sameRowsAs(rows), "the reshard keeps every row");

            ShardMap.Stale byTheShard = assertThrows(ShardMap.Stale.class, () -> stale.route("03_tenant_month.sql", tenant).rows());
            assertTrue(byTheShard.getMessage().contains("stale") && byTheShard.getMessage().contains(before), byTheShard.getMessage());
            assertThrows(ShardMap.Stale.class, () -> stale.route("08_audit_by_user.sql", tenant).timed());
            ShardMap.Stale byTheCoordinator = assertThrows(ShardMap.Stale.class, () -> application.forTenant(tenant));
            assertTrue(byTheCoordinator.getMessage().contains("read the map again"), byTheCoordinator.getMessage());

            ShardMap fresh = application.readMap();
            assertNotEquals(before, fresh.shardOf(tenant), "the reshard moved every tenant to the other shard");
            assertEquals(fresh.shardOf(tenant), application.forTenant(tenant).name());
            for (String query : TENANT_QUERIES) {
                ShardMap.Routed routed = fresh.route(query, tenant);
                List<String> throughCoordinator = RemoteTiming.asText(routed.rowsThroughCoordinator(sharding));
                assertFalse(throughCoordinator.isEmpty(), query + " finds the busiest tenant's rows");
                assertEquals(throughCoordinator, RemoteTiming.asText(routed.rows()), query + " routed by the map read again");
                assertTrue(routed.sameRowsAsCoordinator(sharding));
            }
        } finally {
            sharding.build();
            sharding.loadShardAware(request);
        }
        assertTrue(Fingerprint.of(coordinator, Sharding.TABLE).sameRowsAs(rows), "put back as it was");
        assertEquals(before, stale.checkCurrent(coordinator).shardOf(tenant), "back in the first layout, the first map is current again");
    }

    @Test
    void aLayoutBuiltBeforeTheShardsRecordedTheirBoundsIsRefusedThenBuiltAgainByEnsureLoaded() {
        int tenant = busiestTenant();
        Node shard = sharding.forTenant(tenant);
        try {
            shard.query("DROP TABLE " + Sharding.SHARD_BOUNDS); // as a shard built by an earlier version of the lab
            ShardMap.Stale refused = assertThrows(ShardMap.Stale.class, () -> sharding.map().route("03_tenant_month.sql", tenant).rows());
            assertTrue(refused.getMessage().contains("records no bounds") && refused.getMessage().contains("build it again"), refused.getMessage());
            assertTrue(sharding.ensureLoaded(request).contains("built and loaded"), "ensureLoaded builds such a layout again");
            assertTrue(sharding.readMap().route("03_tenant_month.sql", tenant).sameRowsAsCoordinator(sharding));
        } finally {
            sharding.ensureLoaded(request);
        }
        assertTrue(sharding.ensureLoaded(request).contains("already holds"), "and then leaves it alone");
    }

    private static int busiestTenant() {
        return ((Number) coordinator.scalar("SELECT tenant_id FROM app.events_sharded GROUP BY tenant_id ORDER BY count(*) DESC, tenant_id LIMIT 1"))
                .intValue();
    }
}
