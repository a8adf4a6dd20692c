package lab;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import tech.tablesaw.api.Table;

/** One named PostgreSQL node of a topology (plain, partitioned, coordinator, shard1, ...) and its pool. */
public final class Node implements AutoCloseable {
    static {
        Logs.quiet();
    }

    /** Every lab session reasons in UTC months, whatever the JVM's time zone (pgjdbc sends the JVM's). */
    static final String SESSION_DEFAULTS = "SET TimeZone = 'UTC'";

    private final String name;
    private final Dsn dsn;
    private HikariDataSource pool;
    /** Set in the view {@link #rolledBack} hands its work: every statement runs in its one transaction. */
    private final Connection pinned;
    /** How long a borrower waits for a connection before the pool gives up (the server down, the pool busy). */
    private final long connectionTimeoutMs;
    private final int maxConnections;

    public Node(String name, Dsn dsn) {
        this(name, dsn, null, 15_000, 4);
    }

    private Node(String name, Dsn dsn, Connection pinned, long connectionTimeoutMs, int maxConnections) {
        this.name = name;
        this.dsn = dsn;
        this.pinned = pinned;
        this.connectionTimeoutMs = connectionTimeoutMs;
        this.maxConnections = maxConnections;
    }

    /**
     * The same server with a pool of its own, of at most {@code maxConnections} sessions, whose borrowers give up after
     * {@code connectionTimeout} (at least 250 ms, Hikari's floor): a long-lived service sizes it to its threads, answers
     * "unavailable" quickly while the server is down, and keeps its sessions apart from a notebook's. Close it when done.
     */
    public Node withOwnPool(java.time.Duration connectionTimeout, int maxConnections) {
        return new Node(name, dsn, null, Math.max(250, connectionTimeout.toMillis()), Math.max(1, maxConnections));
    }

    public String name() {
        return name;
    }

    public Dsn dsn() {
        return dsn;
    }

    public synchronized HikariDataSource pool() {
        if (pinned != null) throw new IllegalStateException("node " + name + " is inside a transaction to be rolled back: it has no pool");
        if (pool == null || pool.isClosed()) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("lab-" + name);
            config.setJdbcUrl(dsn.jdbcUrl());
            if (dsn.user() != null) config.setUsername(dsn.user());
            if (dsn.password() != null) config.setPassword(dsn.password());
            config.setMaximumPoolSize(maxConnections);
            config.setMinimumIdle(0);
            // the runbook's application name (pg_stat_activity, a lock holder's message), kept across DISCARD ALL
            Dsn.sessionProperties().forEach((key, value) -> config.addDataSourceProperty(key.toString(), value));
            // Fail at once with the driver's own reason (refused, bad password) instead of a pool timeout.
            config.setInitializationFailTimeout(1);
            // Lessons and the generator reason in UTC months, whatever the JVM's zone.
            config.setConnectionInitSql(SESSION_DEFAULTS);
            config.setConnectionTimeout(connectionTimeoutMs);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    public Connection connection() throws SQLException {
        return pinned != null ? pinned : pool().getConnection();
    }

    /**
     * Runs {@code work} on a view of this node whose every statement ({@link #run}, {@link #query}, ...) goes into one
     * transaction, then rolls it back: what a dry run uses to plan on what a real run would first install or create
     * (PostgreSQL's DDL is transactional), leaving nothing behind, whatever {@code work} throws. Inside, COMMIT and
     * autocommit requested through JDBC are ignored; work that opens connections of its own (a lock probe, a load) does
     * not belong here. Locks taken inside are held until the rollback.
     */
    public <T> T rolledBack(java.util.function.Function<Node, T> work) {
        if (pinned != null) return work.apply(this); // already inside one: the outer rollback covers it
        try (Connection c = pool().getConnection()) {
            c.setAutoCommit(false);
            try {
                return work.apply(new Node(name, dsn, Pinned.of(c), connectionTimeoutMs, maxConnections));
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(name, "(a transaction rolled back)", e);
        }
    }

    /** The connection {@link #rolledBack} lends: closing it, committing or switching autocommit on does nothing. */
    private interface Pinned {
        static Connection of(Connection c) {
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Connection.class, Pinned.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "close", "commit", "setAutoCommit" -> null;
                        default -> {
                            try {
                                yield method.invoke(c, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
        }
    }

    /** Runs a statement written in a lesson and returns its rows as a table. */
    public Table query(String sql, Object... params) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            boolean hasRows = ps.execute();
            if (!hasRows) return Tables.updateCount(ps.getUpdateCount());
            try (ResultSet rs = ps.getResultSet()) {
                return Tables.from(rs, name);
            }
        } catch (SQLException e) {
            throw new LabSqlException(name, sql, e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public Object scalar(String sql, Object... params) {
        Table t = query(sql, params);
        if (t.rowCount() != 1 || t.columnCount() != 1) {
            throw new IllegalStateException("expected one value from " + name + ", got " + t.rowCount() + "x" + t.columnCount());
        }
        return t.get(0, 0);
    }

    public long count(String qualifiedTable) {
        Table counted = Sql.file("lab/count_rows.sql").run(this, Map.of("lab.table_name", qualifiedTable)).lastTable();
        if (counted.rowCount() == 0) throw new BadInput("no table " + qualifiedTable + " on node " + name);
        return ((Number) counted.get(0, 0)).longValue();
    }

    /** Runs a file from sql/ with its parameters set as custom settings; see {@link Sql}. */
    public Sql.Result run(String sqlFile, Map<String, String> settings) {
        return Sql.file(sqlFile).run(this, settings);
    }

    /**
     * A file that only reads, run again (at most twice more, after 50 and 200 ms) when a relation it found in the
     * catalogs was dropped or renamed by a transaction that committed before it read the relation: 42P01, or XX000
     * "could not open relation". Partition maintenance swaps and drops partitions while health, list and the metrics
     * look at them; a second look sees the change done. Never for a file that writes.
     */
    public Sql.Result runReading(String sqlFile, Map<String, String> settings) {
        for (int attempt = 1; ; attempt++) {
            try {
                return run(sqlFile, settings);
            } catch (LabSqlException e) {
                boolean goneUnderUs = "42P01".equals(e.sqlState())
                        || ("XX000".equals(e.sqlState()) && String.valueOf(e.getMessage()).contains("could not open relation"));
                if (!goneUnderUs || attempt == 3) throw e;
                try {
                    Thread.sleep(attempt == 1 ? 50 : 200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public Sql.Result run(String sqlFile) {
        return run(sqlFile, Map.of());
    }

    /**
     * Returns a pooled session to its defaults after a step that may have SET things, PREPAREd statements or
     * left a failed transaction: the next borrower must not inherit them.
     */
    static void resetSession(Connection c) throws SQLException {
        if (c.isClosed() || c instanceof Pinned) return; // a transaction to be rolled back keeps its session until then
        if (!c.getAutoCommit()) c.rollback();
        try (var s = c.createStatement()) {
            s.execute("ROLLBACK"); // a script that failed inside BEGIN leaves the session aborted; harmless otherwise
            s.execute("DISCARD ALL");
            s.execute(SESSION_DEFAULTS);
        }
    }

    public String serverVersion() {
        return String.valueOf(scalar("SHOW server_version"));
    }

    @Override
    public synchronized void close() {
        if (pinned == null && pool != null) pool.close();
    }

    @Override
    public String toString() {
        return name + " " + dsn;
    }
}
