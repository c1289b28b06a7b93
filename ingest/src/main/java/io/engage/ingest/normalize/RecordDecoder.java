package io.engage.ingest.normalize;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import io.engage.schemas.registry.SchemaRegistryException;

/**
 * Decodes Confluent wire-format values inside a processor, so a bad record becomes a value the topology can
 * dead-letter instead of a deserialization error that stops or silently skips it. Only failures that belong to
 * the bytes (garbage, unknown magic byte, unknown schema id, truncated or incompatible Avro) are reported as
 * {@link Decoded.Failed}; a registry that cannot answer throws {@link RegistryUnavailableException}.
 */
final class RecordDecoder<T> {
    private final Deserializer<T> deserializer;
    private final String topic;

    RecordDecoder(Deserializer<T> deserializer, String topic) {
        this.deserializer = deserializer;
        this.topic = topic;
    }

    /** The result of decoding one value. */
    sealed interface Decoded<T> {
        /** Decoded. */
        record Ok<T>(T value) implements Decoded<T> {
        }

        /** Not a decodable record; {@code reason} says why. */
        record Failed<T>(String reason) implements Decoded<T> {
        }
    }

    Decoded<T> decode(Headers headers, byte[] bytes) {
        try {
            T value = deserializer.deserialize(topic, headers, bytes);
            return value == null ? new Decoded.Failed<>("no value") : new Decoded.Ok<>(value);
        } catch (RuntimeException e) {
            if (registryUnavailable(e)) {
                throw new RegistryUnavailableException("schema registry unavailable while decoding a record of "
                        + topic + ": " + e.getMessage(), e);
            }
            return new Decoded.Failed<>(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * A registry error that is not about the record: no answer, 5xx, 401/403, 429. "Not found" (unknown schema
     * id) and a 2xx with a non-Avro schema are the record's fault.
     */
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
