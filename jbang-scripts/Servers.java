///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import java.util.List;
import java.util.concurrent.Callable;
import lab.BadInput;
import lab.Lab;
import lab.Settings;
import lab.Topology;
import lab.cli.Cli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "Servers",
        description = {"Starts, stops, checks and wipes the lab's PostgreSQL servers. The embedded ones live under "
                + "LAB_HOME/servers/<major>/<name> (LAB_HOME defaults to ~/.partition-lab) and ask for the password kept in "
                + "LAB_HOME/pgpass.",
                "Servers: main (nodes plain, partitioned, coordinator), shard1, shard2; citus, worker1..3 on a local "
                + "installation with Citus; scratch, where the advisor's --measure copies its samples."},
        subcommands = {Servers.Up.class, Servers.Down.class, Servers.Status.class, Servers.Reset.class})
public class Servers implements Callable<Integer> {
    public static void main(String... args) {
        Cli.exit(new Servers(), args);
    }

    @Override
    public Integer call() {
        throw new BadInput("name a command: up, down, status or reset (see --help)");
    }

    @Command(name = "up", description = {"Starts the servers detached and returns: they keep running after this command, "
            + "until `down`. Prints each one's DSN (never its password) and a psql line that connects with the password file.",
            "Embedded topology only (compose: docker compose up; dsn: your servers)."})
    static class Up implements Callable<Integer> {
        @Option(names = "--nodes", split = ",", paramLabel = "NAME",
                description = "Servers or nodes to start (default: main,shard1,shard2).")
        List<String> nodes = List.of("main", "shard1", "shard2");

        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            requireEmbedded("up");
            output.print(Lab.up(Lab.serverNames(nodes)));
            output.note("they keep running until `jbang scripts/Servers.java down`; to run a recipe of sql/, add -f sql/<file> to a psql line");
            return Cli.OK;
        }
    }

    @Command(name = "down", description = {"Lets the servers stop: each stops now, unless another lab process still uses it; "
            + "then it stops when the last one exits (--force stops it now). Deletes nothing; says what it stopped."})
    static class Down implements Callable<Integer> {
        @Option(names = "--nodes", split = ",", paramLabel = "NAME",
                description = "Servers or nodes to stop (default: all of them, local Citus nodes included).")
        List<String> nodes = Lab.SERVERS;

        @Option(names = "--force", description = "Stop them even under another lab process's running work.")
        boolean force;

        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            requireEmbedded("down");
            output.print(Lab.down(Lab.serverNames(nodes), force));
            return Cli.OK;
        }
    }

    @Command(name = "status", description = {"The nodes of the topology, where each lives and whether it answers now "
            + "(embedded: the server's folder and who keeps it running; compose and dsn: a connection is tried, 3 s timeout). "
            + "Starts nothing."})
    static class Status implements Callable<Integer> {
        @Mixin Cli.TopologyOption topology;
        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            Lab lab = topology.lab();
            output.print(lab.nodes());
            if (lab.topology().kind() == Topology.Kind.embedded) {
                output.note("connect with: PGPASSFILE=" + Settings.labHome().resolve("pgpass") + " psql <url>");
            }
            return Cli.OK;
        }
    }

    @Command(name = "reset", description = {"Stops the embedded servers (every major, whoever started them) and deletes "
            + "their data. Without --yes it only lists what --yes would remove. Follows no link out of LAB_HOME: a link "
            + "is unlinked, its target kept (but the lab's own links to local Citus nodes' data)."})
    static class Reset implements Callable<Integer> {
        @Option(names = "--yes", description = "Really stop and delete them.")
        boolean yes;

        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            output.print(Lab.reset(yes));
            if (!yes) output.note("dry run: nothing was touched; add --yes to stop the servers and remove the above under " + Settings.labHome());
            return Cli.OK;
        }
    }

    private static void requireEmbedded(String command) {
        String kind = Settings.get("LAB_TOPOLOGY", "embedded");
        if (!kind.strip().equalsIgnoreCase("embedded")) {
            throw new BadInput(command + " manages the servers the lab starts itself; LAB_TOPOLOGY is " + kind
                    + " (compose: docker compose " + command + "; dsn: your own servers)");
        }
    }
}
