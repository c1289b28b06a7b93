package io.engage.ingest.publish;

/** Kafka did not take a batch; nothing of it is visible to {@code read_committed} readers. */
public final class PublishException extends RuntimeException {
    private final boolean busy;

    public PublishException(String message, boolean busy, Throwable cause) {
        super(message, cause);
        this.busy = busy;
    }

    /** True when every publisher was in use (back-pressure), false when Kafka failed or timed out. */
    public boolean busy() {
        return busy;
    }
}
