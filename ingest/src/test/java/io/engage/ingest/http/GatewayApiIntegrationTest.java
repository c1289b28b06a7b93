package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.RawReading;
import io.engage.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway API through HTTP, with a real broker behind it: statuses, bodies, reason codes, what is published. */
@Tag("integration")
class GatewayApiIntegrationTest {
    @TempDir
    static Path dir;

    static IngestStack stack;
    static final OffsetDateTime HOUR = OffsetDateTime.now(ZoneOffset.ofHoursMinutes(5, 45))
            .truncatedTo(ChronoUnit.HOURS)
            .minusHours(2);

    @BeforeAll
    static void start() {
        stack = new IngestStack(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String reading(
            String metric, double value, String unit, OffsetDateTime start, OffsetDateTime end, String id) {
        return String.format(
                java.util.Locale.ROOT,
                "{\"metric\":\"%s\",\"value\":%s,\"unit\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"sourceRecordId\":\"%s\"}",
                metric,
                value,
                unit,
                ts(start),
                ts(end),
                id);
    }

    static String ts(OffsetDateTime t) {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    static List<ConsumerRecord<String, RawReading>> rawFor(String deviceId, int atLeast) {
        return stack.read(Topics.READINGS_RAW, atLeast, Duration.ofSeconds(10)).stream()
                .filter(r -> r.key().equals(deviceId))
                .toList();
    }

    @Test
    void acceptedReadingsAreOnReadingsRawWhenTheAnswerComes() throws Exception {
        String body = "[" + reading("steps", 1200, "steps", HOUR, HOUR.plusHours(1), "a1") + ","
                + reading("distance", 0.9, "km", HOUR, HOUR.plusHours(1), "a2") + ","
                + reading("heart_rate", 71, "bpm", HOUR, HOUR, "a3") + "]";
        HttpResponse<String> r = stack.post("/v1/devices/dev-accept/readings", IngestStack.GATEWAY, body);

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode answer = IngestStack.json(r);
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected")).isEmpty();
        List<ConsumerRecord<String, RawReading>> raw = rawFor("dev-accept", 3);
        assertThat(raw).hasSize(3);
        assertThat(raw).allSatisfy(rec -> {
            assertThat(rec.value().getDeviceId()).isEqualTo("dev-accept");
            assertThat(rec.value().getReceivedAt()).isNotNull();
            assertThat(rec.value().getGatewayId()).isEqualTo("gateway-0");
        });
        assertThat(raw).extracting(rec -> rec.value().getSourceRecordId()).containsExactlyInAnyOrder("a1", "a2", "a3");
    }

    @Test
    void everyReasonTheGatewayCanDecideIsAnsweredAtItsIndexAndNotPublished() throws Exception {
        OffsetDateTime future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).truncatedTo(ChronoUnit.HOURS);
        OffsetDateTime old = OffsetDateTime.now(ZoneOffset.UTC).minusDays(9).truncatedTo(ChronoUnit.HOURS);
        String body = "["
                + "{\"metric\":\"steps\",\"value\":10,\"start\":\"" + ts(HOUR) + "\",\"end\":\"" + ts(HOUR.plusHours(1))
                + "\"}," // 0 MALFORMED (no unit)
                + reading("floors", 3, "count", HOUR, HOUR.plusHours(1), "r1") + "," // 1 UNKNOWN_METRIC
                + reading("calories", 30, "cal", HOUR, HOUR.plusHours(1), "r2") + "," // 2 UNKNOWN_UNIT
                + reading("steps", 100, "steps", HOUR.plusHours(1), HOUR, "r3") + "," // 3 BAD_INTERVAL
                + reading("steps", 20000, "steps", HOUR, HOUR.plusMinutes(10), "r4") + "," // 4 OUT_OF_RANGE
                + reading("steps", 100, "steps", future, future.plusHours(1), "r5") + "," // 5 FUTURE
                + reading("steps", 100, "steps", old, old.plusHours(1), "r6") + "," // 6 TOO_LATE
                + reading("steps", 500, "count", HOUR, HOUR.plusHours(1), "ok") + "," // 7 valid
                + "\"not an object\"" // 8 MALFORMED
                + "]";
        HttpResponse<String> r = stack.post("/v1/devices/dev-reasons/readings", IngestStack.GATEWAY, body);

        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode answer = IngestStack.json(r);
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        Map<Integer, String> reasons = new java.util.TreeMap<>();
        answer.get("rejected")
                .forEach(
                        x -> reasons.put(x.get("index").asInt(), x.get("reason").asText()));
        assertThat(reasons)
                .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                        0,
                        "MALFORMED",
                        1,
                        "UNKNOWN_METRIC",
                        2,
                        "UNKNOWN_UNIT",
                        3,
                        "BAD_INTERVAL",
                        4,
                        "OUT_OF_RANGE",
                        5,
                        "FUTURE",
                        6,
                        "TOO_LATE",
                        8,
                        "MALFORMED")));
        assertThat(rawFor("dev-reasons", 1))
                .extracting(rec -> rec.value().getSourceRecordId())
                .containsExactly("ok");

