package io.engage.simulator;

import io.engage.avro.RawReading;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where simulated readings go: a gateway's HTTP API or {@code readings.raw} directly. Sends are asynchronous so a
 * sink can keep several batches in flight; a sink keeps the order of one device's batches.
 */
public interface ReadingSink extends AutoCloseable {

    /**
     * Sends one device's batch. {@code receivedAt} is when the gateway receives it in the simulation: a sink that
     * publishes straight to Kafka may stamp it as the record timestamp (what the pipeline then counts as received);
     * the HTTP gateway stamps its own clock. Null means now.
     *
     * @return per-reading outcomes; completes exceptionally only with a {@link SinkException} (cannot go on)
     */
    CompletableFuture<SendResult> send(String deviceId, List<RawReading> batch, Instant receivedAt);

    /** Sends one batch and waits for the answer. */
    default SendResult send(String deviceId, List<RawReading> batch) {
        try {
            return send(deviceId, batch, null).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Whether it answers per reading with the gateway's reason codes (the HTTP API does; Kafka only acknowledges). */
    default boolean validates() {
        return false;
    }

    /** How many batches the simulator may keep in flight. */
    default int maxInFlight() {
        return 1;
    }

    /** Waits until every batch sent so far is answered. */
    void flush();

    @Override
    void close();
}
