package io.engage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsDefaultsTest {
    private static final String GROUP_INSTANCE_ID = "main.consumer.group.instance.id";

    @Test
    void exactlyOnceAndReadCommittedCannotBeWeakenedByPassThrough() {
        EngageConfig c = EngageConfig.of(Map.of("kafka.isolation.level", "read_uncommitted", "kafka.acks", "1"));
        Properties p = StreamsDefaults.properties(c, "engage-engagement");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(p.get("consumer.isolation.level")).isEqualTo("read_committed");
        assertThat(p.get("producer.acks")).isEqualTo("all");
    }

    @Test
    void tasksDoNotIdleForASecondInputPartitionUnlessConfigured() {
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of()), "a")
                        .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of("kafka.max.task.idle.ms", "0")), "a")
                        .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo("0");
    }

    @Test
    void streamsProducersSendWhileTheIntervalRunsUnlessConfigured() {
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of()), "a").get("producer.linger.ms"))
                .isEqualTo(20);
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of("kafka.producer.linger.ms", "100")), "a")
                        .get("producer.linger.ms"))
                .isEqualTo("100");
    }

    @Test
    void producersCompressWithSnappyUnlessConfigured() {
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of()), "a").get("producer.compression.type"))
                .isEqualTo("snappy");
        assertThat(KafkaClientConfigs.producer(EngageConfig.of(Map.of("bootstrap.servers", "localhost:9092")), "c")
                        .get("compression.type"))
                .isEqualTo("snappy");
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of("kafka.producer.compression.type", "zstd")), "a")
                        .get("producer.compression.type"))
                .isEqualTo("zstd");
    }

    @Test
    void changelogsCompactAnErasedParticipantAwayWithinADayUnlessConfigured() {
        assertThat(StreamsDefaults.properties(EngageConfig.of(Map.of()), "a").get("topic.max.compaction.lag.ms"))
                .isEqualTo("86400000");
        assertThat(StreamsDefaults.properties(
                                EngageConfig.of(Map.of("kafka.topic.max.compaction.lag.ms", "3600000")), "a")
                        .get("topic.max.compaction.lag.ms"))
                .isEqualTo("3600000");
    }

    @Test
    void aConfiguredInstanceIdMakesTheMainConsumersStaticMembers() {
        EngageConfig c = EngageConfig.of(Map.of("instance.id", "node-a"));
        Properties p = StreamsDefaults.withStaticMembership(
                StreamsDefaults.properties(c, "engage-engagement"), c.stableInstanceId(EngageConfig.QUERY_PORT));
        assertThat(p.get(GROUP_INSTANCE_ID)).isEqualTo("engage-engagement-node-a");
    }

    @Test
    void aFixedPortGivesAStableIdAndPortZeroLeavesMembershipDynamic() {
        EngageConfig fixed = EngageConfig.of(Map.of("query.port", "8090"));
        assertThat(fixed.stableInstanceId(EngageConfig.QUERY_PORT))
                .hasValueSatisfying(id -> assertThat(id).endsWith("-8090"));

        EngageConfig random = EngageConfig.of(Map.of("query.port", "0"));
        assertThat(random.stableInstanceId(EngageConfig.QUERY_PORT)).isEmpty();
        Properties p = StreamsDefaults.withStaticMembership(
                StreamsDefaults.properties(random, "engage-engagement"),
                random.stableInstanceId(EngageConfig.QUERY_PORT));
        assertThat(p).doesNotContainKey(GROUP_INSTANCE_ID);
    }
}
