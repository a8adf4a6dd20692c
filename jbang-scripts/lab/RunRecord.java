package lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * One maintenance run from the lock records (maintenance.run_history, read through the view maintenance.runs): what
 * ran ("run", "create", ...), who started it (trigger: cli, api, schedule, pg_cron, psql), for which table (null: every
 * enabled table), on which backend, when, and its result: {@code running}, {@code ok}, {@code failed}, or
 * {@code interrupted} (unfinished, and its session is gone: the server restarted or the session was killed).
 * {@code finishedAt} is null while running or interrupted.
 */
public record RunRecord(long id, String what, String trigger, String table, int pid, Instant startedAt, Instant finishedAt,
                        String result, String detail) {
    /** How long the run took; null if it has not finished (running or interrupted). */
    public Duration duration() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }

    /** The rows of sql/maintenance/commands/runs.sql. */
    static List<RunRecord> from(Table runs) {
        List<RunRecord> records = new ArrayList<>();
        for (int i = 0; i < runs.rowCount(); i++) {
            records.add(new RunRecord(((Number) runs.get(i, runs.columnIndex("id"))).longValue(), runs.getString(i, "what"),
                    runs.getString(i, "trigger"), runs.stringColumn("parent_table").isMissing(i) ? null : runs.getString(i, "parent_table"),
                    ((Number) runs.get(i, runs.columnIndex("pid"))).intValue(),
                    PartitionManager.instant(runs.dateTimeColumn("started_at").get(i)),
                    PartitionManager.instant(runs.dateTimeColumn("finished_at").get(i)),
                    runs.getString(i, "result"), runs.stringColumn("detail").isMissing(i) ? null : runs.getString(i, "detail")));
        }
        return records;
    }
}
