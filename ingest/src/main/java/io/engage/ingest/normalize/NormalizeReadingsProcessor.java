package io.engage.ingest.normalize;

import io.engage.avro.RejectReason;
import io.engage.processing.RegistryUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Thin processor around {@link ReadingNormalizer}: looks reference data up in the global stores, and counts each
 * outcome in {@value #METRIC} (docs/operations.md).
 */
final class NormalizeReadingsProcessor implements Processor<String, byte[], String, Outcome> {
    /** {@code engage_normalizer_readings_total{outcome="normalized"|"dead_lettered",reason}} in Prometheus. */
    static final String METRIC = "engage.normalizer.readings";

    private final ReadingNormalizer normalizer;
    private final MeterRegistry metrics;
    private final Counter normalized;
    private final Map<RejectReason, Counter> deadLettered = new EnumMap<>(RejectReason.class);
    private ProcessorContext<String, Outcome> context;
    private ReadingNormalizer.ReferenceData reference;

    NormalizeReadingsProcessor(ReadingNormalizer normalizer, MeterRegistry metrics) {
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.normalized = metrics.counter(METRIC, "outcome", "normalized", "reason", "none");
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        ReadOnlyKeyValueStore<String, DevicePairing> pairings =
                context.getStateStore(NormalizationTopology.DEVICE_PAIRINGS_STORE);
        ReadOnlyKeyValueStore<String, ConsentProfile> profiles =
                context.getStateStore(NormalizationTopology.CONSENT_PROFILES_STORE);
        this.reference = new ReadingNormalizer.ReferenceData() {
            @Override
            public DevicePairing pairing(String deviceId) {
                return pairings.get(deviceId);
            }

            @Override
            public ConsentProfile profile(String participantId) {
                return profiles.get(participantId);
            }
        };
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Outcome outcome;
        try {
            outcome =
                    normalizer.normalize(record.key(), record.value(), record.headers(), record.timestamp(), reference);
        } catch (RegistryUnavailableException e) {
            throw new StreamsException(
                    "cannot decode the record with key '" + record.key() + "' at "
                            + context.recordMetadata()
                                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                                    .orElse("?")
                            + ": " + e.getMessage(),
                    e);
        }
        context.forward(record.withKey(outcome.key()).withValue(outcome));
        if (outcome instanceof Outcome.Rejected r) {
            deadLettered
                    .computeIfAbsent(
                            r.deadLetter().getReason(),
                            reason -> metrics.counter(METRIC, "outcome", "dead_lettered", "reason", reason.name()))
                    .increment();
        } else {
            normalized.increment();
        }
    }
}
