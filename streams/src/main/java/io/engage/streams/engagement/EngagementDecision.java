package io.engage.streams.engagement;

import io.engage.streams.EngagementOutput;
import io.engage.streams.activity.DayState;
import io.engage.streams.activity.HourBucket;
import io.engage.streams.points.PointsBalance;
import io.engage.streams.streaks.StreakBook;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one reading changes for its participant: the new versions of the state it touched and the events to emit, in
 * order. The processor stores the state and forwards the outputs; it decides nothing.
 *
 * @param buckets         changed buckets by UTC hour (an empty bucket is to be deleted)
 * @param newBuckets      the hours of {@code buckets} that did not exist before (their expiry is to be scheduled)
 * @param days            changed local days
 * @param streaks         the new streak book, or null when unchanged
 * @param points          the new points balance, or null when unchanged
 * @param outputs         the events, in the order they are to be emitted
 */
public record EngagementDecision(
        Map<Long, HourBucket> buckets,
        Set<Long> newBuckets,
        Map<LocalDate, DayState> days,
        StreakBook streaks,
        PointsBalance points,
        List<EngagementOutput> outputs) {
    /** Nothing changes. */
    public static final EngagementDecision NONE =
            new EngagementDecision(Map.of(), Set.of(), Map.of(), null, null, List.of());

    public EngagementDecision {
        buckets = Map.copyOf(buckets);
        newBuckets = Set.copyOf(newBuckets);
        days = Map.copyOf(days);
        outputs = List.copyOf(outputs);
    }
}
