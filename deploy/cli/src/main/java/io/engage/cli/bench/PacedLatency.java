package io.engage.cli.bench;

import io.engage.avro.DailyActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * End-to-end latency under a paced load: fresh readings are sent at a fixed rate; a {@code read_committed}
 * consumer of {@code activity.daily} records when each reading's effect becomes visible.
 *
 * <p>Matching: the engagement topology stamps a day it changes with the timestamp of the reading that changed it
 * ({@code updatedAt}, also the record timestamp), and every paced reading has a record timestamp unique for its
 * participant ({@link BenchInput#paced(int)}). So the first {@code activity.daily} record with the reading's
 * participant and {@code updatedAt} is the one reflecting it. Readings that change no day (an exact repeat, a
 * second device's count below the first's hour maximum) and dead-lettered readings cause no record: they are
 * counted as sent but not matched.
 */
final class PacedLatency {
    private final Producer<byte[], byte[]> producer;
    private final String rawTopic;
    private final Map<String, Object> consumerConfigs;
    private final String dailyTopic;
    private final Deserializer<DailyActivity> dailyDeserializer;
    private final Visibility pipeline;
    private final java.util.function.Function<String, Map<TopicPartition, Long>> endOffsets;
    private final Consumer<String> progress;

    PacedLatency(
            Producer<byte[], byte[]> producer,
            String rawTopic,
            Map<String, Object> consumerConfigs,
            String dailyTopic,
            Deserializer<DailyActivity> dailyDeserializer,
            Visibility pipeline,
            java.util.function.Function<String, Map<TopicPartition, Long>> endOffsets,
            Consumer<String> progress) {
        this.producer = producer;
        this.rawTopic = rawTopic;
        this.consumerConfigs = consumerConfigs;
        this.dailyTopic = dailyTopic;
        this.dailyDeserializer = dailyDeserializer;
        this.pipeline = pipeline;
        this.endOffsets = endOffsets;
        this.progress = progress;
    }

    static String matchKey(String participantId, long timestamp) {
        return participantId + '|' + timestamp;
    }

    Latency run(List<BenchRecord> input, double rate, long rawAlreadySent, Duration timeout) {
        int n = input.size();
        Map<String, Integer> index = new HashMap<>(n * 2);
        long expectedValid = 0;
        for (int i = 0; i < n; i++) {
            BenchRecord r = input.get(i);
            if (r.expectedValid()) {
                expectedValid++;
            }
            if (r.participantId() != null && r.expectedValid()) {
                index.put(matchKey(r.participantId(), r.timestamp()), i);
            }
        }
        long[] sendNanos = new long[n];
        AtomicLongArray ackNanos = new AtomicLongArray(n);
        AtomicReference<Exception> error = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        DailyWatcher watcher = new DailyWatcher(index, n);
        long start;
        long end;
        try {
            watcher.start();
            start = System.nanoTime();
            long nextReport = start + 1_000_000_000L;
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                BenchRecord r = input.get(i);
                int at = i;
                sendNanos[i] = System.nanoTime();
                producer.send(new ProducerRecord<>(rawTopic, null, r.timestamp(), r.key(), r.value()), (md, e) -> {
                    ackNanos.set(at, System.nanoTime());
                    acked.incrementAndGet();
                    if (e != null) {
                        error.compareAndSet(null, e);
                    }
                });
                if (sendNanos[i] > nextReport) {
                    progress.accept(String.format(
                            "sent %,d of %,d at %,.0f/s; %,d readings seen on %s",
                            i + 1, n, (i + 1) / ((sendNanos[i] - start) / 1e9), watcher.matched(), dailyTopic));
                    nextReport = sendNanos[i] + 1_000_000_000L;
                }
            }
            end = System.nanoTime();
            producer.flush();
            if (error.get() != null) {
                throw new BenchException("producing to " + rawTopic + " failed: " + error.get(), error.get());
            }
            pipeline.awaitVisible(rawAlreadySent + n, timeout, progress);
            watcher.stopAt(endOffsets.apply(dailyTopic));
            watcher.join(Duration.ofSeconds(10));
        } finally {
            watcher.close();
        }
        if (watcher.failure != null) {
            throw new BenchException("activity.daily consumer failed: " + watcher.failure, watcher.failure);
        }
        long[] fromAck = new long[n];
        long[] fromSend = new long[n];
        long[] ack = new long[n];
        int matched = 0;
        for (int i = 0; i < n; i++) {
            ack[i] = ackNanos.get(i) - sendNanos[i];
            long visible = watcher.visible[i];
            if (visible != 0) {
                fromAck[matched] = Math.max(0, visible - ackNanos.get(i));
                fromSend[matched] = visible - sendNanos[i];
                matched++;
            }
        }
        double seconds = (end - start) / 1e9;
        return new Latency(
                rate,
                seconds > 0 ? n / seconds : 0,
                seconds,
                n,
                expectedValid,
                matched,
                Percentiles.ofNanos(fromAck, matched),
                Percentiles.ofNanos(fromSend, matched),
                Percentiles.ofNanos(ack, n));
    }

    /** Reads {@code activity.daily} from its current end and notes when each paced reading's record is read. */
    private final class DailyWatcher implements Runnable {
        private final Map<String, Integer> index;
        private final long[] visible;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final Thread thread = new Thread(this, "bench-daily-watcher");
        private final AtomicLong matched = new AtomicLong();
        private volatile Map<TopicPartition, Long> stopAt;
        private volatile boolean closed;
        private volatile Throwable failure;

        DailyWatcher(Map<String, Integer> index, int n) {
            this.index = index;
            this.visible = new long[n];
            consumer = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partitions.addAll(Partitions.of(consumer, dailyTopic));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the start now: only records after it count
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        long matched() {
            return matched.get();
        }

        void stopAt(Map<TopicPartition, Long> ends) {
            stopAt = ends;
        }

        @Override
        public void run() {
            long stopDeadline = Long.MAX_VALUE;
            try {
                while (!closed) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        DailyActivity day =
                                r.value() == null ? null : dailyDeserializer.deserialize(r.topic(), r.value());
                        if (day == null) {
                            continue;
                        }
                        Integer i = index.get(matchKey(
                                day.getParticipantId(), day.getUpdatedAt().toEpochMilli()));
                        if (i != null && visible[i] == 0) {
                            visible[i] = now;
                            matched.incrementAndGet();
                        }
                    }
                    Map<TopicPartition, Long> ends = stopAt;
                    if (ends != null) {
                        if (stopDeadline == Long.MAX_VALUE) {
                            stopDeadline = now + 5_000_000_000L;
                        }
                        if (reached(ends) || now > stopDeadline) {
                            return;
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } catch (Throwable t) {
                failure = t;
            }
        }

        private boolean reached(Map<TopicPartition, Long> ends) {
            for (TopicPartition tp : partitions) {
                if (consumer.position(tp) < ends.getOrDefault(tp, 0L)) {
                    return false;
                }
            }
            return true;
        }

        void join(Duration timeout) {
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            closed = true;
            if (thread.isAlive()) {
                consumer.wakeup();
                join(Duration.ofSeconds(10));
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
