package io.engage.ingest.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the publisher tests send: a request's records, and a publish run on another thread. */
final class PublishRequests {
    private PublishRequests() {}

    /** One record per value on {@code topic}, all keyed by {@code device}. */
    static List<ProducerRecord<byte[], byte[]>> records(String topic, String device, String... values) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (String v : values) {
            out.add(new ProducerRecord<>(
                    topic, device.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Runs {@code publish} on another thread; the future holds what it threw, or null. */
    static CompletableFuture<Throwable> async(Runnable publish) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                publish.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }
}
