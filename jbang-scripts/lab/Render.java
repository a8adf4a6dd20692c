package lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
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

    public static String json(Table table) {
        ArrayNode rows = JSON.createArrayNode();
        for (int r = 0; r < table.rowCount(); r++) {
            ObjectNode row = rows.addObject();
            for (Column<?> c : table.columns()) {
                if (c.isMissing(r)) {
                    row.putNull(c.name());
                } else {
                    row.set(c.name(), JSON.valueToTree(c instanceof NumericColumn<?> n ? n.getDouble(r) % 1 == 0
                            && Math.abs(n.getDouble(r)) < 1e15 ? (Object) (long) n.getDouble(r) : n.getDouble(r) : cell(c, r)));
                }
            }
        }
        try {
            return JSON.writeValueAsString(rows);
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
