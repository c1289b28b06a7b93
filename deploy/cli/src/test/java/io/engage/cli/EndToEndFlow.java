package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.ApiTokens;
import io.engage.config.EngageConfig;
import io.engage.config.KafkaClientConfigs;
import io.engage.ingest.IngestProcess;
import io.engage.schemas.topics.TopicCatalogue;
import io.engage.schemas.topics.TopicProvisioner;
import io.engage.streams.StreamsProcess;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;

/**
 * The shortest end-to-end path through both processes against a cluster and registry given by {@code config}: the
 * catalogue's topics, ingest and streams started, a programme, participant and device set up through the admin API,
 * a reading posted to the gateway until the query API shows it in the participant's day. Every Kafka client of both
 * processes and every registry client takes part.
 */
final class EndToEndFlow {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API tokens {@link #settings} configures. */
    static final Map<String, String> TOKENS = Map.of(
            "auth.token.gateway", "e2e-gateway-token-00000000",
            "auth.token.admin", "e2e-admin-token-0000000000",
            "auth.token.read", "e2e-read-token-00000000000");

    private EndToEndFlow() {}

    /** Runs the flow; {@code config} needs the cluster, the registry, {@code data.dir} and the tokens above. */
    static void readingFromGatewayToQueryApi(EngageConfig config) throws Exception {
        ApiTokens tokens = ApiTokens.fromConfig(config);
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            new TopicProvisioner(admin, TopicCatalogue.unprefixed()).createMissing();
        }
        try (IngestProcess ingest = IngestProcess.start(config, tokens, Clock.systemUTC());
                StreamsProcess streams = StreamsProcess.start(config, tokens, Clock.systemUTC())) {
            String gatewayApi = "http://localhost:" + ingest.port();
            String query = "http://localhost:" + streams.port();
            StackHttp api = new StackHttp(gatewayApi, tokens);
            String read = tokens.first(ApiTokens.Role.read).orElseThrow();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> StackHttp.get(query + "/health/ready", null).statusCode() == 200
                            && StackHttp.get(gatewayApi + "/health/ready", null).statusCode() == 200);
            api.put("/v1/programs/prog-e2e", "{\"stepGoal\":7000}");
            api.put("/v1/participants/p-e2e", "{\"programId\":\"prog-e2e\",\"timezone\":\"UTC\",\"consent\":true}");
            api.put("/v1/devices/dev-e2e", "{\"participantId\":\"p-e2e\",\"type\":\"tracker\"}");
            LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            // the pairing may not have reached the normaliser yet: re-send (a repeat changes nothing) until the day
            // shows the steps
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        HttpResponse<String> sent = api.post(
                                "/v1/devices/dev-e2e/readings",
                                "[{\"metric\":\"steps\",\"value\":1234,\"unit\":\"steps\",\"start\":\"" + day
                                        + "T10:00:00Z\",\"end\":\"" + day + "T10:30:00Z\"}]",
                                ApiTokens.Role.gateway);
                        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
                        HttpResponse<String> d = StackHttp.get(query + "/v1/participants/p-e2e/days/" + day, read);
                        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
                        assertThat(JSON.readTree(d.body())
                                        .path("totals")
                                        .path("steps")
                                        .asLong())
                                .isEqualTo(1234);
                    });
        }
    }
}
