package io.engage.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge cases of the checks needing no reference data; the topology tests cover each reason code end to end. */
class ReadingValidatorTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-20T12:00:00Z");
    private final ReadingValidator validator = new ReadingValidator(ValidationPolicy.defaults());

    private static RawReading.Builder steps(String start, String end) {
        return RawReading.newBuilder()
                .setDeviceId("dev-1")
                .setMetric("steps")
                .setValue(100)
                .setUnit("steps")
                .setStart(start)
                .setEnd(end);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2026-11-20T10:00:00Z,                2026-11-20T10:00:00Z,        0",
        "2026-11-20t10:00:00z,                2026-11-20T10:00:00Z,        0",
        "2026-11-20 10:00:00Z,                2026-11-20T10:00:00Z,        0",
        "2026-11-20T10:00:00.5Z,              2026-11-20T10:00:00.500Z,    0",
        "2026-11-20T10:00:00.123456789Z,      2026-11-20T10:00:00.123456789Z, 0",
        "2026-11-20T10:00:00.123456789999Z,   2026-11-20T10:00:00.123456789Z, 0",
        "2026-11-20T15:45:00+05:45,           2026-11-20T10:00:00Z,        20700",
        "2026-11-20T06:30:00-03:30,           2026-11-20T10:00:00Z,        -12600",
        "2026-11-20T10:00:00+00:00,           2026-11-20T10:00:00Z,        0",
        "2026-11-20T10:00:00-00:00,           2026-11-20T10:00:00Z,        0",
        "2026-11-20T10:00:00+18:00,           2026-11-19T16:00:00Z,        64800",
        "2024-02-29T10:00:00Z,                2024-02-29T10:00:00Z,        0",
        "0000-02-29T00:00:00Z,                0000-02-29T00:00:00Z,        0"
    })
    void rfc3339Variants(String text, Instant instant, int offsetSeconds) {
        assertThat(Rfc3339Timestamp.parse(text)).isEqualTo(new Rfc3339Timestamp(instant, offsetSeconds));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "2026-11-20T10:00:00", // no offset
                "2026-11-20T10:00Z", // no seconds
                "2026-11-20T10:00:00+0545", // offset without colon
                "2026-11-20T10:00:00+05", // offset without minutes
                "2026-11-20T10:00:00+05:45:30", // offset with seconds
                "+12026-11-20T10:00:00Z", // more than four year digits
                "2026-02-30T10:00:00Z", // no such date
                "2026-11-20T24:00:00Z", // hour 24
                "2026-11-20T10:00:00+19:00", // offset beyond 18 hours
                "2026-11-20T10:00:00+18:01", // offset just beyond 18 hours
                "2026-11-20T10:00:00+05:60", // offset minute 60
                "2026-11-20T10:00:60Z", // leap second
                "2025-02-29T10:00:00Z", // no leap day in 2025
                "2026-11-20T10:00:00Z ", // trailing whitespace
                "2026-11-20T10:00:00١Z", // a digit that is not ASCII
                "2026-11-20T10:00:00.Z", // empty fraction
                " 2026-11-20T10:00:00Z", // surrounding whitespace
                "2026-11-20", // a date
                "1763632800", // epoch seconds
                ""
            })
    void notRfc3339(String text) {
        assertThat(Rfc3339Timestamp.parse(text)).isNull();
    }

    @Test
    void aMissingOffsetIsMalformedNotGuessed() {
        Validation v = validator.check(
                steps("2026-11-20T10:00:00", "2026-11-20T10:30:00Z").build(), RECEIVED);
        assertThat(v)
                .isEqualTo(new Validation.Invalid(
                        RejectReason.MALFORMED,
                        "start is not an RFC 3339 timestamp with offset: '2026-11-20T10:00:00'"));
    }

    @Test
    void aValidReadingKeepsItsOffsetAndIdentity() {
        Validation v = validator.check(
                steps("2026-11-20T15:45:00+05:45", "2026-11-20T16:15:00+05:45")
                        .setSourceRecordId("s-1")
                        .build(),
                RECEIVED);
        assertThat(v)
                .isEqualTo(new Validation.Valid(new CanonicalReading(
                        "dev-1",
                        Metric.steps,
                        100,
                        Instant.parse("2026-11-20T10:00:00Z"),
                        Instant.parse("2026-11-20T10:30:00Z"),
                        20700,
                        "s-1",
                        RECEIVED)));
    }

    @Test
    void noReadingAndBlankFieldsAreMalformed() {
        assertThat(reason(null)).isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setDeviceId(" ")
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setMetric("")
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void fieldsOverTheirCapsAreMalformed() {
        String a = "a";
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setDeviceId(a.repeat(128))
                        .build()))
                .as("an id of 128 characters is fine")
                .isNotEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setDeviceId(a.repeat(129))
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setMetric(a.repeat(65))
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setUnit(a.repeat(65))
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z" + " ".repeat(60))
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setSourceRecordId(a.repeat(257))
                        .build()))
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setSourceRecordId(a.repeat(1 << 20))
                        .build()))
                .as("a 1 MiB field")
                .isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void limitsAreInclusive() {
        // heart rate may span an interval too; exactly 24 h; end exactly at received + skew and received - horizon
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setMetric("heart_rate")
                        .setUnit("bpm")
                        .setValue(250)
                        .build()))
                .isNull();
        assertThat(reason(steps("2026-11-19T10:00:00Z", "2026-11-20T10:00:00Z").build()))
                .isNull();
        assertThat(reason(steps("2026-11-20T12:00:00Z", "2026-11-20T12:05:00Z").build()))
                .isNull();
        assertThat(reason(steps("2026-11-13T11:00:00Z", "2026-11-13T12:00:00Z").build()))
                .isNull();
        assertThat(reason(steps("2026-11-13T11:00:00Z", "2026-11-13T11:59:59.999Z")
                        .build()))
                .isEqualTo(RejectReason.TOO_LATE);
        assertThat(reason(steps("2026-11-20T12:00:00Z", "2026-11-20T12:05:00.001Z")
                        .build()))
                .isEqualTo(RejectReason.FUTURE);
    }

    @Test
    void hugeValuesThatOverflowOnConversionAreOutOfRange() {
        assertThat(reason(steps("2026-11-20T10:00:00Z", "2026-11-20T10:30:00Z")
                        .setMetric("distance")
                        .setUnit("km")
                        .setValue(Double.MAX_VALUE)
                        .build()))
                .isEqualTo(RejectReason.OUT_OF_RANGE);
    }

    @Test
    void extremeButValidTimestampsDoNotBreakTheChecks() {
        assertThat(reason(steps("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z").build()))
                .isEqualTo(RejectReason.BAD_INTERVAL);
        assertThat(reason(steps("9999-12-31T23:00:00Z", "9999-12-31T23:59:59Z").build()))
                .isEqualTo(RejectReason.FUTURE);
        assertThat(reason(steps("0001-01-01T00:00:00Z", "0001-01-01T00:30:00Z").build()))
                .isEqualTo(RejectReason.TOO_LATE);
    }

    @Test
    void thePolicyComesFromConfiguration() {
        ValidationPolicy policy = ValidationPolicy.from(io.engage.config.EngageConfig.of(
                java.util.Map.of("late.horizon", "P1D", "clock.skew.tolerance", "PT1M")));
        assertThat(policy).isEqualTo(new ValidationPolicy(Duration.ofDays(1), Duration.ofMinutes(1)));
    }

    private RejectReason reason(RawReading raw) {
        Validation v = validator.check(raw, RECEIVED);
        return v instanceof Validation.Invalid i ? i.reason() : null;
    }
}
