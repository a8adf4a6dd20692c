///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.time.YearMonth;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.EventGenerator;
import lab.Scale;
import lab.Sharding;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "Generate", sortOptions = false,
        description = "Loads synthetic events (UUID ids, tenants, times spread over each month, weighted event types, "
                + "a small jsonb payload) into an events table through binary COPY, and reports generation time, "
                + "COPY time and rows/s. Refuses a load that would not fit on the disk of the server's data folder "
                + "(rows x ~" + EventGenerator.BYTES_PER_ROW + " bytes; checked where that folder is on this machine).",
        footer = {"",
            "Example (the seeds' Variant A on docker compose):",
            "  jbang scripts/Generate.java --dsn postgresql://app:app@localhost:54322/app \\",
            "      --table app.events --from 2024-01 --to 2024-12 \\",
            "      --per-month 500000 --tenants 1000",
            "",
            "",
            "The seeds' Variant B, through the coordinator (PostgreSQL routes each row):",
            "  jbang scripts/Generate.java --node coordinator --table app.events_sharded",
            "and the same rows straight into the shards (by the coordinator's per-tenant map, or by the hash the loader computes):",
            "  jbang scripts/Generate.java --table app.events_sharded --direct-to-shards",
            "  jbang scripts/Generate.java --table app.events_sharded --shard-aware",
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
            description = "Parallel COPY streams, each taking the next slice (up to 50,000 rows of one month) until "
                    + "none is left. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--direct-to-shards",
            description = "Load app.events_sharded's rows straight into the shards' app.events_shard (nodes shard1, "
                    + "shard2 of the topology), each row to the shard the coordinator's hash partitions name, instead of "
                    + "through the coordinator. Needs the topology (not --dsn) and --table app.events_sharded.")
    boolean directToShards;

    @Option(names = "--shard-aware",
            description = "Like --direct-to-shards, but the loader routes every row itself: PostgreSQL's hash partitioning "
                    + "computed in Java from the coordinator's partition bounds (lab.HashPartitions), no question to the "
                    + "server per tenant. Needs the topology (not --dsn) and --table app.events_sharded.")
    boolean shardAware;

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
        EventGenerator.Stats stats;
        if (directToShards && shardAware) throw new BadInput("--direct-to-shards and --shard-aware exclude each other: give one");
        if (directToShards || shardAware) {
            String option = directToShards ? "--direct-to-shards" : "--shard-aware";
            if (!request.table().equals(Sharding.TABLE)) {
                throw new BadInput(option + " loads " + Sharding.TABLE + " only, not " + request.table());
            }
            Sharding sharding = Sharding.on(target.lab());
            stats = directToShards ? sharding.loadDirect(request) : sharding.loadShardAware(request);
        } else {
            stats = EventGenerator.load(target.node("partitioned"), request);
        }
        stats.notes().forEach(output::note);
        output.note(stats.summary());
        output.print(stats.toTable());
        return Cli.OK;
    }
}
