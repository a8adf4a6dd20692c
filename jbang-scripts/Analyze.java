///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lab.Advisor;
import lab.AdvisorMeasure;
import lab.AdvisorPlan;
import lab.BadInput;
import lab.Node;
import lab.Workload;
import lab.cli.ApplyPlanCommand;
import lab.cli.Cli;
import lab.cli.MeasureOptions;
import lab.cli.RollbackPlanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

@Command(name = "Analyze", sortOptions = false, subcommands = {ApplyPlanCommand.class, RollbackPlanCommand.class},
        description = "The partitioning advisor: which tables of a database are worth partitioning, how, and how urgently. "
                + "It reads only the catalogs and statistics (sql/advisor: sizes, row estimates, insert/update/delete rates "
                + "and dead rows, time columns and their range from pg_stats, low-cardinality columns, indexes, primary and "
                + "foreign keys, and the statements pg_stat_statements recorded where it is installed), in a READ ONLY "
                + "transaction: it never writes to the database it analyses. For each table: its metrics, whether it is a "
                + "candidate and why or why not (one line each), the layout (RANGE by month, week or day on a time column, "
                + "LIST, HASH, or RANGE then HASH), the retention its time column suggests and a priority. --plan DIR writes "
                + "each candidate's online migration, its rollback and its verification; apply and rollback run them (dry runs "
                + "unless --confirm). --measure times the recommended layout against the table as it is, on a sample copied to "
                + "a scratch server, and only there.",
        footer = {"",
            "The report is three tables: advisor_metrics, advisor_verdicts (one row per",
            "reason) and advisor_recommendations.",
            "",
            "Examples:",
            "  jbang scripts/Analyze.java --database advisor         (the lab's cases)",
            "  jbang scripts/Analyze.java --database advisor --schema audit --format markdown",
            "  jbang scripts/Analyze.java --database advisor --table app.readings --format json",
            "  jbang scripts/Analyze.java --dsn postgresql://app@db.example:5432/shop \\",
            "      --min-rows 5000000 --output advice.md --format markdown",
            "  jbang scripts/Analyze.java --database advisor --min-rows 5000 --plan plans",
            "  jbang scripts/Analyze.java apply plans/app.readings --database advisor      (dry run)",
            "  jbang scripts/Analyze.java apply plans/app.readings --database advisor --confirm",
            "  jbang scripts/Analyze.java rollback plans/app.readings --database advisor --confirm",
            "  jbang scripts/Analyze.java --database advisor --min-rows 5000 --table app.readings \\",
            "      --measure --sample-rows 50000",
            "",
            "The lab's cases (lab.AdvisorCases.create, lesson 12) live in database advisor",
            "of the partitioned node's server; their sizes are small, so give the scale's",
            "threshold there: --min-rows 5000 at ci, 50000 at demo (default 1000000).",
            "",
            "Exit: 0 analysed, 1 a failure while reading, 2 bad input (an unreachable",
            "server, an unknown database, schema or table, a malformed option): nothing",
            "written anywhere."})
public class Analyze implements Callable<Integer> {
    @Option(names = "--schema", paramLabel = "S", description = "Only this schema. Default: every user schema.")
    String schema;

