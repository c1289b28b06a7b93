package io.engage.streams.coaching;

/**
 * The participant's figures a nudge is decided on, as of its due time (docs/coaching.md).
 *
 * @param stepsSoFar whole steps of the nudge's local date so far
 * @param stepGoal   the step goal of that date (the frozen goal, or the goal the date would get now)
 * @param goalMet    whether the step goal of that date is reached
 * @param hourSteps  steps of the local hour an inactivity check looks at (0 for other types)
 * @param streak     the participant's current streak of goal days on that date
 * @param milestone  the streak milestone reached with a celebration (0: none)
 * @param sentToday  nudges already sent to the participant on that date
 */
public record NudgeFacts(
        long stepsSoFar, int stepGoal, boolean goalMet, long hourSteps, int streak, int milestone, int sentToday) {}
