package io.engage.schemas.topics;

/** A topic's cleanup policy. */
public enum Cleanup {
    /** Append-only with time retention: event topics. */
    DELETE("delete"),
    /** Latest value per key: reference data and tables. */
    COMPACT("compact");

    private final String policy;

    Cleanup(String policy) {
        this.policy = policy;
    }

    /** The value of Kafka's {@code cleanup.policy}. */
    public String policy() {
        return policy;
    }
}
