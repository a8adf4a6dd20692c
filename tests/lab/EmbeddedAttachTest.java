package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A second JVM (another notebook, a runbook) attaches to the server this one started, and sees its data. */
class EmbeddedAttachTest {
    @Test
    void secondJvmAttachesInsteadOfStartingAnother() throws Exception {
        Node node = Lab.connect("embedded").node("partitioned");
        node.query("CREATE TABLE IF NOT EXISTS public.attach_marker (v text)");
        node.query("TRUNCATE public.attach_marker");
        node.query("INSERT INTO public.attach_marker VALUES ('from the first JVM')");

        var probe = RunbookProcess.run(AttachProbe.class.getName());
        assertEquals(0, probe.exitCode(), probe::toString);
        List<String> lines = probe.out().strip().lines().toList();
        assertEquals("port=" + node.dsn().port(), lines.get(lines.size() - 3), probe::toString);
        assertEquals("started_by=another process", lines.get(lines.size() - 2), probe::toString);
        assertEquals("marker=from the first JVM", lines.get(lines.size() - 1), probe::toString);
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
