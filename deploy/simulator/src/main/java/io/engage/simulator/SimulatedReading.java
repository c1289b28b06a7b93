package io.engage.simulator;

import io.engage.avro.Metric;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.ingest.validation.Units;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One generated reading with what the pipeline must do with it: the oracle record of the simulator.
 *
 * @param deviceId       the device it is sent as (the key on {@code readings.raw}, the path of the gateway API)
 * @param participantId  the participant the device is paired with; null for an unpaired device
 * @param raw            the reading as sent
 * @param kind           how it was produced
 * @param expectedReason the reason it must be dead-lettered with; null when it must be counted
 * @param receivedAt     the simulated instant the gateway receives it (the Kafka sink stamps it as the record
 *                       timestamp; the expected reason holds for this instant)
 */
public record SimulatedReading(
        String deviceId,
        String participantId,
        RawReading raw,
        Kind kind,
        RejectReason expectedReason,
        Instant receivedAt) {
    public SimulatedReading {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A reading's identity (docs/ingest.md): a later reading with the same identity replaces the earlier value. */
    public record Identity(String deviceId, Metric metric, Instant start, Instant end) {}

    /** Whether the pipeline must count it (normalise it). */
    public boolean expectedValid() {
        return expectedReason == null;
    }

    /** The identity; only for readings whose metric and timestamps parse (every kind but the malformed ones). */
    public Identity identity() {
        Metric metric = Units.metric(raw.getMetric())
                .orElseThrow(() -> new IllegalStateException("no identity: unknown metric '" + raw.getMetric() + "'"));
        return new Identity(
                deviceId,
                metric,
                OffsetDateTime.parse(raw.getStart()).toInstant(),
                OffsetDateTime.parse(raw.getEnd()).toInstant());
    }

    /** The value in the metric's canonical unit (steps, m, min, kcal, beats/min); only for known metric and unit. */
    public double canonicalValue() {
        Metric metric = identity().metric();
        return raw.getValue()
                * Units.factor(metric, raw.getUnit())
                        .orElseThrow(() -> new IllegalStateException(
                                "unit '" + raw.getUnit() + "' is not accepted for " + metric));
    }
}
