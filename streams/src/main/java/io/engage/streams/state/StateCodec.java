package io.engage.streams.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A small versioned binary layout for the values of engage's own state stores. Store values are internal: they need
 * no registry subject, and a leading layout version lets a later release read what an earlier one wrote.
 */
public final class StateCodec {
    private StateCodec() {}

    /** Writes one value. */
    @FunctionalInterface
    public interface Encoder<T> {
        void write(T value, Out out) throws IOException;
    }

    /** Reads one value written by the matching {@link Encoder}. */
    @FunctionalInterface
    public interface Decoder<T> {
        T read(In in) throws IOException;
    }

    /** A serde writing {@code version} then the value; reading fails on any other version. */
    public static <T> Serde<T> serde(String what, int version, Encoder<T> encoder, Decoder<T> decoder) {
        return serde(what, version, encoder, decoder, Map.of());
    }

    /**
     * A serde writing {@code version} then the value, reading that version and the {@code older} layouts (an earlier
     * release's values, still in a state directory or changelog); any other version fails.
     */
    public static <T> Serde<T> serde(
            String what, int version, Encoder<T> encoder, Decoder<T> decoder, Map<Integer, Decoder<T>> older) {
        Serializer<T> ser = (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            try {
                out.code(version);
                encoder.write(value, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            In in = new In(bytes);
            try {
                int v = in.code();
                Decoder<T> d = v == version ? decoder : older.get(v);
                if (d == null) {
                    throw new SerializationException(what + " (" + topic + "): unknown value layout version " + v);
                }
                return d.read(in);
            } catch (IOException e) {
                throw new SerializationException(what + " (" + topic + "): cannot read a stored value", e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }

    /**
     * {@code serde} with its reads remembered by content: a value read before is returned without decoding it again.
     * For stores of few, immutable values read on every record (the programme rules: about 7 % of the engagement
     * thread's time went into decoding them, docs/benchmarks.md). Safe across threads; at most {@code capacity}
     * values are kept (then it starts over).
     */
    public static <T> Serde<T> memoized(Serde<T> serde, int capacity) {
        Map<ByteKey, T> seen = new ConcurrentHashMap<>();
        Deserializer<T> inner = serde.deserializer();
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteKey key = new ByteKey(bytes);
            T value = seen.get(key);
            if (value == null) {
                value = inner.deserialize(topic, bytes);
                if (seen.size() >= capacity) {
                    seen.clear();
                }
                seen.put(new ByteKey(bytes.clone()), value);
            }
            return value;
        };
        return Serdes.serdeFrom(serde.serializer(), de);
    }

    /** Bytes compared by content. */
    private record ByteKey(byte[] bytes, int hash) {
        ByteKey(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * Output with helpers for nullable fields. The fixed-width integers and strings are laid out as
     * {@link java.io.DataOutputStream} writes them (big-endian; strings as modified UTF-8 with a 2-byte length), which
     * is what the earlier layouts used; it writes to its own unsynchronised buffer (a store value is written on every
     * reading).
     */
    public static final class Out {
        private byte[] buf = new byte[64];
        private int len;

        Out() {}

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        private Out u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
            return this;
        }

        public Out string(String s) throws IOException {
            bool(s != null);
            return s == null ? this : text(s);
        }

        public Out int32(int v) {
            ensure(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
            return this;
        }

        public Out int64(long v) {
            int32((int) (v >>> 32));
            return int32((int) v);
        }

        public Out float64(double v) {
            return int64(Double.doubleToLongBits(v));
        }

        public Out bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        public Out nullableInt(Integer v) {
            bool(v != null);
            return v == null ? this : int32(v);
        }

        public Out nullableBool(Boolean v) {
            return u8(v == null ? 2 : v ? 1 : 0);
        }

        public Out date(LocalDate d) {
            return int32((int) d.toEpochDay());
        }

        /** An unsigned variable-length integer (7 bits a byte, low bits first): small values take one byte. */
        public Out varLong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        /** A signed variable-length integer (zig-zag): small magnitudes take one byte. */
        public Out zigZag(long v) {
            return varLong((v << 1) ^ (v >> 63));
        }

        /** One byte: a fixed code, never an enum ordinal. */
        public Out code(int v) {
            return u8(v);
        }

        /**
         * A double exactly: a whole value below 2^53 as a zig-zag integer (one to three bytes for typical readings),
         * anything else as its 8 bytes; a leading bit tells which.
         */
        public Out exactDouble(double v) {
            if (v == Math.rint(v) && Math.abs(v) < (1L << 53) && !(v == 0 && 1 / v < 0)) {
                long w = (long) v;
                return varLong(((w << 1) ^ (w >> 63)) << 1);
            }
            varLong(1);
            return float64(v);
        }

        /** A string without the null flag (modified UTF-8 with a 2-byte length, as {@code DataOutput.writeUTF}). */
        public Out text(String s) throws IOException {
            int n = s.length();
            boolean ascii = n <= 65535;
            for (int i = 0; i < n && ascii; i++) {
                char c = s.charAt(i);
                ascii = c >= 1 && c < 0x80;
            }
            if (ascii) {
                ensure(2 + n);
                buf[len++] = (byte) (n >>> 8);
                buf[len++] = (byte) n;
                for (int i = 0; i < n; i++) {
                    buf[len++] = (byte) s.charAt(i);
                }
                return this;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(n * 3 + 2);
            new DataOutputStream(bytes).writeUTF(s);
            byte[] b = bytes.toByteArray();
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }
    }

    /** Input matching {@link Out}. */
    public static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        private int u8() throws IOException {
            if (pos >= buf.length) {
                throw new EOFException("a stored value ends early");
            }
            return buf[pos++] & 0xFF;
        }

        public String string() throws IOException {
            return bool() ? text() : null;
        }

        public int int32() throws IOException {
            return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
        }

        public long int64() throws IOException {
            return ((long) int32() << 32) | (int32() & 0xFFFFFFFFL);
        }

        public double float64() throws IOException {
            return Double.longBitsToDouble(int64());
        }

        public boolean bool() throws IOException {
            return u8() != 0;
        }

        public Integer nullableInt() throws IOException {
            return bool() ? int32() : null;
        }

        public Boolean nullableBool() throws IOException {
            int b = u8();
            return b == 2 ? null : b == 1;
        }

        public long varLong() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("malformed variable-length integer");
        }

        public long zigZag() throws IOException {
            long v = varLong();
            return (v >>> 1) ^ -(v & 1);
        }

        public int code() throws IOException {
            return u8();
        }

        public double exactDouble() throws IOException {
            long tag = varLong();
            if ((tag & 1) == 1) {
                return float64();
            }
            long z = tag >>> 1;
            return (double) ((z >>> 1) ^ -(z & 1));
        }

        public String text() throws IOException {
            int n = (u8() << 8) | u8();
            if (pos + n > buf.length) {
                throw new EOFException("a stored string ends early");
            }
            boolean ascii = true;
            for (int i = pos; i < pos + n && ascii; i++) {
                ascii = buf[i] > 0;
            }
            String s;
            if (ascii) {
                s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
            } else {
                DataInputStream data = new DataInputStream(new ByteArrayInputStream(buf, pos - 2, n + 2));
                s = data.readUTF();
            }
            pos += n;
            return s;
        }

        public LocalDate date() throws IOException {
            return LocalDate.ofEpochDay(int32());
        }
    }
}
