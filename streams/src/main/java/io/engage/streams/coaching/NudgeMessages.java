package io.engage.streams.coaching;

import io.engage.avro.NudgeType;
import java.util.Locale;

/** The texts of the nudges, in one place (docs/coaching.md): short, friendly, with the participant's numbers. */
public final class NudgeMessages {
    private NudgeMessages() {}

    /** The message of a nudge of {@code type} with the day's figures. */
    public static String text(NudgeType type, NudgeFacts f) {
        return switch (type) {
            case SCHEDULED_PROMPT ->
                f.goalMet()
                        ? String.format(
                                Locale.ROOT,
                                "%s steps today, goal of %s reached. Every extra step counts too.",
                                n(f.stepsSoFar()),
                                n(f.stepGoal()))
                        : String.format(
                                Locale.ROOT,
                                "%s of %s steps so far today: %s to go. A short walk now?",
                                n(f.stepsSoFar()),
                                n(f.stepGoal()),
                                n(Math.max(0, f.stepGoal() - f.stepsSoFar())));
            case BEHIND_PACE ->
                String.format(
                        Locale.ROOT,
                        "%s of %s steps so far. An evening walk of %s steps would get you there.",
                        n(f.stepsSoFar()),
                        n(f.stepGoal()),
                        n(Math.max(0, f.stepGoal() - f.stepsSoFar())));
            case INACTIVITY ->
                String.format(
                        Locale.ROOT,
                        "Only %s steps this hour. Time to stand up and move for a few minutes?",
                        n(f.hourSteps()));
            case STREAK_AT_RISK ->
                String.format(
                        Locale.ROOT,
                        "Your %d-day streak is waiting: %s more steps today keep it going.",
                        f.streak(),
                        n(Math.max(0, f.stepGoal() - f.stepsSoFar())));
            case CELEBRATION ->
                f.milestone() > 0 && !f.goalMet()
                        ? String.format(Locale.ROOT, "A %d-day streak of goal days. Well done!", f.milestone())
                        : f.milestone() > 0
                                ? String.format(
                                        Locale.ROOT,
                                        "Goal reached: %s steps today, and a %d-day streak. Well done!",
                                        n(f.stepsSoFar()),
                                        f.milestone())
                                : String.format(
                                        Locale.ROOT,
                                        "Goal reached: %s of %s steps today. Well done!",
                                        n(f.stepsSoFar()),
                                        n(f.stepGoal()));
        };
    }

    /** {@code v} with a comma between groups of three digits, as {@code %,d} in {@link Locale#ROOT} formats it. */
    static String n(long v) {
        String digits = Long.toString(v);
        int sign = v < 0 ? 1 : 0;
        int len = digits.length() - sign;
        if (len <= 3) {
            return digits;
        }
        StringBuilder b = new StringBuilder(digits.length() + len / 3);
        b.append(digits, 0, sign);
        for (int i = 0; i < len; i++) {
            if (i > 0 && (len - i) % 3 == 0) {
                b.append(',');
            }
            b.append(digits.charAt(sign + i));
        }
        return b.toString();
    }
}
