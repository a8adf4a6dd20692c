package lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real JBang for the tests that run runbooks as a user does: the JBANG variable, else {@code jbang} on the PATH. */
final class Jbang {
    private Jbang() {}

    /** Why a JBang test skips where there is none. */
    static final String MISSING = "no jbang command on PATH and JBANG not set (CI links .ci/jbang onto the PATH)";

    static Optional<String> command() {
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

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs {@code jbang <args>} in the project folder with extra environment variables; stdout and stderr apart. The
     * first run of a runbook resolves its dependencies, which may take minutes on a fresh machine.
     */
    static Result run(String jbang, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path project = Settings.projectDir().orElseThrow(() -> new AssertionError("no project folder (lab.project)"));
        List<String> command = new ArrayList<>(List.of(jbang));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jbang", ".out");
        Path err = Files.createTempFile("jbang", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("jbang " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
