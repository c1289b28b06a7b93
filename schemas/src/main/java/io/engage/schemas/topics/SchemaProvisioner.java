package io.engage.schemas.topics;

import io.engage.schemas.registry.SchemaRegistryClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Registers the Avro key and value schemas of every catalogue topic under TopicNameStrategy subjects. */
public final class SchemaProvisioner {
    private final SchemaRegistryClient client;
    private final TopicCatalogue catalogue;

    public SchemaProvisioner(SchemaRegistryClient client, TopicCatalogue catalogue) {
        this.client = client;
        this.catalogue = catalogue;
    }

    /** Registers all schemas; returns subject to id. Already registered schemas keep their ids. */
    public Map<String, Integer> registerAll() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (TopicSpec<?, ?> spec : Topics.all()) {
            register(catalogue.name(spec) + "-key", spec.keyType(), ids);
            register(catalogue.name(spec) + "-value", spec.valueType(), ids);
        }
        return ids;
    }

    private void register(String subject, Class<?> type, Map<String, Integer> ids) {
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            return; // plain string keys/values have no registry subject
        }
        Schema schema = SpecificData.get().getSchema(type);
        ids.put(subject, client.register(subject, schema));
    }
}
