package lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** One table, four faces: HTML for notebooks, aligned text, JSON and Markdown for runbooks ({@code --format}). */
public final class Render {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public enum Format { text, json, markdown, html }

    private Render() {}

    public static String as(Format format, Table table) {
        return switch (format) {
            case text -> text(table);
            case json -> json(table);
            case markdown -> markdown(table);
            case html -> html(table);
        };
    }

    public static Format format(String name) {
        try {
            return Format.valueOf(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput("unknown format '" + name + "': use text, json or markdown");
        }
    }

    public static String text(Table table) {
        return table.printAll();
    }

    public static String html(Table table) {
        StringBuilder sb = new StringBuilder("<table class=\"lab-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(escape(table.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : table.columns()) sb.append("<th>").append(escape(c.name())).append("</th>");
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                String align = c instanceof NumericColumn ? " style=\"text-align:right\"" : " style=\"text-align:left\"";
                sb.append("<td").append(align).append(">").append(escape(cell(c, r))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** A table as a section of a Markdown document: its title ({@code ## name}), a blank line, the table. */
    public static String markdownSection(Table table) {
        return "## " + markdownCell(title(table)) + "\n\n" + markdown(table);
    }

    public static String markdown(Table table) {
        StringBuilder sb = new StringBuilder();
        sb.append('|');
        for (Column<?> c : table.columns()) sb.append(' ').append(markdownCell(c.name())).append(" |");
        sb.append("\n|");
        for (Column<?> c : table.columns()) sb.append(c instanceof NumericColumn ? " ---: |" : " --- |");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("\n|");
            for (Column<?> c : table.columns()) sb.append(' ').append(markdownCell(cell(c, r))).append(" |");
        }
        return sb.append('\n').toString();
    }

    /** The rows as a JSON array of objects, one field per column (numbers as numbers, missing values as null). */
    public static String json(Table table) {
        return write(rows(table));
    }

    /**
     * What a runbook printed, as one JSON object: each table's rows under its name (a repeated name gets " (2)", ...),
     * then {@code notes} (the lines for people, in order), {@code verdict} when there is one and {@code errors} when
     * any were reported.
     */
    public static String document(List<Table> tables, List<String> notes, String verdict, List<String> errors) {
        ObjectNode doc = JSON.createObjectNode();
        List<String> reserved = List.of("notes", "verdict", "errors");
        for (Table table : tables) {
            String name = title(table);
            String key = name;
            for (int n = 2; doc.has(key) || reserved.contains(key); n++) key = name + " (" + n + ")";
            doc.set(key, rows(table));
        }
        ArrayNode noteLines = doc.putArray("notes");
        notes.forEach(noteLines::add);
        if (verdict != null) doc.put("verdict", verdict);
        if (!errors.isEmpty()) {
            ArrayNode errorLines = doc.putArray("errors");
            errors.forEach(errorLines::add);
        }
        return write(doc);
    }

    /** The table's name, or "result" for a table without one: every table printed has a title. */
    static String title(Table table) {
        return table.name() == null || table.name().isBlank() ? "result" : table.name().strip();
    }

    /** The rows as JSON objects, one field per column: what {@link #json} writes, for a document of its own (the service). */
    static ArrayNode rows(Table table) {
        ArrayNode rows = JSON.createArrayNode();
        for (int r = 0; r < table.rowCount(); r++) {
            ObjectNode row = rows.addObject();
            for (Column<?> c : table.columns()) {
                if (c.isMissing(r)) {
                    row.putNull(c.name());
                } else if (c instanceof BooleanColumn b) {
                    row.put(c.name(), b.get(r)); // true, not "true": what a JSON reader (and the API's schema) expects
                } else {
                    row.set(c.name(), JSON.valueToTree(c instanceof NumericColumn<?> n ? n.getDouble(r) % 1 == 0
                            && Math.abs(n.getDouble(r)) < 1e15 ? (Object) (long) n.getDouble(r) : n.getDouble(r) : cell(c, r)));
                }
            }
        }
        return rows;
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String cell(Column<?> c, int row) {
        return c.isMissing(row) ? "" : c.getString(row);
    }

    private static String markdownCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
