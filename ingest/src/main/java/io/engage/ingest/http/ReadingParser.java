package io.engage.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the body of {@code POST /v1/devices/{deviceId}/readings} (a JSON array of
 * {@code {"metric","value","unit","start","end"}} with optional {@code "sourceRecordId"}) into readings.
 * An element that cannot be read is rejected as MALFORMED at its index; the rest of the batch goes on.
 */
public final class ReadingParser {
    static final Set<String> FIELDS = Set.of("metric", "value", "unit", "start", "end", "sourceRecordId");

    private ReadingParser() {}

    public static List<ParsedReading> parse(JsonNode array, String deviceId, Instant receivedAt, String gatewayId) {
        List<ParsedReading> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(element(i, array.get(i), deviceId, receivedAt, gatewayId));
        }
        return out;
    }

    private static ParsedReading element(int i, JsonNode n, String deviceId, Instant receivedAt, String gatewayId) {
        if (n == null || !n.isObject()) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "element is not a JSON object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                return ParsedReading.rejected(i, RejectReason.MALFORMED, "unknown field '" + f + "'");
            }
        }
        for (String f : List.of("metric", "unit", "start", "end")) {
            JsonNode v = n.get(f);
            if (v == null || v.isNull()) {
                return ParsedReading.rejected(i, RejectReason.MALFORMED, "missing field '" + f + "'");
            }
            if (!v.isTextual()) {
                return ParsedReading.rejected(i, RejectReason.MALFORMED, "field '" + f + "' must be a string");
            }
        }
        JsonNode value = n.get("value");
        if (value == null || value.isNull()) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "missing field 'value'");
        }
        if (!value.isNumber()) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "field 'value' must be a number");
        }
        JsonNode source = n.get("sourceRecordId");
        if (source != null && !source.isNull() && !source.isTextual()) {
            return ParsedReading.rejected(i, RejectReason.MALFORMED, "field 'sourceRecordId' must be a string");
        }
        return ParsedReading.ok(
                i,
                RawReading.newBuilder()
                        .setDeviceId(deviceId)
                        .setMetric(n.get("metric").asText())
                        .setValue(value.asDouble())
                        .setUnit(n.get("unit").asText())
                        .setStart(n.get("start").asText())
                        .setEnd(n.get("end").asText())
                        .setSourceRecordId(source == null || source.isNull() ? null : source.asText())
                        .setReceivedAt(receivedAt)
                        .setGatewayId(gatewayId)
                        .build());
    }
}
