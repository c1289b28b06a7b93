package io.engage.ingest.client;

import io.engage.avro.RawReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.validation.ReadingValidator;
import io.engage.ingest.validation.Validation;
import io.engage.ingest.validation.ValidationPolicy;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For Kafka-native gateways: publishes readings to {@code readings.raw} in the Confluent wire format with an
 * idempotent producer ({@code acks=all}, batching by {@code linger.ms}), and reports per reading what happened:
 * rejected locally with the same reason codes as the HTTP gateway, failed to send, or acknowledged.
 *
 * <pre>{@code
 * try (GatewayClient client = GatewayClient.create(config, "tracker-cloud-eu")) {
 *     GatewayClient.Result r = client.publish("trk-0001", List.of(
 *             new GatewayClient.Reading("steps", 812, "steps", "2026-11-25T09:00:00+01:00", "2026-11-25T10:00:00+01:00", "src-1")))
 *         .join();
 * }
 * }</pre>
 */
public final class GatewayClient implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final ReadingValidator validator;
    private final String topic;
    private final Serde<RawReading> serde;
    private final String gatewayId;
    private final Clock clock;

    /** One reading as a gateway has it. */
    public record Reading(String metric, double value, String unit, String start, String end, String sourceRecordId) {}

    /** What happened to one reading of a batch. */
    public record Failure(int index, String reason, String message) {}

    /** The outcome of a batch: readings acknowledged by Kafka, and the failures by index. */
    public record Result(int acknowledged, List<Failure> failures) {}

    private GatewayClient(
            KafkaProducer<String, byte[]> producer,
            ReadingValidator validator,
            String topic,
            Serde<RawReading> serde,
            String gatewayId,
            Clock clock) {
        this.producer = producer;
        this.validator = validator;
        this.topic = topic;
        this.serde = serde;
        this.gatewayId = gatewayId;
        this.clock = clock;
    }

    /** A client for {@code bootstrap.servers} and {@code schema.registry.url} of {@code config}. */
    public static GatewayClient create(EngageConfig config, String gatewayId) {
        return create(config, gatewayId, Clock.systemUTC());
    }

    static GatewayClient create(EngageConfig config, String gatewayId, Clock clock) {
        Map<String, Object> props = KafkaClientConfigs.producer(config, "engage-gateway-" + gatewayId);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                props, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        return new GatewayClient(
                producer,
                new ReadingValidator(ValidationPolicy.from(config)),
                new TopicCatalogue(config.topicPrefix()).name(Topics.READINGS_RAW),
                new TopicSerdes(config.registryClientConfigs()).valueSerde(Topics.READINGS_RAW),
                gatewayId,
                clock);
    }

    /**
     * Validates and sends a device's readings; the future completes when Kafka acknowledged or refused every one
     * that passed validation. Readings are sent as they are (received time = the Kafka record timestamp).
     */
    public CompletableFuture<Result> publish(String deviceId, List<Reading> readings) {
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acknowledged = new AtomicInteger();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            RawReading raw;
            if (r == null || r.metric() == null || r.unit() == null || r.start() == null || r.end() == null) {
                failures.add(new Failure(i, "MALFORMED", "reading or one of metric, unit, start, end is missing"));
                continue;
            }
            raw = RawReading.newBuilder()
                    .setDeviceId(deviceId)
                    .setMetric(r.metric())
                    .setValue(r.value())
                    .setUnit(r.unit())
                    .setStart(r.start())
                    .setEnd(r.end())
                    .setSourceRecordId(r.sourceRecordId())
                    .setReceivedAt(null)
                    .setGatewayId(gatewayId)
                    .build();
            Validation v = validator.check(raw, clock.instant());
            if (v instanceof Validation.Invalid invalid) {
                failures.add(new Failure(i, invalid.reason().name(), invalid.detail()));
                continue;
            }
            int index = i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                producer.send(
                        new ProducerRecord<>(topic, deviceId, serde.serializer().serialize(topic, raw)), (meta, e) -> {
                            if (e == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failures.add(new Failure(index, "SEND_FAILED", e.toString()));
                            }
                            done.complete(null);
                        });
            } catch (RuntimeException e) {
                failures.add(new Failure(index, "SEND_FAILED", e.toString()));
                done.complete(null);
            }
            sends.add(done);
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<Failure> sorted = new ArrayList<>(failures);
            sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
            return new Result(acknowledged.get(), List.copyOf(sorted));
        });
    }

    /** Sends what is buffered now rather than after {@code linger.ms}. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
