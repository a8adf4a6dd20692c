package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmbeddedTopologyTest {
    @Test
    void partitionedNodeIsARealPostgres17Server() {
        Node node = Lab.connect("embedded").node("partitioned");
        String version = node.serverVersion();
        assertTrue(version.startsWith("17."), version);
        assertEquals("app", node.scalar("SELECT current_user"));
        assertEquals(1L, ((Number) node.scalar("SELECT 1")).longValue());
    }
}
