package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.Metric;
import io.engage.avro.NormalizedReading;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A normalised reading carries the participant's IANA zone from the profile (null when the profile has none) and
 * the reading's own offset, for the participant-day logic downstream; it is keyed by participant id.
 */
class ZoneAttachmentTest extends NormalizerTestBase {

    @Test
    void everyFieldOfANormalisedReading() {
        n.send(Readings.steps().setGatewayId("gw-1").build());
        NormalizedReading r = n.onlyNormalized();
        assertThat(r)
                .isEqualTo(NormalizedReading.newBuilder()
                        .setParticipantId(Readings.PARTICIPANT)
                        .setDeviceId(Readings.DEVICE)
                        .setDeviceType(DeviceType.tracker)
                        .setMetric(Metric.steps)
                        .setValue(1000)
                        .setStart(Instant.parse("2026-11-20T10:30:00Z"))
                        .setEnd(Instant.parse("2026-11-20T11:00:00Z"))
                        .setOffsetSeconds(3600)
                        .setZoneId("Europe/Berlin")
                        .setReceivedAt(NormalizerDriver.NOW)
                        .setSourceRecordId("src-1")
                        .build());
    }

    @Test
    void theZoneComesFromTheProfileAndTheOffsetFromTheReading() {
        n.profile(Readings.PARTICIPANT, true, "Asia/Kathmandu");
        n.send(Readings.steps()
                .setStart("2026-11-20T07:00:00-03:30")
                .setEnd("2026-11-20T07:15:00-03:30")
                .build());
        NormalizedReading r = n.onlyNormalized();
        assertThat(r.getZoneId()).isEqualTo("Asia/Kathmandu");
        assertThat(r.getOffsetSeconds()).isEqualTo(-(3 * 3600 + 1800));
    }

    @Test
    void noZoneWhenTheProfileHasNone() {
        n.profile(Readings.PARTICIPANT, true, null);
        n.send(Readings.steps()
                .setStart("2026-11-20T16:15:00+05:45")
                .setEnd("2026-11-20T16:30:00+05:45")
                .build());
        NormalizedReading r = n.onlyNormalized();
        assertThat(r.getZoneId()).isNull();
        assertThat(r.getOffsetSeconds()).isEqualTo(5 * 3600 + 45 * 60);
    }

    @Test
    void aZoneJavaDoesNotKnowCountsAsNone() {
        n.profile(Readings.PARTICIPANT, true, "Mars/Olympus_Mons");
        n.send(Readings.steps().build());
        assertThat(n.onlyNormalized().getZoneId()).isNull();
    }

    @Test
    void aProfileChangeTakesEffectOnTheNextReading() {
        n.send(Readings.steps().build());
        assertThat(n.onlyNormalized().getZoneId()).isEqualTo("Europe/Berlin");
        n.profile(Readings.PARTICIPANT, true, "America/St_Johns");
        n.send(Readings.steps().build());
        assertThat(n.onlyNormalized().getZoneId()).isEqualTo("America/St_Johns");
    }
}
