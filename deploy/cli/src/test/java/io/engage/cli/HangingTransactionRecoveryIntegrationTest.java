package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.embedded.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hanging-transaction recovery never touches a transaction the coordinator still runs (the dangerous direction).
 * That a transaction left behind by a {@code kill -9} of the whole local stack is found and aborted is shown by the
 * crash tests ({@code crash.LocalStackKillIntegrationTest}), where such a transaction occurs.
 */
@Tag("integration")
class HangingTransactionRecoveryIntegrationTest {

    @Test
    void anOngoingTransactionIsNeverTakenForAHangingOne(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicPartition tp = new TopicPartition("t", 0);
            KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "tx-1",
                            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                            600_000),
                    new StringSerializer(),
                    new StringSerializer());
            try {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "v")).get(30, TimeUnit.SECONDS);

                assertThat(HangingTransactionRecovery.find(admin))
                        .as("the coordinator runs this transaction")
                        .isEmpty();
                assertThat(HangingTransactionRecovery.abortAll(admin, id -> true))
                        .isEmpty();
            } finally {
                // the producer goes away without completing: with a fresh epoch on the same id the coordinator
                // aborts its transaction, as a restarted application would
                producer.close(Duration.ZERO);
            }

            try (KafkaProducer<String, String> next = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                            "tx-1"),
                    new StringSerializer(),
                    new StringSerializer())) {
                next.initTransactions(); // the coordinator aborts the first producer's transaction
            }
            assertThat(HangingTransactionRecovery.find(admin))
                    .as("nothing is open any more")
                    .isEmpty();

            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                assertThat(c.endOffsets(Set.of(tp)))
                        .as("the last stable offset moved past the aborted transaction")
                        .containsEntry(tp, 2L);
            }
        }
    }
}
