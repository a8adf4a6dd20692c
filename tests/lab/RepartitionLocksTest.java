package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import lab.RepartitionScenario.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.Table;

/**
 * What the re-partitioning scenarios say about their locks is what pg_locks shows: lesson 05 prints each window's
 * planned locks ({@link RepartitionScenario#windowLocks}) beside pg_locks during the window ({@link Locks#whileInWindow}),
 * and this test makes the same calls for every scenario with a window. Then the lock discipline against a long reader:
 * the swap retries and succeeds while other readers wait about lock_timeout at most, or, with a budget shorter than the
 * reader, gives up naming it and changes nothing.
 */
class RepartitionLocksTest {
    private static final Duration HOLD = Duration.ofMillis(300);
    private static Node db;

    @BeforeAll
    static void connect() {
        db = Lab.connect("embedded").node("partitioned");
    }

    @BeforeEach
    void originalLayout() {
        RepartitionScenario.seed(db, 250, 500);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"add", "split", "detach", "cleanup"})
    void theLocksTheWindowIsSaidToTakeAreTheOnesPgLocksShows(String name) {
        var scenario = RepartitionScenario.named(name);
        if (scenario == RepartitionScenario.CLEANUP) {
            for (var s : List.of(RepartitionScenario.SPLIT, RepartitionScenario.ADD)) s.run(db, Options.defaults());
        }
        var options = Options.defaults().withHoldWindow(HOLD);
        Table stated = scenario.windowLocks(db, options);
        assertTrue(stated.rowCount() >= 2 && stated.stringColumn("relation").asList().contains("app.event_logs"), stated::print);

        var seen = Locks.whileInWindow(db, "app.event_logs", () -> scenario.run(db, options));

        assertTrue(seen.result().completed(), seen.result()::verdict);
        assertEquals(Locks.modes(stated), Locks.modes(seen.strongest()),
                "what the plan says the window locks, relation by relation, is what pg_locks showed:\n" + seen.locks().print());
        assertTrue(seen.locks().stringColumn("held_by").asList().stream().allMatch(w -> w.startsWith("online window: ")), seen.locks()::print);
    }

    @Test
    void aLongReaderMakesTheSwapRetryWhileOtherReadersWaitAboutLockTimeoutAtMost() {
        Fingerprint before = Fingerprint.of(db, "app.event_logs");
        RepartitionScenario.Outcome outcome;
        try (var reader = Locks.holdAccessShare(db, "app.event_logs", Duration.ofSeconds(3))) {
            outcome = RepartitionScenario.ADD.run(db, Options.defaults());
            assertFalse(reader.running(), "the swap's window came after the reader, not before it");
        }

        assertTrue(outcome.completed() && outcome.wholeTableUnchanged(), outcome::verdict);
        assertTrue(outcome.lockAttempts() > 1, "the window retried while the reader held the table: " + outcome.lockAttempts());
        var readers = outcome.longest("app.event_logs", LockProbe.Role.READER);
        var writers = outcome.longest("app.event_logs", LockProbe.Role.WRITER);
        // without lock_timeout, everyone after the swap's request would queue until the reader ended: about 3 s
        long bound = 3 * LockDiscipline.DEFAULT_LOCK_TIMEOUT.toMillis() + 100;
        assertTrue(readers.millis() < bound && writers.millis() < bound,
                "other readers waited at most " + readers.millis() + " ms, writers " + writers.millis() + " ms: about lock_timeout, not the reader's 3 s");
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(before));
    }

    @Test
    void aBudgetShorterThanTheReaderGivesUpNamingItAndChangesNothing() {
        Table layout = Partitions.leaves(db, "app.event_logs");
        Fingerprint before = Fingerprint.of(db, "app.event_logs");
        var shortBudget = Options.defaults().with(LockDiscipline.defaults().withBudget(Duration.ofMillis(600)));
        LockGiveUp gaveUp;
        int pid;
        try (var reader = Locks.holdAccessShare(db, "app.event_logs", Duration.ofSeconds(4))) {
            pid = reader.pid();
            gaveUp = assertThrows(LockGiveUp.class, () -> RepartitionScenario.ADD.run(db, shortBudget));
        }

        assertTrue(gaveUp.getMessage().contains("gave up") && gaveUp.getMessage().contains("pid " + pid)
                && gaveUp.getMessage().contains("pg_sleep"), gaveUp.getMessage());
        assertTrue(gaveUp.getMessage().contains("aborted: nothing of app.event_logs changed"), gaveUp.getMessage());
        assertEquals(layout.print(), Partitions.leaves(db, "app.event_logs").print());
        assertTrue(Fingerprint.of(db, "app.event_logs").sameRowsAs(before));
        assertFalse(Partitions.exists(db, "app.event_logs_2024_04"), "the staged tables are gone");
        assertEquals(0, OnlineSwap.inProgress(db, "app.event_logs").rowCount(), "no swap left under way");
        assertTrue(RepartitionScenario.ADD.run(db, Options.defaults()).completed(), "once the reader is gone, it goes through");
    }
}
