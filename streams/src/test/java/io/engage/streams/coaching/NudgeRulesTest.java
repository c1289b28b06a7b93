package io.engage.streams.coaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Channel;
import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.avro.StreakEvent;
import io.engage.avro.StreakEventKind;
import io.engage.streams.EngagementOutput;
import io.engage.streams.reference.ProfileView;
import io.engage.streams.testing.TestProfiles;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/coaching.md: the occasion of each type, then the participant's preferences in their order. */
class NudgeRulesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final NudgeFacts BEHIND = new NudgeFacts(1_000, 7_000, false, 100, 4, 0, 0);

    private static NudgeSlot slot(NudgeType type, String localTime) {
        return new NudgeSlot(
                type,
                DAY,
                localTime,
                DAY.atTime(LocalTime.parse(localTime)).atZone(BERLIN).toInstant());
    }

    private static ProfileView profile(CoachingPreferences prefs, LocalDate... paused) {
        return new ProfileView(
                "p-1",
                "prog-1",
                null,
                "Europe/Berlin",
                true,
                null,
                null,
                new TreeSet<>(Set.of(paused)),
                null,
                prefs,
                true,
                true,
                null);
    }

    private static NudgeRules.Decision decide(NudgeSlot slot, ProfileView p, NudgeFacts f) {
        return NudgeRules.decide("p-1", slot, p, BERLIN, f, slot.dueAt().plusMillis(300));
    }

    @Test
    void aSentNudgeCarriesItsIdentityChannelAndNumbers() {
        NudgeSlot s = slot(NudgeType.SCHEDULED_PROMPT, "15:00");
        var prefs = new CoachingPreferences(true, Set.of(), LocalTime.of(21, 0), LocalTime.of(8, 0), 4, Channel.sms);
        NudgeRules.Send send = (NudgeRules.Send) decide(s, profile(prefs), BEHIND);
        assertThat(send.nudge().getNudgeId()).isEqualTo("nudge:p-1:2026-11-20:SCHEDULED_PROMPT:15:00");
        assertThat(send.nudge().getChannel()).isEqualTo(Channel.sms);
        assertThat(send.nudge().getStepsSoFar()).isEqualTo(1_000);
        assertThat(send.nudge().getStepGoal()).isEqualTo(7_000);
        assertThat(send.nudge().getMessage()).contains("1,000", "7,000", "6,000");
        assertThat(send.nudge().getDueAt()).isEqualTo(s.dueAt());
        assertThat(send.record().sent()).isTrue();
    }

    @Test
    void eachTypeNeedsItsOccasion() {
        ProfileView p = profile(CoachingPreferences.DEFAULT);
        assertThat(decide(slot(NudgeType.BEHIND_PACE, "18:00"), p, BEHIND)).isInstanceOf(NudgeRules.Send.class);
        assertThat(decide(slot(NudgeType.BEHIND_PACE, "18:00"), p, new NudgeFacts(4_200, 7_000, false, 0, 0, 0, 0)))
                .as("60 % of the goal is on pace")
                .isInstanceOf(NudgeRules.Nothing.class);
        assertThat(decide(slot(NudgeType.INACTIVITY, "11:50"), p, BEHIND)).isInstanceOf(NudgeRules.Send.class);
        assertThat(decide(slot(NudgeType.INACTIVITY, "11:50"), p, new NudgeFacts(0, 7_000, false, 250, 0, 0, 0)))
                .isInstanceOf(NudgeRules.Nothing.class);
        assertThat(decide(slot(NudgeType.STREAK_AT_RISK, "20:00"), p, new NudgeFacts(0, 7_000, false, 0, 3, 0, 0)))
                .isInstanceOf(NudgeRules.Send.class);
        assertThat(decide(slot(NudgeType.STREAK_AT_RISK, "20:00"), p, new NudgeFacts(0, 7_000, false, 0, 2, 0, 0)))
                .isInstanceOf(NudgeRules.Nothing.class);
        assertThat(decide(slot(NudgeType.STREAK_AT_RISK, "20:00"), p, new NudgeFacts(8_000, 7_000, true, 0, 5, 0, 0)))
                .as("today's goal already met")
                .isInstanceOf(NudgeRules.Nothing.class);
    }

    @Test
    void preferencesHoldBackInTheirOrder() {
        NudgeSlot s = slot(NudgeType.SCHEDULED_PROMPT, "10:00");
        var off = new CoachingPreferences(
                false, Set.of(NudgeType.SCHEDULED_PROMPT), LocalTime.of(9, 0), LocalTime.of(11, 0), 0, Channel.push);
        assertThat(reason(s, profile(off, DAY))).isEqualTo(SuppressReason.COACHING_OFF);
        var optedOut = new CoachingPreferences(
                true, Set.of(NudgeType.SCHEDULED_PROMPT), LocalTime.of(9, 0), LocalTime.of(11, 0), 0, Channel.push);
        assertThat(reason(s, profile(optedOut, DAY))).isEqualTo(SuppressReason.OPTED_OUT);
        var quiet = new CoachingPreferences(true, Set.of(), LocalTime.of(9, 0), LocalTime.of(11, 0), 0, Channel.push);
        assertThat(reason(s, profile(quiet, DAY))).isEqualTo(SuppressReason.PAUSED);
        assertThat(reason(s, profile(quiet))).isEqualTo(SuppressReason.QUIET_HOURS);
        var capped = new CoachingPreferences(true, Set.of(), LocalTime.of(21, 0), LocalTime.of(8, 0), 2, Channel.push);
        assertThat(decide(s, profile(capped), new NudgeFacts(0, 7_000, false, 0, 0, 0, 2)))
                .extracting(d -> ((NudgeRules.Suppress) d).record().reason())
                .isEqualTo(SuppressReason.DAILY_CAP);
        assertThat(decide(s, profile(capped), new NudgeFacts(0, 7_000, false, 0, 0, 0, 1)))
                .isInstanceOf(NudgeRules.Send.class);
    }

    @Test
    void quietHoursMayCrossMidnight() {
        var prefs = new CoachingPreferences(true, Set.of(), LocalTime.of(22, 0), LocalTime.of(7, 0), 4, Channel.push);
        assertThat(prefs.quietAt(LocalTime.of(22, 0))).isTrue();
        assertThat(prefs.quietAt(LocalTime.of(23, 59))).isTrue();
        assertThat(prefs.quietAt(LocalTime.of(0, 30))).isTrue();
        assertThat(prefs.quietAt(LocalTime.of(6, 59))).isTrue();
        assertThat(prefs.quietAt(LocalTime.of(7, 0))).isFalse();
        assertThat(prefs.quietAt(LocalTime.of(21, 59))).isFalse();
        assertThat(new CoachingPreferences(true, Set.of(), LocalTime.NOON, LocalTime.NOON, 4, Channel.push)
                        .quietAt(LocalTime.NOON))
                .as("equal ends: no quiet hours")
                .isFalse();
    }

    @Test
    void withoutAConsentingProfileNothingIsSentOrRecorded() {
        NudgeSlot s = slot(NudgeType.SCHEDULED_PROMPT, "10:00");
        assertThat(NudgeRules.decide("p-1", s, null, BERLIN, BEHIND, Instant.now()))
                .isInstanceOf(NudgeRules.Nothing.class);
        ProfileView withdrawn = TestProfiles.plain("p-1", "Europe/Berlin", false);
        assertThat(NudgeRules.decide("p-1", s, withdrawn, BERLIN, BEHIND, Instant.now()))
                .isInstanceOf(NudgeRules.Nothing.class);
    }

    private static SuppressReason reason(NudgeSlot s, ProfileView p) {
        return ((NudgeRules.Suppress) decide(s, p, BEHIND)).record().reason();
    }

    @Test
    void aCelebrationIsForTodaysGoalOrAStreakMilestone() {
        LocalDate today = DAY;
        assertThat(NudgeRules.celebrationOf(List.of(goal(today, false)), AT, BERLIN))
                .isEqualTo(new NudgeRules.Celebration(today, 0));
        assertThat(NudgeRules.celebrationOf(List.of(goal(today.minusDays(1), true)), AT, BERLIN))
                .as("a late goal alone")
                .isNull();
        assertThat(NudgeRules.celebrationOf(List.of(goal(today.minusDays(1), true), milestone(3)), AT, BERLIN))
                .as("a late goal that completes a milestone: celebrated today")
                .isEqualTo(new NudgeRules.Celebration(today, 3));
        assertThat(NudgeRules.celebrationOf(List.of(goal(today, false), milestone(7)), AT, BERLIN))
                .isEqualTo(new NudgeRules.Celebration(today, 7));
        assertThat(NudgeRules.celebrationOf(List.of(), AT, BERLIN)).isNull();
    }

    /** Received at 13:00 on {@link #DAY} in Berlin. */
    private static final Instant AT = Instant.parse("2026-11-20T12:00:00Z");

    private static EngagementOutput goal(LocalDate date, boolean late) {
        return new EngagementOutput.Goal(GoalAchieved.newBuilder()
                .setEventId("goal:p-1:" + date + ":steps")
                .setParticipantId("p-1")
                .setProgramId("prog-1")
                .setDate(date)
                .setMetric(Metric.steps)
                .setGoal(7000)
                .setTotalAtCrossing(7100)
                .setLate(late)
                .setAt(Instant.parse("2026-11-20T12:00:00Z"))
                .build());
    }

    private static EngagementOutput milestone(int days) {
        return new EngagementOutput.Streak(StreakEvent.newBuilder()
                .setEventId("streak:p-1:x:" + days)
                .setParticipantId("p-1")
                .setKind(StreakEventKind.MILESTONE)
                .setStreakStart(DAY.minusDays(days - 1))
                .setStreakEnd(DAY)
                .setLength(days)
                .setMilestone(days)
                .setAt(Instant.parse("2026-11-20T12:00:00Z"))
                .build());
    }
}
