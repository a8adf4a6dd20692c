package lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A text file of the checkout ({@code sql/...}, {@code jbang-scripts/lab/openapi.json}): read from the checkout when the lab runs in
 * one (JBang, Maven, a notebook beside it), else from the lab jar, which carries the same files for notebooks opened
 * away from a checkout.
 */
final class ProjectFile {
    private ProjectFile() {}

    /** The file's text; a path that climbs out of the checkout ({@code ..}) is bad input. */
    static String read(String relativePath) {
        if (relativePath.contains("..")) throw new BadInput("a project file's path may not contain '..': " + relativePath);
        Optional<Path> onDisk = Settings.projectDir().map(d -> d.resolve(relativePath)).filter(Files::isRegularFile);
        try {
            if (onDisk.isPresent()) return Files.readString(onDisk.get(), StandardCharsets.UTF_8);
            try (InputStream in = ProjectFile.class.getResourceAsStream("/" + relativePath)) {
                if (in != null) return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + relativePath + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no such file " + relativePath);
    }
}
