package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.avro.RawReading;
import io.engage.schemas.registry.InMemorySchemaRegistryClient;
import io.engage.schemas.testing.AvroRecordFiller;
import io.engage.schemas.testing.SchemaEdits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** {@code auto.register.schemas}, {@code use.latest.version} and reading across schema versions. */
class RegistrationModesTest {
    private static final String TOPIC = "readings.raw";
    private static final String SUBJECT = "readings.raw-value";
    private static final Schema V1 = RawReading.getClassSchema();
    /** v2: v1 plus a defaulted field, a BACKWARD-compatible change. */
    private static final Schema V2 =
            SchemaEdits.withField(V1, "firmware", Schema.create(Schema.Type.STRING), "unknown");

    private final InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();

    private static RawReading reading() {
        return RawReading.newBuilder()
                .setDeviceId("dev-1")
                .setMetric("distance")
                .setValue(2.5)
                .setUnit("km")
                .setStart("2026-03-01T10:00:00+05:45")
                .setEnd("2026-03-01T10:30:00+05:45")
                .setSourceRecordId("src-9")
                .setReceivedAt(Instant.ofEpochMilli(1_772_340_000_123L))
                .setGatewayId("gw-2")
                .build();
    }

    private static int id(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    private static GenericRecord readBody(byte[] bytes, Schema writer, Schema reader) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
    }

    @Test
    void autoRegisterOffFailsClearlyForAnUnregisteredSchema() {
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class, client, Map.of(AvroSerdeConfig.AUTO_REGISTER, "false"), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, reading()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("io.engage.avro.RawReading")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(client.subjects()).as("nothing registered").isEmpty();
    }

    @Test
    void autoRegisterOffFailsWhenTheSubjectHasOnlyOtherSchemas() {
        client.register(SUBJECT, V2);
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class, client, Map.of(AvroSerdeConfig.AUTO_REGISTER, false), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, reading()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(client.versions(SUBJECT)).containsExactly(1);
    }

