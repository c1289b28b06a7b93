package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.schemas.registry.InMemorySchemaRegistryClient;
import io.engage.schemas.testing.AvroRecordFiller;
import io.engage.schemas.testing.AvroTopicSide;
import io.engage.schemas.topics.TopicSerdes;
import io.engage.schemas.topics.TopicSpec;
import io.engage.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Avro key and value of the catalogue round-trips through the Confluent wire format. */
class TopicRoundTripTest {

    static List<AvroTopicSide> sides() {
        return AvroTopicSide.all();
    }

    @Test
    void everyAvroTypeOfTheCatalogueIsCovered() {
        Set<Class<?>> avroTypes = Topics.all().stream()
                .flatMap(s -> java.util.stream.Stream.of(s.keyType(), s.valueType()))
                .filter(SpecificRecord.class::isAssignableFrom)
                .collect(Collectors.toSet());
        Set<Class<?>> covered = sides().stream().map(AvroTopicSide::type).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(avroTypes);
        // 16 Avro values (all but _schemas) and the two composite keys.
        assertThat(sides()).hasSize(18);
        assertThat(sides())
                .filteredOn(AvroTopicSide::isKey)
                .extracting(AvroTopicSide::topic)
                .containsExactlyInAnyOrder("activity.daily", "standings");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sides")
    void genericBytesReadAsSpecificAndReEncodeIdentically(AvroTopicSide side) {
        for (boolean withNulls : new boolean[] {false, true}) {
            InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
            Schema schema = side.schema();
            GenericRecord record =
                    withNulls ? AvroRecordFiller.withNulls(schema, 7) : AvroRecordFiller.populated(schema, 7);
            assertThat(GenericData.get().validate(schema, record))
                    .as("filler builds a valid record")
                    .isTrue();

            GenericRecordSerde generic = new GenericRecordSerde(client, Map.of(), side.isKey());
            Serde<SpecificRecord> specific = specificSerde(side, client);

            byte[] bytes = generic.serializer().serialize(side.topic(), record);

            assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertThat(id).isEqualTo(client.lookup(side.subject(), schema).id());
            assertThat(client.subjects()).containsExactly(side.subject());

            SpecificRecord typed = specific.deserializer().deserialize(side.topic(), bytes);
            assertThat(typed).isInstanceOf(side.type());
            byte[] again = specific.serializer().serialize(side.topic(), typed);
            assertThat(again).as("specific re-encoding of %s", side).isEqualTo(bytes);

            GenericRecord back = generic.deserializer().deserialize(side.topic(), bytes);
            assertThat(back).isEqualTo(record);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sides")
    void nullIsATombstoneBothWays(AvroTopicSide side) {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        Serde<SpecificRecord> specific = specificSerde(side, client);
        GenericRecordSerde generic = new GenericRecordSerde(client, Map.of(), side.isKey());

        assertThat(specific.serializer().serialize(side.topic(), null)).isNull();
        assertThat(specific.deserializer().deserialize(side.topic(), null)).isNull();
        assertThat(generic.serializer().serialize(side.topic(), null)).isNull();
        assertThat(generic.deserializer().deserialize(side.topic(), null)).isNull();
        assertThat(client.subjects()).as("a tombstone registers nothing").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sides")
    void topicSerdesGiveTheSameWireBytes(AvroTopicSide side) {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        TopicSerdes serdes = new TopicSerdes(client, Map.of());
        TopicSpec<?, ?> spec = Topics.all().stream()
                .filter(s -> s.baseName().equals(side.topic()))
                .findFirst()
                .orElseThrow();
        @SuppressWarnings("unchecked")
        Serde<Object> serde = (Serde<Object>) (side.isKey() ? serdes.keySerde(spec) : serdes.valueSerde(spec));

        GenericRecord record = AvroRecordFiller.populated(side.schema(), 3);
        byte[] bytes = new GenericRecordSerde(client, Map.of(), side.isKey())
                .serializer()
                .serialize(side.topic(), record);
        Object typed = serde.deserializer().deserialize(side.topic(), bytes);
        assertThat(typed).isInstanceOf(side.type());
        assertThat(serde.serializer().serialize(side.topic(), typed)).isEqualTo(bytes);
    }

    @Test
    void topicSerdesUsePlainStringsForStringKeys() {
        TopicSerdes serdes = new TopicSerdes(new InMemorySchemaRegistryClient(), Map.of());
        byte[] bytes = serdes.keySerde(Topics.READINGS_RAW).serializer().serialize("readings.raw", "device-1");
        assertThat(bytes).isEqualTo("device-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Serde<SpecificRecord> specificSerde(AvroTopicSide side, InMemorySchemaRegistryClient client) {
        return new SpecificRecordSerde(side.type(), client, Map.of(), side.isKey());
    }
}
