package io.engage.streams.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.streams.testing.EngagementDriver;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md: an adaptive step goal is clamp(mean of the step totals of the up to 7 local days before D that have
 * data, rounded half-up to the nearest 100, plus 500; programme min, max); with no history, the default.
 */
class AdaptiveGoalTest {
    private final EngagementDriver d = new EngagementDriver();

    @AfterEach
    void close() {
        d.close();
    }

    private void daySteps(String pid, String date, double steps) {
        d.steps(pid, "tracker-1", steps, date + "T09:00:00+01:00", date + "T10:00:00+01:00")
                .send();
    }

    @Test
    void adaptiveGoalFromHistory() {
        d.profile(EngagementDriver.participant("p-1", "Europe/Berlin")
                .setAdaptiveGoal(true)
                .build());
        daySteps("p-1", "2026-11-12", 30000); // 8 days before the 20th: outside its window
        daySteps("p-1", "2026-11-17", 6000);
        daySteps("p-1", "2026-11-18", 7000);
        daySteps("p-1", "2026-11-19", 8149);
        // a day with heart rate only has no step data and does not count
        d.reading("p-1", "tracker-1", Metric.heart_rate, 70, "2026-11-16T09:00:00+01:00", "2026-11-16T09:00:00+01:00")
                .send();
        assertThat(d.day("p-1", "2026-11-12").getStepGoal())
                .as("no history: the default")
                .isEqualTo(7000);
        assertThat(d.day("p-1", "2026-11-17").getStepGoal())
                .as("30,000 + 500, clamped to the maximum")
                .isEqualTo(30000);

        // mean(6,000, 7,000, 8,149) = 7,049.67 -> 7,000 + 500
        daySteps("p-1", "2026-11-20", 100);
        assertThat(d.day("p-1", "2026-11-20").getStepGoal()).isEqualTo(7500);
        assertThat(d.queries()
                        .day("p-1", LocalDate.parse("2026-11-21"))
                        .orElseThrow()
                        .goals()
                        .steps())
                .as("what tomorrow's goal would be now: mean(6,000, 7,000, 8,149, 100) = 5,312.25 -> 5,300 + 500")
                .isEqualTo(5800);
    }

    @Test
    void theProgrammeCanSwitchItOnAndAParticipantOff() {
        d.program(EngagementDriver.program(EngagementDriver.PROGRAM)
                .setAdaptiveGoal(true)
                .setMaxStepGoal(9000)
                .build());
        d.profile("p-2", "Europe/Berlin");
        d.profile(EngagementDriver.participant("p-3", "Europe/Berlin")
                .setAdaptiveGoal(false)
                .setStepGoal(6000)
                .build());
        for (String pid : new String[] {"p-2", "p-3"}) {
            daySteps(pid, "2026-11-18", 12000);
            daySteps(pid, "2026-11-19", 14000);
            daySteps(pid, "2026-11-20", 100);
        }
        assertThat(d.day("p-2", "2026-11-20").getStepGoal())
                .as("13,500 clamped to the programme's max")
                .isEqualTo(9000);
        assertThat(d.day("p-3", "2026-11-20").getStepGoal())
                .as("own goal, adaptive off")
                .isEqualTo(6000);
    }
}
