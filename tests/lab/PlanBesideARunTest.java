package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A maintenance plan (a dry run, GET-style) reads the catalogs without the maintenance lock, so a run beside it may
 * drop the DEFAULT it is about to scan (a rescue swaps the DEFAULT away). The plan's statement snapshot still holds
 * the dropped table while the catalog cache behind regclass no longer does, so its name printed as a bare number and
 * the scan failed with a syntax error (a 500 from the service once in a burst of 500 requests). Here the race is
 * made to happen every time: a REPEATABLE READ snapshot taken, the table dropped by another session, then the plan's
 * scan of it, which must say there is nothing waiting instead of failing.
 */
class PlanBesideARunTest {
    @Test
    void aDefaultDroppedUnderThePlansSnapshotHasNoRowsWaitingInsteadOfFailing() throws Exception {
        Node db = ServiceCalls.demoTables(Lab.connect("embedded").node("partitioned"), 1);
        db.query("DROP TABLE IF EXISTS public.lab_plan_race_default");
        db.query("CREATE TABLE public.lab_plan_race_default (created_at timestamptz)");
        long oid = ((Number) db.scalar("SELECT 'public.lab_plan_race_default'::regclass::oid")).longValue();
        try (Connection plan = db.connection(); Statement s = plan.createStatement()) {
            plan.setAutoCommit(false);
            try {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                s.execute("SELECT 1"); // the plan's snapshot, from before the run below
                db.query("DROP TABLE public.lab_plan_race_default"); // the run, on another session
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM maintenance.default_months(maintenance.config_for('audit.audit_logs'), "
                        + oid + "::oid::regclass)")) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), "a DEFAULT gone meanwhile has no rows waiting");
                }
            } finally {
                plan.rollback();
                plan.setAutoCommit(true);
            }
        }
    }
}
