package io.engage.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-thread buffer gives each record exactly its own bytes, however the previous record went. */
class WireBufferTest {

    @Test
    void startsWithTheHeaderInBigEndian() {
        WireBuffer buffer = WireBuffer.start(0x01020304);
        try {
            assertThat(buffer.toByteArray()).containsExactly(0, 1, 2, 3, 4);
        } finally {
            buffer.release();
        }
        WireBuffer negative = WireBuffer.start(-2);
        try {
            assertThat(ByteBuffer.wrap(negative.toByteArray(), 1, 4).getInt()).isEqualTo(-2);
        } finally {
            negative.release();
        }
    }

    @Test
    void aRecordAfterAHugeOneHoldsOnlyItsOwnBytes() throws IOException {
        byte[] huge = new byte[WireBuffer.MAX_RETAINED * 2];
        Arrays.fill(huge, (byte) 7);
        WireBuffer first = WireBuffer.start(1);
        first.encoder().writeBytes(huge);
        first.encoder().flush();
        assertThat(first.toByteArray()).hasSize(WireFormat.HEADER_SIZE + huge.length + 3); // varint length: 3 bytes
        first.release();

        WireBuffer second = WireBuffer.start(2);
        second.encoder().writeInt(1);
        second.encoder().flush();
        assertThat(second.toByteArray()).containsExactly(0, 0, 0, 0, 2, 2); // zig-zag 1 is 2
        second.release();
    }

    @Test
    void aBufferInUseIsNotHandedOutTwice() {
        WireBuffer outer = WireBuffer.start(1);
        WireBuffer inner = WireBuffer.start(2);
        assertThat(inner).isNotSameAs(outer);
        inner.release();
        assertThat(outer.toByteArray()).containsExactly(0, 0, 0, 0, 1);
        outer.release();
        WireBuffer next = WireBuffer.start(3);
        assertThat(next).isSameAs(outer);
        next.release();
    }
}
