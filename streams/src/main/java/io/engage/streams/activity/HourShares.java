package io.engage.streams.activity;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A cumulative reading's shares of its local hours ({@link HourSplit}) in millionths ({@link Micros}), adjusted so
 * they add up exactly to the reading's value: the rounding remainder goes to the largest share (the first of equals),
 * so the same reading always gives the same shares.
 */
public final class HourShares {
    private HourShares() {}

    public static SortedMap<LocalHour, Long> of(Instant start, Instant end, double value, ZoneId zone) {
        Map<LocalHour, Double> split = HourSplit.split(start, end, value, zone);
        SortedMap<LocalHour, Long> out = new TreeMap<>();
        long sum = 0;
        LocalHour largest = null;
        double largestShare = Double.NEGATIVE_INFINITY;
        for (Map.Entry<LocalHour, Double> e : new TreeMap<>(split).entrySet()) {
            long m = Micros.of(e.getValue());
            out.put(e.getKey(), m);
            sum += m;
            if (e.getValue() > largestShare) {
                largestShare = e.getValue();
                largest = e.getKey();
            }
        }
        long remainder = Micros.of(value) - sum;
        if (remainder != 0 && largest != null) {
            out.merge(largest, remainder, Long::sum);
        }
        return Collections.unmodifiableSortedMap(out);
    }
}
