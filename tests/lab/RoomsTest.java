package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's three rooms (see the package-info files): {@code lab} is what lessons and runbooks call, and the two
 * outer rooms, {@code lab.cli} (jbang-scripts/lab/cli) and {@code lab.notebook} (jbang-scripts/lab/notebook), build on
 * it. Read from the sources: {@code lab} never names an outer room, and no runbook's //SOURCES takes in the notebook
 * engine. (JbangFirstBuildIT checks the jar JBang builds for Maintain.java.)
 */
class RoomsTest {
    private static final Pattern OUTER_ROOM = Pattern.compile("\\blab\\s*\\.\\s*(cli|notebook)\\b");
    private static final Pattern SOURCES = Pattern.compile("^\\s*//SOURCES\\s+(.*)$");

    @Test
    void labNamesNeitherTheCommandLineNorTheNotebookEngine() throws IOException {
        Path lab = project().resolve("jbang-scripts/lab");
        List<String> problems = new ArrayList<>();
        List<Path> files = javaFiles(lab);
        assertTrue(files.size() > 30, "the lab package's sources in " + lab + ": " + files.size());
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = OUTER_ROOM.matcher(lines.get(i));
                if (m.find()) {
                    problems.add("jbang-scripts/lab/" + file.getFileName() + ":" + (i + 1) + " names lab." + m.group(1) + ": "
                            + lines.get(i).strip());
                }
            }
            if (!lines.contains("package lab;")) problems.add("jbang-scripts/lab/" + file.getFileName() + " is not in package lab");
        }
        assertEquals(List.of(), problems, "lab must not depend on lab.cli or lab.notebook (they use lab, never the reverse)");
    }

    /** The check above finds what it looks for: a line as an import of an outer room would be. */
    @Test
    void theCheckSeesAnImportOfAnOuterRoom() {
        assertTrue(OUTER_ROOM.matcher("import lab.cli.Cli;").find());
        assertTrue(OUTER_ROOM.matcher("        lab.notebook.Course.main(args);").find());
        assertFalse(OUTER_ROOM.matcher("import lab.Claim; // a client's cli").find());
    }

    @Test
    void noRunbookCompilesTheNotebookEngine() throws IOException {
        Path scripts = project().resolve("jbang-scripts");
        List<Path> engine = javaFiles(scripts.resolve("lab/notebook"));
        assertTrue(engine.stream().anyMatch(f -> f.getFileName().toString().equals("NotebookRunner.java")), "the engine's sources: " + engine);
        List<Path> runbooks = javaFiles(scripts);
        assertTrue(runbooks.stream().anyMatch(f -> f.getFileName().toString().equals("Maintain.java")), "the runbooks: " + runbooks);
        List<String> problems = new ArrayList<>();
        for (Path runbook : runbooks) {
            List<String> globs = sources(runbook);
            if (globs.isEmpty()) problems.add(runbook.getFileName() + " has no //SOURCES");
            for (String glob : globs) {
                if (glob.startsWith("lab/notebook")) problems.add(runbook.getFileName() + ": //SOURCES " + glob);
            }
            for (Path file : libraryFilesOf(runbook)) {
                if (engine.contains(file)) problems.add(runbook.getFileName() + ": //SOURCES take in lab/notebook/" + file.getFileName());
            }
        }
        assertEquals(List.of(), problems, "runbooks compile lab and lab/cli, never the notebook engine");
    }

    /** A runbook's //SOURCES entries, as written (relative to jbang-scripts). */
    static List<String> sources(Path runbook) throws IOException {
        List<String> globs = new ArrayList<>();
        for (String line : Files.readAllLines(runbook, StandardCharsets.UTF_8)) {
            Matcher m = SOURCES.matcher(line);
            if (m.matches()) globs.addAll(List.of(m.group(1).trim().split("[\\s,]+")));
        }
        return globs;
    }

    /** The files below jbang-scripts/lab that a runbook's //SOURCES take in (what JBang compiles with it). */
    static Set<Path> libraryFilesOf(Path runbook) throws IOException {
        Path scripts = runbook.getParent();
        Set<Path> files = new TreeSet<>();
        for (String glob : sources(runbook)) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            try (Stream<Path> all = Files.walk(scripts.resolve("lab"))) {
                all.filter(f -> f.toString().endsWith(".java") && matcher.matches(scripts.relativize(f))).forEach(files::add);
            }
        }
        return files;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    private static Path project() {
        return Settings.projectDir().orElseThrow(() -> new AssertionError("no project folder (lab.project)"));
    }
}
