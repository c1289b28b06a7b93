package io.engage.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.avro.Metric;
import io.engage.avro.NudgeType;
import io.engage.config.ApiTokens;
import io.engage.streams.coaching.SuppressReason;
import io.engage.streams.testing.EngagementDriver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's routes on the query API (docs/query.md, "Dashboard" and "Pipeline counts"): the page without a
 * token, the programmes and the pipeline counts with the read token only, 503 until the counts are whole.
 */
class DashboardRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String READ = "read-token-0123456789";
    private static final String ADMIN = "admin-token-0123456789";
    private static final LocalDate TODAY = LocalDate.ofInstant(EngagementDriver.NOW, ZoneOffset.UTC);

    private final EngagementDriver d = new EngagementDriver();
    private final PipelineTally tally = new PipelineTally();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private QueryHttpServer server;
    private String base;

    @BeforeEach
    void start() {
        server = QueryHttpServer.start(
                "127.0.0.1",
                0,
                new QueryHttpServer.Dependencies(
                        d::queries,
                        () -> {
                            throw new UnsupportedOperationException("no social queries here");
                        },
                        () -> KeyOwners.LOCAL,
                        tally,
                        ApiTokens.of(Map.of(ApiTokens.Role.read, List.of(READ), ApiTokens.Role.admin, List.of(ADMIN))),
                        metrics,
                        () -> true,
                        Clock.fixed(EngagementDriver.NOW, ZoneOffset.UTC)));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
        d.close();
    }

    @Test
    void thePageAndItsFilesNeedNoTokenAndAllowNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>engage dashboard</title>", "/dashboard/dashboard.js");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValue(Dashboard.CONTENT_SECURITY_POLICY)
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'", "script-src 'self'"));
        assertThat(page.body()).doesNotContain("http://", "https://").doesNotContainPattern("<script>[^<]");

        HttpResponse<String> script = get("/dashboard/dashboard.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(script.body()).contains("sessionStorage", "Bearer ").doesNotContain("innerHTML");
        assertThat(get("/dashboard/dashboard.css", null).statusCode()).isEqualTo(200);
        // only the page's own files: nothing else of the class path
        assertThat(get("/dashboard/..%2Flogback.xml", null).statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/other.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theApiRoutesNeedTheReadToken() throws Exception {
        tally.markCaughtUp();
        d.program(EngagementDriver.program("prog-a").build());
        for (String path :
                List.of("/v1/programs", "/v1/pipeline/readings", "/v1/pipeline/nudges", "/v1/programs/prog-a/goals")) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("unauthorized");
            assertThat(get(path, ADMIN).statusCode()).as(path).isEqualTo(403);
            assertThat(get(path, READ).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void programmesAreListedById() throws Exception {
        d.program(EngagementDriver.program("prog-b").build());
        d.program(EngagementDriver.program("prog-a").build());
        assertThat(json("/v1/programs"))
                .isEqualTo(JSON.readTree("{\"programs\":[{\"programId\":\"prog-a\"},{\"programId\":\"prog-b\"}]}"));
    }

    @Test
    void theCountsAnswer503UntilWholeThenWhatTheTallyHolds() throws Exception {
        d.program(EngagementDriver.program("prog-a").build());
        tally.normalized(41);
        tally.deadLettered("UNKNOWN_DEVICE");
        tally.goal("prog-a", TODAY, Metric.steps);
        tally.goal("prog-a", TODAY.minusDays(1), Metric.active_minutes);
        tally.nudge(TODAY, NudgeType.CELEBRATION, null);
        tally.nudge(TODAY, NudgeType.INACTIVITY, SuppressReason.QUIET_HOURS);

        HttpResponse<String> early = get("/v1/pipeline/readings", READ);
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(early.body()).path("message").asText()).contains("still reading");
        assertThat(get("/v1/pipeline/nudges", READ).statusCode()).isEqualTo(503);
        assertThat(get("/v1/programs/prog-a/goals", READ).statusCode()).isEqualTo(503);

        tally.markCaughtUp();
        assertThat(json("/v1/pipeline/readings"))
                .isEqualTo(JSON.readTree(
                        "{\"accepted\":41,\"deadLettered\":1,\"deadLetteredByReason\":{\"UNKNOWN_DEVICE\":1}}"));
        // without a date: today (UTC), as a leaderboard
        assertThat(json("/v1/pipeline/nudges"))
                .isEqualTo(JSON.readTree("{\"date\":\"" + TODAY + "\",\"sent\":1,\"sentByType\":{\"CELEBRATION\":1},"
                        + "\"suppressed\":1,\"suppressedByReason\":{\"QUIET_HOURS\":1}}"));
        assertThat(json("/v1/pipeline/nudges?date=" + TODAY.minusDays(1))
                        .path("sent")
                        .asLong())
                .isZero();
        JsonNode goals = json("/v1/programs/prog-a/goals");
        assertThat(goals.path("date").asText()).isEqualTo(TODAY.toString());
        assertThat(goals.path("goalDays")).isEqualTo(JSON.readTree("{\"steps\":1,\"active_minutes\":0}"));
        assertThat(json("/v1/programs/prog-a/goals?date=" + TODAY.minusDays(1)).path("goalDays"))
                .isEqualTo(JSON.readTree("{\"steps\":0,\"active_minutes\":1}"));

        assertThat(get("/v1/programs/prog-nobody/goals", READ).statusCode()).isEqualTo(404);
        tally.markStopped("the feed failed");
        HttpResponse<String> stopped = get("/v1/pipeline/readings", READ);
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.body()).contains("stopped following");
        assertThat(get("/v1/pipeline/nudges?date=yesterday", READ).statusCode()).isEqualTo(400);
        assertThat(get("/v1/programs/prog-a/goals?date=2026-13-01", READ).statusCode())
                .isEqualTo(400);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path, READ);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
