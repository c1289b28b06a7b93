package io.engage.schemas.serde;

import io.engage.schemas.registry.SchemaMetadata;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records (specific or generic) in the Confluent wire format, so Confluent's
 * {@code KafkaAvroDeserializer} reads them. {@code null} stays {@code null} (a tombstone).
 */
public class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {
    static {
        io.engage.schemas.AvroTrust.install();
    }

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    /** Writers by schema and model: a specific record needs its class's conversions, a generic one plain values. */
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    private final Map<String, SchemaMetadata> latestBySubject = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public ConfluentAvroSerializer() {}

    /** A serializer with an explicit client (tests, embedded use). */
    public ConfluentAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            client = SchemaRegistryClients.forConfig(configs);
        }
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException(
                    "serializer for topic " + topic + " is not configured (no schema.registry.url)");
        }
        Schema schema = data.getSchema();
        String subject = subject(topic, schema);
        try {
            int id;
            Object toWrite = data;
            Schema writerSchema = schema;
            if (config.useLatestVersion()) {
                SchemaMetadata latest = latestBySubject.get(subject); // no bound method reference per record
                if (latest == null) {
                    latest = latestBySubject.computeIfAbsent(subject, client::latest);
                }
                id = latest.id();
                if (!latest.schema().equals(schema)) {
                    toWrite = convert(data, schema, latest.schema(), topic, subject);
                    writerSchema = latest.schema();
                }
            } else if (config.autoRegister()) {
                id = client.register(subject, schema);
            } else {
                id = lookupRegistered(topic, subject, schema);
            }
            DatumWriter<Object> writer = writer(writerSchema, toWrite);
            WireBuffer out = WireBuffer.start(id);
            try {
                writer.write(toWrite, out.encoder());
                out.encoder().flush();
                return out.toByteArray();
            } finally {
                out.release();
            }
        } catch (SerializationException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "cannot serialize " + schema.getFullName() + " for topic " + topic + " (subject " + subject + "): "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private String subject(String topic, Schema schema) {
        return config.strategy(isKey).subject(topic, isKey, schema);
    }

    /** With auto.register.schemas=false the schema must already be in the subject: say so when it is not. */
    private int lookupRegistered(String topic, String subject, Schema schema) {
        try {
            return client.lookup(subject, schema).id();
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException(
                        "cannot serialize " + schema.getFullName() + " for topic " + topic
                                + ": the schema is not registered under subject " + subject + " and "
                                + AvroSerdeConfig.AUTO_REGISTER + "=false, so register it first (" + e.getMessage()
                                + ")",
                        e);
            }
            throw e;
        }
    }

    private DatumWriter<Object> writer(Schema writerSchema, Object datum) {
        // Keyed by model too: a GenericDatumWriter cannot write a specific record's Instant or LocalDate fields.
        Class<?> specific = datum instanceof SpecificRecord ? datum.getClass() : null;
        // Reads only the key, so the lambda captures nothing and is not allocated per record.
        return writers.computeIfAbsent(new WriterKey(writerSchema, specific), k -> {
            if (k.specificClass() != null) {
                // The class's own model carries its logical-type conversions (timestamps, dates).
                return new SpecificDatumWriter<>(k.schema(), SpecificData.getForClass(k.specificClass()));
            }
            return new GenericDatumWriter<>(k.schema(), GenericData.get());
        });
    }

    private record WriterKey(Schema schema, Class<?> specificClass) {}

    /** With use.latest.version: re-encode the record in the subject's latest schema, which must be able to read it. */
    private Object convert(T data, Schema schema, Schema latest, String topic, String subject) throws IOException {
        if (SchemaCompatibility.checkReaderWriterCompatibility(latest, schema).getType()
                != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("record schema " + schema.getFullName() + " cannot be read with the latest"
                    + " schema of subject " + subject + " (use.latest.version) on topic " + topic);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(buf, null);
        writer(schema, data).write(data, enc);
        enc.flush();
        return new GenericDatumReader<>(schema, latest, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(buf.toByteArray(), null));
    }

    @Override
    public void close() {
        // the client is shared; nothing to release here
    }
}
