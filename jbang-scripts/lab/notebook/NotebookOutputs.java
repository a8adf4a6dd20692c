package lab.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outputs of a replayed notebook, recorded as nbformat 4 outputs the way nbclient records what IJava publishes:
 * System.out and System.err as stream outputs (consecutive writes to one stream merged into one output),
 * {@code display} as display_data, the last expression as execute_result, a failure as an error output.
 * {@code updateDisplay} rewrites the display it names, in whichever cell that display was made.
 */
final class NotebookOutputs {
    private final String notebookName;
    private final Map<String, List<ObjectNode>> displaysById = new HashMap<>();
    private int displays;

    private ArrayNode cell;
    private PrintStream originalOut;
    private PrintStream originalErr;
    private String pendingStream;
    private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();

    NotebookOutputs(String notebookName) {
        this.notebookName = notebookName;
    }

    /** Starts collecting a cell's outputs: from here until {@link #finishCell}, System.out and System.err land in it. */
    synchronized void startCell() {
        cell = NotebookFile.JSON.arrayNode();
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(capture("stdout"));
        System.setErr(capture("stderr"));
    }

    /** The cell's outputs; the standard streams are the JVM's own again. */
    ArrayNode finishCell() {
        // Outside this object's lock: a thread printing holds its stream's lock while it waits for this one.
        System.out.flush();
        System.err.flush();
        synchronized (this) {
            flushStream();
            System.setOut(originalOut);
            System.setErr(originalErr);
            ArrayNode outputs = cell;
            cell = null;
            return outputs;
        }
    }

    /**
     * Publishes a display_data output. The id IJava returns is a random UUID; here it is derived from the notebook and
     * the display's position, so that a cell ending in {@code display(...)} (whose result is that id) gives the same
     * executed notebook on every run.
     */
    synchronized String display(NotebookKernel.Data data) {
        String id = UUID.nameUUIDFromBytes((notebookName + "#" + ++displays).getBytes(StandardCharsets.UTF_8)).toString();
        ObjectNode output = add("display_data");
        output.set("data", bundle(data));
        output.putObject("metadata");
        displaysById.computeIfAbsent(id, k -> new ArrayList<>()).add(output);
        return id;
    }

    /** Like nbclient on update_display_data: every output shown under the id takes the new data; unknown ids are ignored. */
    synchronized void updateDisplay(String id, NotebookKernel.Data data) {
        for (ObjectNode output : displaysById.getOrDefault(id, List.of())) output.set("data", bundle(data));
    }

    synchronized void result(NotebookKernel.Data data, int executionCount) {
        ObjectNode output = add("execute_result");
        output.set("data", bundle(data));
        output.put("execution_count", executionCount);
        output.putObject("metadata");
    }

    synchronized void error(String ename, String evalue, List<String> traceback) {
        ObjectNode output = add("error");
        output.put("ename", ename);
        output.put("evalue", evalue);
        ArrayNode lines = output.putArray("traceback");
        traceback.forEach(lines::add);
    }

    /** Everything a reader sees of the outputs as text: streams, text MIME data and errors (for {@code lab_expect}). */
    static String text(ArrayNode outputs) {
        StringBuilder text = new StringBuilder();
        for (JsonNode output : outputs) {
            text.append(NotebookFile.joinLines(output.get("text")));
            output.path("data").properties().forEach(e -> {
                if (e.getKey().startsWith("text/")) text.append(NotebookFile.joinLines(e.getValue())).append('\n');
            });
            if (output.has("ename")) text.append(output.get("ename").asText()).append(": ").append(output.path("evalue").asText()).append('\n');
            output.path("traceback").forEach(line -> text.append(line.asText()).append('\n'));
        }
        return text.toString();
    }

    private ObjectNode add(String outputType) {
        flushStream();
        if (cell == null) throw new IllegalStateException("no cell is running: outputs belong to a cell");
        ObjectNode output = cell.addObject();
        output.put("output_type", outputType);
        return output;
    }

    private static ObjectNode bundle(NotebookKernel.Data data) {
        ObjectNode bundle = NotebookFile.JSON.objectNode();
        data.data().forEach(bundle::put);
        return bundle;
    }

    private PrintStream capture(String streamName) {
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                append(streamName, bytes, offset, length);
            }
        };
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    private synchronized void append(String streamName, byte[] bytes, int offset, int length) {
        if (cell == null) {
            // A background thread writing after its cell ended: the console gets it, as in IJava between requests.
            (streamName.equals("stdout") ? originalOut : originalErr).write(bytes, offset, length);
            return;
        }
        if (!streamName.equals(pendingStream)) flushStream();
        pendingStream = streamName;
        pendingBytes.write(bytes, offset, length);
    }

    /** Moves the bytes written so far into a stream output, merged with the previous output when that is the same stream. */
    private void flushStream() {
        if (pendingStream == null || pendingBytes.size() == 0) return;
        String text = pendingBytes.toString(StandardCharsets.UTF_8);
        pendingBytes.reset();
        JsonNode last = cell.isEmpty() ? null : cell.get(cell.size() - 1);
        if (last != null && "stream".equals(last.path("output_type").asText()) && pendingStream.equals(last.path("name").asText())) {
            ((ObjectNode) last).put("text", last.path("text").asText() + text);
        } else {
            ObjectNode output = cell.addObject();
            output.put("name", pendingStream);
            output.put("output_type", "stream");
            output.put("text", text);
        }
    }
}
