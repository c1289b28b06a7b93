package io.engage.ingest.normalize;

import io.engage.avro.DeviceType;
import java.util.Objects;

/**
 * What normalisation keeps of a {@code devices} record: whose device it is, what kind, the gateway it is bound to
 * (null: any gateway), and when it was paired (epoch millis; 0: not known, a pairing stored before this was kept).
 */
public record DevicePairing(String participantId, DeviceType type, String gateway, long pairedAtMillis) {
    public DevicePairing {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(type, "type");
    }

    public DevicePairing(String participantId, DeviceType type, String gateway) {
        this(participantId, type, gateway, 0);
    }

    /** A pairing bound to no gateway. */
    public DevicePairing(String participantId, DeviceType type) {
        this(participantId, type, null);
    }
}
