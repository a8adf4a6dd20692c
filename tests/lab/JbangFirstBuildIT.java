package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * A runbook's first run builds it, and javac's warnings (Load's sun.misc.Signal, say) used to come out before the
 * one-line error of a bad input. The //JAVAC_OPTIONS in jbang-scripts/lab/Dependencies.java keep that build quiet.
 */
class JbangFirstBuildIT {
    private static final Pattern JAVAC_OPTIONS = Pattern.compile("^\\s*//JAVAC_OPTIONS\\s+(.*)$");

    /**
     * On a JBang cache of its own (so it is built now), a bad option gives exactly one line on stderr. Load is the
     * runbook javac had words for; building all of them afresh takes minutes, so the test below covers the others.
     */
    @Test
    void badInputOnAFreshCachePrintsOneLine() throws IOException, InterruptedException {
        Optional<String> jbang = Jbang.command();
        assumeTrue(jbang.isPresent(), Jbang.MISSING);
        Path cache = Files.createTempDirectory("jbang-cache");
        List<String> problems = new ArrayList<>();
        try {
            for (String runbook : List.of("scripts/Load.java")) {
                Jbang.Result r = Jbang.run(jbang.get(), Map.of("JBANG_CACHE_DIR", cache.toString()),
                        "--quiet", runbook, "--no-such-option");
                List<String> err = r.err().lines().toList();
                if (r.exitCode() != 2 || err.size() != 1 || !err.get(0).startsWith("error: ") || !r.out().isEmpty()) {
                    problems.add("jbang --quiet " + runbook + " --no-such-option on a fresh cache: " + r);
                }
            }
        } finally {
            deleteTree(cache);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * The same build without JBang, for every runbook: the JDK's javac (as JBang runs it, a process of its own) with
     * the runbooks' //JAVAC_OPTIONS prints nothing.
     */
    @Test
    void runbooksCompileSilentlyWithTheirJavacOptions() throws IOException, InterruptedException {
        Path project = Settings.projectDir().orElseThrow(() -> new AssertionError("no project folder (lab.project)"));
        List<String> options = javacOptions(project.resolve("jbang-scripts/lab/Dependencies.java"));
        assertTrue(options.contains("-nowarn"), "Dependencies.java's //JAVAC_OPTIONS should hold -nowarn: " + options);
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        assumeTrue(Files.isExecutable(javac), "no javac in " + System.getProperty("java.home") + " (a JRE)");
        Path classes = Files.createTempDirectory("runbook-classes");
        Path output = Files.createTempFile("javac", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(javac.toString()));
            command.addAll(options);
            command.addAll(List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString()));
            librarySources(project).forEach(p -> command.add(p.toString()));
            runbooks().forEach(r -> command.add(project.resolve(r).toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("javac did not finish in 5 minutes");
            }
            String said = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "the runbooks do not compile:\n" + said);
            assertEquals("", said, "javac " + String.join(" ", options) + " should say nothing");
        } finally {
            Files.deleteIfExists(output);
            deleteTree(classes);
        }
    }

    /**
     * A JBang build of Maintain.java compiles the library and its command line, never the notebook engine: the jar it
     * caches holds lab/ and lab/cli/ classes and no lab/notebook/ one.
     */
    @Test
    void maintainsJbangBuildHasNoNotebookEngine() throws IOException, InterruptedException {
        Optional<String> jbang = Jbang.command();
        assumeTrue(jbang.isPresent(), Jbang.MISSING);
        Path cache = Files.createTempDirectory("jbang-cache");
        try {
            Jbang.Result r = Jbang.run(jbang.get(), Map.of("JBANG_CACHE_DIR", cache.toString()),
                    "--quiet", "build", "scripts/Maintain.java");
            assertEquals(0, r.exitCode(), "jbang build scripts/Maintain.java: " + r);
            List<Path> jars;
            try (Stream<Path> files = Files.walk(cache.resolve("jars"))) {
                jars = files.filter(f -> f.getFileName().toString().equals("Maintain.jar")).toList();
            }
            assertEquals(1, jars.size(), "the jar JBang cached for Maintain.java in " + cache + ": " + jars);
            List<String> classes;
            try (ZipFile jar = new ZipFile(jars.get(0).toFile())) {
                classes = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
            }
            assertTrue(classes.contains("Maintain.class"), "Maintain.jar: " + classes);
            assertTrue(classes.contains("lab/MaintenanceService.class"), "Maintain.jar holds the library: " + classes);
            assertTrue(classes.contains("lab/cli/Cli.class") && classes.contains("lab/cli/MaintainCommand.class"),
                    "Maintain.jar holds the command line: " + classes);
            assertEquals(List.of(), classes.stream().filter(n -> n.startsWith("lab/notebook/")).toList(),
                    "Maintain.jar must hold no class of the notebook engine");
        } finally {
            deleteTree(cache);
        }
    }

    /** What the runbooks' //SOURCES take in of jbang-scripts/lab, each file once. */
    private static List<Path> librarySources(Path project) throws IOException {
        Path scripts = project.resolve("jbang-scripts");
        Set<Path> files = new TreeSet<>();
        for (String runbook : runbooks()) files.addAll(RoomsTest.libraryFilesOf(scripts.resolve(Path.of(runbook).getFileName())));
        assertTrue(files.contains(scripts.resolve("lab/cli/Cli.java")), "the runbooks' //SOURCES: " + files);
        return List.copyOf(files);
    }

    private static List<String> runbooks() throws IOException {
        Path project = Settings.projectDir().orElseThrow(() -> new AssertionError("no project folder (lab.project)"));
        try (Stream<Path> files = Files.list(project.resolve("jbang-scripts"))) {
            return files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f))
                    .map(f -> "scripts/" + f.getFileName())
                    .sorted()
                    .toList();
        }
    }

    private static List<String> javacOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = JAVAC_OPTIONS.matcher(line);
            if (m.matches()) options.addAll(List.of(m.group(1).trim().split("\\s+")));
        }
        return options;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
