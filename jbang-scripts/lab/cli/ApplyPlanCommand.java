package lab.cli;

import lab.AdvisorPlan;
import picocli.CommandLine.Command;

/** {@code apply DIR/<table> [--confirm]}: runs a plan's migrate.sql ({@link AdvisorPlan#apply}); a dry run unless confirmed. */
@Command(name = "apply", sortOptions = false,
        description = "Runs a plan's migrate.sql: the online migration of the table to partitions by month, its registration with the "
                + "partition manager and the months ahead; or, for the other layouts, <table>_next filled by a copy while a capture "
                + "records the changes, renamed in one short window. Readers and writers go on; each exclusive window is taken under "
                + "lock_timeout, retried within a budget. Then count and checksum per partition against the kept <table>_old. Without --confirm: shows each "
                + "step and what it locks, and changes nothing. Interrupted, run it again: it continues from where the table stands.",
        footer = {"", "Exit: 0 migrated and verified, 1 a step failed, a lock was not got within --lock-budget or the rows differ,",
            "2 bad input (not a plan, no such table, a table migrated before): nothing changed."})
public class ApplyPlanCommand extends PlanCommand {
    @Override
    AdvisorPlan.File file() {
        return AdvisorPlan.File.MIGRATE;
    }
}
