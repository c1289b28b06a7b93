package io.engage.ingest.http;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.ingest.publish.BatchPublisher;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.Validation;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The gateway's decision for a batch: checks that need no reference data reject elements in the answer (and in
 * metrics, never published); the rest is published to {@code readings.raw} atomically: as one producer batch, or in
 * one transaction when it cannot be one batch (docs/ingest.md, "What accepted means").
 */
public final class GatewayService {
    /** Largest batch (readings) a request may carry. */
    public static final int MAX_BATCH = 5_000;

    private final ReadingValidator validator;
    private final BatchPublisher publisher;
    private final String topic;
    private final Serde<String> keySerde;
    private final Serde<RawReading> valueSerde;
    private final Clock clock;
    private final MeterRegistry metrics;
    /** Looked up once: a counter lookup by name and tags costs about as much as validating a reading. */
    private final io.micrometer.core.instrument.Counter acceptedReadings;

    /** The answer of a batch. */
    public record Result(int accepted, List<Rejection> rejected) {}

    /** One element rejected at the gateway. */
    public record Rejection(int index, RejectReason reason, String detail) {}

    public GatewayService(
            ReadingValidator validator,
            BatchPublisher publisher,
            TopicCatalogue catalogue,
            TopicSerdes serdes,
            Clock clock,
            MeterRegistry metrics) {
        this.validator = validator;
        this.publisher = publisher;
        this.topic = catalogue.name(Topics.READINGS_RAW);
        this.keySerde = serdes.keySerde(Topics.READINGS_RAW);
        this.valueSerde = serdes.valueSerde(Topics.READINGS_RAW);
        this.clock = clock;
        this.metrics = metrics;
        this.acceptedReadings = metrics.counter("engage.ingest.readings", "outcome", "accepted", "reason", "none");
    }

    /** The instant readings of a request count as received. */
    public Instant now() {
        return clock.instant();
    }

    /** Validates and publishes; throws {@link io.engage.ingest.publish.PublishException} when Kafka did not take it. */
    public Result accept(String deviceId, List<ParsedReading> batch) {
        List<Rejection> rejected = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
        byte[] key = keySerde.serializer().serialize(topic, deviceId);
        for (ParsedReading p : batch) {
            if (!p.parsed()) {
                rejected.add(new Rejection(p.index(), p.reason(), p.detail()));
                continue;
            }
            RawReading raw = p.reading();
            Validation v = validator.check(raw, raw.getReceivedAt());
            if (v instanceof Validation.Invalid invalid) {
                rejected.add(new Rejection(p.index(), invalid.reason(), invalid.detail()));
            } else {
                records.add(new ProducerRecord<>(
                        topic,
                        null,
                        raw.getReceivedAt().toEpochMilli(),
                        key,
                        valueSerde.serializer().serialize(topic, raw)));
            }
        }
        publisher.publish(records);
        acceptedReadings.increment(records.size());
        for (Rejection r : rejected) {
            metrics.counter(
                            "engage.ingest.readings",
                            "outcome",
                            "rejected",
                            "reason",
                            r.reason().name())
                    .increment();
        }
        return new Result(records.size(), List.copyOf(rejected));
    }

    /** The JSON body of a 202 answer. */
    static Map<String, Object> answer(Result r) {
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (Rejection x : r.rejected()) {
            rejected.add(Map.of("index", x.index(), "reason", x.reason().name(), "message", x.detail()));
        }
        return Map.of("accepted", r.accepted(), "rejected", rejected);
    }
}
