package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tech.tablesaw.api.Table;

/**
 * The checks of lesson 09, step by step, on a real Citus cluster ({@link Citus}): each method checks its claims with
 * {@link Claim} (printing them) and returns a small result for the lesson to show. The journey remembers what later
 * phases are held to: the queries' rows on one server and at the end of phase 3, the keys Citus needed, the shard
 * count, the hot tenant's shard, and the placement after each phase ({@link #table()}, {@link #picture()}).
 */
public final class CitusJourney {
    private final Citus citus;
    private final CitusMonitor monitor;
    private final CitusPlacement.History history = new CitusPlacement.History();
    private Map<String, List<String>> onOneServer = Map.of();
    private Map<String, List<String>> endOfPhase3 = Map.of();
    private List<String> keysWithUserId = List.of();
    private long shardsOfOrders;
    private long tenantShard;
    private String tenantNode = "";

    private CitusJourney(Citus citus) {
        this.citus = citus;
        this.monitor = citus.monitor();
    }

    public static CitusJourney of(Citus citus) {
        return new CitusJourney(citus);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Phase 0 and 1

    /**
     * After reset(true): the four tables gone (what a reset would drop now: nothing), no node left in the Citus metadata.
     * Returns what the reset dropped: each table with the rows it had, "absent" on a first run.
     */
    public Table startedOver(Citus.Step reset) {
        Citus.State start = monitor.state();
        Claim.that("the four tables are gone: " + start.phase(), reset.changed() && !start.tablesExist() && start.baselineTables() == 0
                && citus.resetPlan().stringColumn("rows").asList().stream().allMatch("absent"::equals));
        Claim.equal("no node is left in the Citus metadata", 0, start.nodes());
        return reset.fingerprints();
    }

    /** After setup: the scale's rows, the hot tenant, one node with four regular tables, the baseline. Remembers phase 1. */
    public Table regularTables(Citus.Step setup, Scale scale) {
        Node coordinator = citus.coordinator();
        Claim.equal("setup seeded the users and orders of LAB_SCALE=" + scale, List.of(scale.citusUsers(), scale.citusOrders()),
                setup.changed() ? List.of((int) coordinator.count("app.users"), (int) coordinator.count("app.orders")) : List.of());
        long tenantOrders = monitor.ordersOf(Citus.HOT_TENANT);
        Claim.that("user " + Citus.HOT_TENANT + " is the hot tenant: " + tenantOrders + " orders, at least one in ten",
                tenantOrders >= scale.citusOrders() / 10);
        Citus.State phase1 = monitor.state();
        Table placement = monitor.placement();
        Claim.that("the journey stands at " + phase1.phase() + ": one node, the coordinator, with four regular tables",
                phase1.setUp() && !phase1.enabled() && CitusPlacement.of(placement).nodes().equals(List.of(Citus.COORDINATOR)));
        Claim.that("the baseline records the rows as seeded (count and checksum of all four tables)", monitor.sameRowsAsBaseline());
        remember("1 regular tables", placement);
        return placement;
    }

    /** The five queries on one server: all on the coordinator, none refused, both joins alike. Remembers their rows. */
    public List<Citus.Query> queriesOnOneServer() {
        List<Citus.Query> queries = citus.demo();
        for (Citus.Query q : queries) System.out.println(q.file() + ": " + q.routing().describe());
        Claim.that("every query runs on the coordinator alone, none refused: no Citus in any plan",
                queries.stream().allMatch(q -> q.routing().kind().equals("local") && q.refused().isEmpty()));
        onOneServer = rowsByFile(queries);
        Claim.that("the colocated join and the join on order_id alone give the same result on one server",
                onOneServer.get("q_colocated_join.sql").equals(onOneServer.get("q_join_on_order_id.sql")));
        return queries;
    }

    /** Phase 1's keys: orders unique by order_id alone. */
    public Table keysOnOneServer() {
        Table keys = monitor.keys().setName("phase 1's keys");
        Claim.equal("orders' primary key is order_id alone", "PRIMARY KEY (order_id)", definitionOf(keys, "orders_pkey"));
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Phase 2

    /** After enable-citus: the phase, and which table became what. */
    public void distributed(Citus.Step enabled) {
        Citus.State phase2 = monitor.state();
        Claim.that("the journey stands at " + phase2.phase() + " (Citus " + phase2.citusVersion() + ")",
                enabled.changed() && phase2.distributed() && phase2.workers() == 2);
        Claim.equal("orders and order_items are distributed, regions is a reference table, users is not a Citus table",
                Map.of("app.orders", "distributed", "app.order_items", "distributed", "app.regions", "reference"), phase2.citusTables());
    }

    /** The cluster after enable-citus: two active workers, one colocation group, shards half each, the reference copies. */
    public Table twoWorkersHoldEveryShard(Citus.Step enabled) {
        CitusPlacement placement = CitusPlacement.of(enabled.after());
        Claim.that("the cluster: the coordinator and two workers, both active (citus_get_active_worker_nodes())",
                placement.nodes().equals(List.of(Citus.COORDINATOR, "worker1", "worker2"))
                        && monitor.activeWorkerNames().equals(List.of("worker1", "worker2")));
        Table tables = monitor.citusTables();
        shardsOfOrders = monitor.shardCount("app.orders");
        Table colocated = tables.where(tables.stringColumn("citus_table_type").isEqualTo("distributed"));
        Claim.that("orders and order_items: " + shardsOfOrders + " shards each, distributed by user_id, in one colocation group",
                monitor.shardCount("app.order_items") == shardsOfOrders && colocated.rowCount() == 2
                        && colocated.stringColumn("distribution_column").asList().stream().allMatch("user_id"::equals)
                        && colocated.column("colocation_id").unique().size() == 1);
        Map<String, Long> perNode = placement.shardsPerNode();
        Claim.that("the workers hold all " + 2 * shardsOfOrders + " shards, half each (" + perNode + "); the coordinator none",
                placement.shardsOn(Citus.COORDINATOR) == 0 && placement.total() == 2 * shardsOfOrders
                        && placement.shardsOn("worker1") == placement.shardsOn("worker2"));
        long referenceTables = tables.stringColumn("citus_table_type").countOccurrences("reference");
        Claim.that("every node, the coordinator too, holds a copy of the reference table", placement.referenceEverywhere(referenceTables));
        remember("2 distributed", enabled.after());
        return tables;
    }

    /** enable-citus asked again: nothing changed, the same placement, the baseline's rows. */
    public Table enableAgainChangesNothing(Citus.Step first, Citus.Step again) {
        Claim.that("run again, enable-citus changes nothing (" + again.summary() + ") and the placement is the same",
                !again.changed() && rowsOf(first.after()).equals(rowsOf(again.after())));
        Claim.that("after distributing, every table holds the baseline's rows (count and checksum)", monitor.sameRowsAsBaseline());
        return monitor.fingerprints();
    }

    /** Citus's refusal of a primary key without user_id, and the keys enable-citus widened. */
    public Table keysIncludeUserId() {
        String refusal = citus.distributeWithoutUserIdInKey();
        System.out.println("Citus: " + refusal);
        Claim.that("Citus refuses a primary key without the distribution column", refusal.startsWith("cannot create constraint"));
        Table keys = monitor.keys().setName("the keys now");
        keysWithUserId = rowsOf(keys);
        Claim.that("every primary and foreign key of orders and order_items includes user_id",
                keys.rowCount() == 3 && keys.stringColumn("definition").asList().stream().allMatch(d -> d.contains("user_id")));
        return keys;
    }

    /** The shards of orders: their hash ranges end to end over all 32-bit values, half on each worker. */
    public Table shardsCoverEveryHash() {
        Table shards = monitor.shards();
        var from = shards.longColumn("hash_from");
        var to = shards.longColumn("hash_to");
        boolean contiguous = from.get(0) == Integer.MIN_VALUE && to.get(to.size() - 1) == Integer.MAX_VALUE;
        for (int r = 1; r < shards.rowCount(); r++) contiguous &= from.get(r) == to.get(r - 1) + 1;
        Claim.that("the " + shardsOfOrders + " shards' hash ranges cover every 32-bit hash value, " + Integer.MIN_VALUE + " to "
                + Integer.MAX_VALUE + ", in order; none holds a single tenant yet", shards.rowCount() == shardsOfOrders && contiguous
                && shards.booleanColumn("one_tenant").asList().stream().noneMatch(Boolean.TRUE::equals));
        Map<String, Long> perWorker = new TreeMap<>();
        for (String node : shards.stringColumn("node")) perWorker.merge(monitor.labNodeAt(node), 1L, Long::sum);
        Map<String, Long> halves = new TreeMap<>(CitusPlacement.of(monitor.placement()).shardsPerWorker());
        halves.replaceAll((node, n) -> n / 2);
        Claim.equal("each worker holds half its shards for orders, half for the colocated order_items", halves, perWorker);
        return shards;
    }

    /** Where a tenant lives: its shard, node and hash range, and who else is in that shard. */
    public record TenantShard(long shardId, String node, Table where, Table sharing) {}

    /** The hot tenant in a shard it shares with other users. Remembers its shard and node. */
    public TenantShard tenantSharesAShard(long tenant) {
        TenantShard shard = tenantShard(tenant);
        long users = Tables.number(shard.sharing(), "users", 0);
        Claim.that("user " + tenant + " is in shard " + shard.shardId() + " on " + shard.node() + ", with " + (users - 1) + " other users",
                !shard.where().booleanColumn("isolated").get(0) && users > 1);
        return shard;
    }

    /** citus_shards grouped by table and node, held to the placement table's count of distributed shards. */
    public Table citusShardsAgree() {
        Table byNode = monitor.shardsByNode();
        Table distributed = byNode.where(byNode.stringColumn("citus_table_type").isEqualTo("distributed"));
        long counted = 0;
        for (int r = 0; r < distributed.rowCount(); r++) counted += Tables.number(distributed, "shards", r);
        Claim.equal("citus_shards counts the distributed shards the placement table shows", CitusPlacement.of(monitor.placement()).total(), counted);
        return byNode;
    }

    /** One user's query: one task, on the worker that holds the tenant's shard. */
    public void routedToTheTenantsWorker(Citus.Query query) {
        Claim.that("routed to one worker, " + tenantNode + ", the one that holds user " + Citus.HOT_TENANT + "'s shard: one task",
                query.routing().routedToOneWorker() && monitor.labNodes(query.routing()).equals(Set.of(tenantNode)));
    }

    /** A query returns what it returned on one server. */
    public void sameRowsAsOnOneServer(Citus.Query query, String what) {
        Claim.that(what + " as on one server", onOneServer.get(query.file()).equals(rowsOf(query.rows())));
    }

    /** A query without the distribution column in its filter: one task per shard of orders, on every worker. */
    public void fannedOutToEveryWorker(Citus.Query query, Set<String> workers) {
        Claim.that("fanned out: one task per shard of orders (" + shardsOfOrders + "), on " + String.join(" and ", workers),
                query.routing().fannedOut() && query.routing().tasks() == shardsOfOrders && monitor.labNodes(query.routing()).equals(workers));
    }

    /** The two joins: on (user_id, order_id) pushed down shard by shard; on order_id alone refused, then repartitioned. */
    public void joins(Citus.Query colocated, Citus.Query byOrderId) {
        Claim.that("the colocated join is accepted and pushed down: one task per shard, no repartitioning", colocated.refused().isEmpty()
                && colocated.routing().kind().equals("fan-out") && colocated.routing().tasks() == shardsOfOrders);
        Claim.that("Citus refuses the join on order_id alone: it requires repartitioning", byOrderId.refused().orElse("").contains("repartitioning"));
        Claim.that("with repartition joins on, it reshuffles both tables (MapMergeJob)",
                byOrderId.routing().kind().equals("repartition") && byOrderId.routing().plan().contains("MapMergeJob"));
    }

    /** A join with the local users table: a distributed subplan, and every query's rows as on one server. */
    public void subplanAndSameResults(Citus.Query topUsers, List<Citus.Query> all) {
        Claim.that("the local users table is joined through a distributed subplan",
                topUsers.routing().kind().equals("subplan") && topUsers.routing().plan().contains("Distributed Subplan"));
        Claim.that("all five queries return the rows they returned on one server", onOneServer.equals(rowsByFile(all)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Phase 3

    /** After add-worker: worker3 in the cluster and active, holding nothing yet. */
    public Table workerJoinedEmpty(Citus.Step added) {
        CitusPlacement placement = CitusPlacement.of(added.after());
        Claim.that("worker3 joined the coordinator and two workers, and is active", added.changed()
                && placement.nodes().equals(List.of(Citus.COORDINATOR, "worker1", "worker2", "worker3"))
                && monitor.activeWorkerNames().equals(List.of("worker1", "worker2", "worker3")));
        Claim.that("worker3 holds no shard yet, not even of the reference table",
                placement.shardsOn("worker3") == 0 && placement.referencePerNode().get("worker3") == 0);
        return added.after().setName("placement after add-worker");
    }

    /** The rebalance plan: every move to the new worker, orders and order_items moving in pairs. */
    public Table planMovesPairsToTheNewWorker(Table plan) {
        Map<String, Long> perTable = new TreeMap<>();
        for (String t : plan.stringColumn("table_name")) perTable.merge(t.replaceFirst("^app\\.", ""), 1L, Long::sum);
        Claim.that("the plan moves " + plan.rowCount() + " shards, every one to worker3, as many of orders as of order_items: " + perTable,
                plan.rowCount() > 0 && plan.stringColumn("to_node").asList().stream().map(monitor::labNodeAt).allMatch("worker3"::equals)
                        && perTable.keySet().equals(Set.of("orders", "order_items")) && perTable.get("orders").equals(perTable.get("order_items")));
        return plan;
    }

    /** The background job finished every task while the application wrote orders. Returns the job's status. */
    public Table rebalancedWhileWriting(Citus.Rebalanced rebalanced) {
        Table job = monitor.rebalanceStatus();
        Claim.that("the background rebalance moved shards while the application wrote orders: job " + Tables.number(job, "job_id", 0)
                + " finished, all " + Tables.number(job, "tasks", 0) + " tasks done", rebalanced.step().changed() && rebalanced.ordersWritten() > 0
                && job.getString(0, "state").equals("finished") && Tables.number(job, "tasks_done", 0) == Tables.number(job, "tasks", 0));
        return job;
    }

    /** After the rebalance: every worker busy and balanced, no shard lost, the writer's orders in the baseline. */
    public Map<String, Long> balanced(Citus.Rebalanced rebalanced, Scale scale) {
        CitusPlacement before = CitusPlacement.of(rebalanced.step().before());
        CitusPlacement after = CitusPlacement.of(rebalanced.step().after());
        System.out.println("shards per worker before: " + before.shardsPerWorker() + ", after: " + after.shardsPerWorker());
        Claim.that("every worker holds shards now, and worker3 a copy of the reference table too",
                after.shardsPerWorker().values().stream().allMatch(n -> n > 0) && after.referencePerNode().get("worker3") == 1);
        Claim.that("balanced, with no shard created or lost: the workers differ by at most one colocated pair (" + after.spread() + " shards)",
                after.spread() <= 2 && before.total() == after.total());
        Table prints = monitor.fingerprints();
        Claim.equal("the orders in the baseline are the seed's and the writer's", scale.citusOrders() + rebalanced.ordersWritten(),
                baselineRows(prints, "app.orders"));
        Claim.that("and every table holds exactly the baseline's rows, the orders written during the moves included", monitor.sameRowsAsBaseline());
        remember("3a rebalanced", rebalanced.step().after());
        return after.shardsPerWorker();
    }

    /** A second rebalance, blocking: balanced already. */
    public void nothingLeftToMove(Citus.Step again) {
        Claim.that("a second rebalance, blocking, has nothing to do: " + again.summary(), !again.changed() && citus.rebalancePlan().rowCount() == 0);
    }

    /** After isolate: the tenant's single-value shard holds it alone, two more shards per table, moved to another worker. */
    public TenantShard tenantHasAShardOfItsOwn(long tenant, TenantShard before, Citus.Step isolated) {
        TenantShard after = tenantShard(tenant);
        long hash = Tables.number(after.where(), "hash_from", 0);
        Claim.that("user " + tenant + " has a shard of its own: its hash range is the single value " + hash, isolated.changed()
                && after.where().booleanColumn("isolated").get(0) && hash == Tables.number(after.where(), "hash_to", 0));
        Claim.equal("shard " + after.shardId() + " holds one user and all of user " + tenant + "'s orders", List.of(1L, monitor.ordersOf(tenant)),
                List.of(Tables.number(after.sharing(), "users", 0), Tables.number(after.sharing(), "orders", 0)));
        long perTableBefore = CitusPlacement.of(isolated.before()).total() / 2;
        Claim.equal("the split made two more shards of orders, and of order_items alongside (CASCADE)", List.of(perTableBefore + 2, perTableBefore + 2),
                List.of(monitor.shardCount("app.orders"), monitor.shardCount("app.order_items")));
        Claim.that("the tenant's shard moved from " + before.node() + " to " + after.node(), !after.node().equals(before.node()) && after.node().startsWith("worker"));
        return after;
    }

    /** The tenant's shard is the only single-tenant one, and its queries go to its worker. */
    public Table tenantQueriesFollowItsShard() {
        Table shards = monitor.shards();
        Table oneTenant = shards.where(shards.booleanColumn("one_tenant").isTrue());
        Claim.equal("exactly one shard holds a single tenant: user " + Citus.HOT_TENANT + "'s", List.of(tenantShard), oneTenant.longColumn("shardid").asList());
        Citus.Query oneUser = citus.query("q_one_user_orders.sql");
        Claim.that("user " + Citus.HOT_TENANT + "'s query is routed to one worker, " + tenantNode + ", where its shard is now",
                oneUser.routing().routedToOneWorker() && monitor.labNodes(oneUser.routing()).equals(Set.of(tenantNode)));
        return shards;
    }

    /** drain without confirm: a dry run, three workers still. */
    public void dryRunMovedNothing(Citus.Step dryRun) {
        Claim.that("without confirm, drain is a dry run that moves nothing", !dryRun.changed() && dryRun.summary().startsWith("DRY RUN")
                && monitor.state().workers() == 3);
    }

    /** After the drain: the worker's shards on the others, the worker gone, the tenant still alone in its shard. */
    public Map<String, Long> workerDrained(String worker, Citus.Step drained) {
        CitusPlacement before = CitusPlacement.of(drained.before());
        Map<String, Long> after = CitusPlacement.of(drained.after()).shardsPerWorker();
        long moved = before.shardsOn(worker);
        Claim.that(worker + "'s " + moved + " shards moved off and it left the cluster",
                drained.changed() && !after.containsKey(worker) && drained.summary().startsWith(moved + " shards moved"));
        List<String> left = new ArrayList<>(before.shardsPerWorker().keySet());
        left.remove(worker);
        Claim.that("the active workers, " + String.join(" and ", left) + ", hold every shard between them: " + after,
                List.copyOf(after.keySet()).equals(left) && after.values().stream().mapToLong(Long::longValue).sum() == before.total()
                        && monitor.activeWorkerNames().equals(left));
        long isolatedShard = tenantShard;
        TenantShard tenant = tenantShard(Citus.HOT_TENANT);
        Claim.that("user " + Citus.HOT_TENANT + "'s shard is still its own, on " + tenant.node(),
                tenant.where().booleanColumn("isolated").get(0) && tenant.shardId() == isolatedShard && after.containsKey(tenant.node()));
        remember("3b isolated, drained", drained.after());
        return after;
    }

    /** The end of phase 3: the baseline's rows, one user's query on its worker, revenue over every shard. Remembers the rows. */
    public Table endOfPhase3() {
        Claim.that("after rebalance, isolate and drain, every table holds exactly the baseline's rows", monitor.sameRowsAsBaseline());
        List<Citus.Query> queries = citus.demo();
        for (Citus.Query q : queries) System.out.println(q.file() + ": " + q.routing().describe());
        Claim.equal("one user's orders: routed to " + tenantNode, Set.of(tenantNode), monitor.labNodes(named(queries, "q_one_user_orders.sql").routing()));
        Citus.Routing revenue = named(queries, "q_revenue_by_region.sql").routing();
        long shards = monitor.shardCount("app.orders");
        Set<String> workers = new TreeSet<>(monitor.activeWorkerNames());
        Claim.that("revenue by region: one task per shard of orders, now " + shards + ", on " + String.join(" and ", workers),
                revenue.tasks() == shards && monitor.labNodes(revenue).equals(workers));
        endOfPhase3 = rowsByFile(queries);
        return monitor.fingerprints();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Phase 4

    /** undistribute without confirm: a dry run, still distributed. */
    public void undistributeDryRun(Citus.Step dryRun) {
        Claim.that("without confirm, undistribute is a dry run", !dryRun.changed() && monitor.state().distributed());
    }

    /** After undistribute: no Citus table, the coordinator alone and without shards. */
    public void backOnOneServer(Citus.Step undistributed) {
        Citus.State phase4 = monitor.state();
        Claim.that("the journey stands at " + phase4.phase() + ": citus_tables is empty", undistributed.changed() && !phase4.distributed()
                && phase4.enabled() && phase4.citusTables().isEmpty() && monitor.citusTables().rowCount() == 0);
        CitusPlacement placement = CitusPlacement.of(undistributed.after());
        Claim.that("the workers left the metadata: the coordinator is the only node, and it holds no shard",
                placement.nodes().equals(List.of(Citus.COORDINATOR)) && placement.total() == 0);
        remember("4 undistributed", undistributed.after());
    }

    /** Phase 4 held to the rest: the baseline's rows, the queries local and as at the end of phase 3, the keys kept. */
    public Table sameAsBefore(Citus.Step again) {
        Claim.that("back on one server, every table holds exactly the baseline's rows", monitor.sameRowsAsBaseline());
        List<Citus.Query> queries = citus.demo();
        Claim.that("every query runs on the coordinator alone again, and returns what it returned on the cluster at the end of phase 3",
                queries.stream().allMatch(q -> q.routing().kind().equals("local") && q.refused().isEmpty()) && endOfPhase3.equals(rowsByFile(queries)));
        Table keys = monitor.keys().setName("the keys after undistribute");
        Claim.that("the keys keep the shape Citus needed, user_id in each", keysWithUserId.equals(rowsOf(keys)));
        Claim.that("run again, undistribute changes nothing: " + again.summary(), !again.changed());
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The journey in one table and one picture

    /** The placement after each phase, node by node. */
    public Table table() {
        return history.table();
    }

    /** The distributed shards of each phase remembered so far, all nodes together. */
    public List<Long> shardsPerPhase() {
        return history.shardsPerPhase();
    }

    /** The journey's table as claimed: none, 2n, 2n, 2n + 4 after the split, none; and drawn as a picture from it. */
    public CitusPlacementChart picture() {
        Claim.equal("distributed shards at the end of each phase", List.of(0L, 2 * shardsOfOrders, 2 * shardsOfOrders, 2 * shardsOfOrders + 4, 0L),
                history.shardsPerPhase());
        CitusPlacementChart chart = history.picture();
        Claim.that("the picture draws, phase by phase and node by node, the shards the placement tables counted in citus_shards",
                history.drawnAsRemembered(chart));
        Claim.that("worker3 holds no shard before it joins in phase 3, worker2 none after its drain",
                !chart.drawnIn("2 distributed").containsKey("worker3") && !chart.drawnIn("3b isolated, drained").containsKey("worker2"));
        return chart;
    }

    // ---------------------------------------------------------------------------------------------------------------

    private TenantShard tenantShard(long tenant) {
        Table where = monitor.tenantShard(tenant);
        long shardId = Tables.number(where, "shardid", 0);
        String node = monitor.labNodeAt(where.getString(0, "node"));
        if (tenant == Citus.HOT_TENANT) {
            tenantShard = shardId;
            tenantNode = node;
        }
        return new TenantShard(shardId, node, where, monitor.shardUsers(shardId));
    }

    private void remember(String phase, Table placement) {
        history.remember(phase, placement);
    }

    private static String definitionOf(Table keys, String constraint) {
        Table row = keys.where(keys.stringColumn("conname").isEqualTo(constraint));
        return row.rowCount() == 0 ? "(no " + constraint + ")" : row.getString(0, "definition");
    }

    private static long baselineRows(Table prints, String table) {
        for (int r = 0; r < prints.rowCount(); r++) {
            if (prints.getString(r, "table_name").equals(table)) return Tables.number(prints, "baseline_rows", r);
        }
        throw new IllegalArgumentException(table + " is not in " + prints.name());
    }

    private static Citus.Query named(List<Citus.Query> queries, String file) {
        return queries.stream().filter(q -> q.file().equals(file)).findFirst().orElseThrow();
    }

    /** Each query's rows as text, by file, to compare results between phases. */
    static Map<String, List<String>> rowsByFile(List<Citus.Query> queries) {
        Map<String, List<String>> rows = new TreeMap<>();
        for (Citus.Query q : queries) rows.put(q.file(), rowsOf(q.rows()));
        return rows;
    }

    /** A table's rows as text, one string a row. */
    static List<String> rowsOf(Table t) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < t.columnCount(); c++) cells.add(t.getString(r, c));
            rows.add(String.join(" | ", cells));
        }
        return rows;
    }
}
