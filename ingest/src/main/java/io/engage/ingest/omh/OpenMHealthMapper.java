package io.engage.ingest.omh;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Open mHealth data points to engage readings.
 *
 * <p>Accepted schemas (by {@code header.schema_id.name}, or a top-level {@code schema_id} when a bare body is sent):
 * {@code step-count} ({@code step_count}), {@code heart-rate} ({@code heart_rate}), {@code calories-burned}
 * ({@code kcal_burned}), {@code physical-activity} (its {@code distance}) and {@code minutes-moderate-activity}
 * ({@code minutes_moderate_activity}). Values may be plain numbers (1.0 schemas) or unit-values
 * ({@code {"value", "unit"}}). The effective time frame is a {@code date_time} (heart rate only) or a
 * {@code time_interval} given as start+end, start+duration or end+duration. The data point's {@code header.id} becomes
 * the reading's {@code sourceRecordId}.
 */
public final class OpenMHealthMapper {
    /** OMH schema name to engage metric and the field holding the value. */
    private static final Map<String, String[]> SCHEMAS = Map.of(
            "step-count", new String[] {"steps", "step_count", "steps"},
            "heart-rate", new String[] {"heart_rate", "heart_rate", "beats/min"},
            "calories-burned", new String[] {"calories", "kcal_burned", "kcal"},
            "physical-activity", new String[] {"distance", "distance", "m"},
            "minutes-moderate-activity", new String[] {"active_minutes", "minutes_moderate_activity", "min"});

    /** The result of mapping one data point. */
    public sealed interface Mapped {
        /** Mapped to a reading (still to be validated). */
        record Reading(RawReading reading) implements Mapped {}

        /** Not mappable: the reason code and why. */
        record Rejected(RejectReason reason, String detail) implements Mapped {}
    }

    private OpenMHealthMapper() {}

    /** Maps one data point of a device, received at {@code receivedAt} from {@code gatewayId}. */
    public static Mapped map(JsonNode point, String deviceId, Instant receivedAt, String gatewayId) {
        if (point == null || !point.isObject()) {
            return rejected(RejectReason.MALFORMED, "data point is not a JSON object");
        }
        JsonNode header = point.path("header");
        JsonNode schemaId = header.isObject() ? header.path("schema_id") : point.path("schema_id");
        String name = schemaId.path("name").asText(null);
        if (name == null || name.isBlank()) {
            return rejected(RejectReason.MALFORMED, "missing header.schema_id.name");
        }
        String[] mapping = SCHEMAS.get(name);
        if (mapping == null) {
            return rejected(
                    RejectReason.UNKNOWN_METRIC,
                    "Open mHealth schema '" + name + "' is not supported; supported: "
                            + new java.util.TreeSet<>(SCHEMAS.keySet()));
        }
        JsonNode body = point.has("body") ? point.get("body") : point;
        if (!body.isObject()) {
            return rejected(RejectReason.MALFORMED, "body is not a JSON object");
        }
        JsonNode valueNode = body.get(mapping[1]);
        if (valueNode == null || valueNode.isNull()) {
            return rejected(RejectReason.MALFORMED, name + " without '" + mapping[1] + "'");
        }
        double value;
        String unit;
        if (valueNode.isNumber()) {
            value = valueNode.asDouble();
            unit = mapping[2];
        } else if (valueNode.isObject() && valueNode.path("value").isNumber()) {
            value = valueNode.get("value").asDouble();
            unit = valueNode.path("unit").asText(mapping[2]);
        } else {
            return rejected(RejectReason.MALFORMED, "'" + mapping[1] + "' must be a number or {\"value\", \"unit\"}");
        }
        JsonNode frame = body.path("effective_time_frame");
        String start;
        String end;
        if (frame.has("time_interval")) {
            Optional<String[]> interval = interval(frame.get("time_interval"));
            if (interval.isEmpty()) {
                return rejected(
                        RejectReason.MALFORMED,
                        "time_interval needs start_date_time and end_date_time, or one of them"
                                + " and a duration {\"value\", \"unit\"} in ms, sec, min, h, d or wk");
            }
            start = interval.get()[0];
            end = interval.get()[1];
        } else if (frame.has("date_time") && frame.get("date_time").isTextual()) {
            start = frame.get("date_time").asText();
            end = start;
        } else {
            return rejected(RejectReason.MALFORMED, "missing effective_time_frame (time_interval or date_time)");
        }
        String id = header.path("id").isTextual() ? header.get("id").asText() : null;
        return new Mapped.Reading(RawReading.newBuilder()
                .setDeviceId(deviceId)
                .setMetric(mapping[0])
                .setValue(value)
                .setUnit(unit)
                .setStart(start)
                .setEnd(end)
                .setSourceRecordId(id)
                .setReceivedAt(receivedAt)
                .setGatewayId(gatewayId)
                .build());
    }

    private static Optional<String[]> interval(JsonNode ti) {
        String s = ti.path("start_date_time").asText(null);
        String e = ti.path("end_date_time").asText(null);
        if (s != null && e != null) {
            return Optional.of(new String[] {s, e});
        }
        Optional<Duration> d = duration(ti.path("duration"));
        if (d.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (s != null) {
                OffsetDateTime start = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                return Optional.of(
                        new String[] {s, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(start.plus(d.get()))});
            }
            if (e != null) {
                OffsetDateTime end = OffsetDateTime.parse(e, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                return Optional.of(new String[] {DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(end.minus(d.get())), e});
            }
        } catch (DateTimeParseException ex) {
            // fall through: the validator reports the malformed timestamp
            return Optional.of(new String[] {s != null ? s : "invalid", e != null ? e : "invalid"});
        }
        return Optional.empty();
    }

    private static Optional<Duration> duration(JsonNode d) {
        if (!d.isObject() || !d.path("value").isNumber()) {
            return Optional.empty();
        }
        BigDecimal v = d.get("value").decimalValue();
        long unitMillis = switch (d.path("unit").asText("").toLowerCase(Locale.ROOT)) {
            case "ms" -> 1L;
            case "sec", "s" -> 1_000L;
            case "min" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "wk" -> 604_800_000L;
            default -> -1L;
        };
        if (unitMillis < 0 || v.signum() < 0) {
            return Optional.empty();
        }
        return Optional.of(
                Duration.ofMillis(v.multiply(BigDecimal.valueOf(unitMillis)).longValue()));
    }

    private static Mapped rejected(RejectReason reason, String detail) {
        return new Mapped.Rejected(reason, detail);
    }
}
