package io.engage.streams.engagement;

import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.streaks.StreakBook;
import java.time.LocalDate;

/**
 * What the engagement rules may read of one participant's stored state: the processor answers from its stores, a
 * unit test from maps. Reads only; the rules return what changes ({@link EngagementDecision}).
 */
public interface ParticipantState {
    /** The bucket of UTC hour {@code epochHour}, or null when there is none. */
    HourBucket bucket(long epochHour);

    /** The local day {@code date}, or null when it has no data. */
    DayState day(LocalDate date);

    /** The participant's streak book ({@link StreakBook#EMPTY} when none). */
    StreakBook streaks();

    /** The participant's points ({@link io.engage.streams.points.PointsBalance#ZERO} when none). */
    PointsBalance points();
}
