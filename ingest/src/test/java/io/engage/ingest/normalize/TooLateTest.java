package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.config.EngageConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TOO_LATE: the end is earlier than the late horizon (default 7 days) before the reading was received. */
class TooLateTest extends NormalizerTestBase {
    private static final Instant NOW = NormalizerDriver.NOW;

    private static io.engage.avro.RawReading endingAt(Instant end) {
        return Readings.steps()
                .setStart(Readings.rfc3339(end.minusSeconds(600)))
                .setEnd(Readings.rfc3339(end))
                .build();
    }

    @Test
    void endingBeyondTheHorizonIsTooLate() {
        n.send(endingAt(NOW.minus(Duration.ofDays(7)).minusSeconds(1)));
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.TOO_LATE);
        assertThat(r.getDetail()).contains("PT168H");
    }

    @Test
    void endingWithinTheHorizonIsAccepted() {
        n.send(endingAt(NOW.minus(Duration.ofDays(7))));
        assertThat(n.onlyNormalized().getEnd()).isEqualTo(NOW.minus(Duration.ofDays(7)));

        n.send(endingAt(NOW.minus(Duration.ofDays(6)))); // a week's sync at once
        n.onlyNormalized();
    }

    @Test
    void theHorizonComesFromConfiguration() {
        try (NormalizerDriver shortHorizon = new NormalizerDriver(Map.of(EngageConfig.LATE_HORIZON, "P1D"))) {
            shortHorizon
                    .pair(Readings.DEVICE, Readings.PARTICIPANT, DeviceType.tracker)
                    .profile(Readings.PARTICIPANT, true, null);
            shortHorizon.send(endingAt(NOW.minus(Duration.ofDays(2))));
            assertThat(shortHorizon.onlyRejected().getReason()).isEqualTo(RejectReason.TOO_LATE);
        }
    }
}
