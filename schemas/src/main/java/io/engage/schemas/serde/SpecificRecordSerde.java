package io.engage.schemas.serde;

import io.engage.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka {@link Serde} for a generated Avro class in the Confluent wire format. */
public final class SpecificRecordSerde<T extends SpecificRecord> implements Serde<T> {
    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    /** Configured later through {@link #configure}, like Confluent's serde. */
    public SpecificRecordSerde(Class<T> type) {
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>(type);
    }

    /** Ready to use with an explicit client. */
    public SpecificRecordSerde(Class<T> type, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.serializer = new ConfluentAvroSerializer<>(client, configs, isKey);
        this.deserializer = new ConfluentAvroDeserializer<>(client, configs, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
