package io.engage.streams.coaching;

import io.engage.avro.Metric;
import io.engage.avro.Nudge;
import io.engage.avro.NudgeType;
import io.engage.streams.EngagementOutput;
import io.engage.streams.engagement.EventIds;
import io.engage.streams.reference.ProfileView;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * The coaching rules (docs/coaching.md) as a pure function: a due slot, the participant's profile and figures in, what
 * becomes of the nudge out. The condition of the type comes first (a nudge whose occasion did not arise is not a
 * nudge, so it is neither sent nor recorded), then the participant's preferences in a fixed order: coaching off,
 * opted out, paused day, quiet hours, daily cap.
 */
public final class NudgeRules {
    /** Behind pace: steps below this share of the goal at 18:00. */
    public static final double BEHIND_PACE_SHARE = 0.6;
    /** Inactivity: fewer steps than this in the hour up to :50. */
    public static final long INACTIVE_HOUR_STEPS = 250;
    /** Streak at risk: a current streak of at least this many days. */
    public static final int STREAK_AT_RISK_DAYS = 3;

    private NudgeRules() {}

    /** What becomes of a due nudge. */
    public sealed interface Decision {}

    /** Send it: the record for {@code coaching.nudges} and what is kept of it. */
    public record Send(Nudge nudge, NudgeRecord record) implements Decision {}

    /** Hold it back, for the recorded reason. */
    public record Suppress(NudgeRecord record) implements Decision {}

    /** Nothing to send or record: the occasion did not arise, or there is no consenting profile. */
    public record Nothing(String why) implements Decision {}

    /**
     * @param profile the participant's profile as this instance has it now (null: none)
     * @param zone    the participant's zone, for the due time's local time
     * @param now     when the decision is made (the nudge's {@code at})
     */
    public static Decision decide(
            String participantId, NudgeSlot slot, ProfileView profile, ZoneId zone, NudgeFacts facts, Instant now) {
        if (profile == null || !profile.consent()) {
            return new Nothing("no consenting profile");
        }
        String occasion = occasion(slot.type(), facts);
        if (occasion != null) {
            return new Nothing(occasion);
        }
        CoachingPreferences prefs = profile.coaching();
        String message = NudgeMessages.text(slot.type(), facts);
        String id = EventIds.nudge(participantId, slot.date(), slot.type(), slot.slot());
        SuppressReason reason = held(slot, prefs, profile, zone, facts);
        NudgeRecord record =
                new NudgeRecord(slot.type(), slot.slot(), slot.dueAt(), now, reason, id, prefs.channel(), message);
        if (reason != null) {
            return new Suppress(record);
        }
        return new Send(
                Nudge.newBuilder()
                        .setNudgeId(id)
                        .setParticipantId(participantId)
                        .setType(slot.type())
                        .setDate(slot.date())
                        .setSlot(slot.slot())
                        .setChannel(prefs.channel())
                        .setStepsSoFar(facts.stepsSoFar())
                        .setStepGoal(facts.stepGoal())
                        .setMessage(message)
                        .setDueAt(slot.dueAt())
                        .setAt(now)
                        .build(),
                record);
    }

    /** A celebration to decide: the local date it is for and the streak milestone reached with it (0: none). */
    public record Celebration(LocalDate date, int milestone) {}

    /**
     * Whether a reading's events call for a celebration: today's step goal reached (not a late goal of an earlier day),
     * or a streak milestone reached, also through a late goal day, then celebrated on the local date of {@code at} in
     * {@code zone} (the reading's receipt). Null: none.
     */
    public static Celebration celebrationOf(List<EngagementOutput> events, Instant at, ZoneId zone) {
        LocalDate goal = null;
        int milestone = 0;
        for (EngagementOutput e : events) {
            if (e instanceof EngagementOutput.Goal g
                    && g.event().getMetric() == Metric.steps
                    && !g.event().getLate()) {
                goal = g.event().getDate();
            } else if (e instanceof EngagementOutput.Streak s && s.event().getMilestone() != null) {
                milestone = Math.max(milestone, s.event().getMilestone());
            }
        }
        if (goal == null && milestone == 0) {
            return null;
        }
        return new Celebration(goal != null ? goal : LocalDate.ofInstant(at, zone), milestone);
    }

    /** Why the type's occasion did not arise (null: it did). */
    static String occasion(NudgeType type, NudgeFacts f) {
        return switch (type) {
            case SCHEDULED_PROMPT, CELEBRATION -> null;
            case BEHIND_PACE -> f.stepsSoFar() < BEHIND_PACE_SHARE * f.stepGoal() ? null : "on pace";
            case INACTIVITY -> f.hourSteps() < INACTIVE_HOUR_STEPS ? null : "active this hour";
            case STREAK_AT_RISK ->
                f.streak() >= STREAK_AT_RISK_DAYS && !f.goalMet() ? null : "no streak of 3 days at risk";
        };
    }

    /** The first preference that holds the nudge back (null: none). */
    static SuppressReason held(
            NudgeSlot slot, CoachingPreferences prefs, ProfileView profile, ZoneId zone, NudgeFacts facts) {
        if (!prefs.coaching()) {
            return SuppressReason.COACHING_OFF;
        }
        if (prefs.optOut().contains(slot.type())) {
            return SuppressReason.OPTED_OUT;
        }
        if (profile.pausedDates().contains(slot.date())) {
            return SuppressReason.PAUSED;
        }
        if (prefs.quietAt(LocalTime.ofInstant(slot.dueAt(), zone))) {
            return SuppressReason.QUIET_HOURS;
        }
        if (facts.sentToday() >= prefs.maxPerDay()) {
            return SuppressReason.DAILY_CAP;
        }
        return null;
    }
}
