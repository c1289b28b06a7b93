package io.engage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.engage.config.EngageConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack as {@code ./engage local} runs it: tokens generated once into tokens.json, ingest API up. */
@Tag("integration")
class LocalStackIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void tokensAreGeneratedOnceWrittenToTokensJsonAndGuardTheApi(@TempDir Path tmp) throws Exception {
        EngageConfig config = EphemeralStack.config(tmp);
        String adminToken;
        try (LocalStack stack = LocalStack.start(config, false).startIngest()) {
            Path file = stack.dataDir().resolve("tokens.json");
            JsonNode tokens = new ObjectMapper().readTree(file.toFile());
            assertThat(tokens.fieldNames()).toIterable().containsExactlyInAnyOrder("gateway", "admin", "read");
            adminToken = tokens.get("admin").asText();
            assertThat(adminToken).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(file))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

            int port = stack.ingest().port();
            // ready once the normalisation topology is RUNNING
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> get(port, "/health/ready", null).statusCode() == 200);
            assertThat(put(port, "/v1/programs/prog-local", adminToken, "{\"name\":\"local\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(put(
                                    port,
                                    "/v1/programs/prog-local",
                                    tokens.get("gateway").asText(),
                                    "{}")
                            .statusCode())
                    .isEqualTo(403);
        }
        try (LocalStack again = LocalStack.start(config, false).startIngest()) {
            assertThat(again.tokens().first(io.engage.config.ApiTokens.Role.admin))
                    .contains(adminToken);
        }
    }

    @Test
    void theEndpointsPrintedIncludeTheDashboardWhichAnswersWithoutAToken(@TempDir Path tmp) throws Exception {
        try (LocalStack stack = LocalStack.start(EphemeralStack.config(tmp), false)
                .startIngest()
                .startStreams()) {
            java.io.StringWriter printed = new java.io.StringWriter();
            LocalCommand.printEndpoints(stack, new java.io.PrintWriter(printed));
            String dashboard = "http://localhost:" + stack.streams().port() + "/";
            assertThat(printed.toString())
                    .contains("  query API         http://localhost:"
                            + stack.streams().port() + "\n")
                    .contains("  dashboard         " + dashboard + " ")
                    .contains(stack.tokens()
                            .first(io.engage.config.ApiTokens.Role.read)
                            .orElseThrow());
            HttpResponse<String> page = HTTP.send(
                    HttpRequest.newBuilder(URI.create(dashboard)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>engage dashboard</title>");
        }
    }

    @Test
    void configuredTokensWinOverGeneratedOnes(@TempDir Path tmp) throws Exception {
        EngageConfig config = EphemeralStack.config(tmp, Map.of("auth.token.admin", "my-own-admin-token-123"));
        try (LocalStack stack = LocalStack.start(config, false).startIngest()) {
            JsonNode tokens = new ObjectMapper()
                    .readTree(stack.dataDir().resolve("tokens.json").toFile());
            assertThat(tokens.get("admin").asText()).isEqualTo("my-own-admin-token-123");
            assertThat(put(stack.ingest().port(), "/v1/programs/p", "my-own-admin-token-123", "{}")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(int port, String path, String token, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
