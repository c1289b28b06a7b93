package io.engage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.config.ApiTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP support both APIs share: auth by role, JSON errors, health, metrics, a taken port named. */
class HttpApiTest {
    private static final String READ = "read-token-0000000000000000";
    private static final String ADMIN = "admin-token-000000000000000";

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpApi api = HttpApi.start(
            new HttpApi.Settings("test", "127.0.0.1", 0, "test.port", 8, 1024 * 1024),
            new HttpApi.Common(metrics, ready::get),
            config -> {
                config.routes.get("/v1/things/{id}", ctx -> {
                    HttpApi.authorize(
                            ctx,
                            ApiTokens.of(
                                    Map.of(ApiTokens.Role.read, List.of(READ), ApiTokens.Role.admin, List.of(ADMIN))),
                            ApiTokens.Role.read);
                    if (ctx.pathParam("id").equals("missing")) {
                        throw new ApiException(404, "not_found", "no thing 'missing'", Map.of("X-Why", "absent"));
                    }
                    if (ctx.pathParam("id").equals("boom")) {
                        throw new IllegalStateException("a bug");
                    }
                    HttpApi.send(ctx, 200, Map.of("id", ctx.pathParam("id")));
                });
            });

    @AfterEach
    void close() {
        api.close();
        metrics.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensAreCheckedByRoleBeforeTheRoute() throws Exception {
        HttpResponse<String> none = get("/v1/things/a", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"engage\"");
        assertThat(none.body()).contains("\"error\":\"unauthorized\"");
        assertThat(get("/v1/things/a", ADMIN).statusCode())
                .as("a token of another role")
                .isEqualTo(403);
        HttpResponse<String> ok = get("/v1/things/a", READ);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("{\"id\":\"a\"}");
        assertThat(ok.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void errorsAreJsonWithAStableCode() throws Exception {
        HttpResponse<String> missing = get("/v1/things/missing", READ);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"not_found\",\"message\":\"no thing 'missing'\"}");
        assertThat(missing.headers().firstValue("X-Why")).hasValue("absent");
        assertThat(get("/v1/nowhere", READ).body())
                .isEqualTo("{\"error\":\"not_found\",\"message\":\"no such resource: GET /v1/nowhere\"}");
        HttpResponse<String> bug = get("/v1/things/boom", READ);
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(bug.body()).contains("\"error\":\"internal\"").doesNotContain("a bug");
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + api.port() + "/v1/things/a"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).contains("\"error\":\"method_not_allowed\"");
    }

    @Test
    void healthFollowsReadinessAndMetricsAreServed() throws Exception {
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get("/health/ready", null).body()).isEqualTo("{\"status\":\"UP\"}");
        metrics.counter("engage_test_total").increment();
        assertThat(get("/metrics", null).body()).contains("engage_test_total");
    }

    @Test
    void requestsAreTimedByRouteTemplateAndStatus() throws Exception {
        get("/v1/things/a", READ);
        get("/v1/things/b", READ);
        get("/v1/things/missing", READ);
        get("/v1/things/boom", READ);
        get("/v1/things/a", null);
        get("/no/such/route", null);

        assertThat(requests("/v1/things/{id}", "200", "SUCCESS"))
                .as("two ids, one route")
                .isEqualTo(2);
        assertThat(requests("/v1/things/{id}", "404", "CLIENT_ERROR")).isEqualTo(1);
        assertThat(requests("/v1/things/{id}", "500", "SERVER_ERROR")).isEqualTo(1);
        assertThat(requests("/v1/things/{id}", "401", "CLIENT_ERROR")).isEqualTo(1);
        assertThat(requests("NOT_FOUND", "404", "CLIENT_ERROR")).isEqualTo(1);
        String scrape = get("/metrics", null).body();
        assertThat(scrape)
                .as("Prometheus name, route template label and histogram buckets")
                .contains("http_server_requests_seconds_count{")
                .contains("uri=\"/v1/things/{id}\"")
                .contains("http_server_requests_seconds_bucket{");
    }

    private long requests(String uri, String status, String outcome) {
        var timer = metrics.find("http.server.requests")
                .tag("method", "GET")
                .tag("uri", uri)
                .tag("status", status)
                .tag("outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aTakenPortIsNamedWithItsSetting() {
        assertThatThrownBy(() -> HttpApi.start(
                        new HttpApi.Settings("second", "127.0.0.1", api.port(), "test.port", 8, 1024),
                        new HttpApi.Common(metrics, ready::get),
                        config -> {}))
                .isInstanceOf(HttpApi.PortInUseException.class)
                .hasMessageContaining("port " + api.port() + " (test.port) is already in use")
                .hasMessageContaining("--test-port or ENGAGE_TEST_PORT");
    }

    @Test
    void aServerBoundToLoopbackCannotBeReachedOnAnotherAddressOfThisMachine() throws Exception {
        java.net.InetAddress other = null;
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        other = a;
                    }
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address");
        java.net.InetAddress address = other;
        assertThat(get("/health/live", null).statusCode())
                .as("reachable on loopback")
                .isEqualTo(200);
        try (java.net.Socket s = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> s.connect(new java.net.InetSocketAddress(address, api.port()), 2_000))
                    .as("not reachable on " + address)
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
