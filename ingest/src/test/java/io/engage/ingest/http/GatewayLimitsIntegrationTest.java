package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 429 over a gateway's rate, and 503 (nothing published) when Kafka cannot take a batch. */
@Tag("integration")
class GatewayLimitsIntegrationTest {
    static final OffsetDateTime HOUR =
            OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(1);

    static String batch(int n, String prefix) {
        String one = "{\"metric\":\"steps\",\"value\":1,\"unit\":\"steps\",\"start\":\""
                + java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(HOUR) + "\",\"end\":\""
                + java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(HOUR.plusMinutes(1))
                + "\",\"sourceRecordId\":\"" + prefix + "\"}";
        return "[" + String.join(",", Collections.nCopies(n, one)) + "]";
    }

    @Test
    void status429OverAGatewaysRateWithRetryAfterAndOtherGatewaysUnaffected(@TempDir Path dir) throws Exception {
        try (IngestStack stack = new IngestStack(dir, Map.of("ingest.rate.limit", "10"))) {
            // an idle bucket holds one full batch (5,000 readings) at 10 readings/s
            assertThat(stack.post("/v1/devices/dev-r/readings", IngestStack.GATEWAY, batch(5000, "first"))
                            .statusCode())
                    .isEqualTo(202);
            HttpResponse<String> limited =
                    stack.post("/v1/devices/dev-r/readings", IngestStack.GATEWAY, batch(100, "second"));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(IngestStack.json(limited).get("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            // a request is charged before its body is read: a flood over the rate is refused unparsed (429), where
            // parsing first would answer each with 400
            int refusedUnread = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                int status = stack.post("/v1/devices/dev-r/readings", IngestStack.GATEWAY, "[{},{} and then garbage")
                        .statusCode();
                assertThat(status).isIn(400, 429);
                refusedUnread += status == 429 ? 1 : 0;
            }
            // the bucket held fewer than 100 tokens (the 100-reading batch was refused) and refills 10 a second, so at
            // most that many of the 200 are parsed (400); parsing first would answer all of them 400
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(refusedUnread)
                    .as("refused unread in %.2f s", seconds)
                    .isGreaterThanOrEqualTo(200 - 100 - (int) Math.ceil(seconds * 10) - 1);
            // the other gateway's bucket is its own
            assertThat(stack.post("/v1/devices/dev-r/readings", IngestStack.GATEWAY_2, batch(100, "third"))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(stack.read(Topics.READINGS_RAW, 5100, Duration.ofSeconds(20)))
                    .filteredOn(r -> r.value().getSourceRecordId().equals("second"))
                    .isEmpty();
        }
    }

    @Test
    void status413ForARecordLargerThanTheProducerMaySendAndOthersUnaffected(@TempDir Path dir) throws Exception {
        try (IngestStack stack = new IngestStack(dir, Map.of("kafka.max.request.size", "1024"))) {
            StringBuilder dates = new StringBuilder();
            for (int i = 0; i < 600; i++) {
                dates.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(LocalDate.of(2026, 1, 1).plusDays(i))
                        .append('"');
            }
            HttpResponse<String> big = stack.put(
                    "/v1/participants/p-big",
                    "{\"programId\":\"prog-1\",\"consent\":true,\"preferences\":{\"pausedDates\":[" + dates + "]}}");
            assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
            assertThat(IngestStack.json(big).get("error").asText()).isEqualTo("payload_too_large");
            assertThat(IngestStack.json(big).get("message").asText()).contains("max.request.size");
            assertThat(stack.post("/v1/devices/dev-s/readings", IngestStack.GATEWAY, batch(3, "small"))
                            .statusCode())
                    .isEqualTo(202);
        }
    }

    @Test
    void status503WhenKafkaCannotTakeItAndNothingIsPublished(@TempDir Path dir) throws Exception {
        IngestStack stack = new IngestStack(dir, Map.of("ingest.ack.timeout", "PT5S"));
        try {
            assertThat(stack.post("/v1/devices/dev-u/readings", IngestStack.GATEWAY, batch(3, "before"))
                            .statusCode())
                    .isEqualTo(202);
            stack.kafka.close();
            HttpResponse<String> r = stack.post("/v1/devices/dev-u/readings", IngestStack.GATEWAY, batch(3, "during"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(IngestStack.json(r).get("error").asText()).isEqualTo("unavailable");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(stack.send("GET", "/health/ready", null, null, null).statusCode())
                    .isEqualTo(503);
        } finally {
            stack.ingest.close();
            stack.registry.close();
        }
        // the broker comes back on the same data: the 202 batch is there, nothing of the 503 batch is
        try (io.engage.embedded.kafka.EmbeddedKafka again = io.engage.embedded.kafka.EmbeddedKafka.start(dir, 0);
                org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c =
                        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                                io.engage.config.KafkaClientConfigs.consumer(
                                        io.engage.config.EngageConfig.of(
                                                Map.of("bootstrap.servers", again.bootstrapServers())),
                                        null),
                                new org.apache.kafka.common.serialization.StringDeserializer(),
                                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var tps = c.partitionsFor("readings.raw", Duration.ofSeconds(30)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition("readings.raw", p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            var end = c.endOffsets(tps, Duration.ofSeconds(30));
            java.util.List<String> payloads = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200))
                        .forEach(r -> payloads.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            assertThat(payloads).hasSize(3).allMatch(p -> p.contains("before")).noneMatch(p -> p.contains("during"));
        }
    }
}
