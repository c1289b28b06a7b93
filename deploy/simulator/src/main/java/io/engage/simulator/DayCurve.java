package io.engage.simulator;

/**
 * How a day's steps spread over the local clock hours: asleep at night, commute peaks, lunch and an evening walk
 * on weekdays; a late start and a long active midday on weekends. Weights are relative; each curve sums to 1.
 */
final class DayCurve {
    private static final double[] WEEKDAY = normalise(new double[] {
        0.02, 0.01, 0.005, 0.005, 0.01, 0.05, 0.35, 1.2, 1.4, 0.7, 0.55, 0.7,
        1.25, 0.9, 0.55, 0.6, 0.75, 1.35, 1.2, 1.0, 0.7, 0.4, 0.15, 0.05
    });
    private static final double[] WEEKEND = normalise(new double[] {
        0.06, 0.03, 0.01, 0.005, 0.005, 0.01, 0.05, 0.2, 0.45, 0.85, 1.2, 1.35,
        1.2, 1.1, 1.25, 1.3, 1.15, 0.9, 0.75, 0.7, 0.5, 0.35, 0.2, 0.1
    });

    private DayCurve() {}

    /** The share of a day's steps that falls in local hour {@code hourOfDay}. */
    static double share(int hourOfDay, boolean weekend) {
        return (weekend ? WEEKEND : WEEKDAY)[hourOfDay];
    }

    private static double[] normalise(double[] w) {
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / sum;
        }
        return out;
    }
}
