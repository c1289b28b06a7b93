package io.engage.ingest.http;

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

/** Renders Avro records as JSON-ready maps: timestamps RFC 3339, dates ISO, times HH:mm, enums by name. */
public final class AvroJson {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private AvroJson() {}

    public static Map<String, Object> toMap(GenericRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            out.put(f.name(), value(record.get(f.pos())));
        }
        return out;
    }

    private static Object value(Object v) {
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
        if (v instanceof GenericRecord r) {
            return toMap(r);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k.toString(), value(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            var out = new ArrayList<>();
            c.forEach(x -> out.add(value(x)));
            return out;
        }
        return v.toString();
    }
}
