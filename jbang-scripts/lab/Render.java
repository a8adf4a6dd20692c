package lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
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

    /**
     * A table as a notebook shows it, with one call: {@code display(Render.table(t))}, {@code render(Render.table(t))}
     * or {@code Render.table(t)} as a cell's last expression. The output carries text/html ({@link #html}) for
     * JupyterLab and a code host, and text/plain as the aligned text table ({@link #text}) for a terminal, nbconvert to
     * markdown or an IDE preview; {@code display(Render.html(t), "text/html")} put the markup in text/plain as well.
     * <p>
     * The kernel asks an object for its MIME bundle through its base kernel's {@code DisplayDataRenderable}, which IJava
     * 1.3 (jupyter-jvm-basekernel) and JJava share under two package names, so the view implements whichever the
     * kernel running the cell has (a dynamic proxy: the library does not compile against a kernel). The replay
     * (the notebook engine's kernel) knows {@link Shown} itself. Without either, the view is its text.
     */
    public static Shown table(Table table) {
        for (String name : KERNEL_RENDERABLES) {
            for (ClassLoader loader : new ClassLoader[] {Render.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
                try {
                    return table(table, Class.forName(name, false, loader));
                } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError | SecurityException notThisKernel) {
                    // this kernel is not the one running, or its interface is not visible from here: try the next
                }
            }
        }
        return new View(text(table), html(table));
    }

    /** A table's two faces for a notebook output: the aligned text (also its toString) and the HTML. */
    public interface Shown {
        String text();

        String html();
    }

    /** The base kernels' interface for an object that renders its own MIME bundle: IJava 1.3's, then JJava's. */
    static final List<String> KERNEL_RENDERABLES = List.of("io.github.spencerpark.jupyter.kernel.display.DisplayDataRenderable",
            "org.dflib.jjava.jupyter.kernel.display.DisplayDataRenderable");

    private record View(String text, String html) implements Shown {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The table's view as an object that also implements a kernel's {@code DisplayDataRenderable} (given
     * as {@code renderable}): its {@code render(RenderContext)} puts text/html and text/plain into the context's output
     * container, whatever types were asked for, so {@code display(x)} and {@code display(x, "text/html")} show both.
     */
    static Shown table(Table table, Class<?> renderable) {
        Shown view = new View(text(table), html(table));
        if (!renderable.isInterface()) throw new IllegalArgumentException(renderable + " is not a kernel's interface");
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "render" -> {
                Object out = args[0].getClass().getMethod("getOutputContainer").invoke(args[0]);
                var putData = out.getClass().getMethod("putData", String.class, Object.class);
                putData.invoke(out, "text/html", view.html());
                putData.invoke(out, "text/plain", view.text());
                yield null;
            }
            case "text", "toString" -> view.text();
            case "html" -> view.html();
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> InvocationHandler.invokeDefault(proxy, method, args); // the supported and preferred types: any
        };
        // Proxy refuses (IllegalArgumentException) unless this library's loader sees the kernel's interface: true when
        // the notebook's classpath, where %classpath put the lab jar, is a child of the kernel's, as in IJava and JJava.
        return (Shown) Proxy.newProxyInstance(Render.class.getClassLoader(), new Class<?>[] {Shown.class, renderable}, handler);
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
