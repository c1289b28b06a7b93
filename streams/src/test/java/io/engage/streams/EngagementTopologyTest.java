package io.engage.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.ParticipantDay;
import io.engage.config.EngageConfig;
import io.engage.streams.testing.EngagementDriver;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Wiring: topics under the prefix, robust inputs, co-partitioned output, the streams settings. */
class EngagementTopologyTest {

    @Test
    void readsAndWritesTheTopicsUnderThePrefix() {
        EngageConfig config = EngageConfig.of(Map.of(
                EngageConfig.TOPIC_PREFIX, "t1.", EngageConfig.SCHEMA_REGISTRY_URL, "mock://topology-description"));
        TopologyDescription description = EngagementTopology.build(config).describe();
        String text = description.toString();
        assertThat(text)
                .contains(
                        "t1.readings.normalized",
                        "t1.participants",
                        "t1.programs",
                        "t1.teams",
                        "t1.activity.daily",
                        "t1.goals.achieved",
                        "t1.streaks",
                        "t1.engagement.points",
                        "t1.donations",
                        "t1.social.cheers",
                        "t1.participants.erasures",
                        "t1.standings",
                        EngagementTopology.DONATION_INTENTS + "-repartition");
        assertThat(description.globalStores())
                .extracting(g -> g.processor().stores())
                .containsExactlyInAnyOrder(
                        Set.of(EngagementStores.PROGRAMS),
                        Set.of(EngagementStores.TEAMS),
                        Set.of(EngagementStores.PROFILES));
        assertThat(description.subtopologies())
                .as("readings and cheers on one task per partition; the donation ledger and the team standings read"
                        + " what is re-keyed by programme, the received cheers what is re-keyed by recipient")
                .hasSize(4);
        assertThat(description.subtopologies())
                .as("every task reads one input partition (docs/benchmarks.md), but the participants' task also reads"
                        + " the (rare) cheers and erasure requests of its participants")
                .allSatisfy(s -> assertThat(s.nodes())
                        .filteredOn(n -> n instanceof TopologyDescription.Source)
                        .extracting(n -> ((TopologyDescription.Source) n).topicSet())
                        .satisfiesAnyOf(
                                sources -> assertThat(new java.util.ArrayList<Set<String>>(sources))
                                        .containsExactlyInAnyOrder(
                                                Set.of("t1.readings.normalized"),
                                                Set.of("t1.social.cheers"),
                                                Set.of("t1.participants.erasures")),
                                sources -> assertThat(new java.util.ArrayList<Set<String>>(sources))
                                        .isIn(
                                                List.of(Set.of(EngagementTopology.DONATION_INTENTS + "-repartition")),
                                                List.of(Set.of(EngagementTopology.TEAM_DAY_STEPS + "-repartition")),
                                                List.of(Set.of(EngagementTopology.CHEERS_RECEIVED + "-repartition")))));
        assertThat(description.subtopologies())
                .anySatisfy(s -> assertThat(s.nodes()).anySatisfy(n -> {
                    assertThat(n.name()).isEqualTo(EngagementTopology.DONATION_LEDGER);
                    assertThat(((TopologyDescription.Processor) n).stores())
                            .containsExactlyInAnyOrder(
                                    EngagementStores.DONATION_ACCOUNTS,
                                    EngagementStores.DONATION_ISSUERS,
                                    EngagementStores.DONATION_DEFERRED);
                }));
    }

    @Test
    void garbageOnReadingsNormalizedIsSkippedAndProcessingGoesOn() {
        try (EngagementDriver d = new EngagementDriver(Map.of(EngageConfig.TOPIC_PREFIX, "x."))) {
            d.profile("p-1", "Europe/Berlin");
            d.sendBytes("p-1", "not avro".getBytes(StandardCharsets.UTF_8), EngagementDriver.NOW);
            d.sendBytes("p-1", new byte[] {0, 0, 0, 0, 99, 1, 2}, EngagementDriver.NOW);
            d.sendBytes("p-1", null, EngagementDriver.NOW);
            d.steps("p-1", "tracker-1", 1000, "2026-11-20T08:00:00+01:00", "2026-11-20T09:00:00+01:00")
                    .send();
            assertThat(d.day("p-1", "2026-11-20").getSteps()).isEqualTo(1000);
        }
    }

    @Test
    void activityDailyIsPartitionedByParticipantLikeAStringKey() {
        ParticipantDayPartitioner p = new ParticipantDayPartitioner();
        for (String pid : new String[] {"p-1", "p-2", "participant-with-a-longer-id", "ü"}) {
            int expected = Utils.toPositive(Utils.murmur2(pid.getBytes(StandardCharsets.UTF_8))) % 6;
            assertThat(p.partitions("activity.daily", new ParticipantDay(pid, LocalDate.EPOCH), null, 6))
                    .contains(Set.of(expected));
        }
    }

    @Test
    void streamsPropertiesKeepExactlyOnceSettings() {
        EngageConfig config = EngageConfig.of(
                Map.of(EngageConfig.BOOTSTRAP_SERVERS, "b:9092", "kafka." + ProducerConfig.LINGER_MS_CONFIG, "5"));
        Properties p = EngagementTopology.streamsProperties(config);
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("engage-engagement");
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(p.get(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG)))
                .isEqualTo("all");
        assertThat(p.get(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG)))
                .isEqualTo("read_committed");
        assertThat(p.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo("5");
        assertThat(p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("b:9092");
        assertThat(p.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG))
                .isEqualTo(EngagementTopology.RECORD_CACHE_BYTES);
        assertThat(EngagementTopology.streamsProperties(EngageConfig.of(
                                Map.of("kafka." + StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0")))
                        .get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG))
                .as("a configured record cache wins")
                .isEqualTo("0");
    }
}
