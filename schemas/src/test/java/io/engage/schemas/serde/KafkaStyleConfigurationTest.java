package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Device;
import io.engage.avro.DeviceType;
import io.engage.schemas.registry.SchemaRegistryClients;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Serdes built the way Kafka builds them: no-arg construction, then {@code configure} with a registry URL. */
class KafkaStyleConfigurationTest {
    private static final String URL = "mock://kafka-style-test";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", URL);

    private static Device device() {
        return Device.newBuilder()
                .setDeviceId("d-1")
                .setParticipantId("p-1")
                .setType(DeviceType.glasses)
                .setPairedAt(java.time.Instant.parse("2026-02-01T08:00:00.250Z"))
                .build();
    }

    @AfterEach
    void drop() {
        SchemaRegistryClients.dropMockScope(URL);
    }

    @Test
    void configuredSpecificSerde() {
        SpecificRecordSerde<Device> serde = new SpecificRecordSerde<>(Device.class);
        serde.configure(CONFIG, false);
        byte[] bytes = serde.serializer().serialize("devices", device());
        assertThat(serde.deserializer().deserialize("devices", bytes)).isEqualTo(device());
        assertThat(SchemaRegistryClients.forConfig(CONFIG).subjects()).containsExactly("devices-value");
    }

    @Test
    void plainDeserializerReturnsTheGeneratedClassByDefaultAndGenericOnRequest() {
        ConfluentAvroSerializer<Device> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(CONFIG, false);
        byte[] bytes = serializer.serialize("devices", device());

        ConfluentAvroDeserializer<Object> specific = new ConfluentAvroDeserializer<>();
        specific.configure(CONFIG, false);
        assertThat(specific.deserialize("devices", bytes)).isEqualTo(device());

        ConfluentAvroDeserializer<Object> generic = new ConfluentAvroDeserializer<>();
        generic.configure(Map.of("schema.registry.url", URL, AvroSerdeConfig.TYPED_READER, "false"), false);
        Object read = generic.deserialize("devices", bytes);
        assertThat(read).isInstanceOf(GenericRecord.class).isNotInstanceOf(Device.class);
        assertThat(((GenericRecord) read).get("pairedAt"))
                .isEqualTo(device().getPairedAt().toEpochMilli());

        GenericRecordSerde genericSerde = new GenericRecordSerde();
        genericSerde.configure(CONFIG, false);
        GenericRecord viaSerde = genericSerde.deserializer().deserialize("devices", bytes);
        assertThat(viaSerde).isNotInstanceOf(Device.class);
        assertThat(genericSerde.serializer().serialize("devices", viaSerde)).isEqualTo(bytes);
    }
}
