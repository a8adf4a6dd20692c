/**
 * What lessons and runbooks call: topology and nodes, SQL files, partitioning, maintenance (and its service),
 * sharding, Citus, the benchmarks, rendering and claims. Lessons {@code import lab.*;} and see nothing else: a lesson
 * shows a runbook by making the same calls the runbook makes. This package uses no other package of
 * the lab: the runbooks' command line (in {@code cli/}) and the notebook engine (in {@code notebook/}) build on it,
 * never the reverse. {@link lab.BadInput} (a user's mistake, exit 2) and {@link lab.Progress} live here because the
 * library raises and reports them.
 */
package lab;
