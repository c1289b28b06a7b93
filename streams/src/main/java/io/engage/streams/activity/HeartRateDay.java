package io.engage.streams.activity;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

import io.engage.streams.state.StateCodec;

/**
 * The heart-rate readings of one participant's local day as a multiset of values (millionths of beats/min to count),
 * so that a correction can take a value out and min and max are recomputed exactly. Heart rate is not summed over
 * devices: every reading counts once (SPEC section 3).
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

    /** Store serde. */
    public static Serde<HeartRateDay> serde() {
        return StateCodec.serde("heart-rate day", 1, HeartRateDay::write, HeartRateDay::read);
    }

    private static void write(HeartRateDay d, StateCodec.Out out) throws IOException {
        out.int32(d.counts.size());
        for (Map.Entry<Long, Integer> e : d.counts.entrySet()) {
            out.int64(e.getKey()).int32(e.getValue());
        }
    }

    private static HeartRateDay read(StateCodec.In in) throws IOException {
        int n = in.int32();
        TreeMap<Long, Integer> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.int64(), in.int32());
        }
        return new HeartRateDay(m);
    }
}
