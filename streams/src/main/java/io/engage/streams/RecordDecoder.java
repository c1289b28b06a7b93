package io.engage.streams;

import java.util.function.Consumer;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.StreamsException;

import io.engage.schemas.registry.SchemaRegistryException;

/**
 * Decodes Confluent wire-format values inside a processor. A value that is not a decodable record gives null (the
 * caller logs and skips or deletes it); a registry that cannot answer stops processing so the record is retried
 * rather than lost.
 */
final class RecordDecoder<T> {
    private final Deserializer<T> deserializer;
    private final String topic;

    RecordDecoder(Deserializer<T> deserializer, String topic) {
        this.deserializer = deserializer;
        this.topic = topic;
    }

    /** The decoded value; null when the bytes are not a record ({@code failure} receives why). */
    T decode(Headers headers, byte[] bytes, Consumer<String> failure) {
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
            if (registryUnavailable(e)) {
                throw new StreamsException("schema registry unavailable while decoding a record of " + topic + ": "
                        + e.getMessage(), e);
            }
            failure.accept(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return null;
        }
    }

    /** A registry error that is not about the record: no answer, 5xx, 401/403, 429. */
    static boolean registryUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException sre) {
                int status = sre.status();
                return !(sre.isNotFound() || (status >= 200 && status < 300));
            }
        }
        return false;
    }
}
