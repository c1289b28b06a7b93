package io.engage.streams.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private StateCodec() {
    }

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
    public static <T> Serde<T> serde(String what, int version, Encoder<T> encoder, Decoder<T> decoder,
                                     Map<Integer, Decoder<T>> older) {
        Serializer<T> ser = (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            Out out = new Out(new DataOutputStream(bytes));
            try {
                out.data.writeByte(version);
                encoder.write(value, out);
                out.data.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            In in = new In(new DataInputStream(new ByteArrayInputStream(bytes)));
            try {
                int v = in.data.readUnsignedByte();
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

    /** Output with helpers for nullable fields. */
    public static final class Out {
        private final DataOutputStream data;

        Out(DataOutputStream data) {
            this.data = data;
        }

        public Out string(String s) throws IOException {
            data.writeBoolean(s != null);
            if (s != null) {
                data.writeUTF(s);
            }
            return this;
        }

        public Out int32(int v) throws IOException {
            data.writeInt(v);
            return this;
        }

        public Out int64(long v) throws IOException {
            data.writeLong(v);
            return this;
        }

        public Out float64(double v) throws IOException {
            data.writeDouble(v);
            return this;
        }

        public Out bool(boolean v) throws IOException {
            data.writeBoolean(v);
            return this;
        }

        public Out nullableInt(Integer v) throws IOException {
            data.writeBoolean(v != null);
            if (v != null) {
                data.writeInt(v);
            }
            return this;
        }

        public Out nullableBool(Boolean v) throws IOException {
            data.writeByte(v == null ? 2 : v ? 1 : 0);
            return this;
        }

        /** An unsigned variable-length integer (7 bits a byte, low bits first): small values take one byte. */
        public Out varLong(long v) throws IOException {
            while ((v & ~0x7FL) != 0) {
                data.writeByte((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            data.writeByte((int) v);
            return this;
        }

        /** A signed variable-length integer (zig-zag): small magnitudes take one byte. */
        public Out zigZag(long v) throws IOException {
            return varLong((v << 1) ^ (v >> 63));
        }

        /** One byte: a fixed code, never an enum ordinal. */
        public Out code(int v) throws IOException {
            data.writeByte(v);
            return this;
        }

        /**
         * A double exactly: a whole value below 2^53 as a zig-zag integer (one to three bytes for typical readings),
         * anything else as its 8 bytes; a leading bit tells which.
         */
        public Out exactDouble(double v) throws IOException {
            if (v == Math.rint(v) && Math.abs(v) < (1L << 53) && !(v == 0 && 1 / v < 0)) {
                long w = (long) v;
                return varLong(((w << 1) ^ (w >> 63)) << 1);
            }
            varLong(1);
            data.writeDouble(v);
            return this;
        }

        /** A string without the null flag (UTF-8 length-prefixed). */
        public Out text(String s) throws IOException {
            data.writeUTF(s);
            return this;
        }

        public Out date(LocalDate d) throws IOException {
            data.writeInt((int) d.toEpochDay());
            return this;
        }
    }

    /** Input matching {@link Out}. */
    public static final class In {
        private final DataInputStream data;

        In(DataInputStream data) {
            this.data = data;
        }

        public String string() throws IOException {
            return data.readBoolean() ? data.readUTF() : null;
        }

        public int int32() throws IOException {
            return data.readInt();
        }

        public long int64() throws IOException {
            return data.readLong();
        }

        public double float64() throws IOException {
            return data.readDouble();
        }

        public boolean bool() throws IOException {
            return data.readBoolean();
        }

        public Integer nullableInt() throws IOException {
            return data.readBoolean() ? data.readInt() : null;
        }

        public Boolean nullableBool() throws IOException {
            int b = data.readByte();
            return b == 2 ? null : b == 1;
        }

        public long varLong() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = data.readUnsignedByte();
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
            return data.readUnsignedByte();
        }

        public double exactDouble() throws IOException {
            long tag = varLong();
            if ((tag & 1) == 1) {
                return data.readDouble();
            }
            long z = tag >>> 1;
            return (double) ((z >>> 1) ^ -(z & 1));
        }

        public String text() throws IOException {
            return data.readUTF();
        }

        public LocalDate date() throws IOException {
            return LocalDate.ofEpochDay(data.readInt());
        }
    }
}
