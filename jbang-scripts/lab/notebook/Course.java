package lab.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import lab.BadInput;
import lab.Scale;
import lab.Settings;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The whole course, headless: every lesson in {@code notebooks/} (or the ones named) replayed in name order on the
 * lab's servers, an executed copy of each written to {@code target/course/}, and one verdict line per lesson. With
 * {@code --write-back} the committed notebooks get the outputs of the run instead (a passing lesson only).
 *
 * <p>Run by {@code ./mvnw -Pcourse package}; the Maven properties {@code course.scale}, {@code course.write=notebooks} and
 * {@code course.lessons} reach it as the system properties of the same names.
 */
@Command(name = "course", description = "Runs the lessons (notebooks/*.ipynb) headless and prints one verdict line per lesson.")
public final class Course implements Callable<Integer> {
    @Parameters(paramLabel = "LESSON", arity = "0..*",
            description = "Lessons to run, by name (01-range-partitioning), unique prefix (01) or path. Default: all, in name order.")
    List<String> lessons = new ArrayList<>();

    @Option(names = "--scale", paramLabel = "SCALE",
            description = "Data size: ci, demo or full. Default: LAB_SCALE, else demo (always demo with --write-back).")
    String scale;

    @Option(names = "--write-back", description = "Replace the outputs of the committed notebooks with this run's (passing lessons only).")
    boolean writeBack;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the executed copies go. Default: target/course in the project.")
    Path out;

    public static void main(String... args) {
        Cli.exit(new Course(), args);
    }

    @Override
    public Integer call() {
        applyMavenProperties();
        Path project = Settings.projectDir().orElseThrow(() -> new BadInput(
                "cannot find the project (a folder with sql/ and jbang-scripts/) at or above " + Path.of("").toAbsolutePath()));
        Path notebooks = project.resolve("notebooks");
        Path executedDir = out != null ? out : project.resolve("target/course");
        Scale chosen = chooseScale();
        // The lessons read LAB_SCALE through Settings, where the system property comes first.
        System.setProperty("lab.scale", chosen.name());

        List<Path> selected = select(notebooks);
        System.out.printf("Partition Lab course: %d lesson%s, LAB_SCALE=%s, LAB_TOPOLOGY=%s, LAB_HOME=%s%n", selected.size(),
                selected.size() == 1 ? "" : "s", chosen, Settings.get("LAB_TOPOLOGY", "embedded"), Settings.labHome());
        List<NotebookFailure> failures = new ArrayList<>();
        int skipped = 0;
        for (Path lesson : selected) {
            NotebookRunner.Run run = NotebookRunner.run(lesson);
            run.executed().write(executedDir.resolve(lesson.getFileName()));
            if (run.skipped().isPresent()) skipped++;
            // a skipped lesson keeps the outputs it was committed with
            if (writeBack && run.passed() && run.skipped().isEmpty()) run.executed().write(lesson);
            System.out.println(run.verdict());
            run.failure().ifPresent(failures::add);
        }

        for (NotebookFailure failure : failures) System.err.println("\n" + failure.getMessage());
        System.out.printf("%d passed, %d skipped, %d failed; executed notebooks in %s%s%n", selected.size() - failures.size() - skipped,
                skipped, failures.size(),
                project.relativize(executedDir.toAbsolutePath()), writeBack ? "; passing lessons written back to notebooks/" : "");
        return failures.isEmpty() ? Cli.OK : Cli.FAILURE;
    }

    /** Maven passes its {@code -Dcourse.*} properties as system properties; the command-line options win. */
    private void applyMavenProperties() {
        if (scale == null) scale = property("course.scale").orElse(null);
        Optional<String> write = property("course.write");
        if (write.isPresent()) {
            if (!write.get().equals("notebooks")) throw new BadInput("course.write='" + write.get() + "': the only value is 'notebooks'");
            writeBack = true;
        }
        if (lessons.isEmpty()) property("course.lessons").ifPresent(names -> lessons.addAll(List.of(names.split("[,\\s]+"))));
    }

    private static Optional<String> property(String name) {
        return Optional.ofNullable(System.getProperty(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The committed notebooks show a demo run; otherwise the learner's LAB_SCALE applies, else demo. */
    private Scale chooseScale() {
        String name = scale != null ? scale : writeBack ? Scale.demo.name() : Settings.get("LAB_SCALE", Scale.demo.name());
        try {
            return Scale.valueOf(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput("scale '" + name + "' is not one of ci, demo, full");
        }
    }

    private List<Path> select(Path notebooks) {
        List<Path> all;
        try (Stream<Path> files = Files.list(notebooks)) {
            all = files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lessons in " + notebooks, e);
        }
        if (lessons.isEmpty()) {
            if (all.isEmpty()) throw new BadInput("no lessons (*.ipynb) in " + notebooks);
            return all;
        }
        List<Path> selected = new ArrayList<>();
        for (String wanted : lessons) {
            Path asPath = Path.of(wanted);
            if (wanted.endsWith(".ipynb") && Files.isRegularFile(asPath)) {
                selected.add(asPath.toAbsolutePath().normalize());
                continue;
            }
            String name = wanted.replaceFirst("\\.ipynb$", "");
            List<Path> matches = all.stream().filter(f -> lessonName(f).equals(name)).toList();
            if (matches.isEmpty()) matches = all.stream().filter(f -> lessonName(f).startsWith(name)).toList();
            if (matches.size() != 1) {
                throw new BadInput((matches.isEmpty() ? "no lesson" : "several lessons") + " named '" + wanted + "' in " + notebooks
                        + "; lessons: " + String.join(", ", all.stream().map(Course::lessonName).toList()));
            }
            selected.add(matches.get(0));
        }
        return selected;
    }

    private static String lessonName(Path notebook) {
        return notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
    }
}
