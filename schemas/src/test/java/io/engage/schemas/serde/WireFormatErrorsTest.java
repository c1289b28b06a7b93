package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.engage.avro.RawReading;
import io.engage.schemas.registry.InMemorySchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.testing.AvroRecordFiller;
import io.engage.schemas.testing.AvroTopicSide;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad bytes give a {@link SerializationException} that names the topic and says what is wrong. */
class WireFormatErrorsTest {
    private static final String TOPIC = "readings.raw";

    private final InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
    private final SpecificRecordSerde<RawReading> serde =
            new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false);
    private final GenericRecordSerde generic = new GenericRecordSerde(client, Map.of(), false);

    private byte[] valid() {
        RawReading r = RawReading.newBuilder()
                .setDeviceId("dev-1")
                .setMetric("steps")
                .setValue(1234)
                .setUnit("steps")
                .setStart("2026-03-01T10:00:00+01:00")
                .setEnd("2026-03-01T11:00:00+01:00")
                .setGatewayId("gw")
                .build();
        return serde.serializer().serialize(TOPIC, r);
    }

    private List<Deserializer<?>> deserializers() {
        return List.of(serde.deserializer(), generic.deserializer());
    }

    @Test
    void unknownMagicByte() {
        byte[] bytes = valid();
        bytes[0] = 1;
        for (Deserializer<?> d : deserializers()) {
            assertThatThrownBy(() -> d.deserialize(TOPIC, bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("unknown magic byte 1")
                    .hasMessageContaining(TOPIC)
                    .hasMessageContaining("expected 0");
        }
    }

    @Test
    void plainJsonIsNotMistakenForAvro() {
        byte[] json = "{\"deviceId\":\"d\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 123");
    }

    @Test
    void unknownSchemaId() {
        byte[] bytes = valid();
        ByteBuffer.wrap(bytes).putInt(1, 4242);
        for (Deserializer<?> d : deserializers()) {
            assertThatThrownBy(() -> d.deserialize(TOPIC, bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("unknown schema id 4242")
                    .hasMessageContaining(TOPIC);
        }
    }

    @Test
    void shorterThanTheHeader() {
        for (int n = 0; n < WireFormat.HEADER_SIZE; n++) {
            byte[] bytes = Arrays.copyOf(valid(), n);
            for (Deserializer<?> d : deserializers()) {
                assertThatThrownBy(() -> d.deserialize(TOPIC, bytes))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageContaining("truncated")
                        .hasMessageContaining(n + " bytes")
                        .hasMessageContaining("5-byte");
            }
        }
    }

    @Test
    void headerWithoutBody() {
        byte[] bytes = Arrays.copyOf(valid(), WireFormat.HEADER_SIZE);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt")
                .hasMessageContaining(
                        "schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void bodyCutShort() {
        byte[] full = valid();
        byte[] cut = Arrays.copyOf(full, full.length - 3);
        for (Deserializer<?> d : deserializers()) {
            assertThatThrownBy(() -> d.deserialize(TOPIC, cut))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("truncated or corrupt Avro payload on topic " + TOPIC);
        }
    }

    /** Every proper prefix of every catalogue record is refused, never decoded or failing otherwise. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.engage.schemas.testing.AvroTopicSide#all")
    void everyPrefixOfEveryRecordIsRefused(AvroTopicSide side) {
        SchemaRegistryClient c = new InMemorySchemaRegistryClient();
        byte[] full = new GenericRecordSerde(c, Map.of(), side.isKey())
                .serializer()
                .serialize(side.topic(), AvroRecordFiller.populated(side.schema(), 11));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Deserializer<SpecificRecord> d = new SpecificRecordSerde(side.type(), c, Map.of(), side.isKey()).deserializer();
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            Throwable t = catchThrowable(() -> d.deserialize(side.topic(), prefix));
            assertThat(t).as("prefix of %d of %d bytes", n, full.length).isInstanceOf(SerializationException.class);
        }
        assertThat(d.deserialize(side.topic(), full)).isInstanceOf(side.type());
    }

    @Test
    void trailingGarbage() {
        byte[] full = valid();
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        longer[full.length] = 42;
        for (Deserializer<?> d : deserializers()) {
            assertThatThrownBy(() -> d.deserialize(TOPIC, longer))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("trailing bytes")
                    .hasMessageContaining(TOPIC);
        }
    }

    @Test
    void wrongRecordTypeForTheTargetClass() {
        byte[] bytes = new GenericRecordSerde(client, Map.of(), false)
                .serializer()
                .serialize("devices", AvroRecordFiller.populated(io.engage.avro.Device.getClassSchema(), 1));
        assertThatThrownBy(() -> serde.deserializer().deserialize("devices", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("devices");
    }

    @Test
    void unconfiguredSerdesSayWhatIsMissing() {
        ConfluentAvroSerializer<RawReading> s = new ConfluentAvroSerializer<>();
        ConfluentAvroDeserializer<RawReading> d = new ConfluentAvroDeserializer<>(RawReading.class);
        assertThatThrownBy(() -> s.serialize(
                        TOPIC,
                        RawReading.newBuilder()
                                .setDeviceId("d")
                                .setMetric("m")
                                .setValue(1)
                                .setUnit("u")
                                .setStart("s")
                                .setEnd("e")
                                .build()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> d.deserialize(TOPIC, valid()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
