package lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The Citus journey on a real Citus cluster (the nodes {@code citus}, {@code worker1..3} of the topology): regular
 * tables (phase 1), distributed (phase 2), grown, rebalanced, a hot tenant isolated and a worker drained (phase 3),
 * and undistributed again (phase 4). Every step reads where the journey stands from the catalogs, does only what is
 * missing (so it is safe to rerun), refuses with {@link BadInput} when its precondition is missing, and ends by
 * checking each table's row count and checksum against the baseline recorded in phase 1. The statements are in
 * {@code sql/citus/}; the runbook is {@code jbang scripts/Citus.java}, the lesson {@code notebooks/09-citus.ipynb}.
 *
 * <p>This class holds the journey's steps and their checks; what the catalogs say (the state, placement, shards,
 * the rows against the baseline, a rebalance's progress) is read by {@link CitusMonitor}, which its methods call.
 */
public final class Citus {
    public static final List<String> TABLES = List.of("app.regions", "app.users", "app.orders", "app.order_items");
    /** The user who places every tenth order (see sql/citus/1_01_tables.sql). */
    public static final long HOT_TENANT = 42;
    public static final String COORDINATOR = "citus";
    public static final List<String> FIRST_WORKERS = List.of("worker1", "worker2");
    public static final String NEW_WORKER = "worker3";
    /** The Citus workers a topology names, in order. */
    public static final List<String> WORKERS = List.of("worker1", "worker2", "worker3");

    private final Lab lab;
    private final CitusMonitor monitor;

    private Citus(Lab lab) {
        this.lab = lab;
        this.monitor = new CitusMonitor(this);
    }

    /**
     * The journey on the lab's Citus cluster; throws {@link ServerUnavailable} with the one-line reason when there is
     * no Citus coordinator to reach (on the embedded topology: no local installation with Citus).
     */
    public static Citus on(Lab lab) {
        Citus citus = new Citus(lab);
        Node coordinator;
        try {
            coordinator = lab.node(COORDINATOR);
            coordinator.scalar("SELECT 1");
        } catch (ServerUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServerUnavailable("no Citus coordinator reachable on the " + lab.topology().kind() + " topology ("
                    + firstLine(e) + ")" + hint(lab));
        }
        // Citus reaches the workers itself: on the embedded topology, the local workers that exist must be running
        for (String node : Topology.CITUS_NODES) lab.topology().seenFromCoordinatorIfKnown(node);
        String preload = String.valueOf(coordinator.scalar("SHOW shared_preload_libraries"));
        if (!preload.contains("citus")) {
            throw new ServerUnavailable("the server behind node '" + COORDINATOR + "' (" + coordinator.dsn()
                    + ") does not load Citus (shared_preload_libraries = '" + preload + "')" + hint(lab));
        }
        return citus;
    }

    /** Empty when the journey can run here; otherwise why not, in one line (tests skip with it). */
    public static Optional<String> unavailable(Lab lab) {
        try {
            on(lab);
            return Optional.empty();
        } catch (ServerUnavailable e) {
            return Optional.of(e.getMessage());
        }
    }

    private static String hint(Lab lab) {
        return switch (lab.topology().kind()) {
            case compose -> "; start it with: docker compose --profile citus --profile citus-worker3 up -d";
            case dsn -> "; set LAB_DSN_CITUS and LAB_DSN_WORKER1..3";
            case embedded -> "";
        };
    }

    public Node coordinator() {
        return lab.node(COORDINATOR);
    }

    public Node worker(String name) {
        return lab.node(requireWorkerName(name));
    }

