///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import lab.cli.Cli;
import lab.cli.MaintainCommand;

/**
 * The partition manager for operators and cron: {@code jbang scripts/Maintain.java run --apply}. Every subcommand,
 * with its help, lives in {@link MaintainCommand}; {@code --help} lists them.
 */
public class Maintain {
    public static void main(String... args) {
        Cli.exit(new MaintainCommand(), args);
    }
}
