package lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A runbook run the way a user runs it: in a JVM of its own (so its exit code is real) on the test classpath, with
 * the tests' LAB_HOME, so that it attaches to the embedded servers the test JVM started. Tests that need another
 * lab process (a second notebook, say) start their own main classes the same way.
 */
final class RunbookProcess {
    private RunbookProcess() {}

    /**
     * Starts a main class (another lab process: a notebook holding a server, a probe) and leaves it running; its
     * stderr is merged into the stdout the caller reads.
     */
    static Process start(Path labHome, String mainClass, String... args) throws IOException {
        return new ProcessBuilder(command(labHome, mainClass, args)).redirectErrorStream(true).start();
    }

    /** {@code java} on the test classpath with the tests' lab settings, running the main class with its arguments. */
    static List<String> command(Path labHome, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlab.home=" + labHome,
                "-Dlab.scale=" + Settings.get("LAB_SCALE", "ci")));
        Settings.projectDir().ifPresent(dir -> command.add("-Dlab.project=" + dir));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String runbook, String... args) {
        return runWithHome(Settings.labHome(), runbook, args);
    }

    /** With a LAB_HOME of the test's choosing, for runbooks that must not touch the shared test servers. */
    static Result runWithHome(Path labHome, String runbook, String... args) {
        List<String> command = command(labHome, runbook, args);
        try {
            Path out = Files.createTempFile("runbook", ".out");
            Path err = Files.createTempFile("runbook", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError(runbook + " did not finish in 5 minutes: " + String.join(" ", args));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
