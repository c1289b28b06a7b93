package io.engage.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the records of one topic whose timestamps fall in {@code [from, to)} (docs/replay.md): on every partition from
 * the first offset with a timestamp at or after {@code from} ({@code offsetsForTimes}) up to the partition's end when
 * the export began (the last stable offset: {@code read_committed}), partition by partition in offset order. The
 * consumer is assigned its partitions and has no group: nothing is joined or committed, so a live application is not
 * disturbed. Each record's key and value are decoded; one that cannot be decoded is passed on with the reason.
 */
final class TopicExport {
    /** A partition's part of the export: offsets {@code [start, end)}. */
    record Slice(int partition, long start, long end) {
        long size() {
            return Math.max(0, end - start);
        }
    }

    private final Map<String, Object> consumerConfigs;
    private final String topic;
    private final Deserializer<?> keys;
    private final Deserializer<?> values;

    TopicExport(Map<String, Object> consumerConfigs, String topic, Deserializer<?> keys, Deserializer<?> values) {
        this.consumerConfigs = new HashMap<>(consumerConfigs);
        this.consumerConfigs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfigs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfigs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfigs.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.topic = topic;
        this.keys = keys;
        this.values = values;
    }

    /**
     * Passes every record of the range to {@code out}, reporting the records read so far (of {@link #plan}'s total)
     * to {@code progress}; returns how many records were passed on.
     *
     * @throws IllegalArgumentException when the topic does not exist on the cluster
     */
    long run(
            Instant from,
            Instant to,
            Consumer<ExportRecord> out,
            Consumer<List<Slice>> planned,
            LongConsumer progress) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<Slice> slices = plan(consumer, from);
            planned.accept(slices);
            long read = 0;
            long passed = 0;
            for (Slice slice : slices) {
                if (slice.size() == 0) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic, slice.partition());
                consumer.assign(List.of(tp));
                consumer.seek(tp, slice.start());
                while (consumer.position(tp) < slice.end()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() >= slice.end()) {
                            break;
                        }
                        read++;
                        Instant at = Instant.ofEpochMilli(r.timestamp());
                        if (!at.isBefore(from) && at.isBefore(to)) {
                            out.accept(decode(r, at));
                            passed++;
                        }
                    }
                    progress.accept(read);
                }
            }
            return passed;
        }
    }

    private List<Slice> plan(KafkaConsumer<byte[], byte[]> consumer, Instant from) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist on the cluster");
        }
        List<TopicPartition> parts = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        Map<TopicPartition, Long> times = new HashMap<>();
        parts.forEach(tp -> times.put(tp, Math.max(0, from.toEpochMilli())));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
        List<Slice> out = new ArrayList<>();
        for (TopicPartition tp : parts) {
            long end = ends.get(tp);
            OffsetAndTimestamp start = starts.get(tp);
            out.add(new Slice(tp.partition(), start == null ? end : Math.min(start.offset(), end), end));
        }
        return out;
    }

    private ExportRecord decode(ConsumerRecord<byte[], byte[]> r, Instant at) {
        Object key = null;
        Object value = null;
        String error = null;
        try {
            key = r.key() == null ? null : keys.deserialize(topic, r.headers(), r.key());
        } catch (RuntimeException e) {
            error = "key: " + e.getMessage();
        }
        try {
            value = r.value() == null ? null : values.deserialize(topic, r.headers(), r.value());
        } catch (RuntimeException e) {
            error = (error == null ? "" : error + "; ") + "value: " + e.getMessage();
        }
        return new ExportRecord(topic, r.partition(), r.offset(), at, key, value, error);
    }
}
