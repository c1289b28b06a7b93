package io.engage.schemas.topics;

import java.time.Duration;
import java.util.Objects;

/**
 * One topic of the catalogue: base name (before the configured prefix), key and value types, partitions,
 * cleanup and retention. {@code retention} is null for compacted topics (kept forever).
 */
public record TopicSpec<K, V>(
        String baseName,
        Class<K> keyType,
        Class<V> valueType,
        int partitions,
        Cleanup cleanup,
        Duration retention,
        String description) {
    public TopicSpec {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanup, "cleanup");
        if (partitions < 1) {
            throw new IllegalArgumentException(baseName + ": partitions must be at least 1");
        }
        if (cleanup == Cleanup.DELETE && retention == null) {
            throw new IllegalArgumentException(baseName + ": an append-only topic needs a retention");
        }
    }

    /** Whether the topic is compacted. */
    public boolean compacted() {
        return cleanup == Cleanup.COMPACT;
    }
}
