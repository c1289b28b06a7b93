package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import io.engage.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/ingest.md, "Hostile input": a few bytes on {@code readings.raw} that declare a string of 1.5 GB are
 * dead-lettered as {@code MALFORMED} by engage's Avro read limit (1 MiB), and the readings around them are normalised
 * as usual. (Avro's own check of the bytes left in the record also refuses this record, later; the limit is what
 * holds for every decoder, whatever its input.)
 */
class HostileBytesTest extends NormalizerTestBase {

    @Test
    void aRecordDeclaringAHugeStringIsDeadLetteredByTheReadLimitNotAllocated() {
        byte[] valid = n.serdes
                .valueSerde(Topics.READINGS_RAW)
                .serializer()
                .serialize("readings.raw", Readings.steps().build());
        RawReading original = Readings.steps().build();
        // the wire format's 5-byte header, then deviceId's length (a zig-zag varint) and characters, then the rest
        int deviceIdLength = original.getDeviceId().length();
        byte[] rest = Arrays.copyOfRange(valid, 5 + 1 + deviceIdLength, valid.length);
        ByteArrayOutputStream hostile = new ByteArrayOutputStream();
        hostile.write(valid, 0, 5);
        long zigZag = 1_500_000_000L << 1;
        while ((zigZag & ~0x7FL) != 0) {
            hostile.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        hostile.write((int) zigZag);
        hostile.writeBytes(rest);

        n.send(Readings.steps().setSourceRecordId("before").build());
        n.rawBytes.pipeInput("dev-x", hostile.toByteArray(), NormalizerDriver.NOW);
        n.send(Readings.steps().setSourceRecordId("after").build());

        assertThat(n.normalized.readValuesToList()).hasSize(2);
        List<RejectedReading> dead = n.rejected.readValuesToList();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED);
            assertThat(r.getDetail()).contains("exceeds maximum allowed");
        });
    }
}
