package io.engage.streams.philanthropy;

/**
 * Donation thresholds (docs/philanthropy.md): every {@code per} cumulative units (points of a participant, steps of a
 * team) is one threshold; the n-th threshold is passed when the total reaches {@code n * per}. A rule of zero or
 * less gives no thresholds (the programme does not donate for that rule).
 */
public final class DonationThresholds {
    private DonationThresholds() {}

    /** How many thresholds {@code total} has passed. */
    public static long passed(long total, long per) {
        if (per <= 0 || total <= 0) {
            return 0;
        }
        return total / per;
    }

    /** How many units are missing to the next threshold, or -1 when the rule gives no thresholds. */
    public static long toNext(long total, long per) {
        if (per <= 0) {
            return -1;
        }
        return (passed(total, per) + 1) * per - Math.max(total, 0);
    }
}
