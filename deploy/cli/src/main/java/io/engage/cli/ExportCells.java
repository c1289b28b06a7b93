package io.engage.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.schemas.AvroJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro values as readable, spreadsheet-friendly data (docs/replay.md): values rendered by {@link AvroJson#plain}
 * (timestamps as ISO-8601 instants, dates as ISO dates, times as {@code HH:mm}, enums by name, bytes as Base64);
 * nested records flattened into columns named with dots ({@code preferences.quietHours.start}); arrays and maps kept whole, as JSON text in one column.
 */
final class ExportCells {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportCells() {}

    /** The column names of a value of {@code schema} under {@code prefix} (a plain value: the prefix itself). */
    static List<String> columns(Schema schema, String prefix) {
        List<String> out = new ArrayList<>();
        addColumns(schema, prefix, out);
        return out;
    }

    private static void addColumns(Schema schema, String prefix, List<String> out) {
        Schema s = nonNull(schema);
        if (s.getType() == Schema.Type.RECORD) {
            for (Schema.Field f : s.getFields()) {
                addColumns(f.schema(), prefix.isEmpty() ? f.name() : prefix + "." + f.name(), out);
            }
        } else {
            out.add(prefix);
        }
    }

    /** The cells of {@code value} under {@code prefix}, by column name ({@code null} for an absent value). */
    static void cells(Schema schema, String prefix, Object value, Map<String, Object> out) {
        Schema s = nonNull(schema);
        if (s.getType() == Schema.Type.RECORD) {
            GenericRecord r = value instanceof GenericRecord g ? g : null;
            for (Schema.Field f : s.getFields()) {
                cells(
                        f.schema(),
                        prefix.isEmpty() ? f.name() : prefix + "." + f.name(),
                        r == null ? null : r.get(f.pos()),
                        out);
            }
        } else {
            Object plain = plain(value);
            out.put(prefix, plain instanceof Map || plain instanceof List ? json(plain) : plain);
        }
    }

    /** {@code value} as JSON-ready data ({@link AvroJson#plain}). */
    static Object plain(Object v) {
        return AvroJson.plain(v);
    }

    /** The type of a union of null and one other type; other schemas as they are. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> types = schema.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .toList();
        return types.size() == 1 ? types.get(0) : schema;
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + v.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
