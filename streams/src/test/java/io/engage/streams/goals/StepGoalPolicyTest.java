package io.engage.streams.goals;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.streams.goals.StepGoalPolicy.ParticipantGoals;
import io.engage.streams.goals.StepGoalPolicy.ProgramGoals;
import java.time.LocalDate;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StepGoalPolicyTest {
    private static final LocalDate D = LocalDate.of(2026, 11, 25);
    private static final ProgramGoals PROGRAM = new ProgramGoals(7000, 2000, 30000, false);
    private static final ProgramGoals ADAPTIVE_PROGRAM = new ProgramGoals(7000, 2000, 30000, true);

    private static TreeMap<LocalDate, Long> history(long... totalsOldestFirst) {
        TreeMap<LocalDate, Long> h = new TreeMap<>();
        for (int i = 0; i < totalsOldestFirst.length; i++) {
            h.put(D.minusDays(totalsOldestFirst.length - i), totalsOldestFirst[i]);
        }
        return h;
    }

    @Test
    void programmeDefaultWithoutOwnGoal() {
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(null, null), history(12000)))
                .isEqualTo(7000);
    }

    @Test
    void ownGoalIsClampedToTheProgrammesBounds() {
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(9000, null), history()))
                .isEqualTo(9000);
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(500, null), history()))
                .isEqualTo(2000);
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(50000, null), history()))
                .isEqualTo(30000);
    }

    @Test
    void adaptiveGoalIsTheRoundedMeanOfTheDaysWithDataPlus500() {
        // mean of 6,000 / 7,000 / 8,149 = 7,049.67 -> 7,000 (half-up to the nearest 100) + 500
        assertThat(StepGoalPolicy.goalFor(
                        D,
                        new ProgramGoals(7000, 2000, 30000, false),
                        new ParticipantGoals(null, true),
                        history(6000, 7000, 8149)))
                .isEqualTo(7500);
        // 7,050 rounds half-up to 7,100
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(null, null), history(7000, 7100)))
                .isEqualTo(7600);
    }

    @Test
    void adaptiveGoalLooksOnlyAtTheSevenDaysBefore() {
        TreeMap<LocalDate, Long> h = new TreeMap<>();
        h.put(D.minusDays(8), 30000L); // outside the window
        h.put(D.minusDays(7), 4000L);
        h.put(D.minusDays(1), 6000L);
        h.put(D, 25000L); // the day itself does not count
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(null, null), h))
                .isEqualTo(5500);
    }

    @Test
    void adaptiveWithoutHistoryFallsBackAndIsClamped() {
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(null, null), history()))
                .isEqualTo(7000);
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(null, null), history(100, 200)))
                .isEqualTo(2000);
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(null, null), history(40000)))
                .isEqualTo(30000);
    }

    @Test
    void aParticipantMayOptOutOfTheProgrammesAdaptiveGoal() {
        assertThat(StepGoalPolicy.goalFor(D, ADAPTIVE_PROGRAM, new ParticipantGoals(8000, false), history(20000)))
                .isEqualTo(8000);
    }

    @Test
    void adaptiveWithoutHistoryIsTheProgrammeDefaultEvenWithAnOwnGoal() {
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(9000, true), history()))
                .isEqualTo(7000);
        assertThat(StepGoalPolicy.goalFor(D, PROGRAM, new ParticipantGoals(9000, true), history(6000)))
                .isEqualTo(6500);
    }
}
