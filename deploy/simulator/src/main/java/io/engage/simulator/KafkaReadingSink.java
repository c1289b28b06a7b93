package io.engage.simulator;

import io.engage.avro.RawReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes readings straight to {@code readings.raw} as a Kafka-native gateway would: key = device id, value =
 * RawReading in the Confluent wire format, idempotent producer with {@code acks=all} (so one device's readings keep
 * their order). A reading is accepted once Kafka acknowledged it; validation happens downstream.
 */
public final class KafkaReadingSink implements ReadingSink {

    /** What the record timestamp (the pipeline's "received") is. */
    public enum Timestamps {
        /** The simulated reception instant: the pipeline sees exactly what the generator's oracle assumed. */
        SIMULATED,
        /** The producer's clock at send time (like a gateway that does not set timestamps). */
        WALL_CLOCK
    }

    private final Producer<String, RawReading> producer;
    private final String topic;
    private final Timestamps timestamps;

    /** A sink for the configured cluster, registry and topic prefix, stamping simulated reception times. */
    public KafkaReadingSink(EngageConfig config) {
        this(config, "engage-simulator", Timestamps.SIMULATED);
    }

    public KafkaReadingSink(EngageConfig config, String clientId, Timestamps timestamps) {
        this(
                new KafkaProducer<>(
                        KafkaClientConfigs.producer(config, clientId),
                        new StringSerializer(),
                        new TopicSerdes(config.registryClientConfigs())
                                .valueSerde(Topics.READINGS_RAW)
                                .serializer()),
                new TopicCatalogue(config.topicPrefix()).name(Topics.READINGS_RAW),
                timestamps);
    }

    /** A sink over a given producer (tests, or callers that own their client settings). */
    public KafkaReadingSink(Producer<String, RawReading> producer, String topic, Timestamps timestamps) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
    }

    /** A producer with engage's defaults and the wire-format serializer, from raw client settings. */
    public static Producer<String, RawReading> producer(
            Map<String, Object> producerConfigs, Serializer<RawReading> serializer) {
        return new KafkaProducer<>(producerConfigs, new StringSerializer(), serializer);
    }

    public String topic() {
        return topic;
    }

    @Override
    public CompletableFuture<SendResult> send(String deviceId, List<RawReading> batch, Instant receivedAt) {
        CompletableFuture<SendResult> result = new CompletableFuture<>();
        int n = batch.size();
        if (n == 0) {
            result.complete(SendResult.accepted(0));
            return result;
        }
        Long timestamp = timestamps == Timestamps.SIMULATED && receivedAt != null ? receivedAt.toEpochMilli() : null;
        AtomicReferenceArray<Exception> errors = new AtomicReferenceArray<>(n);
        AtomicInteger pending = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            try {
                producer.send(
                        new ProducerRecord<>(topic, null, timestamp, deviceId, batch.get(i)), (metadata, error) -> {
                            if (error != null) {
                                errors.set(index, error);
                            }
                            if (pending.decrementAndGet() == 0) {
                                result.complete(outcome(n, errors));
                            }
                        });
            } catch (KafkaException | IllegalStateException e) {
                // serialisation (registry unreachable), a closed or fenced producer: nothing sensible to go on with
                throw new SinkException(
                        "cannot publish to " + topic + " for device " + deviceId + ": " + e.getMessage(), e);
            }
        }
        return result;
    }

    private static SendResult outcome(int n, AtomicReferenceArray<Exception> errors) {
        List<Integer> failed = new java.util.ArrayList<>();
        String failure = null;
        for (int i = 0; i < n; i++) {
            Exception e = errors.get(i);
            if (e != null) {
                failed.add(i);
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        return new SendResult(n, List.of(), failed, failure);
    }

    @Override
    public int maxInFlight() {
        return 10_000; // the producer batches and bounds memory itself (buffer.memory, max.block.ms)
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
