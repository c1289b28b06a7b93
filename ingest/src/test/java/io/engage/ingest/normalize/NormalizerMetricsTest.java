package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code engage.normalizer.readings}: one count per reading, by outcome and reject reason (docs/operations.md). */
class NormalizerMetricsTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private NormalizerDriver n;

    @BeforeEach
    void startDriver() {
        n = new NormalizerDriver(Map.of(), metrics);
        n.pair(Readings.DEVICE, Readings.PARTICIPANT, DeviceType.tracker)
                .profile(Readings.PARTICIPANT, true, "Europe/Berlin");
    }

    @AfterEach
    void closeDriver() {
        n.close();
    }

    @Test
    void eachReadingIsCountedOnceByOutcomeAndReason() {
        n.send(Readings.steps().build());
        n.send(Readings.steps()
                .setSourceRecordId("src-2")
                .setStart("2026-11-20T10:30:00+01:00")
                .setEnd("2026-11-20T11:00:00+01:00")
                .build());
        n.send(Readings.steps().setMetric("floors").build());
        n.send(Readings.steps().setDeviceId("unpaired-device").build());

        assertThat(n.normalized.readValuesToList()).hasSize(2);
        assertThat(n.rejected.readValuesToList()).hasSize(2);
        assertThat(count("normalized", "none")).isEqualTo(2.0);
        assertThat(count("dead_lettered", "UNKNOWN_METRIC")).isEqualTo(1.0);
        assertThat(count("dead_lettered", "UNKNOWN_DEVICE")).isEqualTo(1.0);
        assertThat(metrics.find(NormalizeReadingsProcessor.METRIC).counters())
                .extracting(c -> c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"))
                .containsExactlyInAnyOrder(
                        "normalized/none", "dead_lettered/UNKNOWN_METRIC", "dead_lettered/UNKNOWN_DEVICE");
    }

    private double count(String outcome, String reason) {
        return metrics.get(NormalizeReadingsProcessor.METRIC)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
