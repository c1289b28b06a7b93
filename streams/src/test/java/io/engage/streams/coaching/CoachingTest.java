package io.engage.streams.coaching;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Channel;
import io.engage.avro.LocalTimeRange;
import io.engage.avro.Nudge;
import io.engage.avro.NudgeType;
import io.engage.avro.Participant;
import io.engage.avro.Preferences;
import io.engage.streams.testing.EngagementDriver;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/coaching.md through the engagement topology, driven by the test driver's wall clock (it starts at
 * 2026-11-20T12:00Z, 13:00 in Berlin, 17:45 in Kathmandu): nudges at the participant's own times, held back by their
 * preferences as they stand when the nudge is due, and never sent twice.
 */
class CoachingTest {
    private static final LocalTimeRange NO_ACTIVE_HOURS = new LocalTimeRange(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    /** The test programme: prompts at {@code times}, no inactivity checks. */
    private void programme(String... times) {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPromptTimes(List.of(times).stream().map(LocalTime::parse).toList())
                .setActiveHours(NO_ACTIVE_HOURS)
                .build());
    }

    private static Preferences.Builder prefs() {
        return Preferences.newBuilder();
    }

    private void join(String pid, String zone, Preferences.Builder prefs) {
        d.profile(EngagementDriver.participant(pid, zone)
                .setPreferences(prefs.build())
                .build());
        // a first reading puts the participant on the schedule
        d.reading(pid, "trk-" + pid, io.engage.avro.Metric.steps, 100, "2026-11-20T06:00:00Z", "2026-11-20T06:30:00Z")
                .send();
    }

    private List<String> sent(String pid) {
        d.collect();
        return d.nudges.stream()
                .filter(n -> n.getParticipantId().equals(pid))
                .map(n -> n.getType() + "@" + n.getSlot())
                .toList();
    }

    private List<String> held(String pid) {
        return d.nudgeRecords(pid).stream()
                .filter(r -> !r.sent())
                .map(r -> r.type() + "@" + r.slot() + ":" + r.reason())
                .toList();
    }

    @Test
    void aPromptIsSentAtTheProgrammesLocalTimeInEachParticipantsZone() {
        programme("13:30", "18:15");
        join("p-berlin", "Europe/Berlin", prefs());
        join("p-kathmandu", "Asia/Kathmandu", prefs());

        d.wallClockTo(Instant.parse("2026-11-20T12:14:59Z"));
        assertThat(d.nudges).isEmpty();
        // 18:00 in Kathmandu (UTC+05:45): 100 steps is behind pace
        d.wallClockTo(Instant.parse("2026-11-20T12:15:00.500Z"));
        assertThat(sent("p-kathmandu")).containsExactly("BEHIND_PACE@18:00");
        // 13:30 in Berlin and 18:15 in Kathmandu are the same instant
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        assertThat(sent("p-berlin")).containsExactly("SCHEDULED_PROMPT@13:30");
        assertThat(sent("p-kathmandu")).containsExactly("BEHIND_PACE@18:00", "SCHEDULED_PROMPT@18:15");
        Nudge prompt = d.nudges.get(1);
        assertThat(prompt.getNudgeId()).isEqualTo("nudge:p-berlin:2026-11-20:SCHEDULED_PROMPT:13:30");
        assertThat(prompt.getDueAt()).isEqualTo(Instant.parse("2026-11-20T12:30:00Z"));
        assertThat(prompt.getStepsSoFar()).isEqualTo(100);
        assertThat(prompt.getStepGoal()).isEqualTo(7000);
        assertThat(prompt.getMessage()).contains("100 of 7,000 steps");
        assertThat(prompt.getChannel()).isEqualTo(Channel.push);

        // nothing is due again when the clock moves on within the day
        d.wallClockTo(Instant.parse("2026-11-20T12:40:00Z"));
        assertThat(d.nudges).hasSize(3);
    }

    @Test
    void onTheSpringForwardDayThePromptKeepsItsLocalTime() {
        programme("10:00");
        join("p-1", "Europe/Berlin", prefs());
        // a jump over months: the slots it passes are found too late and skipped, then the schedule goes on
        d.wallClockTo(Instant.parse("2027-03-28T07:59:00Z"));
        int before = d.nudges.size();
        d.wallClockTo(Instant.parse("2027-03-28T08:00:00.500Z")); // 10:00 CEST, 09:00 UTC the day before
        assertThat(d.nudges.subList(before, d.nudges.size()))
                .extracting(n -> n.getType() + "@" + n.getDate() + " " + n.getSlot() + " " + n.getDueAt())
                .containsExactly("SCHEDULED_PROMPT@2027-03-28 10:00 2027-03-28T08:00:00Z");
    }