    /** What the catalogs say about the journey (where it stands, placement, shards, rows against the baseline): reads only. */
    public CitusMonitor monitor() {
        return monitor;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Where the journey stands

    /** What the catalogs say: phase 1's tables and baseline, the extension, the nodes, the Citus tables. */
    public record State(boolean tablesExist, int baselineTables, String citusVersion, int nodes, int workers,
                        Map<String, String> citusTables) {
        public boolean setUp() {
            return tablesExist && baselineTables == TABLES.size();
        }

        /** The coordinator is registered: enable-citus ran (and undistribute has not taken every worker away). */
        public boolean enabled() {
            return citusVersion != null && nodes > 0;
        }

        public boolean distributed() {
            return "distributed".equals(citusTables.get("app.orders"));
        }

        /** Where the journey stands, in words. */
        public String phase() {
            if (!setUp()) return "not set up: run setup";
            if (distributed()) return "phase 2-3: distributed over " + workers + " workers";
            if (enabled()) return "phase 4: regular tables on the coordinator again (Citus installed)";
            return "phase 1: regular tables on the coordinator";
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The steps

    /** What a step did: whether it changed anything, a line saying what, placement before and after, the row check. */
    public record Step(String name, boolean changed, String summary, Table before, Table after, Table fingerprints) {}

    /** Phase 1: the four regular tables, seeded at the scale's size when empty, and the baseline recorded. */
    public Step setup(Scale scale) {
        State state = monitor.state();
        if (state.distributed()) {
            return unchanged("setup", "the tables exist and are distributed already; nothing to set up");
        }
        Table before = monitor.placement();
        run("1_01_tables.sql", Map.of());
        long ordersBefore = coordinator().count("app.orders");
        run("1_02_seed.sql", Map.of("lab.users", Integer.toString(scale.citusUsers()), "lab.orders", Integer.toString(scale.citusOrders())));
        run("1_03_baseline.sql", Map.of());
        long orders = coordinator().count("app.orders");
        boolean seeded = ordersBefore == 0 && orders > 0;
        String summary = seeded
                ? String.format(Locale.ROOT, "seeded %,d users, %,d orders, %,d order lines (LAB_SCALE=%s); baseline recorded",
                        coordinator().count("app.users"), orders, coordinator().count("app.order_items"), scale)
                : String.format(Locale.ROOT, "already set up: %,d users, %,d orders (to start over: reset --confirm)",
                        coordinator().count("app.users"), orders);
        return finish("setup", seeded, summary, before);
    }

    /** The baseline queries, each with its rows and where it ran (see {@link Routing}). */
    public List<Query> demo() {
        requireSetUp("demo");
        List<Query> queries = new ArrayList<>();
        for (String file : DEMO_QUERIES) queries.add(query(file));
        return queries;
    }

    public static final List<String> DEMO_QUERIES = List.of("q_one_user_orders.sql", "q_revenue_by_region.sql",
            "q_colocated_join.sql", "q_join_on_order_id.sql", "q_top_users.sql");

    /** One query's rows (or the error Citus gives instead) and its routing. */
    public record Query(String file, Table rows, Optional<String> refused, Routing routing) {}

    /**
     * Runs a query from sql/citus/ ({@code :'user_id'} is the hot tenant) and explains it. A join Citus refuses is
     * returned with its error, and explained and run again with citus.enable_repartition_joins on.
     */
    public Query query(String file) {
        Sql sql = Sql.file("citus/" + file).withVariables(Map.of("user_id", Long.toString(HOT_TENANT)));
        Optional<String> refused = Optional.empty();
        Map<String, String> settings = Map.of();
        if (monitor.state().distributed()) {
            String tried = String.valueOf(coordinator().scalar("SELECT lab.citus_try(?)", sql.statements().get(0)));
            if (!tried.equals("ok")) {
                refused = Optional.of(tried);
                settings = Map.of("citus.enable_repartition_joins", "on");
            }
        }
        Table rows = sql.run(coordinator(), settings).lastTable().setName(file);
        return new Query(file, rows, refused, routing(sql, settings));
    }

    /** Where a query ran: on the coordinator's own tables, routed to one worker, or fanned out to several. */
    public record Routing(String kind, int tasks, Set<String> nodes, String plan) {
        public boolean routedToOneWorker() {
            return kind.equals("router") && tasks == 1 && nodes.size() == 1;
        }

        public boolean fannedOut() {
            return tasks > 1;
        }

        public String describe() {
            return switch (kind) {
                case "local" -> "regular tables on the coordinator: no Citus in the plan";
                case "router" -> "routed: " + tasks + " task on " + String.join(", ", nodes);
                case "repartition" -> "repartition join: both tables reshuffled between the workers (" + tasks + " tasks)";
                default -> "fan-out: " + tasks + " tasks on " + nodes.size() + " node(s) " + String.join(", ", nodes)
                        + (kind.equals("subplan") ? ", after a subplan on the coordinator" : "");
            };
        }
    }

    private static final Pattern TASK_COUNT = Pattern.compile("Task Count: (\\d+)");
    private static final Pattern TASK_NODE = Pattern.compile("Node: host=(\\S+) port=(\\d+)");

    public Routing routing(Sql sql, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        if (monitor.state().citusVersion() != null) all.put("citus.explain_all_tasks", "on");
        Sql explain = Sql.text(sql.name() + " (EXPLAIN)", "EXPLAIN (COSTS OFF) " + sql.statements().get(0));
        Table plan = explain.run(coordinator(), all).lastTable();
        String text = String.join("\n", plan.stringColumn(0).asList());
        Matcher count = TASK_COUNT.matcher(text);
        int tasks = count.find() ? Integer.parseInt(count.group(1)) : 0;
        Set<String> nodes = new LinkedHashSet<>();
        for (Matcher m = TASK_NODE.matcher(text); m.find(); ) nodes.add(m.group(1) + ":" + m.group(2));
        String kind = !text.contains("Custom Scan (Citus") ? "local"
                : text.contains("MapMergeJob") ? "repartition"
                : text.contains("Distributed Subplan") ? "subplan"
                : tasks == 1 ? "router" : "fan-out";
        return new Routing(kind, tasks, nodes, text);
    }

    /** The error Citus gives when asked to distribute a table whose primary key lacks user_id (on a scratch table). */
    public String distributeWithoutUserIdInKey() {
        requireCitus("showing the key rule");
        return run("2_03_key_without_user_id.sql", Map.of()).lastTable().getString(0, 0);
    }

    /**
     * Phase 2: the extension on every node, the coordinator and worker1-2 registered, the keys widened to include
     * user_id, regions a reference table, orders and order_items distributed by user_id and colocated; once the rows
     * are checked to be all in the shards, the coordinator's hidden local copies are truncated.
     */
    public Step enableCitus() {
        State state = monitor.state();
        requireSetUp("enable-citus");
        if (state.distributed()) return unchanged("enable-citus", "already distributed: " + state.citusTables());
        Table before = monitor.placement();
        for (String node : Topology.CITUS_NODES) {
            if (node.equals(NEW_WORKER)) continue;
            run(lab.node(node), "2_01_extension.sql", Map.of());
        }
        run("2_02_coordinator.sql", peer(COORDINATOR));
        for (String worker : FIRST_WORKERS) run("add_worker.sql", peer(worker));
        run("2_04_keys_include_user_id.sql", Map.of());
        run("2_05_distribute.sql", Map.of());
        requireBaselineRows("distributing");
        run("2_06_truncate_local_copies.sql", Map.of());
        return finish("enable-citus", true, "regions is a reference table; orders and order_items are distributed by user_id "
                + "(colocated) over " + String.join(" and ", FIRST_WORKERS), before);
    }

    /** Phase 3: worker3 joins the cluster, or the first worker not in it (see {@link #addWorker(Optional)}). */
    public Step addWorker() {
        return addWorker(Optional.empty());
    }

    /**
     * Phase 3: a worker joins the cluster (it holds nothing until a rebalance): the one named, else the first of
     * worker1..3 that is not in the cluster: worker3 on the journey, worker2 again after it was drained.
     */
    public Step addWorker(Optional<String> name) {
        name.ifPresent(Citus::requireWorkerName);
        requireDistributed("add-worker");
        Set<String> inCluster = workersInCluster();
        Optional<String> chosen = workerToAdd(name, inCluster);
        if (chosen.isEmpty()) return unchanged("add-worker", "every worker (" + String.join(", ", WORKERS) + ") is in the cluster already");
        String adding = chosen.get();
        if (inCluster.contains(adding)) return unchanged("add-worker", adding + " (" + hostPort(adding) + ") is already in the cluster");
        Node worker = lab.node(adding);
        Map<String, String> address = peer(adding);
        Table before = monitor.placement();
        run(worker, "2_01_extension.sql", Map.of());
        run("add_worker.sql", address);
        return finish("add-worker", true, adding + " (" + hostPort(adding) + ") joined: it holds no shard until the rebalance", before);
    }

    /** The worker add-worker takes: the one asked for, else the first not in the cluster; empty when all are in. */
    static Optional<String> workerToAdd(Optional<String> asked, Set<String> inCluster) {
        if (asked.isPresent()) return Optional.of(requireWorkerName(asked.get()));
        return WORKERS.stream().filter(w -> !inCluster.contains(w)).findFirst();
    }

    /** The name itself, when it is one of worker1..3; bad input otherwise. */
    public static String requireWorkerName(String name) {
        if (!WORKERS.contains(name)) {
            throw new BadInput("unknown worker '" + name + "': the workers are " + String.join(", ", WORKERS));
        }
        return name;
    }

    /** The workers registered in pg_dist_node; a node the topology has no address for yet is not. */
    private Set<String> workersInCluster() {
        Set<String> in = new LinkedHashSet<>();
        for (String w : WORKERS) {
            Optional<Dsn> address = seenFromCoordinatorIfKnown(w);
            if (address.isPresent() && registered(Map.of("lab.node_host", address.get().host(),
                    "lab.node_port", Integer.toString(address.get().port())))) {
                in.add(w);
            }
        }
        return in;
    }

    /** The moves a rebalance would make now. */
    public Table rebalancePlan() {
        requireDistributed("rebalance");
        return run("3_01_rebalance_plan.sql", Map.of()).lastTable().setName("rebalance plan");
    }

    /**
     * Phase 3: shards spread evenly over the workers. Background (the default): a job whose tasks move the shards
     * online while reads and writes go on, its progress shown until it finishes. Blocking: the same moves in the
     * foreground with writes to each shard paused while it is copied, which is the fastest.
     */
    public Step rebalance(boolean blocking, Progress.Mode progress) {
        requireDistributed("rebalance");
        Table plan = rebalancePlan();
        if (plan.rowCount() == 0) return unchanged("rebalance", "balanced already: no move to make");
        Table before = monitor.placement();
        if (blocking) {
            run("3_04_rebalance_blocking.sql", Map.of());
            return finish("rebalance", true, plan.rowCount() + " shard moves, blocking writes to each shard while it moved", before);
        }
        Object job = run("3_02_rebalance_start.sql", Map.of()).lastTable().get(0, 0);
        if (job == null) return unchanged("rebalance", "balanced already: Citus scheduled no move");
        long jobId = ((Number) job).longValue();
        watchRebalance(jobId, progress);
        return finish("rebalance", true, plan.rowCount() + " shard moves in background job " + jobId + ", online", before);
    }

    /** Polls citus_rebalance_status() until the job ends; progress counts its finished tasks. */
    private void watchRebalance(long jobId, Progress.Mode mode) {
        long shown = 0;
        Table status = monitor.rebalanceStatus();
        try (Progress progress = Progress.start("rebalance job " + jobId, Math.max(1, ((Number) status.column("tasks").get(0)).longValue()), "tasks", mode)) {
            while (true) {
                status = monitor.rebalanceStatus();
                long done = ((Number) status.column("tasks_done").get(0)).longValue();
                progress.step(done - shown);
                shown = done;
                String state = status.getString(0, "state");
                if (state.equals("finished")) return;
                if (state.equals("failed") || state.equals("cancelled")) {
                    throw new IllegalStateException("rebalance job " + jobId + " " + state + ": see SELECT * FROM citus_rebalance_status()");
                }
                sleep(Duration.ofMillis(250));
            }
        }
    }

    /** A background rebalance and the application writing meanwhile: the step, the orders written, how long it took. */
    public record Rebalanced(Step step, long ordersWritten, double seconds) {
        public String summary() {
            return String.format(Locale.ROOT, "%s, in %.1f s; meanwhile the application wrote %d orders", step.summary(), seconds, ordersWritten);
        }
    }

    /**
     * Phase 3 as an application lives it: a background rebalance ({@link #rebalance(boolean, Progress.Mode)}, online)
     * while a second thread inserts orders, {@code batch} per transaction, each batch added to the baseline, until the
     * rebalance is over. The rows are checked against the baseline after the writer stopped.
     */
    public Rebalanced rebalanceWhileWriting(int batch, Progress.Mode progress) {
        requireDistributed("rebalance");
        AtomicBoolean rebalancing = new AtomicBoolean(true);
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
            long orders = 0;
            do orders += load(Duration.ofSeconds(1), batch, Progress.Mode.OFF); while (rebalancing.get());
            return orders;
        });
        long started = System.nanoTime();
        Step step;
        try {
            step = rebalance(false, progress);
        } finally {
            rebalancing.set(false);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long written = writer.join();
        Table checked = requireBaselineRows("the rebalance and the writes");
        return new Rebalanced(new Step(step.name(), step.changed(), step.summary(), step.before(), monitor.placement(), checked), written, seconds);
    }

    /**
     * Phase 3: the tenant gets a shard of its own (its orders and order lines), which is then moved to {@code toWorker},
     * by default the active worker holding the fewest shards other than the tenant's.
     */
    public Step isolate(long tenant, Optional<String> toWorker, boolean blocking) {
        requireDistributed("isolate");
        if (tenant <= 0) throw new BadInput("--tenant must be a user_id above 0, got " + tenant);
        long orders = ((Number) coordinator().scalar("SELECT count(*) FROM app.orders WHERE user_id = ?", tenant)).longValue();
        if (orders == 0) throw new BadInput("user " + tenant + " has no orders: there is no tenant to isolate");
        toWorker.ifPresent(w -> {
            worker(w);
            if (!registered(peer(w))) throw new BadInput(w + " is not in the cluster: add it first (add-worker)");
        });
        Table before = monitor.placement();
        Map<String, String> mode = Map.of("lab.tenant", Long.toString(tenant), "lab.transfer_mode", blocking ? "block_writes" : "auto");
        Table tenantBefore = monitor.tenantShard(tenant);
        boolean split = !tenantBefore.booleanColumn("isolated").get(0);
        if (split) run("3_05_isolate_tenant.sql", mode);
        String from = monitor.tenantShard(tenant).getString(0, "node");
        // without --to the new shard goes where there is most room, once: a rerun leaves an isolated tenant where it is
        Optional<String> target = toWorker.isPresent() ? toWorker : split ? Optional.of(leastLoadedWorkerOtherThan(from)) : Optional.empty();
        if (target.isPresent()) {
            Map<String, String> move = new LinkedHashMap<>(mode);
            move.putAll(peer(target.get()));
            run("3_06_move_tenant_shard.sql", move);
        }
        String to = monitor.tenantShard(tenant).getString(0, "node");
        boolean moved = !from.equals(to);
        String summary = (split ? "tenant " + tenant + " (" + orders + " orders) split into a shard of its own" : "tenant " + tenant + " had a shard of its own already")
                + (moved ? "; moved from " + from + " to " + to + " (" + target.get() + ")" : "; it stays on " + to + " (" + monitor.labNodeAt(to) + ")");
        return finish("isolate", split || moved, summary, before);
    }

    /** The active worker with the fewest distributed shards, other than the one at host:port (ties: by name). */
    private String leastLoadedWorkerOtherThan(String hostPort) {
        Table nodes = monitor.placement();
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (int r = 0; r < nodes.rowCount(); r++) {
            String name = nodes.getString(r, "lab_node");
            if (!name.startsWith("worker") || nodes.getString(r, "node").equals(hostPort) || !nodes.booleanColumn("active").get(r)) continue;
            int shards = ((Number) nodes.column("distributed_shards").get(r)).intValue();
            if (shards < fewest || shards == fewest && name.compareTo(best) < 0) {
                fewest = shards;
                best = name;
            }
        }
        if (best == null) throw new BadInput("no other active worker to move the tenant to");
        return best;
    }

    /**
     * Phase 3: every shard moved off the worker, then the worker removed from the cluster. A dry run (nothing moves)
     * unless {@code confirm}: the summary lists the shards that would move.
     */
    public Step drain(String workerName, boolean confirm, boolean blocking) {
        requireDistributed("drain");
        worker(workerName);
        Map<String, String> address = peer(workerName);
        String name = hostPort(workerName);
        if (!registered(address)) return unchanged("drain", workerName + " (" + name + ") is not in the cluster: nothing to drain");
        State state = monitor.state();
        if (state.workers() < 2) throw new BadInput("cannot drain " + workerName + ": it is the last worker; add-worker first");
        Table before = monitor.placement();
        long shards = 0;
        for (int r = 0; r < before.rowCount(); r++) {
            if (before.getString(r, "node").equals(name)) shards = ((Number) before.column("distributed_shards").get(r)).longValue();
        }
        if (!confirm) {
            return new Step("drain", false, "DRY RUN: would move " + shards + " shards off " + workerName + " (" + name
                    + ") and remove it from the cluster; run again with --confirm", before, before, monitor.fingerprints());
        }
        Map<String, String> settings = new LinkedHashMap<>(address);
        settings.put("lab.transfer_mode", blocking ? "block_writes" : "auto");
        run("3_07_drain_worker.sql", settings);
        return finish("drain", true, shards + " shards moved off " + workerName + " (" + name + "), which left the cluster", before);
    }

    /**
     * Phase 4: every table back to a regular table on the coordinator, then the emptied workers out of the metadata.
     * A dry run unless {@code confirm}.
     */
    public Step undistribute(boolean confirm) {
        State state = monitor.state();
        requireSetUp("undistribute");
        if (state.citusVersion() == null || !state.enabled() && state.citusTables().isEmpty()) {
            throw new BadInput("undistribute needs Citus enabled: run enable-citus first (the tables are regular already)");
        }
        Table before = monitor.placement();
        if (state.citusTables().isEmpty()) {
            boolean removed = confirm && run("4_02_remove_workers.sql", Map.of()).lastTable().rowCount() > 0;
            return removed ? finish("undistribute", true, "no Citus table left; emptied workers removed", before)
                    : unchanged("undistribute", "already undistributed: every table is a regular table on the coordinator");
        }
        if (!confirm) {
            return new Step("undistribute", false, "DRY RUN: would copy " + String.join(", ", state.citusTables().keySet())
                    + " back into regular tables on the coordinator and remove the emptied workers; run again with --confirm",
                    before, before, monitor.fingerprints());
        }
        run("4_01_undistribute.sql", Map.of());
        run("4_02_remove_workers.sql", Map.of());
        return finish("undistribute", true, String.join(", ", state.citusTables().keySet())
                + " are regular tables on the coordinator again; the workers left the cluster", before);
    }

    /**
     * Adds orders for {@code duration} in batches, each batch in one transaction with its count and checksum added to
     * the baseline, as an application writing during the journey would. Returns the orders added.
     */
    public long load(Duration duration, int batch, Progress.Mode mode) {
        requireSetUp("load");
        if (duration.isNegative() || duration.isZero()) throw new BadInput("--seconds must be above 0");
        if (batch < 1 || batch > 100_000) throw new BadInput("--batch must be from 1 to 100000, got " + batch);
        long added = 0;
        long deadline = System.nanoTime() + duration.toNanos();
        try (Progress progress = Progress.start("load", duration.toSeconds(), "s", mode)) {
            long shownSeconds = 0;
            while (System.nanoTime() < deadline) {
                Table result = run("load_batch.sql", Map.of("lab.batch", Integer.toString(batch))).lastTable();
                added += ((Number) result.column("orders_added").get(0)).longValue();
                long elapsed = duration.toSeconds() - Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).toSeconds();
                progress.step(elapsed - shownSeconds);
                shownSeconds = elapsed;
            }
        }
        requireBaselineRows("loading");
        return added;
    }

    /** What {@code reset} would drop: each table and its rows. */
    public Table resetPlan() {
        return resetTable(rowsNow(), false);
    }

    /** Each table's rows now ("absent" for a table that does not exist). */
    private Map<String, String> rowsNow() {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String t : TABLES) {
            Object n = coordinator().scalar("SELECT CASE WHEN to_regclass(?) IS NULL THEN NULL ELSE 1 END", t);
            rows.put(t, n == null ? ABSENT : String.format(Locale.ROOT, "%,d", coordinator().count(t)));
        }
        return rows;
    }

