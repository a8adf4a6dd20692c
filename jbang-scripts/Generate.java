///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java

import java.time.YearMonth;
import java.util.concurrent.Callable;
import lab.Cli;
import lab.EventGenerator;
import lab.Scale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "Generate", sortOptions = false,
        description = "Loads synthetic events (UUID ids, tenants, times spread over each month, weighted event types, "
                + "a small jsonb payload) into an events table through binary COPY, and reports generation time, "
                + "COPY time and rows/s.",
        footer = {"",
            "Example (the seeds' Variant A on docker compose):",
            "  jbang scripts/Generate.java --dsn postgresql://app:app@localhost:54322/app \\",
            "      --table app.events --from 2024-01 --to 2024-12 \\",
            "      --per-month 500000 --tenants 1000",
            "",
            "Exit: 0 loaded, 1 failed (nothing committed), 2 bad input (nothing written)."})
public class Generate implements Callable<Integer> {
    @Option(names = "--table", paramLabel = "SCHEMA.TABLE", defaultValue = "app.events",
            description = "Table to load, with columns id uuid, tenant_id int, occurred_at timestamptz, "
                    + "event_type text, payload jsonb. Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(names = "--from", paramLabel = "YYYY-MM", defaultValue = "2024-01", description = "First month. Default: ${DEFAULT-VALUE}.")
    YearMonth from;

    @Option(names = "--to", paramLabel = "YYYY-MM", defaultValue = "2024-12", description = "Last month. Default: ${DEFAULT-VALUE}.")
    YearMonth to;

    @Option(names = "--per-month", paramLabel = "ROWS",
            description = "Rows per month. Default: LAB_SCALE's (ci 500, demo 20000, full 500000).")
    Long perMonth;

    @Option(names = "--tenants", paramLabel = "N", defaultValue = "1000", description = "tenant_id runs from 1 to N. Default: ${DEFAULT-VALUE}.")
    int tenants;

    @Option(names = "--seed", paramLabel = "N", description = "Same seed, same rows. Default: a random one, reported at the end.")
    Long seed;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "" + EventGenerator.DEFAULT_CONNECTIONS,
            description = "Parallel COPY streams, one month slice at a time each. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Mixin Cli.Target target;
    @Mixin Cli.ProgressOption progress;
    @Mixin Cli.Output output;

    public static void main(String... args) {
        Cli.exit(new Generate(), args);
    }

    @Override
    public Integer call() {
        var request = new EventGenerator.Request(table, from, to,
                perMonth != null ? perMonth : Scale.current().rowsPerMonth(), tenants,
                seed != null ? seed : EventGenerator.randomSeed(), connections, progress.mode());
        var stats = EventGenerator.load(target.node("partitioned"), request);
        output.note(stats.summary());
        output.print(stats.toTable());
        return Cli.OK;
    }
}
