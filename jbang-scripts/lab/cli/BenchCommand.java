package lab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lab.Bench;
import lab.Lab;
import lab.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jbang scripts/Bench.java}: the three-way benchmark for operators and the lesson. The command lives in the
 * library (the runbook's {@code main} only calls {@link Cli#exit}), so tests run it in one JVM.
 */
@Command(name = "Bench", sortOptions = false,
        description = "Times the seed's queries (point lookup, a month's count, a tenant's month, the monthly rollup, a "
                + "10-row insert) and the audit-style set (recent 7 days, a month, by user, by action) on the plain table "
                + "app.events_plain, the monthly partitions app.events and the postgres_fdw shards behind "
                + "app.events_sharded, queried as they are and in the forms the shards compute (sql/bench/queries/pushdown): "
                + "warm-up, N timed runs, median and p95, the ratio to the plain layout, rows, buffers and partitions read, "
                + "and one tenant's month on its own shard. With --load, the sharded table is loaded three ways: through the "
                + "coordinator, straight into the shards by the coordinator's map, and shard-aware. Writes report.md, "
                + "chart.png and each layout's EXPLAIN (ANALYZE, BUFFERS) (plain.txt, variant_a.txt, variant_b.txt, "
                + "variant_b_pushdown.txt) into --out.",
        footer = {"",
            "Load every layout at full scale (12 x 500,000 events each), then run:",
            "  jbang scripts/Bench.java --load --scale full --runs 5",
            "Run again later on the same data:",
            "  jbang scripts/Bench.java --scale full --layouts plain,partitioned",
            "",
            "Exit: 0 done, 1 a failure, 2 bad input (an unknown layout, runs below 1,",
            "an --out that cannot be written, a scale the data is not loaded at): nothing run."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--layouts", paramLabel = "LIST", defaultValue = "plain,partitioned,sharded,sharded_pushdown,sharded_routed",
            description = "Layouts to load and time, in report order: plain, partitioned, sharded, sharded_pushdown (the "
                    + "sharded rows, with the aggregates computed on the shards and fetch_size " + Bench.PUSHDOWN_FETCH_SIZE
                    + " for the queries that bring many rows), sharded_routed (as sharded_pushdown, with the queries of one "
                    + "tenant sent straight to its shard by the shard map). Default: ${DEFAULT-VALUE}.")
    String layouts;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5",
            description = "Timed runs per query and layout (median and p95 over these). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
            description = "Untimed runs first, so that every layout is timed warm. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--scale", paramLabel = "SCALE",
            description = "ci, demo or full (12 months x 500, 20,000 or 500,000 events). The data must be loaded at it "
                    + "(see --load). Default: LAB_SCALE, else demo.")
    String scale;

    @Option(names = "--load", description = "First (re)create the table of each layout in --layouts and load it at --scale; the "
            + "sharded layout three times: through the coordinator, straight into the shards by the coordinator's map, "
            + "and shard-aware (routed by the hash computed here). Replaces what the tables held.")
    boolean load;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Bench.DEFAULT_SEED,
            description = "Seed of the generated rows (with --load). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the report, the chart and the plans, created if missing; checked writable before "
                    + "anything runs. Default: tmp/benchmarks in the project.")
    Path out;

    @Mixin Cli.TopologyOption topology;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    @Override
    public Integer call() {
        // every option checked before anything touches a server
        var options = new Bench.Options(Bench.Layout.parse(layouts), runs, warmup,
                scale == null ? Scale.current() : Scale.parse(scale, "--scale"), out == null ? Bench.Options.defaultOut() : out);
        Lab lab = topology.lab();
        if (load) {
            output.note(String.format(Locale.ROOT, "loading %s at scale %s (12 x %,d events each, seed %d) ...",
                    String.join(", ", options.layouts().stream().map(Enum::name).toList()), options.scale(),
                    options.scale().rowsPerMonth(), seed));
            Bench.load(lab, options.layouts(), options.scale(), seed, progress.mode());
        }
        var report = Bench.run(lab, options, progress.mode());
        output.print(report.loads());
        output.print(report.summary());
        if (!report.flagged().isEmpty()) {
            output.print(report.flagged()); // reported, not failed: a ratio is a measurement of this run
        }
        List<String> differing = report.measurements().stream()
                .filter(m -> !report.sameResult(m.layout(), m.query().name()))
                .map(m -> m.query().name() + " on " + m.layout()).toList();
        output.note("report: " + report.markdownFile() + ", chart: " + report.chartFile() + ", plans: "
                + String.join(", ", options.layouts().stream().map(l -> report.planFile(l).getFileName().toString()).toList()));
        if (!differing.isEmpty()) {
            output.verdict("DIFFERENT RESULTS from the " + report.baseline() + " layout: " + String.join(", ", differing));
            return Cli.FAILURE;
        }
        return Cli.OK;
    }
}
