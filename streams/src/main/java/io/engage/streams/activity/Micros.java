package io.engage.streams.activity;

/**
 * Quantities in millionths of their canonical unit. Totals are sums and maxima of these whole numbers, so they are
 * exact and do not depend on the order readings arrive in (floating-point sums would, in their last bits).
 */
public final class Micros {
    public static final long ONE = 1_000_000L;

    private Micros() {}

    /** {@code value} in millionths, rounded half away from zero. */
    public static long of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite quantity: " + value);
        }
        return Math.round(value * ONE);
    }

    /** Back to the canonical unit. */
    public static double toDouble(long micros) {
        return micros / (double) ONE;
    }

    /** Rounded half-up to a whole number of units (steps are whole). */
    public static long toWhole(long micros) {
        return Math.floorDiv(micros + ONE / 2, ONE);
    }
}
