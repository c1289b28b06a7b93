package io.engage.schemas;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Renders Avro records as JSON-ready maps (the APIs' answers, exports): timestamps RFC 3339, dates ISO, times HH:mm, enums by name. */
public final class AvroJson {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private AvroJson() {}

    public static Map<String, Object> toMap(GenericRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            out.put(f.name(), plain(record.get(f.pos())));
        }
        return out;
    }

    /**
     * {@code v} as JSON-ready data: records as maps (fields in schema order), timestamps RFC 3339, dates ISO, times
     * {@code HH:mm}, enums by name, bytes Base64, collections and maps element by element.
     */
    public static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof LocalTime t) {
            return HH_MM.format(t);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof org.apache.avro.generic.GenericEnumSymbol<?> e) {
            return e.toString();
        }
        if (v instanceof java.nio.ByteBuffer b) {
            java.nio.ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof byte[] b) {
            return java.util.Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof GenericRecord r) {
            return toMap(r);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k.toString(), plain(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>();
            c.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v.toString();
    }
}
