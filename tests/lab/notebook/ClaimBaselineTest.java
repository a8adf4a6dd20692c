package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The claims a lesson checks never drop below tests/fixtures/claim-baseline.properties: counted here in the committed
 * outputs (the "✔ " lines Claim prints), and in NotebookReplayIT on each replay.
 */
class ClaimBaselineTest {
    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();
    static final Path BASELINE = PROJECT.resolve("tests/fixtures/claim-baseline.properties");

    /** Lesson name(s) -> claims at least; a key "a+b" is a lesson split in two, compared by the sum of its parts. */
    static Map<String, Integer> baseline() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(BASELINE)) {
            p.load(r);
        }
        Map<String, Integer> baseline = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> baseline.put(k, Integer.parseInt(p.getProperty(k).trim())));
        return baseline;
    }

    /** Every baseline line whose lesson(s) check fewer claims than recorded, one problem a line; {@code claims} counts a lesson's. */
    static List<String> drops(Map<String, Integer> baseline, ToIntFunction<String> claims) {
        List<String> problems = new ArrayList<>();
        baseline.forEach((lessons, atLeast) -> {
            int now = 0;
            for (String lesson : lessons.split("\\+")) now += claims.applyAsInt(lesson.strip());
            if (now < atLeast) problems.add(lessons + ": " + now + " claims checked, " + atLeast + " before");
        });
        return problems;
    }

    /** The claims checked in a notebook's recorded outputs. */
    static int claimsIn(NotebookFile notebook) {
        return notebook.codeCells().stream().mapToInt(cell -> NotebookRunner.claimsIn(cell.outputs())).sum();
    }

    @Test
    void everyLessonInTheBaselineExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String lessons : baseline().keySet()) {
            for (String lesson : lessons.split("\\+")) {
                if (!Files.isRegularFile(PROJECT.resolve("notebooks").resolve(lesson.strip() + ".ipynb"))) missing.add(lesson.strip());
            }
        }
        assertEquals(List.of(), missing, "lessons in " + BASELINE.getFileName() + " that notebooks/ lacks: a renamed or split lesson moves its line");
    }

    @Test
    void theCommittedOutputsCheckAtLeastTheBaselinesClaims() throws IOException {
        Map<String, Integer> baseline = baseline();
        assertTrue(baseline.size() >= 10, "the baseline lists the course's lessons: " + baseline);
        List<String> drops = drops(baseline, lesson -> {
            Path file = PROJECT.resolve("notebooks").resolve(lesson + ".ipynb");
            return Files.isRegularFile(file) ? claimsIn(NotebookFile.read(file)) : 0;
        });
        assertEquals("", String.join("\n", drops), "fewer claims checked than before the rework (" + BASELINE.getFileName() + "):");
    }

    @Test
    void aDropIsReportedWithBothCounts() {
        Map<String, Integer> baseline = new LinkedHashMap<>(Map.of("07-a+07-b", 10));
        assertEquals(List.of("07-a+07-b: 9 claims checked, 10 before"), drops(baseline, l -> l.equals("07-a") ? 4 : 5));
        assertEquals(List.of(), drops(baseline, l -> 5));
    }
}
