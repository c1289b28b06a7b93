package io.engage.processing;

import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes Confluent wire-format values inside a processor, so a bad record becomes something the topology can
 * dead-letter, skip or treat as deleted, instead of a deserialization error that stops or silently drops it. Only
 * failures that belong to the bytes (garbage, unknown magic byte, unknown schema id, truncated or incompatible Avro)
 * are reported to the caller; a registry that cannot answer throws {@link RegistryUnavailableException}.
 */
public final class RecordDecoder<T> {
    private final Deserializer<T> deserializer;
    private final String topic;

    public RecordDecoder(Deserializer<T> deserializer, String topic) {
        this.deserializer = deserializer;
        this.topic = topic;
    }

    /**
     * The decoded value, or null when the bytes are not a record ({@code failure} then receives why).
     *
     * @throws RegistryUnavailableException when the registry cannot answer
     */
    public T decode(Headers headers, byte[] bytes, Consumer<String> failure) {
        if (bytes == null) {
            failure.accept("no value");
            return null;
        }
        try {
            T value = deserializer.deserialize(topic, headers, bytes);
            if (value == null) {
                failure.accept("no value");
            }
            return value;
        } catch (RuntimeException e) {
            if (RegistryUnavailableException.isCause(e)) {
                throw new RegistryUnavailableException(
                        "schema registry unavailable while decoding a record of " + topic + ": " + e.getMessage(), e);
            }
            failure.accept(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return null;
        } catch (OutOfMemoryError e) {
            // a record whose declared sizes pass Avro's limits but not this heap: this record fails, not the thread
            failure.accept("too large to decode on this heap: " + e.getMessage());
            return null;
        }
    }
}
