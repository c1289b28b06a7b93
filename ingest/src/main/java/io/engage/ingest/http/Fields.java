package io.engage.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.http.ApiException;
import io.engage.http.Ids;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of an admin JSON object: unknown fields, wrong types and invalid values are a 400 whose message
 * names the field (with its path, e.g. {@code preferences.quietHours.start}).
 */
final class Fields {
    private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Reads {@code node} as an object whose fields must all be in {@code allowed}. */
    static Fields of(JsonNode node, String path, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest((path.isEmpty() ? "body" : path) + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest(
                        "unknown field '" + name(path, f) + "'; allowed: " + new java.util.TreeSet<>(allowed));
            }
        }
        return new Fields(node, path);
    }

    private static String name(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private String name(String field) {
        return name(path, field);
    }

    private JsonNode value(String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest("missing required field '" + name(field) + "'");
            }
            return null;
        }
        return v;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String string(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("field '" + name(field) + "' must be a non-empty string");
        }
        if (v.asText().length() > 256) {
            throw ApiException.badRequest("field '" + name(field) + "' is longer than 256 characters");
        }
        return v.asText();
    }

    String id(String field, boolean required) {
        String s = string(field, required);
        if (s != null) {
            Ids.require(s, name(field));
        }
        return s;
    }

    Integer integer(String field, boolean required, int min, int max) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest("field '" + name(field) + "' must be an integer");
        }
        int i = v.asInt();
        if (i < min || i > max) {
            throw ApiException.badRequest(
                    "field '" + name(field) + "' must be between " + min + " and " + max + ", was " + i);
        }
        return i;
    }

    Long longValue(String field, boolean required, long min) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest("field '" + name(field) + "' must be an integer");
        }
        long l = v.asLong();
        if (l < min) {
            throw ApiException.badRequest("field '" + name(field) + "' must be at least " + min + ", was " + l);
        }
        return l;
    }

    Boolean bool(String field, boolean required) {
        JsonNode v = value(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiException.badRequest("field '" + name(field) + "' must be true or false");
        }
        return v.asBoolean();
    }

    <E extends Enum<E>> E enumValue(String field, boolean required, Class<E> type) {
        String s = string(field, required);
        if (s == null) {
            return null;
        }
        return parseEnum(s, name(field), type);
    }

    static <E extends Enum<E>> E parseEnum(String s, String fieldName, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        throw ApiException.badRequest("field '" + fieldName + "' must be one of "
                + Arrays.toString(type.getEnumConstants()) + ", was '" + s + "'");
    }

    LocalTime timeOfDay(String field, boolean required) {
        String s = string(field, required);
        return s == null ? null : parseTime(s, name(field));
    }

    static LocalTime parseTime(String s, String fieldName) {
        if (!HH_MM.matcher(s).matches()) {
            throw ApiException.badRequest("field '" + fieldName + "' must be a time of day HH:mm, was '" + s + "'");
        }
        return LocalTime.parse(s);
    }

    OffsetDateTime timestamp(String field, boolean required) {
        String s = string(field, required);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "field '" + name(field) + "' must be an RFC 3339 timestamp with offset, was '" + s + "'");
        }
    }

    Fields object(String field, Set<String> allowed) {
        JsonNode v = value(field, false);
        return v == null ? null : Fields.of(v, name(field), allowed);
    }

    List<String> strings(String field) {
        JsonNode v = value(field, false);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.badRequest("field '" + name(field) + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiException.badRequest("field '" + name(field) + "[" + i + "]' must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    List<LocalDate> dates(String field) {
        List<String> l = strings(field);
        if (l == null) {
            return null;
        }
        List<LocalDate> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            try {
                out.add(LocalDate.parse(l.get(i)));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                        "field '" + name(field) + "[" + i + "]' must be a date YYYY-MM-DD, was '" + l.get(i) + "'");
            }
        }
        return out;
    }

    String fieldName(String field) {
        return name(field);
    }
}
