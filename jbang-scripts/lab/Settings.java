package lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where every LAB_* setting comes from: a JVM system property ({@code lab.home}) first, so tests and
 * the replay can set it in-process, then the environment ({@code LAB_HOME}), then a {@code .env} file
 * in the project folder.
 */
public final class Settings {
    private Settings() {}

    public static Optional<String> get(String envName) {
        String property = System.getProperty(propertyName(envName));
        if (property != null && !property.isBlank()) return Optional.of(property.trim());
        String env = System.getenv(envName);
        if (env != null && !env.isBlank()) return Optional.of(env.trim());
        return Optional.ofNullable(dotEnv().get(envName));
    }

    /**
     * A secret (a token): from the environment or the checkout's .env only, never from a {@code -D} property, which sits
     * on the command line where {@code ps} shows it to every user.
     */
    public static Optional<String> secret(String envName) {
        String env = System.getenv(envName);
        if (env != null && !env.isBlank()) return Optional.of(env.trim());
        return Optional.ofNullable(dotEnv().get(envName));
    }

    public static String get(String envName, String fallback) {
        return get(envName).orElse(fallback);
    }

    /** {@code LAB_HOME} becomes {@code lab.home}. */
    static String propertyName(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Every setting whose name starts with the prefix, from all three sources (property wins). */
    public static Map<String, String> withPrefix(String envPrefix) {
        Map<String, String> found = new LinkedHashMap<>();
        dotEnv().forEach((k, v) -> { if (k.startsWith(envPrefix)) found.put(k, v); });
        System.getenv().forEach((k, v) -> { if (k.startsWith(envPrefix) && !v.isBlank()) found.put(k, v.trim()); });
        String propertyPrefix = propertyName(envPrefix);
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(propertyPrefix)) {
                found.put(key.toUpperCase(Locale.ROOT).replace('.', '_'), v.toString().trim());
            }
        });
        return found;
    }

    public static Path labHome() {
        return Path.of(get("LAB_HOME", System.getProperty("user.home") + "/.partition-lab")).toAbsolutePath();
    }

    /**
     * The project checkout: {@code lab.project} when set, else the nearest folder at or above the working
     * directory that holds {@code sql/} and {@code jbang-scripts/} (notebooks run from notebooks/).
     */
    public static Optional<Path> projectDir() {
        String configured = System.getProperty("lab.project");
        if (configured != null) return Optional.of(Path.of(configured).toAbsolutePath());
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sql")) && Files.isDirectory(dir.resolve("jbang-scripts"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> dotEnv() {
        Map<String, String> values = new LinkedHashMap<>();
        Optional<Path> file = projectDir().map(d -> d.resolve(".env")).filter(Files::isRegularFile);
        if (file.isEmpty()) return values;
        try {
            for (String line : Files.readAllLines(file.get())) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) continue;
                if (trimmed.startsWith("export ")) trimmed = trimmed.substring(7).strip();
                int eq = trimmed.indexOf('=');
                String value = trimmed.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(trimmed.substring(0, eq).strip(), value);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file.get() + ": " + e.getMessage(), e);
        }
        return values;
    }
}
