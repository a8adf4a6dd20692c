package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopologyTest {
    @AfterEach
    void clearProperties() {
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("lab.dsn.")).forEach(System::clearProperty);
    }

    @Test
    void dsnTopologyNamesTheBadVariable() {
        System.setProperty("lab.dsn.shard1", "mysql://nope");
        var e = assertThrows(BadInput.class, () -> Topology.of("dsn"));
        assertTrue(e.getMessage().startsWith("LAB_DSN_SHARD1 "), e.getMessage());
    }

    @Test
    void dsnTopologyNamesAMissingNode() {
        System.setProperty("lab.dsn.plain", "postgresql://app:secret@db.example:6543/app");
        Topology t = Topology.of("dsn");
        assertEquals("jdbc:postgresql://db.example:6543/app", t.node("plain").dsn().jdbcUrl());
        assertEquals("secret", t.node("plain").dsn().password());
        var e = assertThrows(BadInput.class, () -> t.node("shard2"));
        assertTrue(e.getMessage().startsWith("LAB_DSN_SHARD2 is not set"), e.getMessage());
    }

    @Test
    void unknownNodeAndTopologyAreBadInput() {
        assertThrows(BadInput.class, () -> Topology.of("kubernetes"));
        assertThrows(BadInput.class, () -> Topology.of("compose").node("shard9"));
    }

    @Test
    void composeUsesTheSeedPorts() {
        Topology t = Topology.of("compose");
        assertEquals(54322, t.node("partitioned").dsn().port());
        assertEquals(54325, t.node("coordinator").dsn().port());
        assertEquals("app", t.node("shard1").dsn().user());
    }

    @Test
    void dsnParsing() {
        Dsn d = Dsn.parse("postgres://u%40x:p%3Aw@h:1/db?sslmode=disable", "--dsn");
        assertEquals("u@x", d.user());
        assertEquals("p:w", d.password());
        assertEquals("jdbc:postgresql://h:1/db?sslmode=disable", d.jdbcUrl());
        assertEquals(5432, Dsn.parse("jdbc:postgresql://h/db", "x").port());
        assertTrue(assertThrows(BadInput.class, () -> Dsn.parse("postgresql://h:1/", "--dsn")).getMessage().startsWith("--dsn"));
    }
}
