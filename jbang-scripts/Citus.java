///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//SOURCES lab/*.java
//SOURCES lab/cli/*.java

import lab.cli.CitusCommand;
import lab.cli.Cli;

/**
 * The Citus journey, step by step: {@code jbang scripts/Citus.java <setup|load|demo|enable-citus|add-worker|rebalance|
 * isolate|drain|undistribute|all|status|reset>}. The command, with its help, lives in {@link CitusCommand}.
 */
public class Citus {
    public static void main(String... args) {
        Cli.exit(new CitusCommand(), args);
    }
}
