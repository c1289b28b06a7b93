package io.engage.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.avro.Device;
import io.engage.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ingest.md, "Devices bound to a gateway": named gateway tokens, a device bound to one of them, and readings for
 * it sent with another gateway's token refused with 403 (the normaliser's own check is in {@code UnknownDeviceTest}).
 */
@Tag("integration")
class DeviceBindingIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void readingsForABoundDeviceNeedItsGatewaysToken() throws Exception {
        try (IngestStack stack = new IngestStack(
                dir,
                Map.of(
                        "auth.token.gateway",
                        "phone-app:" + IngestStack.GATEWAY + ",clinic-1:" + IngestStack.GATEWAY_2))) {
            assertThat(stack.put("/v1/participants/p-b", "{\"programId\":\"prog\",\"consent\":true}")
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> unknown = stack.put(
                    "/v1/devices/dev-b", "{\"participantId\":\"p-b\",\"type\":\"tracker\",\"gateway\":\"nobody\"}");
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
            assertThat(unknown.body()).contains("nobody");
            HttpResponse<String> bound = stack.put(
                    "/v1/devices/dev-b", "{\"participantId\":\"p-b\",\"type\":\"tracker\",\"gateway\":\"phone-app\"}");
            assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
            assertThat(stack.put("/v1/devices/dev-u", "{\"participantId\":\"p-b\",\"type\":\"tracker\"}")
                            .statusCode())
                    .isEqualTo(200);
            List<ConsumerRecord<String, Device>> devices = stack.read(Topics.DEVICES, 2, Duration.ofSeconds(30));
            assertThat(devices)
                    .filteredOn(r -> r.key().equals("dev-b"))
                    .last()
                    .satisfies(r -> assertThat(r.value().getGateway()).isEqualTo("phone-app"));

            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            String reading = "[{\"metric\":\"steps\",\"value\":100,\"unit\":\"steps\",\"start\":\""
                    + end.minusSeconds(600) + "\",\"end\":\"" + end + "\"}]";
            // the binding reaches the normaliser's pairings (which the API reads) moments after the PUT
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> other = stack.post("/v1/devices/dev-b/readings", IngestStack.GATEWAY_2, reading);
                assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
                assertThat(IngestStack.json(other).path("error").asText()).isEqualTo("forbidden");
            });
            HttpResponse<String> own = stack.post("/v1/devices/dev-b/readings", IngestStack.GATEWAY, reading);
            assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
            HttpResponse<String> unbound = stack.post("/v1/devices/dev-u/readings", IngestStack.GATEWAY_2, reading);
            assertThat(unbound.statusCode())
                    .as("an unbound device takes any gateway: " + unbound.body())
                    .isEqualTo(202);
        }
    }
}
