package io.engage.cli.bench;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** A topic's partitions as a consumer sees them. */
final class Partitions {
    private Partitions() {}

    /**
     * Every partition of {@code topic}, waiting up to 30 s for the consumer's metadata to show it: a topic created
     * a moment ago may not be in the metadata yet, and {@code partitionsFor} then answers with no partitions.
     */
    static List<TopicPartition> of(Consumer<?, ?> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (!tps.isEmpty()) {
                return tps;
            }
            if (System.nanoTime() > deadline) {
                throw new BenchException("topic " + topic + " has no partitions in the consumer's metadata after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
    }
}
