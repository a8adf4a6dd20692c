package lab;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A daily run at a fixed time of day in UTC, or none (off, with the reason): when the maintenance service runs the
 * daily maintenance, and whether it missed one while it was down (systemd's {@code Persistent=true}: the run a
 * stopped service missed happens as it starts). Pure logic: the caller gives the clock.
 *
 * <pre>{@code
 * var schedule = DailySchedule.fromSettings("02:00");        // off when ENABLE_PARTITION_MAINTENANCE=false
 * Instant next = schedule.nextRun(Instant.now());
 * boolean catchUp = schedule.missed(Instant.now(), manager.lastRun("schedule").map(RunRecord::startedAt));
 * }</pre>
 */
public final class DailySchedule {
    /** The time of day when none is given: the seeds' and the cron file's 02:00 UTC. */
    public static final LocalTime DEFAULT_TIME = LocalTime.of(2, 0);
    private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private final LocalTime at; // null when off
    private final String offReason;

    private DailySchedule(LocalTime at, String offReason) {
        this.at = at;
        this.offReason = offReason;
    }

    /** HH:MM, 00:00 to 23:59, in UTC (the runbook's {@code --at}); anything else is a {@link BadInput}. */
    public static DailySchedule parse(String hhmm) {
        if (hhmm == null || !HH_MM.matcher(hhmm).matches()) {
            throw new BadInput("--at must be HH:MM (00:00 to 23:59), not '" + hhmm + "'");
        }
        return at(LocalTime.parse(hhmm));
    }

    /** Every day at this time of day, UTC. */
    public static DailySchedule at(LocalTime utc) {
        return new DailySchedule(Objects.requireNonNull(utc, "time of day"), null);
    }

    /** No daily run, for this reason (said in the service's status). */
    public static DailySchedule off(String reason) {
        return new DailySchedule(null, Objects.requireNonNull(reason, "reason"));
    }

    /**
     * The schedule the settings give: at the time given (HH:MM, else {@link #DEFAULT_TIME}), off when
     * {@code ENABLE_PARTITION_MAINTENANCE=false}. A malformed time, or a switch other than true or false, is a
     * {@link BadInput} (the time is checked even when the switch is off).
     */
    public static DailySchedule fromSettings(String atOrNull) {
        DailySchedule schedule = atOrNull == null ? at(DEFAULT_TIME) : parse(atOrNull);
        return PartitionManager.maintenanceEnabled() ? schedule
                : off(PartitionManager.ENABLE_SWITCH + "=false: the daily run is off");
    }

    public boolean enabled() {
        return at != null;
    }

    /** The time of day (UTC); null when off. */
    public LocalTime at() {
        return at;
    }

    /** Why there is no daily run; null when on. */
    public String offReason() {
        return offReason;
    }

    /** The first due time strictly after now; null when off. */
    public Instant nextRun(Instant now) {
        if (!enabled()) return null;
        Instant today = dueOn(LocalDate.ofInstant(now, ZoneOffset.UTC));
        return today.isAfter(now) ? today : dueOn(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1));
    }

    /** The most recent due time at or before now; null when off. */
    public Instant lastDue(Instant now) {
        if (!enabled()) return null;
        Instant today = dueOn(LocalDate.ofInstant(now, ZoneOffset.UTC));
        return today.isAfter(now) ? dueOn(LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1)) : today;
    }

    /**
     * A due run was missed: no scheduled run started at or after the last due time (none ever started counts too).
     * Never when off.
     */
    public boolean missed(Instant now, Optional<Instant> lastScheduledStart) {
        if (!enabled()) return false;
        return lastScheduledStart.map(started -> started.isBefore(lastDue(now))).orElse(true);
    }

    private Instant dueOn(LocalDate day) {
        return day.atTime(at).toInstant(ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return enabled() ? "daily at " + at + " UTC" : "off: " + offReason;
    }
}
