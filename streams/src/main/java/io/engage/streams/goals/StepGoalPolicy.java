package io.engage.streams.goals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.NavigableMap;

/**
 * A day's step goal (docs/rules.md): the programme default; the participant's own goal clamped to the programme's
 * {@code [minStepGoal, maxStepGoal]}; or, when adaptive goals are on, clamp(mean of the step totals of the days among
 * the 7 local days before D that have data, rounded half-up to the nearest 100, plus 500). Adaptive is on when the
 * participant opted in, or the programme opted in and the participant did not opt out. With no history the adaptive
 * goal is the programme default (as docs/rules.md says, even when the participant also set an own goal).
 */
public final class StepGoalPolicy {
    /** What the rule needs to know about the programme. */
    public record ProgramGoals(int stepGoal, int minStepGoal, int maxStepGoal, boolean adaptive) {}

    /** What the rule needs to know about the participant. */
    public record ParticipantGoals(Integer ownStepGoal, Boolean adaptive) {}

    private StepGoalPolicy() {}

    /**
     * The step goal for {@code day}; {@code history} maps earlier local dates to their step totals (days without
     * data absent).
     */
    public static int goalFor(
            LocalDate day, ProgramGoals program, ParticipantGoals participant, NavigableMap<LocalDate, Long> history) {
        int fixed = participant.ownStepGoal() != null
                ? clamp(participant.ownStepGoal(), program.minStepGoal(), program.maxStepGoal())
                : program.stepGoal();
        boolean adaptive = participant.adaptive() != null ? participant.adaptive() : program.adaptive();
        if (!adaptive) {
            return fixed;
        }
        NavigableMap<LocalDate, Long> window = history.subMap(day.minusDays(7), true, day, false);
        if (window.isEmpty()) {
            return program.stepGoal(); // docs/rules.md: "with no history, the programme default"
        }
        long sum = 0;
        for (long v : window.values()) {
            sum += v;
        }
        BigDecimal mean = BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(window.size()), 6, RoundingMode.HALF_UP);
        long rounded =
                mean.divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact() * 100;
        return clamp(rounded + 500, program.minStepGoal(), program.maxStepGoal());
    }

    static int clamp(long v, int min, int max) {
        return (int) Math.max(min, Math.min(max, v));
    }
}
