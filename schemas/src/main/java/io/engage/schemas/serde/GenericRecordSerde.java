package io.engage.schemas.serde;

import io.engage.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka {@link Serde} for {@link GenericRecord}s in the Confluent wire format (exports, replay, tools). */
public final class GenericRecordSerde implements Serde<GenericRecord> {
    private final ConfluentAvroSerializer<GenericRecord> serializer;
    private final ConfluentAvroDeserializer<GenericRecord> deserializer;

    public GenericRecordSerde() {
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>();
    }

    public GenericRecordSerde(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.TYPED_READER, false);
        this.serializer = new ConfluentAvroSerializer<>(client, generic, isKey);
        this.deserializer = new ConfluentAvroDeserializer<>(client, generic, null);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.TYPED_READER, false);
        serializer.configure(generic, isKey);
        deserializer.configure(generic, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }
}
