package lab;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection string as people write it ({@code postgresql://user:pw@host:port/db?sslmode=...})
 * or as JDBC does ({@code jdbc:postgresql://...}), turned into what the JDBC driver takes.
 */
public record Dsn(String host, int port, String database, String user, String password, String query) {

    /** What replaces a password wherever a connection string is shown. */
    public static final String MASK = "***";

    /**
     * A password in a URL ({@code scheme://user:password@host}): up to the last {@code @} before the next URL on the
     * line, so that a password with a space, a quote or an unencoded {@code @} is masked whole. Masking too much is
     * fine, showing a piece of a password is not.
     */
    private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:@/\\s'\"]*:)((?:(?!://)[^\\n])*)(@)");
    /** {@code password=...} as a query parameter, a libpq keyword or a setting ({@code PGPASSWORD=}), and {@code password '...'} in SQL (a user mapping). */
    private static final Pattern KEY_PASSWORD = Pattern.compile(
            "(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|\"[^\"]*\"|[^&\\s'\",;)]+)|(\\bpassword\\s+)('(?:[^']|'')*')");

    /** The application name sessions get (pg_stat_activity.application_name): the lab, and which runbook. */
    public static final String APPLICATION = "partition-lab";
    private static volatile String applicationName = APPLICATION;

    /**
     * The text with every password in it replaced by {@value #MASK}: in connection URLs, {@code password=} parameters
     * and {@code password '...'} options. Everything that prints or logs something a user typed goes through it.
     */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        String masked = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
        return KEY_PASSWORD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) == null ? m.group(3) + "'" + MASK + "'"
                : m.group(2).startsWith(MASK) ? m.group() // masked before: what follows (a colon, say) is not the password
                : m.group(1) + MASK));
    }

    /** The application name new sessions get; runbooks set theirs for as long as they run. */
    public static String applicationName() {
        return applicationName;
    }

    /** Sets the application name new sessions get, returning the previous one; {@code null} sets the default. */
    public static String applicationName(String name) {
        String previous = applicationName;
        String chosen = name == null || name.isBlank() ? APPLICATION : name.strip();
        // PostgreSQL keeps 63 bytes; ASCII names are what the lab gives, so characters count as bytes
        applicationName = chosen.length() > 63 ? chosen.substring(0, 63) : chosen;
        return previous;
    }

    /**
     * The connection properties every lab session gets, pooled or not: the application name sent at startup (with
     * {@code assumeMinServerVersion} pgjdbc sends it in the startup packet instead of a SET afterwards, so the
     * {@code DISCARD ALL} that cleans a pooled session keeps it: the name is what a lock holder's message shows).
     */
    static Properties sessionProperties() {
        Properties props = new Properties();
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("assumeMinServerVersion", "9.0");
        return props;
    }

    /**
     * @param source what to name in the error, e.g. {@code LAB_DSN_PLAIN} or {@code --dsn}. The errors show the text
     *               with its password masked.
     */
    public static Dsn parse(String text, String source) {
        if (text == null || text.isBlank()) throw new BadInput(source + " is empty");
        String raw = text.strip();
        String shown = "'" + mask(raw) + "'";
        if (raw.startsWith("jdbc:")) raw = raw.substring(5);
        if (!raw.startsWith("postgresql://") && !raw.startsWith("postgres://")) {
            throw new BadInput(source + " must look like postgresql://user:password@host:port/database, got " + shown);
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            // the exception's own message repeats the input, password and all: only its reason is shown
            throw new BadInput(source + " is not a valid connection URL (" + e.getReason()
                    + (passwordNeedsEncoding(raw) ? "; the password holds a character a URL cannot: percent-encode it, e.g. a space as %20" : "")
                    + "): " + shown);
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            throw new BadInput(source + " has no host" + (authority.indexOf('@') != authority.lastIndexOf('@')
                    ? " (an @ in the password must be percent-encoded as %40)" : "") + ": " + shown);
        }
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isBlank()) throw new BadInput(source + " names no database: " + shown);
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length == 2) password = decode(parts[1]);
        }
        return new Dsn(host, port, decode(path), user, password, uri.getRawQuery());
    }

    /** Whether the URL's password holds a character that a URL's user information cannot (RFC 3986), unencoded. */
    private static boolean passwordNeedsEncoding(String url) {
        Matcher m = URL_PASSWORD.matcher(url);
        return m.find() && !m.group(2).matches("[A-Za-z0-9._~!$&'()*+,;=:%-]*");
    }

    public static Dsn local(int port, String database, String user, String password) {
        return new Dsn("localhost", port, database, user, password, null);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
    }

    /**
     * The libpq form, for psql and for people; the password (also a {@code password=} parameter) is left out unless
     * asked for.
     */
    public String url(boolean withPassword) {
        String auth = user == null ? "" : user + (withPassword && password != null ? ":" + password : "") + "@";
        String url = "postgresql://" + auth + host + ":" + port + "/" + database + (query == null ? "" : "?" + query);
        return withPassword ? url : mask(url);
    }

    public Connection open() throws SQLException {
        Properties props = sessionProperties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
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
