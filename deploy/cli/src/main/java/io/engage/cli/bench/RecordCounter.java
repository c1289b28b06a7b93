package io.engage.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The baseline's reader: a {@code read_committed} consumer on every partition of a topic, from the beginning, on
 * its own thread, counting records as its polls return them. Visible = counted.
 */
final class RecordCounter implements Visibility, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicLong count = new AtomicLong();
    /**
     * The count awaited, and when the consumer thread saw it reached (0: not yet). Both are read and written together
     * under this object's lock: a poll checked against the previous (smaller) target must not mark a new one reached.
     */
    private long target = Long.MAX_VALUE;

    private long reachedAt;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    RecordCounter(Map<String, Object> consumerConfigs, String topic) {
        consumer = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = Partitions.of(consumer, topic);
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        tps.forEach(consumer::position); // resolve now, not during the measurement
        thread = new Thread(this::run, "bench-baseline-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    long counted = count.addAndGet(records.count());
                    synchronized (this) {
                        if (counted >= target && reachedAt == 0) {
                            reachedAt = System.nanoTime();
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    long count() {
        return count.get();
    }

    @Override
    public long awaitVisible(long sent, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        synchronized (this) {
            target = sent;
            reachedAt = 0;
            if (count.get() >= sent) {
                return System.nanoTime(); // already read while the caller was still flushing
            }
        }
        while (true) {
            long now = System.nanoTime();
            long at;
            synchronized (this) {
                at = reachedAt;
            }
            if (at != 0) {
                return at;
            }
            if (failure != null) {
                throw new BenchException("baseline consumer failed: " + failure, failure);
            }
            if (now > deadline) {
                throw new BenchException(
                        "baseline consumer read " + count.get() + " of " + sent + " records in " + timeout);
            }
            if (now > nextReport) {
                progress.accept(describe());
                nextReport = now + 1_000_000_000L;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Override
    public String describe() {
        return String.format("consumed %,d", count.get());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
