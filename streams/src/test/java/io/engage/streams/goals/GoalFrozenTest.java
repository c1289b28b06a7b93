package io.engage.streams.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.GoalAchieved;
import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md: a day's goal is fixed when its first reading is processed and never moves after. */
class GoalFrozenTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    @Test
    void goalFrozenAfterALaterProfileChange() {
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setStepGoal(8000)
                .build());
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getStepGoal()).isEqualTo(8000);

        // the participant raises their goal during the day, and the programme its active-minutes goal
        d.profile(
                EngagementDriver.participant("p-1", "Europe/Berlin")
                        .setStepGoal(12000)
                        .build(),
                EngagementDriver.NOW);
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setActiveMinutesGoal(60)
                .build());
        d.steps("p-1", "tracker-1", 7500, "2026-11-20T10:00:00+01:00", "2026-11-20T12:00:00+01:00")
                .send();
        d.reading(
                        "p-1",
                        "tracker-1",
                        Metric.active_minutes,
                        45,
                        "2026-11-20T10:00:00+01:00",
                        "2026-11-20T12:00:00+01:00")
                .send();

        assertThat(d.day("p-1", "2026-11-20").getStepGoal())
                .as("still the goal of its first reading")
                .isEqualTo(8000);
        assertThat(d.day("p-1", "2026-11-20").getActiveMinutesGoal()).isEqualTo(30);
        assertThat(d.goals).extracting(GoalAchieved::getGoal).containsExactly(8000.0, 30.0);

        // the next day opens with the new goals
        d.steps("p-1", "tracker-1", 1000, "2026-11-21T08:00:00+01:00", "2026-11-21T09:00:00+01:00")
                .receivedAt("2026-11-21T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-21").getStepGoal()).isEqualTo(12000);
        assertThat(d.day("p-1", "2026-11-21").getActiveMinutesGoal()).isEqualTo(60);
    }

    @Test
    void ownGoalIsClampedToTheProgrammesBounds() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setMinStepGoal(5000)
                .build());
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setStepGoal(1000)
                .build());
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getStepGoal()).isEqualTo(5000);
    }

    @Test
    void aProgrammeWithoutARecordHasTheDefaults() {
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setProgramId("unknown-programme")
                .build());
        d.steps("p-1", "tracker-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-20").getStepGoal()).isEqualTo(7000);
        assertThat(d.day("p-1", "2026-11-20").getActiveMinutesGoal()).isEqualTo(30);
    }
}
