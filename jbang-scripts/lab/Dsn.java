package lab;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL connection string as people write it ({@code postgresql://user:pw@host:port/db?sslmode=...})
 * or as JDBC does ({@code jdbc:postgresql://...}), turned into what the JDBC driver takes.
 */
public record Dsn(String host, int port, String database, String user, String password, String query) {

    /** @param source what to name in the error, e.g. {@code LAB_DSN_PLAIN} or {@code --dsn} */
    public static Dsn parse(String text, String source) {
        if (text == null || text.isBlank()) throw new BadInput(source + " is empty");
        String raw = text.strip();
        if (raw.startsWith("jdbc:")) raw = raw.substring(5);
        if (!raw.startsWith("postgresql://") && !raw.startsWith("postgres://")) {
            throw new BadInput(source + " must look like postgresql://user:password@host:port/database, got '" + text + "'");
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new BadInput(source + " is not a valid connection URL: " + e.getMessage());
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) throw new BadInput(source + " has no host: '" + text + "'");
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isBlank()) throw new BadInput(source + " names no database: '" + text + "'");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        return new Dsn(host, port, decode(path), user, password, uri.getRawQuery());
    }

    public static Dsn local(int port, String database, String user, String password) {
        return new Dsn("localhost", port, database, user, password, null);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /** The libpq form, for psql and for people; the password is left out unless asked for. */
    public String url(boolean withPassword) {
        String auth = user == null ? "" : user + (withPassword && password != null ? ":" + password : "") + "@";
        return "postgresql://" + auth + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        props.setProperty("ApplicationName", "partition-lab");
        Connection connection = DriverManager.getConnection(jdbcUrl(), props);
        try (var s = connection.createStatement()) {
            s.execute(Node.SESSION_DEFAULTS);
        }
        return connection;
    }

    @Override
    public String toString() {
        return url(false);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
