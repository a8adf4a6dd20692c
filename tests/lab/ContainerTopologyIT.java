package lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import lab.notebook.NotebookRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The range lesson on the images docker-compose.yml uses, started by Testcontainers: plain and partitioned on two
 * separate servers (as in compose), reached through the dsn topology. Skips where no Docker engine runs.
 */
class ContainerTopologyIT {
    private static final String IMAGE = "postgres:17";

    static {
        Logs.quiet(); // Testcontainers logs every step of its start at INFO
    }

    @Test
    void rangeLessonRunsOnSeparateContainerServers() {
        Assumptions.assumeTrue(dockerAvailable(), "no Docker engine here: Testcontainers cannot start " + IMAGE);
        try (var plain = new PostgreSQLContainer<>(IMAGE).withUsername("app").withPassword("app").withDatabaseName("app");
             var partitioned = new PostgreSQLContainer<>(IMAGE).withUsername("app").withPassword("app").withDatabaseName("app")) {
            plain.start();
            partitioned.start();
            System.setProperty("lab.topology", "dsn");
            System.setProperty("lab.dsn.plain", url(plain));
            System.setProperty("lab.dsn.partitioned", url(partitioned));
            Path lesson = Path.of(System.getProperty("lab.project", ".")).resolve("notebooks/01-range-partitioning.ipynb");
            NotebookRunner.Run run = NotebookRunner.run(lesson);
            System.out.println(run.verdict());
            run.orThrow();
            assertTrue(run.claims() > 0, "the lesson checked no claim");
        } finally {
            System.clearProperty("lab.topology");
            System.clearProperty("lab.dsn.plain");
            System.clearProperty("lab.dsn.partitioned");
            Lab.connect("embedded"); // later tests in this JVM expect the default topology
        }
    }

    private static String url(PostgreSQLContainer<?> c) {
        return new Dsn(c.getHost(), c.getMappedPort(5432), "app", "app", "app", null).url(true);
    }

    /** Whether a Docker engine answers (shared by the container tests). */
    static boolean dockerAvailable() {
        // Asked first without Testcontainers, which logs a screenful of errors when there is no engine.
        if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))) return false;
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
