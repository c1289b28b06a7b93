package io.engage.ingest.validation;

import io.engage.avro.Metric;
import java.time.Instant;
import java.util.Objects;

/** A reading that passed every check needing no reference data, in canonical units. */
public record CanonicalReading(
        String deviceId,
        Metric metric,
        double value,
        Instant start,
        Instant end,
        int offsetSeconds,
        String sourceRecordId,
        Instant receivedAt) {
    public CanonicalReading {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
