/**
 * The notebook engine: the headless replay of a lesson on jdk.jshell ({@link lab.notebook.NotebookRunner}, its shell,
 * kernel, magics, file and outputs) and the course runner ({@link lab.notebook.Course}, {@code ./mvnw -Pcourse package}).
 * The course command and the tests use it; no runbook compiles it. It uses {@code lab} (and {@link lab.cli.Cli} for
 * the course command's exit); {@code lab} does not use it, and a lesson sees only {@code lab}.
 */
package lab.notebook;
