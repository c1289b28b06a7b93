package io.engage.ingest.normalize;

import io.engage.avro.DeviceType;
import java.util.Objects;

/** What normalisation keeps of a {@code devices} record: whose device it is and what kind. */
public record DevicePairing(String participantId, DeviceType type) {
    public DevicePairing {
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(type, "type");
    }
}
