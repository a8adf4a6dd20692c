package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Lesson 09's checks (lab.CitusJourney) on a real Citus cluster, skipped with the reason where there is none: they hold
 * on the journey's first two phases, return what the lesson shows, remember each phase's placement, and fail, with
 * the claim, when the cluster is not where the lesson says it is. The whole journey runs in the lesson's replay.
 */
class CitusJourneyTest {

    @Test
    void theChecksHoldOnTheJourneyAndFailWhenTheClusterIsElsewhere() {
        Lab lab = Lab.connect();
        Optional<String> missing = Citus.unavailable(lab);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "no Citus cluster: " + missing.orElse(""));
        Citus citus = Citus.on(lab);
        CitusJourney journey = CitusJourney.of(citus);

        Table dropped = journey.startedOver(citus.reset(true));
        assertEquals(Citus.TABLES, dropped.stringColumn("table").asList(), "what the reset dropped, table by table");
        Table placement1 = journey.regularTables(citus.setup(Scale.ci), Scale.ci);
        assertEquals(List.of(Citus.COORDINATOR), placement1.stringColumn("lab_node").asList());
        assertEquals(5, journey.queriesOnOneServer().size(), "the five queries of Citus.DEMO_QUERIES");
        assertEquals(3, journey.keysOnOneServer().rowCount(), "two primary keys and a foreign key");
        // a dry run drops nothing: the tables are there, so "the four tables are gone" does not hold
        Claim.ClaimFailed notGone = assertThrows(Claim.ClaimFailed.class, () -> journey.startedOver(citus.reset(false)));
        assertTrue(notGone.getMessage().contains("the four tables are gone"), notGone.getMessage());

        Citus.Step enabled = citus.enableCitus();
        journey.distributed(enabled);
        Table tables = journey.twoWorkersHoldEveryShard(enabled);
        assertEquals(List.of("app.order_items", "app.orders", "app.regions"), tables.stringColumn("table_name").asList());
        assertTrue(journey.keysIncludeUserId().stringColumn("definition").asList().stream().allMatch(d -> d.contains("user_id")));
        assertEquals(8, journey.shardsCoverEveryHash().rowCount(), "8 shards of orders");
        CitusJourney.TenantShard tenant = journey.tenantSharesAShard(Citus.HOT_TENANT);
        assertTrue(tenant.node().startsWith("worker"), tenant.node());
        assertEquals(tenant.shardId(), Tables.number(tenant.where(), "shardid", 0));
        // distributed now: the phase 1 check that every query runs on the coordinator alone fails
        Claim.ClaimFailed stillLocal = assertThrows(Claim.ClaimFailed.class, journey::queriesOnOneServer);
        assertTrue(stillLocal.getMessage().contains("runs on the coordinator alone"), stillLocal.getMessage());

        assertEquals(List.of(0L, 16L), journey.shardsPerPhase(), "phase 1 and phase 2 remembered");
        assertTrue(citus.undistribute(true).changed(), "the cluster left as the lesson leaves it: regular tables");
    }
}
