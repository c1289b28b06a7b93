package io.engage.schemas.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/** How a serde names the registry subject of a record, as Confluent's strategies do. */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} / {@code <topic>-value}: one schema per topic (the default). */
    TOPIC_NAME,
    /** The record's full name: one schema per record type, any topic. */
    RECORD_NAME,
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD_NAME;

    public static final String KEY_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_STRATEGY = "value.subject.name.strategy";

    /** The subject for a record of {@code schema} on {@code topic}. */
    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }

    /**
     * Parses a strategy given as our enum name, a simple class name ({@code TopicNameStrategy}) or Confluent's
     * class name ({@code io.confluent.kafka.serializers.subject.RecordNameStrategy}).
     */
    public static SubjectNameStrategy parse(Object value) {
        if (value == null) {
            return TOPIC_NAME;
        }
        String v = value instanceof Class<?> c
                ? c.getSimpleName()
                : value.toString().trim();
        int dot = v.lastIndexOf('.');
        String simple = dot >= 0 ? v.substring(dot + 1) : v;
        return switch (simple.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "topicnamestrategy", "topicname", "topic" -> TOPIC_NAME;
            case "recordnamestrategy", "recordname", "record" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topicrecordname", "topicrecord" -> TOPIC_RECORD_NAME;
            default ->
                throw new IllegalArgumentException("unknown subject name strategy '" + value
                        + "'; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
