package io.engage.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Turns the elements of {@code POST /v1/devices/{deviceId}/readings} (a JSON array of
 * {@code {"metric","value","unit","start","end"}} with optional {@code "sourceRecordId"}) into readings, straight from
 * the parser's tokens: no JSON tree is built (docs/ingest.md, "How a request is handled"). An element that cannot be
 * read is rejected as MALFORMED at its index; the rest of the batch goes on. Every token of an element is read, so
 * JSON that is not well formed anywhere in it (or a field given twice, the parser's duplicate detection) fails the
 * whole body with an {@link IOException}.
 */
public final class ReadingParser {
    static final Set<String> FIELDS = Set.of("metric", "value", "unit", "start", "end", "sourceRecordId");

    /** The text fields every element needs, in the order their absence is reported. */
    /** The string fields, in this order; all but the last ({@code sourceRecordId}) are required. */
    private static final List<String> TEXT_FIELDS = List.of("metric", "unit", "start", "end", "sourceRecordId");

    private static final int REQUIRED_TEXT = 4;
    private static final int SOURCE = 4;

    private ReadingParser() {}

    /**
     * Reads one element whose first token ({@code first}) the parser is on, and leaves the parser on its last token.
     *
     * @throws IOException when the element is not well-formed JSON
     */
    static ParsedReading element(
            JsonParser p, JsonToken first, int i, String deviceId, Instant receivedAt, String gatewayId)
            throws IOException {
        if (first != JsonToken.START_OBJECT) {
            p.skipChildren(); // an array's tokens are read (and checked) too
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "element is not a JSON object");
        }
        String unknown = null;
        String[] texts = new String[TEXT_FIELDS.size()];
        // a field's kind: null absent (or JSON null), TEXT a string, OTHER anything else
        Kind[] kinds = new Kind[TEXT_FIELDS.size()];
        Kind valueKind = null;
        double value = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Kind kind = v == JsonToken.VALUE_NULL ? null : v == JsonToken.VALUE_STRING ? Kind.TEXT : Kind.OTHER;
            String text = kind == Kind.TEXT ? p.getText() : null;
            int field = TEXT_FIELDS.indexOf(name);
            if (field >= 0) {
                kinds[field] = kind;
                texts[field] = text;
            } else if (name.equals("value")) {
                if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                    valueKind = Kind.NUMBER;
                    value = p.getDoubleValue();
                } else {
                    valueKind = kind;
                }
            } else if (unknown == null) {
                unknown = name;
            }
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "element " + i + " is not closed");
        }
        if (unknown != null) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "unknown field '" + unknown + "'");
        }
        for (int f = 0; f < REQUIRED_TEXT; f++) {
            if (kinds[f] == null) {
                return ParsedReading.rejected(i, RejectReason.MALFORMED, "missing field '" + TEXT_FIELDS.get(f) + "'");
            }
            if (kinds[f] != Kind.TEXT) {
                return ParsedReading.rejected(
                        i, RejectReason.MALFORMED, "field '" + TEXT_FIELDS.get(f) + "' must be a string");
            }
        }
        if (valueKind == null) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "missing field 'value'");
        }
        if (valueKind != Kind.NUMBER) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "field 'value' must be a number");
        }
        if (kinds[SOURCE] == Kind.OTHER) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "field 'sourceRecordId' must be a string");
        }
        return ParsedReading.ok(
                i,
                RawReading.newBuilder()
                        .setDeviceId(deviceId)
                        .setMetric(texts[0])
                        .setValue(value)
                        .setUnit(texts[1])
                        .setStart(texts[2])
                        .setEnd(texts[3])
                        .setSourceRecordId(texts[SOURCE])
                        .setReceivedAt(receivedAt)
                        .setGatewayId(gatewayId)
                        .build());
    }

    private enum Kind {
        TEXT,
        NUMBER,
        OTHER
    }
}
