package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * NotebookRulesTest's rules on two fixtures, so they are tested while that class waits for the lessons' rework:
 * shaped.ipynb keeps every rule, misshaped.ipynb breaks each, and each rule names exactly its cells.
 */
class NotebookRulesCheckTest {
    private static final Path FIXTURES = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().resolve("tests/fixtures/notebooks");
    private static final List<BiConsumer<NotebookFile, List<String>>> RULES = List.of(
            NotebookRulesTest::codeCellsAreShortRule, NotebookRulesTest::markdownCellsAreShortRule,
            NotebookRulesTest::everyLessonOpensWithWhatYouWillLearnAndWhatYouNeedRule,
            NotebookRulesTest::everyLessonEndsWithWhatToTakeAwayAndTryItYourselfRule, NotebookRulesTest::noWordsOfTheTrackerRule,
            NotebookRulesTest::kernelSpecIsJavaRule, NotebookRulesTest::noPackageDeclarationsRule,
            NotebookRulesTest::onlyTheMagicsBothKernelsHaveRule, NotebookRulesTest::aTablesTextPlainIsNotHtmlRule,
            NotebookRulesTest::noCellEndsWithADisplayStatementRule, NotebookRulesTest::lessonsSeeOnlyTheLabRoomRule);

    private static List<String> problems(String fixture, BiConsumer<NotebookFile, List<String>> rule) {
        List<String> problems = new ArrayList<>();
        rule.accept(NotebookFile.read(FIXTURES.resolve(fixture + ".ipynb")), problems);
        return problems;
    }

    @Test
    void aLessonOfTheRightShapeKeepsEveryRule() {
        for (var rule : RULES) assertEquals(List.of(), problems("shaped", rule));
    }

    @Test
    void eachRuleNamesTheCellsThatBreakIt() {
        assertEquals(List.of("misshaped, cell 2 (code): 13 lines (at most 12)"), problems("misshaped", NotebookRulesTest::codeCellsAreShortRule));
        assertEquals(List.of("misshaped, cell 3 (markdown): 251 words (at most 250)"), problems("misshaped", NotebookRulesTest::markdownCellsAreShortRule));
        assertEquals(List.of("misshaped: no '## What you will learn' before the first code cell",
                "misshaped: no '## What you need' before the first code cell"),
                problems("misshaped", NotebookRulesTest::everyLessonOpensWithWhatYouWillLearnAndWhatYouNeedRule));
        assertEquals(List.of("misshaped: 'What to take away' has 2 bullets (3 to 6)",
                "misshaped: 'Try it yourself' has 1 numbered exercises (2 to 4)",
                "misshaped: exercise 1 of 'Try it yourself' has no hint",
                "misshaped: 'Try it yourself' comes before 'What to take away'"),
                problems("misshaped", NotebookRulesTest::everyLessonEndsWithWhatToTakeAwayAndTryItYourselfRule));
        assertEquals(List.of("misshaped, cell 1 (markdown): 'the issue', '#19', 'ticket'"), problems("misshaped", NotebookRulesTest::noWordsOfTheTrackerRule));
        List<String> kernel = problems("misshaped", NotebookRulesTest::kernelSpecIsJavaRule);
        assertTrue(kernel.size() == 1 && kernel.get(0).startsWith("misshaped: kernelspec {") && kernel.get(0).contains("python3"), kernel.toString());
        assertEquals(List.of("misshaped, cell 2 (code): a package declaration"), problems("misshaped", NotebookRulesTest::noPackageDeclarationsRule));
        assertEquals(List.of("misshaped, cell 2 (code): %time"), problems("misshaped", NotebookRulesTest::onlyTheMagicsBothKernelsHaveRule));
        assertEquals(List.of("misshaped, cell 2 (code): 1 output(s) whose text/plain is HTML"),
                problems("misshaped", NotebookRulesTest::aTablesTextPlainIsNotHtmlRule));
        assertEquals(List.of("misshaped, cell 2 (code): ends with display(...); which shows its display id as the cell's result"),
                problems("misshaped", NotebookRulesTest::noCellEndsWithADisplayStatementRule));
        assertEquals(List.of("misshaped, cell 2 (code): names lab.cli (a lesson sees lab only: import lab.*;)"),
                problems("misshaped", NotebookRulesTest::lessonsSeeOnlyTheLabRoomRule));
    }
}
