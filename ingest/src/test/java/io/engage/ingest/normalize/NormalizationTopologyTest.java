package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.DeviceType;
import io.engage.config.EngageConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Shape of the topology (stable node names, topics through the catalogue) and the recommended Streams settings. */
class NormalizationTopologyTest {

    @Test
    void nodesHaveStableReadableNames() {
        EngageConfig config = EngageConfig.of(Map.of(EngageConfig.SCHEMA_REGISTRY_URL, "mock://topology-shape"));
        TopologyDescription description = NormalizationTopology.build(config).describe();
        String text = description.toString();
        assertThat(text)
                .contains(
                        NormalizationTopology.RAW_SOURCE,
                        NormalizationTopology.NORMALIZE,
                        NormalizationTopology.NORMALIZED_SINK,
                        NormalizationTopology.REJECTED_SINK,
                        NormalizationTopology.DEVICE_PAIRINGS,
                        NormalizationTopology.CONSENT_PROFILES,
                        NormalizationTopology.DEVICE_PAIRINGS_STORE,
                        NormalizationTopology.CONSENT_PROFILES_STORE);
        assertThat(text).doesNotContain("KSTREAM-", "KTABLE-");
        assertThat(description.globalStores()).hasSize(2);
        assertThat(description.subtopologies())
                .as("the readings, and the erasure requests that unpair devices")
                .hasSize(2);
        assertThat(description.subtopologies())
                .as("one input topic per task, so tasks need not idle (StreamsDefaults, max.task.idle.ms)")
                .allSatisfy(s -> assertThat(s.nodes())
                        .filteredOn(n -> n instanceof TopologyDescription.Source)
                        .hasSize(1));
    }

    @Test
    void topicNamesFollowTheConfiguredPrefix() {
        try (NormalizerDriver n = new NormalizerDriver(Map.of(EngageConfig.TOPIC_PREFIX, "staging."))) {
            assertThat(n.topics.prefix()).isEqualTo("staging.");
            n.pair(Readings.DEVICE, Readings.PARTICIPANT, DeviceType.tracker).profile(Readings.PARTICIPANT, true, null);
            n.send(Readings.steps().build());
            assertThat(n.onlyNormalized().getParticipantId()).isEqualTo(Readings.PARTICIPANT);
            assertThat(n.driver.producedTopicNames())
                    .contains("staging.readings.normalized")
                    .noneMatch(t -> t.startsWith("readings."));
        }
    }

    @Test
    void recommendedStreamsProperties() {
        EngageConfig config = EngageConfig.of(Map.of(
                EngageConfig.BOOTSTRAP_SERVERS,
                "kafka:9092",
                EngageConfig.SCHEMA_REGISTRY_URL,
                "http://registry:8081",
                EngageConfig.APPLICATION_ID,
                "engage-prod",
                EngageConfig.COMMIT_INTERVAL_MS,
                "250",
                EngageConfig.DATA_DIR,
                "/data",
                EngageConfig.TOPIC_PREFIX,
                "prod.",
                "kafka.security.protocol",
                "SASL_SSL",
                "kafka.producer.acks",
                "1",
                "kafka.consumer.isolation.level",
                "read_uncommitted"));
        Properties p = NormalizationTopology.streamsProperties(config);
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("engage-prod-normalizer");
        assertThat(p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("kafka:9092");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250L);
        assertThat(p.get(StreamsConfig.STATE_DIR_CONFIG))
                .isEqualTo(java.nio.file.Path.of("/data", "streams").toString());
        assertThat(p.get("schema.registry.url")).isEqualTo("http://registry:8081");
        assertThat(p.get("security.protocol")).isEqualTo("SASL_SSL");
        // pass-through cannot weaken durability or isolation
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG)))
                .isEqualTo("all");
        assertThat(p.get(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG)))
                .isEqualTo("read_committed");
        assertThat(p.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterBackstop.class.getName());
        assertThat(p.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterBackstop.class.getName());
        assertThat(p.get(DeadLetterBackstop.RAW_TOPIC_CONFIG)).isEqualTo("prod.readings.raw");
        assertThat(p.get(DeadLetterBackstop.REJECTED_TOPIC_CONFIG)).isEqualTo("prod.readings.rejected");
        new StreamsConfig(p); // valid as a whole

        Properties atLeastOnce = NormalizationTopology.streamsProperties(
                config.with(Map.of(EngageConfig.PROCESSING_GUARANTEE, "at_least_once")));
        assertThat(atLeastOnce.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.AT_LEAST_ONCE);
    }
}
