/**
 * The runbooks' shared command line: {@link lab.cli.Cli} (how a runbook runs, its exit codes 0, 1 and 2, the one-line
 * error) and its picocli mixins ({@code --dsn}/{@code --topology}, {@code --format}, {@code --[no-]progress}, the
 * advisor's {@link lab.cli.MeasureOptions}), and the {@code *Command} classes the runbooks in {@code jbang-scripts/}
 * delegate to. It uses {@code lab} and picocli; {@code lab} does not use it. Runbooks compile it with
 * {@code //SOURCES lab/cli/*.java}.
 */
package lab.cli;
