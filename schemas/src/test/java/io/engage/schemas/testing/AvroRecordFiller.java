package io.engage.schemas.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Builds a {@link GenericRecord} for any Avro schema by walking it, deterministically from a seed, with values
 * in the representation {@link GenericData#get()} uses (no logical-type conversions: timestamp-millis is a
 * {@code long}, date and time-millis are {@code int}s within their valid ranges).
 *
 * <p>Unions take their first non-null branch, or null when {@code nulls} is asked for and the union allows it;
 * arrays get two elements; maps get exactly one entry, because Avro writes a map in its iteration order and
 * a reader builds a {@code HashMap}, so only a one-entry map re-encodes to the same bytes.
 */
public final class AvroRecordFiller {
    private static final long BASE_INSTANT_MILLIS = 1_767_225_600_123L; // 2026-01-01T00:00:00.123Z
    private static final int BASE_EPOCH_DAY = 20_454; // 2026-01-01
    private static final long DAY_MILLIS = 86_400_000L;

    private final int seed;
    private final boolean nulls;

    private AvroRecordFiller(int seed, boolean nulls) {
        this.seed = seed;
        this.nulls = nulls;
    }

    /** A record with every optional (nullable) field populated. */
    public static GenericRecord populated(Schema schema, int seed) {
        return (GenericRecord) new AvroRecordFiller(seed, false).value(schema, schema.getName());
    }

    /** A record with every nullable field null (and everything else populated). */
    public static GenericRecord withNulls(Schema schema, int seed) {
        return (GenericRecord) new AvroRecordFiller(seed, true).value(schema, schema.getName());
    }

    private Object value(Schema schema, String path) {
        int h = Math.floorMod(path.hashCode() * 31 + seed, 1_000_003);
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case RECORD: {
                GenericData.Record r = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    r.put(f.pos(), value(f.schema(), path + "." + f.name()));
                }
                return r;
            }
            case ENUM: {
                List<String> symbols = schema.getEnumSymbols();
                return new GenericData.EnumSymbol(schema, symbols.get(h % symbols.size()));
            }
            case ARRAY: {
                List<Object> items = new ArrayList<>();
                items.add(value(schema.getElementType(), path + "[0]"));
                items.add(value(schema.getElementType(), path + "[1]"));
                return new GenericData.Array<>(schema, items);
            }
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                map.put("k" + h, value(schema.getValueType(), path + "{}"));
                return map;
            }
            case UNION: {
                List<Schema> branches = schema.getTypes();
                List<Schema> nonNull = branches.stream()
                        .filter(b -> b.getType() != Schema.Type.NULL)
                        .toList();
                if (nonNull.isEmpty() || (nulls && nonNull.size() < branches.size())) {
                    return null;
                }
                return value(nonNull.get(seed % nonNull.size()), path);
            }
            case STRING:
                if (logical != null && "uuid".equals(logical.getName())) {
                    return UUID.nameUUIDFromBytes(path.getBytes(StandardCharsets.UTF_8))
                            .toString();
                }
                return path.substring(path.lastIndexOf('.') + 1) + "-" + seed + "-é";
            case BYTES:
                return ByteBuffer.wrap(bytes(4 + h % 5, h));
            case FIXED:
                return new GenericData.Fixed(schema, bytes(schema.getFixedSize(), h));
            case INT:
                if (logical != null && "date".equals(logical.getName())) {
                    return BASE_EPOCH_DAY + h % 3650;
                }
                if (logical != null && "time-millis".equals(logical.getName())) {
                    return (int) ((h * 3_600_007L + 123) % DAY_MILLIS);
                }
                return h % 100_000;
            case LONG:
                if (logical != null) {
                    switch (logical.getName()) {
                        case "timestamp-millis", "local-timestamp-millis":
                            return BASE_INSTANT_MILLIS + h * 1_001L;
                        case "timestamp-micros", "local-timestamp-micros":
                            return (BASE_INSTANT_MILLIS + h * 1_001L) * 1_000L + 7;
                        case "time-micros":
                            return (h * 3_600_007L + 123) % DAY_MILLIS * 1_000L;
                        default:
                            break;
                    }
                }
                return 10_000_000_000L + h;
            case FLOAT:
                return h + 0.25f;
            case DOUBLE:
                return h + 0.125;
            case BOOLEAN:
                return h % 2 == 0;
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("unsupported schema type " + schema.getType() + " at " + path);
        }
    }

    private static byte[] bytes(int n, int h) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (h + i * 37);
        }
        return b;
    }
}
