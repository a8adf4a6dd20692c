package lab;

/**
 * The libraries' logging, set before their first logger exists: warnings only, on stderr. HikariCP's
 * warning that it evicted a connection after SQLSTATE 0A000 is silenced, because lessons provoke that
 * error on purpose (the naive primary key) and the pool recovers by itself.
 */
final class Logs {
    private Logs() {}

    static void quiet() {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection", "error");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
