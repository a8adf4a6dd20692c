package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.cli.CitusCommand;
import lab.cli.Cli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Citus journey on the image docker-compose.yml runs, started by Testcontainers: a coordinator and three workers
 * on a network of their own, where they reach each other by alias on port 5432 (LAB_PEER_*), reached by the lab
 * through the dsn topology. Skips where no Docker engine runs.
 */
class CitusContainersIT {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();

    static {
        Logs.quiet();
    }

    @Test
    void theWholeJourneyRunsOnTheComposeImage() throws IOException {
        String image = composeImage();
        Assumptions.assumeTrue(ContainerTopologyIT.dockerAvailable(), "no Docker engine here: Testcontainers cannot start " + image);
        List<PostgreSQLContainer<?>> nodes = new ArrayList<>();
        try (Network network = Network.newNetwork()) {
            for (String node : Topology.CITUS_NODES) {
                var container = new PostgreSQLContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                        .withUsername("app").withPassword("app").withDatabaseName("app")
                        .withEnv("PGUSER", "app").withEnv("PGPASSWORD", "app")
                        .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20", "-c", "max_wal_senders=20")
                        .withNetwork(network).withNetworkAliases(node);
                nodes.add(container);
                container.start();
                System.setProperty("lab.dsn." + node, new Dsn(container.getHost(), container.getMappedPort(5432), "app", "app", "app", null).url(true));
                System.setProperty("lab.peer." + node, node + ":5432");
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Cli.run(new CitusCommand(), new PrintWriter(out), new PrintWriter(err),
                    "all", "--confirm", "--blocking", "--scale", "ci", "--topology", "dsn");
            assertEquals(0, exit, err + "\n" + out);
            Citus citus = Citus.on(Lab.connect("dsn"));
            assertTrue(citus.monitor().sameRowsAsBaseline(), citus.monitor().fingerprints()::toString);
            assertTrue(citus.monitor().state().citusTables().isEmpty(), citus.monitor().state()::toString);
        } finally {
            nodes.forEach(PostgreSQLContainer::stop);
            for (String node : Topology.CITUS_NODES) {
                System.clearProperty("lab.dsn." + node);
                System.clearProperty("lab.peer." + node);
            }
            Lab.connect("embedded"); // later tests in this JVM expect the default topology
        }
    }

    /** The Citus image docker-compose.yml names (ComposeFileTest keeps every Citus service on the same one). */
    private static String composeImage() throws IOException {
        Matcher m = Pattern.compile("image: (citusdata/citus:\\S+)").matcher(Files.readString(PROJECT.resolve("docker-compose.yml")));
        assertTrue(m.find(), "docker-compose.yml names no citusdata/citus image");
        return m.group(1);
    }
}
