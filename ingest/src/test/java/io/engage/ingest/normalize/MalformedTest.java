package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.schemas.serde.ConfluentAvroSerializer;
import io.engage.schemas.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** MALFORMED: the record cannot be decoded or parsed, or a field is missing (docs/ingest.md, first check). */
class MalformedTest extends NormalizerTestBase {

    @Test
    void aBlankFieldIsMalformed() {
        n.send(Readings.steps().setUnit("").build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("unit is missing");
        assertThat(r.getReading()).isEqualTo(Readings.steps().setUnit("").build());
        assertThat(r.getDeviceId()).isEqualTo(Readings.DEVICE);
        assertThat(r.getRejectedAt()).isEqualTo(NormalizerDriver.NOW);
    }

    @Test
    void aRecordWrittenWithASchemaLackingARequiredFieldIsMalformed() {
        // A producer's own schema without "unit": valid Avro, registered, but RawReading cannot be read from it.
        Schema withoutUnit = new Schema.Parser().parse("""
                {"type":"record","name":"RawReading","namespace":"io.engage.avro","fields":[
                  {"name":"deviceId","type":"string"},{"name":"metric","type":"string"},{"name":"value","type":"double"},
                  {"name":"start","type":"string"},{"name":"end","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(withoutUnit);
        record.put("deviceId", Readings.DEVICE);
        record.put("metric", "steps");
        record.put("value", 100.0);
        record.put("start", "2026-11-20T11:30:00+01:00");
        record.put("end", "2026-11-20T12:00:00+01:00");
        Serializer<GenericRecord> generic = new ConfluentAvroSerializer<>(
                n.serdes.client(), java.util.Map.of("schema.registry.url", n.registryUrl), false);
        byte[] bytes = generic.serialize(n.topics.name(Topics.READINGS_RAW), record);

        n.rawBytes.pipeInput(Readings.DEVICE, bytes, NormalizerDriver.NOW);

        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("undecodable record").contains("unit");
        assertThat(r.getPayload()).isEqualTo(ByteBuffer.wrap(bytes));
        assertThat(r.getReading()).isNull();
    }

    @Test
    void aBadTimestampIsMalformed() {
        n.send(Readings.steps().setStart("yesterday at ten").build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("start is not an RFC 3339 timestamp").contains("yesterday at ten");

        n.send(Readings.steps().setEnd("2026-11-31T10:00:00Z").build()); // November has 30 days
        assertThat(n.onlyRejected().getDetail()).contains("end is not an RFC 3339 timestamp");
    }

    @Test
    void aTimestampWithoutOffsetIsMalformed() {
        n.send(Readings.steps().setStart("2026-11-20T10:30:00").build());
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("with offset");
    }

    @Test
    void garbageBytesAreMalformedAndKeepTheirBytes() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        n.rawBytes.pipeInput("dev-9", garbage, NormalizerDriver.NOW);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDeviceId()).isEqualTo("dev-9");
        assertThat(r.getDetail()).contains("magic byte");
        assertThat(r.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(r.getReading()).isNull();
        assertThat(r.getMetric()).isNull();
    }

    @Test
    void anUnknownSchemaIdIsMalformed() {
        byte[] unknownId = {0, 0, 0, 0x27, 0x0f, 2, 'x'};
        n.rawBytes.pipeInput(Readings.DEVICE, unknownId, NormalizerDriver.NOW);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("unknown schema id 9999");
        assertThat(r.getPayload()).isEqualTo(ByteBuffer.wrap(unknownId));
    }

    @Test
    void aTruncatedRecordIsMalformed() {
        byte[] whole = n.serdes
                .valueSerde(Topics.READINGS_RAW)
                .serializer()
                .serialize(n.topics.name(Topics.READINGS_RAW), Readings.steps().build());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 7);
        n.rawBytes.pipeInput(Readings.DEVICE, truncated, NormalizerDriver.NOW);
        assertThat(n.onlyRejected().getReason()).isEqualTo(RejectReason.MALFORMED);

        n.rawBytes.pipeInput(Readings.DEVICE, new byte[] {0, 0}, NormalizerDriver.NOW); // shorter than the header
        assertThat(n.onlyRejected().getDetail()).contains("truncated");
    }

    @Test
    void aTombstoneIsDeadLetteredNotDropped() {
        n.rawBytes.pipeInput(Readings.DEVICE, null, NormalizerDriver.NOW);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDeviceId()).isEqualTo(Readings.DEVICE);
        assertThat(r.getDetail()).contains("tombstone");
        assertThat(r.getPayload()).isNull();
    }

    @Test
    void anUndecodableRecordWithoutKeyIsFiledUnderUnknown() {
        n.rawBytes.pipeInput((String) null, new byte[] {1, 2, 3, 4, 5, 6}, NormalizerDriver.NOW);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getDeviceId()).isEqualTo(ReadingNormalizer.UNKNOWN_DEVICE_ID);
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void aKeyThatIsNotTheReadingsDeviceIsMalformed() {
        RawReading reading = Readings.steps().build();
        n.raw.pipeInput("someone-elses-device", reading, NormalizerDriver.NOW);
        RejectedReading r = n.onlyRejected();
        assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
        assertThat(r.getDetail()).contains("someone-elses-device").contains(Readings.DEVICE);
        assertThat(r.getReading()).isEqualTo(reading);
    }

    @Test
    void aReadingWithoutKeyUsesItsDeviceId() {
        n.raw.pipeInput((String) null, Readings.steps().build(), NormalizerDriver.NOW);
        assertThat(n.onlyNormalized().getDeviceId()).isEqualTo(Readings.DEVICE);
    }
}
