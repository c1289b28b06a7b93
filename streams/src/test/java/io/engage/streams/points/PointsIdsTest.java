package io.engage.streams.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.engage.avro.Metric;
import io.engage.avro.PointRules;
import io.engage.avro.PointsAwarded;
import io.engage.avro.PointsReason;
import io.engage.streams.testing.EngagementDriver;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: every award is an event with a deterministic id; step goal day +10, active-minutes goal day +5,
 * streak milestones from the programme's table; a participant's total is the sum.
 */
class PointsIdsTest {

    private static void threeGoalDays(EngagementDriver d) {
        d.profile("p-1", "Europe/Berlin");
        for (String date : new String[] {"2026-11-17", "2026-11-18", "2026-11-19"}) {
            d.steps("p-1", "tracker-1", 7200, date + "T09:00:00+01:00", date + "T12:00:00+01:00")
                    .send();
        }
        d.reading(
                        "p-1",
                        "tracker-1",
                        Metric.active_minutes,
                        35,
                        "2026-11-19T09:00:00+01:00",
                        "2026-11-19T10:00:00+01:00")
                .send();
    }

    private static List<PointsAwarded> run(Consumer<EngagementDriver> scenario) {
        try (EngagementDriver d = new EngagementDriver()) {
            scenario.accept(d);
            return List.copyOf(d.points);
        }
    }

    @Test
    void pointsIdsAreDeterministic() {
        List<PointsAwarded> first = run(PointsIdsTest::threeGoalDays);
        assertThat(first)
                .extracting(PointsAwarded::getAwardId, PointsAwarded::getReason, PointsAwarded::getPoints)
                .containsExactly(
                        tuple("points:p-1:2026-11-17:STEP_GOAL", PointsReason.STEP_GOAL, 10),
                        tuple("points:p-1:2026-11-18:STEP_GOAL", PointsReason.STEP_GOAL, 10),
                        tuple("points:p-1:2026-11-19:STEP_GOAL", PointsReason.STEP_GOAL, 10),
                        tuple("points:p-1:2026-11-17:STREAK_MILESTONE:3", PointsReason.STREAK_MILESTONE, 5),
                        tuple("points:p-1:2026-11-19:ACTIVE_MINUTES_GOAL", PointsReason.ACTIVE_MINUTES_GOAL, 5));
        assertThat(first.get(0).getSourceEventId()).isEqualTo("goal:p-1:2026-11-17:steps");
        assertThat(first.get(3).getSourceEventId()).isEqualTo("streak:p-1:2026-11-17:3");
        assertThat(first.get(3).getDate())
                .as("the day the milestone was reached")
                .hasToString("2026-11-19");
        assertThat(first).allSatisfy(a -> assertThat(a.getProgramId()).isEqualTo(EngagementDriver.PROGRAM));

        // the same input again, in another application instance: the same awards, field for field
        assertThat(run(PointsIdsTest::threeGoalDays)).isEqualTo(first);
    }

    @Test
    void pointsFollowTheProgrammesTableAndAddUp() {
        try (EngagementDriver d = new EngagementDriver()) {
            d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                    .setPoints(PointRules.newBuilder()
                            .setStepGoalDay(20)
                            .setActiveMinutesGoalDay(0)
                            .setMilestones(Map.of("2", 7, "3", 11))
                            .build())
                    .build());
            threeGoalDays(d);
            assertThat(d.points)
                    .extracting(PointsAwarded::getAwardId, PointsAwarded::getPoints)
                    .containsExactly(
                            tuple("points:p-1:2026-11-17:STEP_GOAL", 20),
                            tuple("points:p-1:2026-11-18:STEP_GOAL", 20),
                            tuple("points:p-1:2026-11-17:STREAK_MILESTONE:2", 7),
                            tuple("points:p-1:2026-11-19:STEP_GOAL", 20),
                            tuple("points:p-1:2026-11-17:STREAK_MILESTONE:3", 11));
            assertThat(d.queries().summary("p-1").orElseThrow().points()).isEqualTo(20 * 3 + 7 + 11);
        }
    }
}
