package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A second JVM (another notebook, a runbook) attaches to the server this one started, and sees its data. */
class EmbeddedAttachTest {
    @Test
    void secondJvmAttachesInsteadOfStartingAnother() throws Exception {
        Node node = Lab.connect("embedded").node("partitioned");
        node.query("CREATE TABLE IF NOT EXISTS public.attach_marker (v text)");
        node.query("TRUNCATE public.attach_marker");
        node.query("INSERT INTO public.attach_marker VALUES ('from the first JVM')");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dlab.home=" + Settings.labHome(), "-Dlab.project=" + Settings.projectDir().orElseThrow(),
                AttachProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("port=" + node.dsn().port(), lines.get(lines.size() - 3), out);
        assertEquals("started_by=another process", lines.get(lines.size() - 2), out);
        assertEquals("marker=from the first JVM", lines.get(lines.size() - 1), out);
        // the probe's exit must not stop our server: it did not own it
        assertEquals(1L, ((Number) node.scalar("SELECT count(*) FROM public.attach_marker")).longValue());
    }

    /** Runs in the second JVM. */
    public static final class AttachProbe {
        public static void main(String[] args) {
            Lab lab = Lab.connect("embedded");
            Node node = lab.node("partitioned");
            System.out.println("port=" + node.dsn().port());
            var nodes = lab.nodes();
            int row = nodes.stringColumn("node").indexOf("partitioned");
            System.out.println("started_by=" + nodes.stringColumn("started_by").get(row));
            System.out.println("marker=" + node.scalar("SELECT v FROM public.attach_marker"));
        }
    }
}
