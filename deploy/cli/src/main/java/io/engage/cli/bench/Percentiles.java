package io.engage.cli.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in nanoseconds, reported in milliseconds. */
public record Percentiles(int count, double p50, double p90, double p99, double max) {

    public static Percentiles ofNanos(long[] values, int count) {
        if (count == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Percentiles(
                count, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)), ms(rank(sorted, 0.99)), ms(sorted[count - 1]));
    }

    /** The smallest value with at least {@code q} of the values at or below it. */
    static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
