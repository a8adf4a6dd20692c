package lab;

import static lab.Bench.QUERIES;
import static lab.Bench.QUERY_CONSTANTS;
import static lab.Bench.node;
import static lab.Bench.variables;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import lab.Bench.Layout;
import lab.Bench.Load;
import lab.Bench.Measurement;
import lab.Bench.OnShard;
import lab.Bench.Options;
import lab.Bench.Query;
import tech.tablesaw.api.Table;

/**
 * The benchmark's timing ({@link Bench}): warm-up and timed runs of every query on every layout, each run streamed
 * to its last row and checksummed, one EXPLAIN (ANALYZE, BUFFERS) per query, and one tenant's month timed on its
 * shard; the results go to a {@link BenchReport}. {@link #execute} is also how other lab classes time a statement.
 */
final class BenchTiming {
    private BenchTiming() {}

    /**
     * Runs every query on every layout after checking the data is loaded at the scale (bad input otherwise), then
     * writes the plans, the Markdown report and the chart under {@code options.out()}.
     */
    static BenchReport run(Lab lab, Options options, Progress.Mode progressMode) {
        List<Load> loads = BenchLoading.loaded(lab, options.layouts(), options.scale());
        Layout first = options.layouts().get(0);
        Table pick = Sql.file("bench/pick_id.sql").withVariables(variables(first)).run(node(lab, first), Map.of()).lastTable();
        if (pick.rowCount() == 0) throw new IllegalStateException(first.qualifiedTable() + " has no row in June 2024 to look up");
        String id = pick.stringColumn("id").get(0);

        List<Measurement> measurements = new ArrayList<>();
        Map<Layout, StringBuilder> plans = new LinkedHashMap<>();
        // tenant_month on the tenant's shard, timed beside each sharded layout's tenant_month
        Optional<TenantOnShard> onShard = options.layouts().stream().anyMatch(Layout::sharded)
                ? Optional.of(TenantOnShard.of(lab, id)) : Optional.empty();
        Map<Layout, double[]> onShardBeside = new LinkedHashMap<>();
        Outcome onShardLast = null;
        long steps = (long) options.layouts().size() * QUERIES.size();
        try (Progress progress = Progress.start("bench", steps, "queries", progressMode)) {
            for (Layout layout : options.layouts()) {
                Node node = node(lab, layout);
                StringBuilder planText = plans.computeIfAbsent(layout, l -> new StringBuilder());
                // the map a shard-aware client reads once, checked against the coordinator's bounds
                ShardMap map = layout == Layout.sharded_routed ? Sharding.on(lab).map().checkCurrent(node) : null;
                FetchSize fetchSize = new FetchSize(node, layout.sharded());
                try {
                    for (Query query : inFetchSizeOrder(layout)) {
                        fetchSize.set(query.fetchSizeOn(layout));
                        ShardMap.Routed routed = query.routedOn(layout) ? map.route(query.file(), Bench.TENANT) : null;
                        Node runsOn = routed == null ? node : routed.shard();
                        Sql sql = routed == null ? query.sql(layout, id) : routed.sql();
                        Supplier<Outcome> run = routed == null ? () -> execute(node, sql) : routed::timed;
                        Timed timed;
                        if (layout.sharded() && query.name().equals(TENANT_MONTH)) {
                            Timed[] pair = timedBeside(run, onShard.get()::run, options);
                            timed = pair[0];
                            onShardBeside.put(layout, pair[1].timesMs());
                            onShardLast = pair[1].last();
                        } else {
                            timed = timed(run, options);
                        }
                        double[] times = timed.timesMs();
                        Outcome last = timed.last();
                        PlanSummary plan = Explain.analyze(runsOn, sql);
                        planText.append("-- ").append(query.name()).append(" (sql/").append(sql.name()).append(")")
                                .append(routed == null ? "" : ", routed to " + runsOn.name() + " by the shard map").append("\n")
                                .append(sql.statements().get(sql.statements().size() - 1).strip()).append("\n\n")
                                .append(explainText(runsOn, sql, routed == null && layout.sharded())).append("\n\n");
                        measurements.add(new Measurement(layout, query, times, last.rows(), query.writes() ? "" : last.checksum(), plan));
                        // the inserted rows go at once, so that the queries after see the data as loaded
                        if (query.writes()) Sql.file("bench/remove_inserted.sql").withVariables(variables(layout)).run(node, Map.of());
                        progress.step(1);
                    }
                } finally {
                    Sql.file("bench/remove_inserted.sql").withVariables(variables(layout)).run(node, Map.of());
                    fetchSize.set(null);
                }
            }
        }
        Optional<OnShard> tenantOnShard = onShard.isPresent()
                ? Optional.of(new OnShard(onShard.get().node().name(), onShardBeside, onShardLast.checksum())) : Optional.empty();
        Table settings = node(lab, first).run("bench/settings.sql").lastTable();
        BenchReport report = new BenchReport(options, loads, measurements, settings, id, tenantOnShard);
        report.write(plans);
        return report;
    }

    /**
     * The queries in the order a layout runs them: those with postgres_fdw's default fetch_size first, then those that
     * want another, so that fetch_size changes once in a layout. ALTER SERVER makes every coordinator session open its
     * connections to the shards anew, a cost no query's timed runs should pay.
     */
    private static List<Query> inFetchSizeOrder(Layout layout) {
        List<Query> order = new ArrayList<>(QUERIES);
        order.sort(java.util.Comparator.comparing(q -> q.fetchSizeOn(layout) != null));
        return order;
    }

    private static final String TENANT_MONTH = "tenant_month";

