package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bench.java as an operator runs it: a JVM of its own, real exit codes (BenchTest covers the benchmark in-process). */
class BenchRunbookIT {
    @Test
    void loadsRunsAndWritesTheReportThenRefusesBadInputWithExitTwo(@TempDir Path out) {
        var help = RunbookProcess.run("Bench", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (String option : new String[] {"--layouts", "--runs", "--warmup", "--scale", "--load", "--seed", "--out", "--format"}) {
            assertTrue(help.out().contains(option), option + "\n" + help);
        }
        var run = RunbookProcess.run("Bench", "--load", "--scale", "ci", "--runs", "1", "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("direct to shards") && run.out().contains("x_plain"), run::toString);
        for (String file : new String[] {"report.md", "chart.png", "plain.txt", "variant_a.txt", "variant_b.txt"}) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        for (String[] bad : new String[][] {{"--layouts", "plain,columnar"}, {"--runs", "0"}, {"--scale", "full"}}) {
            var refused = RunbookProcess.run("Bench", bad[0], bad[1], "--out", out.resolve("refused").toString());
            assertEquals(2, refused.exitCode(), refused::toString);
            assertTrue(refused.err().startsWith("error: ") && refused.err().strip().lines().count() == 1, refused::toString);
            assertTrue(!Files.exists(out.resolve("refused")), "nothing written");
        }
    }
}
