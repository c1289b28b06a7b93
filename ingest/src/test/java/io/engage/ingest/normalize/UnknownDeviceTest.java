package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import org.junit.jupiter.api.Test;

/** UNKNOWN_DEVICE: no pairing for the device in {@code devices} at processing time. */
class UnknownDeviceTest extends NormalizerTestBase {

    @Test
    void aDeviceThatWasNeverPairedIsUnknown() {
        RawReading reading = Readings.steps().setDeviceId("dev-stranger").build();
        n.send(reading);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
        assertThat(r.getDeviceId()).isEqualTo("dev-stranger");
        assertThat(r.getDetail()).contains("dev-stranger").contains("not paired");
        assertThat(r.getReading()).isEqualTo(reading);
        assertThat(r.getMetric()).isEqualTo("steps");
    }

    @Test
    void aDeviceBoundToAGatewayTakesReadingsFromThatGatewayOnly() {
        n.pair("dev-bound", Readings.PARTICIPANT, DeviceType.tracker, "phone-app");
        n.send(Readings.steps()
                .setDeviceId("dev-bound")
                .setGatewayId("phone-app")
                .build());
        assertThat(n.onlyNormalized().getDeviceId()).isEqualTo("dev-bound");

        n.send(Readings.steps()
                .setDeviceId("dev-bound")
                .setGatewayId("clinic-1")
                .build());
        RejectedReading other = n.onlyRejected();
        assertThat(other.getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
        assertThat(other.getDetail()).contains("bound to another gateway");

        n.send(Readings.steps().setDeviceId("dev-bound").setGatewayId(null).build());
        assertThat(n.onlyRejected().getReason())
                .as("a reading that names no gateway is not the bound gateway's")
                .isEqualTo(RejectReason.UNKNOWN_DEVICE);

        n.send(Readings.steps().setGatewayId("clinic-1").build());
        assertThat(n.onlyNormalized().getDeviceId())
                .as("an unbound device takes any gateway")
                .isEqualTo(Readings.DEVICE);
    }

    @Test
    void aTombstoneUnpairsTheDevice() {
        n.send(Readings.steps().build());
        n.onlyNormalized();

        n.unpair(Readings.DEVICE);
        n.send(Readings.steps().build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
    }

    @Test
    void pairingTakesEffectForTheNextReadingAndRepairingMovesIt() {
        n.send(Readings.steps().setDeviceId("dev-2").build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);

        n.pair("dev-2", Readings.PARTICIPANT, DeviceType.glasses);
        n.send(Readings.steps().setDeviceId("dev-2").build());
        assertThat(n.onlyNormalized().getDeviceType()).isEqualTo(DeviceType.glasses);

        n.profile("p-2", true, "Asia/Kathmandu").pair("dev-2", "p-2", DeviceType.phone);
        n.send(Readings.steps().setDeviceId("dev-2").build());
        assertThat(n.onlyNormalized().getParticipantId()).isEqualTo("p-2");
    }

    @Test
    void anUndecodablePairingCountsAsUnpaired() {
        n.driver
                .createInputTopic(
                        n.topics.name(io.engage.schemas.topics.Topics.DEVICES),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())
                .pipeInput(Readings.DEVICE, new byte[] {9, 9, 9});
        n.send(Readings.steps().build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
    }
}
