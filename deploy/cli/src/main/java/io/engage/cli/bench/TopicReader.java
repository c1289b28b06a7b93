package io.engage.cli.bench;

import io.engage.cli.TopicToEnd;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads whole topics {@code read_committed}, from the beginning up to their end when called: the bench's checks. */
final class TopicReader {
    private final Map<String, Object> consumerConfigs;

    TopicReader(Map<String, Object> consumerConfigs) {
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
        try {
            TopicToEnd.read(consumerConfigs, topic, Duration.ofMinutes(2), each);
        } catch (IllegalStateException e) {
            throw new BenchException(e.getMessage());
        }
    }
}
