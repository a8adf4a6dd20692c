///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import lab.cli.BenchCommand;
import lab.cli.Cli;

/**
 * The three-way benchmark, plain vs partitioned vs sharded: {@code jbang scripts/Bench.java --load --scale ci}. The
 * command, with its help, lives in {@link BenchCommand}.
 */
public class Bench {
    public static void main(String... args) {
        Cli.exit(new BenchCommand(), args);
    }
}
