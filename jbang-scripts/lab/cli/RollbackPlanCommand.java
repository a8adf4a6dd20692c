package lab.cli;

import lab.AdvisorPlan;
import picocli.CommandLine.Command;

/** {@code rollback DIR/<table> [--confirm]}: runs a plan's rollback.sql ({@link AdvisorPlan#rollback}); a dry run unless confirmed. */
@Command(name = "rollback", sortOptions = false,
        description = "Runs a plan's rollback.sql: the table becomes the plain table it was, under its name, with every row written since "
                + "the migration, online (a copy filled in batches while a capture records the changes, one short window that catches "
                + "up and renames); the partitioned table is kept as <table>_partitioned, verified identical at the window. Without "
                + "--confirm: shows each step and what it locks, and changes nothing.",
        footer = {"", "Exit: 0 rolled back and verified, 1 a step failed, a lock was not got within --lock-budget or the rows differ,",
            "2 bad input (not a plan, no such table, a migration never applied): nothing changed."})
public class RollbackPlanCommand extends PlanCommand {
    @Override
    AdvisorPlan.File file() {
        return AdvisorPlan.File.ROLLBACK;
    }
}
