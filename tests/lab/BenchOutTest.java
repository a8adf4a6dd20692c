package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bench checks that --out can take the report before it loads or times anything: a folder it cannot write is
 * bad input (exit 2, one line, nothing created), not a failure after minutes of work. No server is needed, since the
 * check comes before the topology is touched.
 */
class BenchOutTest {
    @TempDir Path dir;

    @Test
    void aFileGivenAsTheFolderIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("report"), "not a folder");
        refused(file, "it is a file, not a folder");
        refused(file.resolve("sub"), file + " is a file, not a folder");
        assertEquals("not a folder", Files.readString(file), "the file is left as it was");
    }

    @Test
    void aFolderWhereTheReportGoesIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("out/report.md"));
        refused(dir.resolve("out"), "report.md there is a folder");
    }

    @Test
    void aFolderNobodyCanWriteIsRefused() throws IOException {
        // /proc takes no new files, even from root (for whom every permission check passes)
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        refused(Path.of("/proc/bench-report"), "is not writable");
    }

    @Test
    void aReadOnlyFolderIsRefusedForOrdinaryUsers() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root writes to read-only folders: /proc covers this as root");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            refused(locked.resolve("bench"), "is not writable");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFolderStillToBeMadeUnderAWritableOneIsAccepted() {
        var options = new Bench.Options(Bench.Layout.ALL, 1, 0, Scale.ci, dir.resolve("a/b/c"));
        assertEquals(dir.resolve("a/b/c"), options.out());
        assertFalse(Files.exists(dir.resolve("a")), "the check creates nothing");
    }

    private void refused(Path out, String reason) throws IOException {
        List<Path> before = contents();
        var run = RunbookProcess.run("Bench", "--scale", "ci", "--runs", "1", "--out", out.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        assertTrue(run.err().startsWith("error: cannot write the report to " + out + " (--out): ") && run.err().contains(reason), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(before, contents(), "nothing created");
    }

    private List<Path> contents() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.sorted().toList();
        }
    }
}
