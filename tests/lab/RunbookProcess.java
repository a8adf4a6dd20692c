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
     * Starts a main class (another lab process: a notebook holding a server, a probe, a runbook to interrupt) and leaves
     * it running; its stderr is merged into the stdout the caller reads. As from a terminal, SIGINT (Ctrl+C) reaches it:
     * a JVM started as a background job ignores SIGINT and would pass that on across exec, so there GNU {@code env
     * --default-signal=INT} puts it back (see {@link #ctrlCReachesStartedProcesses}).
     */
    static Process start(Path labHome, String mainClass, String... args) throws IOException {
        List<String> command = command(labHome, mainClass, args);
        if (SigInt.IGNORED_HERE && SigInt.ENV_RESETS_IT) command.addAll(0, List.of("env", "--default-signal=INT"));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** False only where SIGINT is ignored in this JVM and no {@code env --default-signal} can undo it for a child. */
    static boolean ctrlCReachesStartedProcesses() {
        return !SigInt.IGNORED_HERE || SigInt.ENV_RESETS_IT;
    }

    /** {@code java} on the test classpath with the tests' lab settings, running the main class with its arguments. */
    private static List<String> command(Path labHome, String mainClass, String... args) {
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

    /** Whether this JVM ignores SIGINT, and whether GNU env can restore it for a child; looked up once. */
    private static final class SigInt {
        static final boolean IGNORED_HERE = ignoredHere();
        static final boolean ENV_RESETS_IT = envResetsIt();

        /** Linux only (elsewhere false): bit 2 of SigIgn in /proc/self/status. */
        private static boolean ignoredHere() {
            Path status = Path.of("/proc/self/status");
            if (!Files.isReadable(status)) return false;
            try {
                return Files.readAllLines(status).stream()
                        .filter(l -> l.startsWith("SigIgn:"))
                        .map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16))
                        .anyMatch(mask -> (mask & (1L << (2 - 1))) != 0);
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean envResetsIt() {
            try {
                return new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
