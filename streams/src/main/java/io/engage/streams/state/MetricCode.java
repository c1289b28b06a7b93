package io.engage.streams.state;

import io.engage.avro.Metric;

/** Fixed one-byte codes of the metrics in stored state: never enum ordinals, so a new metric cannot shift them. */
public final class MetricCode {
    private MetricCode() {}

    public static int of(Metric metric) {
        return switch (metric) {
            case steps -> 1;
            case distance -> 2;
            case active_minutes -> 3;
            case calories -> 4;
            case heart_rate -> 5;
        };
    }

    public static Metric metric(int code) {
        return switch (code) {
            case 1 -> Metric.steps;
            case 2 -> Metric.distance;
            case 3 -> Metric.active_minutes;
            case 4 -> Metric.calories;
            case 5 -> Metric.heart_rate;
            default -> throw new IllegalArgumentException("unknown stored metric code " + code);
        };
    }
}
