package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real broker and registry: every generated reading lands on {@code readings.raw} once,
 * keyed by device, in the Confluent wire format, stamped with its simulated reception time, in device order.
 */
@Tag("integration")
class KafkaReadingSinkIntegrationTest {
    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedSchemaRegistry registry;
    static EngageConfig config;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir, 0);
        config = EngageConfig.of(
                Map.of(EngageConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(), EngageConfig.TOPIC_PREFIX, "sim."));
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            new TopicProvisioner(admin, new TopicCatalogue(config.topicPrefix())).createMissing();
        }
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "sim._schemas");
        config = config.with(Map.of(EngageConfig.SCHEMA_REGISTRY_URL, registry.url()));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyReadingLandsOnReadingsRawOnceKeyedByDeviceWithItsSimulatedReceptionTime() {
        Instant now = Instant.now();
        SimulationSpec spec = SimulationSpec.builder()
                .seed(3)
                .participants(5)
                .teams(1)
                .endingAt(now, 2)
                .invalidRate(0.05)
                .duplicateRate(0.05)
                .correctionRate(0.05)
                .build();
        List<ReadingOutcome> outcomes = new ArrayList<>();

        SimulationSummary summary;
        try (KafkaReadingSink sink = new KafkaReadingSink(config)) {
            assertThat(sink.topic()).isEqualTo("sim.readings.raw");
            summary = Simulator.builder(spec).onOutcome(outcomes::add).build().run(sink, null);
        }

        assertThat(summary.sent()).isGreaterThan(200);
        assertThat(summary.accepted()).isEqualTo(summary.sent());
        assertThat(summary.failed()).isZero();
        List<ConsumerRecord<String, byte[]>> records = readAll("sim.readings.raw", (int) summary.sent());
        assertThat(records).hasSize((int) summary.sent());

        var deserializer = new TopicSerdes(config.registryClientConfigs())
                .valueSerde(Topics.READINGS_RAW)
                .deserializer();
        int schemaId = new TopicSerdes(config.registryClientConfigs())
                .client()
                .lookup("sim.readings.raw-value", RawReading.getClassSchema())
                .id();
        Map<String, List<RawReading>> byDevice = new HashMap<>();
        Map<String, List<Long>> timestampsByDevice = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(r.value()[0]).isZero();
            assertThat(ByteBuffer.wrap(r.value(), 1, 4).getInt()).isEqualTo(schemaId);
            RawReading value = deserializer.deserialize(r.topic(), r.value());
            assertThat(r.key()).isEqualTo(value.getDeviceId());
            byDevice.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(value);
            timestampsByDevice.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.timestamp());
        }
        Map<String, List<RawReading>> sentByDevice = new HashMap<>();
        Map<String, List<Long>> receivedByDevice = new HashMap<>();
        for (ReadingOutcome o : outcomes) {
            sentByDevice
                    .computeIfAbsent(o.reading().deviceId(), k -> new ArrayList<>())
                    .add(o.reading().raw());
            receivedByDevice
                    .computeIfAbsent(o.reading().deviceId(), k -> new ArrayList<>())
                    .add(o.reading().receivedAt().toEpochMilli());
        }
        assertThat(byDevice).isEqualTo(sentByDevice); // same readings, same order per device
        assertThat(timestampsByDevice).isEqualTo(receivedByDevice);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                if (got.size() >= expected) {
                    // one more poll to catch anything beyond the expected count
                    consumer.poll(Duration.ofMillis(500)).forEach(got::add);
                    break;
                }
            }
        }
        return got;
    }
}
