package io.engage.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The output buffer and Avro encoder of one thread's serialiser, reused from record to record instead of
 * allocated for each; unsynchronised, unlike {@link java.io.ByteArrayOutputStream}, as only its thread writes.
 */
final class WireBuffer extends OutputStream {
    /** A buffer grown past this by a huge record is not kept, so it does not stay pinned to its thread. */
    static final int MAX_RETAINED = 64 * 1024;

    private static final ThreadLocal<WireBuffer> OF_THREAD = ThreadLocal.withInitial(WireBuffer::new);

    private byte[] bytes = new byte[256];
    private int size;
    private boolean inUse;
    private final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(this, null);

    private WireBuffer() {}

    /** This thread's buffer, emptied and holding the header for {@code schemaId}; a fresh one if it is in use. */
    static WireBuffer start(int schemaId) {
        WireBuffer buffer = OF_THREAD.get();
        if (buffer.inUse) {
            buffer = new WireBuffer(); // a serialiser called while another one writes on this thread
        }
        buffer.inUse = true;
        buffer.size = 0;
        buffer.write(WireFormat.MAGIC_BYTE);
        buffer.write(schemaId >>> 24);
        buffer.write(schemaId >>> 16);
        buffer.write(schemaId >>> 8);
        buffer.write(schemaId);
        return buffer;
    }

    /** Encodes into this buffer; a direct encoder, so there is nothing is held back from {@link #toByteArray()}. */
    BinaryEncoder encoder() {
        return encoder;
    }

    /** A copy of the bytes written since {@link #start}. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Frees the buffer for the thread's next record, after success or failure. */
    void release() {
        inUse = false;
        if (bytes.length > MAX_RETAINED) {
            bytes = new byte[256];
        }
    }

    @Override
    public void write(int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (size + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
        }
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }
}
