package io.engage.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs one throughput measurement: sends the warm-up prefix of the input and waits until it is visible, then
 * starts the clock, sends the rest as fast as the producer takes it and stops the clock when all of it is
 * visible (as the {@link Visibility} of the system under test defines it).
 */
final class ThroughputRun {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration timeout;
    private final Consumer<String> progress;

    ThroughputRun(Producer<byte[], byte[]> producer, String topic, Duration timeout, Consumer<String> progress) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
        this.progress = progress;
    }

    Throughput run(List<BenchRecord> input, int warmup, Visibility visibility) {
        return run(input, warmup, visibility, () -> {});
    }

    /** As {@link #run(List, int, Visibility)}, calling {@code afterWarmup} once the warm-up is visible, before the clock starts. */
    Throughput run(List<BenchRecord> input, int warmup, Visibility visibility, Runnable afterWarmup) {
        int w = Math.min(warmup, input.size());
        if (w > 0) {
            send(input, 0, w, new AtomicLong());
            progress.accept(String.format("warm-up: %,d readings sent, waiting until they are visible", w));
            visibility.awaitVisible(w, timeout, progress);
        }
        afterWarmup.run();
        JitSettle.await(progress);
        AtomicLong lastAck = new AtomicLong();
        long start = System.nanoTime();
        send(input, w, input.size(), lastAck);
        progress.accept(String.format(
                "%,d readings sent and acknowledged in %.1f s; waiting until they are visible",
                input.size() - w, (lastAck.get() - start) / 1e9));
        long visible = visibility.awaitVisible(input.size(), timeout, progress);
        return Throughput.of(input.size() - w, w, start, visible, lastAck.get());
    }

    /** Sends {@code input[from, to)} with record timestamps as given; returns once every record is acknowledged. */
    private void send(List<BenchRecord> input, int from, int to, AtomicLong lastAck) {
        AtomicReference<Exception> error = new AtomicReference<>();
        long nextReport = System.nanoTime() + 1_000_000_000L;
        for (int i = from; i < to; i++) {
            BenchRecord r = input.get(i);
            producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value()), (md, e) -> {
                if (e != null) {
                    error.compareAndSet(null, e);
                }
                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
            });
            if ((i & 1023) == 0 && System.nanoTime() > nextReport) {
                progress.accept(String.format("sent %,d of %,d", i - from, to - from));
                nextReport = System.nanoTime() + 1_000_000_000L;
            }
        }
        producer.flush();
        if (error.get() != null) {
            throw new BenchException("producing to " + topic + " failed: " + error.get(), error.get());
        }
    }
}