        String metrics = stack.send("GET", "/metrics", null, null, null).body();
        assertThat(metrics).contains("engage_ingest_readings_total{outcome=\"rejected\",reason=\"TOO_LATE\"}");
        // the group commits that carried the accepted readings (docs/ingest.md, "Health and metrics")
        assertThat(metrics)
                .containsPattern("engage_ingest_commit_seconds_count [1-9]")
                .contains("engage_ingest_commit_seconds{quantile=\"0.99\"}")
                .containsPattern("engage_ingest_commit_requests_count [1-9]");
    }

    @Test
    void openMHealthDataPointsMapToReadings() throws Exception {
        String start = ts(HOUR);
        String body = "["
                + "{\"header\":{\"id\":\"omh-1\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"step-count\",\"version\":\"2.0\"}},"
                + "\"body\":{\"step_count\":1800,\"effective_time_frame\":{\"time_interval\":{\"start_date_time\":\""
                + start
                + "\",\"duration\":{\"value\":1,\"unit\":\"h\"}}}}},"
                + "{\"header\":{\"id\":\"omh-2\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"heart-rate\",\"version\":\"1.0\"}},"
                + "\"body\":{\"heart_rate\":{\"value\":64,\"unit\":\"beats/min\"},\"effective_time_frame\":{\"date_time\":\""
                + start + "\"}}},"
                + "{\"header\":{\"id\":\"omh-3\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"physical-activity\",\"version\":\"1.2\"}},"
                + "\"body\":{\"activity_name\":\"walking\",\"distance\":{\"value\":1.2,\"unit\":\"mi\"},\"effective_time_frame\":"
                + "{\"time_interval\":{\"end_date_time\":\"" + ts(HOUR.plusHours(1))
                + "\",\"duration\":{\"value\":30,\"unit\":\"min\"}}}}},"
                + "{\"header\":{\"id\":\"omh-4\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"blood-pressure\",\"version\":\"1.0\"}},\"body\":{}}"
                + "]";
        HttpResponse<String> r = stack.post("/v1/devices/dev-omh/omh", IngestStack.GATEWAY, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = IngestStack.json(r);
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected").get(0).get("index").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected").get(0).get("reason").asText()).isEqualTo("UNKNOWN_METRIC");
        Map<String, RawReading> byId = rawFor("dev-omh", 3).stream()
                .collect(Collectors.toMap(x -> x.value().getSourceRecordId(), ConsumerRecord::value));
        assertThat(byId.get("omh-1").getMetric()).isEqualTo("steps");
        assertThat(OffsetDateTime.parse(byId.get("omh-1").getEnd()).toInstant())
                .isEqualTo(HOUR.plusHours(1).toInstant());
        assertThat(byId.get("omh-2").getMetric()).isEqualTo("heart_rate");
        assertThat(byId.get("omh-2").getStart()).isEqualTo(byId.get("omh-2").getEnd());
        assertThat(byId.get("omh-3").getMetric()).isEqualTo("distance");
        assertThat(byId.get("omh-3").getUnit()).isEqualTo("mi");
        assertThat(OffsetDateTime.parse(byId.get("omh-3").getStart()).toInstant())
                .isEqualTo(HOUR.plusMinutes(30).toInstant());
    }

    @Test
    void status400ForAnUnparseableBodyOrANonArray() throws Exception {
        HttpResponse<String> broken = stack.post("/v1/devices/dev-x/readings", IngestStack.GATEWAY, "[{\"metric\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(IngestStack.json(broken).get("error").asText()).isEqualTo("bad_request");
        assertThat(IngestStack.json(broken).get("message").asText()).contains("not valid JSON");
        HttpResponse<String> object =
                stack.post("/v1/devices/dev-x/readings", IngestStack.GATEWAY, "{\"metric\":\"steps\"}");
        assertThat(object.statusCode()).isEqualTo(400);
        HttpResponse<String> badId = stack.post("/v1/devices/bad%20id/readings", IngestStack.GATEWAY, "[]");
        assertThat(badId.statusCode()).isEqualTo(400);
    }

    @Test
    void status401WithoutOrWithAWrongToken() throws Exception {
        HttpResponse<String> none = stack.post("/v1/devices/dev-x/readings", null, "[]");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(IngestStack.json(none).get("error").asText()).isEqualTo("unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        HttpResponse<String> wrong = stack.post("/v1/devices/dev-x/readings", "not-the-token-at-all-000", "[]");
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void status403WithATokenOfAnotherRole() throws Exception {
        assertThat(stack.post("/v1/devices/dev-x/readings", IngestStack.ADMIN, "[]")
                        .statusCode())
                .isEqualTo(403);
        assertThat(stack.post("/v1/devices/dev-x/readings", IngestStack.READ, "[]")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> r = stack.send("PUT", "/v1/programs/p1", IngestStack.GATEWAY, "application/json", "{}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(IngestStack.json(r).get("error").asText()).isEqualTo("forbidden");
    }

    @Test
    void status413ForMoreThanOneMebibyteOrMoreThan5000Readings() throws Exception {
        String big = "[" + "\"x\",".repeat(300_000) + "\"x\"]";
        HttpResponse<String> tooBig = stack.post("/v1/devices/dev-big/readings", IngestStack.GATEWAY, big);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(IngestStack.json(tooBig).get("error").asText()).isEqualTo("too_large");

        String one = reading("steps", 1, "steps", HOUR, HOUR.plusMinutes(1), "n");
        String many = "[" + String.join(",", java.util.Collections.nCopies(5001, one)) + "]";
        assertThat(many.length()).isLessThan(1024 * 1024);
        HttpResponse<String> tooMany = stack.post("/v1/devices/dev-big/readings", IngestStack.GATEWAY, many);
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(IngestStack.json(tooMany).get("message").asText()).contains("5001");
        // read element by element: refused at element 5,001, before the rest of the body (here not even JSON)
        String emptyThenGarbage = "[" + "{},".repeat(5001) + " not json at all";
        HttpResponse<String> stopped =
                stack.post("/v1/devices/dev-big/readings", IngestStack.GATEWAY, emptyThenGarbage);
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(413);
        assertThat(rawFor("dev-big", 0)).isEmpty();
    }

    @Test
    void status415ForAContentTypeOtherThanJson() throws Exception {
        HttpResponse<String> r =
                stack.send("POST", "/v1/devices/dev-x/readings", IngestStack.GATEWAY, "text/csv", "metric,value");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(IngestStack.json(r).get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void healthAndMetrics() throws Exception {
        assertThat(stack.send("GET", "/health/live", null, null, null).statusCode())
                .isEqualTo(200);
        assertThat(stack.send("GET", "/health/ready", null, null, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> metrics = stack.send("GET", "/metrics", null, null, null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }
}
