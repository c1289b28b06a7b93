package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.avro.RejectReason;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/** docs/privacy.md: an erasure unpairs the participant's devices (tombstones on {@code devices}), and only theirs. */
class ErasureUnpairTest extends NormalizerTestBase {

    @Test
    void anErasureUnpairsEveryDeviceOfTheParticipantAndNoOther() {
        n.profile("p-gone", true, "UTC").profile("p-stays", true, "UTC");
        n.pair("dev-1", "p-gone", DeviceType.tracker)
                .pair("dev-2", "p-gone", DeviceType.glasses, "phone-app")
                .pair("dev-3", "p-stays", DeviceType.tracker);
        n.erase("p-gone");

        assertThat(n.devicesOut.readKeyValuesToList())
                .as("one tombstone per device of the erased participant")
                .containsExactlyInAnyOrder(KeyValue.pair("dev-1", null), KeyValue.pair("dev-2", null));
        n.send(Readings.steps().setDeviceId("dev-1").build());
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.UNKNOWN_DEVICE);
        n.send(Readings.steps().setDeviceId("dev-3").build());
        assertThat(n.onlyNormalized().getParticipantId()).isEqualTo("p-stays");
    }

    @Test
    void aDevicePairedAfterTheRequestStays() {
        // the id was erased and created again, and a device paired, before the normaliser read the request
        var pairings = List.of(
                        KeyValue.pair("old", new DevicePairing("p-1", DeviceType.tracker, null, 1_000)),
                        KeyValue.pair("new", new DevicePairing("p-1", DeviceType.tracker, null, 3_000)))
                .iterator();
        assertThat(UnpairErasedDevicesProcessor.devicesOf("p-1", 2_000, pairings))
                .containsExactly("old");
    }

    @Test
    void anErasureOfAParticipantWithoutDevicesWritesNothing() {
        n.pair("dev-3", "p-stays", DeviceType.tracker);
        n.erase("p-never-paired");
        assertThat(n.devicesOut.readKeyValuesToList()).isEmpty();
    }

    @Test
    void theDevicesOfAParticipantAreFoundAmongOthers() {
        var pairings = List.of(
                        KeyValue.pair("a", new DevicePairing("p-1", DeviceType.tracker, null)),
                        KeyValue.pair("b", new DevicePairing("p-10", DeviceType.tracker, null)),
                        KeyValue.pair("c", new DevicePairing("p-1", DeviceType.glasses, "g")))
                .iterator();
        assertThat(UnpairErasedDevicesProcessor.devicesOf("p-1", Long.MAX_VALUE, pairings))
                .containsExactly("a", "c");
    }
}
