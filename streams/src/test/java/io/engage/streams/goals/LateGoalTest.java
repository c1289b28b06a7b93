package io.engage.streams.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: exactly one {@code goals.achieved} event per (participant, date, metric), the first time the day's
 * total reaches the goal, however late; {@code late=true} when the date is before the participant's local date at
 * processing time (the record's timestamp); a later correction below the goal retracts nothing.
 */
class LateGoalTest {
    private final EngagementDriver d = new EngagementDriver().profile("p-1", "Europe/Berlin");

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void lateDataCrossingTheGoalOfAPastDayIsMarkedLate() {
        // a tracker syncs two days late (received 2026-11-20 13:00 Berlin)
        d.steps("p-1", "tracker-1", 4000, "2026-11-18T08:00:00+01:00", "2026-11-18T10:00:00+01:00")
                .send();
        assertThat(d.goals).isEmpty();
        d.steps("p-1", "tracker-1", 3500, "2026-11-18T17:00:00+01:00", "2026-11-18T18:00:00+01:00")
                .send();
        assertThat(d.goals).hasSize(1);
        GoalAchieved g = d.goals.get(0);
        assertThat(g.getEventId()).isEqualTo("goal:p-1:2026-11-18:steps");
        assertThat(g.getParticipantId()).isEqualTo("p-1");
        assertThat(g.getProgramId()).isEqualTo(EngagementDriver.PROGRAM);
        assertThat(g.getDate()).isEqualTo(LocalDate.parse("2026-11-18"));
        assertThat(g.getMetric()).isEqualTo(Metric.steps);
        assertThat(g.getGoal()).isEqualTo(7000.0);
        assertThat(g.getTotalAtCrossing()).isEqualTo(7500.0);
        assertThat(g.getLate()).isTrue();
        assertThat(g.getAt()).isEqualTo(EngagementDriver.NOW);
        assertThat(d.day("p-1", "2026-11-18").getStepsAchieved()).isTrue();
    }

    @Test
    void reachingTodaysGoalTodayIsNotLate() {
        d.steps("p-1", "tracker-1", 7000, "2026-11-20T08:00:00+01:00", "2026-11-20T12:00:00+01:00")
                .send();
        assertThat(d.goals).singleElement().satisfies(g -> {
            assertThat(g.getTotalAtCrossing()).isEqualTo(7000.0);
            assertThat(g.getLate()).isFalse();
        });
    }

    @Test
    void yesterdaysDataReceivedAfterLocalMidnightIsLate() {
        // received 00:05 Berlin on the 21st (23:05Z on the 20th): the 20th is already yesterday for the participant
        d.steps("p-1", "tracker-1", 7200, "2026-11-20T22:00:00+01:00", "2026-11-20T23:59:00+01:00")
                .receivedAt("2026-11-21T00:05:00+01:00")
                .send();
        assertThat(d.goals)
                .singleElement()
                .satisfies(g -> assertThat(g.getLate()).isTrue());
    }

    @Test
    void oneEventPerDayAndMetricAndNoRetraction() {
        d.steps("p-1", "tracker-1", 7000, "2026-11-19T08:00:00+01:00", "2026-11-19T12:00:00+01:00")
                .receivedAt("2026-11-20T09:00:00+01:00")
                .send();
        d.steps("p-1", "tracker-1", 2000, "2026-11-19T14:00:00+01:00", "2026-11-19T15:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "tracker-1",
                        Metric.active_minutes,
                        30,
                        "2026-11-19T14:00:00+01:00",
                        "2026-11-19T15:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "glasses-1",
                        Metric.active_minutes,
                        40,
                        "2026-11-19T14:00:00+01:00",
                        "2026-11-19T15:00:00+01:00")
                .send();
        // corrected far below the goal: nothing is taken back
        d.steps("p-1", "tracker-1", 100, "2026-11-19T08:00:00+01:00", "2026-11-19T12:00:00+01:00")
                .receivedAt("2026-11-20T13:00:00+01:00")
                .send();
        assertThat(d.goals)
                .extracting(GoalAchieved::getEventId)
                .containsExactly("goal:p-1:2026-11-19:steps", "goal:p-1:2026-11-19:active_minutes");
        assertThat(d.goals.get(1).getGoal()).isEqualTo(30.0);
        assertThat(d.goals.get(1).getTotalAtCrossing()).isEqualTo(30.0);
        assertThat(d.day("p-1", "2026-11-19").getSteps()).isEqualTo(2100);
        assertThat(d.day("p-1", "2026-11-19").getStepsAchieved()).isTrue();
        assertThat(d.day("p-1", "2026-11-19").getActiveMinutesAchieved()).isTrue();
        // climbing back over the goal gives no second event
        d.steps("p-1", "tracker-1", 9000, "2026-11-19T08:00:00+01:00", "2026-11-19T12:00:00+01:00")
                .receivedAt("2026-11-20T13:30:00+01:00")
                .send();
        assertThat(d.goals).hasSize(2);
    }

    @Test
    void stepsAreComparedAsWholeSteps() {
        // 6,999.5 steps are reported as 7,000 (half-up) and reach a goal of 7,000
        d.steps("p-1", "tracker-1", 6999.5, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(7000);
        assertThat(d.goals).hasSize(1);
    }
}
