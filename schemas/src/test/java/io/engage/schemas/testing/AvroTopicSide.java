package io.engage.schemas.testing;

import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** One Avro-typed side (key or value) of a catalogue topic. */
public record AvroTopicSide(String topic, boolean isKey, Class<? extends SpecificRecord> type) {

    /** Every Avro key and value of {@link Topics#all()}, named as in the unprefixed catalogue. */
    public static List<AvroTopicSide> all() {
        TopicCatalogue catalogue = TopicCatalogue.unprefixed();
        List<AvroTopicSide> out = new ArrayList<>();
        for (TopicSpec<?, ?> spec : Topics.all()) {
            add(out, catalogue.name(spec), true, spec.keyType());
            add(out, catalogue.name(spec), false, spec.valueType());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void add(List<AvroTopicSide> out, String topic, boolean isKey, Class<?> type) {
        if (SpecificRecord.class.isAssignableFrom(type)) {
            out.add(new AvroTopicSide(topic, isKey, (Class<? extends SpecificRecord>) type));
        }
    }

    /** The generated class's schema. */
    public Schema schema() {
        return SpecificData.get().getSchema(type);
    }

    /** The TopicNameStrategy subject. */
    public String subject() {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public String toString() {
        return topic + (isKey ? " key " : " value ") + type.getSimpleName();
    }
}
