package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.config.EngageConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FUTURE: the end is later than the clock-skew tolerance (default 5 minutes) after the reading was received. */
class FutureTest extends NormalizerTestBase {
    private static final Instant NOW = NormalizerDriver.NOW;

    @Test
    void endingBeyondTheSkewAfterTheRecordTimestampIsFuture() {
        n.send(Readings.steps()
                .setStart(Readings.rfc3339(NOW.minusSeconds(600)))
                .setEnd(Readings.rfc3339(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1)))
                .build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.FUTURE);
        assertThat(r.getDetail()).contains("PT5M");
    }

    @Test
    void endingWithinTheSkewIsAccepted() {
        n.send(Readings.steps()
                .setStart(Readings.rfc3339(NOW.minusSeconds(600)))
                .setEnd(Readings.rfc3339(NOW.plus(Duration.ofMinutes(5))))
                .build());
        assertThat(n.onlyNormalized().getEnd()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void theGatewaysReceivedAtWinsOverTheRecordTimestamp() {
        // Accepted by the gateway an hour before it reached Kafka: "received" is the gateway's time.
        Instant receivedAt = NOW.minus(Duration.ofHours(1));
        n.send(Readings.steps()
                .setStart(Readings.rfc3339(NOW.minusSeconds(1200)))
                .setEnd(Readings.rfc3339(NOW.minusSeconds(600)))
                .setReceivedAt(receivedAt)
                .build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.FUTURE);

        n.send(Readings.steps()
                .setStart(Readings.rfc3339(receivedAt.minusSeconds(600)))
                .setEnd(Readings.rfc3339(receivedAt))
                .setReceivedAt(receivedAt)
                .build());
        assertThat(n.onlyNormalized().getReceivedAt()).isEqualTo(receivedAt);
    }

    @Test
    void theToleranceComesFromConfiguration() {
        try (NormalizerDriver strict = new NormalizerDriver(Map.of(EngageConfig.CLOCK_SKEW_TOLERANCE, "PT0S"))) {
            strict.pair(Readings.DEVICE, Readings.PARTICIPANT, io.engage.avro.DeviceType.tracker)
                    .profile(Readings.PARTICIPANT, true, null);
            strict.send(Readings.steps()
                    .setValue(100)
                    .setStart(Readings.rfc3339(NOW.minusSeconds(60)))
                    .setEnd(Readings.rfc3339(NOW.plusSeconds(1)))
                    .build());
            assertThat(strict.onlyRejected().getReason()).isEqualTo(RejectReason.FUTURE);
        }
    }
}
