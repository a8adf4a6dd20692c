package lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.Table;

/**
 * One table's workload as pg_stat_statements recorded it in the table's database (sql/advisor/workload.sql): each
 * normalized statement that mentions the table, how often it ran, its total and mean time, and the table's columns
 * it filters on. Where pg_stat_statements is not installed or not loaded, {@link #status} says so and
 * {@link #of} returns no statements.
 *
 * <p>The filter columns come from a deliberately small parser, not a SQL grammar: in the text after each
 * {@code WHERE} (up to {@code GROUP BY}, {@code ORDER BY}, {@code LIMIT}, {@code HAVING}, {@code RETURNING}), a
 * condition that starts a clause or follows {@code AND}/{@code OR}/{@code (}, of the form {@code [alias.]column op
 * value} where op is {@code = <> != < <= > >=}, {@code BETWEEN}, {@code IN} or {@code = ANY}, and the value is not
 * another column (a parameter {@code $n}, a literal, {@code now()} and other functions, an expression). Only names
 * that are columns of the table count, so an alias or another table's column in a join drops out. {@code LIKE},
 * expressions on the column ({@code date_trunc('day', t) = ...}) and join conditions ({@code ON a.x = b.y}) are not
 * filters here: none of them prunes partitions either.
 */
public final class Workload {
    private Workload() {}

    /** One normalized statement: its text, how often it ran, its total and mean time, the columns it filters on. */
    public record Statement(String query, long calls, double totalMs, double meanMs, List<String> filterColumns) {
        public Statement {
            filterColumns = List.copyOf(filterColumns);
        }

        public boolean filtersOn(String column) {
            return filterColumns.contains(column);
        }
    }

    /** Whether pg_stat_statements can tell this database's workload, and a line saying why not. */
    public record Status(boolean installed, boolean loaded, String note) {
        public boolean available() {
            return installed && loaded;
        }
    }

    /** sql/advisor/workload_status.sql on that node. */
    public static Status status(Node node) {
        Table t = node.run("advisor/workload_status.sql").lastTable();
        return new Status(Boolean.TRUE.equals(t.get(0, t.columnIndex("installed"))), Boolean.TRUE.equals(t.get(0, t.columnIndex("loaded"))),
                String.valueOf(t.get(0, t.columnIndex("note"))));
    }

    /**
     * The statements that mention {@code table} ("schema.name", or a name in schema app), the costliest first; none
     * where pg_stat_statements is not available ({@link #status}).
     */
    public static List<Statement> of(Node node, String table) {
        String[] name = split(table);
        if (!status(node).available()) return List.of();
        List<String> columns = node.run("advisor/columns.sql", Map.of("lab.schema", name[0], "lab.table_name", name[1])).lastTable()
                .stringColumn("column_name").asList();
        return of(node, name[0], name[1], columns);
    }

    /** For the advisor, which knows the table's columns already and has checked the status. */
    static List<Statement> of(Node node, String schema, String table, List<String> columns) {
        Table t = node.run("advisor/workload.sql", Map.of("lab.schema", schema, "lab.table_name", table)).lastTable();
        List<Statement> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            String query = t.getString(i, "query");
            out.add(new Statement(query, Tables.number(t, "calls", i), number(t.get(i, t.columnIndex("total_ms"))),
                    number(t.get(i, t.columnIndex("mean_ms"))), filterColumns(query, columns)));
        }
        return List.copyOf(out);
    }

    /** "schema.table" split; a bare name is in schema app, as elsewhere in the lab. */
    static String[] split(String table) {
        if (table == null || table.isBlank()) throw new BadInput("no table given");
        String t = table.strip();
        int dot = t.indexOf('.');
        String[] parts = dot < 0 ? new String[] {"app", t} : new String[] {t.substring(0, dot), t.substring(dot + 1)};
        for (int i = 0; i < 2; i++) parts[i] = parts[i].replace("\"", "");
        return parts;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static final Pattern CLAUSE_END = Pattern.compile("(?i)\\b(group\\s+by|order\\s+by|limit|having|returning|window|offset|for\\s+update)\\b");
    private static final Pattern WHERE = Pattern.compile("(?i)\\bwhere\\b");
    /**
     * A condition: what may precede it, the column (maybe qualified, maybe quoted), the operator, then the value, only
     * looked at (a lookahead), so that the next condition is still there to find.
     */
    private static final Pattern CONDITION = Pattern.compile(
            "(?i)(?:^|\\band\\b|\\bor\\b|\\bnot\\b|\\()\\s*(?:[a-z_][a-z0-9_]*\\.)?(\"[^\"]+\"|[a-z_][a-z0-9_]*)\\s*"
                    + "(=\\s*any\\b|<>|!=|<=|>=|=|<|>|\\bnot\\s+between\\b|\\bbetween\\b|\\bnot\\s+in\\b|\\bin\\b)\\s*(?=(\\S.{0,40})?)",
            Pattern.DOTALL);
    /** A value that is another column: a (qualified) name not followed by "(" and not a keyword standing for a value. */
    private static final Pattern COLUMN_VALUE = Pattern.compile("(?i)^(?:[a-z_][a-z0-9_]*\\.)?\"?[a-z_][a-z0-9_]*\"?(?!\\s*\\()(?![a-z0-9_.\"])");
    private static final Set<String> VALUE_WORDS = Set.of("current_date", "current_timestamp", "localtimestamp", "localtime",
            "current_time", "interval", "true", "false", "null", "date", "timestamp", "timestamptz", "array", "any", "some");

    /**
     * The columns of {@code tableColumns} that {@code query} filters on (see the class comment), in the order met.
     * Works on pg_stat_statements' normalized text and on the original alike.
     */
    public static List<String> filterColumns(String query, List<String> tableColumns) {
        Set<String> known = new LinkedHashSet<>();
        for (String c : tableColumns) known.add(c);
        Set<String> found = new LinkedHashSet<>();
        String text = query.replaceAll("'(?:[^']|'')*'", "\\$0"); // a literal is a value like a parameter
        Matcher where = WHERE.matcher(text);
        while (where.find()) {
            String rest = text.substring(where.end());
            Matcher end = CLAUSE_END.matcher(rest);
            String clause = end.find() ? rest.substring(0, end.start()) : rest;
            Matcher c = CONDITION.matcher(clause);
            while (c.find()) {
                String column = c.group(1).startsWith("\"") ? c.group(1).substring(1, c.group(1).length() - 1) : c.group(1).toLowerCase(Locale.ROOT);
                String value = c.group(3) == null ? "" : c.group(3).strip();
                if (known.contains(column) && !isColumn(value)) found.add(column);
            }
        }
        return List.copyOf(found);
    }

    private static boolean isColumn(String value) {
        Matcher m = COLUMN_VALUE.matcher(value);
        if (!m.find()) return false;
        String word = m.group().replace("\"", "").toLowerCase(Locale.ROOT);
        return !VALUE_WORDS.contains(word.contains(".") ? "" : word);
    }
}
