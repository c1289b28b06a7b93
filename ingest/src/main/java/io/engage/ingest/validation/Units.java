package io.engage.ingest.validation;

import io.engage.avro.Metric;
import java.util.Map;
import java.util.Optional;

/**
 * Accepted input units per metric and their factor to the canonical unit (docs/ingest.md). Units are matched
 * exactly: {@code Cal} (food calorie, = kcal) and {@code cal} differ by a factor of 1000, so case matters.
 */
public final class Units {
    private static final Map<Metric, Map<String, Double>> FACTORS = Map.of(
            Metric.steps, Map.of("steps", 1.0, "count", 1.0),
            Metric.distance, Map.of("m", 1.0, "km", 1000.0, "mi", 1609.344, "ft", 0.3048),
            Metric.calories, Map.of("kcal", 1.0, "Cal", 1.0, "kJ", 1.0 / 4.184),
            Metric.active_minutes, Map.of("min", 1.0, "h", 60.0, "s", 1.0 / 60.0),
            Metric.heart_rate, Map.of("beats/min", 1.0, "bpm", 1.0));

    /** Metric.values() copies its array on every call; this runs once per reading. */
    private static final Metric[] METRICS = Metric.values();

    private Units() {}

    /** The factor that converts a value in {@code unit} to the metric's canonical unit, if the unit is accepted. */
    public static Optional<Double> factor(Metric metric, String unit) {
        return Optional.ofNullable(FACTORS.get(metric).get(unit));
    }

    /** The canonical unit of a metric. */
    public static String canonical(Metric metric) {
        return switch (metric) {
            case steps -> "steps";
            case distance -> "m";
            case calories -> "kcal";
            case active_minutes -> "min";
            case heart_rate -> "beats/min";
        };
    }

    /** The accepted units of a metric, for error messages and docs. */
    public static java.util.Set<String> accepted(Metric metric) {
        return new java.util.TreeSet<>(FACTORS.get(metric).keySet());
    }

    /** Parses a metric name as sent by gateways ({@code steps}, {@code heart_rate}, ...). */
    public static Optional<Metric> metric(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Metric m : METRICS) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether the metric is summed over time (all but heart rate). */
    public static boolean cumulative(Metric metric) {
        return metric != Metric.heart_rate;
    }
}