    @Option(names = "--table", paramLabel = "T", description = "Only this table: a name, or schema.name.")
    String table;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Another database on the node's server (e.g. advisor, the lab's cases). Default: the node's or --dsn's own.")
    String database;

    @Option(names = "--min-rows", paramLabel = "N",
            description = "Fewer estimated rows than this: too small to partition. Default: 1000000.")
    Long minRows;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout (in --format).")
    Path outputFile;

    @Option(names = "--plan", paramLabel = "DIR",
            description = "Write each candidate's plan into DIR/<schema.table>/: migrate.sql (the online migration), rollback.sql "
                    + "(the way back, online) and verify.sql (count and checksum per partition), with plan.json. Nothing runs.")
    Path planDir;

    @Mixin MeasureOptions measure;
    @Mixin Cli.Target target;
    @Mixin Cli.Output output;
    @Mixin Cli.ProgressOption progress;

    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        Cli.exit(new Analyze(), args);
    }

    @Override
    public Integer call() throws IOException {
        // every option checked before anything touches a server
        Advisor.Options options = Advisor.Options.defaults().withSchema(schema).withTable(table);
        if (minRows != null) {
            if (minRows < 0) throw new BadInput("--min-rows must be 0 or more, not " + minRows);
            options = options.withMinRows(minRows);
        }
        Advisor.checkedDatabaseName(database);
        if (outputFile != null && outputFile.getParent() != null && !Files.isDirectory(outputFile.getParent())) {
            throw new BadInput("--output " + outputFile + ": no directory " + outputFile.getParent());
        }
        if (planDir != null && Files.exists(planDir) && !Files.isDirectory(planDir)) {
            throw new BadInput("--plan " + planDir + " is a file, not a directory");
        }
        measure.check();
        Node server;
        try {
            server = target.node("partitioned");
        } catch (IllegalStateException unreachable) {
            // the driver's reason, the password masked (Cli.Target names the DSN without it): bad input, nothing touched
            throw new BadInput(unreachable.getMessage());
        }
        List<Table> tables = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (database == null) {
            advise(server, options, tables, notes);
        } else {
            try (Node other = Advisor.onDatabase(server, database)) {
                advise(other, options, tables, notes);
            }
        }
        if (outputFile == null) {
            print(output, tables, notes);
            return Cli.OK;
        }
        // the same report, in the same format, into the file: a command line of its own writing there
        Path tmp = outputFile.resolveSibling(outputFile.getFileName() + ".tmp");
        try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
            Cli.run(new Printed(tables, notes), file, spec.commandLine().getErr(), "--format", output.format().name());
        }
        Files.move(tmp, outputFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getErr().println("report written to " + outputFile);
        spec.commandLine().getErr().flush();
        return Cli.OK;
    }

    /** The report, then each candidate's plan (--plan) and measurement (--measure): tables and notes to print. */
    private void advise(Node analysed, Advisor.Options options, List<Table> tables, List<String> notes) {
        Advisor.Report report = Advisor.analyze(analysed, options);
        tables.addAll(report.tablesToShow());
        notes.addAll(report.notes());
        List<Advisor.TableAdvice> candidates = report.candidates().stream().filter(a -> a.recommendation() != null).toList();
        if ((planDir != null || measure.enabled()) && candidates.isEmpty()) notes.add("no candidate: no plan written, nothing measured");
        for (Advisor.TableAdvice candidate : candidates) {
            if (planDir != null) {
                try {
                    notes.add("plan written: " + AdvisorPlan.write(analysed, planDir, candidate.recommendation())
                            + " (migrate.sql, rollback.sql, verify.sql; run with: Analyze.java apply <that folder>)");
                } catch (BadInput refused) {
                    // one table the plan cannot move (a kept _old in the way, say) does not cost the others theirs
                    notes.add("no plan for " + candidate.name() + ": " + refused.getMessage());
                }
            }
            if (measure.enabled()) {
                Node scratch = target.dsnGiven() ? measure.scratch() : measure.scratch(target.lab());
                List<String> queries = measure.queries(() -> Workload.of(analysed, candidate.name()).stream().map(Workload.Statement::query).toList());
                AdvisorMeasure.Result measured = AdvisorMeasure.measure(analysed, scratch, candidate.recommendation(), queries, measure.options(), progress.mode());
                tables.addAll(measured.tables());
                notes.addAll(measured.notes());
            }
        }
    }

    static void print(Cli.Output output, List<Table> tables, List<String> notes) {
        for (var t : tables) output.print(t);
        for (String note : notes) output.note(note);
    }

    /** Prints what was made, through Cli.Output, so that --output gets exactly what stdout would. */
    @Command(name = "Analyze")
    static final class Printed implements Callable<Integer> {
        private final List<Table> tables;
        private final List<String> notes;
        @Mixin Cli.Output output;

        Printed(List<Table> tables, List<String> notes) {
            this.tables = tables;
            this.notes = notes;
        }

        @Override
        public Integer call() {
            print(output, tables, notes);
            return Cli.OK;
        }
    }
}
