package io.engage.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedKafkaIntegrationTest {

    @Test
    void aSingleNodeKeepsItsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
            createTopic(kafka.bootstrapServers(), "persisted", 1, (short) 1);
            produce(kafka.bootstrapServers(), "persisted", List.of("a", "b", "c"));
        }
        try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0)) {
            assertThat(consumeAll(again.bootstrapServers(), "persisted", 3)).containsExactly("a", "b", "c");
        }
    }

    @Test
    void aTakenPortIsAPortInUseExceptionNamingTheKey(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dir, taken.getLocalPort()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()))
                    .hasMessageContaining("broker.port");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aThreeBrokerClusterSurvivesAStoppedBroker() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3)) {
            assertThat(cluster.brokerIds()).hasSize(3);
            createTopic(cluster.bootstrapServers(), "replicated", 3, (short) 3);
            produce(cluster.bootstrapServers(), "replicated", List.of("before"));

            int victim = cluster.brokerIds().iterator().next();
            cluster.stopBroker(victim);
            produce(cluster.bootstrapServers(), "replicated", List.of("during"));
            cluster.startBroker(victim);
            produce(cluster.bootstrapServers(), "replicated", List.of("after"));

            assertThat(consumeAll(cluster.bootstrapServers(), "replicated", 3))
                    .containsExactlyInAnyOrder("before", "during", "after");
        }
    }

    private static void createTopic(String bootstrap, String name, int partitions, short rf) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, rf)
                            .configs(Map.of("min.insync.replicas", String.valueOf(Math.max(1, rf - 1))))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static void produce(String bootstrap, String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        60_000),
                new StringSerializer(),
                new StringSerializer())) {
            for (String v : values) {
                p.send(new ProducerRecord<>(topic, v, v)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
