package io.engage.ingest.validation;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks of docs/ingest.md that need no reference data, in the specified order: MALFORMED, UNKNOWN_METRIC,
 * UNKNOWN_UNIT, BAD_INTERVAL, OUT_OF_RANGE, FUTURE, TOO_LATE. The gateway runs them before publishing and the
 * normalisation topology runs them again (readings may be published straight to Kafka); UNKNOWN_DEVICE and
 * NO_CONSENT need the pairing and the profile and are decided by the topology.
 */
public final class ReadingValidator {
    /** Longest interval a reading may cover. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);

    static final double MAX_STEPS_PER_MINUTE = 300;
    static final double MAX_METRES_PER_SECOND = 15;
    static final double MAX_KCAL_PER_MINUTE = 30;
    static final double MIN_HEART_RATE = 25;
    static final double MAX_HEART_RATE = 250;

    private final ValidationPolicy policy;

    public ReadingValidator(ValidationPolicy policy) {
        this.policy = policy;
    }

    /** Validates {@code raw}, received (accepted by the gateway, or timestamped by Kafka) at {@code received}. */
    public Validation check(RawReading raw, Instant received) {
        if (raw == null) {
            return invalid(RejectReason.MALFORMED, "no reading");
        }
        if (blank(raw.getDeviceId())) {
            return invalid(RejectReason.MALFORMED, "deviceId is missing");
        }
        if (blank(raw.getMetric())) {
            return invalid(RejectReason.MALFORMED, "metric is missing");
        }
        if (blank(raw.getUnit())) {
            return invalid(RejectReason.MALFORMED, "unit is missing");
        }
        String tooLong = tooLong(raw);
        if (tooLong != null) {
            return invalid(RejectReason.MALFORMED, tooLong);
        }
        Rfc3339Timestamp start = Rfc3339Timestamp.parse(raw.getStart());
        if (start == null) {
            return invalid(
                    RejectReason.MALFORMED, "start is not an RFC 3339 timestamp with offset: " + quote(raw.getStart()));
        }
        Rfc3339Timestamp end = Rfc3339Timestamp.parse(raw.getEnd());
        if (end == null) {
            return invalid(
                    RejectReason.MALFORMED, "end is not an RFC 3339 timestamp with offset: " + quote(raw.getEnd()));
        }
        Optional<Metric> metric = Units.metric(raw.getMetric());
        if (metric.isEmpty()) {
            return invalid(
                    RejectReason.UNKNOWN_METRIC,
                    "unknown metric " + quote(raw.getMetric())
                            + "; expected steps, distance, active_minutes, calories or heart_rate");
        }
        Metric m = metric.get();
        Optional<Double> factor = Units.factor(m, raw.getUnit());
        if (factor.isEmpty()) {
            return invalid(
                    RejectReason.UNKNOWN_UNIT,
                    "unit " + quote(raw.getUnit()) + " is not accepted for " + m + "; accepted: " + Units.accepted(m));
        }
        Instant s = start.instant();
        Instant e = end.instant();
        if (e.isBefore(s)) {
            return invalid(RejectReason.BAD_INTERVAL, "end " + raw.getEnd() + " is before start " + raw.getStart());
        }
        Duration length = Duration.between(s, e);
        if (length.isZero() && Units.cumulative(m)) {
            return invalid(RejectReason.BAD_INTERVAL, m + " needs an interval; start equals end");
        }
        if (length.compareTo(MAX_INTERVAL) > 0) {
            return invalid(RejectReason.BAD_INTERVAL, "interval of " + length + " is longer than 24 hours");
        }
        double value = raw.getValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return invalid(RejectReason.OUT_OF_RANGE, "value is " + value);
        }
        if (value < 0) {
            return invalid(RejectReason.OUT_OF_RANGE, "value " + value + " is negative");
        }
        double canonical = value * factor.get();
        Optional<String> range = outOfRange(m, canonical, length);
        if (range.isPresent()) {
            return invalid(RejectReason.OUT_OF_RANGE, range.get());
        }
        if (e.isAfter(received.plus(policy.clockSkewTolerance()))) {
            return invalid(
                    RejectReason.FUTURE,
                    "end " + raw.getEnd() + " is more than " + policy.clockSkewTolerance()
                            + " after the reading was received at " + received);
        }
        if (e.isBefore(received.minus(policy.lateHorizon()))) {
            return invalid(
                    RejectReason.TOO_LATE,
                    "end " + raw.getEnd() + " is more than " + policy.lateHorizon()
                            + " before the reading was received at " + received);
        }
        return new Validation.Valid(new CanonicalReading(
                raw.getDeviceId(), m, canonical, s, e, start.offsetSeconds(), raw.getSourceRecordId(), received));
    }

    private static Optional<String> outOfRange(Metric m, double v, Duration length) {
        double minutes = length.toMillis() / 60_000.0;
        double seconds = length.toMillis() / 1_000.0;
        return switch (m) {
            case steps ->
                v > MAX_STEPS_PER_MINUTE * minutes
                        ? Optional.of(fmt("%.0f steps in %.1f minutes is above 300 steps per minute", v, minutes))
                        : Optional.empty();
            case distance ->
                v > MAX_METRES_PER_SECOND * seconds
                        ? Optional.of(fmt("%.1f m in %.0f s is faster than 15 m/s", v, seconds))
                        : Optional.empty();
            case calories ->
                v > MAX_KCAL_PER_MINUTE * minutes
                        ? Optional.of(fmt("%.1f kcal in %.1f minutes is above 30 kcal per minute", v, minutes))
                        : Optional.empty();
            case active_minutes ->
                v > minutes
                        ? Optional.of(fmt("%.1f active minutes in an interval of %.1f minutes", v, minutes))
                        : Optional.empty();
            case heart_rate ->
                v < MIN_HEART_RATE || v > MAX_HEART_RATE
                        ? Optional.of(fmt("heart rate %.1f is outside 25..250 beats/min", v))
                        : Optional.empty();
        };
    }

    /** Longest device id (the admin API's id rule, docs/ingest.md). */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest metric name and unit. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest {@code sourceRecordId}. */
    public static final int MAX_SOURCE_RECORD_ID_LENGTH = 256;
    /** Longest timestamp text. */
    public static final int MAX_TIMESTAMP_LENGTH = 64;

    /**
     * The first field longer than its cap, described; null when none is. A reading far over every legitimate size
     * would otherwise make a record over the producer's limit, which fails the transaction it shares with others.
     */
    private static String tooLong(RawReading raw) {
        if (raw.getDeviceId().length() > MAX_ID_LENGTH) {
            return fmt("deviceId is longer than %d characters", MAX_ID_LENGTH);
        }
        if (raw.getMetric().length() > MAX_NAME_LENGTH) {
            return fmt("metric is longer than %d characters", MAX_NAME_LENGTH);
        }
        if (raw.getUnit().length() > MAX_NAME_LENGTH) {
            return fmt("unit is longer than %d characters", MAX_NAME_LENGTH);
        }
        if (raw.getStart() != null && raw.getStart().length() > MAX_TIMESTAMP_LENGTH) {
            return fmt("start is longer than %d characters", MAX_TIMESTAMP_LENGTH);
        }
        if (raw.getEnd() != null && raw.getEnd().length() > MAX_TIMESTAMP_LENGTH) {
            return fmt("end is longer than %d characters", MAX_TIMESTAMP_LENGTH);
        }
        if (raw.getSourceRecordId() != null && raw.getSourceRecordId().length() > MAX_SOURCE_RECORD_ID_LENGTH) {
            return fmt("sourceRecordId is longer than %d characters", MAX_SOURCE_RECORD_ID_LENGTH);
        }
        return null;
    }

    private static Validation invalid(RejectReason reason, String detail) {
        return new Validation.Invalid(reason, detail);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
