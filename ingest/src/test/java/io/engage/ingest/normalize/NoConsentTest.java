package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.api.Test;

/**
 * NO_CONSENT: the device's participant has no profile (never created, or erased) or has not consented. The dead
 * letter keeps only device id, metric and reason: no values, no times, no participant id (docs/ingest.md).
 */
class NoConsentTest extends NormalizerTestBase {
    private static final RawReading READING =
            Readings.steps().setValue(4321).setSourceRecordId("src-secret").build();

    private RejectedReading metadataOnlyDeadLetter() {
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.NO_CONSENT);
        assertThat(r.getDeviceId()).isEqualTo(Readings.DEVICE);
        assertThat(r.getMetric()).isEqualTo("steps");
        assertThat(r.getReading()).isNull();
        assertThat(r.getPayload()).isNull();
        assertThat(r.getDetail())
                .doesNotContain(Readings.PARTICIPANT)
                .doesNotContain("4321")
                .doesNotContain("src-secret")
                .doesNotContain("2026")
                .doesNotContain("steps");
        return r;
    }

    @Test
    void aParticipantWithoutProfileHasNotConsented() {
        n.pair("dev-orphan", "p-without-profile", io.engage.avro.DeviceType.tracker);
        n.send(Readings.steps().setDeviceId("dev-orphan").setValue(4321).build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.NO_CONSENT);
        assertThat(r.getReading()).isNull();
        assertThat(r.getDetail()).doesNotContain("p-without-profile").doesNotContain("4321");
    }

    @Test
    void consentFalseIsNoConsent() {
        n.profile(Readings.PARTICIPANT, false, "Europe/Berlin");
        n.send(READING);
        assertThat(metadataOnlyDeadLetter().getDetail()).contains("not consented");
    }

    @Test
    void anErasedProfileIsNoConsent() {
        n.send(READING);
        n.onlyNormalized();

        // the profile's tombstone is here, the erasure request (which unpairs the devices) not yet
        n.profileTombstone(Readings.PARTICIPANT);
        n.send(READING);
        assertThat(metadataOnlyDeadLetter().getDetail()).contains("no profile");
        // and once it is, the device is unknown
        n.erase(Readings.PARTICIPANT);
        n.send(READING);
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
    }

    @Test
    void consentGivenAgainTakesEffectOnTheNextReading() {
        n.profile(Readings.PARTICIPANT, false, null);
        n.send(READING);
        metadataOnlyDeadLetter();

        n.profile(Readings.PARTICIPANT, true, null);
        n.send(READING);
        assertThat(n.onlyNormalized().getValue()).isEqualTo(4321.0);
    }

    @Test
    void anUndecodableProfileCountsAsNoProfile() {
        n.driver
                .createInputTopic(
                        n.topics.name(io.engage.schemas.topics.Topics.PARTICIPANTS),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput(Readings.PARTICIPANT, "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        n.send(READING);
        metadataOnlyDeadLetter();
    }
}
