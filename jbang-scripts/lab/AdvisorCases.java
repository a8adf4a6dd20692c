package lab;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The advisor's lab-made clear cases (sql/12-advisor), in a database of their own, {@value #DATABASE}, on the embedded
 * partitioned node's server: a time series (app.readings), a 1,000-row lookup (app.countries), a table queried only by
 * tenant (app.tenant_documents), a table referenced by a foreign key (app.orders, from app.order_lines) and seed 003's
 * audit tables as plain tables (audit.audit_logs, object_history, slow_query_log, chat_messages), then their typical
 * queries (09_workload.sql), run {@value #WORKLOAD_RUNS} times so that pg_stat_statements has a workload to show.
 * The sizes follow the scale and {@link Advisor.Options#forScale}: see {@link Sizes}.
 */
public final class AdvisorCases {
    public static final String DATABASE = "advisor";
    static final int WORKLOAD_RUNS = 3;

    private static final Map<Dsn, Node> NODES = new HashMap<>();

    private AdvisorCases() {}

    /**
     * Rows per case table at a scale: the "big" ones a multiple of {@link Advisor.Options#forScale}'s minRows (5,000 at
     * ci, 50,000 at demo, 1,000,000 at full), so that each is a candidate by size at every scale and the small ones
     * (countries, order lines, slow query log) are too small at every scale.
     */
    public record Sizes(long readings, long countries, long tenantDocuments, long orders, long orderLines, long auditLogs,
            long objectHistory, long slowQueryLog, long chatMessages) {
        public static Sizes of(Scale scale) {
            long min = Advisor.Options.forScale(scale).minRows();
            return new Sizes(2 * min, 1_000, min * 3 / 2, min * 6 / 5, min / 2, min * 3 / 2, min * 6 / 5, min * 3 / 10, min * 6 / 5);
        }
    }

    /**
     * Creates the database if missing and (re)creates every case in it, runs their workload and analyzes: running it
     * again starts the cases over. Returns the node of that database.
     */
    public static Node create(Lab lab, Scale scale) {
        Node node = node(lab);
        Sizes sizes = Sizes.of(scale);
        Migration.installFunctions(node);
        node.run("12-advisor/00_database.sql");
        node.run("12-advisor/01_readings.sql", Map.of("lab.rows", Long.toString(sizes.readings())));
        node.run("12-advisor/02_countries.sql");
        node.run("12-advisor/03_tenant_documents.sql", Map.of("lab.rows", Long.toString(sizes.tenantDocuments())));
        node.run("12-advisor/04_orders.sql", Map.of("lab.rows", Long.toString(sizes.orders()), "lab.line_rows", Long.toString(sizes.orderLines())));
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("lab.audit_logs_rows", Long.toString(sizes.auditLogs()));
        audit.put("lab.object_history_rows", Long.toString(sizes.objectHistory()));
        audit.put("lab.slow_query_log_rows", Long.toString(sizes.slowQueryLog()));
        audit.put("lab.chat_messages_rows", Long.toString(sizes.chatMessages()));
        node.run("12-advisor/05_audit_tables.sql", audit);
        node.run("12-advisor/08_reset_statements.sql");
        for (int i = 0; i < WORKLOAD_RUNS; i++) node.run("12-advisor/09_workload.sql");
        node.run("12-advisor/10_analyze.sql");
        return node;
    }

    /** The node of database {@value #DATABASE} on the partitioned node's server, created empty if missing. */
    public static synchronized Node node(Lab lab) {
        Node server = lab.node("partitioned");
        Node known = NODES.get(server.dsn());
        if (known != null) return known;
        if (!Boolean.TRUE.equals(server.scalar("SELECT EXISTS (SELECT FROM pg_database WHERE datname = ?)", DATABASE))) {
            server.query("CREATE DATABASE " + DATABASE); // a constant, never user input
        }
        Node node = Advisor.onDatabase(server, DATABASE);
        NODES.put(server.dsn(), node);
        return node;
    }
}
