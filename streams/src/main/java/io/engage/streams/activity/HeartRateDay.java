package io.engage.streams.activity;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The heart-rate readings of one participant's local day as a multiset of values (millionths of beats/min to count),
 * so that a correction can take a value out and min and max are recomputed exactly. Heart rate is not summed over
 * devices: every reading counts once (docs/rules.md). Built from the day's heart-rate readings when a correction
 * takes a value out; otherwise the day's {@link Summary} is updated in place.
 */
public record HeartRateDay(SortedMap<Long, Integer> counts) {
    public static final HeartRateDay EMPTY = new HeartRateDay(new TreeMap<>());

    public HeartRateDay {
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }

    /** The summary of a day's heart rate: min, max, sum (millionths) and count. */
    public record Summary(long minMicros, long maxMicros, long sumMicros, long count) {
        public double min() {
            return Micros.toDouble(minMicros);
        }

        public double max() {
            return Micros.toDouble(maxMicros);
        }

        public double mean() {
            return Micros.toDouble(sumMicros) / count;
        }

        /** The summary of no readings and one of {@code micros} (null: none). */
        public static Summary plus(Summary s, long micros) {
            return s == null
                    ? new Summary(micros, micros, micros, 1)
                    : new Summary(
                            Math.min(s.minMicros, micros),
                            Math.max(s.maxMicros, micros),
                            s.sumMicros + micros,
                            s.count + 1);
        }
    }

    public HeartRateDay add(long micros) {
        TreeMap<Long, Integer> m = new TreeMap<>(counts);
        m.merge(micros, 1, Integer::sum);
        return new HeartRateDay(m);
    }

    /** Without one reading of {@code micros} (no change when there is none). */
    public HeartRateDay remove(long micros) {
        TreeMap<Long, Integer> m = new TreeMap<>(counts);
        m.computeIfPresent(micros, (k, n) -> n == 1 ? null : n - 1);
        return new HeartRateDay(m);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The summary, or null without readings. */
    public Summary summary() {
        if (counts.isEmpty()) {
            return null;
        }
        long sum = 0;
        long n = 0;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            sum += e.getKey() * e.getValue();
            n += e.getValue();
        }
        return new Summary(counts.firstKey(), counts.lastKey(), sum, n);
    }
}
