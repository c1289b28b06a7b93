package io.engage.simulator;

import io.engage.avro.DeviceType;
import io.engage.avro.Metric;
import java.util.List;
import java.util.Objects;

/** A device a simulated participant wears, and the metrics it reports. */
public record SimulatedDevice(String deviceId, DeviceType type) {
    public SimulatedDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(type, "type");
    }

    /** Trackers report everything; the sensor glasses steps and heart rate; phones steps and distance. */
    public List<Metric> metrics() {
        return switch (type) {
            case tracker ->
                List.of(Metric.steps, Metric.distance, Metric.active_minutes, Metric.calories, Metric.heart_rate);
            case glasses -> List.of(Metric.steps, Metric.heart_rate);
            case phone -> List.of(Metric.steps, Metric.distance);
        };
    }

    /** Whether it is worn at this local hour (glasses come off at night; trackers and phones stay on). */
    public boolean wornAt(int hourOfDay) {
        return type != DeviceType.glasses || (hourOfDay >= 7 && hourOfDay < 22);
    }
}
