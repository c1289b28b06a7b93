package io.engage.ingest.client;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class GatewayClientIntegrationTest {

    @Test
    void publishesValidReadingsAndReportsEachFailureByIndex(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
                EmbeddedSchemaRegistry registry =
                        EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "_schemas")) {
            EngageConfig config = EngageConfig.of(
                    Map.of("bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url()));
            try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
                new TopicProvisioner(admin, TopicCatalogue.unprefixed()).createMissing();
            }
            OffsetDateTime h = OffsetDateTime.now(ZoneOffset.ofHours(9))
                    .truncatedTo(ChronoUnit.HOURS)
                    .minusHours(1);
            GatewayClient.Result result;
            try (GatewayClient client = GatewayClient.create(config, "cloud-1")) {
                result = client.publish(
                                "trk-7",
                                List.of(
                                        new GatewayClient.Reading(
                                                "steps",
                                                900,
                                                "steps",
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h),
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                                        h.plusHours(1)),
                                                "s1"),
                                        new GatewayClient.Reading(
                                                "steps",
                                                900,
                                                "parsecs",
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h),
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                                        h.plusHours(1)),
                                                "s2"),
                                        new GatewayClient.Reading(
                                                "heart_rate",
                                                300,
                                                "bpm",
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h),
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h),
                                                "s3"),
                                        new GatewayClient.Reading(
                                                "calories",
                                                100,
                                                "kJ",
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(h),
                                                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                                                        h.plusHours(1)),
                                                "s4")))
                        .get(60, TimeUnit.SECONDS);
            }
            assertThat(result.acknowledged()).isEqualTo(2);
            assertThat(result.failures())
                    .extracting(GatewayClient.Failure::index, GatewayClient.Failure::reason)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, "UNKNOWN_UNIT"),
                            org.assertj.core.groups.Tuple.tuple(2, "OUT_OF_RANGE"));

            Serde<RawReading> serde = new TopicSerdes(config.registryClientConfigs()).valueSerde(Topics.READINGS_RAW);
            List<RawReading> got = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaClientConfigs.consumer(config, null), new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> tps = c.partitionsFor("readings.raw").stream()
                        .map(p -> new TopicPartition("readings.raw", p.partition()))
                        .toList();
                c.assign(tps);
                c.seekToBeginning(tps);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (got.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        assertThat(r.key()).isEqualTo("trk-7");
                        got.add(serde.deserializer().deserialize("readings.raw", r.value()));
                    }
                }
            }
            assertThat(got).extracting(RawReading::getSourceRecordId).containsExactlyInAnyOrder("s1", "s4");
            assertThat(got).allSatisfy(r -> {
                assertThat(r.getReceivedAt()).isNull();
                assertThat(r.getGatewayId()).isEqualTo("cloud-1");
            });
        }
    }
}
