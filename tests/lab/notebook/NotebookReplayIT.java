package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every lesson in notebooks/ replayed on real servers (at the build's LAB_SCALE, ci by default, with the build's own
 * LAB_HOME), one test per notebook; a failing cell fails its test with the runner's message. The executed copies go
 * to target/replay/ for a look at what each cell showed. A lesson checks at least the claims its line in
 * tests/fixtures/claim-baseline.properties records.
 */
class NotebookReplayIT {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();

    @TestFactory
    Stream<DynamicTest> everyLessonReplays() throws IOException {
        List<Path> lessons = lessons(PROJECT.resolve("notebooks"));
        if (lessons.isEmpty()) {
            return Stream.of(dynamicTest("no lessons yet", () -> Assumptions.abort("notebooks/ holds no *.ipynb to replay")));
        }
        // The lessons' first cell is %classpath ../target/lab/*.jar, which exists from `package` on (failsafe runs then).
        if (!Files.isDirectory(PROJECT.resolve("target/lab"))) {
            return Stream.of(dynamicTest("lessons", () -> Assumptions.abort("target/lab is missing: the lessons replay after `package` (mvn verify)")));
        }
        return lessons.stream().map(lesson -> dynamicTest(lesson.getFileName().toString(), lesson.toUri(), () -> {
            NotebookRunner.Run run = NotebookRunner.run(lesson);
            run.executed().write(PROJECT.resolve("target/replay").resolve(lesson.getFileName()));
            System.out.println(run.verdict());
            run.orThrow();
            run.skipped().ifPresent(reason -> Assumptions.abort(lesson.getFileName() + " skipped: " + reason));
            // A lesson split in two is compared on the committed outputs only (ClaimBaselineTest sums its parts).
            Integer atLeast = ClaimBaselineTest.baseline().get(run.executed().name());
            assertTrue(atLeast == null || run.claims() >= atLeast, run.executed().name() + ": " + run.claims()
                    + " claims checked, " + atLeast + " before the rework (tests/fixtures/claim-baseline.properties)");
        }));
    }

    /**
     * The range lesson with one claim made false, as a lesson drifting from PostgreSQL's behaviour would be: the
     * replay stops at that cell and says which notebook, which cell, what source and which claim.
     */
    @Test
    void aLessonWithABrokenCellFailsNamingTheCell() throws IOException {
        Path original = PROJECT.resolve("notebooks/01-range-partitioning.ipynb");
        Assumptions.assumeTrue(Files.isDirectory(PROJECT.resolve("target/lab")), "target/lab is missing: run after `package`");
        String json = Files.readString(original);
        String claim = "june.partitionsScanned() == 1";
        assertTrue(json.contains(claim), "the lesson no longer has the claim this test breaks");
        Path broken = PROJECT.resolve("target/broken-lesson/01-range-partitioning.ipynb");
        Files.createDirectories(broken.getParent());
        // target/broken-lesson/../lab is target/lab, where the real lesson's ../target/lab points from notebooks/
        Files.writeString(broken, json.replace(claim, "june.partitionsScanned() == 2")
                .replace("%classpath ../target/lab/*.jar", "%classpath ../lab/*.jar"));

        NotebookRunner.Run run = NotebookRunner.run(broken);
        assertFalse(run.passed());
        String message = assertThrows(NotebookFailure.class, run::orThrow).getMessage();
        assertTrue(message.startsWith("01-range-partitioning.ipynb, code cell 11 "), message);
        assertTrue(message.contains("june.partitionsScanned() == 2"), "the cell's source is shown: " + message);
        assertTrue(message.contains("claim does not hold: June in app.events: 1 of 13 partitions scanned"), message);
    }

    /** The lessons, in name order (the course's order). */
    static List<Path> lessons(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }
}
