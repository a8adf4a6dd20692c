package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import lab.cli.CitusCommand;
import lab.cli.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tech.tablesaw.api.Table;

/**
 * The Citus journey on a real Citus cluster: the lab's topology provides one (on the embedded topology, local servers
 * started from a PostgreSQL installation with Citus; compose or dsn otherwise). Without one every test is skipped
 * with the reason. The claims: each phase does what the lesson says, the rows equal phase 1's after every step, every
 * step can run again without changing anything, and bad input exits 2 and changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitusTest {
    private static Citus citus;
    private static Optional<String> missing;

    @BeforeAll
    static void cluster() {
        missing = Citus.unavailable(Lab.connect());
        if (missing.isEmpty()) citus = Citus.on(Lab.connect());
    }

    /** Each test, not the class, is skipped: so every one is reported as skipped, with the reason. */
    @BeforeEach
    void needsCitus() {
        Assumptions.assumeTrue(missing.isEmpty(), () -> "no Citus cluster: " + missing.orElse(""));
    }

    @Test
    @Order(1)
    void theFourPhasesKeepEveryRowAndEachStepCanRunAgain() {
        Citus.Step reset = citus.reset(true);
        assertTrue(List.of("reset dropped", "reset: nothing to drop").contains(reset.fingerprints().name()), reset.fingerprints().name());
        assertEquals("reset: nothing to drop", citus.reset(true).fingerprints().name(), "a second reset finds nothing to drop");
        Citus.Step setup = citus.setup(Scale.ci);
        assertTrue(setup.changed(), setup.summary());
        assertEquals(Scale.ci.citusOrders(), citus.coordinator().count("app.orders"));
        Table baseline = checksums();
        assertFalse(citus.setup(Scale.ci).changed(), "setup again changes nothing");
        assertEquals(baseline.toString(), checksums().toString());

        // phase 1: every query runs on the coordinator's own tables
        for (Citus.Query q : citus.demo()) assertEquals("local", q.routing().kind(), q.file() + "\n" + q.routing().plan());

        // phase 2
        Citus.Step enabled = citus.enableCitus();
        assertTrue(enabled.changed() && citus.monitor().state().distributed(), enabled.summary());
        assertEquals(Map.of("app.orders", "distributed", "app.order_items", "distributed", "app.regions", "reference"),
                citus.monitor().state().citusTables());
        assertEquals(Map.of("worker1", 8L, "worker2", 8L), shardsPerWorker(), "8 shards of orders and 8 of order_items per worker");
        assertSameRows(baseline, "enable-citus");
        assertFalse(citus.enableCitus().changed(), "enable-citus again changes nothing");
        String keyRule = citus.distributeWithoutUserIdInKey();
        assertTrue(keyRule.startsWith("cannot create constraint") && keyRule.contains("partition column"), keyRule);

        String tenantNode = citus.monitor().tenantShard(Citus.HOT_TENANT).getString(0, "node");
        Citus.Routing oneUser = citus.query("q_one_user_orders.sql").routing();
        assertTrue(oneUser.routedToOneWorker(), oneUser.plan());
        assertEquals(List.of(tenantNode), List.copyOf(oneUser.nodes()), "routed to the worker holding user 42's shard");
        Citus.Routing byRegion = citus.query("q_revenue_by_region.sql").routing();
        assertEquals(8, byRegion.tasks(), "one task per shard: " + byRegion.plan());
        Citus.Routing colocated = citus.query("q_colocated_join.sql").routing();
        assertEquals("fan-out", colocated.kind(), colocated.plan());
        Citus.Query onOrderId = citus.query("q_join_on_order_id.sql");
        assertTrue(onOrderId.refused().orElseThrow().contains("repartition"), onOrderId.refused().toString());
        assertEquals("repartition", onOrderId.routing().kind(), onOrderId.routing().plan());
        assertEquals(citus.query("q_colocated_join.sql").rows().setName("join").toString(), onOrderId.rows().setName("join").toString(),
                "the repartitioned join gives the colocated join's answer");
        assertEquals("subplan", citus.query("q_top_users.sql").routing().kind());

        // phase 3: grow, rebalance online while an application writes, isolate, drain
        Citus.Step added = citus.addWorker();
        assertTrue(added.changed(), added.summary());
        assertEquals(0L, shardsPerWorker().get("worker3"));
        assertFalse(citus.addWorker().changed(), "add-worker again changes nothing");

        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> citus.load(Duration.ofSeconds(3), 20, Progress.Mode.OFF));
        Citus.Step rebalanced = citus.rebalance(false, Progress.Mode.OFF);
        long loaded = writer.join();
        assertTrue(rebalanced.changed(), rebalanced.summary());
        assertTrue(loaded > 0, "the load wrote during the rebalance");
        Map<String, Long> spread = shardsPerWorker();
        assertTrue(spread.get("worker3") > 0, spread.toString());
        assertEquals(16L, spread.values().stream().mapToLong(Long::longValue).sum(), spread.toString());
        assertTrue(spread.values().stream().mapToLong(Long::longValue).max().getAsLong()
                - spread.values().stream().mapToLong(Long::longValue).min().getAsLong() <= 2, "balanced: " + spread);
        assertTrue(citus.monitor().sameRowsAsBaseline(), "the baseline follows the load: " + citus.monitor().fingerprints());
        baseline = checksums();
        assertEquals(Scale.ci.citusOrders() + loaded, citus.coordinator().count("app.orders"));
        assertFalse(citus.rebalance(true, Progress.Mode.OFF).changed(), "rebalance again: balanced already");

        Citus.Step isolated = citus.isolate(Citus.HOT_TENANT, Optional.of("worker3"), true);
        Table tenant = citus.monitor().tenantShard(Citus.HOT_TENANT);
        assertTrue(tenant.booleanColumn("isolated").get(0), tenant.toString());
        Table alone = citus.monitor().shardUsers(((Number) tenant.column("shardid").get(0)).longValue());
        assertEquals(1L, ((Number) alone.column("users").get(0)).longValue(), "the tenant's shard holds the tenant alone");
        assertEquals(citus.coordinator().scalar("SELECT count(*) FROM app.orders WHERE user_id = 42"), alone.column("orders").get(0));
        assertEquals("worker3", citus.monitor().labNodeAt(tenant.getString(0, "node")), isolated.summary());
        assertSameRows(baseline, "isolate");
        assertFalse(citus.isolate(Citus.HOT_TENANT, Optional.of("worker3"), true).changed(), "isolate again changes nothing");
        assertFalse(citus.isolate(Citus.HOT_TENANT, Optional.empty(), true).changed(), "nor without --to: an isolated tenant stays put");
        assertEquals("worker3", citus.monitor().labNodeAt(citus.monitor().tenantShard(Citus.HOT_TENANT).getString(0, "node")));

        Citus.Step dryRun = citus.drain("worker2", false, true);
        assertFalse(dryRun.changed());
        assertTrue(dryRun.summary().startsWith("DRY RUN"), dryRun.summary());
        assertTrue(shardsPerWorker().containsKey("worker2"), "a dry run moves nothing");
        long before = shardsPerWorker().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(citus.drain("worker2", true, true).changed());
        assertFalse(shardsPerWorker().containsKey("worker2"), "worker2 left the cluster");
        assertEquals(before, shardsPerWorker().values().stream().mapToLong(Long::longValue).sum(), "every shard is somewhere");
        assertSameRows(baseline, "drain");
        assertFalse(citus.drain("worker2", true, true).changed(), "drain again changes nothing");

        // a drained worker comes back: add-worker takes the first worker not in the cluster
        Citus.Step back = citus.addWorker();
        assertTrue(back.changed() && back.summary().startsWith("worker2 "), back.summary());
        assertEquals(0L, shardsPerWorker().get("worker2"), "back, and empty until a rebalance");
        assertFalse(citus.addWorker(Optional.of("worker2")).changed(), "named again: it is in the cluster already");
        assertTrue(citus.addWorker().summary().startsWith("every worker"), "no worker left to add");
        assertSameRows(baseline, "add-worker worker2");

        // phase 4
        assertFalse(citus.undistribute(false).changed(), "a dry run");
        assertTrue(citus.monitor().state().distributed());
        assertTrue(citus.undistribute(true).changed());
        Citus.State state = citus.monitor().state();
        assertTrue(state.citusTables().isEmpty() && state.workers() == 0, state.toString());
        assertSameRows(baseline, "undistribute");
        for (Citus.Query q : citus.demo()) assertEquals("local", q.routing().kind(), q.file());
        assertFalse(citus.undistribute(true).changed(), "undistribute again changes nothing");
    }

    @Test
    @Order(2)
    void theWholeJourneyRunsAgainFromItsEnd() {
        Run run = runbook("all", "--confirm", "--blocking", "--scale", "ci");
        assertEquals(0, run.exit, run.err + run.out);
        assertTrue(run.out.contains("all four phases done"), run.out);
        assertTrue(citus.monitor().sameRowsAsBaseline());
        Run dryReset = runbook("reset");
        assertEquals(0, dryReset.exit, dryReset.err);
        assertTrue(dryReset.out.contains("reset would drop") && !dryReset.out.contains("reset dropped"), dryReset.out);
        assertTrue(citus.monitor().state().citusTables().isEmpty());
    }

    @Test
    @Order(3)
    void badInputExitsTwoWithOneLineAndChangesNothing() {
        Run status = runbook("status");
        assertEquals(0, status.exit, status.err);
        assertTrue(status.out.contains("phase 4"), status.out);

        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("frobnicate"), "unknown command 'frobnicate': Citus takes one of setup, load, demo, enable-citus");
        cases.put(List.of("rebalance"), "run enable-citus first");
        cases.put(List.of("add-worker"), "run enable-citus first");
        cases.put(List.of("isolate"), "run enable-citus first");
        cases.put(List.of("drain", "--confirm"), "run enable-citus first");
        cases.put(List.of("isolate", "--tenant", "x"), "'x'");
        cases.put(List.of("load", "--seconds", "0"), "--seconds");
        cases.put(List.of("setup", "--scale", "huge"), "huge");
        cases.put(List.of("rebalance", "--topology", "cloud"), "cloud");
        Table catalog = citus.coordinator().query("SELECT count(*) AS nodes FROM pg_dist_node");
        Table rows = checksums();
        for (var c : cases.entrySet()) {
            Run run = runbook(c.getKey().toArray(String[]::new));
            assertEquals(2, run.exit, c.getKey() + ": " + run.err);
            assertEquals(1, run.err.strip().lines().count(), c.getKey() + " prints one line: " + run.err);
            assertTrue(run.err.contains(c.getValue()), c.getKey() + ": " + run.err);
        }
        assertEquals(catalog.toString(), citus.coordinator().query("SELECT count(*) AS nodes FROM pg_dist_node").toString());
        assertEquals(rows.toString(), checksums().toString());

        // with Citus enabled: a tenant without orders, a worker that does not exist, draining the last worker
        assertEquals(0, runbook("enable-citus").exit);
        Map<List<String>, String> distributed = Map.of(
                List.of("isolate", "--tenant", "999999"), "has no orders",
                List.of("isolate", "--to", "worker3"), "not in the cluster",
                List.of("drain", "--worker", "worker9", "--confirm"), "unknown worker");
        Table placement = citus.monitor().placement();
        for (var c : distributed.entrySet()) {
            Run run = runbook(c.getKey().toArray(String[]::new));
            assertEquals(2, run.exit, c.getKey() + ": " + run.err);
            assertTrue(run.err.contains(c.getValue()), c.getKey() + ": " + run.err);
        }
        assertEquals(placement.toString(), citus.monitor().placement().toString());
        assertEquals(0, runbook("drain", "--worker", "worker1", "--confirm", "--blocking").exit);
        Run last = runbook("drain", "--worker", "worker2", "--confirm");
        assertEquals(2, last.exit, last.err);
        assertTrue(last.err.contains("last worker"), last.err);
        assertEquals(0, runbook("undistribute", "--confirm").exit);
        assertEquals(rows.toString(), checksums().toString());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Row count and checksum per table, as a comparable table. */
    private static Table checksums() {
        return citus.monitor().fingerprints().selectColumns("table_name", "rows_now", "row_checksum");
    }

    private static void assertSameRows(Table baseline, String after) {
        assertTrue(citus.monitor().sameRowsAsBaseline(), "after " + after + ": " + citus.monitor().fingerprints());
        assertEquals(baseline.toString(), checksums().toString(), "after " + after);
    }

    /** Distributed shards per worker, by lab node name. */
    private static Map<String, Long> shardsPerWorker() {
        return CitusPlacement.of(citus.monitor().placement()).shardsPerWorker();
    }

    private record Run(int exit, String out, String err) {}

    private static Run runbook(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(new CitusCommand(), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
