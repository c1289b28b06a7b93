package io.engage.schemas.serde;

import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClients;
import io.engage.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format. With {@code specific.avro.reader=true} (the default) it returns the generated
 * class of the writer's record (or of {@code targetType}) resolved against the writer schema, so older and newer
 * writers both read; otherwise a {@link GenericData.Record}. Bad bytes give a {@link SerializationException}
 * that says what is wrong: unknown magic byte, unknown schema id, truncated or corrupt payload.
 */
public class ConfluentAvroDeserializer<T> implements Deserializer<T> {
    static {
        io.engage.schemas.AvroTrust.install();
    }

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private final Class<? extends SpecificRecord> targetType;
    private final Map<Long, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public ConfluentAvroDeserializer() {
        this.targetType = null;
    }

    /** A deserializer with an explicit client; {@code targetType} may be null (use the writer's record name). */
    public ConfluentAvroDeserializer(
            SchemaRegistryClient client, Map<String, ?> configs, Class<? extends SpecificRecord> targetType) {
        this.client = client;
        this.config = AvroSerdeConfig.from(configs);
        this.targetType = targetType;
    }

    /** Reflective construction with a fixed target type; {@link #configure} must follow. */
    public ConfluentAvroDeserializer(Class<? extends SpecificRecord> targetType) {
        this.targetType = targetType;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            client = SchemaRegistryClients.forConfig(configs);
        }
        this.config = AvroSerdeConfig.from(configs);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (client == null) {
            throw new SerializationException(
                    "deserializer for topic " + topic + " is not configured (no schema.registry.url)");
        }
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("truncated record on topic " + topic + ": " + bytes.length
                    + " bytes, shorter than the 5-byte Confluent header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte magic = buffer.get();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(
                    "unknown magic byte " + magic + " on topic " + topic + ": not Confluent wire format (expected 0)");
        }
        int id = buffer.getInt();
        Schema writer;
        try {
            writer = client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SerializationException("unknown schema id " + id + " on topic " + topic, e);
            }
            throw new SerializationException(
                    "cannot fetch schema id " + id + " for topic " + topic + ": " + e.getMessage(), e);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
            Object value = reader(id, writer).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException(
                        "corrupt record on topic " + topic + ": trailing bytes after schema id " + id);
            }
            return (T) value;
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException
                | ClassCastException e) {
            throw new SerializationException(
                    "truncated or corrupt Avro payload on topic " + topic + " (schema id " + id + "): " + e, e);
        }
    }

    private DatumReader<Object> reader(int id, Schema writer) {
        Class<?> specific = specificClass(writer);
        long key = ((long) id << 1) | (specific == null ? 0 : 1);
        DatumReader<Object> known = readers.get(key); // the lambda below captures, so it is built only on a miss
        if (known != null) {
            return known;
        }
        return readers.computeIfAbsent(key, k -> {
            if (specific == null) {
                return new GenericDatumReader<>(writer, writer, GenericData.get());
            }
            SpecificData model = SpecificData.getForClass(specific);
            Schema reader = model.getSchema(specific);
            return new SpecificDatumReader<>(writer, reader, model);
        });
    }

    private Class<?> specificClass(Schema writer) {
        if (targetType != null) {
            return targetType;
        }
        if (!config.specificReader() || writer.getType() != Schema.Type.RECORD) {
            return null;
        }
        return SpecificData.get().getClass(writer);
    }

    @Override
    public void close() {
        // the client is shared; nothing to release here
    }
}