    @Test
    void autoRegisterOffWorksForARegisteredSchema() {
        int registered = client.register(SUBJECT, V1);
        client.register(SUBJECT, V2);
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class, client, Map.of(AvroSerdeConfig.AUTO_REGISTER, false), false);
        byte[] bytes = serde.serializer().serialize(TOPIC, reading());
        assertThat(id(bytes)).as("the record's own version, not the latest").isEqualTo(registered);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(reading());
        assertThat(client.versions(SUBJECT)).containsExactly(1, 2);
    }

    @Test
    void autoRegisterIsOnByDefault() {
        byte[] bytes = new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false)
                .serializer()
                .serialize(TOPIC, reading());
        assertThat(client.versions(SUBJECT)).containsExactly(1);
        assertThat(id(bytes)).isEqualTo(client.latest(SUBJECT).id());
    }

    @Test
    void invalidBooleanConfigIsRejected() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of(AvroSerdeConfig.AUTO_REGISTER, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void useLatestVersionWritesSpecificV1RecordsWithTheLatestId() throws IOException {
        client.register(SUBJECT, V1);
        int v2 = client.register(SUBJECT, V2);
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class,
                client,
                Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER, false),
                false);

        byte[] bytes = serde.serializer().serialize(TOPIC, reading());
        assertThat(id(bytes)).isEqualTo(v2).isEqualTo(client.lookup(SUBJECT, V2).id());

        GenericRecord asV2 = readBody(bytes, V2, V2);
        assertThat(asV2.get("firmware").toString()).isEqualTo("unknown");
        assertThat(asV2.get("deviceId").toString()).isEqualTo("dev-1");
        assertThat(asV2.get("receivedAt")).isEqualTo(1_772_340_000_123L);

        // a v1 (older) reader still reads the v2 bytes, and the serializer is repeatable
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(reading());
        assertThat(serde.serializer().serialize(TOPIC, reading())).isEqualTo(bytes);
        assertThat(client.versions(SUBJECT)).containsExactly(1, 2);
    }

    @Test
    void useLatestVersionWithGenericRecords() throws IOException {
        client.register(SUBJECT, V1);
        int v2 = client.register(SUBJECT, V2);
        GenericRecordSerde serde =
                new GenericRecordSerde(client, Map.of(AvroSerdeConfig.USE_LATEST_VERSION, "true"), false);
        GenericRecord v1Record = AvroRecordFiller.populated(V1, 5);

        byte[] bytes = serde.serializer().serialize(TOPIC, v1Record);

        assertThat(id(bytes)).isEqualTo(v2);
        GenericRecord back = serde.deserializer().deserialize(TOPIC, bytes);
        assertThat(back.getSchema()).isEqualTo(V2);
        assertThat(back.get("firmware").toString()).isEqualTo("unknown");
        for (Schema.Field f : V1.getFields()) {
            assertThat(String.valueOf(back.get(f.name())))
                    .as(f.name())
                    .isEqualTo(String.valueOf(v1Record.get(f.name())));
        }
        assertThat(readBody(bytes, V2, V2)).isEqualTo(back);
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotReadTheRecord() {
        client.setCompatibility(SUBJECT, "NONE");
        client.register(SUBJECT, V1);
        client.register(SUBJECT, SchemaEdits.withField(V1, "mandatory", Schema.create(Schema.Type.INT), null));
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class, client, Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, reading()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("use.latest.version")
                .hasMessageContaining(SUBJECT);
    }

    @Test
    void useLatestVersionWithoutAnySchemaFailsClearly() {
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(
                RawReading.class, client, Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true), false);
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, reading()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("not found");
    }

    @Test
    void newerReaderReadsOlderWriter() {
        // v0: RawReading before gatewayId existed
        Schema v0 = SchemaEdits.withoutField(V1, "gatewayId");
        client.register(SUBJECT, v0);
        GenericRecord old = AvroRecordFiller.populated(v0, 2);
        byte[] bytes =
                new GenericRecordSerde(client, Map.of(), false).serializer().serialize(TOPIC, old);

        RawReading read = new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false)
                .deserializer()
                .deserialize(TOPIC, bytes);
        assertThat(read.getGatewayId()).isNull();
        assertThat(read.getDeviceId()).isEqualTo(old.get("deviceId").toString());
        assertThat(read.getReceivedAt()).isEqualTo(Instant.ofEpochMilli((Long) old.get("receivedAt")));
    }

    @Test
    void olderReaderReadsNewerWriter() {
        GenericRecord newer = AvroRecordFiller.populated(V2, 4);
        byte[] bytes =
                new GenericRecordSerde(client, Map.of(), false).serializer().serialize(TOPIC, newer);
        assertThat(client.latest(SUBJECT).schema()).isEqualTo(V2);

        RawReading read = new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false)
                .deserializer()
                .deserialize(TOPIC, bytes);
        assertThat(read.getDeviceId()).isEqualTo(newer.get("deviceId").toString());
        assertThat(read.getValue()).isEqualTo((Double) newer.get("value"));
        assertThat(read.getGatewayId()).isEqualTo(newer.get("gatewayId").toString());
    }

    @Test
    void incompatibleEvolutionIsRefusedAtRegistration() {
        new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false)
                .serializer()
                .serialize(TOPIC, reading());
        Schema breaking = SchemaEdits.withField(V1, "mandatory", Schema.create(Schema.Type.INT), null);
        GenericRecord r = AvroRecordFiller.populated(breaking, 1);
        assertThatThrownBy(() -> new GenericRecordSerde(client, Map.of(), false)
                        .serializer()
                        .serialize(TOPIC, r))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("incompatible");
    }

    /** One serializer may see generic and specific records of the same schema, in any order. */
    @Test
    void oneSerializerMixesGenericAndSpecificRecordsOfOneSchema() {
        ConfluentAvroSerializer<GenericContainer> serializer = new ConfluentAvroSerializer<>(client, Map.of(), false);
        GenericRecord generic = AvroRecordFiller.populated(V1, 8);
        RawReading specific = reading();

        byte[] g1 = serializer.serialize(TOPIC, generic);
        byte[] s1 = serializer.serialize(TOPIC, specific);
        byte[] g2 = serializer.serialize(TOPIC, generic);

        assertThat(g2).isEqualTo(g1);
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false);
        assertThat(serde.deserializer().deserialize(TOPIC, s1)).isEqualTo(specific);
        assertThat(serde.serializer().serialize(TOPIC, serde.deserializer().deserialize(TOPIC, g1)))
                .isEqualTo(g1);

        ConfluentAvroSerializer<GenericContainer> other = new ConfluentAvroSerializer<>(client, Map.of(), false);
        assertThat(other.serialize(TOPIC, specific)).isEqualTo(s1);
        assertThat(other.serialize(TOPIC, generic)).isEqualTo(g1);
        assertThat(GenericData.get().validate(V1, generic)).isTrue();
    }
}
