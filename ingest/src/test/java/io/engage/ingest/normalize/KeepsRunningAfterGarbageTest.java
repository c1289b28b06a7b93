package io.engage.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.RejectReason;
import io.engage.avro.RejectedReading;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Garbage on readings.raw is dead-lettered and the readings around it are processed as usual. */
class KeepsRunningAfterGarbageTest extends NormalizerTestBase {

    @Test
    void theTopologyKeepsProcessingAfterGarbage() {
        List<byte[]> garbage = List.of(
                "{\"metric\":\"steps\"}".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                new byte[] {0},
                new byte[] {0, 0, 0, 0, 1},
                new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3},
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, 3, 4, 5});
        for (int i = 0; i < garbage.size(); i++) {
            n.send(Readings.steps().setSourceRecordId("before-" + i).build());
            n.rawBytes.pipeInput("dev-x", garbage.get(i), NormalizerDriver.NOW);
            n.rawBytes.pipeInput("dev-x", null, NormalizerDriver.NOW);
            n.send(Readings.steps().setSourceRecordId("after-" + i).build());
        }

        assertThat(n.normalized.readValuesToList()).hasSize(2 * garbage.size());
        List<RejectedReading> deadLetters = n.rejected.readValuesToList();
        assertThat(deadLetters)
                .hasSize(2 * garbage.size())
                .allSatisfy(r -> assertThat(r.getReason()).isEqualTo(RejectReason.MALFORMED));
    }
}
