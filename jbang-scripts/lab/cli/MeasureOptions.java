package lab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import lab.AdvisorMeasure;
import lab.BadInput;
import lab.Dsn;
import lab.Lab;
import lab.Node;
import lab.SqlSplitter;
import lab.Topology;
import picocli.CommandLine.Option;

/**
 * The advisor's {@code --measure} and its options, a picocli mixin ({@code @Mixin MeasureOptions measure;}): where
 * the scratch server is, how big a sample, which queries. Call {@link #check()} before anything runs: bad input
 * (a sample of no rows, a queries file missing or empty, a malformed scratch DSN, an option without {@code --measure})
 * is refused with one line, exit 2. Closes the scratch node it opened for {@code --scratch-dsn} when the command ends.
 */
public final class MeasureOptions implements AutoCloseable {
    @Option(names = "--measure",
            description = "Measure each candidate's recommended layout on a sample, on a scratch server and only there: the "
                    + "table as it is and as recommended, the queries timed on both (ratios with their spread, partitions "
                    + "scanned) and the retention of one interval (DELETE + VACUUM against DETACH + DROP).")
    boolean measure;

    @Option(names = "--sample-rows", paramLabel = "N",
            description = "Rows in the sample, an equal share of each interval of the time column (or of each key value). "
                    + "Default: 100000.")
    Long sampleRows;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "The queries to measure, separated by ';' ($1, $2... bound from the sample). Default: the "
                    + "table's top queries in pg_stat_statements.")
    Path queries;

    @Option(names = "--scratch-dsn", paramLabel = "URL",
            description = "The scratch server the sample is copied to; it must not be the analysed database. Default: "
                    + "the topology's node scratch (embedded: a server the lab starts; compose and dsn: LAB_DSN_SCRATCH).")
    String scratchDsn;

    @Option(names = "--runs", paramLabel = "N", description = "Timed runs per query and layout, after a warm-up. Default: 7.")
    Integer runs;

    private Node adHoc;

    public boolean enabled() {
        return measure;
    }

    /** Refuses bad input before anything runs (the file is read, the DSN parsed, nothing connected). */
    public void check() {
        if (!measure) {
            if (sampleRows != null || queries != null || scratchDsn != null || runs != null) {
                throw new BadInput("--sample-rows, --queries, --scratch-dsn and --runs go with --measure");
            }
            return;
        }
        options();
        if (queries != null) queriesFromFile();
        if (scratchDsn != null) Dsn.parse(scratchDsn, "--scratch-dsn");
    }

    public AdvisorMeasure.Options options() {
        AdvisorMeasure.Options defaults = AdvisorMeasure.Options.defaults();
        return new AdvisorMeasure.Options(sampleRows == null ? defaults.sampleRows() : sampleRows,
                runs == null ? defaults.runs() : runs, defaults.seed());
    }

    /** The queries of {@code --queries FILE}, else the workload's ({@code Workload.of(node, table)}, say). */
    public List<String> queries(Supplier<List<String>> workload) {
        return queries == null ? workload.get() : queriesFromFile();
    }

    private List<String> queriesFromFile() {
        String text;
        try {
            text = Files.readString(queries);
        } catch (IOException e) {
            throw new BadInput("--queries " + queries + " cannot be read: " + (Files.exists(queries) ? e.getMessage() : "no such file"));
        }
        List<String> statements;
        try {
            statements = SqlSplitter.split(text, "--queries " + queries).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        if (statements.isEmpty()) throw new BadInput("--queries " + queries + " holds no query");
        return statements;
    }

    /**
     * The scratch server: {@code --scratch-dsn}, else the topology's {@value Topology#SCRATCH} node (on the embedded
     * topology the lab starts it). {@link AdvisorMeasure#measure} refuses it if it is the analysed database.
     */
    public Node scratch(Lab lab) {
        if (scratchDsn == null) return lab.node(Topology.SCRATCH);
        if (adHoc == null) adHoc = new Node(Topology.SCRATCH, Dsn.parse(scratchDsn, "--scratch-dsn"));
        return adHoc;
    }

    /** {@link #scratch(Lab)} on the topology LAB_TOPOLOGY names (for a command run with --dsn). */
    public Node scratch() {
        return scratchDsn == null ? scratch(Lab.connect()) : scratch(null);
    }

    @Override
    public void close() {
        if (adHoc != null) adHoc.close();
    }
}
