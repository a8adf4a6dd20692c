package lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import lab.cli.Cli;
import lab.cli.MaintainCommand;

/** One Maintain.java command run in this JVM (the tests' way in): its exit code, stdout and stderr. */
record Maintained(int exit, String out, String err) {
    /** Runs the runbook with these arguments; run, analyze and vacuum without a progress display. */
    static Maintained run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--no-progress") && List.of("run", "analyze", "vacuum", "bench", "bench-api").contains(all.get(0))) {
            all.add("--no-progress");
        }
        int exit = Cli.run(new MaintainCommand(), new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Maintained(exit, out.toString(), err.toString());
    }

    /** Lines of the printed report whose action column is this action. */
    long linesWith(String action) {
        return out.lines().filter(l -> l.matches(".*\\|\\s+" + action + "\\s+\\|.*")).count();
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
}
