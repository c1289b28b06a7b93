package io.engage.schemas.topics;

import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.serde.SpecificRecordSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for the catalogue's key and value types: plain strings, or Avro in the Confluent wire format. */
public final class TopicSerdes {
    static {
        io.engage.schemas.AvroTrust.install();
    }

    private final SchemaRegistryClient client;
    private final Map<String, ?> configs;

    /** Serdes that talk to the registry named by {@code schema.registry.url} in {@code configs}. */
    public TopicSerdes(Map<String, ?> configs) {
        this(SchemaRegistryClients.forConfig(configs), configs);
    }

    public TopicSerdes(SchemaRegistryClient client, Map<String, ?> configs) {
        this.client = client;
        this.configs = Map.copyOf(configs);
    }

    public SchemaRegistryClient client() {
        return client;
    }

    /** Serde for the topic's keys. */
    public <K> Serde<K> keySerde(TopicSpec<K, ?> spec) {
        return serde(spec.keyType(), true);
    }

    /** Serde for the topic's values. */
    public <V> Serde<V> valueSerde(TopicSpec<?, V> spec) {
        return serde(spec.valueType(), false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> Serde<T> serde(Class<T> type, boolean isKey) {
        if (type == String.class) {
            return (Serde<T>) Serdes.String();
        }
        if (SpecificRecord.class.isAssignableFrom(type)) {
            return new SpecificRecordSerde(type, client, configs, isKey);
        }
        throw new IllegalArgumentException("no serde for " + type.getName());
    }
}
