package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service's daily run: due times in UTC around midnight and the due time itself, a missed run, bad input. */
class DailyScheduleTest {
    private static final String SWITCH = "enable.partition.maintenance"; // ENABLE_PARTITION_MAINTENANCE as a property
    private static final DailySchedule AT_0200 = DailySchedule.parse("02:00");

    @AfterEach
    void switchBack() {
        System.clearProperty(SWITCH);
    }

    @Test
    void nextRunIsTheFirstDueTimeStrictlyAfterNow() {
        assertEquals(t("2026-12-02T02:00:00Z"), AT_0200.nextRun(t("2026-12-02T01:59:59.999Z")));
        assertEquals(t("2026-12-03T02:00:00Z"), AT_0200.nextRun(t("2026-12-02T02:00:00Z")), "at the due time: tomorrow's");
        assertEquals(t("2026-12-03T02:00:00Z"), AT_0200.nextRun(t("2026-12-02T23:59:59Z")));
        assertEquals(t("2026-12-03T02:00:00Z"), AT_0200.nextRun(t("2026-12-03T00:00:00Z")), "just after midnight");
        assertEquals(t("2027-01-01T02:00:00Z"), AT_0200.nextRun(t("2026-12-31T12:00:00Z")), "over the year's end");
        assertEquals(t("2028-03-01T02:00:00Z"), AT_0200.nextRun(t("2028-02-29T03:00:00Z")), "after a leap day");

        var midnight = DailySchedule.parse("00:00");
        assertEquals(t("2026-12-03T00:00:00Z"), midnight.nextRun(t("2026-12-02T23:59:59Z")));
        assertEquals(t("2026-12-04T00:00:00Z"), midnight.nextRun(t("2026-12-03T00:00:00Z")));
        var lastMinute = DailySchedule.parse("23:59");
        assertEquals(t("2026-12-02T23:59:00Z"), lastMinute.nextRun(t("2026-12-02T00:00:00Z")));
        assertEquals(t("2026-12-03T23:59:00Z"), lastMinute.nextRun(t("2026-12-02T23:59:00Z")));
    }

    @Test
    void lastDueIsTheMostRecentDueTimeAtOrBeforeNow() {
        assertEquals(t("2026-12-02T02:00:00Z"), AT_0200.lastDue(t("2026-12-02T02:00:00Z")), "at the due time: that one");
        assertEquals(t("2026-12-01T02:00:00Z"), AT_0200.lastDue(t("2026-12-02T01:59:59Z")));
        assertEquals(t("2026-12-01T02:00:00Z"), AT_0200.lastDue(t("2026-12-02T00:00:00Z")), "just after midnight: yesterday's");
        assertEquals(t("2026-12-31T02:00:00Z"), AT_0200.lastDue(t("2027-01-01T01:00:00Z")), "over the year's end");
        var midnight = DailySchedule.at(LocalTime.MIDNIGHT);
        assertEquals(t("2026-12-03T00:00:00Z"), midnight.lastDue(t("2026-12-03T00:00:00Z")));
        assertEquals(t("2026-12-02T00:00:00Z"), midnight.lastDue(t("2026-12-02T23:59:59Z")));
    }

    @Test
    void aDueRunIsMissedWhenNoScheduledRunStartedSinceTheLastDueTime() {
        Instant now = t("2026-12-02T09:00:00Z"); // last due: 2026-12-02T02:00
        assertTrue(AT_0200.missed(now, Optional.empty()), "none ever ran: run at start-up");
        assertTrue(AT_0200.missed(now, Optional.of(t("2026-12-01T02:00:00Z"))), "yesterday's ran, today's did not");
        assertTrue(AT_0200.missed(now, Optional.of(t("2026-12-02T01:59:59Z"))));
        assertFalse(AT_0200.missed(now, Optional.of(t("2026-12-02T02:00:00Z"))), "today's started at the due time");
        assertFalse(AT_0200.missed(now, Optional.of(t("2026-12-02T08:30:00Z"))), "a catch-up run started today counts");
        // before today's due time, yesterday's counts
        Instant early = t("2026-12-02T01:00:00Z");
        assertFalse(AT_0200.missed(early, Optional.of(t("2026-12-01T02:00:05Z"))));
        assertTrue(AT_0200.missed(early, Optional.of(t("2026-11-30T02:00:00Z"))), "the service was down at yesterday's 02:00");
    }

    @Test
    void offHasNoDueTimesAndSaysWhy() {
        var off = DailySchedule.off("switched off for the test");
        assertFalse(off.enabled());
        assertNull(off.at());
        assertEquals("switched off for the test", off.offReason());
        assertNull(off.nextRun(t("2026-12-02T01:00:00Z")));
        assertNull(off.lastDue(t("2026-12-02T01:00:00Z")));
        assertFalse(off.missed(t("2026-12-02T09:00:00Z"), Optional.empty()));
        assertTrue(AT_0200.enabled());
        assertNull(AT_0200.offReason());
        assertEquals("daily at 02:00 UTC", AT_0200.toString());
    }

    @Test
    void fromSettingsDefaultsTo0200AndHonoursTheSwitch() {
        assertEquals(LocalTime.of(2, 0), DailySchedule.fromSettings(null).at());
        assertEquals(LocalTime.of(3, 30), DailySchedule.fromSettings("03:30").at());
        System.setProperty(SWITCH, "TRUE");
        assertTrue(DailySchedule.fromSettings(null).enabled());
        System.setProperty(SWITCH, "false");
        var off = DailySchedule.fromSettings("03:30");
        assertFalse(off.enabled());
        assertEquals("ENABLE_PARTITION_MAINTENANCE=false: the daily run is off", off.offReason());
        System.setProperty(SWITCH, "sometimes");
        var bad = assertThrows(BadInput.class, () -> DailySchedule.fromSettings(null));
        assertEquals("ENABLE_PARTITION_MAINTENANCE must be true or false, not 'sometimes'", bad.getMessage());
    }

    @Test
    void aTimeOtherThanHhMmIsBadInput() {
        for (String bad : new String[] {"2:00", "24:00", "02:60", "0200", "02:00:00", "02:00 ", " 02:00", "aa:bb", "", "-1:00", "２:００"}) {
            var refused = assertThrows(BadInput.class, () -> DailySchedule.parse(bad), bad);
            assertEquals("--at must be HH:MM (00:00 to 23:59), not '" + bad + "'", refused.getMessage());
        }
        assertEquals("--at must be HH:MM (00:00 to 23:59), not 'null'", assertThrows(BadInput.class, () -> DailySchedule.parse(null)).getMessage());
        System.setProperty(SWITCH, "false");
        assertThrows(BadInput.class, () -> DailySchedule.fromSettings("25:00"), "a bad time is refused even with the run off");
        assertEquals(LocalTime.of(23, 59), DailySchedule.parse("23:59").at());
        assertEquals(LocalTime.MIDNIGHT, DailySchedule.parse("00:00").at());
    }

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
