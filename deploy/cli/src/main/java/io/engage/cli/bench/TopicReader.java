package io.engage.cli.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads whole topics {@code read_committed}, from the beginning up to their end when called: the bench's checks. */
final class TopicReader {
    private final Admin admin;
    private final Map<String, Object> consumerConfigs;

    TopicReader(Admin admin, Map<String, Object> consumerConfigs) {
        this.admin = admin;
        this.consumerConfigs = consumerConfigs;
    }

    /** Records on the topics. */
    long count(List<String> topics) {
        long[] n = {0};
        for (String topic : topics) {
            read(topic, r -> n[0]++);
        }
        return n[0];
    }

    /** Distinct keys on a topic. */
    long distinctKeys(String topic) {
        Set<ByteBuffer> keys = new HashSet<>();
        read(topic, r -> {
            if (r.key() != null) {
                keys.add(ByteBuffer.wrap(r.key()));
            }
        });
        return keys.size();
    }

    /** The sum over keys of each key's latest value, for a topic of 8-byte big-endian longs (Kafka's LongSerializer). */
    long sumOfLatestLongs(String topic) {
        Map<ByteBuffer, Long> latest = new HashMap<>();
        read(topic, r -> {
            if (r.key() != null && r.value() != null && r.value().length == Long.BYTES) {
                latest.put(ByteBuffer.wrap(r.key()), ByteBuffer.wrap(r.value()).getLong());
            }
        });
        return latest.values().stream().mapToLong(Long::longValue).sum();
    }

    private void read(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, Long> ends = CommittedOffsets.endOffsets(admin, topic);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>(ends.keySet());
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!reached(c, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new BenchException("could not read " + topic + " to its end within 2 minutes");
                }
                c.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