    private static final String ABSENT = "absent";

    /**
     * The reset's table, titled by what happened: "reset would drop" (the dry run), "reset dropped" after a confirmed
     * run that found tables, "reset: nothing to drop" when none existed. Each table with its rows before the reset.
     */
    static Table resetTable(Map<String, String> rowsBefore, boolean done) {
        boolean any = rowsBefore.values().stream().anyMatch(r -> !r.equals(ABSENT));
        String title = !done ? "reset would drop" : any ? "reset dropped" : "reset: nothing to drop";
        return Table.create(title, StringColumn.create("table", List.copyOf(rowsBefore.keySet())),
                StringColumn.create("rows", List.copyOf(rowsBefore.values())));
    }

    /** Starts over: drops the tables and the baseline, takes the workers out. A dry run unless {@code confirm}. */
    public Step reset(boolean confirm) {
        Map<String, String> rows = rowsNow();
        if (!confirm) {
            Table plan = resetTable(rows, false);
            return new Step("reset", false, "DRY RUN: would drop the four tables (wherever their shards are) and the baseline, "
                    + "and take the workers out of the cluster; run again with --confirm", plan, plan, plan);
        }
        Table before = monitor.placement();
        run("reset.sql", Map.of());
        Table after = monitor.placement();
        return new Step("reset", true, "dropped the journey's tables and baseline; the coordinator stands alone", before, after,
                resetTable(rows, true));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Step unchanged(String step, String summary) {
        Table now = monitor.placement();
        return new Step(step, false, summary, now, now, monitor.state().setUp() ? monitor.fingerprints() : Table.create("no baseline yet"));
    }

    private Step finish(String step, boolean changed, String summary, Table before) {
        Table checked = requireBaselineRows(step);
        return new Step(step, changed, summary, before, monitor.placement(), checked);
    }

    /**
     * The invariant of the journey: a failure (exit 1), never silent, when any table's rows differ from the baseline.
     * Checked up to three times: Citus commits a load batch on the workers just after the coordinator, so a check
     * that starts in that instant can see the batch in the baseline before it sees its rows. Returns the rows checked.
     */
    private Table requireBaselineRows(String after) {
        List<String> differing = List.of();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) sleep(Duration.ofMillis(300));
            Table prints = monitor.fingerprints();
            differing = new ArrayList<>();
            for (int r = 0; r < prints.rowCount(); r++) {
                if (!Boolean.TRUE.equals(prints.booleanColumn("same_rows").get(r))) {
                    differing.add(prints.getString(r, "table_name") + " (" + prints.column("baseline_rows").getString(r)
                            + " rows in the baseline, " + prints.column("rows_now").getString(r) + " now)");
                }
            }
            if (differing.isEmpty()) return prints;
        }
        throw new IllegalStateException("after " + after + " the rows differ from the baseline: " + String.join(", ", differing));
    }

    void requireSetUp(String step) {
        if (!monitor.state().setUp()) throw new BadInput(step + " needs phase 1's tables and baseline: run setup first");
    }

    void requireCitus(String what) {
        if (monitor.state().citusVersion() == null) throw new BadInput(what + " needs Citus: run enable-citus first");
    }

    void requireDistributed(String step) {
        State state = monitor.state();
        if (!state.setUp()) throw new BadInput(step + " needs phase 1's tables: run setup, then enable-citus first");
        if (!state.distributed()) throw new BadInput(step + " needs distributed tables: run enable-citus first");
    }

    private boolean registered(Map<String, String> address) {
        return ((Number) coordinator().scalar("SELECT count(*) FROM pg_dist_node WHERE nodename = ? AND nodeport = ?",
                address.get("lab.node_host"), Integer.parseInt(address.get("lab.node_port")))).longValue() > 0;
    }

    /** How the coordinator reaches a node, as the settings lab.node_host and lab.node_port. */
    private Map<String, String> peer(String node) {
        Dsn dsn = lab.topology().seenFromCoordinator(node);
        return Map.of("lab.node_host", dsn.host(), "lab.node_port", Integer.toString(dsn.port()));
    }

    /** How the coordinator reaches a node, if the topology knows the node's address yet. */
    Optional<Dsn> seenFromCoordinatorIfKnown(String node) {
        return lab.topology().seenFromCoordinatorIfKnown(node);
    }

    /** The node's address as Citus's metadata names it: host:port, as the coordinator reaches it. */
    String hostPort(String node) {
        return hostPort(lab.topology().seenFromCoordinator(node));
    }

    static String hostPort(Dsn dsn) {
        return dsn.host() + ":" + dsn.port();
    }

    Sql.Result run(String file, Map<String, String> settings) {
        return run(coordinator(), file, settings);
    }

    private static Sql.Result run(Node node, String file, Map<String, String> settings) {
        return node.run("citus/" + file, settings);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
