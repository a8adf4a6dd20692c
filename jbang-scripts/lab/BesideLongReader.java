package lab;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A change to a live table made beside a long reader ({@link Locks#holdAccessShare}: a session holding ACCESS SHARE
 * on the table and every partition for a while, as a report does), with a {@link LockProbe} asking meanwhile, as other
 * readers and writers would: what the change returned, and the longest wait each of them saw. Without lock_timeout
 * the change's strong lock request waits behind the long reader and everyone after it queues too; with it, the
 * request gives way every lock_timeout and retries, and the others go on.
 *
 * <pre>{@code
 * var queued = BesideLongReader.run(db, "audit.object_history", Duration.ofSeconds(2),
 *         () -> manager.withDiscipline(LockDiscipline.unbounded()).create("audit.object_history", from, to));
 * Claim.that("readers queued behind it", queued.reader().millis() > 1_000);
 * }</pre>
 */
public record BesideLongReader<T>(String table, T result, LockProbe.Longest reader, LockProbe.Longest writer, double millis) {

    /** Starts the long reader for {@code reading}, runs the action beside it under the probe, and waits for the reader to end. */
    public static <T> BesideLongReader<T> run(Node node, String table, Duration reading, Supplier<T> action) {
        try (var longReader = Locks.holdAccessShare(node, table, reading)) {
            long started = System.nanoTime();
            T result;
            List<LockProbe.Wait> waits;
            try (var probe = LockProbe.start(node, table)) {
                result = action.get();
                waits = probe.stop();
            }
            long ended = System.nanoTime();
            longReader.awaitEnd(reading.plusSeconds(10));
            var longest = LockProbe.longest(waits, List.of(table), started, ended);
            return new BesideLongReader<>(table, result, role(longest, LockProbe.Role.READER), role(longest, LockProbe.Role.WRITER),
                    (ended - started) / 1e6);
        }
    }

    private static LockProbe.Longest role(List<LockProbe.Longest> longest, LockProbe.Role role) {
        return longest.stream().filter(l -> l.role() == role).findFirst().orElseThrow();
    }

    /** One row per run, for a lesson to show side by side: the change, how long it took, the longest waits. */
    public static Table compare(String title, List<String> labels, List<BesideLongReader<?>> runs) {
        var change = StringColumn.create("change");
        var took = DoubleColumn.create("change took ms");
        var reader = StringColumn.create("longest wait of a reader (ms)");
        var writer = StringColumn.create("longest wait of a writer (ms)");
        for (int i = 0; i < runs.size(); i++) {
            change.append(labels.get(i));
            took.append(Math.round(runs.get(i).millis()));
            reader.append(runs.get(i).reader().shown());
            writer.append(runs.get(i).writer().shown());
        }
        return Table.create(title, change, took, reader, writer);
    }
}