    /** tenant_month on the shard holding the tenant (by the coordinator's hash), on its own table. */
    private record TenantOnShard(Node node, Sql sql) {
        static TenantOnShard of(Lab lab, String id) {
            Sharding sharding = Sharding.on(lab);
            Map<String, String> variables = new LinkedHashMap<>(QUERY_CONSTANTS);
            variables.put("table", "events_shard");
            variables.put("id", id);
            return new TenantOnShard(sharding.shard(sharding.shardOf(Bench.TENANT)),
                    Sql.file("bench/queries/03_tenant_month.sql").withVariables(variables));
        }

        Outcome run() {
            return execute(node, sql);
        }
    }

    /** A query's timed runs after its warm-up runs, and what the last run returned. */
    private record Timed(double[] timesMs, Outcome last) {}

    private static Timed timed(Node node, Sql sql, Options options) {
        return timed(() -> execute(node, sql), options);
    }

    /**
     * Two queries timed in turns, a run of the first then a run of the second, warm-ups as well: each run of one has a
     * run of the other beside it, so that what the machine does meanwhile weighs on both alike.
     */
    private static Timed[] timedBeside(Supplier<Outcome> run, Supplier<Outcome> beside, Options options) {
        for (int i = 0; i < options.warmup(); i++) {
            run.get();
            beside.get();
        }
        double[] times = new double[options.runs()];
        double[] besideTimes = new double[options.runs()];
        Outcome last = null;
        Outcome besideLast = null;
        for (int i = 0; i < options.runs(); i++) {
            last = run.get();
            times[i] = last.ms();
            besideLast = beside.get();
            besideTimes[i] = besideLast.ms();
        }
        return new Timed[] {new Timed(times, last), new Timed(besideTimes, besideLast)};
    }

    private static Timed timed(Supplier<Outcome> run, Options options) {
        for (int i = 0; i < options.warmup(); i++) run.get();
        double[] times = new double[options.runs()];
        Outcome last = null;
        for (int i = 0; i < options.runs(); i++) {
            last = run.get();
            times[i] = last.ms();
        }
        return new Timed(times, last);
    }

    /**
     * postgres_fdw's fetch_size on the coordinator's foreign servers, changed only when a query wants another
     * (sql/fdw/fetch_size.sql; ALTER SERVER closes the coordinator's connections to the shards, so not during a
     * query's runs); {@code null} is postgres_fdw's default.
     */
    private static final class FetchSize {
        private final Node coordinator;
        private final boolean sharded;
        private boolean known; // the first set() writes it whatever it was: a run stopped midway may have left one
        private Integer now;

        FetchSize(Node coordinator, boolean sharded) {
            this.coordinator = coordinator;
            this.sharded = sharded;
        }

        void set(Integer rows) {
            if (!sharded || known && java.util.Objects.equals(rows, now)) return;
            coordinator.run("fdw/fetch_size.sql", Map.of("lab.fetch_size", rows == null ? "default" : rows.toString()));
            known = true;
            now = rows;
        }
    }

    /** What one run returned: its rows, their checksum, and the time from sending the query to its last row. */
    record Outcome(long rows, String checksum, double ms) {}

    /** A result's rows and their checksum. */
    record Digest(long rows, String checksum) {}

    /** Reads a result to its last row: how many, and an order-independent checksum of them. */
    static Digest digest(ResultSet rs) throws SQLException {
        long rows = 0;
        long sum = 0;
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            rows++;
            long h = 1;
            for (int i = 1; i <= columns; i++) h = h * 1_000_003L + java.util.Objects.hashCode(rs.getString(i));
            sum += h * 0x9E3779B97F4A7C15L;
        }
        return new Digest(rows, Long.toHexString(sum));
    }

    /** A query's rows (read to the end, streamed) and an order-independent checksum of them. */
    static Outcome execute(Node node, Sql sql) {
        List<String> statements = sql.statements();
        String statement = statements.get(statements.size() - 1);
        try (Connection c = node.connection()) {
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(false); // lets the driver stream a large result in fetch-size pieces
                s.setFetchSize(10_000);
                // a file's statements before the query are its setup (a SET the query's form needs), as Explain runs them
                for (String setup : statements.subList(0, statements.size() - 1)) s.execute(setup);
                long started = System.nanoTime(); // the query alone: not the setup before it, nor the reset after
                Digest digest;
                if (s.execute(statement)) {
                    try (ResultSet rs = s.getResultSet()) {
                        digest = digest(rs);
                    }
                } else {
                    digest = new Digest(s.getUpdateCount(), Long.toHexString(0));
                }
                c.commit();
                return new Outcome(digest.rows(), digest.checksum(), (System.nanoTime() - started) / 1e6);
            } finally {
                c.setAutoCommit(true);
                if (statements.size() > 1) Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), statement, e);
        }
    }

    /** EXPLAIN (ANALYZE, BUFFERS) as the server prints it; VERBOSE on the coordinator, for the SQL each shard was sent. */
    private static String explainText(Node node, Sql sql, boolean onCoordinator) {
        List<String> statements = new ArrayList<>(sql.statements());
        String options = onCoordinator ? "ANALYZE, BUFFERS, VERBOSE" : "ANALYZE, BUFFERS";
        statements.set(statements.size() - 1, "EXPLAIN (" + options + ") " + statements.get(statements.size() - 1));
        Table plan = Sql.text(sql.name() + " (EXPLAIN)", String.join(";\n", statements)).run(node, Map.of()).lastTable();
        return plan.stringColumn(0).asList().stream().collect(Collectors.joining("\n"));
    }
}
