package lab.notebook;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import lab.Settings;

/**
 * IJava's magics, as the replay runs them. {@link #transform} turns magic lines into calls exactly as IJava's
 * {@code MagicsSourceTransformer} does (a line magic becomes {@code lineMagic(...);{};} in its place, a cell magic the
 * whole cell), and the magics then run in the order the code reaches them. Relative paths resolve against the
 * notebook's folder, which is the real kernel's working directory.
 *
 * <ul>
 *   <li>{@code %classpath glob...}: files and folders matching each glob join the classpath;</li>
 *   <li>{@code %jars glob...}: files only;</li>
 *   <li>{@code %maven group:artifact[:packaging[:classifier]]:version...} (also {@code %addMavenDependency}): satisfied
 *       from the build's own dependencies, by group and artifact, without a network; anything else fails naming the
 *       coordinate;</li>
 *   <li>{@code %load file}: runs a JShell script ({@code .jsh}, {@code .jshell}, {@code .java}, {@code .ijava}, or every
 *       code cell of an {@code .ipynb});</li>
 *   <li>{@code %loadFromPOM} and {@code %%loadFromPOM}: refused, since they need a Maven resolver.</li>
 * </ul>
 * One deliberate difference: a glob that matches nothing fails here, where IJava silently adds nothing and the next
 * cell fails on a missing class instead.
 */
final class NotebookMagics {
    private static final Pattern LINE_MAGIC = Pattern.compile("(?<=(?:^|=))\\s*%(?<args>\\w.*?)$", Pattern.MULTILINE);
    private static final Pattern CELL_MAGIC = Pattern.compile("^(?<argsLine>%%(?<args>\\w.*?))\\R(?<body>(?sU).+?)$");
    private static final Pattern UNESCAPED_QUOTE = Pattern.compile("(?<!\\\\)\"");
    private static final Pattern MAVEN_COORDINATE = Pattern.compile(
            "^(?<group>[^:\\s]+):(?<artifact>[^:\\s]+)(?::(?<packaging>[^:\\s]*)(?::(?<classifier>[^:\\s]+))?)?:(?<version>[^:\\s]+)$");
    private static final List<String> LOADABLE_EXTENSIONS = List.of(".jsh", ".jshell", ".java", ".ijava");

    private final Path folder;
    private final Consumer<String> addToClasspath;
    private final Evaluator evaluator;
    private BuildArtifacts artifacts;

    /** Runs code the way a cell runs (used by {@code %load}); {@code where} names the file in stack traces. */
    interface Evaluator {
        Object eval(String code, String where) throws Exception;
    }

    NotebookMagics(Path folder, Consumer<String> addToClasspath, Evaluator evaluator) {
        this.folder = folder;
        this.addToClasspath = addToClasspath;
        this.evaluator = evaluator;
    }

    /** IJava's "Undefined line magic 'x'": passed through unwrapped, as IJava does. */
    static final class UndefinedMagic extends RuntimeException {
        UndefinedMagic(String name, boolean line) {
            super("Undefined " + (line ? "line" : "cell") + " magic '" + name + "'");
        }
    }

    // ---- source transformation (IJava's MagicsSourceTransformer and the base kernel's MagicParser) ----

    static String transform(String source) {
        Matcher cell = CELL_MAGIC.matcher(source);
        if (cell.matches()) {
            List<String> args = split(cell.group("args"));
            return String.format("cellMagic(%s,List.of(%s),%s);{};", base64(args.get(0)),
                    args.subList(1, args.size()).stream().map(NotebookMagics::base64).collect(Collectors.joining(",")),
                    base64(cell.group("body")));
        }
        StringBuilder transformed = new StringBuilder();
        Matcher line = LINE_MAGIC.matcher(source);
        while (line.find()) {
            // A '%' after '=' inside a string literal ("a=%d") is no magic: count the quotes before it, as IJava does.
            boolean inString = false;
            for (Matcher quote = UNESCAPED_QUOTE.matcher(source.substring(0, line.start())); quote.find(); ) inString = !inString;
            String replacement = line.group();
            if (!inString) {
                List<String> args = split(line.group("args"));
                replacement = String.format("lineMagic(%s,List.of(%s));{};", base64(args.get(0)),
                        args.subList(1, args.size()).stream().map(NotebookMagics::base64).collect(Collectors.joining(",")));
            }
            line.appendReplacement(transformed, Matcher.quoteReplacement(replacement));
        }
        line.appendTail(transformed);
        return transformed.toString();
    }

