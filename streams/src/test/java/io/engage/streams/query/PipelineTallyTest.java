package io.engage.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.streams.coaching.SuppressReason;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's pipeline counts (docs/query.md, "Pipeline counts"). */
class PipelineTallyTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private final PipelineTally tally = new PipelineTally();

    @Test
    void readingsAreCountedAcceptedAndDeadLetteredByReason() {
        tally.normalized(3);
        tally.normalized(2);
        tally.deadLettered("UNKNOWN_DEVICE");
        tally.deadLettered("NO_CONSENT");
        tally.deadLettered("UNKNOWN_DEVICE");

        assertThat(tally.readings())
                .isEqualTo(new PipelineTally.Readings(5, 3, Map.of("NO_CONSENT", 1L, "UNKNOWN_DEVICE", 2L)));
    }

    @Test
    void goalDaysArePerProgrammeDateAndMetric() {
        tally.goal("prog-a", DAY, Metric.steps);
        tally.goal("prog-a", DAY, Metric.steps);
        tally.goal("prog-a", DAY, Metric.active_minutes);
        tally.goal("prog-a", DAY.minusDays(1), Metric.steps);
        tally.goal("prog-b", DAY, Metric.steps);

        assertThat(tally.goalDays("prog-a", DAY)).isEqualTo(new PipelineTally.GoalDays(2, 1));
        assertThat(tally.goalDays("prog-a", DAY.minusDays(1))).isEqualTo(new PipelineTally.GoalDays(1, 0));
        assertThat(tally.goalDays("prog-b", DAY)).isEqualTo(new PipelineTally.GoalDays(1, 0));
        assertThat(tally.goalDays("prog-c", DAY)).isEqualTo(new PipelineTally.GoalDays(0, 0));
    }

    @Test
    void nudgesAreSentByTypeAndHeldBackByReasonPerDate() {
        tally.nudge(DAY, NudgeType.SCHEDULED_PROMPT, null);
        tally.nudge(DAY, NudgeType.SCHEDULED_PROMPT, null);
        tally.nudge(DAY, NudgeType.CELEBRATION, null);
        tally.nudge(DAY, NudgeType.INACTIVITY, SuppressReason.QUIET_HOURS);
        tally.nudge(DAY, NudgeType.BEHIND_PACE, SuppressReason.DAILY_CAP);
        tally.nudge(DAY.plusDays(1), NudgeType.BEHIND_PACE, SuppressReason.DAILY_CAP);

        assertThat(tally.nudges(DAY))
                .isEqualTo(new PipelineTally.Nudges(
                        3,
                        Map.of("CELEBRATION", 1L, "SCHEDULED_PROMPT", 2L),
                        2,
                        Map.of("DAILY_CAP", 1L, "QUIET_HOURS", 1L)));
        assertThat(tally.nudges(DAY.plusDays(1)).suppressed()).isEqualTo(1);
        assertThat(tally.nudges(DAY.minusDays(1))).isEqualTo(new PipelineTally.Nudges(0, Map.of(), 0, Map.of()));
    }

    @Test
    void datesFarBehindTheNewestAreForgottenSoTheTallyStaysSmall() {
        tally.goal("prog-a", DAY, Metric.steps);
        tally.nudge(DAY, NudgeType.CELEBRATION, null);
        LocalDate later = DAY.plusDays(PipelineTally.DAYS_KEPT);
        tally.goal("prog-a", later, Metric.steps);
        tally.nudge(later, NudgeType.CELEBRATION, null);
        assertThat(tally.goalDays("prog-a", DAY).steps()).isEqualTo(1);
        assertThat(tally.nudges(DAY).sent()).isEqualTo(1);

        tally.goal("prog-a", later.plusDays(1), Metric.steps);
        tally.nudge(later.plusDays(1), NudgeType.CELEBRATION, null);
        assertThat(tally.goalDays("prog-a", DAY).steps()).isZero();
        assertThat(tally.nudges(DAY).sent()).isZero();
        assertThat(tally.goalDays("prog-a", later).steps()).isEqualTo(1);
    }

    @Test
    void currentOnlyOnceCaughtUpAndUntilTheFeedStops() {
        assertThat(tally.caughtUp()).isFalse();
        tally.markCaughtUp();
        assertThat(tally.caughtUp()).isTrue();
        assertThat(tally.stopped()).isNull();
        tally.markStopped("TopicAuthorizationException: not allowed");
        assertThat(tally.caughtUp()).isFalse();
        assertThat(tally.stopped()).contains("not allowed");
    }
}
