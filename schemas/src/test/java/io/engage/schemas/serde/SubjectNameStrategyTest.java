package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.avro.ParticipantDay;
import io.engage.avro.RawReading;
import io.engage.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Subjects follow TopicNameStrategy by default; the record strategies are chosen by Confluent's config keys. */
class SubjectNameStrategyTest {
    private static final Schema RAW = RawReading.getClassSchema();

    private static RawReading reading() {
        return RawReading.newBuilder()
                .setDeviceId("dev-1")
                .setMetric("steps")
                .setValue(10)
                .setUnit("count")
                .setStart("2026-03-01T10:00:00Z")
                .setEnd("2026-03-01T10:01:00Z")
                .build();
    }

    private static ParticipantDay day() {
        return ParticipantDay.newBuilder()
                .setParticipantId("p-1")
                .setDate(java.time.LocalDate.of(2026, 3, 1))
                .build();
    }

    private static int id(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    @Test
    void topicNameStrategyIsTheDefault() {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        byte[] value = new SpecificRecordSerde<>(RawReading.class, client, Map.of(), false)
                .serializer()
                .serialize("readings.raw", reading());
        byte[] key = new SpecificRecordSerde<>(ParticipantDay.class, client, Map.of(), true)
                .serializer()
                .serialize("activity.daily", day());

        assertThat(client.subjects()).containsExactlyInAnyOrder("readings.raw-value", "activity.daily-key");
        assertThat(id(value)).isEqualTo(client.lookup("readings.raw-value", RAW).id());
        assertThat(id(key))
                .isEqualTo(client.lookup("activity.daily-key", ParticipantDay.getClassSchema())
                        .id());
        assertThat(SubjectNameStrategy.parse(null)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"RecordNameStrategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy", "RECORD_NAME"
            })
    void recordNameStrategy(String configured) {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        Map<String, Object> cfg = Map.of(SubjectNameStrategy.VALUE_STRATEGY, configured);
        SpecificRecordSerde<RawReading> serde = new SpecificRecordSerde<>(RawReading.class, client, cfg, false);

        byte[] a = serde.serializer().serialize("readings.raw", reading());
        byte[] b = serde.serializer().serialize("other.topic", reading());

        assertThat(client.subjects()).containsExactly("io.engage.avro.RawReading");
        assertThat(id(a))
                .isEqualTo(id(b))
                .isEqualTo(client.lookup("io.engage.avro.RawReading", RAW).id());
        assertThat(serde.deserializer().deserialize("other.topic", b)).isEqualTo(reading());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TopicRecordNameStrategy",
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                "topic_record_name"
            })
    void topicRecordNameStrategy(String configured) {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        Map<String, Object> cfg = Map.of(SubjectNameStrategy.VALUE_STRATEGY, configured);
        byte[] bytes = new SpecificRecordSerde<>(RawReading.class, client, cfg, false)
                .serializer()
                .serialize("readings.raw", reading());

        assertThat(client.subjects()).containsExactly("readings.raw-io.engage.avro.RawReading");
        assertThat(id(bytes))
                .isEqualTo(client.lookup("readings.raw-io.engage.avro.RawReading", RAW)
                        .id());
    }

    @Test
    void keyAndValueStrategiesAreIndependent() {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        Map<String, Object> cfg = Map.of(
                SubjectNameStrategy.KEY_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                SubjectNameStrategy.VALUE_STRATEGY, "io.confluent.kafka.serializers.subject.TopicNameStrategy");
        new SpecificRecordSerde<>(ParticipantDay.class, client, cfg, true)
                .serializer()
                .serialize("activity.daily", day());
        new SpecificRecordSerde<>(RawReading.class, client, cfg, false)
                .serializer()
                .serialize("readings.raw", reading());
        assertThat(client.subjects()).containsExactlyInAnyOrder("io.engage.avro.ParticipantDay", "readings.raw-value");
    }

    @Test
    void strategyGivenAsAClassAndViaConfigure() {
        InMemorySchemaRegistryClient client = new InMemorySchemaRegistryClient();
        ConfluentAvroSerializer<RawReading> s = new ConfluentAvroSerializer<>(
                client, Map.of(SubjectNameStrategy.VALUE_STRATEGY, FakeConfluent.RecordNameStrategy.class), false);
        s.serialize("t", reading());
        assertThat(client.subjects()).containsExactly("io.engage.avro.RawReading");
    }

    @Test
    void unknownStrategyIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> SubjectNameStrategy.parse("com.example.MyStrategy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.example.MyStrategy")
                .hasMessageContaining("TopicRecordNameStrategy");
    }

    /** Stands in for a strategy class given as a {@link Class} object. */
    static final class FakeConfluent {
        static final class RecordNameStrategy {}
    }
}
