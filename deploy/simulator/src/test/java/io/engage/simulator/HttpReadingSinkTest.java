package io.engage.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.engage.avro.RawReading;
import io.engage.avro.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP sink speaks the gateway API of docs/ingest.md: batches, bearer token, 202 answers, retries. */
class HttpReadingSinkTest {
    static final String TOKEN = "gw-test-token";
    FakeGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static List<RawReading> readings(String device, int n) {
        List<RawReading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new RawReading(
                    device,
                    "steps",
                    100.0 + i,
                    "steps",
                    "2026-11-20T10:00:00+05:45",
                    "2026-11-20T11:00:00+05:45",
                    device + ":" + i,
                    null,
                    null));
        }
        return out;
    }

    HttpReadingSink.Builder sink() {
        return HttpReadingSink.builder(gateway.url(), TOKEN).backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    @Test
    void batchesAreCutAtTheConfiguredSizeAndCarryTheGatewayBearerToken() throws Exception {
        gateway = new FakeGateway(
                (r, n) -> FakeGateway.Answer.of(
                        202,
                        "{\"accepted\": " + (r.body().size() - 1)
                                + ", \"rejected\": [{\"index\": 3, \"reason\": \"OUT_OF_RANGE\", \"message\": \"too many\"}]}"));

        SendResult result = sink().maxBatch(1_000).build().send("trk-00001", readings("trk-00001", 2_500));

        assertThat(gateway.requests).extracting(r -> r.body().size()).containsExactly(1_000, 1_000, 500);
        assertThat(gateway.requests).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/devices/trk-00001/readings");
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
        JsonNode first = gateway.requests.get(0).body().get(0);
        assertThat(first.toString())
                .isEqualTo(
                        "{\"metric\":\"steps\",\"value\":100,\"unit\":\"steps\","
                                + "\"start\":\"2026-11-20T10:00:00+05:45\",\"end\":\"2026-11-20T11:00:00+05:45\",\"sourceRecordId\":\"trk-00001:0\"}");
        assertThat(gateway.requests.get(1).body().get(0).path("sourceRecordId").asText())
                .isEqualTo("trk-00001:1000");
        assertThat(result.size()).isEqualTo(2_500);
        assertThat(result.rejections())
                .containsExactly(
                        new SendResult.Rejection(3, RejectReason.OUT_OF_RANGE),
                        new SendResult.Rejection(1_003, RejectReason.OUT_OF_RANGE),
                        new SendResult.Rejection(2_003, RejectReason.OUT_OF_RANGE));
        assertThat(result.acceptedCount()).isEqualTo(2_497);
        assertThat(result.status(1_003)).isEqualTo(SendResult.Status.REJECTED);
        assertThat(result.status(1_004)).isEqualTo(SendResult.Status.ACCEPTED);
    }

    @Test
    void a429IsRetriedAfterTheRetryAfterTheGatewayAsked() throws Exception {
        gateway = new FakeGateway((r, n) -> n == 1
                ? new FakeGateway.Answer(
                        429, Map.of("Retry-After", "1"), "{\"error\": \"rate_limited\", \"message\": \"slow down\"}")
                : FakeGateway.acceptAll(r));

        SendResult result = sink().build().send("trk-00001", readings("trk-00001", 3));

        assertThat(result).isEqualTo(SendResult.accepted(3));
        assertThat(gateway.requests).hasSize(2);
        assertThat(Duration.between(
                        gateway.requests.get(0).at(), gateway.requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void a503IsRetriedWithBackoffAndFailsTheReadingsWhenItPersists() throws Exception {
        gateway = new FakeGateway((r, n) -> n <= 2
                ? FakeGateway.Answer.of(503, "{\"error\": \"unavailable\", \"message\": \"Kafka cannot take it\"}")
                : FakeGateway.acceptAll(r));
        assertThat(sink().build().send("trk-00001", readings("trk-00001", 2))).isEqualTo(SendResult.accepted(2));
        assertThat(gateway.requests).hasSize(3);
        gateway.close();

        gateway = new FakeGateway(
                (r, n) -> FakeGateway.Answer.of(503, "{\"error\": \"unavailable\", \"message\": \"down\"}"));
        SendResult failed = sink().maxAttempts(4).build().send("trk-00001", readings("trk-00001", 2));

        assertThat(gateway.requests).hasSize(4);
        assertThat(failed.failed()).containsExactly(0, 1);
        assertThat(failed.acceptedCount()).isZero();
        assertThat(failed.failure()).contains("503", "unavailable", "after 4 attempts");
    }

    @Test
    void aWrongTokenStopsTheSink() throws Exception {
        gateway = new FakeGateway(
                (r, n) -> FakeGateway.Answer.of(401, "{\"error\": \"unauthorized\", \"message\": \"bad token\"}"));

        assertThatThrownBy(() -> sink().build().send("trk-00001", readings("trk-00001", 1)))
                .isInstanceOf(SinkException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("bad token");
        assertThat(gateway.requests).hasSize(1);
    }

    @Test
    void aBatchTooLargeForTheGatewayIsSplit() throws Exception {
        gateway = new FakeGateway((r, n) -> r.body().size() > 2
                ? FakeGateway.Answer.of(413, "{\"error\": \"too_large\", \"message\": \"over 1 MiB\"}")
                : FakeGateway.acceptAll(r));

        SendResult result = sink().build().send("trk-00001", readings("trk-00001", 5));

        assertThat(result).isEqualTo(SendResult.accepted(5));
        List<String> delivered = gateway.requests.stream()
                .filter(r -> r.body().size() <= 2)
                .flatMap(r -> {
                    List<String> ids = new ArrayList<>();
                    r.body().forEach(x -> ids.add(x.path("sourceRecordId").asText()));
                    return ids.stream();
                })
                .toList();
        assertThat(delivered)
                .containsExactly("trk-00001:0", "trk-00001:1", "trk-00001:2", "trk-00001:3", "trk-00001:4");
    }

    @Test
    void batchesOfOneDeviceArriveInOrderWhileOtherDevicesGoInParallel() throws Exception {
        gateway = new FakeGateway((r, n) -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeGateway.acceptAll(r);
        });
        HttpReadingSink sink = sink().concurrency(16).build();
        List<CompletableFuture<SendResult>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (String device : List.of("trk-00001", "gls-00001")) {
                RawReading r = readings(device, 1).get(0);
                r.setSourceRecordId(device + ":" + i);
                answers.add(sink.send(device, List.of(r), Instant.now()));
            }
        }
        sink.flush();

        assertThat(answers).allSatisfy(a -> assertThat(a).isCompletedWithValue(SendResult.accepted(1)));
        for (String device : List.of("trk-00001", "gls-00001")) {
            List<String> seen = gateway.requests.stream()
                    .filter(r -> r.path().contains(device))
                    .map(r -> r.body().get(0).path("sourceRecordId").asText())
                    .toList();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(device + ":" + i);
            }
            assertThat(seen).isEqualTo(sent);
        }
    }

    @Test
    void theGatewaysAnswersMatchTheGeneratorsExpectationsWhenItStampsItsOwnClock() throws Exception {
        gateway = new FakeGateway((r, n) -> FakeGateway.validate(r));
        Instant now = Instant.now();
        SimulationSpec spec = SimulationSpec.builder()
                .seed(11)
                .participants(6)
                .teams(2)
                .endingAt(now, 2)
                .invalidRate(0.15)
                .duplicateRate(0.05)
                .correctionRate(0.05)
                .lateSyncRate(0.3)
                .build();
        List<ReadingOutcome> outcomes = new ArrayList<>();

        SimulationSummary summary;
        try (HttpReadingSink sink = sink().build()) {
            summary = Simulator.builder(spec).onOutcome(outcomes::add).build().run(sink, null);
        }

        assertThat(summary.sent()).isGreaterThan(500);
        assertThat(summary.failed()).isZero();
        assertThat(summary.validatingSink()).isTrue();
        assertThat(summary.contradictions()).isZero();
        assertThat(outcomes)
                .hasSize((int) summary.sent())
                .allSatisfy(o -> assertThat(o.contradictsExpectation()).isFalse());
        for (RejectReason reason : Set.of(
                RejectReason.MALFORMED,
                RejectReason.UNKNOWN_METRIC,
                RejectReason.UNKNOWN_UNIT,
                RejectReason.BAD_INTERVAL,
                RejectReason.OUT_OF_RANGE,
                RejectReason.FUTURE,
                RejectReason.TOO_LATE)) {
            assertThat(summary.rejected().get(reason))
                    .as("%s", reason)
                    .isEqualTo(summary.expectedRejected().get(reason))
                    .isPositive();
        }
        assertThat(summary.rejected()).doesNotContainKeys(RejectReason.UNKNOWN_DEVICE, RejectReason.NO_CONSENT);
        assertThat(summary.expectedRejected()).containsKeys(RejectReason.UNKNOWN_DEVICE, RejectReason.NO_CONSENT);
        assertThat(gateway.requests).extracting(r -> r.path()).anyMatch(p -> p.startsWith("/v1/devices/trk-u"));
    }
}
