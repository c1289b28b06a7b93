package io.engage.ingest.publish;

/** Kafka did not take a batch; nothing of it is visible to {@code read_committed} readers. */
public final class PublishException extends RuntimeException {
    /** Why, and so what the caller is told (docs/ingest.md). */
    public enum Kind {
        /** Every publisher in use or the batch not taken in time: back-pressure (503, retry soon). */
        BUSY,
        /** Kafka unreachable, slow or failing (503, retry later). */
        FAILED,
        /** Kafka refused the transaction for a reason that may be one record's (503 when it is not this batch's). */
        REFUSED,
        /** A record is larger than the producer or a broker may take (413: retrying cannot help). */
        TOO_LARGE,
        /**
         * The batch was in a transaction whose outcome is not known (a commit that timed out for good): it may or may
         * not be visible; re-sending it is safe, a repeat changes nothing downstream (504).
         */
        UNKNOWN
    }

    private final Kind kind;

    public PublishException(String message, boolean busy, Throwable cause) {
        this(message, busy ? Kind.BUSY : Kind.FAILED, cause);
    }

    public PublishException(String message, Kind kind, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when every publisher was in use (back-pressure), false when Kafka failed or timed out. */
    public boolean busy() {
        return kind == Kind.BUSY;
    }
}
