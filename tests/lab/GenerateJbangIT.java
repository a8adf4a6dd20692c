package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code jbang scripts/Generate.java --help} through a real JBang: the runbook's //SOURCES and //DEPS resolve. */
class GenerateJbangIT {
    @Test
    void helpWorksThroughJBang() throws IOException, InterruptedException {
        Optional<String> jbang = jbang();
        assumeTrue(jbang.isPresent(), "no jbang command on PATH and JBANG not set: the JBang check is skipped");
        Path project = Settings.projectDir().orElseThrow(() -> new AssertionError("no project folder (lab.project)"));
        Path out = Files.createTempFile("jbang", ".out");
        try {
            // the first run resolves the runbook's dependencies, which may take a while on a fresh machine
            Process p = new ProcessBuilder(jbang.get(), "scripts/Generate.java", "--help")
                    .directory(project.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("jbang scripts/Generate.java --help did not finish in 10 minutes");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("Usage: Generate") && output.contains("--per-month"), output);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Optional<String> jbang() {
        String configured = System.getenv("JBANG");
        if (configured != null && !configured.isBlank()) return Optional.of(configured);
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "jbang"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
