package lab;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;

/**
 * A file from {@code sql/}, run the way {@code psql -f} runs it: statement after statement in one session,
 * dollar-quoted bodies kept whole. Parameters travel as custom settings ({@code lab.month = '2024-06'}), set
 * with {@code set_config()} before the first statement, never spliced into the text. Afterwards the pooled
 * session is reset, so neither the parameters nor a file's own SETs reach the next user of the connection.
 */
public final class Sql {
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_.]*");

    private final String name;
    private final String text;

    private Sql(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /**
     * @param relativePath a path below sql/, such as {@code 01-range/01_create_partitioned.sql}. A line
     *     {@code \ir other.sql} (psql's include, relative to the file) is replaced by that file's text, so that an
     *     installer such as {@code maintenance/install.sql} runs the same files under psql and here.
     */
    public static Sql file(String relativePath) {
        return new Sql(relativePath, withIncludes(relativePath));
    }

    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\\\ir\\s+(\\S+)\\s*$");

    private static String withIncludes(String relativePath) {
        String text = read(relativePath);
        int slash = relativePath.lastIndexOf('/');
        String dir = slash < 0 ? "" : relativePath.substring(0, slash + 1);
        var included = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (included.find()) {
            // psql resolves \ir against the including file's folder; '../online/install.sql' from maintenance/ too
            String path = Path.of(dir + included.group(1)).normalize().toString().replace('\\', '/');
            included.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(withIncludes(path)));
        }
        return included.appendTail(out).toString();
    }

    /** Statements written in a lesson cell, run with the same splitting and reporting as a file. */
    public static Sql text(String name, String sql) {
        return new Sql(name, sql);
    }

    public String name() {
        return name;
    }

    /** psql's variable references {@code :'name'} (a literal) and {@code :"name"} (an identifier), not preceded by ':'. */
    private static final Pattern VARIABLE = Pattern.compile("(?<!:):(['\"])([A-Za-z_][A-Za-z0-9_]*)\\1");

    /**
     * The file with psql's variables filled in, as {@code psql -v name=value} would: {@code :'name'} becomes a quoted
     * literal and {@code :"name"} a quoted identifier. For queries whose values must be constants in the text: a
     * literal prunes partitions at plan time and reaches a postgres_fdw shard, where {@code current_setting()} does
     * neither. A reference to a variable not given is refused, as psql would leave it to fail as a syntax error.
     */
    public Sql withVariables(Map<String, String> variables) {
        var references = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (references.find()) {
            String value = variables.get(references.group(2));
            if (value == null) throw new IllegalArgumentException(name + " uses :" + references.group(1) + references.group(2)
                    + references.group(1) + " but no value was given for it");
            String quoted = references.group(1).equals("'") ? "'" + value.replace("'", "''") + "'"
                    : '"' + value.replace("\"", "\"\"") + '"';
            references.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(quoted));
        }
        return new Sql(name, references.appendTail(out).toString());
    }

    public String text() {
        return text;
    }

    public List<String> statements() {
        return SqlSplitter.split(text, name);
    }

    public Result run(Node node, Map<String, String> settings) {
        try (Connection c = node.connection()) {
            c.setAutoCommit(true);
            try {
                return runOn(c, node.name(), settings);
            } finally {
                Node.resetSession(c);
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), name, e);
        }
    }

    /**
     * The file on a session the caller holds and resets itself (the one that holds the maintenance lock, say): the
     * parameters stay set on it afterwards.
     */
    Result runOn(Connection c, String node, Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!SETTING_NAME.matcher(key).matches()) {
                throw new BadInput("parameter '" + key + "' is not a custom setting name such as lab.month");
            }
        }
        List<StatementResult> results = new ArrayList<>();
        try {
            applySettings(c, settings);
        } catch (SQLException e) {
            throw new LabSqlException(node, name, e);
        }
        for (String statement : statements()) {
            results.add(execute(c, node, statement));
        }
        return new Result(name, results);
    }

    /** Every parameter in one round trip: the names and the values as two arrays. */
    private static void applySettings(Connection c, Map<String, String> settings) throws SQLException {
        if (settings.isEmpty()) return;
        List<String> names = new ArrayList<>(settings.keySet());
        List<String> values = names.stream().map(settings::get).toList();
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config(n, v, false) FROM unnest(?::text[], ?::text[]) AS s(n, v)")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            ps.setArray(2, c.createArrayOf("text", values.toArray()));
            ps.execute();
        }
    }

    private static StatementResult execute(Connection c, String node, String statement) {
        try (Statement s = c.createStatement()) {
            boolean hasRows = s.execute(statement);
            List<String> notices = notices(s.getWarnings());
            Table table = null;
            long updated = -1;
            if (hasRows) {
                try (ResultSet rs = s.getResultSet()) {
                    table = Tables.from(rs, node);
                }
            } else {
                updated = s.getUpdateCount();
            }
            return new StatementResult(statement, table, updated, notices);
        } catch (SQLException e) {
            throw new LabSqlException(node, statement, e);
        }
    }

    private static List<String> notices(SQLWarning warning) {
        List<String> out = new ArrayList<>();
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) out.add(w.getMessage());
        return out;
    }

    private static String read(String relativePath) {
        if (relativePath.contains("..")) throw new BadInput("sql file path may not contain '..': " + relativePath);
        return ProjectFile.read("sql/" + relativePath);
    }

    /** What one statement gave back: rows, or an update count, and any NOTICE lines. */
    public record StatementResult(String statement, Table table, long updateCount, List<String> notices) {
        public boolean hasRows() {
            return table != null;
        }
    }

    /** Every statement's result, in order. */
    public record Result(String file, List<StatementResult> statements) {
        /** The rows of the last statement that returned rows: what a file "shows" at its end. */
        public Table lastTable() {
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (statements.get(i).hasRows()) return statements.get(i).table();
            }
            throw new IllegalStateException(file + " returned no rows");
        }

        public List<String> notices() {
            List<String> all = new ArrayList<>();
            statements.forEach(s -> all.addAll(s.notices()));
            return all;
        }
    }
}
