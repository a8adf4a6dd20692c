package lab.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A Jupyter notebook (nbformat 4), read and written the way Jupyter itself writes it: one-space indent, non-ASCII
 * kept, multi-line text stored as a list of lines, a trailing newline, and the outputs' keys sorted. Other keys keep
 * the order they were read in (Jupyter sorts them all, so a notebook it saved stays sorted), which makes a notebook
 * written back byte-identical to the one read apart from its outputs and execution counts.
 */
public final class NotebookFile {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path path;
    private final ObjectNode root;

    private NotebookFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    public static NotebookFile read(Path path) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read notebook " + path + ": " + e.getMessage(), e);
        }
        if (!(root instanceof ObjectNode object) || !(object.get("cells") instanceof ArrayNode)) {
            throw new IllegalArgumentException(path + " is not a Jupyter notebook: no \"cells\" array");
        }
        if (object.path("nbformat").asInt() != 4) {
            throw new IllegalArgumentException(path + " is nbformat " + object.path("nbformat") + "; the replay reads nbformat 4");
        }
        return new NotebookFile(path.toAbsolutePath().normalize(), object);
    }

    public Path path() {
        return path;
    }

    /** The folder the kernel runs in: IJava resolves relative paths of magics against it. */
    public Path folder() {
        return path.getParent();
    }

    /** The file name without {@code .ipynb}, e.g. {@code 01-range-partitioning}. */
    public String name() {
        String file = path.getFileName().toString();
        return file.endsWith(".ipynb") ? file.substring(0, file.length() - ".ipynb".length()) : file;
    }

    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        ArrayNode array = (ArrayNode) root.get("cells");
        for (int i = 0; i < array.size(); i++) cells.add(new Cell((ObjectNode) array.get(i), i + 1));
        return cells;
    }

    public List<Cell> codeCells() {
        return cells().stream().filter(Cell::isCode).toList();
    }

    /** {@code metadata.kernelspec.name}: Jupyter starts the kernel this names, so the lessons need {@code java}. */
    public String kernelName() {
        return root.path("metadata").path("kernelspec").path("name").asText("");
    }

    /** An independent copy, so a run can fill in outputs without touching what was read. */
    public NotebookFile copy() {
        return new NotebookFile(path, root.deepCopy());
    }

    /**
     * Adds the kernelspec and language_info that Jupyter records, where the notebook lacks them. Present values stay
     * as they are, so writing a committed notebook back changes only its outputs.
     */
    void recordKernel() {
        ObjectNode metadata = root.withObjectProperty("metadata");
        if (!metadata.has("kernelspec")) {
            metadata.putObject("kernelspec").put("display_name", "Java").put("language", "java").put("name", "java");
        }
        if (!metadata.has("language_info")) {
            // What IJava reports in its kernel_info reply, with the version cut to the feature release so the
            // executed copies do not change with every JDK update.
            metadata.putObject("language_info")
                    .put("codemirror_mode", "java")
                    .put("file_extension", ".jshell")
                    .put("mimetype", "text/x-java-source")
                    .put("name", "Java")
                    .put("pygments_lexer", "java")
                    .put("version", String.valueOf(Runtime.version().feature()));
        }
    }

    public void write(Path target) {
        try {
            if (target.getParent() != null) Files.createDirectories(target.getParent());
            Files.writeString(target, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notebook " + target + ": " + e.getMessage(), e);
        }
    }

    /** The notebook as Jupyter writes it (nbformat's {@code writes}: indent 1, UTF-8, final newline; see above for key order). */
    public String toJson() {
        StringBuilder out = new StringBuilder();
        JupyterJson.write(splitLines(root.deepCopy()), out, 0, false);
        return out.append('\n').toString();
    }

    /** One cell: its 1-based position among all cells, its source, tags and metadata, and (for code) its outputs. */
    public static final class Cell {
        private final ObjectNode node;
        private final int number;

        private Cell(ObjectNode node, int number) {
            this.node = node;
            this.number = number;
        }

        /** 1-based position among all cells, markdown included. */
        public int number() {
            return number;
        }

        public boolean isCode() {
            return "code".equals(node.path("cell_type").asText());
        }

        public String source() {
            return joinLines(node.get("source"));
        }

        public Set<String> tags() {
            JsonNode tags = node.path("metadata").path("tags");
            return StreamSupport.stream(tags.spliterator(), false).map(JsonNode::asText)
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        public JsonNode metadata(String key) {
            return node.path("metadata").path(key);
        }

        public ArrayNode outputs() {
            return (ArrayNode) node.get("outputs");
        }

        /** Replaces what a previous run left: the outputs and the execution count (null when not executed). */
        void recordRun(ArrayNode outputs, Integer executionCount) {
            node.set("outputs", outputs);
            if (executionCount == null) node.putNull("execution_count");
            else node.put("execution_count", executionCount);
        }
    }

    /** nbformat stores multi-line strings either whole or as a list of lines; this gives the whole string. */
    static String joinLines(JsonNode text) {
        if (text == null || text.isNull() || text.isMissingNode()) return "";
        if (!text.isArray()) return text.asText();
        StringBuilder joined = new StringBuilder();
        text.forEach(line -> joined.append(line.asText()));
        return joined.toString();
    }

    /** Python's {@code str.splitlines(True)}: nbformat splits with it, so the same line breaks apply here. */
    static ArrayNode lines(String text) {
        ArrayNode lines = JSON.arrayNode();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (crlf) i++;
            if (crlf || isPythonLineBreak(c)) {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }

    private static boolean isPythonLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u001c' || c == '\u001d'
                || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * nbformat's {@code split_lines} for the outputs: stream text and text-like MIME data become lists of lines. (Sources
     * are left as they were read, a list of lines whenever Jupyter wrote them.)
     */
    private static ObjectNode splitLines(ObjectNode notebook) {
        for (JsonNode cell : notebook.path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                ObjectNode o = (ObjectNode) output;
                String type = o.path("output_type").asText();
                if (type.equals("stream") && o.path("text").isTextual()) {
                    o.set("text", lines(o.get("text").asText()));
                } else if ((type.equals("execute_result") || type.equals("display_data")) && o.get("data") instanceof ObjectNode data) {
                    for (Iterator<String> mimes = data.fieldNames(); mimes.hasNext(); ) {
                        String mime = mimes.next();
                        boolean textLike = mime.startsWith("text/") || mime.equals("application/javascript") || mime.equals("image/svg+xml");
                        if (textLike && data.get(mime).isTextual()) data.set(mime, lines(data.get(mime).asText()));
                    }
                }
            }
        }
        return notebook;
    }

    /**
     * Python's {@code json.dumps(indent=1, ensure_ascii=False, separators=(',', ': '))}, keys sorted ({@code sort_keys})
     * from the {@code outputs} of a cell down, since those are the run's.
     */
    private static final class JupyterJson {
        static void write(JsonNode node, StringBuilder out, int depth, boolean sortKeys) {
            if (node.isObject()) {
                if (node.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<String> keys = new ArrayList<>();
                node.fieldNames().forEachRemaining(keys::add);
                if (sortKeys) keys.sort(null);
                out.append("{\n");
                for (int i = 0; i < keys.size(); i++) {
                    indent(out, depth + 1);
                    string(keys.get(i), out);
                    out.append(": ");
                    write(node.get(keys.get(i)), out, depth + 1, sortKeys || keys.get(i).equals("outputs"));
                    out.append(i + 1 < keys.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append('}');
            } else if (node.isArray()) {
                if (node.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append("[\n");
                for (int i = 0; i < node.size(); i++) {
                    indent(out, depth + 1);
                    write(node.get(i), out, depth + 1, sortKeys);
                    out.append(i + 1 < node.size() ? ",\n" : "\n");
                }
                indent(out, depth);
                out.append(']');
            } else if (node.isTextual()) {
                string(node.asText(), out);
            } else if (node.isFloatingPointNumber()) {
                out.append(pythonFloat(node.doubleValue()));
            } else {
                out.append(node.toString()); // integers, booleans, null print alike in both languages
            }
        }

        private static void indent(StringBuilder out, int depth) {
            out.append(" ".repeat(depth));
        }

        private static void string(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }

        /** Python's float repr for the usual cases (metadata rarely holds floats at all). */
        private static String pythonFloat(double d) {
            if (Double.isNaN(d)) return "NaN";
            if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
            double abs = Math.abs(d);
            if (abs == 0 || abs >= 1e-4 && abs < 1e16) {
                String plain = new BigDecimal(Double.toString(d)).toPlainString();
                return plain.contains(".") ? plain : plain + ".0";
            }
            String java = Double.toString(d);
            String mantissa = java.substring(0, java.indexOf('E')).replaceAll("\\.0$", "");
            int exponent = Integer.parseInt(java.substring(java.indexOf('E') + 1));
            return mantissa + (exponent < 0 ? "e-" : "e+") + String.format("%02d", Math.abs(exponent));
        }
    }
}
