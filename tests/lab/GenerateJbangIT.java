package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code jbang scripts/Generate.java --help} through a real JBang: the runbook's //SOURCES and //DEPS resolve. */
class GenerateJbangIT {
    @Test
    void helpWorksThroughJBang() throws IOException, InterruptedException {
        Optional<String> jbang = Jbang.command();
        assumeTrue(jbang.isPresent(), Jbang.MISSING);
        Jbang.Result result = Jbang.run(jbang.get(), Map.of(), "scripts/Generate.java", "--help");
        String output = result.out() + result.err();
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(output.contains("Usage: Generate") && output.contains("--per-month"), output);
    }
}
