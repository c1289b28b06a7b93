package io.engage.simulator;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import io.engage.ingest.validation.Units;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values a participant's devices report for one local clock hour: steps from the day's total and the hour's
 * share of the day curve; distance from steps and stride; active minutes and calories from the step rate; a heart
 * rate point from the resting rate and the step rate. All draws are counter-based (see {@link Seeds}).
 */
final class ActivityModel {
    /** Highest step rate generated (the validator's limit is 300 per minute). */
    static final double MAX_STEPS_PER_MINUTE = 250;

    private static final double BASAL_KCAL_PER_MINUTE = 1.15;
    private static final double KCAL_PER_STEP = 0.045;

    private static final List<String> STEP_UNITS = List.of("steps", "count");
    private static final List<String> DISTANCE_UNITS = List.of("m", "km", "mi", "ft");
    private static final List<String> CALORIE_UNITS = List.of("kcal", "Cal", "kJ");
    private static final List<String> ACTIVE_UNITS = List.of("min", "h", "s");
    private static final List<String> HEART_UNITS = List.of("bpm", "beats/min");

    private final long seed;

    ActivityModel(long seed) {
        this.seed = seed;
    }

    static boolean weekend(LocalDate date) {
        DayOfWeek d = date.getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    /** The participant's intended step total for a local date (weekday level or weekend level, day-to-day noise). */
    double dayTotal(SimulatedParticipant p, LocalDate date) {
        SplittableRandom r = Seeds.rng(seed, Seeds.DAY, p.index(), date.toEpochDay());
        return p.dailySteps() * (weekend(date) ? p.weekendFactor() : 1.0) * Seeds.logNormal(r, 0.3);
    }

    /** Steps the participant actually took in the hour (shared by every device they wear). */
    double trueSteps(SimulatedParticipant p, LocalClockHours.Hour h) {
        SplittableRandom r = Seeds.rng(seed, Seeds.SLOT, p.index(), h.index());
        double sigma = 0.35;
        double noise = StrictMath.exp(sigma * Seeds.gaussian(r) - sigma * sigma / 2); // mean 1: hours add up to the day
        return dayTotal(p, h.date()) * DayCurve.share(h.hourOfDay(), weekend(h.date())) * (h.minutes() / 60.0) * noise;
    }

    /** The canonical value a device reports for a metric in an hour, and for heart rate the instant of the point. */
    record Value(double canonical, Instant start, Instant end) {}

    Value value(SimulatedParticipant p, SimulatedDevice d, LocalClockHours.Hour h, Metric m) {
        SplittableRandom noise =
                Seeds.rng(seed, Seeds.DEVICE_NOISE, p.index(), d.type().ordinal(), h.index());
        double factor = switch (d.type()) {
            case tracker -> Seeds.uniform(noise, 0.96, 1.04);
            case glasses -> Seeds.uniform(noise, 0.85, 1.0);
            case phone -> Seeds.uniform(noise, 0.8, 1.05);
        };
        double minutes = h.minutes();
        double steps = Math.round(Math.min(trueSteps(p, h) * factor, MAX_STEPS_PER_MINUTE * minutes));
        double perMinute = steps / minutes;
        return switch (m) {
            case steps -> new Value(steps, h.start(), h.end());
            case distance -> new Value(steps * p.strideMetres() * Seeds.uniform(noise, 0.97, 1.03), h.start(), h.end());
            case active_minutes ->
                new Value(Math.floor(minutes * clamp((perMinute - 20) / 80, 0, 1)), h.start(), h.end());
            case calories -> new Value(minutes * BASAL_KCAL_PER_MINUTE + KCAL_PER_STEP * steps, h.start(), h.end());
            case heart_rate -> {
                SplittableRandom hr =
                        Seeds.rng(seed, Seeds.HEART, p.index(), d.type().ordinal(), h.index());
                Instant at = h.start().plusSeconds((long) (hr.nextDouble() * h.seconds()));
                double bpm = p.restingHeartRate() + 0.45 * perMinute + 3 * Seeds.gaussian(hr);
                yield new Value(Math.round(clamp(bpm, 40, 195)), at, at);
            }
        };
    }

    /** A unit the device reports the metric in (any accepted one: gateways differ). */
    static String unit(Metric m, SplittableRandom r) {
        List<String> units = switch (m) {
            case steps -> STEP_UNITS;
            case distance -> DISTANCE_UNITS;
            case calories -> CALORIE_UNITS;
            case active_minutes -> ACTIVE_UNITS;
            case heart_rate -> HEART_UNITS;
        };
        return units.get(r.nextInt(units.size()));
    }

    /** Decimal places a value is sent with in a unit. */
    static int decimals(String unit) {
        return switch (unit) {
            case "km", "mi", "h" -> 4;
            case "m", "kcal", "Cal", "kJ" -> 1;
            default -> 0;
        };
    }

    /**
     * A canonical value expressed in {@code unit}, rounded as a device would. Active minutes are rounded down so
     * they never exceed the interval.
     */
    static double inUnit(Metric m, String unit, double canonical) {
        double v = canonical / Units.factor(m, unit).orElseThrow();
        double scale = StrictMath.pow(10, decimals(unit));
        return m == Metric.active_minutes ? Math.floor(v * scale + 1e-9) / scale : Math.round(v * scale) / scale;
    }

    /** The same reading with a different value, as a device re-sends it after recomputing (same unit, still valid). */
    static RawReading corrected(RawReading r, Metric m, double minutes, SplittableRandom rnd) {
        double canonical = r.getValue() * Units.factor(m, r.getUnit()).orElseThrow();
        double change = Seeds.uniform(rnd, 0.05, 0.25) * (rnd.nextBoolean() ? 1 : -1);
        double next = canonical == 0 ? 1 + rnd.nextInt(20) : canonical * (1 + change);
        next = switch (m) {
            case steps -> Math.min(next, MAX_STEPS_PER_MINUTE * minutes);
            case distance -> Math.min(next, 5 * minutes * 60);
            case active_minutes -> Math.min(Math.max(next, 1), minutes);
            case calories -> Math.min(next, 20 * minutes);
            case heart_rate -> clamp(next, 40, 195);
        };
        double value = inUnit(m, r.getUnit(), next);
        if (value == r.getValue()) { // rounding undid the change: move by the smallest step the unit shows
            double step = 1 / StrictMath.pow(10, decimals(r.getUnit()));
            value = r.getValue() >= step * 2 ? r.getValue() - step : r.getValue() + step;
        }
        return RawReading.newBuilder(r).setValue(value).build();
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