    @Test
    void quietHoursAcrossMidnightHoldBackAndTheHeldNudgeIsRecorded() {
        programme("22:30", "07:30");
        join(
                "p-1",
                "Europe/Berlin",
                prefs().setQuietHours(new LocalTimeRange(LocalTime.of(22, 0), LocalTime.of(7, 0))));
        d.wallClockTo(Instant.parse("2026-11-20T21:29:00Z")); // the slots it jumps over are found too late
        d.wallClockTo(Instant.parse("2026-11-20T21:30:00.500Z")); // 22:30 in Berlin
        assertThat(sent("p-1")).doesNotContain("SCHEDULED_PROMPT@22:30");
        assertThat(held("p-1")).contains("SCHEDULED_PROMPT@22:30:QUIET_HOURS");
        d.wallClockTo(Instant.parse("2026-11-21T06:29:00Z"));
        d.wallClockTo(Instant.parse("2026-11-21T06:30:00.500Z")); // 07:30 the next morning
        assertThat(sent("p-1")).endsWith("SCHEDULED_PROMPT@07:30");
    }

    @Test
    void theDailyCapCountsOnlySentNudges() {
        programme("13:10", "13:20", "13:30");
        join(
                "p-1",
                "Europe/Berlin",
                prefs().setMaxNudgesPerDay(1)
                        .setQuietHours(new LocalTimeRange(LocalTime.of(13, 5), LocalTime.of(13, 15))));
        d.wallClockTo(Instant.parse("2026-11-20T12:10:00.500Z"));
        d.wallClockTo(Instant.parse("2026-11-20T12:20:00.500Z"));
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        assertThat(held("p-1"))
                .containsExactly("SCHEDULED_PROMPT@13:10:QUIET_HOURS", "SCHEDULED_PROMPT@13:30:DAILY_CAP");
        assertThat(sent("p-1")).containsExactly("SCHEDULED_PROMPT@13:20");

        // the nudges query: sent and held back, each in due order
        var inbox = d.queries(java.time.Clock.fixed(Instant.parse("2026-11-20T12:31:00Z"), java.time.ZoneOffset.UTC))
                .nudges("p-1", null)
                .orElseThrow();
        assertThat(inbox.date()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(inbox.sent())
                .extracting(NudgeRecord::nudgeId)
                .containsExactly("nudge:p-1:2026-11-20:SCHEDULED_PROMPT:13:20");
        assertThat(inbox.suppressed())
                .extracting(r -> r.slot() + " " + r.reason())
                .containsExactly("13:10 QUIET_HOURS", "13:30 DAILY_CAP");
        assertThat(d.queries().nudges("p-unknown", null)).isEmpty();
        // and counted: engage_nudges_total{type,outcome,reason}
        assertThat(d.metrics
                        .counter("engage.nudges", "type", "SCHEDULED_PROMPT", "outcome", "sent", "reason", "none")
                        .count())
                .isEqualTo(1.0);
        assertThat(d.metrics
                        .counter(
                                "engage.nudges",
                                "type",
                                "SCHEDULED_PROMPT",
                                "outcome",
                                "suppressed",
                                "reason",
                                "DAILY_CAP")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void optOutCoachingOffAndAPausedDayHoldBackWithTheirReasons() {
        programme("13:30");
        join("p-out", "Europe/Berlin", prefs().setOptOut(List.of(NudgeType.SCHEDULED_PROMPT)));
        join("p-off", "Europe/Berlin", prefs().setCoaching(false));
        join("p-paused", "Europe/Berlin", prefs().setPausedDates(List.of(LocalDate.parse("2026-11-20"))));
        join(
                "p-on",
                "Europe/Berlin",
                prefs().setOptOut(List.of(NudgeType.INACTIVITY)).setChannel(Channel.email));
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        assertThat(held("p-out")).containsExactly("SCHEDULED_PROMPT@13:30:OPTED_OUT");
        assertThat(held("p-off")).containsExactly("SCHEDULED_PROMPT@13:30:COACHING_OFF");
        assertThat(held("p-paused")).containsExactly("SCHEDULED_PROMPT@13:30:PAUSED");
        assertThat(sent("p-on")).containsExactly("SCHEDULED_PROMPT@13:30");
        assertThat(d.nudges)
                .hasSize(1)
                .allSatisfy(n -> assertThat(n.getChannel()).isEqualTo(Channel.email));
    }

    @Test
    void aPreferenceChangedJustBeforeTheSlotGovernsIt() {
        programme("13:30", "13:40");
        Participant.Builder p = EngagementDriver.participant("p-1", "Europe/Berlin");
        join("p-1", "Europe/Berlin", prefs());
        d.wallClockTo(Instant.parse("2026-11-20T12:29:59Z"));
        d.profile(p.setPreferences(
                        prefs().setOptOut(List.of(NudgeType.SCHEDULED_PROMPT)).build())
                .setUpdatedAt(Instant.parse("2026-11-20T12:29:59Z"))
                .build());
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        assertThat(held("p-1")).containsExactly("SCHEDULED_PROMPT@13:30:OPTED_OUT");
        d.profile(p.setPreferences(prefs().build())
                .setUpdatedAt(Instant.parse("2026-11-20T12:35:00Z"))
                .build());
        d.wallClockTo(Instant.parse("2026-11-20T12:40:00.500Z"));
        assertThat(sent("p-1")).containsExactly("SCHEDULED_PROMPT@13:40");
    }

    @Test
    void theGoalIsCelebratedOncePerDayHoweverManyReadingsFollow() {
        programme();
        join("p-1", "Europe/Berlin", prefs());
        d.steps("p-1", "trk-p-1", 7200, "2026-11-20T09:00:00+01:00", "2026-11-20T11:00:00+01:00")
                .send();
        d.steps("p-1", "trk-p-1", 900, "2026-11-20T11:00:00+01:00", "2026-11-20T12:00:00+01:00")
                .send();
        d.steps("p-1", "gls-p-1", 1500, "2026-11-20T11:00:00+01:00", "2026-11-20T12:00:00+01:00")
                .send();
        assertThat(sent("p-1")).containsExactly("CELEBRATION@goal");
        Nudge c = d.nudges.get(0);
        assertThat(c.getNudgeId()).isEqualTo("nudge:p-1:2026-11-20:CELEBRATION:goal");
        assertThat(c.getMessage()).contains("7,300");
        // a late goal of an earlier day is not today's: no celebration
        d.steps("p-1", "trk-p-1", 8000, "2026-11-18T09:00:00+01:00", "2026-11-18T11:00:00+01:00")
                .send();
        assertThat(sent("p-1")).containsExactly("CELEBRATION@goal");
    }

    @Test
    void aDatesNudgeRecordsAreForgottenFiveWeeksAfterIt() {
        programme();
        join("p-1", "Europe/Berlin", prefs());
        d.steps("p-1", "trk-p-1", 8000, "2026-11-20T08:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .send();
        assertThat(d.nudgeRecords("p-1")).hasSize(1);
        // stream time moves on with the readings: 35 days after the date's end the record goes
        d.steps("p-1", "trk-p-1", 100, "2026-12-25T08:00:00+01:00", "2026-12-25T09:00:00+01:00")
                .receivedAt("2026-12-25T09:00:00+01:00")
                .send();
        assertThat(d.nudgeRecords("p-1")).extracting(NudgeRecord::slot).hasSize(1);
        d.steps("p-1", "trk-p-1", 100, "2026-12-26T08:00:00+01:00", "2026-12-26T09:00:00+01:00")
                .receivedAt("2026-12-26T09:00:00+01:00")
                .send();
        assertThat(d.nudgeRecords("p-1")).isEmpty();
    }

    @Test
    void aStreakMilestoneReachedByLateReadingsIsCelebratedToday() {
        programme();
        join("p-1", "Europe/Berlin", prefs());
        // received today (the 20th): goal days 17 to 19 are late, the 19th completes a 3-day streak
        for (String day : List.of("2026-11-17", "2026-11-18", "2026-11-19")) {
            d.steps("p-1", "trk-p-1", 8000, day + "T09:00:00+01:00", day + "T11:00:00+01:00")
                    .send();
        }
        assertThat(d.nudges)
                .extracting(n -> n.getType() + " " + n.getDate() + " " + n.getMessage())
                .containsExactly("CELEBRATION 2026-11-20 A 3-day streak of goal days. Well done!");
        // today's goal later the same day: still one celebration that day
        d.steps("p-1", "trk-p-1", 8000, "2026-11-20T08:00:00+01:00", "2026-11-20T10:00:00+01:00")
                .receivedAt("2026-11-20T12:30:00Z")
                .send();
        assertThat(d.goals).extracting(g -> g.getDate().toString()).contains("2026-11-20");
        assertThat(d.nudges).hasSize(1);
    }

    @Test
    void afterConsentIsWithdrawnNothingIsSentOrRecordedAndTheScheduleForgetsTheParticipant() {
        programme("13:30");
        join("p-1", "Europe/Berlin", prefs());
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setConsent(false)
                .setUpdatedAt(Instant.parse("2026-11-20T12:10:00Z"))
                .build());
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        assertThat(d.nudges).isEmpty();
        assertThat(d.nudgeRecords("p-1")).isEmpty();
        assertThat(d.keys(io.engage.streams.EngagementStores.NUDGE_SCHEDULE)).isEmpty();
    }

    /** At their local times in a whole-hour zone, a :45 zone, and on a spring-forward day. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"Europe/Berlin, 2026-11-21", "Asia/Kathmandu, 2026-11-21", "Europe/Berlin, 2027-03-28"})
    void behindPaceInactivityAndStreakAtRiskEachNeedTheirOccasion(String zoneId, String dateText) {
        ZoneId zone = ZoneId.of(zoneId);
        LocalDate date = LocalDate.parse(dateText);
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setPromptTimes(List.of())
                .setActiveHours(new LocalTimeRange(LocalTime.of(13, 0), LocalTime.of(14, 0)))
                .build());
        // p-idle: 100 steps at 13:00-13:30; p-busy: 4,900 steps then, on pace and active
        join("p-idle", zoneId, prefs().setMaxNudgesPerDay(10));
        join("p-busy", zoneId, prefs().setMaxNudgesPerDay(10));
        localSteps("p-idle", 100, date, 13);
        localSteps("p-busy", 4900, date, 13);
        // p-idle had a three-day streak up to the day before
        for (int back = 3; back >= 1; back--) {
            localSteps("p-idle", 8000, date.minusDays(back), 9);
        }
        for (String time : List.of("13:50", "18:00", "20:00")) {
            Instant due = date.atTime(LocalTime.parse(time)).atZone(zone).toInstant();
            d.wallClockTo(due.minusSeconds(30)); // slots jumped over before are found too late and skipped
            d.wallClockTo(due.plusMillis(500));
        }
        // the streak days were received on the day: celebrated then
        List<Nudge> timed = d.nudges.stream()
                .filter(n -> n.getType() != NudgeType.CELEBRATION)
                .toList();
        assertThat(timed)
                .extracting(n -> n.getParticipantId() + " " + n.getType() + "@" + n.getSlot())
                .containsExactly("p-idle INACTIVITY@13:50", "p-idle BEHIND_PACE@18:00", "p-idle STREAK_AT_RISK@20:00");
        assertThat(timed)
                .extracting(Nudge::getDueAt)
                .containsExactly(
                        date.atTime(13, 50).atZone(zone).toInstant(),
                        date.atTime(18, 0).atZone(zone).toInstant(),
                        date.atTime(20, 0).atZone(zone).toInstant());
        assertThat(timed).allSatisfy(n -> assertThat(n.getDate()).isEqualTo(date));
        assertThat(timed.get(2).getMessage()).contains("3-day streak");
        assertThat(sent("p-busy")).isEmpty();
        assertThat(d.nudgeRecords("p-busy"))
                .as("an occasion that did not arise is not recorded")
                .isEmpty();
    }

    /** Steps over half an hour from {@code hour}:00 local on {@code date}, received five minutes after. */
    private void localSteps(String pid, double steps, LocalDate date, int hour) {
        ZoneId zone = ZoneId.of(
                d.store(io.engage.streams.EngagementStores.PROFILES).get(pid)
                                instanceof io.engage.streams.reference.ProfileView p
                        ? p.zoneId()
                        : "UTC");
        var start = date.atTime(hour, 0).atZone(zone).toOffsetDateTime();
        d.steps(
                        pid,
                        "trk-" + pid,
                        steps,
                        start.toString(),
                        start.plusMinutes(30).toString())
                .receivedAt(start.plusMinutes(35).toInstant())
                .send();
    }

    @Test
    void aDecidedSlotIsNotSentAgainAndTheScheduleKeepsOneEntryPerParticipant() {
        programme("13:30");
        join("p-1", "Europe/Berlin", prefs());
        d.wallClockTo(Instant.parse("2026-11-20T12:30:00.500Z"));
        d.wallClockTo(Instant.parse("2026-11-20T12:30:01.500Z"));
        d.advanceWallClock(Duration.ofSeconds(5));
        assertThat(sent("p-1")).containsExactly("SCHEDULED_PROMPT@13:30");
        assertThat(d.keys(io.engage.streams.EngagementStores.NUDGE_SCHEDULE))
                .as("one entry: the participant's next slot")
                .hasSize(1);
    }
}