    /** IJava's "poor man's string escape": the argument travels as Base64 so no quoting can break the call. */
    private static String base64(String arg) {
        return String.format("new String(Base64.getDecoder().decode(\"%s\"))",
                Base64.getEncoder().encodeToString(arg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The base kernel's argument splitter: whitespace separates, double quotes group, backslash escapes a quote. */
    static List<String> split(String args) {
        List<String> split = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuotes = false;
        boolean escape = false;
        for (char c : args.trim().toCharArray()) {
            switch (c) {
                case ' ', '\t' -> {
                    if (inQuotes) {
                        current.append(c);
                    } else if (current.length() > 0) {
                        split.add(current.toString());
                        current.setLength(0);
                    }
                }
                case '\\' -> {
                    if (escape) {
                        current.append("\\\\");
                        escape = false;
                    } else {
                        escape = true;
                    }
                }
                case '"' -> {
                    if (escape) {
                        current.append('"');
                        escape = false;
                    } else if (current.length() > 0 && inQuotes) {
                        split.add(current.toString());
                        current.setLength(0);
                        inQuotes = false;
                    } else {
                        inQuotes = true;
                    }
                }
                default -> current.append(c);
            }
        }
        if (current.length() > 0) split.add(current.toString());
        return split;
    }

    // ---- the magics ----

    Object applyLineMagic(String name, List<String> args) throws Exception {
        return switch (name) {
            case "classpath" -> addMatches(args, true);
            case "jars" -> addMatches(args, false);
            case "maven", "addMavenDependency" -> {
                maven(args);
                yield null;
            }
            case "mavenRepo" -> null; // a repository is only ever used by %maven, which never downloads here
            case "load" -> {
                load(args);
                yield null;
            }
            case "loadFromPOM" -> throw new UnsupportedOperationException(
                    "%loadFromPOM is not supported by the replay (it needs a Maven resolver); use %maven with coordinates the build already has");
            default -> throw new UndefinedMagic(name, true);
        };
    }

    Object applyCellMagic(String name, List<String> args, String body) {
        if (name.equals("loadFromPOM")) {
            throw new UnsupportedOperationException(
                    "%%loadFromPOM is not supported by the replay (it needs a Maven resolver); use %maven with coordinates the build already has");
        }
        throw new UndefinedMagic(name, false);
    }

    /** {@code %classpath} (files and folders) and {@code %jars} (files only), each argument a glob. */
    private List<String> addMatches(List<String> globs, boolean foldersToo) {
        List<String> added = new ArrayList<>();
        for (String glob : globs) {
            List<Path> matches = Glob.matches(folder, glob, foldersToo);
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("Exception resolving jar glob: '" + glob + "' matches no "
                        + (foldersToo ? "file or folder" : "file") + " in " + folder + " (relative globs resolve against the notebook's folder)");
            }
            for (Path match : matches) {
                String path = match.toAbsolutePath().normalize().toString();
                addToClasspath.accept(path);
                added.add(path);
            }
        }
        return added;
    }

    private void maven(List<String> args) {
        List<String> coordinates = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--from")) i++; // a repository to download from: nothing is downloaded here
            else if (!arg.startsWith("-")) coordinates.add(arg);
        }
        for (String coordinate : coordinates) {
            Matcher m = MAVEN_COORDINATE.matcher(coordinate);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + coordinate + "' is not a Maven coordinate (group:artifact:version)");
            }
            String key = m.group("group") + ":" + m.group("artifact");
            if (artifacts == null) artifacts = BuildArtifacts.scan();
            Optional<BuildArtifacts.Artifact> found = artifacts.find(m.group("group"), m.group("artifact"));
            if (found.isEmpty()) {
                throw new IllegalArgumentException("%maven " + coordinate + ": " + key + " is not among the build's dependencies"
                        + " (the replay takes %maven from pom.xml's dependencies, without a network); add it to pom.xml or drop the magic");
            }
            // On the JVM's classpath it is visible already (the shell's class loader asks its parent first, as in IJava);
            // a jar only in target/lab still has to join.
            if (!found.get().onHostClasspath()) addToClasspath.accept(found.get().jar().toString());
        }
    }

    /** The base kernel's {@code Load}: the file as given, else with a script extension, else as a notebook. */
    private void load(List<String> args) throws Exception {
        if (args.size() != 1) throw new IllegalArgumentException("%load takes one argument, the file to run");
        Path source = folder.resolve(args.get(0)).normalize();
        if (Files.isRegularFile(source)) {
            run(source);
            return;
        }
        for (String extension : LOADABLE_EXTENSIONS) {
            Path script = source.resolveSibling(source.getFileName() + extension);
            if (Files.isRegularFile(script)) {
                run(script);
                return;
            }
        }
        Path notebook = source.resolveSibling(source.getFileName() + ".ipynb");
        if (Files.isRegularFile(notebook)) {
            run(notebook);
            return;
        }
        throw new FileNotFoundException("Could not find any source at '" + source + "'. Also tried with extensions: [.ipynb, "
                + String.join(", ", LOADABLE_EXTENSIONS) + "].");
    }

    private void run(Path file) throws Exception {
        if (file.getFileName().toString().endsWith(".ipynb")) {
            List<NotebookFile.Cell> cells = NotebookFile.read(file).codeCells();
            for (int i = 0; i < cells.size(); i++) evaluator.eval(cells.get(i).source(), file.getFileName() + " code cell " + (i + 1));
        } else {
            evaluator.eval(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
        }
    }

    /**
     * The base kernel's {@code GlobFinder}: {@code *} and {@code ?} within one path segment, the literal segments before
     * the first wildcard forming the folder to search; an absent folder is an error, like IJava's.
     */
    static final class Glob {
        private Glob() {}

        static List<Path> matches(Path relativeTo, String glob, boolean foldersToo) {
            String[] segments = glob.split("/+", -1);
            boolean absolute = glob.startsWith("/");
            int literalPrefix = 0;
            while (literalPrefix < segments.length && !hasWildcard(segments[literalPrefix])) literalPrefix++;
            Path base = absolute ? Path.of("/") : relativeTo;
            for (int i = 0; i < literalPrefix; i++) if (!segments[i].isEmpty()) base = base.resolve(segments[i]);
            List<Path> found = new ArrayList<>();
            if (literalPrefix == segments.length) {
                if (foldersToo ? Files.exists(base) : Files.isRegularFile(base)) found.add(base);
                else if (!foldersToo && glob.endsWith("/") && Files.isDirectory(base)) found.addAll(list(base, "*", false));
                return found;
            }
            collect(base, List.of(segments).subList(literalPrefix, segments.length), foldersToo, found);
            return found;
        }

        private static void collect(Path dir, List<String> segments, boolean foldersToo, List<Path> into) {
            boolean last = segments.size() == 1 || segments.size() == 2 && segments.get(1).isEmpty();
            for (Path p : list(dir, segments.get(0), last ? foldersToo : true)) {
                if (last) {
                    if (foldersToo || Files.isRegularFile(p)) into.add(p);
                } else if (Files.isDirectory(p)) {
                    collect(p, segments.subList(1, segments.size()), foldersToo, into);
                }
            }
        }

        private static List<Path> list(Path dir, String segment, boolean foldersToo) {
            Pattern pattern = Pattern.compile(toRegex(segment));
            DirectoryStream.Filter<Path> filter = p -> (foldersToo || !Files.isDirectory(p))
                    && pattern.matcher(p.getFileName().toString()).matches();
            List<Path> paths = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, filter)) {
                entries.forEach(paths::add);
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("Exception resolving jar glob: no folder " + dir, e);
            } catch (IOException e) {
                throw new UncheckedIOException("Exception resolving jar glob in " + dir + ": " + e.getMessage(), e);
            }
            paths.sort(null); // the file system's order differs between machines; the classpath order should not
            return paths;
        }

        private static boolean hasWildcard(String segment) {
            return segment.replace("\\*", "").replace("\\?", "").matches(".*[*?].*");
        }

        private static String toRegex(String segment) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '\\' && i + 1 < segment.length() && (segment.charAt(i + 1) == '*' || segment.charAt(i + 1) == '?')) {
                    regex.append(Pattern.quote(String.valueOf(segment.charAt(++i))));
                } else if (c == '*') {
                    regex.append(".*");
                } else if (c == '?') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }
    }

    /**
     * The artifacts the build provides, by group and artifact: every jar on this JVM's classpath and in
     * {@code target/lab}. A jar's coordinate comes from its Maven repository path, else from the
     * {@code META-INF/maven/.../pom.properties} it carries.
     */
    static final class BuildArtifacts {
        record Coordinate(String group, String artifact) {}

        record Artifact(Coordinate coordinate, Path jar, boolean onHostClasspath) {}

        private final Map<Coordinate, Artifact> byCoordinate = new LinkedHashMap<>();

        static BuildArtifacts scan() {
            BuildArtifacts artifacts = new BuildArtifacts();
            for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (entry.endsWith(".jar")) artifacts.add(Path.of(entry).toAbsolutePath().normalize(), true);
            }
            Settings.projectDir().map(dir -> dir.resolve("target/lab")).filter(Files::isDirectory).ifPresent(dir -> {
                for (Path jar : Glob.matches(dir, "*.jar", false)) artifacts.add(jar.toAbsolutePath().normalize(), false);
            });
            return artifacts;
        }

        Optional<Artifact> find(String group, String artifact) {
            return Optional.ofNullable(byCoordinate.get(new Coordinate(group, artifact)));
        }

        private void add(Path jar, boolean onHostClasspath) {
            for (Coordinate coordinate : coordinates(jar)) byCoordinate.putIfAbsent(coordinate, new Artifact(coordinate, jar, onHostClasspath));
        }

        /** Group and artifact of the jar: .../group/path/artifact/version/artifact-version.jar, else its pom.properties. */
        private static List<Coordinate> coordinates(Path jar) {
            Path versionDir = jar.getParent();
            Path artifactDir = versionDir == null ? null : versionDir.getParent();
            if (artifactDir != null && jar.getFileName().toString().startsWith(artifactDir.getFileName() + "-" + versionDir.getFileName())) {
                Path repository = artifactDir;
                while (repository != null && !repository.getFileName().toString().equals("repository")) repository = repository.getParent();
                if (repository != null) {
                    String group = repository.relativize(artifactDir.getParent()).toString().replace(java.io.File.separatorChar, '.');
                    return List.of(new Coordinate(group, artifactDir.getFileName().toString()));
                }
            }
            List<Coordinate> found = new ArrayList<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : zip.stream().filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")).toList()) {
                    Properties pom = new Properties();
                    pom.load(zip.getInputStream(entry));
                    if (pom.getProperty("groupId") != null && pom.getProperty("artifactId") != null) {
                        found.add(new Coordinate(pom.getProperty("groupId"), pom.getProperty("artifactId")));
                    }
                }
            } catch (IOException e) {
                return List.of(); // not a readable jar: it provides nothing %maven could name
            }
            return found;
        }
    }
}
