package io.engage.cli.crash;

import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Everything committed on one topic, read from the beginning with {@code isolation.level=read_committed} by a consumer
 * that is not in any group (assigned all partitions), decoded with the catalogue's serdes. {@link #drain()} reads up to
 * the current end (the last stable offset), so the list only grows and aborted records never appear.
 */
public final class CommittedTopic<K, V> implements AutoCloseable {
    /** A decoded record with where it was. */
    public record Rec<K, V>(K key, V value, int partition, long offset) {}

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final List<Rec<K, V>> records = new ArrayList<>();

    public CommittedTopic(String bootstrap, TopicCatalogue catalogue, TopicSerdes serdes, TopicSpec<K, V> spec) {
        this.topic = catalogue.name(spec);
        this.keys = serdes.keySerde(spec).deserializer();
        this.values = serdes.valueSerde(spec).deserializer();
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
    }

    /** Reads what was committed since the last call, up to the end offsets as of now; returns all records so far. */
    public synchronized List<Rec<K, V>> drain() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!caughtUp(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " up to " + end + " within 60 s");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(new Rec<>(
                        decode(keys::deserialize, r.key()),
                        decode(values::deserialize, r.value()),
                        r.partition(),
                        r.offset()));
            }
        }
        return List.copyOf(records);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private <T> T decode(BiFunction<String, byte[], T> f, byte[] bytes) {
        return bytes == null ? null : f.apply(topic, bytes);
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
