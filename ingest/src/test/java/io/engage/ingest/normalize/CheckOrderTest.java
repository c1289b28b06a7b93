package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks run in the order docs/ingest.md gives (MALFORMED, UNKNOWN_METRIC, UNKNOWN_UNIT, BAD_INTERVAL, OUT_OF_RANGE, FUTURE,
 * TOO_LATE, UNKNOWN_DEVICE, NO_CONSENT): a reading failing several gets the first.
 */
class CheckOrderTest extends NormalizerTestBase {
    private static final Instant NOW = NormalizerDriver.NOW;
    private static final String FUTURE_END = Readings.rfc3339(NOW.plus(Duration.ofHours(2)));
    private static final String FUTURE_START = Readings.rfc3339(NOW.plus(Duration.ofHours(1)));

    static Stream<Arguments> readingsFailingSeveralChecks() {
        return Stream.of(
                Arguments.of(
                        "MALFORMED before UNKNOWN_METRIC and BAD_INTERVAL",
                        Readings.steps()
                                .setMetric("floors")
                                .setStart("not a time")
                                .build(),
                        RejectReason.MALFORMED),
                Arguments.of(
                        "UNKNOWN_METRIC before UNKNOWN_UNIT, BAD_INTERVAL, OUT_OF_RANGE, UNKNOWN_DEVICE",
                        Readings.steps()
                                .setDeviceId("dev-stranger")
                                .setMetric("floors")
                                .setUnit("parsecs")
                                .setValue(-1)
                                .setEnd("2026-11-20T11:00:00+01:00")
                                .build(),
                        RejectReason.UNKNOWN_METRIC),
                Arguments.of(
                        "UNKNOWN_UNIT before BAD_INTERVAL and OUT_OF_RANGE",
                        Readings.steps()
                                .setUnit("m")
                                .setValue(-5)
                                .setEnd("2026-11-20T11:00:00+01:00")
                                .build(),
                        RejectReason.UNKNOWN_UNIT),
                Arguments.of(
                        "BAD_INTERVAL before OUT_OF_RANGE and FUTURE",
                        Readings.steps()
                                .setValue(Double.NaN)
                                .setStart(FUTURE_END)
                                .setEnd(FUTURE_START)
                                .build(),
                        RejectReason.BAD_INTERVAL),
                Arguments.of(
                        "OUT_OF_RANGE before FUTURE and UNKNOWN_DEVICE",
                        Readings.steps()
                                .setDeviceId("dev-stranger")
                                .setValue(-1)
                                .setStart(FUTURE_START)
                                .setEnd(FUTURE_END)
                                .build(),
                        RejectReason.OUT_OF_RANGE),
                Arguments.of(
                        "FUTURE before UNKNOWN_DEVICE",
                        Readings.steps()
                                .setDeviceId("dev-stranger")
                                .setStart(FUTURE_START)
                                .setEnd(FUTURE_END)
                                .build(),
                        RejectReason.FUTURE),
                Arguments.of(
                        "TOO_LATE before UNKNOWN_DEVICE",
                        Readings.steps()
                                .setDeviceId("dev-stranger")
                                .setStart("2026-11-01T10:00:00Z")
                                .setEnd("2026-11-01T10:30:00Z")
                                .build(),
                        RejectReason.TOO_LATE),
                Arguments.of(
                        "TOO_LATE before NO_CONSENT",
                        Readings.steps()
                                .setDeviceId("dev-no-consent")
                                .setStart("2026-11-01T10:00:00Z")
                                .setEnd("2026-11-01T10:30:00Z")
                                .build(),
                        RejectReason.TOO_LATE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readingsFailingSeveralChecks")
    void theFirstFailingCheckNamesTheReason(String description, RawReading reading, RejectReason expected) {
        n.pair("dev-no-consent", "p-no-consent", io.engage.avro.DeviceType.tracker)
                .profile("p-no-consent", false, null);
        n.send(reading);
        assertThat(n.onlyRejected().getReason()).isEqualTo(expected);
    }

    @Test
    void unknownDeviceBeforeNoConsent() {
        // An unpaired device has no participant whose consent could be asked: UNKNOWN_DEVICE.
        n.erase(Readings.PARTICIPANT).unpair(Readings.DEVICE);
        n.send(Readings.steps().build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
    }
}
