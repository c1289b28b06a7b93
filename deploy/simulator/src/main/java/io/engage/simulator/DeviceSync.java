package io.engage.simulator;

import io.engage.avro.RawReading;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What one device (or its gateway) sends at one instant: one batch for the sink. */
public record DeviceSync(Instant receivedAt, String deviceId, List<SimulatedReading> readings) {
    public DeviceSync {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(deviceId, "deviceId");
        readings = List.copyOf(readings);
    }

    /** The readings as sent. */
    public List<RawReading> raws() {
        return readings.stream().map(SimulatedReading::raw).toList();
    }

    public int size() {
        return readings.size();
    }
}
