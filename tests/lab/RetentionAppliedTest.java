package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * Retention applied, held to its dry run and the catalogs on a real server (lesson 06, section 8): drop, detach and
 * their checks hold after a real run, and a dry run that listed something else is caught.
 */
class RetentionAppliedTest extends LessonTables {
    @Override
    int rowsPerMonth() {
        return 20;
    }

    @Test
    void theAppliedRunIsTheDryRunAndEveryRowIsAccountedFor() {
        var manager = PartitionManager.on(db).asOf(LocalDate.parse("2025-09-15")).withTimeTravel();
        assertFalse(PartitionManager.anyError(manager.run(null, false, Progress.Mode.OFF)));
        var later = manager.asOf(LocalDate.parse("2026-04-15"));
        var dryRun = later.retention(null, false, null);
        var rowsBefore = ManagedTables.state(db).rows();

        var applied = later.run(null, true, Progress.Mode.OFF);
        assertFalse(PartitionManager.anyError(applied));
        RetentionApplied retired = RetentionApplied.check(db, dryRun, applied, rowsBefore);
        assertTrue(retired.asTheDryRunSaid());
        assertEquals(dryRun.rowCount() - PartitionManager.partitionsWith(dryRun, "keep").size(), retired.partitions());
        // five tables drop (2 checks each), goal_completions detaches 3 months (3 + 1); app.events keeps 24 months
        assertEquals(14, retired.checks().size(), retired.checks()::toString);
        retired.checks().forEach(c -> assertTrue(c.holds(), c.message()));
        assertTrue(db.count("analytics.goal_completions_2025_01") > 0, "a detached month keeps its rows");
        assertFalse(Partitions.exists(db, "audit.audit_logs_p2025_01"), "a dropped month is gone");

        // a dry run that did not list one of them: the comparison says so, and that partition's checks fail
        var shorter = dryRun.where(dryRun.stringColumn("partition_name").isNotEqualTo("audit.audit_logs_p2025_01"));
        RetentionApplied other = RetentionApplied.check(db, shorter, applied, rowsBefore);
        assertFalse(other.asTheDryRunSaid());
        assertTrue(other.checks().stream().anyMatch(c -> !c.holds() && c.message().startsWith("audit.audit_logs:")), other.checks()::toString);
    }
}
