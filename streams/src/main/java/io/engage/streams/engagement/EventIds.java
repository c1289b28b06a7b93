package io.engage.streams.engagement;

import io.engage.avro.Metric;
import io.engage.avro.PointsReason;
import java.time.LocalDate;

/**
 * Every id of an event the engagement topology emits, built from the event's identity (participant, date, metric,
 * streak start, milestone, threshold number), never from time or counters: the same achievement always gets the same
 * id, so a consumer can ignore an id it has seen and a replay changes nothing (docs/rules.md, "Event ids").
 */
public final class EventIds {
    private EventIds() {}

    /** {@code goal:{participantId}:{date}:{metric}}: one per participant, date and metric. */
    public static String goal(String participantId, LocalDate date, Metric metric) {
        return "goal:" + participantId + ":" + date + ":" + metric;
    }

    /** {@code streak:{participantId}:{streakStart}:JOINED:{date}}: late data on {@code date} joined two streaks. */
    public static String streakJoined(String participantId, LocalDate streakStart, LocalDate date) {
        return "streak:" + participantId + ":" + streakStart + ":JOINED:" + date;
    }

    /** {@code streak:{participantId}:{streakStart}:{days}}: one per streak start and milestone. */
    public static String streakMilestone(String participantId, LocalDate streakStart, int days) {
        return "streak:" + participantId + ":" + streakStart + ":" + days;
    }

    /** {@code points:{participantId}:{date}:STEP_GOAL}. */
    public static String stepGoalPoints(String participantId, LocalDate date) {
        return "points:" + participantId + ":" + date + ":" + PointsReason.STEP_GOAL;
    }

    /** {@code points:{participantId}:{date}:ACTIVE_MINUTES_GOAL}. */
    public static String activeMinutesGoalPoints(String participantId, LocalDate date) {
        return "points:" + participantId + ":" + date + ":" + PointsReason.ACTIVE_MINUTES_GOAL;
    }

    /** {@code points:{participantId}:{streakStart}:STREAK_MILESTONE:{days}}. */
    public static String milestonePoints(String participantId, LocalDate streakStart, int days) {
        return "points:" + participantId + ":" + streakStart + ":" + PointsReason.STREAK_MILESTONE + ":" + days;
    }

    /** {@code points:{participantId}:CHEER_GIVEN:{cheerId}}: one per cheer the participant gave (docs/social.md). */
    public static String cheerPoints(String participantId, String cheerId) {
        return "points:" + participantId + ":" + PointsReason.CHEER_GIVEN + ":" + cheerId;
    }

    /**
     * {@code nudge:{participantId}:{date}:{type}:{slot}}: one per participant, local date, nudge type and slot
     * (docs/coaching.md), so a nudge is never sent twice.
     */
    public static String nudge(String participantId, LocalDate date, io.engage.avro.NudgeType type, String slot) {
        return "nudge:" + participantId + ":" + date + ":" + type + ":" + slot;
    }

    /** {@code don:{programId}:{issuer}:{n}} for the issuer's n-th threshold; the issuer is a participant id or {@code team:{teamId}}. */
    public static String donation(String programId, String issuer, long n) {
        return "don:" + programId + ":" + issuer + ":" + n;
    }

    /**
     * As {@link #donation(String, String, long)} for an issuer first seen after {@code generation} erasures in the
     * programme: {@code don:{programId}:{issuer}#{generation}:{n}} ({@code #} is not allowed in ids), so a participant
     * re-created after an erasure never repeats the ids of the erased one's donations (docs/privacy.md).
     */
    public static String donation(String programId, String issuer, long generation, long n) {
        return generation == 0 ? donation(programId, issuer, n) : donation(programId, issuer + "#" + generation, n);
    }
}
