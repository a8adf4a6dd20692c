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

    Node(String name, Dsn dsn) {
        this.name = name;
        this.dsn = dsn;
    }

    public String name() {
        return name;
    }

    public Dsn dsn() {
        return dsn;
    }

    public synchronized HikariDataSource pool() {
        if (pool == null || pool.isClosed()) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("lab-" + name);
            config.setJdbcUrl(dsn.jdbcUrl());
            if (dsn.user() != null) config.setUsername(dsn.user());
            if (dsn.password() != null) config.setPassword(dsn.password());
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(0);
            // the runbook's application name (pg_stat_activity, a lock holder's message), kept across DISCARD ALL
            Dsn.sessionProperties().forEach((key, value) -> config.addDataSourceProperty(key.toString(), value));
            // Fail at once with the driver's own reason (refused, bad password) instead of a pool timeout.
            config.setInitializationFailTimeout(1);
            // Lessons and the generator reason in UTC months, whatever the JVM's zone.
            config.setConnectionInitSql(SESSION_DEFAULTS);
            config.setConnectionTimeout(15_000);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    public Connection connection() throws SQLException {
        return pool().getConnection();
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

    public Sql.Result run(String sqlFile) {
        return run(sqlFile, Map.of());
    }

    /**
     * Returns a pooled session to its defaults after a step that may have SET things, PREPAREd statements or
     * left a failed transaction: the next borrower must not inherit them.
     */
    static void resetSession(Connection c) throws SQLException {
        if (c.isClosed()) return;
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
        if (pool != null) pool.close();
    }

    @Override
    public String toString() {
        return name + " " + dsn;
    }
}
