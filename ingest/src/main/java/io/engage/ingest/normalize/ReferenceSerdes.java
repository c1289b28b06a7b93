package io.engage.ingest.normalize;

import io.engage.avro.DeviceType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes of the normaliser's own global stores. The stores hold only what normalisation reads, in a small
 * versioned binary layout, so they need no registry subject and keep no more of a profile than necessary.
 */
final class ReferenceSerdes {
    private static final byte VERSION = 1;

    private ReferenceSerdes() {}

    static Serde<DevicePairing> pairing() {
        Serializer<DevicePairing> ser = (topic, p) -> {
            if (p == null) {
                return null;
            }
            byte[] id = p.participantId().getBytes(StandardCharsets.UTF_8);
            byte[] gateway = p.gateway() == null ? null : p.gateway().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(2 + 4 + id.length + 4 + (gateway == null ? 0 : gateway.length) + 8)
                    .put(VERSION)
                    .put((byte) p.type().ordinal())
                    .putInt(id.length)
                    .put(id);
            if (gateway == null) {
                b.putInt(-1);
            } else {
                b.putInt(gateway.length).put(gateway);
            }
            return b.putLong(p.pairedAtMillis()).array();
        };
        Deserializer<DevicePairing> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = version(bytes, topic);
            DeviceType type = DeviceType.values()[b.get()];
            String participant = string(b);
            // written before devices could be bound to a gateway: nothing follows the participant id; before the
            // pairing time was kept: nothing follows the gateway
            String gateway = b.hasRemaining() ? string(b) : null;
            return new DevicePairing(participant, type, gateway, b.remaining() >= 8 ? b.getLong() : 0);
        };
        return Serdes.serdeFrom(ser, de);
    }

    static Serde<ConsentProfile> consent() {
        Serializer<ConsentProfile> ser = (topic, p) -> {
            if (p == null) {
                return null;
            }
            byte[] zone = p.zoneId() == null ? null : p.zoneId().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(2 + 4 + (zone == null ? 0 : zone.length))
                    .put(VERSION)
                    .put((byte) (p.consent() ? 1 : 0));
            if (zone == null) {
                b.putInt(-1);
            } else {
                b.putInt(zone.length).put(zone);
            }
            return b.array();
        };
        Deserializer<ConsentProfile> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer b = version(bytes, topic);
            boolean consent = b.get() == 1;
            return new ConsentProfile(consent, string(b));
        };
        return Serdes.serdeFrom(ser, de);
    }

    private static ByteBuffer version(byte[] bytes, String store) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte v = b.get();
        if (v != VERSION) {
            throw new SerializationException("store " + store + ": unknown value layout version " + v);
        }
        return b;
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
