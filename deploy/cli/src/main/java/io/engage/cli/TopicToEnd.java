package io.engage.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic from the beginning up to its end when called (the last stable offset with {@code
 * read_committed} consumer settings), as the demo's summary and the bench's checks do.
 */
public final class TopicToEnd {
    private TopicToEnd() {}

    /**
     * Passes every record of {@code topic} to {@code each}.
     *
     * @throws IllegalStateException when the end is not reached within {@code limit} (a partial read is never
     *                               returned as if it were the whole topic)
     */
    public static void read(
            Map<String, Object> consumerConfigs,
            String topic,
            Duration limit,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + limit.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + TimeUnit.NANOSECONDS.toSeconds(limit.toNanos()) + " s");
                }
                c.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
