package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.avro.NormalizedReading;
import io.engage.avro.Participant;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.embedded.registry.EmbeddedSchemaRegistry;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normaliser in a real KafkaStreams (exactly-once) against an in-process KRaft broker and the embedded
 * registry: every input record, garbage and tombstones included, appears exactly once on readings.normalized
 * or readings.rejected (read_committed), and the application is still RUNNING afterwards.
 */
@Tag("integration")
class NormalizationIntegrationTest {
    @TempDir
    static Path tmp;

    static EmbeddedKafka kafka;
    static EmbeddedSchemaRegistry registry;
    static EngageConfig config;
    static TopicCatalogue topics;
    static TopicSerdes serdes;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start(tmp.resolve("broker"), 0);
        config = EngageConfig.of(Map.of(
                EngageConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                EngageConfig.DATA_DIR, tmp.resolve("data").toString(),
                EngageConfig.TOPIC_PREFIX, "it."));
        topics = new TopicCatalogue(config.topicPrefix());
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            new TopicProvisioner(admin, topics).createMissing();
        }
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, topics.name(Topics.SCHEMAS));
        config = config.with(Map.of(EngageConfig.SCHEMA_REGISTRY_URL, registry.url()));
        serdes = new TopicSerdes(config.registryClientConfigs());
    }

    @AfterAll
    static void stopCluster() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyInputAppearsExactlyOnceAndGarbageDoesNotStopTheApplication() throws Exception {
        Instant now = Instant.now();
        publishReferenceData(now);

        List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
        Map<String, Integer> expectedNormalized = new TreeMap<>(); // sourceRecordId -> count
        Map<RejectReason, Integer> expectedRejected = new TreeMap<>();
        Serializer<RawReading> rawSerializer =
                serdes.valueSerde(Topics.READINGS_RAW).serializer();
        String rawTopic = topics.name(Topics.READINGS_RAW);
        for (int i = 0; i < 60; i++) {
            String device = switch (i % 4) {
                case 0, 1 -> "dev-a";
                case 2 -> "dev-b";
                default -> "dev-c";
            };
            Instant end = now.minus(Duration.ofMinutes(10 + i));
            RawReading reading = RawReading.newBuilder()
                    .setDeviceId(device)
                    .setMetric("steps")
                    .setUnit("steps")
                    .setValue(i % 10 == 9 ? -1 : 100 + i)
                    .setStart(end.minus(Duration.ofMinutes(5)).toString())
                    .setEnd(end.toString())
                    .setSourceRecordId("r-" + i)
                    .build();
            batch.add(new ProducerRecord<>(rawTopic, device, rawSerializer.serialize(rawTopic, reading)));
            if (i % 10 == 9) {
                expectedRejected.merge(RejectReason.OUT_OF_RANGE, 1, Integer::sum);
            } else if (device.equals("dev-c")) {
                expectedRejected.merge(RejectReason.UNKNOWN_DEVICE, 1, Integer::sum);
            } else if (device.equals("dev-b")) {
                expectedRejected.merge(RejectReason.NO_CONSENT, 1, Integer::sum);
            } else {
                expectedNormalized.merge("r-" + i, 1, Integer::sum);
            }
            if (i % 15 == 7) {
                batch.add(new ProducerRecord<>(rawTopic, "dev-a", ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
                batch.add(new ProducerRecord<>(rawTopic, "dev-a", new byte[] {0, 0, 0, 0x30, 0x39, 1, 2}));
                batch.add(new ProducerRecord<>(rawTopic, "dev-a", null));
                expectedRejected.merge(RejectReason.MALFORMED, 3, Integer::sum);
            }
        }

        Map<String, Object> producerConfig = KafkaClientConfigs.producer(config, "it-gateway");
        try (KafkaStreams streams = new KafkaStreams(
                NormalizationTopology.build(config), NormalizationTopology.streamsProperties(config))) {
            streams.start();
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                for (ProducerRecord<String, byte[]> r : batch) {
                    producer.send(r);
                }
                producer.flush();
            }

            Map<String, Integer> normalized = new TreeMap<>();
            Map<RejectReason, Integer> rejected = new TreeMap<>();
            int total = batch.size();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
                var partitions = new ArrayList<org.apache.kafka.common.TopicPartition>();
                for (String t :
                        List.of(topics.name(Topics.READINGS_NORMALIZED), topics.name(Topics.READINGS_REJECTED))) {
                    for (int p = 0; p < Topics.PARTICIPANT_PARTITIONS; p++) {
                        partitions.add(new org.apache.kafka.common.TopicPartition(t, p));
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                var normalizedDe = serdes.valueSerde(Topics.READINGS_NORMALIZED).deserializer();
                var rejectedDe = serdes.valueSerde(Topics.READINGS_REJECTED).deserializer();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                long quietUntil = Long.MAX_VALUE;
                int seen = 0;
                // Read until every input is accounted for, then 2 more seconds to catch duplicates.
                while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        seen++;
                        if (r.topic().equals(topics.name(Topics.READINGS_NORMALIZED))) {
                            NormalizedReading n = normalizedDe.deserialize(r.topic(), r.value());
                            assertThat(r.key()).isEqualTo(n.getParticipantId());
                            normalized.merge(n.getSourceRecordId(), 1, Integer::sum);
                        } else {
                            RejectedReading d = rejectedDe.deserialize(r.topic(), r.value());
                            assertThat(r.key()).isEqualTo(d.getDeviceId());
                            rejected.merge(d.getReason(), 1, Integer::sum);
                        }
                    }
                    if (seen >= total && quietUntil == Long.MAX_VALUE) {
                        quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    }
                }
            }
            assertThat(normalized).isEqualTo(expectedNormalized);
            assertThat(rejected).isEqualTo(expectedRejected);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static void publishReferenceData(Instant now) {
        Map<String, Object> producerConfig = new HashMap<>(KafkaClientConfigs.producer(config, "it-admin"));
        try (KafkaProducer<String, Device> devices = new KafkaProducer<>(
                        producerConfig,
                        new StringSerializer(),
                        serdes.valueSerde(Topics.DEVICES).serializer());
                KafkaProducer<String, Participant> participants = new KafkaProducer<>(
                        producerConfig,
                        new StringSerializer(),
                        serdes.valueSerde(Topics.PARTICIPANTS).serializer())) {
            for (String[] d : new String[][] {{"dev-a", "p-a"}, {"dev-b", "p-b"}}) {
                devices.send(new ProducerRecord<>(
                        topics.name(Topics.DEVICES),
                        d[0],
                        Device.newBuilder()
                                .setDeviceId(d[0])
                                .setParticipantId(d[1])
                                .setType(DeviceType.tracker)
                                .setPairedAt(now)
                                .build()));
            }
            participants.send(new ProducerRecord<>(
                    topics.name(Topics.PARTICIPANTS),
                    "p-a",
                    NormalizerDriver.participant("p-a", true, "Asia/Kolkata")));
            participants.send(new ProducerRecord<>(
                    topics.name(Topics.PARTICIPANTS), "p-b", NormalizerDriver.participant("p-b", false, null)));
            devices.flush();
            participants.flush();
        }
    }
}
