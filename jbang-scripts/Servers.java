///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java

import java.util.concurrent.Callable;
import lab.BadInput;
import lab.Cli;
import lab.Lab;
import lab.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "Servers",
        description = "Sees and wipes the lab's PostgreSQL servers (the embedded ones live under LAB_HOME, default ~/.partition-lab).",
        subcommands = {Servers.Status.class, Servers.Reset.class})
public class Servers implements Callable<Integer> {
    public static void main(String... args) {
        Cli.exit(new Servers(), args);
    }

    @Override
    public Integer call() {
        throw new BadInput("name a command: status or reset (see --help)");
    }

    @Command(name = "status", description = "The nodes of the topology, where each lives and whether it runs. Starts nothing.")
    static class Status implements Callable<Integer> {
        @Mixin Cli.TopologyOption topology;
        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            output.print(topology.lab().nodes());
            return Cli.OK;
        }
    }

    @Command(name = "reset", description = "Stops the embedded servers and deletes their data. Without --yes it only lists what would go.")
    static class Reset implements Callable<Integer> {
        @Option(names = "--yes", description = "Really stop and delete them.")
        boolean yes;

        @Mixin Cli.Output output;

        @Override
        public Integer call() {
            output.print(Lab.reset(yes));
            if (!yes) output.note("dry run: nothing was touched; add --yes to stop and delete the servers under " + Settings.labHome());
            return Cli.OK;
        }
    }
}
