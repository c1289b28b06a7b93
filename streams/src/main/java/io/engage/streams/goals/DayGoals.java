package io.engage.streams.goals;

import io.engage.streams.reference.ProfileView;
import io.engage.streams.reference.ProgramRules;
import java.time.LocalDate;
import java.util.NavigableMap;

/**
 * A day's goals, fixed when its first reading is processed and never moved after (docs/rules.md): the step goal
 * from {@link StepGoalPolicy} and the programme's active-minutes goal.
 */
public record DayGoals(int steps, int activeMinutes) {

    /**
     * The goals for {@code date} under the participant's current preferences and programme; {@code stepHistory} holds
     * the step totals of earlier days that have step data (only the 7 days before {@code date} are looked at).
     */
    public static DayGoals freeze(
            LocalDate date, ProfileView profile, ProgramRules program, NavigableMap<LocalDate, Long> stepHistory) {
        int steps = StepGoalPolicy.goalFor(
                date,
                program.goals(),
                new StepGoalPolicy.ParticipantGoals(profile.ownStepGoal(), profile.adaptiveGoal()),
                stepHistory);
        return new DayGoals(steps, program.activeMinutesGoal());
    }
}
