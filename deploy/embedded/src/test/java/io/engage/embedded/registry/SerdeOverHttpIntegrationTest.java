package io.engage.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.embedded.kafka.EmbeddedKafka;
import io.engage.schemas.registry.RegistryClientConfig;
import io.engage.schemas.registry.RestSchemaRegistryClient;
import io.engage.schemas.registry.SchemaRegistryClient;
import io.engage.schemas.serde.GenericRecordSerde;
import io.engage.schemas.serde.SpecificRecordSerde;
import io.engage.schemas.testing.AvroRecordFiller;
import io.engage.schemas.testing.AvroTopicSide;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serde and the REST client against the embedded registry over real HTTP: every catalogue record
 * round-trips, and the bytes carry the id the registry assigned.
 */
@Tag("integration")
class SerdeOverHttpIntegrationTest {
    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedSchemaRegistry registry;
    static SchemaRegistryClient client;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir, 0);
        registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers(), 0, "_schemas");
        client = new RestSchemaRegistryClient(RegistryClientConfig.of(registry.url()));
    }

    @AfterAll
    static void stop() {
        registry.close();
        kafka.close();
    }

    static List<AvroTopicSide> sides() {
        return AvroTopicSide.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sides")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyCatalogueRecordRoundTripsThroughTheRegistry(AvroTopicSide side) {
        Schema schema = side.schema();
        GenericRecord record = AvroRecordFiller.populated(schema, 11);
        GenericRecordSerde generic = new GenericRecordSerde(client, Map.of(), side.isKey());
        Serde<SpecificRecord> specific = new SpecificRecordSerde(side.type(), client, Map.of(), side.isKey());

        byte[] bytes = generic.serializer().serialize(side.topic(), record);

        int id = client.lookup(side.subject(), schema).id();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(schema);
        SpecificRecord typed = specific.deserializer().deserialize(side.topic(), bytes);
        assertThat(typed).isInstanceOf(side.type());
        assertThat(specific.serializer().serialize(side.topic(), typed)).isEqualTo(bytes);
        assertThat(generic.deserializer().deserialize(side.topic(), bytes)).isEqualTo(record);
    }

    @Test
    void anIdTheRegistryNeverAssignedIsAClearSerializationError() {
        byte[] bytes = {0, 0x7f, 0, 0, 1, 2};
        GenericRecordSerde generic = new GenericRecordSerde(client, Map.of(), false);
        assertThatThrownBy(() -> generic.deserializer().deserialize("readings.raw", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id");
    }
}
