package io.engage.ingest.normalize;

import io.engage.avro.DeviceType;
import java.util.Objects;

/**
 * What normalisation keeps of a {@code devices} record: whose device it is, what kind, and the gateway it is bound to
 * (null: any gateway).
 */
public record DevicePairing(String participantId, DeviceType type, String gateway) {
    public DevicePairing {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(type, "type");
    }

    /** A pairing bound to no gateway. */
    public DevicePairing(String participantId, DeviceType type) {
        this(participantId, type, null);
    }
}
