package lab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape every lesson in notebooks/ shares (DESIGN.md, "Notebooks and the IJava kernel"), one rule a test, each
 * listing every offending cell ({@code lesson, cell N: what}, N counting all cells from 1, as Jupyter shows them):
 * <ul>
 *   <li>a code cell has at most {@value #MAX_CODE_LINES} lines; a markdown cell at most {@value #MAX_MARKDOWN_WORDS}
 *       words (a word holds a letter or a digit, so table rules and list marks do not count);</li>
 *   <li>a lesson opens, in markdown before its first code cell, with the headings {@code ## What you will learn} and
 *       {@code ## What you need} (the lessons before it, the servers it starts);</li>
 *   <li>it ends with {@code ## What to take away} (3 to 6 bullets, {@code - }) and then {@code ## Try it yourself}
 *       (2 to 4 numbered exercises, {@code 1. }, each followed by its hint: a line with "Hint", such as
 *       {@code <details><summary>Hint</summary>...</details>}); a {@code ## More} section may follow them;</li>
 *   <li>no words of the project's tracker: "the issue", "issue 19", "ticket", "tracker", task numbers such as
 *       {@code #19} (the health table's column {@code issues} is not one);</li>
 *   <li>kernel spec {@code java} (language {@code java}); no {@code package} declarations; only the magics IJava 1.3
 *       and JJava share ({@code %classpath %jars %maven %load %loadFromPOM}, {@code %%loadFromPOM});</li>
 *   <li>the committed outputs: a table's text/plain is not HTML (a terminal, nbconvert to markdown or an IDE preview
 *       shows text/plain), so a lesson shows tables with {@code display(Render.table(t))} or
 *       {@code render(Render.table(t))};</li>
 *   <li>a code cell names only the library's {@code lab} room ({@code import lab.*;}), never {@code lab.cli} (the
 *       runbooks' command line) or {@code lab.notebook} (the replay engine);</li>
 *   <li>no code cell ends with a {@code display(x);} statement: IJava, JJava and the replay all take its value, the
 *       display id, as the cell's result and show it under the output; a cell ends with {@code x} or
 *       {@code render(x)} instead.</li>
 * </ul>
 * The headings are matched at level 2 or 3, exactly as written here.
 */
class NotebookRulesTest {
    static final int MAX_CODE_LINES = 12;
    static final int MAX_MARKDOWN_WORDS = 250;
    static final String LEARN = "What you will learn";
    static final String NEED = "What you need";
    static final String TAKE_AWAY = "What to take away";
    static final String TRY = "Try it yourself";
    static final Set<String> LINE_MAGICS = Set.of("classpath", "jars", "maven", "load", "loadFromPOM");
    static final Set<String> CELL_MAGICS = Set.of("loadFromPOM");

    private static final Path PROJECT = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("\\S*[\\p{L}\\p{N}]\\S*");
    /** "the issue", "issue 19", "ticket", "tracker", "#19"; not the word "issues" alone (the health table's column). */
    private static final Pattern TRACKER = Pattern.compile(
            "(?i)\\b(the|this|that|our) issue\\b|\\bissues? #?\\d+\\b|\\btickets?\\b|\\btracker\\b|(?<![&\\w])#\\d+\\b");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+[\\w.]+\\s*;");
    private static final Pattern MAGIC = Pattern.compile("(?m)^\\s*(%%?)(\\w+)");
    /** The library's rooms a lesson does not see. */
    private static final Pattern OUTER_ROOM = Pattern.compile("\\blab\\.(cli|notebook)\\b");
    /** A last line that is a whole {@code display(...);} statement. */
    private static final Pattern LAST_DISPLAY = Pattern.compile("(?m)^\\s*display\\(.*\\);\\s*\\z");

    @Test
    void codeCellsAreShort() throws IOException {
        check(NotebookRulesTest::codeCellsAreShortRule);
    }

    static void codeCellsAreShortRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            int lines = lines(cell.source());
            if (lines > MAX_CODE_LINES) problems.add(where(lesson, cell) + lines + " lines (at most " + MAX_CODE_LINES + ")");
        }
    }

    @Test
    void markdownCellsAreShort() throws IOException {
        check(NotebookRulesTest::markdownCellsAreShortRule);
    }

    static void markdownCellsAreShortRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : markdown(lesson)) {
            int words = words(cell.source());
            if (words > MAX_MARKDOWN_WORDS) problems.add(where(lesson, cell) + words + " words (at most " + MAX_MARKDOWN_WORDS + ")");
        }
    }

    @Test
    void everyLessonOpensWithWhatYouWillLearnAndWhatYouNeed() throws IOException {
        check(NotebookRulesTest::everyLessonOpensWithWhatYouWillLearnAndWhatYouNeedRule);
    }

    static void everyLessonOpensWithWhatYouWillLearnAndWhatYouNeedRule(NotebookFile lesson, List<String> problems) {
        StringBuilder opening = new StringBuilder();
        for (NotebookFile.Cell cell : lesson.cells()) {
            if (cell.isCode()) break;
            opening.append(cell.source()).append('\n');
        }
        for (String heading : List.of(LEARN, NEED)) {
            if (section(opening.toString(), heading) == null) problems.add(lesson.name() + ": no '## " + heading + "' before the first code cell");
        }
    }

    @Test
    void everyLessonEndsWithWhatToTakeAwayAndTryItYourself() throws IOException {
        check(NotebookRulesTest::everyLessonEndsWithWhatToTakeAwayAndTryItYourselfRule);
    }

    static void everyLessonEndsWithWhatToTakeAwayAndTryItYourselfRule(NotebookFile lesson, List<String> problems) {
        String text = String.join("\n", markdown(lesson).stream().map(NotebookFile.Cell::source).toList());
        String takeAway = section(text, TAKE_AWAY);
        String tryIt = section(text, TRY);
        if (takeAway == null) {
            problems.add(lesson.name() + ": no '## " + TAKE_AWAY + "'");
        } else {
            long bullets = takeAway.lines().filter(l -> l.matches("\\s{0,3}[-*] .*")).count();
            if (bullets < 3 || bullets > 6) problems.add(lesson.name() + ": '" + TAKE_AWAY + "' has " + bullets + " bullets (3 to 6)");
        }
        if (tryIt == null) {
            problems.add(lesson.name() + ": no '## " + TRY + "'");
        } else {
            List<String> exercises = exercises(tryIt);
            if (exercises.size() < 2 || exercises.size() > 4) {
                problems.add(lesson.name() + ": '" + TRY + "' has " + exercises.size() + " numbered exercises (2 to 4)");
            }
            for (int i = 0; i < exercises.size(); i++) {
                if (!exercises.get(i).contains("Hint")) problems.add(lesson.name() + ": exercise " + (i + 1) + " of '" + TRY + "' has no hint");
            }
        }
        if (takeAway != null && tryIt != null && headingAt(text, TAKE_AWAY) > headingAt(text, TRY)) {
            problems.add(lesson.name() + ": '" + TRY + "' comes before '" + TAKE_AWAY + "'");
        }
    }

    @Test
    void noWordsOfTheTracker() throws IOException {
        check(NotebookRulesTest::noWordsOfTheTrackerRule);
    }

    static void noWordsOfTheTrackerRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.cells()) {
            Matcher m = TRACKER.matcher(cell.source());
            List<String> found = new ArrayList<>();
            while (m.find()) found.add("'" + m.group() + "'");
            if (!found.isEmpty()) problems.add(where(lesson, cell) + String.join(", ", found));
        }
    }

    @Test
    void kernelSpecIsJava() throws IOException {
        check(NotebookRulesTest::kernelSpecIsJavaRule);
    }

    static void kernelSpecIsJavaRule(NotebookFile lesson, List<String> problems) {
        JsonNode kernelspec = metadata(lesson).path("kernelspec");
        if (!kernelspec.path("name").asText().equals("java") || !kernelspec.path("language").asText().equals("java")) {
            problems.add(lesson.name() + ": kernelspec " + kernelspec + " (name and language must be java)");
        }
    }

    @Test
    void noPackageDeclarations() throws IOException {
        check(NotebookRulesTest::noPackageDeclarationsRule);
    }

    static void noPackageDeclarationsRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            if (PACKAGE.matcher(cell.source()).find()) problems.add(where(lesson, cell) + "a package declaration");
        }
    }

    @Test
    void onlyTheMagicsBothKernelsHave() throws IOException {
        check(NotebookRulesTest::onlyTheMagicsBothKernelsHaveRule);
    }

    static void onlyTheMagicsBothKernelsHaveRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            Matcher m = MAGIC.matcher(cell.source());
            while (m.find()) {
                boolean cellMagic = m.group(1).equals("%%");
                if (!(cellMagic ? CELL_MAGICS : LINE_MAGICS).contains(m.group(2))) problems.add(where(lesson, cell) + m.group(1) + m.group(2));
            }
        }
    }

    @Test
    void aTablesTextPlainIsNotHtml() throws IOException {
        check(NotebookRulesTest::aTablesTextPlainIsNotHtmlRule);
    }

    static void aTablesTextPlainIsNotHtmlRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            int markup = 0;
            for (JsonNode output : cell.outputs()) {
                String plain = NotebookFile.joinLines(output.path("data").path("text/plain")).strip();
                if (output.path("data").has("text/html") && plain.startsWith("<")) markup++;
            }
            if (markup > 0) problems.add(where(lesson, cell) + markup + " output(s) whose text/plain is HTML");
        }
    }

    @Test
    void noCellEndsWithADisplayStatement() throws IOException {
        check(NotebookRulesTest::noCellEndsWithADisplayStatementRule);
    }

    static void noCellEndsWithADisplayStatementRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            if (LAST_DISPLAY.matcher(cell.source()).find()) {
                problems.add(where(lesson, cell) + "ends with display(...); which shows its display id as the cell's result");
            }
        }
    }

    @Test
    void lessonsSeeOnlyTheLabRoom() throws IOException {
        check(NotebookRulesTest::lessonsSeeOnlyTheLabRoomRule);
    }

    static void lessonsSeeOnlyTheLabRoomRule(NotebookFile lesson, List<String> problems) {
        for (NotebookFile.Cell cell : lesson.codeCells()) {
            Matcher m = OUTER_ROOM.matcher(cell.source());
            if (m.find()) problems.add(where(lesson, cell) + "names " + m.group() + " (a lesson sees lab only: import lab.*;)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Runs the rule on every lesson and fails with every problem found, one a line. */
    private static void check(BiConsumer<NotebookFile, List<String>> rule) throws IOException {
        List<Path> lessons = NotebookReplayIT.lessons(PROJECT.resolve("notebooks"));
        assertFalse(lessons.isEmpty(), "notebooks/ holds no lessons");
        List<String> problems = new ArrayList<>();
        for (Path lesson : lessons) rule.accept(NotebookFile.read(lesson), problems);
        assertEquals("", String.join("\n", problems), problems.size() + " cell(s) or lesson(s) break the rule:");
    }

    private static String where(NotebookFile lesson, NotebookFile.Cell cell) {
        return lesson.name() + ", cell " + cell.number() + " (" + (cell.isCode() ? "code" : "markdown") + "): ";
    }

    private static List<NotebookFile.Cell> markdown(NotebookFile lesson) {
        return lesson.cells().stream().filter(c -> !c.isCode()).toList();
    }

    private static JsonNode metadata(NotebookFile lesson) {
        try {
            return JSON.readTree(lesson.toJson()).path("metadata");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines of a cell's source, a trailing newline not counting as one more. */
    static int lines(String source) {
        String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        return s.isBlank() ? 0 : s.split("\n", -1).length;
    }

    static int words(String text) {
        int n = 0;
        for (Matcher m = WORD.matcher(text); m.find(); ) n++;
        return n;
    }

    private static Matcher heading(String markdown, String title) {
        return Pattern.compile("(?m)^#{2,3} " + Pattern.quote(title) + "[ \\t]*$").matcher(markdown);
    }

    private static int headingAt(String markdown, String title) {
        Matcher m = heading(markdown, title);
        return m.find() ? m.start() : -1;
    }

    /** The text under a level-2 or level-3 heading with exactly this title, up to the next heading; null without one. */
    static String section(String markdown, String title) {
        Matcher m = heading(markdown, title);
        if (!m.find()) return null;
        String rest = markdown.substring(m.end());
        Matcher next = Pattern.compile("(?m)^#{1,3} ").matcher(rest);
        return next.find() ? rest.substring(0, next.start()) : rest;
    }

    /** The numbered items of a section ({@code 1. }), each with the lines up to the next item. */
    static List<String> exercises(String section) {
        List<String> items = new ArrayList<>();
        StringBuilder current = null;
        for (String line : section.split("\n")) {
            if (line.matches("\\d+\\. .*")) {
                if (current != null) items.add(current.toString());
                current = new StringBuilder();
            }
            if (current != null) current.append(line).append('\n');
        }
        if (current != null) items.add(current.toString());
        return items;
    }
}
